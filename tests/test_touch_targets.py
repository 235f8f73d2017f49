"""The touch targets (kiosk.render.targets): every screen's targets are at least a finger
wide and tall at each size, inside the screen, apart from each other and from the notice;
and they are drawn where they are."""

from __future__ import annotations

import itertools

import pygame
import pytest

from kiosk import text
from kiosk.events import Key
from kiosk.model import Status
from kiosk.render import theme
from kiosk.render.renderer import Renderer
from kiosk.render.targets import (
    draw_hold_progress,
    draw_touch_frame,
    hit,
    min_target,
    targets_for,
)
from kiosk.render.widgets import Canvas
from kiosk.views import (
    CheckinSavedView,
    ChoiceView,
    CodeView,
    ConfirmView,
    CountdownView,
    Frame,
    HistoryView,
    HomeView,
    InfoView,
    LevelUpView,
    ListItem,
    MessageView,
    RatingView,
    ReminderView,
    SafetyView,
    SleepView,
    SummaryView,
)

SIZES = [(480, 320), (800, 480), (1920, 1080), (480, 800)]
AREAS = tuple(ListItem(n) for n in ("Left arm", "Right arm", "Left leg", "Right leg", "Back", "Tummy", "Neck"))
VIEWS = {
    "home": HomeView(1, 4, (True, False, True, False, False, False, False), 2, line="Keep going!"),
    "home_no_checkin": HomeView(0, 4, (False,) * 7, 0, checkin_hint=False),
    "areas": ChoiceView("area", AREAS, 3),
    "techniques": ChoiceView("technique", (ListItem("Texture", header=True), ListItem("Soft touch"),
                                           ListItem("Towel rub", flagged=True, note=text.YOUR_LEVEL),
                                           ListItem("Pressure", header=True), ListItem("Tapping")), 1, "Left arm"),
    "safety": SafetyView("Ice rub", "Stop at once if the skin turns white or numb.", 1, 2),
    "before": RatingView("before", 3, "Left arm", "Towel rub"),
    "after": RatingView("after", 10, "Left arm", "Towel rub", stopped_early=True),
    "checkin": RatingView("checkin", 0, "", ""),
    "countdown": CountdownView("Towel rub", "Left arm", "Rub the towel up and down your arm", 1, 2, 95, 240, False, True),
    "paused": CountdownView("Towel rub", "Left arm", "Rub gently", 1, 1, 95, 240, True),
    "summary": SummaryView("Towel rub", "Left arm", 4, 2, Status.COMPLETED, 240, True),
    "reminder": ReminderView(1, 4),
    "history": HistoryView((), 4),
    "saved": CheckinSavedView(5, "14:02", "Left arm"),
    "levelup": LevelUpView("Left arm", "Soft touch", "Towel rub", 2, 4),
    "code": CodeView(2, 6),
    "message": MessageView("Export done", "6 files. You can remove the drive now."),
    "confirm": ConfirmView("Quit to the desktop?", "The kiosk stops.", (text.QUIT_NO, text.QUIT_YES), 0, danger=True),
    "info": InfoView("What is saved here?", ("Sessions", "Kept for 365 days")),
}
NOTICE = "No sound device found: sound cues are off."


def rect(target) -> pygame.Rect:
    return pygame.Rect(target.rect)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(VIEWS))
@pytest.mark.parametrize("notice", [None, NOTICE], ids=["", "notice"])
def test_every_target_is_a_finger_wide_and_tall_inside_the_screen_and_apart(size, name, notice):
    renderer = Renderer(size)
    targets = targets_for(Frame(VIEWS[name], notice, touch=True), size, renderer.typesetter)
    assert targets, "every screen but a dark one and a working message can be touched"
    least = min_target(size)
    screen = pygame.Rect(0, 0, *size)
    for t in targets:
        # A portrait screen has no room for eleven 48 px cells side by side: they are as
        # wide as the screen allows (40 px on a turned 800x480 panel) and twice as tall.
        narrow = size[0] < size[1] and t.value is not None
        assert rect(t).w >= (least * 0.8 if narrow else least) and rect(t).h >= least, f"{t.label!r} {t.rect} < {least} px"
        assert screen.contains(rect(t))
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            assert not rect(a).colliderect(rect(b)), f"{a.label!r} and {b.label!r} overlap"
    if notice:
        surface = pygame.Surface(size)
        renderer.draw(surface, Frame(VIEWS[name], notice))
        banner_top = min(r.top for words, r in renderer.text_boxes if words in NOTICE)
        assert all(rect(t).bottom <= banner_top for t in targets)


def test_the_minimum_is_48_px_at_800x480_and_scales():
    assert min_target((800, 480)) == 48
    assert min_target((1920, 1080)) == 108
    assert min_target((480, 320)) == 29


@pytest.mark.parametrize("size", SIZES[:3], ids=lambda s: f"{s[0]}x{s[1]}")
def test_what_each_screen_offers(size):
    def keys(name):
        return [(t.key, t.held) for t in targets_for(Frame(VIEWS[name], touch=True), size) if t.key]

    assert keys("home") == [(Key.BACK, None), (Key.UP, None), (Key.SELECT, None)]
    assert keys("home_no_checkin") == [(Key.BACK, None), (Key.SELECT, None)]
    assert keys("countdown") == [(Key.BACK, Key.BACK_HELD), (Key.SELECT, None)]
    assert keys("after") == [(Key.SELECT, None)]  # after a session back means nothing
    assert keys("before") == [(Key.BACK, None), (Key.SELECT, None)]
    before = targets_for(Frame(VIEWS["before"], touch=True), size)
    assert [t.value for t in before if t.value is not None] == list(range(11))
    cells = sorted((t for t in before if t.value is not None), key=lambda t: t.value)
    assert all(rect(a).right <= rect(b).left for a, b in itertools.pairwise(cells))  # 0..10 left to right
    areas = targets_for(Frame(VIEWS["areas"], touch=True), size)
    assert [t.item for t in areas if t.item is not None][:1] and all(
        AREAS[t.item].label == t.label for t in areas if t.item is not None)
    assert [t.item for t in targets_for(Frame(VIEWS["techniques"], touch=True), size) if t.item is not None] == [1, 2, 4]
    assert targets_for(Frame(SleepView(), touch=True), size) == []
    assert targets_for(Frame(MessageView("Exporting...", "", working=True), touch=True), size) == []


@pytest.mark.parametrize("size", SIZES[:3], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(VIEWS))
def test_the_buttons_are_drawn_where_their_targets_are(size, name):
    renderer = Renderer(size)
    surface = pygame.Surface(size)
    surface.fill(theme.BG)
    c = Canvas(surface, renderer.metrics, renderer.typesetter)
    frame = Frame(VIEWS[name], touch=True)
    draw_touch_frame(c, frame)
    for t in targets_for(frame, size, renderer.typesetter):
        if t.key is None:
            continue
        drawn = [r for words, r in c.boxes if words == t.label]
        assert drawn and any(rect(t).contains(r) for r in drawn), f"{t.label!r} is not drawn on its button"


@pytest.mark.parametrize("name", list(VIEWS))
def test_with_touch_off_a_screen_is_drawn_exactly_as_the_buttons_see_it(name):
    size = (800, 480)
    renderer = Renderer(size)
    plain, off = pygame.Surface(size), pygame.Surface(size)
    renderer.draw(plain, Frame(VIEWS[name]))
    boxes = list(renderer.text_boxes)
    renderer.draw(off, Frame(VIEWS[name], touch=False))
    assert pygame.image.tobytes(plain, "RGB") == pygame.image.tobytes(off, "RGB")
    assert not any(words in (text.TOUCH_START, text.TOUCH_SAVE, text.TOUCH_STOP) for words, _ in boxes)


def test_the_hold_ring_fills_over_the_stop_button_only():
    size = (800, 480)
    renderer = Renderer(size)
    surface = pygame.Surface(size)
    surface.fill(theme.BG)
    frame = Frame(VIEWS["countdown"], touch=True)
    draw_touch_frame(Canvas(surface, renderer.metrics, renderer.typesetter), frame)
    before = surface.copy()
    [stop] = [t for t in targets_for(frame, size) if t.held is Key.BACK_HELD]
    x, y, w, h = stop.rect
    assert draw_hold_progress(surface, frame, x + w / 2, y + h / 2, 0.5, renderer.typesetter) == rect(stop)
    changed = {(px, py) for px in range(0, size[0], 2) for py in range(0, size[1], 2)
               if surface.get_at((px, py)) != before.get_at((px, py))}
    assert changed and all(rect(stop).collidepoint(p) for p in changed)
    pause = next(t for t in targets_for(frame, size) if t.key is Key.SELECT)
    assert draw_hold_progress(surface, frame, *rect(pause).center, 0.5) is None
    assert hit(targets_for(frame, size), -5, -5) is None


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_button_word_is_cut_in_either_language(size, language):
    text.use(language)
    try:
        renderer = Renderer(size)
        for name, view in VIEWS.items():
            surface = pygame.Surface(size)
            c = Canvas(surface, renderer.metrics, renderer.typesetter)
            frame = Frame(view, touch=True)
            draw_touch_frame(c, frame)
            for t in targets_for(frame, size, renderer.typesetter):
                if t.key is None:
                    continue
                shown = " ".join(words for words, r in c.boxes if rect(t).contains(r))
                assert shown == t.label, f"{name}: {t.label!r} shown as {shown!r}"
    finally:
        text.use("en")


@pytest.mark.parametrize("size", SIZES[:3], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_renderer_draws_a_touch_frame_with_its_buttons(size):
    renderer = Renderer(size)
    surface = pygame.Surface(size)
    frame = Frame(VIEWS["home"], touch=True)
    renderer.draw(surface, frame)
    start = next(t for t in targets_for(frame, size, renderer.typesetter) if t.key is Key.SELECT)
    assert any(words == text.TOUCH_START and rect(start).contains(r) for words, r in renderer.text_boxes)
