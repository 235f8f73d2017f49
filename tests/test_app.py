"""The whole kiosk, headless: SDL dummy display, mock GPIO pins, a real database file.
Presses go in through the mock pins (or SDL key events), rows come out of SQLite."""

from __future__ import annotations

import logging
import sqlite3

import pygame
import pytest

from kiosk import text
from kiosk.activities.session import GuidedSession, Phase
from kiosk.app import Kiosk, Options
from kiosk.controller import Home
from kiosk.events import Key


@pytest.fixture
def make_kiosk(tmp_path, clock, monkeypatch):
    monkeypatch.delenv("DESENS_KIOSK_CONFIG", raising=False)
    made = []

    def make(config_text: str = "session:\n  duration: 30s\n", data_dir=None) -> Kiosk:
        config = tmp_path / "config.yaml"
        config.write_text(config_text)
        options = Options(
            config=str(config), data_dir=str(data_dir or tmp_path / "data"), fullscreen=False, size=(800, 480)
        )
        kiosk = Kiosk(options, clock=clock)
        made.append(kiosk)
        kiosk.draw()
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


def tap(kiosk: Kiosk, clock, name: str) -> None:
    """Press and release one button through its mock pin, then turn the loop once."""
    pin = kiosk.panel_pin(name)
    clock.advance(0.2)
    pin.drive_low()
    clock.advance(0.2)
    pin.drive_high()
    kiosk.step(0)


def phase(kiosk: Kiosk):
    activity = kiosk.controller.activity
    return activity.phase if isinstance(activity, GuidedSession) else type(activity).__name__


def rows(data_dir) -> list[dict]:
    with sqlite3.connect(data_dir / "desens.db") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM sessions ORDER BY id")]


def test_a_whole_session_through_the_mock_pins(make_kiosk, clock, tmp_path):
    kiosk = make_kiosk()
    tap(kiosk, clock, "select")  # start
    assert phase(kiosk) is Phase.AREA
    tap(kiosk, clock, "down")  # the second area
    tap(kiosk, clock, "select")
    assert phase(kiosk) is Phase.TECHNIQUE
    tap(kiosk, clock, "select")  # the first technique
    assert phase(kiosk) is Phase.PAIN_BEFORE
    for _ in range(4):
        tap(kiosk, clock, "up")
    tap(kiosk, clock, "select")
    assert phase(kiosk) is Phase.COUNTDOWN
    started = rows(tmp_path / "data")
    assert [(r["status"], r["pain_before"]) for r in started] == [("in_progress", 4)]

    for _ in range(1000):
        if phase(kiosk) is not Phase.COUNTDOWN:
            break
        clock.advance(kiosk.next_timeout())
        kiosk.step(0)
    assert phase(kiosk) is Phase.PAIN_AFTER
    tap(kiosk, clock, "down")
    tap(kiosk, clock, "select")
    assert phase(kiosk) is Phase.SUMMARY

    [row] = rows(tmp_path / "data")
    config = kiosk.config
    assert row["area"] == config.areas[1].id
    assert row["technique"] == kiosk.controller.activity.technique_id
    assert (row["status"], row["pain_before"], row["pain_after"]) == ("completed", 4, 3)
    assert row["planned_seconds"] == 30 and row["active_seconds"] == pytest.approx(30, abs=0.05)
    assert row["started_at"].endswith("+00:00") and row["ended_at"] >= row["started_at"]

    tap(kiosk, clock, "select")
    assert isinstance(kiosk.controller.activity, Home)
    assert kiosk.controller.frame().view.done_today == 1


def test_holding_back_stops_early(make_kiosk, clock, tmp_path):
    kiosk = make_kiosk("session:\n  duration: 60s\nbuttons:\n  hold_seconds: 0.5\n")
    for name in ("select", "select", "select", "select"):
        tap(kiosk, clock, name)
    assert phase(kiosk) is Phase.COUNTDOWN
    clock.advance(12)
    kiosk.step(0)
    pin = kiosk.panel_pin("back")
    pin.drive_low()
    kiosk.step(0)
    assert kiosk.panel.next_due_in() == pytest.approx(0.5)  # the loop's wait ends when the hold is due
    assert kiosk.next_timeout() <= 0.5
    clock.advance(0.49)
    kiosk.step(0)
    assert phase(kiosk) is Phase.COUNTDOWN
    clock.advance(kiosk.next_timeout())
    kiosk.step(0)
    assert phase(kiosk) is Phase.PAIN_AFTER
    clock.advance(0.2)
    pin.drive_high()
    kiosk.step(0)
    assert phase(kiosk) is Phase.PAIN_AFTER  # the release did not also act as "back"
    tap(kiosk, clock, "select")
    [row] = rows(tmp_path / "data")
    assert row["status"] == "stopped_early" and row["active_seconds"] == pytest.approx(12.5, abs=0.05)
    assert row["pain_after"] == 0


def key_tap(kiosk: Kiosk, clock, key: int) -> None:
    """A key pressed and let go, as SDL delivers it, a loop turn after each."""
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        clock.advance(0.2)
        pygame.event.post(pygame.event.Event(kind, key=key, mod=0, unicode="", scancode=0))
        kiosk.step(0)


def test_the_keyboard_drives_the_same_buttons(make_kiosk, clock):
    kiosk = make_kiosk()
    key_tap(kiosk, clock, pygame.K_RETURN)
    key_tap(kiosk, clock, pygame.K_DOWN)
    assert phase(kiosk) is Phase.AREA
    assert kiosk.controller.activity.area_index == 1
    assert kiosk.panel_pin("down").state == 1  # the key's release let the mock pin go
    key_tap(kiosk, clock, pygame.K_ESCAPE)
    assert isinstance(kiosk.controller.activity, Home)


def test_redraws_only_when_the_picture_changes(make_kiosk, clock):
    kiosk = make_kiosk()
    assert kiosk.draw() is False  # nothing changed since the first frame
    tap(kiosk, clock, "select")
    assert kiosk.draw() is False  # the step already drew the area list
    assert kiosk.next_timeout() > 0


def test_a_broken_config_still_runs_and_says_so(make_kiosk, caplog):
    with caplog.at_level(logging.ERROR):
        kiosk = make_kiosk("daily_target: eleven\n")
    notice = kiosk.controller.frame().notice
    assert notice and "problem" in notice
    assert kiosk.config.daily_target == 4  # the bundled defaults
    assert "daily_target" in caplog.text


def test_an_unusable_data_dir_still_runs_and_says_so(make_kiosk, clock, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    kiosk = make_kiosk(data_dir=blocker / "data")
    assert kiosk.controller.frame().notice == text.SESSIONS_NOT_SAVED  # plain words for a parent
    assert "data" in kiosk.controller.context.problems["storage"]  # the reason, for the clinician
    for name in ("select", "select", "select", "select"):
        tap(kiosk, clock, name)
    assert phase(kiosk) is Phase.COUNTDOWN  # the session goes on, kept in memory


def test_interrupted_sessions_are_marked_at_start(make_kiosk, clock, tmp_path):
    kiosk = make_kiosk()
    for name in ("select", "select", "select", "select"):
        tap(kiosk, clock, name)
    kiosk.close()  # as if the power went: the row is left in progress
    assert rows(tmp_path / "data")[0]["status"] == "in_progress"
    make_kiosk()
    assert rows(tmp_path / "data")[0]["status"] == "interrupted"


def test_systemd_hears_ready_once_and_watchdog_only_while_the_loop_turns(make_kiosk, tmp_path, monkeypatch):
    import socket
    import threading
    import time

    address = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(0.01)
    monkeypatch.setenv("NOTIFY_SOCKET", address)
    monkeypatch.setenv("WATCHDOG_USEC", "200000")  # pings every 0.1 s
    kiosk = make_kiosk()
    kiosk._clock = time.monotonic  # the watchdog runs on real time here
    stall = threading.Event()
    real_tick = kiosk.controller.tick

    def tick():
        if stall.is_set():
            stall.clear()
            time.sleep(0.6)  # a hung loop
        real_tick()

    kiosk.controller.tick = tick
    heard: list[tuple[float, str]] = []
    stop = threading.Event()

    def listen():
        while not stop.is_set():
            try:
                heard.append((time.monotonic(), listener.recv(256).decode()))
            except socket.timeout:
                pass

    thread = threading.Thread(target=listen)
    thread.start()
    threading.Timer(0.5, stall.set).start()
    threading.Timer(1.6, lambda: setattr(kiosk, "running", False)).start()
    try:
        kiosk.run()
    finally:
        stop.set()
        thread.join()
        listener.setblocking(False)
        try:
            while True:
                heard.append((time.monotonic(), listener.recv(256).decode()))
        except BlockingIOError:
            pass
        listener.close()
    messages = [m for _, m in heard]
    assert messages[0].startswith("READY=1")
    assert sum(m.startswith("READY=1") for m in messages) == 1
    assert messages[-1] == "STOPPING=1"
    pings = [t for t, m in heard if m == "WATCHDOG=1"]
    assert len(pings) >= 4
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    assert max(gaps) >= 0.55  # silence while the loop was stalled
    assert sorted(gaps)[len(gaps) // 2] < 0.3  # otherwise a ping every ~0.1 s


def test_a_damaged_database_is_kept_and_said_once(make_kiosk, clock, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "desens.db").write_bytes(b"garbage" * 100)
    kiosk = make_kiosk(data_dir=data)
    notice = kiosk.controller.frame().notice
    assert "damaged" in notice and "desens.db.damaged-" in notice
    assert list(data.glob("desens.db.damaged-*"))
    tap(kiosk, clock, "select")
    assert kiosk.controller.frame().notice is None  # said once


def test_a_stuck_button_is_reported_and_does_nothing(make_kiosk, clock):
    kiosk = make_kiosk()
    kiosk.panel_pin("select").drive_low()
    kiosk.step(0)
    assert isinstance(kiosk.controller.activity, Home)  # select acts on its release here
    clock.advance(61)
    kiosk.step(0)
    assert "stuck" in kiosk.controller.frame().notice
    clock.advance(1)
    kiosk.panel_pin("select").drive_high()
    kiosk.step(0)
    assert kiosk.controller.frame().notice is None
    assert isinstance(kiosk.controller.activity, Home)  # freed from the jam: not a choice
    tap(kiosk, clock, "select")
    assert phase(kiosk) is Phase.AREA  # the next press is a press


def checkins(data_dir) -> list[dict]:
    with sqlite3.connect(data_dir / "desens.db") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM pain_checkins ORDER BY id")]


def test_two_check_ins_and_an_undo_through_the_mock_pins(make_kiosk, clock, tmp_path):
    kiosk = make_kiosk()
    data = tmp_path / "data"
    for name in ("up", "up", "up", "select"):  # opens at 0, then 2; "where?"
        tap(kiosk, clock, name)
    for name in ("down", "select"):  # the first area
        tap(kiosk, clock, name)
    clock.advance(6)  # "Saved" goes home by itself; the check-in is final
    kiosk.step(0)
    assert isinstance(kiosk.controller.activity, Home)
    for name in ("down", "down", "select", "select"):  # opens at 2, then 1; no particular place
        tap(kiosk, clock, name)
    assert [(r["rating"], r["area"]) for r in checkins(data)] == [(2, kiosk.config.areas[0].id), (1, None)]
    tap(kiosk, clock, "back")  # undo the second
    assert [(r["rating"], r["status"], r["prompted"]) for r in checkins(data)] == [(2, "saved", 0)]
    assert isinstance(kiosk.controller.activity, Home)


def test_the_status_led_follows_the_session(make_kiosk, clock):
    kiosk = make_kiosk("session:\n  duration: 30s\noutputs:\n  led: 18\n  buzzer: 24\n")
    assert kiosk.light.mode == "off"
    for name in ("select", "select", "select", "select"):
        tap(kiosk, clock, name)
    assert kiosk.light.mode == "session"
    kiosk.inputs.put(Key.BACK_HELD)  # as the back button held 2 s sends it
    kiosk.step(0)
    tap(kiosk, clock, "select")
    tap(kiosk, clock, "select")
    assert kiosk.light.mode == "off"


def test_sigterm_stops_the_kiosk_cleanly(tmp_path):
    """`systemctl stop` sends SIGTERM: the loop ends, devices close, the exit is 0."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "GPIOZERO_PIN_FACTORY": "mock"}
    env.pop("DESENS_KIOSK_CONFIG", None)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "--windowed"],
                            env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "desens.db").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    assert "stopping (SIGTERM)" in proc.stderr.read()


def test_no_display_is_a_clear_message_and_an_exit_not_a_traceback(tmp_path):
    import os
    import subprocess
    import sys

    from kiosk.app import EXIT_NO_DISPLAY

    env = {**os.environ, "SDL_VIDEODRIVER": "no-such-driver", "SDL_AUDIODRIVER": "dummy",
           "GPIOZERO_PIN_FACTORY": "mock"}
    done = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "--fullscreen"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_NO_DISPLAY
    assert "cannot open the display (no-such-driver)" in done.stderr and "Traceback" not in done.stderr


def test_buttons_that_cannot_be_opened_are_said_on_screen_not_a_crash(make_kiosk, monkeypatch, caplog):
    from gpiozero.exc import BadPinFactory

    def no_gpio(log):
        raise BadPinFactory("Unable to load any default pin factory!")

    monkeypatch.setattr("kiosk.devices.buttons.make_pin_factory", no_gpio)
    with caplog.at_level(logging.ERROR):
        kiosk = make_kiosk()
    assert "buttons cannot be used" in kiosk.controller.frame().notice
    assert "BadPinFactory" in caplog.text
    assert kiosk.mock_pins  # the keyboard still works


# --- the clinician's chord never acts as a select (select acts on release where it may start)


def chord(kiosk: Kiosk, clock, first: str = "select") -> None:
    """Select and back held together past the chord time, then let go, a turn after each edge."""
    second = "back" if first == "select" else "select"
    for name in (first, second):
        clock.advance(0.2)
        kiosk.panel_pin(name).drive_low()
        kiosk.step(0)
    clock.advance(kiosk.panel.next_due_in())  # the chord is due (3 s by default)
    kiosk.step(0)
    for name in (first, second):
        clock.advance(0.2)
        kiosk.panel_pin(name).drive_high()
        kiosk.step(0)


@pytest.mark.parametrize("first", ["select", "back"])
def test_a_chord_on_the_pain_before_screen_starts_nothing_and_saves_nothing(make_kiosk, clock, tmp_path, first):
    from kiosk.activities.clinician import CodeEntry

    kiosk = make_kiosk("session:\n  duration: 30s\nclinician:\n  code: [down, up, down, down, select, up]\n")
    for name in ("select", "select", "select", "up", "up"):
        tap(kiosk, clock, name)
    assert phase(kiosk) is Phase.PAIN_BEFORE
    chord(kiosk, clock, first)
    assert isinstance(kiosk.controller.activity, CodeEntry)  # the chord did what it is for...
    assert kiosk.controller.activity.entered == []  # ...and neither release became a code press
    assert rows(tmp_path / "data") == []  # no countdown was started


def test_a_chord_on_the_pain_after_screen_does_not_save_the_rating(make_kiosk, clock, tmp_path):
    kiosk = make_kiosk()
    for name in ("select", "select", "select", "select"):
        tap(kiosk, clock, name)
    kiosk.inputs.put(Key.BACK_HELD)  # stopped early: the pain-after screen
    kiosk.step(0)
    assert phase(kiosk) is Phase.PAIN_AFTER
    tap(kiosk, clock, "up")
    chord(kiosk, clock)
    assert phase(kiosk) is Phase.PAIN_AFTER  # no chord during a session, and no select either
    [row] = rows(tmp_path / "data")
    assert row["pain_after"] is None
    tap(kiosk, clock, "select")  # the rating is given when select is pressed on its own
    assert phase(kiosk) is Phase.SUMMARY
    assert rows(tmp_path / "data")[0]["pain_after"] == 1


def test_select_acts_on_release_but_pauses_the_countdown_at_once(make_kiosk, clock):
    kiosk = make_kiosk()
    select = kiosk.panel_pin("select")
    clock.advance(0.2)
    select.drive_low()
    kiosk.step(0)
    assert isinstance(kiosk.controller.activity, Home)  # home: select waits for its release
    clock.advance(0.2)
    select.drive_high()
    kiosk.step(0)
    assert phase(kiosk) is Phase.AREA
    for _ in range(3):
        tap(kiosk, clock, "select")
    assert phase(kiosk) is Phase.COUNTDOWN
    clock.advance(0.2)
    select.drive_low()
    kiosk.step(0)
    assert kiosk.controller.activity.countdown.paused  # on the press, before any release
    clock.advance(0.2)
    select.drive_high()
    kiosk.step(0)
    assert kiosk.controller.activity.countdown.paused  # the release adds nothing


# --- the loop's waiting -----------------------------------------------------------------------


def test_how_often_the_loop_looks_at_sdl():
    from kiosk.app import ASLEEP_PUMP_SECONDS, CONSOLE_PUMP_SECONDS, PUMP_SECONDS, WINDOW_PUMP_SECONDS, Pump

    keyboard = Pump(keyboard=True, window=True)  # a desktop, no GPIO: keys are the buttons
    assert (keyboard.seconds(asleep=False), keyboard.seconds(asleep=True)) == (PUMP_SECONDS, ASLEEP_PUMP_SECONDS)
    assert Pump(keyboard=True, window=False).seconds(asleep=False) == PUMP_SECONDS  # a console without GPIO
    assert Pump(keyboard=False, window=True).seconds(asleep=False) == WINDOW_PUMP_SECONDS
    console = Pump(keyboard=False, window=False)  # the appliance: fullscreen, GPIO buttons
    assert console.seconds(asleep=False) == console.seconds(asleep=True) == CONSOLE_PUMP_SECONDS
    assert PUMP_SECONDS < WINDOW_PUMP_SECONDS < CONSOLE_PUMP_SECONDS


def test_the_kiosk_on_mock_pins_looks_at_the_keyboard_often(make_kiosk):
    from kiosk.app import PUMP_SECONDS

    kiosk = make_kiosk()
    assert kiosk.pump.keyboard
    assert kiosk.next_timeout() == PUMP_SECONDS


def test_on_the_console_the_idle_loop_sleeps_long_and_a_press_still_wakes_it(make_kiosk, clock):
    from kiosk.app import CONSOLE_PUMP_SECONDS, Pump

    kiosk = make_kiosk()
    kiosk.pump = Pump(keyboard=False, window=False)
    assert kiosk.next_timeout() == CONSOLE_PUMP_SECONDS
    kiosk.panel_pin("up").drive_low()  # as a GPIO edge: the key is waiting when the loop looks
    assert kiosk.inputs.get(CONSOLE_PUMP_SECONDS) is Key.UP


def test_a_back_press_wakes_the_loop_to_wait_for_its_hold(make_kiosk, clock):
    kiosk = make_kiosk()
    kiosk.panel_pin("back").drive_low()
    assert kiosk.inputs.get(0) is None and kiosk.inputs.drain() == []  # a wake, not a key
    kiosk.step(0)
    assert kiosk.panel.next_due_in() == pytest.approx(2.0)


def test_the_sound_device_opens_for_someone_and_shuts_after_a_quiet_minute(make_kiosk, clock, monkeypatch):
    monkeypatch.setattr(pygame.mixer, "get_busy", lambda: False)  # the fake minute passes in no time
    kiosk = make_kiosk()
    assert not kiosk.sound.device_open  # checked at start, shut until needed
    tap(kiosk, clock, "select")
    assert kiosk.sound.device_open  # someone is here: a cue may follow
    assert kiosk.next_timeout() <= 60
    clock.advance(59)
    kiosk.step(0)
    assert kiosk.sound.device_open
    clock.advance(1)
    kiosk.step(0)
    assert not kiosk.sound.device_open


def test_a_dark_screen_wakes_on_the_press_of_select(make_kiosk, clock):
    kiosk = make_kiosk("session:\n  duration: 30s\ndisplay:\n  sleep_after: 10s\n")
    clock.advance(11)
    kiosk.step(0)
    assert kiosk.controller.asleep
    clock.advance(0.2)
    kiosk.panel_pin("select").drive_low()
    kiosk.step(0)
    assert not kiosk.controller.asleep  # lit on the press, before any release
    clock.advance(0.2)
    kiosk.panel_pin("select").drive_high()
    kiosk.step(0)
    assert isinstance(kiosk.controller.activity, Home)  # the press only woke it


def test_a_keypad_beside_gpio_buttons_works_and_is_then_read_often(make_kiosk, clock):
    from kiosk.app import CONSOLE_PUMP_SECONDS, PUMP_SECONDS, Pump

    kiosk = make_kiosk()
    kiosk.panel.is_mock = False  # real pins, as on a Pi with wired buttons
    kiosk.pump = Pump(keyboard=False, window=False)  # the console
    assert kiosk.next_timeout() == CONSOLE_PUMP_SECONDS
    key_tap(kiosk, clock, pygame.K_RETURN)  # Enter on the keypad
    assert phase(kiosk) is Phase.AREA
    assert kiosk.panel_pin("select").state == 1  # the wired button's pin is left alone
    assert kiosk.pump.keyboard and kiosk.next_timeout() == PUMP_SECONDS
