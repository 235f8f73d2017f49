"""The touchscreen (and the mouse) through a real kiosk: synthetic SDL finger and mouse
events at 480x320, 800x480 and 1920x1080 drive a whole session and a check-in; rows come
out of SQLite. Swipes and palms rate nothing, a tap on a dark screen only wakes it, and
with touch off a finger does nothing and the frames are the buttons' frames."""

from __future__ import annotations

import sqlite3

import pygame
import pytest

from kiosk.activities.checkin import Checkin
from kiosk.activities.session import GuidedSession, Phase
from kiosk.app import Kiosk, Options
from kiosk.controller import Home
from kiosk.events import Key
from kiosk.render import theme
from kiosk.render.targets import Target, targets_for
from kiosk.views import ChoiceView, CountdownView, HomeView, RatingView, SafetyView

SIZES = [(480, 320), (800, 480), (1920, 1080)]
TOUCH = "session:\n  duration: 60s\ndisplay:\n  touch: yes\n"


def touch_config(display: str = "", more: str = "") -> str:
    """A config with touch on, `display` more lines of the display section."""
    return TOUCH + display + more


@pytest.fixture
def make_kiosk(tmp_path, clock, monkeypatch):
    monkeypatch.delenv("DESENS_KIOSK_CONFIG", raising=False)
    made = []

    def make(config_text: str = TOUCH, size=(800, 480)) -> Kiosk:
        config = tmp_path / "config.yaml"
        config.write_text(config_text)
        options = Options(config=str(config), data_dir=str(tmp_path / "data"), fullscreen=False, size=size)
        kiosk = Kiosk(options, clock=clock)
        made.append(kiosk)
        pygame.event.clear()
        kiosk.step(0)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


def fraction(kiosk: Kiosk, x: float, y: float) -> tuple[float, float]:
    """A canvas point as SDL gives a finger: fractions of the (turned) screen."""
    w, h = kiosk.canvas.get_size()
    u, v = x / w, y / h
    return {0: (u, v), 90: (1 - v, u), 180: (1 - u, 1 - v), 270: (v, 1 - u)}[kiosk.rotate]


def finger(kiosk: Kiosk, kind: int, x: float, y: float, finger_id: int = 0) -> None:
    u, v = fraction(kiosk, x, y)
    pygame.event.post(pygame.event.Event(kind, touch_id=1, finger_id=finger_id, x=u, y=v, dx=0.0, dy=0.0,
                                         pressure=1.0))


def touch_at(kiosk: Kiosk, clock, point, finger_id: int = 0) -> None:
    """A finger taps `point` (canvas pixels), a loop turn after each event."""
    clock.advance(0.2)
    finger(kiosk, pygame.FINGERDOWN, *point, finger_id)
    kiosk.step(0)
    clock.advance(0.1)
    finger(kiosk, pygame.FINGERUP, *point, finger_id)
    kiosk.step(0)


def click_at(kiosk: Kiosk, clock, point) -> None:
    """The mouse's left button clicks `point` (a window without rotation)."""
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        clock.advance(0.1)
        pygame.event.post(pygame.event.Event(kind, pos=(int(point[0]), int(point[1])), button=1, touch=False))
        kiosk.step(0)


def targets(kiosk: Kiosk) -> list[Target]:
    return targets_for(kiosk.controller.frame(), kiosk.canvas.get_size(), kiosk.renderer.typesetter)


def find(kiosk: Kiosk, **match) -> Target:
    found = [t for t in targets(kiosk) if all(getattr(t, k) == v for k, v in match.items())]
    assert found, f"no target {match} on {type(kiosk.controller.frame().view).__name__}"
    return found[0]


def centre(target: Target) -> tuple[float, float]:
    x, y, w, h = target.rect
    return x + w / 2, y + h / 2


def tap(kiosk: Kiosk, clock, **match) -> None:
    touch_at(kiosk, clock, centre(find(kiosk, **match)))


def phase(kiosk: Kiosk):
    activity = kiosk.controller.activity
    return activity.phase if isinstance(activity, GuidedSession) else type(activity).__name__


def view(kiosk: Kiosk):
    return kiosk.controller.frame().view


def sessions(tmp_path) -> list[dict]:
    with sqlite3.connect(tmp_path / "data" / "desens.db") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM sessions ORDER BY id")]


def checkins(tmp_path) -> list[dict]:
    with sqlite3.connect(tmp_path / "data" / "desens.db") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM pain_checkins ORDER BY id")]


def read_safety_notes(kiosk: Kiosk, clock) -> None:
    """Through a technique's safety note, a page at a time, as a child would."""
    for _ in range(10):
        if not isinstance(view(kiosk), SafetyView):
            return
        tap(kiosk, clock, key=Key.SELECT)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_whole_session_by_touch(make_kiosk, clock, tmp_path, size):
    kiosk = make_kiosk(size=size)
    assert kiosk.controller.frame().touch
    tap(kiosk, clock, key=Key.SELECT)  # Start
    assert phase(kiosk) is Phase.AREA
    tap(kiosk, clock, item=1)  # the second area: selected and chosen
    assert phase(kiosk) is Phase.TECHNIQUE
    tap(kiosk, clock, item=view(kiosk).selected)
    read_safety_notes(kiosk, clock)
    assert phase(kiosk) is Phase.PAIN_BEFORE
    technique = kiosk.controller.activity.technique_id
    tap(kiosk, clock, value=4)
    assert view(kiosk).value == 4 and phase(kiosk) is Phase.PAIN_BEFORE  # a cell sets, it does not save
    tap(kiosk, clock, value=3)
    tap(kiosk, clock, key=Key.SELECT)  # Save
    assert phase(kiosk) is Phase.COUNTDOWN

    tap(kiosk, clock, key=Key.SELECT)  # Pause
    assert view(kiosk).paused
    tap(kiosk, clock, key=Key.SELECT)  # Go on
    assert not view(kiosk).paused
    clock.advance(10)
    kiosk.step(0)

    tap(kiosk, clock, held=Key.BACK_HELD)  # a short touch on Stop only says how to stop
    assert phase(kiosk) is Phase.COUNTDOWN and view(kiosk).hint
    stop = centre(find(kiosk, held=Key.BACK_HELD))
    finger(kiosk, pygame.FINGERDOWN, *stop)
    kiosk.step(0)
    assert kiosk.touch_screen.touches.next_due(clock()) == pytest.approx(2.0)
    clock.advance(1.0)
    kiosk.step(0)
    assert phase(kiosk) is Phase.COUNTDOWN  # held half the time: the ring is half full
    clock.advance(1.0)
    kiosk.step(0)
    assert phase(kiosk) is Phase.PAIN_AFTER
    finger(kiosk, pygame.FINGERUP, *stop)
    kiosk.step(0)
    assert phase(kiosk) is Phase.PAIN_AFTER  # the release did nothing more
    assert not [t for t in targets(kiosk) if t.key is Key.BACK]  # no way back from the last rating
    tap(kiosk, clock, value=2)
    tap(kiosk, clock, key=Key.SELECT)
    if phase(kiosk) is Phase.LEVEL_UP:
        tap(kiosk, clock, key=Key.BACK)  # not yet
    assert phase(kiosk) is Phase.SUMMARY
    tap(kiosk, clock, key=Key.SELECT)
    assert isinstance(kiosk.controller.activity, Home)

    [row] = sessions(tmp_path)
    assert row["area"] == kiosk.config.areas[1].id
    assert row["technique"] == technique
    assert (row["status"], row["pain_before"], row["pain_after"]) == ("stopped_early", 3, 2)


def test_the_hold_ring_stays_on_every_frame_while_the_countdown_moves_on(make_kiosk, clock, monkeypatch):
    """A finger held on Stop while the countdown's seconds change under it: every frame put
    on the screen shows the ring filling (never a frame without it), and the ring goes with
    the finger."""
    kiosk = make_kiosk(touch_config(more="buttons:\n  hold_seconds: 3\n"))
    tap(kiosk, clock, key=Key.SELECT)  # Start
    tap(kiosk, clock, item=0)
    tap(kiosk, clock, item=view(kiosk).selected)
    read_safety_notes(kiosk, clock)
    tap(kiosk, clock, key=Key.SELECT)  # Save the rating
    assert phase(kiosk) is Phase.COUNTDOWN
    stop = find(kiosk, held=Key.BACK_HELD)
    shown: list[tuple[int, int]] = []  # (seconds on the countdown, ring pixels) of each flip
    flip = pygame.display.flip

    def look_then_flip() -> None:
        ring = pygame.mask.from_threshold(kiosk.canvas.subsurface(pygame.Rect(stop.rect)), theme.WARN,
                                          (3, 3, 3, 255)).count()
        shown.append((view(kiosk).remaining, ring))
        flip()

    monkeypatch.setattr(pygame.display, "flip", look_then_flip)
    finger(kiosk, pygame.FINGERDOWN, *centre(stop))
    kiosk.step(0)
    shown.clear()  # (the touch itself: the ring is still empty)
    for _ in range(50):  # 2.5 s of a 3 s hold, a turn every 50 ms as with touch on
        clock.advance(0.05)
        kiosk.step(0)
    assert phase(kiosk) is Phase.COUNTDOWN
    assert len({seconds for seconds, _ in shown}) >= 3  # the countdown moved on under the finger
    assert shown and all(ring > 0 for _, ring in shown), [s for s in shown if s[1] == 0]
    finger(kiosk, pygame.FINGERUP, *centre(stop))
    kiosk.step(0)
    assert shown[-1][1] == 0  # let go too soon: the ring is gone, the session goes on
    assert phase(kiosk) is Phase.COUNTDOWN


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_check_in_by_touch(make_kiosk, clock, tmp_path, size):
    kiosk = make_kiosk(TOUCH + "checkins:\n  ask_area: yes\n", size=size)
    tap(kiosk, clock, key=Key.UP)  # "My pain"
    assert isinstance(kiosk.controller.activity, Checkin)
    assert isinstance(view(kiosk), RatingView) and view(kiosk).phase == "checkin"
    tap(kiosk, clock, value=7)
    tap(kiosk, clock, value=6)
    assert view(kiosk).value == 6
    tap(kiosk, clock, key=Key.SELECT)  # Save
    assert isinstance(view(kiosk), ChoiceView)  # where does it hurt?
    tap(kiosk, clock, item=2)
    [row] = checkins(tmp_path)
    assert row["rating"] == 6 and row["area"] == kiosk.config.areas[1].id
    tap(kiosk, clock, key=Key.SELECT)  # OK
    assert isinstance(kiosk.controller.activity, Home)


def test_the_mouse_clicks_as_a_finger_taps(make_kiosk, clock):
    kiosk = make_kiosk()
    click_at(kiosk, clock, centre(find(kiosk, key=Key.SELECT)))
    assert phase(kiosk) is Phase.AREA
    click_at(kiosk, clock, centre(find(kiosk, key=Key.BACK)))
    assert isinstance(kiosk.controller.activity, Home)


def test_a_swipe_across_the_cells_rates_nothing(make_kiosk, clock):
    kiosk = make_kiosk(TOUCH + "checkins:\n  ask_area: no\n")
    tap(kiosk, clock, key=Key.UP)
    start = view(kiosk).value
    first, last = centre(find(kiosk, value=0)), centre(find(kiosk, value=10))
    finger(kiosk, pygame.FINGERDOWN, *first)
    kiosk.step(0)
    for i in range(1, 11):
        clock.advance(0.02)
        finger(kiosk, pygame.FINGERMOTION, first[0] + (last[0] - first[0]) * i / 10, first[1])
        kiosk.step(0)
    finger(kiosk, pygame.FINGERUP, *last)
    kiosk.step(0)
    assert view(kiosk).value == start and isinstance(kiosk.controller.activity, Checkin)
    # Nor does a palm: three fingers on three cells at once.
    for fid, value in enumerate((2, 5, 8)):
        finger(kiosk, pygame.FINGERDOWN, *centre(find(kiosk, value=value)), finger_id=fid)
    kiosk.step(0)
    clock.advance(0.1)
    for fid, value in enumerate((2, 5, 8)):
        finger(kiosk, pygame.FINGERUP, *centre(find(kiosk, value=value)), finger_id=fid)
    kiosk.step(0)
    assert view(kiosk).value == start


def test_a_tap_on_a_dark_screen_only_wakes_it(make_kiosk, clock):
    kiosk = make_kiosk(touch_config("  sleep_after: 30s\n"))
    start = centre(find(kiosk, key=Key.SELECT))
    clock.advance(kiosk.config.display.sleep_after_seconds + 1)
    kiosk.step(0)
    assert kiosk.controller.asleep and targets(kiosk) == []
    touch_at(kiosk, clock, start)  # where "Start" was
    assert not kiosk.controller.asleep
    assert isinstance(kiosk.controller.activity, Home)  # woken, nothing started
    touch_at(kiosk, clock, start)
    assert phase(kiosk) is Phase.AREA


def test_the_corners_held_together_open_the_clinicians_code(make_kiosk, clock):
    kiosk = make_kiosk(TOUCH + "clinician:\n  code: [up, up, down, down, select, back]\n")
    w, h = kiosk.canvas.get_size()
    finger(kiosk, pygame.FINGERDOWN, 5, 5, finger_id=1)
    finger(kiosk, pygame.FINGERDOWN, w - 5, h - 5, finger_id=2)
    kiosk.step(0)
    clock.advance(2.9)
    kiosk.step(0)
    assert isinstance(kiosk.controller.activity, Home)
    clock.advance(0.2)
    kiosk.step(0)
    assert type(kiosk.controller.activity).__name__ != "Home"
    assert type(view(kiosk)).__name__ == "CodeView"
    finger(kiosk, pygame.FINGERUP, 5, 5, finger_id=1)
    finger(kiosk, pygame.FINGERUP, w - 5, h - 5, finger_id=2)
    kiosk.step(0)
    # The code is entered on the screen's four buttons.
    for key in (Key.UP, Key.UP, Key.DOWN, Key.DOWN, Key.SELECT, Key.BACK):
        tap(kiosk, clock, key=key)
    assert isinstance(view(kiosk), ChoiceView) and view(kiosk).kind == "clinician"


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_turned_screen_is_touched_where_it_shows(make_kiosk, clock, rotate):
    kiosk = make_kiosk(touch_config(f"  rotate: {rotate}\n"))
    assert kiosk.rotate == rotate
    tap(kiosk, clock, key=Key.SELECT)
    assert phase(kiosk) is Phase.AREA
    tap(kiosk, clock, item=1)
    assert phase(kiosk) is Phase.TECHNIQUE and kiosk.controller.activity.area_index == 1


def test_with_touch_off_a_finger_does_nothing_and_the_frames_are_the_buttons(make_kiosk, clock):
    kiosk = make_kiosk("session:\n  duration: 60s\ndisplay:\n  touch: no\n")
    assert not kiosk.controller.frame().touch
    w, h = kiosk.canvas.get_size()
    for x in range(20, w, 60):
        for y in range(20, h, 60):
            touch_at(kiosk, clock, (x, y))
            click_at(kiosk, clock, (x, y))
    assert isinstance(kiosk.controller.activity, Home) and not kiosk.controller.frame().touch


def test_auto_turns_touch_on_at_the_first_finger(make_kiosk, clock):
    kiosk = make_kiosk("session:\n  duration: 60s\n")
    assert not kiosk.controller.frame().touch  # no touch device reported
    start = (10, 10)
    touch_at(kiosk, clock, start)
    assert kiosk.controller.frame().touch
    tap(kiosk, clock, key=Key.SELECT)
    assert phase(kiosk) is Phase.AREA


def test_auto_turns_touch_on_when_a_mouse_moves_in_a_window(make_kiosk, clock, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    kiosk = make_kiosk("session:\n  duration: 60s\n")
    assert not kiosk.controller.frame().touch
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(100, 100), rel=(3, 1), buttons=(0, 0, 0),
                                         touch=False))
    kiosk.step(0)
    assert kiosk.controller.frame().touch
    assert isinstance(view(kiosk), HomeView)


def test_a_countdown_hold_draws_a_filling_ring(make_kiosk, clock):
    kiosk = make_kiosk()
    tap(kiosk, clock, key=Key.SELECT)
    tap(kiosk, clock, item=0)
    tap(kiosk, clock, item=view(kiosk).selected)
    read_safety_notes(kiosk, clock)
    tap(kiosk, clock, key=Key.SELECT)
    assert isinstance(view(kiosk), CountdownView)
    stop = find(kiosk, held=Key.BACK_HELD)
    _, _, w, h = stop.rect
    before = kiosk.canvas.subsurface(pygame.Rect(stop.rect)).copy()
    finger(kiosk, pygame.FINGERDOWN, *centre(stop))
    kiosk.step(0)
    clock.advance(1.5)
    kiosk.step(0)
    during = kiosk.canvas.subsurface(pygame.Rect(stop.rect)).copy()
    changed = sum(1 for px in range(0, w, 2) for py in range(0, h, 2) if before.get_at((px, py)) != during.get_at((px, py)))
    assert changed > 20  # the ring filled three quarters of the way
    finger(kiosk, pygame.FINGERUP, *centre(stop))
    kiosk.step(0)
    assert phase(kiosk) is Phase.COUNTDOWN  # let go early: nothing stopped
