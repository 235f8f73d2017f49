"""The app puts the rooms together (issues 12, 14, 17): one kiosk per data directory, the
last settings that worked after a slip, old days forgotten, the keypad as buttons, the
renderer's pages for safety notes."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest

from kiosk import app, text
from kiosk.app import EXIT_IN_USE, KEYMAP_NAMES, Kiosk, Options
from kiosk.model import SessionRecord, Status
from kiosk.storage.lock import DataDirInUse
from kiosk.storage.store import Store

STATION = ("session:\n  duration: 30s\nprofiles:\n  - name: Ana\n  - name: Sam\n"
           "clinician:\n  code: [up, down, down, up, select, select]\n")


@pytest.fixture
def start(tmp_path, clock, monkeypatch):
    monkeypatch.delenv("DESENS_KIOSK_CONFIG", raising=False)
    made = []

    def make(config_text: str = "session:\n  duration: 30s\n") -> Kiosk:
        (tmp_path / "config.yaml").write_text(config_text)
        kiosk = Kiosk(Options(config=str(tmp_path / "config.yaml"), data_dir=str(tmp_path / "data"),
                              fullscreen=False, size=(800, 480)), clock=clock)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


def test_a_second_kiosk_on_the_same_data_is_refused_and_waits_before_exiting(start, tmp_path, monkeypatch, caplog):
    first = start()
    with pytest.raises(DataDirInUse):
        start()
    monkeypatch.setattr(app, "IN_USE_WAIT_SECONDS", 0.0)
    options = Options(config=str(tmp_path / "config.yaml"), data_dir=str(tmp_path / "data"), fullscreen=False,
                      size=(800, 480))
    with caplog.at_level(logging.ERROR, logger="kiosk"):
        assert app.run(options) == EXIT_IN_USE
    assert "another kiosk or tool is using" in caplog.text and "systemctl stop desens-kiosk" in caplog.text
    first.close()
    second = start()  # once the first has closed, a kiosk starts
    assert second.data_lock is not None


def test_one_bad_line_keeps_the_last_settings_that_worked(start, tmp_path):
    good = start(STATION)
    assert [p.name for p in good.controller.people] == ["Ana", "Sam"]
    good.close()
    broken = start(STATION.replace("duration: 30s", "duration: 30s\ndaily_target: 11"))
    assert [p.name for p in broken.controller.people] == ["Ana", "Sam"]  # not merged under "default"
    assert broken.config.clinician.code == ("up", "down", "down", "up", "select", "select")
    assert text.SETTINGS_PROBLEM in broken.controller.notices
    problems = broken.controller.context.problems["config"]
    assert "config.yaml:" in problems and "daily_target" in problems


def test_old_practice_days_are_forgotten_at_start(start, tmp_path):
    store = Store.open(tmp_path / "data")
    now = datetime.now(timezone.utc)
    store.save(SessionRecord("default", "left_foot", "tapping", 240, now - timedelta(days=400), 3, Status.COMPLETED,
                             active_seconds=240, counted=True))
    store.save(SessionRecord("default", "left_foot", "tapping", 240, now - timedelta(days=3), 3, Status.COMPLETED,
                             active_seconds=240, counted=True))
    store.close()
    kiosk = start("session:\n  duration: 30s\nretention:\n  keep_days: 365\n")
    assert [s.started_at.date() for s in kiosk.store.sessions()] == [(now - timedelta(days=3)).date()]


@pytest.mark.parametrize("key, button", [("[8]", "up"), ("[2]", "down"), ("enter", "select"), ("[0]", "back"),
                                         ("[.]", "back"), ("backspace", "back")])
def test_a_usb_keypad_stands_in_for_the_buttons(key, button):
    assert KEYMAP_NAMES[key] == button


def test_the_logic_pages_safety_notes_as_the_renderer_measures(start):
    kiosk = start()
    note = " ".join(["Keep the ice moving and stop at once if the skin turns white or numb."] * 40)
    pages = kiosk.controller.context.note_pages(note)
    assert len(pages) > 1 and " ".join(pages).split() == note.split()


def test_without_a_voice_the_kiosk_runs_as_before_and_the_clinician_is_told(start):
    quiet = start()  # engine auto, no voice file: no voice, and that is no problem
    assert not quiet.voice.active and "voice" not in quiet.controller.context.problems
    quiet.close()
    named = start("session:\n  duration: 30s\nvoice:\n  engine: piper\n")  # piper named, no voice file
    assert not named.voice.active
    assert named.controller.context.problems["voice"] in text.VOICE_PROBLEMS.values()
    assert named.controller.frame().notice is None  # never on the child's screen


def test_the_session_speaks_through_the_apps_voice(start, clock):
    kiosk = start()
    assert kiosk.controller.context.speaker is kiosk.voice.speaker


# -- first boot at a bedside (issue 17) --------------------------------------------------------
def test_no_screen_at_boot_is_waited_for_and_opened_when_plugged_in(start, tmp_path, clock, monkeypatch):
    from fake_pi import pi4_no_screen

    pi = pi4_no_screen(tmp_path / "pi")
    monkeypatch.setattr(app.drm, "uses_kms", lambda environ: True)  # as on the console
    monkeypatch.setattr(app, "SYSFS_DRM", pi.drm)
    kiosk = start()
    assert kiosk.screen is None  # no exit 4: the kiosk waits
    kiosk.step(0)  # a turn of the loop with no screen: nothing drawn, nothing raised
    assert kiosk.screen is None and kiosk.next_timeout() <= 5.0  # it looks again within seconds
    [connector] = [name for name in (p.name for p in pi.drm.iterdir()) if "HDMI-A-1" in name]
    pi.set_status(connector, "connected")
    clock.advance(6)
    kiosk.step(0)
    assert kiosk.screen is not None and kiosk.renderer is not None
    assert kiosk._last_frame is not None  # the screen was drawn once it appeared


def test_a_turned_panel_is_drawn_turned(start, tmp_path):
    import pygame

    from kiosk.render import Renderer

    kiosk = start("session:\n  duration: 30s\ndisplay:\n  rotate: 90\n")
    kiosk.close()
    turned = Kiosk(Options(config=str(tmp_path / "config.yaml"), data_dir=str(tmp_path / "data"),
                           fullscreen=False, size=(480, 800)))
    try:
        assert turned.renderer.size == (800, 480)  # drawn as a landscape 800x480 screen...
        frame = turned.controller.frame()
        turned.draw(frame)
        plain = pygame.Surface((800, 480))
        Renderer((800, 480)).draw(plain, frame)
        expected = pygame.transform.rotate(plain, -90)  # ...and turned a quarter clockwise
        assert turned.screen.get_size() == (480, 800)
        assert pygame.image.tostring(turned.screen, "RGB") == pygame.image.tostring(expected, "RGB")
    finally:
        turned.close()


def test_an_undo_pressed_in_time_counts_even_when_let_go_just_after(start, clock):
    from kiosk.activities.home import History, Home

    kiosk = start("session:\n  duration: 30s\ncheckins:\n  ask_area: no\n")

    def tap(name):
        pin = kiosk.panel_pin(name)
        clock.advance(0.2)
        pin.drive_low()
        clock.advance(0.2)
        pin.drive_high()
        kiosk.step(0)

    tap("up")
    tap("up")
    tap("select")  # "Saved", with five seconds to undo
    assert len(kiosk.store.checkins()) == 1
    back = kiosk.panel_pin("back")
    clock.advance(4.8)
    kiosk.step(0)
    back.drive_low()  # pressed inside the window...
    clock.advance(0.4)
    kiosk.step(0)  # ...the window ends while it is down
    back.drive_high()  # let go just after
    kiosk.step(0)
    assert kiosk.store.checkins() == [] and isinstance(kiosk.controller.activity, Home)
    assert not isinstance(kiosk.controller.activity, History)


def test_a_back_press_after_the_window_is_not_an_undo(start, clock):
    from kiosk.activities.home import History

    kiosk = start("session:\n  duration: 30s\ncheckins:\n  ask_area: no\n")
    for name in ("up", "up", "select"):
        pin = kiosk.panel_pin(name)
        clock.advance(0.2)
        pin.drive_low()
        clock.advance(0.2)
        pin.drive_high()
        kiosk.step(0)
    clock.advance(5.2)
    kiosk.step(0)  # the window has closed: home
    back = kiosk.panel_pin("back")
    back.drive_low()
    clock.advance(0.2)
    back.drive_high()
    kiosk.step(0)
    assert len(kiosk.store.checkins()) == 1 and isinstance(kiosk.controller.activity, History)
