"""The screens draw every sample frame at every supported size with all text on screen,
nothing overlapping, nothing too small, long texts fitted, and the essentials present."""

from __future__ import annotations

import ast
import time
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from kiosk import text as T
from kiosk.screens import Renderer
from kiosk.screens.choice import visible_window
from kiosk.screens.samples import SAMPLES, area_items, technique_items
from kiosk.views import (
    ChoiceView,
    CountdownView,
    Frame,
    HomeView,
    ListItem,
    RatingView,
    SafetyView,
    Status,
    SummaryView,
)

MAIN_SIZES = [(480, 320), (800, 480), (1920, 1080)]
SIZES = MAIN_SIZES + [(1024, 600), (1280, 720), (720, 1280), (480, 800), (1366, 768), (640, 480)]
SMALLEST_TEXT_PX = 15  # height of a rendered line, the key hints at 480x320


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.font.init()
    yield
    pygame.font.quit()


_renderers: dict[tuple[int, int], Renderer] = {}


def draw(frame: Frame, size: tuple[int, int]) -> tuple[Renderer, pygame.Surface]:
    renderer = _renderers.get(size)
    if renderer is None:
        renderer = _renderers[size] = Renderer(size)
    surface = pygame.Surface(size)
    renderer.draw(surface, frame)
    return renderer, surface


def scale(size: tuple[int, int]) -> float:
    return min(size[0] / 800, size[1] / 480)


def texts(renderer: Renderer) -> list[str]:
    return [t for t, _ in renderer.text_boxes]


def assert_sound_layout(renderer: Renderer, size: tuple[int, int]) -> None:
    boxes = renderer.text_boxes
    assert boxes, "nothing drawn"
    screen = pygame.Rect((0, 0), size)
    for text, rect in boxes:
        assert text.strip(), f"empty text box at {rect}"
        assert screen.contains(rect), f"{text!r} at {rect} is outside the {size} screen"
        assert rect.h >= SMALLEST_TEXT_PX, f"{text!r} is only {rect.h} px high"
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            assert not a.colliderect(b), f"{text_a!r} {a} overlaps {text_b!r} {b}"


def body_boxes(frame: Frame, renderer: Renderer) -> list[tuple[str, pygame.Rect]]:
    """The boxes of the texts a person must read from a distance on this screen."""
    v = frame.view
    if isinstance(v, ChoiceView):
        labels = {it.label for it in v.items if not it.header}
        return [(t, r) for t, r in renderer.text_boxes if t in labels]
    if isinstance(v, CountdownView):
        return [(t, r) for t, r in renderer.text_boxes if t in v.prompt]
    if isinstance(v, SafetyView):
        return [(t, r) for t, r in renderer.text_boxes if t in v.note]
    if isinstance(v, HomeView):
        return [(t, r) for t, r in renderer.text_boxes if t in (T.PRESS_SELECT_TO_START, T.today_count(v.done_today, v.target))]
    if isinstance(v, RatingView):
        return [(t, r) for t, r in renderer.text_boxes if t in (T.PAIN_BEFORE_TITLE, T.PAIN_AFTER_TITLE)]
    if isinstance(v, SummaryView):
        return [(t, r) for t, r in renderer.text_boxes if t in (T.SAVED, T.NOT_SAVED, T.COMPLETED, T.STOPPED_EARLY)]
    return []


# -- every sample at every size -----------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_fits_the_screen(name, size):
    frame = SAMPLES[name]
    renderer, _ = draw(frame, size)
    assert_sound_layout(renderer, size)
    body = body_boxes(frame, renderer)
    assert body, f"no body text found on {name}"
    least = 20 * max(1.0, scale(size)) * 0.95
    for text, rect in body:
        assert rect.h >= least, f"{text!r} is {rect.h} px high at {size}, want >= {least:.0f}"


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_body_text_on_the_smallest_screen_has_16px_capitals(size):
    # freesansbold's capitals are about 0.73 of a line's height: 22 px lines, 16 px capitals.
    renderer, surface = draw(SAMPLES["area"], size)
    label = "Left foot"
    rect = next(r for t, r in renderer.text_boxes if t == label)
    glyphs = surface.subsurface(rect).get_bounding_rect(min_alpha=1)
    assert rect.h >= 22 * max(1.0, scale(size))
    assert glyphs.h >= 16 * max(1.0, scale(size)) * 0.9


def test_every_sample_draws_something_different():
    # A renderer that draws nothing (or the same thing) for a view would pass the layout
    # checks above; the screens must actually differ.
    pictures = {}
    for name, frame in SAMPLES.items():
        _, surface = draw(frame, (800, 480))
        pictures[name] = pygame.image.tostring(surface, "RGB")
    assert len(set(pictures.values())) == len(pictures)


def test_equal_frames_draw_equal_pictures():
    frame = SAMPLES["technique_end"]
    _, a = draw(frame, (800, 480))
    b = pygame.Surface((800, 480))
    Renderer((800, 480)).draw(b, frame)
    assert pygame.image.tostring(a, "RGB") == pygame.image.tostring(b, "RGB")


# -- home --------------------------------------------------------------------------------
def test_home_shows_count_week_start_and_note():
    v = HomeView(done_today=1, target=4, week=(True, False, False, False, False, False, False), today_index=2)
    renderer, _ = draw(Frame(v), (800, 480))
    shown = texts(renderer)
    assert T.today_count(1, 4) in shown
    assert T.days_this_week(1) in shown
    assert T.PRESS_SELECT_TO_START in shown
    assert all(day in shown for day in T.WEEKDAYS)
    assert " ".join(shown).count("DESENS") >= 2  # the title and the treatment note
    assert T.ALL_DONE_TODAY not in shown
    big = next(r for t, r in renderer.text_boxes if t == T.today_count(1, 4))
    assert big.h == max(r.h for _, r in renderer.text_boxes), "Today N of M is the biggest text"


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_all_done_still_offers_start(size):
    renderer, _ = draw(SAMPLES["home_done"], size)
    assert T.ALL_DONE_TODAY in texts(renderer)
    assert T.PRESS_SELECT_TO_START in texts(renderer)


# -- lists -------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(480, 320), (800, 480), (480, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", ["area", "technique"])
def test_selected_row_is_always_visible(kind, size):
    items = area_items() if kind == "area" else technique_items()
    for notice in (None, SAMPLES["notice_technique"].notice):
        for i, item in enumerate(items):
            if item.header:
                continue
            view = ChoiceView(kind, items, selected=i, subtitle="Left lower leg" if kind == "technique" else "")
            renderer, _ = draw(Frame(view, notice), size)
            assert item.label in texts(renderer), f"selected {item.label!r} not drawn"
            assert_sound_layout(renderer, size)


def test_list_scrolls_and_shows_headers():
    items = technique_items()
    first = texts(draw(Frame(ChoiceView("technique", items, selected=1)), (480, 320))[0])
    last = texts(draw(Frame(ChoiceView("technique", items, selected=len(items) - 1)), (480, 320))[0])
    assert T.GROUP_NAMES["texture"].upper() in first
    assert T.GROUP_NAMES["temperature"].upper() in last
    assert "Warm cloth" not in first, "16 rows cannot all fit at 480x320"
    assert "Soft touch" not in last
    assert T.CHOOSE_TECHNIQUE in first and T.LIST_KEYS in first


def test_visible_window_keeps_selection_and_fits():
    items = technique_items()
    heights = [20 if it.header else 40 for it in items]
    for room in (40, 100, 250, 1000):
        for sel in range(len(items)):
            if items[sel].header:
                continue
            a, b = visible_window(items, sel, heights, room)
            assert a <= sel < b
            assert sum(heights[a:b]) <= max(room, heights[sel])
            if b < len(items):
                assert not items[b - 1].header or b - 1 == sel
    assert visible_window(items, 3, heights, 10_000) == (0, len(items))


def test_flagged_item_and_long_label_fit():
    items = (ListItem("x" * 80, flagged=True), ListItem("A very long technique name that goes on " * 3))
    for size in MAIN_SIZES:
        renderer, _ = draw(Frame(ChoiceView("technique", items, 0, subtitle="y" * 120)), size)
        assert_sound_layout(renderer, size)
        assert any(t.endswith(T.ELLIPSIS) for t in texts(renderer)), "over-long label not cut short"
        assert all(r.w <= size[0] for _, r in renderer.text_boxes)


# -- safety ------------------------------------------------------------------------------
def test_safety_shows_title_technique_note_and_keys():
    v = SAMPLES["safety"].view
    renderer, _ = draw(SAMPLES["safety"], (480, 320))
    shown = texts(renderer)
    assert T.SAFETY_TITLE in shown and v.technique in shown and T.SAFETY_KEYS in shown
    note_words = " ".join(t for t in shown if t in v.note).split()
    assert note_words == v.note.split(), "the whole note is shown at 480x320"


# -- rating ------------------------------------------------------------------------------
@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("phase", ["before", "after"])
def test_rating_scale_and_selected_value(phase, size):
    for value in range(11):
        renderer, surface = draw(Frame(RatingView(phase, value, "Left foot", "Towel rub")), size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        for n in range(11):
            assert str(n) in shown, f"cell {n} has no number"
        numbers = sorted((r for t, r in renderer.text_boxes if t == str(value)), key=lambda r: r.h)
        assert len(numbers) == 2, "the chosen value is drawn in its cell and big"
        cell_h = next(r.h for t, r in renderer.text_boxes if t == str((value + 1) % 11))
        assert numbers[0].h > cell_h, "the chosen cell's number is enlarged"
        assert numbers[1].h >= 2 * cell_h, "the chosen value is very big"
        assert T.PAIN_WORDS[value] in shown
        assert T.NO_PAIN in shown and T.WORST_PAIN in shown
        assert (T.RATING_KEYS_BACK if phase == "before" else T.RATING_KEYS) in shown
        assert (T.PAIN_BEFORE_STEP if phase == "before" else T.PAIN_AFTER_STEP) in shown
        assert T.STOPPED_EARLY_NOTE not in shown


def test_rating_cells_are_in_order_and_coloured():
    renderer, surface = draw(Frame(RatingView("before", 5, "Left foot", "Towel rub")), (800, 480))
    cells = {int(t): r for t, r in renderer.text_boxes if t.isdigit() and r.h < 100}
    assert sorted(cells) == list(range(11))
    xs = [cells[n].centerx for n in range(11)]
    assert xs == sorted(xs), "0 at the left, 10 at the right"
    no_pain = next(r for t, r in renderer.text_boxes if t == T.NO_PAIN)
    worst = next(r for t, r in renderer.text_boxes if t == T.WORST_PAIN)
    assert no_pain.centerx < cells[1].centerx and worst.centerx > cells[9].centerx
    # Colours run from green (0) to red (10): sample each cell's background.
    left = surface.get_at((cells[0].left + 1, cells[0].top + 1))
    right = surface.get_at((cells[10].left + 1, cells[10].top + 1))
    assert left.g > left.r and right.r > right.g


def test_rating_after_stopped_early_says_so():
    renderer, _ = draw(SAMPLES["pain_after_early"], (480, 320))
    assert T.STOPPED_EARLY_NOTE in texts(renderer)


# -- countdown ---------------------------------------------------------------------------
def countdown(**changes) -> CountdownView:
    base = CountdownView("Towel rub", "Left foot", "Rub the towel up and down.", 1, 1, 240, 240, False)
    return replace(base, **changes)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_countdown_time_is_huge(size):
    renderer, surface = draw(Frame(countdown(remaining=240)), size)
    assert_sound_layout(renderer, size)
    time_box = next(r for t, r in renderer.text_boxes if t == "04:00")
    assert time_box.h == max(r.h for _, r in renderer.text_boxes), "the time is the biggest text"
    digits = surface.subsurface(time_box).get_bounding_rect(min_alpha=1)
    if size == (800, 480):
        assert digits.h >= 150, f"digits only {digits.h} px tall at 800x480"
    assert digits.h >= 0.18 * max(size[0], size[1]) or digits.h >= 0.28 * min(size)


@pytest.mark.parametrize("remaining, shown", [(240, "04:00"), (59, "00:59"), (0, "00:00"), (305, "05:05")])
def test_countdown_formats_mm_ss(remaining, shown):
    renderer, _ = draw(Frame(countdown(remaining=remaining, total=360)), (800, 480))
    assert shown in texts(renderer)


def test_countdown_states():
    plain = texts(draw(Frame(countdown()), (800, 480))[0])
    assert T.PAUSE_KEYS in plain and T.PAUSED not in plain and T.HOLD_BACK_TO_STOP not in plain
    assert not any(t.startswith(T.step_of(1, 1)[:4]) for t in plain), "no 'Step 1 of 1'"
    paused = texts(draw(Frame(countdown(paused=True)), (800, 480))[0])
    assert T.PAUSED in paused and T.RESUME_KEYS in paused
    hinted = texts(draw(Frame(countdown(hint=True)), (800, 480))[0])
    assert T.HOLD_BACK_TO_STOP in hinted
    stepped = texts(draw(Frame(countdown(step=2, steps=3)), (800, 480))[0])
    assert T.step_of(2, 3) in stepped


def accent_shapes(frame: Frame, size=(800, 480)) -> int:
    """Pixels in the accent colour outside any text box (the ring, not the words)."""
    renderer, surface = draw(frame, size)
    mask = pygame.mask.from_threshold(surface, pygame.Color(64, 201, 188), (8, 8, 8, 255))
    for _, rect in renderer.text_boxes:
        mask.erase(pygame.mask.Mask(rect.size, fill=True), rect.topleft)
    return mask.count()


def test_countdown_ring_empties():
    full = accent_shapes(Frame(countdown(remaining=240, total=240)))
    half = accent_shapes(Frame(countdown(remaining=120, total=240)))
    none = accent_shapes(Frame(countdown(remaining=0, total=240)))
    assert full > 1000 and none == 0
    assert 0.4 < half / full < 0.6


def test_countdown_paused_greys_the_ring():
    assert accent_shapes(Frame(countdown(remaining=120)))
    assert accent_shapes(Frame(countdown(remaining=120, paused=True))) == 0


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_long_prompt_and_name_are_fitted(size):
    prompt = "Rub the rough side of the velcro slowly up and down the leg, " * 4
    v = countdown(technique="Supercalifragilisticexpialidocious" * 3, prompt=prompt, steps=12, step=11, hint=True)
    renderer, _ = draw(Frame(v, notice=SAMPLES["notice_countdown"].notice), size)
    assert_sound_layout(renderer, size)
    assert any(t.endswith(T.ELLIPSIS) for t in texts(renderer))
    assert "04:00" in texts(renderer)


# -- summary -----------------------------------------------------------------------------
def test_summary_completed():
    renderer, _ = draw(SAMPLES["summary"], (800, 480))
    shown = texts(renderer)
    for words in (T.SAVED, T.COMPLETED, "6", "3", T.BEFORE, T.AFTER, T.minutes_done(240), T.SUMMARY_KEYS):
        assert words in shown
    assert T.session_line("Left lower leg", "Towel rub") in shown


@pytest.mark.parametrize(
    "status, words", [(Status.STOPPED_EARLY, T.STOPPED_EARLY), (Status.INTERRUPTED, T.INTERRUPTED)]
)
def test_summary_endings(status, words):
    v = SummaryView("Tapping", "Left knee", 4, None, status, 130, saved=False)
    for size in MAIN_SIZES:
        renderer, _ = draw(Frame(v), size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        assert words in shown and T.NOT_SAVED in shown and T.SAVED not in shown
        assert T.NOT_RATED in " ".join(shown)  # may be wrapped in its tile


# -- notice ------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["home", "technique_end", "safety", "pain_before", "countdown_paused", "summary"])
def test_notice_banner_is_shown_below_the_content(name, size):
    notice = T.storage_problem("the disk is full")
    renderer, _ = draw(Frame(SAMPLES[name].view, notice), size)
    assert_sound_layout(renderer, size)
    banner = [(t, r) for t, r in renderer.text_boxes if t in notice]
    assert " ".join(t for t, _ in banner).split() == notice.split(), "the whole notice is shown"
    top = min(r.top for _, r in banner)
    assert all(r.bottom <= top for t, r in renderer.text_boxes if (t, r) not in banner)
    # The screen's essentials are still there.
    with_notice = len(renderer.text_boxes) - len(banner)
    plain, _ = draw(SAMPLES[name], size)
    assert with_notice >= len(plain.text_boxes) - 2


def test_huge_notice_is_cut_to_three_lines():
    notice = "Something went wrong with a very long explanation. " * 20
    renderer, _ = draw(Frame(SAMPLES["countdown"].view, notice), (480, 320))
    assert_sound_layout(renderer, (480, 320))
    banner = [t for t in texts(renderer) if t in notice or t.endswith(T.ELLIPSIS)]
    assert 1 <= len(banner) <= 3


# -- speed -------------------------------------------------------------------------------
def test_redraw_is_fast():
    size = (800, 480)
    renderer = Renderer(size)
    surface = pygame.Surface(size)
    views = [countdown(remaining=r, total=240, step=1 + (r % 3), steps=3) for r in range(240, 0, -1)]
    for v in views[:5]:
        renderer.draw(surface, Frame(v))
    start = time.perf_counter()
    for v in views:
        renderer.draw(surface, Frame(v))
    per_frame = (time.perf_counter() - start) / len(views)
    assert per_frame < 0.010, f"{per_frame * 1000:.1f} ms per countdown frame"


# -- the bundled configuration's own words --------------------------------------------------
def test_bundled_config_texts_fit():
    config = pytest.importorskip("kiosk.config").load_defaults()
    areas = tuple(ListItem(a.name) for a in config.areas)
    techniques = []
    for group in dict.fromkeys(t.group for t in config.techniques):
        techniques.append(ListItem(T.GROUP_NAMES[group.value], header=True))
        techniques.extend(ListItem(t.name, flagged=bool(t.safety)) for t in config.techniques if t.group == group)
    techniques = tuple(techniques)
    area = config.areas[0].name
    for size in MAIN_SIZES:
        frames = [Frame(ChoiceView("area", areas, i)) for i in range(len(areas))]
        frames += [
            Frame(ChoiceView("technique", techniques, i, subtitle=area))
            for i, it in enumerate(techniques)
            if not it.header
        ]
        for t in config.techniques:
            prompts = [s.prompt for s in t.steps] or [t.prompt]
            for n, prompt in enumerate(prompts, 1):
                frames.append(Frame(CountdownView(t.name, area, prompt, n, len(prompts), 240, 240, False)))
            if t.safety:
                frames.append(Frame(SafetyView(t.name, t.safety)))
            frames.append(Frame(SummaryView(t.name, area, 4, 2, Status.COMPLETED, 240, True)))
        for frame in frames:
            renderer, _ = draw(frame, size)
            assert_sound_layout(renderer, size)
            assert not any(t.endswith(T.ELLIPSIS) for t in texts(renderer)), "bundled texts are never cut short"


# -- words come from kiosk/text.py -------------------------------------------------------
# String literals the drawing code may contain: alignments, view kinds and phases it
# compares against, and number formats. Anything else would be a word drawn from code.
NOT_WORDS = {"", " ", "\n", " .,;:", "0", "10", ":", "02d", "left", "right", "center", "top", "bottom"}
NOT_WORDS |= {"area", "before", "largest", "Renderer"}


def test_drawing_code_has_no_words_of_its_own():
    folder = Path(__file__).resolve().parent.parent / "kiosk" / "screens"
    for path in sorted(folder.glob("*.py")):
        if path.name == "samples.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert node.value in NOT_WORDS, f"{path.name}:{node.lineno}: {node.value!r} belongs in kiosk/text.py"
