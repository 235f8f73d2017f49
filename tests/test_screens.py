"""The screens draw every sample frame at every supported size with all text on screen,
nothing overlapping, nothing too small, long texts fitted, and the essentials present."""

from __future__ import annotations

import ast
import time
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from kiosk import text
from kiosk.model import DayStat, Status
from kiosk.render import Renderer, charts, theme
from kiosk.render.layout import Fonts
from kiosk.render.samples import REPORT_SAMPLES, SAMPLES, area_items, history_days, technique_items
from kiosk.render.screens.choice import title_of, visible_window
from kiosk.render.screens.countdown import clock as countdown_clock
from kiosk.render.screens.rating import question_of
from kiosk.render.screens.summary import ending_words, reassurance
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
    ReportView,
    SafetyView,
    SleepView,
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


def glyph_height(surface: pygame.Surface, rect: pygame.Rect, background=theme.BG) -> int:
    """Height of the inked pixels inside `rect` (the glyphs, not the line's box): the rows
    holding a pixel that is not the background colour."""
    ink = pygame.mask.from_threshold(surface.subsurface(rect), pygame.Color(*background), (2, 2, 2, 255))
    ink.invert()
    rows = ink.get_bounding_rects()
    return (max(r.bottom for r in rows) - min(r.top for r in rows)) if rows else 0


def assert_sound_layout(renderer: Renderer, size: tuple[int, int]) -> None:
    boxes = renderer.text_boxes
    assert boxes, "nothing drawn"
    screen = pygame.Rect((0, 0), size)
    for words, rect in boxes:
        assert words.strip(), f"empty text box at {rect}"
        assert screen.contains(rect), f"{words!r} at {rect} is outside the {size} screen"
        assert rect.h >= SMALLEST_TEXT_PX, f"{words!r} is only {rect.h} px high"
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
        return [(t, r) for t, r in renderer.text_boxes if t in (text.PRESS_SELECT_TO_START, text.today_count(v.done_today, v.target))]
    if isinstance(v, RatingView):
        return [(t, r) for t, r in renderer.text_boxes if t in question_of(v)]
    if isinstance(v, SummaryView):
        ending = ending_words(v.status, v.counted, v.active_seconds)
        saved = [(t, r) for t, r in renderer.text_boxes if t in (text.SAVED, text.NOT_SAVED)]
        return saved + [(ending, r) for r in boxes_of(renderer, ending)]
    if isinstance(v, ConfirmView):
        return [(t, r) for t, r in renderer.text_boxes if t in v.title or t in v.answers]
    if isinstance(v, InfoView):  # read up close (the clinician's): its lines may be smaller
        return [(t, r) for t, r in renderer.text_boxes if t == v.title]
    wanted = {
        ReminderView: lambda: [text.today_count(v.done_today, v.target), text.REMINDER_START_KEYS],
        CheckinSavedView: lambda: [text.checkin_saved(v.rating, v.at), text.CHECKIN_UNDO_KEYS],
        LevelUpView: lambda: [text.LEVEL_UP_QUESTION, text.LEVEL_UP_YES_KEYS],
        HistoryView: lambda: [text.HISTORY_TITLE],
        CodeView: lambda: [text.CODE_TITLE, text.code_locked(v.locked_minutes)],
        MessageView: lambda: [v.title] + v.body.split(),
        ReportView: lambda: [text.REPORT_TITLE],
    }.get(type(v))
    if wanted is None:
        return []
    words = wanted()
    return [(t, r) for t, r in renderer.text_boxes if t in words or (isinstance(v, MessageView) and t in v.body)]


# -- every sample at every size -----------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_fits_the_screen(name, size):
    frame = SAMPLES[name]
    renderer, _ = draw(frame, size)
    if isinstance(frame.view, SleepView):
        assert renderer.text_boxes == []
        return
    assert_sound_layout(renderer, size)
    body = body_boxes(frame, renderer)
    assert body, f"no body text found on {name}"
    least = 20 * max(1.0, scale(size)) * 0.95
    for words, rect in body:
        assert rect.h >= least, f"{words!r} is {rect.h} px high at {size}, want >= {least:.0f}"


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_body_text_on_the_smallest_screen_has_16px_capitals(size):
    # freesansbold's capitals are about 0.73 of a line's height: 22 px lines, 16 px capitals.
    renderer, surface = draw(SAMPLES["area"], size)
    label = "Left foot"
    rect = next(r for t, r in renderer.text_boxes if t == label)
    assert rect.h >= 22 * max(1.0, scale(size))
    assert glyph_height(surface, rect) >= 16 * max(1.0, scale(size)) * 0.9  # "L", "f" and "t": capital height


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


# -- messages wrap; only names are ever cut short ------------------------------------------
def names_in(view) -> list[str]:
    """The names a view carries (techniques, areas, profiles, list items): the only texts
    that may be cut short with an ellipsis."""
    names = [getattr(view, field, "") or "" for field in ("technique", "area", "subtitle", "profile", "current", "next")]
    names += [item.label for item in getattr(view, "items", ())]
    if isinstance(view, ReportView):
        names.append(view.data.profile)
    return [n for n in names if n]


def assert_no_message_cut(frame: Frame, renderer: Renderer, label: str) -> None:
    names = names_in(frame.view)
    for words, _ in renderer.text_boxes:
        if words.endswith(text.ELLIPSIS):
            kept = words[: -len(text.ELLIPSIS)].rstrip()
            assert any(name.startswith(kept) for name in names), f"{label}: a message cut short: {words!r}"


NOTICES = {"storage": SAMPLES["notice"].notice, "config": SAMPLES["notice_technique"].notice, "sound": text.NO_SOUND}


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("notice", [None] + list(NOTICES), ids=lambda n: n or "no-notice")
def test_messages_are_wrapped_never_cut(notice, size):
    for name, frame in SAMPLES.items():
        frame = Frame(frame.view, NOTICES[notice] if notice else frame.notice)
        renderer, _ = draw(frame, size)
        if not isinstance(frame.view, SleepView):
            assert_sound_layout(renderer, size)
        assert_no_message_cut(frame, renderer, f"{name} at {size}")


LONGER_WORDS = {
    # Kinder, longer wordings of the kind issue 13 asks for: the screens must wrap them.
    "STOPPED_EARLY": "You stopped after a short time. That's OK: pain may rise at first, and that is the nerves retraining.",
    "STOPPED_EARLY_NOTE": "You stopped early. That's OK. Pain can rise at first: it does no harm and is part of retraining.",
    "HOLD_BACK_TO_STOP": "Hold back to stop. Pain may rise at first; that does no harm and is part of retraining.",
    "ALL_DONE_TODAY": "All done for today. Well done! Doing it on good days too keeps the progress going.",
}


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_longer_messages_wrap_too(size, monkeypatch):
    for name, words in LONGER_WORDS.items():
        monkeypatch.setattr(text, name, words)
    frames = [SAMPLES[n] for n in ("summary_stopped", "pain_after_early", "countdown_hint", "home_done", "notice_countdown")]
    frames += [Frame(f.view, SAMPLES["notice"].notice) for f in frames]
    for frame in frames:
        renderer = Renderer(size)
        renderer.draw(pygame.Surface(size), frame)
        assert_sound_layout(renderer, size)
        assert_no_message_cut(frame, renderer, f"{type(frame.view).__name__} at {size}")
        shown = " ".join(t for t, _ in renderer.text_boxes)
        assert any(" ".join(w.split()) in " ".join(shown.split()) for w in LONGER_WORDS.values())


HOME_LINES = text.TREATMENT_LINES + text.LOW_PAIN_LINES + (text.TREATMENT_NOTE,)


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_home_line_is_wrapped_whole(size):
    # "DESENS is one part of your treatment, with counselling and..." was cut at 480x320.
    for line in HOME_LINES:
        for done in (1, 4):
            for profile in (None, "Sam"):
                for notice in (None, *NOTICES.values()):
                    frame = Frame(HomeView(done, 4, (True, False, True, False, False, False, False), 2, profile, line), notice)
                    renderer, _ = draw(frame, size)
                    assert_sound_layout(renderer, size)
                    assert_no_message_cut(frame, renderer, f"{line!r} done={done} {profile} {notice!r}")
                    shown = " ".join(t for t, _ in renderer.text_boxes if t in line and t not in text.WEEKDAYS)
                    assert shown.split() == line.split(), f"{line!r} not shown whole at {size}: {shown!r}"


# -- home --------------------------------------------------------------------------------
def test_home_shows_count_week_start_and_note():
    v = HomeView(done_today=1, target=4, week=(True, False, False, False, False, False, False), today_index=2)
    renderer, _ = draw(Frame(v), (800, 480))
    shown = texts(renderer)
    assert text.today_count(1, 4) in shown
    assert text.days_this_week(1) in shown
    assert text.PRESS_SELECT_TO_START in shown
    assert all(day in shown for day in text.WEEKDAYS)
    assert " ".join(shown).count("DESENS") >= 2  # the title and the treatment note
    assert text.ALL_DONE_TODAY not in shown
    big = next(r for t, r in renderer.text_boxes if t == text.today_count(1, 4))
    assert big.h == max(r.h for _, r in renderer.text_boxes), "Today N of M is the biggest text"


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_all_done_still_offers_start(size):
    renderer, _ = draw(SAMPLES["home_done"], size)
    assert text.ALL_DONE_TODAY in texts(renderer)
    assert text.PRESS_SELECT_TO_START in texts(renderer)


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
    assert text.GROUP_NAMES["texture"].upper() in first
    assert text.GROUP_NAMES["temperature"].upper() in last
    assert "Warm cloth" not in first, "16 rows cannot all fit at 480x320"
    assert "Soft touch" not in last
    assert text.CHOOSE_TECHNIQUE in first and text.LIST_KEYS in first


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
        assert any(t.endswith(text.ELLIPSIS) for t in texts(renderer)), "over-long label not cut short"
        assert all(r.w <= size[0] for _, r in renderer.text_boxes)


# -- safety ------------------------------------------------------------------------------
def test_safety_shows_title_technique_note_and_keys():
    v = SAMPLES["safety"].view
    renderer, _ = draw(SAMPLES["safety"], (480, 320))
    shown = texts(renderer)
    assert text.SAFETY_TITLE in shown and v.technique in shown and text.SAFETY_KEYS in shown
    note_words = " ".join(t for t in shown if t in v.note).split()
    assert note_words == v.note.split(), "the whole note is shown at 480x320"
    assert text.page_of(1, 1) not in shown, "no page count for a note of one page"


# A note far too long for one screen: once cut with an ellipsis at 480x320 (issue 12).
LONG_NOTE = (
    "Put a towel under the area. Keep the ice moving all the time, in small circles, and never hold it "
    "still on one spot. Stop if your skin turns white, goes numb, stings or breaks. Use the ice for no "
    "longer than your therapist said. Do not use it where the skin is broken or has a rash. Dry the skin "
    "gently when you finish and let it warm up by itself. Tell a grown-up if the skin still looks pale "
    "after ten minutes, or if anything about it worries you."
)
A_SENTENCE_TOO_LONG = " ".join(["keep the ice cup moving in small slow circles over the sore skin"] * 8) + "."


def note_shown(renderer: Renderer, page: str) -> list[str]:
    return " ".join(t for t, _ in renderer.text_boxes if t in page).split()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_long_safety_note_pages_and_each_page_is_shown_whole(size):
    from kiosk.render import note_pages

    for note in (LONG_NOTE, A_SENTENCE_TOO_LONG, SAMPLES["safety"].view.note):
        pages = note_pages(note, size)
        assert " ".join(pages).split() == note.split(), "the pages hold the whole note, in order"
        for n, page in enumerate(pages, 1):
            for notice in (None, *NOTICES.values()):  # a notice takes room: the page shrinks, whole
                renderer, _ = draw(Frame(SafetyView("Ice rub", page, n, len(pages)), notice), size)
                assert_sound_layout(renderer, size)
                shown = texts(renderer)
                assert note_shown(renderer, page) == page.split(), f"page {n} of {len(pages)} not shown whole at {size}"
                assert not any(t.endswith(text.ELLIPSIS) for t in shown)
                if len(pages) > 1:
                    assert text.page_of(n, len(pages)) in shown


def test_a_long_safety_note_takes_pages_on_a_small_screen_and_splits_at_sentences():
    from kiosk.render import note_pages

    pages = note_pages(LONG_NOTE, (480, 320))
    assert len(pages) >= 2
    assert all(page.endswith(".") for page in pages), f"split mid-sentence: {pages}"
    assert len(note_pages(LONG_NOTE, (1920, 1080))) < len(pages), "a big screen needs fewer pages"
    # A sentence longer than a page is split between words, never inside one.
    long_pages = note_pages(A_SENTENCE_TOO_LONG, (480, 320))
    assert len(long_pages) >= 2
    words = set(A_SENTENCE_TOO_LONG.rstrip(".").split())
    assert all(w.rstrip(".") in words for page in long_pages for w in page.split())
    # A note that fits is one page, as it was written.
    assert note_pages("Keep the ice moving.", (480, 320)) == ("Keep the ice moving.",)


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_safety_pages_are_as_large_as_their_count_allows(size):
    # Of the splits into the fewest pages, the one with the largest words: no page crammed
    # at the smallest size while another is nearly empty.
    from kiosk.render import note_pages

    pages = note_pages(LONG_NOTE, size)
    renderer = Renderer(size)
    heights = []
    for n, page in enumerate(pages, 1):
        renderer.draw(pygame.Surface(size), Frame(SafetyView("Ice rub", page, n, len(pages))))
        heights.append(min(r.h for t, r in renderer.text_boxes if t in page))
    assert min(heights) >= SMALLEST_TEXT_PX + 5
    if len(pages) > 1:
        assert max(heights) - min(heights) <= max(heights) * 0.25, f"uneven pages: {heights}"


def test_safety_keys_say_next_until_the_last_page():
    from kiosk.render.screens.safety import safety_keys

    assert safety_keys(1, 1) == text.SAFETY_KEYS
    assert safety_keys(1, 3) == text.SAFETY_FIRST_PAGE_KEYS
    assert safety_keys(2, 3) == text.SAFETY_NEXT_KEYS
    assert safety_keys(3, 3) == text.SAFETY_LAST_KEYS
    for page, pages in ((1, 2), (2, 3)):
        assert "next" in safety_keys(page, pages) and "I understand" not in safety_keys(page, pages)
    assert "I understand" in safety_keys(2, 2)
    for name, keys in (("safety_page_1", text.SAFETY_FIRST_PAGE_KEYS), ("safety_page_2", text.SAFETY_LAST_KEYS)):
        for size in MAIN_SIZES:
            renderer, _ = draw(SAMPLES[name], size)
            assert keys in texts(renderer), f"{name} at {size}: keys cut or missing"


def test_the_renderer_splits_notes_for_its_own_size():
    from kiosk.render import note_pages, pages_needed
    from kiosk.render.samples import WARM_NOTE, WARM_NOTE_PAGES

    for size in ((480, 320), (800, 480)):
        renderer = Renderer(size)
        assert renderer.note_pages(LONG_NOTE) == note_pages(LONG_NOTE, size)
        assert renderer.note_pages(LONG_NOTE) is renderer.note_pages(LONG_NOTE), "kept, not measured again"
    assert note_pages(WARM_NOTE, (480, 320)) == WARM_NOTE_PAGES, "the sample pages are the real split"
    assert pages_needed(WARM_NOTE) == 2 == pages_needed(WARM_NOTE, (480, 320))
    assert pages_needed(SAMPLES["safety"].view.note) == 1
    assert pages_needed(LONG_NOTE * 2) > 2, "check-config warns about this one"


# -- rating ------------------------------------------------------------------------------
# The validated 0-10 scale has its numbers and two end anchors only (issue 13).
CATEGORY_WORDS = {"mild", "moderate", "severe", "very"}


def boxes_of(renderer: Renderer, words: str) -> list[pygame.Rect]:
    """The rects of `words` as drawn, wrapped or not (lines drawn one after another);
    fails unless they are all there."""
    boxes = renderer.text_boxes
    want = words.split()
    for start in range(len(boxes)):
        got: list[str] = []
        for end in range(start, len(boxes)):
            got += boxes[end][0].split()
            if got != want[: len(got)]:
                break
            if got == want:
                return [r for _, r in boxes[start : end + 1]]
    raise AssertionError(f"{words!r} not shown whole: {[t for t, _ in boxes]}")


def words_shown(renderer: Renderer) -> set[str]:
    return {w.strip(".,:;!?").lower() for t, _ in renderer.text_boxes for w in t.split()}


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("phase", ["before", "after", "checkin"])
def test_rating_scale_and_selected_value(phase, size):
    area, technique = ("", "") if phase == "checkin" else ("Left foot", "Towel rub")
    for value in range(11):
        v = RatingView(phase, value, area, technique)
        renderer, surface = draw(Frame(v), size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        for n in range(11):
            assert str(n) in shown, f"cell {n} has no number"
        numbers = sorted((r for t, r in renderer.text_boxes if t == str(value)), key=lambda r: r.h)
        assert len(numbers) == 2, "the chosen value is drawn in its cell and big"
        cell_h = next(r.h for t, r in renderer.text_boxes if t == str((value + 1) % 11))
        assert numbers[0].h > cell_h, "the chosen cell's number is enlarged"
        assert numbers[1].h >= 2 * cell_h, "the chosen value is very big"
        assert not words_shown(renderer) & CATEGORY_WORDS, "no category words on the validated scale"
        boxes_of(renderer, text.NO_PAIN)
        boxes_of(renderer, text.WORST_PAIN)
        boxes_of(renderer, question_of(v))
        keys = {"before": text.RATING_KEYS_BACK, "after": text.RATING_KEYS, "checkin": text.CHECKIN_KEYS}[phase]
        step = {"before": text.PAIN_BEFORE_STEP, "after": text.PAIN_AFTER_STEP, "checkin": text.CHECKIN_STEP}[phase]
        assert keys in shown and step in shown
        assert text.STOPPED_EARLY_NOTE not in shown


def test_one_question_everywhere_naming_the_area():
    assert text.WORST_PAIN == "worst pain you can imagine" and text.NO_PAIN == "no pain"
    assert text.pain_question("Left leg") == "How much does your left leg hurt right now?"
    assert text.pain_question("TENS site") == "How much does your TENS site hurt right now?"
    assert text.CHECKIN_TITLE == "How much pain do you have right now?"
    for phase in ("before", "after"):
        renderer, _ = draw(Frame(RatingView(phase, 4, "Left leg", "Towel rub")), (800, 480))
        boxes_of(renderer, "How much does your left leg hurt right now?")
        assert "Left leg" not in " ".join(texts(renderer)), "the area is named once, in the question"
        assert "Towel rub" in texts(renderer)
    # A check-in asks its own question, whatever area it may carry.
    renderer, _ = draw(Frame(RatingView("checkin", 4, "Left knee", "")), (800, 480))
    boxes_of(renderer, text.CHECKIN_TITLE)
    assert "Left knee" in texts(renderer)
    # The report names the same anchors.
    assert f"0 = {text.NO_PAIN}, 10 = {text.WORST_PAIN}" in text.REPORT_FOOTER


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (1024, 600)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_end_anchors_are_large_and_next_to_0_and_10(size):
    for name in ("pain_before", "pain_after_early", "checkin", "notice_pain"):
        renderer, _ = draw(SAMPLES[name], size)
        cells = {int(t): r for t, r in renderer.text_boxes if t.isdigit() and t != str(SAMPLES[name].view.value)}
        value = SAMPLES[name].view.value
        scale_bottom = max(r.bottom for r in cells.values())
        no_pain, worst = boxes_of(renderer, text.NO_PAIN), boxes_of(renderer, text.WORST_PAIN)
        pitch = (max(r.centerx for r in cells.values()) - min(r.centerx for r in cells.values())) / 10
        left_cell_x = cells[0].centerx if 0 in cells else cells[1].centerx - pitch
        right_cell_x = cells[10].centerx if 10 in cells else cells[9].centerx + pitch
        # Under the scale, starting at 0 and ending at 10.
        assert min(r.top for r in no_pain + worst) >= scale_bottom
        assert abs(no_pain[0].left - (left_cell_x - pitch / 2)) <= pitch / 2, f"{name}: 'no pain' not at 0"
        assert abs(max(r.right for r in worst) - (right_cell_x + pitch / 2)) <= pitch / 2, f"{name}: worst not at 10"
        assert max(r.right for r in no_pain) < min(r.left for r in worst), "the two anchors do not meet"
        # Large: both at one size, larger than the key hints.
        keys = next(r for t, r in renderer.text_boxes if t in (text.RATING_KEYS, text.RATING_KEYS_BACK, text.CHECKIN_KEYS))
        heights = [r.h for r in no_pain + worst]
        assert max(heights) - min(heights) <= 1, f"{name}: anchors at different sizes {heights}"
        assert no_pain[0].h >= keys.h * (1.0 if min(size) < 400 else 1.3), f"{name}: anchors {no_pain[0].h} px, keys {keys.h}"
        assert value is not None


def test_rating_cells_are_in_order_and_coloured():
    renderer, surface = draw(Frame(RatingView("before", 5, "Left foot", "Towel rub")), (800, 480))
    cells = {int(t): r for t, r in renderer.text_boxes if t.isdigit() and r.h < 100}
    assert sorted(cells) == list(range(11))
    xs = [cells[n].centerx for n in range(11)]
    assert xs == sorted(xs), "0 at the left, 10 at the right"
    no_pain = boxes_of(renderer, text.NO_PAIN)[0]
    worst = boxes_of(renderer, text.WORST_PAIN)[-1]
    assert no_pain.left < cells[1].left and worst.right > cells[9].right
    # Colours run from green (0) to red (10): sample each cell's background.
    left = surface.get_at((cells[0].left + 1, cells[0].top + 1))
    right = surface.get_at((cells[10].left + 1, cells[10].top + 1))
    assert left.g > left.r and right.r > right.g


def test_rating_after_stopped_early_says_so():
    renderer, _ = draw(SAMPLES["pain_after_early"], (480, 320))
    assert text.STOPPED_EARLY_NOTE in texts(renderer)


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
    digits = pygame.Rect(0, 0, time_box.w, glyph_height(surface, time_box))
    if size == (800, 480):
        assert digits.h >= 150, f"digits only {digits.h} px tall at 800x480"
    assert digits.h >= 0.18 * max(size) or digits.h >= 0.24 * min(size), f"digits {digits.h} px tall at {size}"


def countdown_prompt_capitals(size, **changes) -> tuple[int, Renderer, pygame.Surface]:
    """The capitals' height of a prompt written in capitals only (no descenders), so the
    inked height of a line is the capital height."""
    prompt = "RUB THE TOWEL UP AND DOWN"
    renderer, surface = draw(Frame(countdown(prompt=prompt, **changes)), size)
    lines = [r for t, r in renderer.text_boxes if t and t in prompt]
    assert " ".join(t for t, _ in renderer.text_boxes if t and t in prompt).split() == prompt.split()
    return min(glyph_height(surface, r) for r in lines), renderer, surface


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_countdown_prompt_is_readable_from_the_bed(size):
    # About 6 mm capitals on a 7" 800x480 panel: 40 px, growing with the screen.
    for paused in (False, True):
        caps, renderer, _ = countdown_prompt_capitals(size, paused=paused, steps=3, step=2)
        want = 40 * scale(size) if min(size) >= 480 else 24
        assert caps >= want * 0.95, f"prompt capitals {caps} px at {size}, want >= {want:.0f}"
        assert_sound_layout(renderer, size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["countdown", "countdown_paused", "countdown_hint", "countdown_start", "countdown_long"])
def test_countdown_prompt_is_second_only_to_the_time(name, size):
    v = SAMPLES[name].view
    renderer, surface = draw(SAMPLES[name], size)
    time_box = next(r for t, r in renderer.text_boxes if t == countdown_clock(v.remaining))
    prompt = [r for t, r in renderer.text_boxes if t in v.prompt]
    others = [r for t, r in renderer.text_boxes if t not in v.prompt and r != time_box]
    assert prompt, "no prompt drawn"
    assert max(r.h for r in others) < min(r.h for r in prompt) < time_box.h, "time, then the prompt, then the rest"
    assert glyph_height(surface, time_box) >= 2 * max(glyph_height(surface, r) for r in prompt)


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_countdown_keys_are_readable_at_arms_length(size):
    # Key hints on the countdown: a line at least 26 px high at 800x480 (capitals ~20 px),
    # larger than the key hints of screens read up close.
    for view in (countdown(), countdown(paused=True)):
        renderer, _ = draw(Frame(view), size)
        words = text.RESUME_KEYS if view.paused else text.PAUSE_KEYS
        keys = next(r for t, r in renderer.text_boxes if t == words)
        list_keys = next(r for t, r in draw(SAMPLES["area"], size)[0].text_boxes if t == text.LIST_KEYS)
        assert keys.h >= 26 * max(1.0, scale(size)) or (size == (480, 320) and keys.h >= 20)
        assert keys.h > list_keys.h


@pytest.mark.parametrize("remaining, shown", [(240, "04:00"), (59, "00:59"), (0, "00:00"), (305, "05:05")])
def test_countdown_formats_mm_ss(remaining, shown):
    renderer, _ = draw(Frame(countdown(remaining=remaining, total=360)), (800, 480))
    assert shown in texts(renderer)


def test_countdown_states():
    plain = texts(draw(Frame(countdown()), (800, 480))[0])
    assert text.PAUSE_KEYS in plain and text.PAUSED not in plain and text.HOLD_BACK_TO_STOP not in plain
    assert not any(t.startswith(text.step_of(1, 1)[:4]) for t in plain), "no 'Step 1 of 1'"
    paused = texts(draw(Frame(countdown(paused=True)), (800, 480))[0])
    assert text.PAUSED in paused and text.RESUME_KEYS in paused
    hinted = draw(Frame(countdown(hint=True)), (800, 480))[0]
    boxes_of(hinted, text.HOLD_BACK_TO_STOP)
    stepped = texts(draw(Frame(countdown(step=2, steps=3)), (800, 480))[0])
    assert text.step_of(2, 3) in stepped


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
    assert any(t.endswith(text.ELLIPSIS) for t in texts(renderer))
    assert "04:00" in texts(renderer)


# -- summary -----------------------------------------------------------------------------
def test_summary_completed():
    renderer, _ = draw(SAMPLES["summary"], (800, 480))
    shown = texts(renderer)
    for words in (text.SAVED, text.COMPLETED, "6", "3", text.BEFORE, text.AFTER, text.minutes_done(240), text.SUMMARY_KEYS):
        assert words in shown
    assert text.session_line("Left leg", "Towel rub") in shown


@pytest.mark.parametrize(
    "status, words", [(Status.STOPPED_EARLY, text.STOPPED_EARLY), (Status.INTERRUPTED, text.INTERRUPTED)]
)
def test_summary_endings(status, words):
    v = SummaryView("Tapping", "Left knee", 4, None, status, 130, saved=False)
    for size in MAIN_SIZES:
        renderer, _ = draw(Frame(v), size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        assert words in shown and text.NOT_SAVED in shown and text.SAVED not in shown
        assert text.NOT_RATED in " ".join(shown)  # may be wrapped in its tile


# -- notice ------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["home", "technique_end", "safety", "pain_before", "countdown_paused", "summary"])
def test_notice_banner_is_shown_below_the_content(name, size):
    notice = text.storage_problem("the disk is full")
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
    banner = [t for t in texts(renderer) if t in notice or t.endswith(text.ELLIPSIS)]
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
        techniques.append(ListItem(text.GROUP_NAMES[group.value], header=True))
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
            assert not any(t.endswith(text.ELLIPSIS) for t in texts(renderer)), "bundled texts are never cut short"


# -- words come from kiosk/text.py -------------------------------------------------------
# String literals the drawing code may contain: alignments, view kinds and phases it
# compares against, and number formats. Anything else would be a word drawn from code.
NOT_WORDS = {"", " ", "\n", " .,;:", "0", "10", ":", "02d", "left", "right", "center", "top", "bottom"}
NOT_WORDS |= {"area", "before", "largest", "Renderer", "note_pages", "pages_needed"}  # and the package's names
NOT_WORDS |= {"technique", "profile", "checkin_area", "clinician", "checkin", "export_period", "level_area",
              "level_choice"}  # view kinds and phases
# Chart series and legend kinds, and the names of the report's printed figures.
NOT_WORDS |= {"5", "bar", "bar_met", "target", "after", "less", "more", "pain_before", "pain_after", "sessions", "pain"}
NOT_WORDS |= {"unsynced", "unsynced_days"}  # the day mark's legend kind, and its figure on the report
NOT_WORDS |= {r"(?<=[.!?…])[\"')\]]*\s+|\s*\n\s*"}  # where a safety note may be split into pages
NOT_WORDS |= {"change:", "change_sessions:", "minutes_by_area", "minutes_by_technique", "prompts"}
NOT_WORDS |= {"RGB", "PDF"}  # image and file formats


def test_drawing_code_has_no_words_of_its_own():
    kiosk = Path(__file__).resolve().parent.parent / "kiosk"
    for path in sorted(kiosk.joinpath("render").rglob("*.py")):
        if path.name in ("samples.py", "glyphs.py"):  # example words; a font file's binary layout
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


# -- daily life, check-ins, the clinician (issues 3, 4, 8) ---------------------------------
ALL_SIZES_NEW = MAIN_SIZES + [(720, 1280), (480, 800)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sleep_is_all_black_and_draws_no_text(size):
    renderer = Renderer(size)
    surface = pygame.Surface(size)
    surface.fill((200, 100, 50))
    for notice in (None, text.NO_SOUND):
        renderer.draw(surface, Frame(SleepView(), notice))
        assert renderer.text_boxes == []
        assert surface.get_bounding_rect(min_alpha=1).size in ((0, 0), size)
        assert pygame.transform.average_color(surface)[:3] == (0, 0, 0)
        mask = pygame.mask.from_threshold(surface, pygame.Color(0, 0, 0), (1, 1, 1, 255))
        assert mask.count() == size[0] * size[1], "every pixel black"


def test_sleep_is_cheap():
    renderer = Renderer((1920, 1080))
    surface = pygame.Surface((1920, 1080))
    start = time.perf_counter()
    for _ in range(20):
        renderer.draw(surface, Frame(SleepView()))
    assert (time.perf_counter() - start) / 20 < 0.01


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_shows_profile_line_and_the_other_keys(size):
    v = SAMPLES["home_profile"].view
    renderer, _ = draw(SAMPLES["home_profile"], size)
    shown = texts(renderer)
    joined = " ".join(shown)
    assert text.profile_title("Sam") in shown
    assert text.HOME_CHECKIN_KEYS in shown and text.HOME_HISTORY_KEYS in shown
    assert " ".join(v.line.split()) in " ".join(joined.split()), "the rotating line replaces the note"
    assert text.TREATMENT_NOTE not in joined
    plain = texts(draw(SAMPLES["home"], size)[0])
    assert text.APP_TITLE in plain and "Sam" not in " ".join(plain)
    assert " ".join(text.TREATMENT_NOTE.split()) in " ".join(" ".join(plain).split())


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reminder(size):
    for name in ("reminder", "reminder_profile"):
        v = SAMPLES[name].view
        renderer, _ = draw(SAMPLES[name], size)
        shown = texts(renderer)
        assert text.today_count(v.done_today, v.target) in shown
        assert text.REMINDER_START_KEYS in shown and text.REMINDER_LATER_KEYS in shown
        assert " ".join(text.REMINDER_TITLE.split()) == " ".join(t for t in shown if t in text.REMINDER_TITLE)
        assert (v.profile in shown) if v.profile else True


LIST_KINDS = ("area", "technique", "profile", "checkin_area", "clinician", "export_period", "level_area")


@pytest.mark.parametrize("kind", LIST_KINDS)
def test_each_list_kind_has_its_title(kind):
    renderer, _ = draw(Frame(ChoiceView(kind, area_items(), selected=0)), (800, 480))
    assert title_of(kind) in texts(renderer)
    assert len({title_of(k) for k in LIST_KINDS}) == len(LIST_KINDS)


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_list_notes_are_drawn_right_of_their_labels(size):
    frame = SAMPLES["technique_graded"]
    renderer, _ = draw(frame, size)
    assert_sound_layout(renderer, size)
    boxes = dict(renderer.text_boxes)
    for item in frame.view.items:
        assert item.note in boxes, f"note {item.note!r} not drawn"
        assert boxes[item.note].left > boxes[item.label].right
        assert abs(boxes[item.note].centery - boxes[item.label].centery) <= 3
    long = (ListItem("A technique with a very long name indeed, longer than any", note=text.YOUR_LEVEL),)
    renderer, _ = draw(Frame(ChoiceView("technique", long, 0)), size)
    assert_sound_layout(renderer, size)
    assert text.YOUR_LEVEL in texts(renderer)


def test_checkin_area_list_starts_with_no_particular_place():
    renderer, _ = draw(SAMPLES["checkin_area"], (480, 320))
    shown = texts(renderer)
    assert text.CHOOSE_CHECKIN_AREA in shown and text.NO_PARTICULAR_PLACE in shown


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checkin_rating(size):
    for value in (0, 5, 10):
        renderer, _ = draw(Frame(RatingView("checkin", value, "", "")), size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        boxes_of(renderer, text.CHECKIN_TITLE)
        assert text.CHECKIN_KEYS in shown and text.CHECKIN_STEP in shown
        assert not words_shown(renderer) & CATEGORY_WORDS
        assert not any("·" in t for t in shown), "no empty area · technique line"
        assert text.PAIN_BEFORE_STEP not in shown and text.PAIN_AFTER_STEP not in shown
    renderer, _ = draw(Frame(RatingView("checkin", 3, "Left knee", "")), size)
    assert "Left knee" in texts(renderer)


@pytest.mark.parametrize("size", ALL_SIZES_NEW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checkin_saved(size):
    for v in (CheckinSavedView(5, "14:02", "Left lower leg"), CheckinSavedView(10, "23:59", None), CheckinSavedView(0, "07:00", "")):
        renderer, surface = draw(Frame(v), size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        assert text.checkin_saved(v.rating, v.at) in shown and text.CHECKIN_UNDO_KEYS in shown
        assert (v.area in shown) if v.area else len(shown) == 2, "the band and undo: no category word"
        assert not words_shown(renderer) & CATEGORY_WORDS
        saved = next(r for t, r in renderer.text_boxes if t == text.checkin_saved(v.rating, v.at))
        undo = next(r for t, r in renderer.text_boxes if t == text.CHECKIN_UNDO_KEYS)
        hint_h = draw(SAMPLES["area"], size)[0].text_boxes[-1][1].h
        assert undo.h > hint_h * 1.3, "undo is drawn larger than an ordinary key hint"
        # The band behind the words is the rating's colour.
        assert tuple(surface.get_at((saved.left - 2, saved.top + 1)))[:3] == theme.pain_color(v.rating)


@pytest.mark.parametrize("size", ALL_SIZES_NEW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_level_up(size):
    for name in ("level_up", "level_up_long"):
        v = SAMPLES[name].view
        renderer, _ = draw(SAMPLES[name], size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        joined = " ".join(shown)
        for words in (text.LEVEL_UP_TITLE, text.LEVEL_UP_QUESTION, text.level_of(v.level, v.levels), text.LEVEL_UP_YES_KEYS, text.LEVEL_UP_NO_KEYS):
            assert words in shown
        assert " ".join(v.current.split()) in joined and " ".join(v.next.split()) in joined
        if name == "level_up":
            current = max(r.right for t, r in renderer.text_boxes if t in v.current)
            nxt = min(r.left for t, r in renderer.text_boxes if t in v.next)
            assert current < nxt, "current at the left, the next level at the right"


@pytest.mark.parametrize("size", ALL_SIZES_NEW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_code_view_never_shows_which_buttons(size):
    names = set(text.BUTTON_NAMES.values()) | set(text.BUTTON_NAMES)
    for length in (3, 4, 6):
        previous = None
        for entered in range(length + 1):
            renderer, surface = draw(Frame(CodeView(entered, length)), size)
            assert_sound_layout(renderer, size)
            shown = texts(renderer)
            assert text.CODE_TITLE in shown
            words = {w.strip(".,:;!?").lower() for t in shown for w in t.split()}
            assert not words & names, f"button names shown: {words & names}"
            picture = pygame.image.tostring(surface, "RGB")
            assert picture != previous, "each press changes the picture"
            previous = picture


def test_code_view_counts_presses_not_buttons():
    # The same count draws the same picture, whatever was pressed: the view only has counts.
    a = pygame.image.tostring(draw(Frame(CodeView(2, 4)), (800, 480))[1], "RGB")
    b = pygame.image.tostring(draw(Frame(CodeView(2, 4)), (800, 480))[1], "RGB")
    assert a == b
    assert accent_shapes(Frame(CodeView(3, 4))) > accent_shapes(Frame(CodeView(1, 4))) > accent_shapes(Frame(CodeView(0, 4)))


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_message_colours(size):
    def warm(frame) -> int:
        renderer, surface = draw(frame, size)
        assert_sound_layout(renderer, size)
        return pygame.mask.from_threshold(surface, pygame.Color(*theme.WARN), (8, 8, 8, 255)).count()

    ok, bad = SAMPLES["message_ok"], SAMPLES["message_error"]
    assert accent_shapes(ok, size) > 50 and warm(ok) == 0
    assert warm(bad) > 50 and accent_shapes(bad, size) == 0
    long = MessageView("A title that is much too long for one line of the screen " * 2, "word " * 200, ok=False)
    renderer, _ = draw(Frame(long), size)
    assert_sound_layout(renderer, size)
    assert text.MESSAGE_KEYS in texts(renderer)


# -- history chart ---------------------------------------------------------------------------
def chart_surface(size=(800, 300)):
    surface = pygame.Surface(size)
    surface.fill(theme.BG)
    return surface, charts.ChartStyle.dark(Fonts(), 22, scale=1.0)


def column_count(surface, x: int, rect: pygame.Rect, colors) -> int:
    return sum(1 for y in range(rect.top, rect.bottom + 1) if tuple(surface.get_at((x, y)))[:3] in colors)


def test_history_bars_grow_with_sessions_and_the_target_is_drawn():
    days = history_days()
    surface, style = chart_surface()
    chart = charts.sessions_bars(surface, pygame.Rect(10, 10, 780, 280), days, 4, style)
    heights = [column_count(surface, x, chart.plot, (style.bar, style.bar_met)) for x in chart.xs]
    for (a, ha), (b, hb) in zip(zip(days, heights), zip(days[1:], heights[1:])):
        if a.sessions < b.sessions:
            assert ha < hb, f"{a.sessions} sessions drawn {ha} px, {b.sessions} drawn {hb} px"
        if a.sessions == b.sessions:
            assert abs(ha - hb) <= 2
    assert all(h == 0 for d, h in zip(days, heights) if d.sessions == 0), "no bar on a day without sessions"
    met = [column_count(surface, x, chart.plot, (style.bar_met,)) for x in chart.xs]
    assert all((m > 0) == (d.sessions >= 4) for d, m in zip(days, met)), "days at the target stand out"
    y = chart.value_y(4)
    on_line = sum(1 for x in range(chart.plot.left, chart.plot.right) if tuple(surface.get_at((x, y)))[:3] == style.target)
    assert on_line > chart.plot.w * 0.3, "the target line runs across the chart"
    assert "4" in [t for t, _ in chart.texts] and "0" in [t for t, _ in chart.texts]


def test_history_pain_lines_leave_gaps_and_mark_checkins():
    days = history_days()
    surface, style = chart_surface((800, 320))
    chart = charts.pain_lines(surface, pygame.Rect(10, 10, 780, 300), days, style)
    lines = (style.before, style.after)
    between = [(chart.xs[i] + chart.xs[i + 1]) // 2 for i in range(len(days) - 1)]
    for i, x in enumerate(between):
        a, b = days[i], days[i + 1]
        drawn = column_count(surface, x, chart.plot, lines)
        if a.pain_before is None or b.pain_before is None:
            assert column_count(surface, x, chart.plot, (style.before,)) == 0, f"line drawn across the gap after {a.day}"
        if None not in (a.pain_before, b.pain_before, a.pain_after, b.pain_after):
            assert drawn > 0, f"no line between {a.day} and {b.day}"
    for x, d in zip(chart.xs, days):
        if d.pain_before is None and d.pain_after is None:
            assert column_count(surface, x, chart.plot, lines) == 0, f"something drawn on {d.day}, a day without sessions"
    # Check-ins are diamonds of their own colour, within their day.
    slot = chart.xs[1] - chart.xs[0]
    for x, d in zip(chart.xs, days):
        found = sum(column_count(surface, xx, chart.plot, (style.checkin,)) for xx in range(x - slot // 2 + 1, x + slot // 2))
        assert (found > 0) == bool(d.checkins), f"check-in markers on {d.day}"
    labels = [t for t, _ in chart.texts]
    assert {"0", "5", "10"} <= set(labels)
    assert text.WEEKDAYS[days[-1].day.weekday()] in labels


def test_history_screen_lines_up_both_charts_and_has_a_legend():
    renderer, surface = draw(SAMPLES["history"], (800, 480))
    shown = texts(renderer)
    for words in (text.HISTORY_TITLE, text.SESSIONS_A_DAY, text.PAIN_CHART_TITLE, text.BEFORE, text.AFTER, text.CHECKIN, text.TARGET, text.HISTORY_KEYS):
        assert words in shown
    assert text.last_days(14) in shown
    profile = texts(draw(SAMPLES["history_profile"], (800, 480))[0])
    assert "Mia" in profile
    # Both charts' y labels share one column.
    zero = [r for t, r in renderer.text_boxes if t == "0"]
    assert len(zero) == 2 and zero[0].right == zero[1].right


def history_charts(size, days=None, target=4) -> tuple[dict, list[tuple[str, pygame.Rect]]]:
    """The progress screen drawn as the renderer draws it: (its charts by name, every
    text drawn)."""
    from kiosk.render.layout import Metrics, Typesetter
    from kiosk.render.screens import history
    from kiosk.render.widgets import Canvas

    surface = pygame.Surface(size)
    c = Canvas(surface, Metrics(size), Typesetter(Fonts()))
    m = c.m
    drawn = history.draw(c, pygame.Rect(m.margin, m.margin, m.w - 2 * m.margin, m.h - 2 * m.margin), HistoryView(days or history_days(), target))
    return drawn, c.boxes


def axis_dates(boxes, days) -> list[tuple[str, pygame.Rect]]:
    words = {text.short_date(d.day) for d in days} | {text.long_date(d.day) for d in days}
    return [(t, r) for t, r in boxes if t in words]


@pytest.mark.parametrize("size", MAIN_SIZES + [(1024, 600), (480, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_history_is_readable_from_the_bed(size):
    days = history_days()
    renderer, _ = draw(SAMPLES["history"], size)
    assert_sound_layout(renderer, size)
    boxes = renderer.text_boxes
    # Fewer labels: dates every few days, not a word under every day.
    dates = axis_dates(boxes, days)
    assert 3 <= len(dates) <= 7, f"{len(dates)} date labels for 14 days"
    assert not any(t in text.WEEKDAYS for t, _ in boxes), "dates on the axis, not weekdays"
    assert len(boxes) <= 20, f"{len(boxes)} texts on the progress screen"
    # Larger: every label at least the size of the secondary lines of other screens.
    least = min(r.h for _, r in boxes)
    want = 22 * scale(size) if min(size) >= 480 else 17
    assert least >= want, f"a label only {least} px high at {size}, want >= {want:.0f}"


@pytest.mark.parametrize("size", MAIN_SIZES + [(1024, 600), (480, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_history_markers_never_overlap(size):
    drawn, boxes = history_charts(size)
    markers = drawn["pain"].markers
    days = history_days()
    expected = sum((d.pain_before is not None) + (d.pain_after is not None) for d in days)
    assert sum(1 for kind, _ in markers if kind != charts.CHECKIN) == expected, "every before and after is marked"
    named = text.CHECKIN in [t for t, _ in boxes]
    assert any(kind == charts.CHECKIN for kind, _ in markers) == named, "check-ins marked when the legend names them"
    if size[0] >= 800:
        assert named, f"no room for check-ins at {size}"
    for i, (kind_a, a) in enumerate(markers):
        for kind_b, b in markers[i + 1 :]:
            assert not a.colliderect(b), f"{kind_a} {a} overlaps {kind_b} {b}"
        for words, r in boxes:
            assert not a.colliderect(r), f"{kind_a} {a} covers {words!r}"
    # Each marker stays within its own day.
    xs, slot = drawn["pain"].xs, drawn["pain"].xs[1] - drawn["pain"].xs[0]
    for kind, r in markers:
        assert any(x - slot / 2 <= r.centerx <= x + slot / 2 for x in xs)


@pytest.mark.parametrize("days", [1, 2, 7, 30, 90])
@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_history_of_any_length_fits(days, size):
    first = history_days()[-1].day
    stats = tuple(DayStat(first.fromordinal(first.toordinal() - days + 1 + i), i % 6, (i % 9) or None, i % 5, (i % 11,)) for i in range(days))
    renderer, _ = draw(Frame(HistoryView(stats, target=5, profile="Sam")), size)
    assert_sound_layout(renderer, size)


# -- the report on the screen ------------------------------------------------------------------
@pytest.mark.parametrize("size", ALL_SIZES_NEW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_report_view(size):
    for name in ("report", "report_90", "report_empty"):
        d = SAMPLES[name].view.data
        renderer, _ = draw(SAMPLES[name], size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        assert text.REPORT_TITLE in shown and text.REPORT_KEYS in shown and d.profile in shown
        assert text.percent(d.adherence) in shown
        for words, n in ((text.SESSIONS, d.sessions), (text.COMPLETED_COUNT, d.completed), (text.STOPPED_EARLY_COUNT, d.stopped_early), (text.INTERRUPTED_COUNT, d.interrupted)):
            assert words in shown and str(n) in shown
        assert (text.SAMPLE_DATA_SHORT in shown) == d.demo
        assert (text.NO_SESSIONS in " ".join(shown)) == (d.sessions == 0)


def test_report_view_of_one_session():
    renderer, _ = draw(Frame(ReportView(REPORT_SAMPLES["report_one"])), (480, 320))
    assert_sound_layout(renderer, (480, 320))
    assert text.SESSIONS_A_DAY in texts(renderer)


def test_a_long_countdown_does_not_fill_memory_with_rendered_times():
    """Each second renders a new huge mm:ss; the text cache is bounded by bytes, not only
    by count (at 1080p every time is ~2.8 MB: 384 of them would be 1 GB)."""
    from kiosk.render.layout import RENDER_BUDGET

    size = (1920, 1080)
    surface = pygame.Surface(size)
    renderer = Renderer(size)
    for second in range(1800, 1500, -1):
        renderer.draw(surface, Frame(CountdownView("Towel rub", "Left leg", "Rub up and down", 1, 2, second, 1800, False)))
    renders = renderer.typesetter._renders
    assert renders.weight <= RENDER_BUDGET
    assert renders.weight == sum(s.get_width() * s.get_height() * s.get_bytesize() for s in renders.values())


# -- honest counts, kind words (issue 13) -----------------------------------------------------
@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_short_stop_is_told_truly_and_kindly(size):
    v = SAMPLES["summary_short"].view
    assert not v.counted and v.status is Status.STOPPED_EARLY
    for notice in (None, *NOTICES.values()):
        frame = Frame(v, notice)
        renderer, _ = draw(frame, size)
        assert_sound_layout(renderer, size)
        assert_no_message_cut(frame, renderer, f"summary_short at {size}")
        boxes_of(renderer, text.stopped_short(v.active_seconds))
        boxes_of(renderer, text.PAIN_MAY_RISE)
        joined = " ".join(texts(renderer)).lower()
        assert "0:40" in joined, "the time done is said"
        assert "counts" not in joined and "still count" not in joined
        assert text.minutes_done(v.active_seconds) not in texts(renderer), "the time is said once"
        assert text.SUMMARY_KEYS in texts(renderer)


def test_how_a_session_ended_in_words():
    assert ending_words(Status.COMPLETED) == text.COMPLETED
    assert ending_words(Status.STOPPED_EARLY) == text.STOPPED_EARLY
    assert ending_words(Status.STOPPED_EARLY, counted=False, seconds=95) == text.stopped_short(95)
    assert "1:35" in text.stopped_short(95) and "0:09" in text.stopped_short(9)
    interrupted = ending_words(Status.INTERRUPTED, counted=False, seconds=20)
    assert text.INTERRUPTED in interrupted and text.NOT_COUNTED in interrupted
    assert reassurance(Status.STOPPED_EARLY) == text.PAIN_MAY_RISE
    assert reassurance(Status.COMPLETED) == reassurance(Status.INTERRUPTED) == ""
    # No word anywhere says a short stop "still counts".
    strings = [getattr(text, n) for n in dir(text) if n.isupper() and isinstance(getattr(text, n), str)]
    assert not any("still counts" in s for s in strings + [text.stopped_short(10)])


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_where_a_child_may_stop_the_screen_says_pain_may_rise_and_stopping_stays_easy(size):
    # The stop hint: how to stop comes first, then the calm words; the stopped-early summary
    # says it too. A finished session does not.
    assert text.HOLD_BACK_TO_STOP.startswith(text.PAUSE_KEYS.split("   ")[1].capitalize().replace(": stop", " to stop"))
    renderer, _ = draw(SAMPLES["countdown_hint"], size)
    boxes_of(renderer, text.HOLD_BACK_TO_STOP)
    stopped, _ = draw(SAMPLES["summary_stopped"], size)
    boxes_of(stopped, text.STOPPED_EARLY)
    boxes_of(stopped, text.PAIN_MAY_RISE)
    assert text.minutes_done(SAMPLES["summary_stopped"].view.active_seconds) in texts(stopped)
    done, _ = draw(SAMPLES["summary"], size)
    assert not any(t in text.PAIN_MAY_RISE for t in texts(done) if len(t) > 8)


# -- home: the check-in hint, the clock (issues 13, 17) ----------------------------------------------
def ramp_pixels(surface: pygame.Surface, value: int) -> int:
    return pygame.mask.from_threshold(surface, pygame.Color(*theme.pain_color(value)), (3, 3, 3, 255)).count()


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_without_the_checkin_hint(size):
    v = SAMPLES["home_no_checkin"].view
    for notice in (None, *NOTICES.values()):
        renderer, surface = draw(Frame(v, notice), size)
        assert_sound_layout(renderer, size)
        shown = texts(renderer)
        assert text.HOME_CHECKIN_KEYS not in shown and text.HOME_HISTORY_KEYS in shown
        assert ramp_pixels(surface, 10) == 0, "no colour bar without its words"
        with_hint, surface_with = draw(Frame(replace(v, checkin_hint=True), notice), size)
        assert text.HOME_CHECKIN_KEYS in texts(with_hint) and ramp_pixels(surface_with, 10) > 0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_clock_not_set_is_small_and_never_crowds_the_count(size):
    for profile in (None, "Sam"):
        for notice in (None, *NOTICES.values()):
            for done in (1, 4):
                base = HomeView(done, 4, (True, False, True, False, False, False, False), 2, profile)
                plain, _ = draw(Frame(base, notice), size)
                count = next(r for t, r in plain.text_boxes if t == text.today_count(done, 4))
                frame = Frame(replace(base, clock_unset=True), notice)
                renderer, _ = draw(frame, size)
                assert_sound_layout(renderer, size)
                assert_no_message_cut(frame, renderer, f"clock unset at {size}")
                with_clock = next(r for t, r in renderer.text_boxes if t == text.today_count(done, 4))
                assert with_clock.size == count.size, "the count keeps its size"
                clock = [r for t, r in renderer.text_boxes if t == text.CLOCK_NOT_SET]
                if notice is None:
                    assert clock, f"'clock not set' missing at {size}"
                for r in clock:
                    assert r.bottom <= with_clock.top and r.h * 2 <= with_clock.h, "small, above the count"
                plain_rest = {t for t, _ in plain.text_boxes} - {text.CLOCK_NOT_SET}
                shown = {t for t, _ in renderer.text_boxes}
                lost = plain_rest - shown
                assert not lost - {text.APP_TITLE, text.profile_title(profile or "")}, f"clock crowded out {lost}"


# -- the code entry, locked (issue 14) ----------------------------------------------------------
@pytest.mark.parametrize("size", ALL_SIZES_NEW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_locked_code_entry_says_so_and_for_how_long(size):
    for minutes in (1, 5, 30):
        renderer, surface = draw(Frame(CodeView(0, 6, locked_minutes=minutes)), size)
        assert_sound_layout(renderer, size)
        boxes_of(renderer, text.code_locked(minutes))
        boxes_of(renderer, text.CODE_LOCKED_BODY)
        assert text.CODE_TITLE in texts(renderer) and text.CODE_HINT not in texts(renderer)
        assert pygame.mask.from_threshold(surface, pygame.Color(*theme.WARN), (8, 8, 8, 255)).count() > 50
        # Presses while locked change nothing on screen: no slot fills.
        assert accent_shapes(Frame(CodeView(4, 6, locked_minutes=minutes)), size) == 0
        same = pygame.image.tostring(draw(Frame(CodeView(4, 6, locked_minutes=minutes)), size)[1], "RGB")
        assert same == pygame.image.tostring(surface, "RGB")
    assert text.code_locked(1) == "Locked for 1 more minute" and text.code_locked(5) == "Locked for 5 more minutes"
    unlocked, _ = draw(Frame(CodeView(0, 6)), size)
    assert not any("Locked" in t for t in texts(unlocked))


# -- a question with the safe answer selected (issue 14) --------------------------------------------
CONFIRMS = ["confirm_hand_over", "confirm_hand_over_yes", "confirm_quit"]


def pill_around(surface: pygame.Surface, rect: pygame.Rect) -> tuple[int, int, int]:
    """The colour just left of a text box, inside its button."""
    return tuple(surface.get_at((rect.left - 3, rect.centery)))[:3]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirm_shows_question_and_answers_whole(size):
    for name in CONFIRMS:
        v = SAMPLES[name].view
        for notice in (None, text.NO_SOUND):
            frame = Frame(v, notice)
            renderer, surface = draw(frame, size)
            assert_sound_layout(renderer, size)
            assert_no_message_cut(frame, renderer, f"{name} at {size}")
            boxes_of(renderer, v.title)
            boxes_of(renderer, v.body)
            answers = [next(r for t, r in renderer.text_boxes if t == a) for a in v.answers]
            assert [r.top for r in answers] == sorted(r.top for r in answers), "answers top to bottom, safe first"
            assert text.CONFIRM_KEYS in texts(renderer)


@pytest.mark.parametrize("size", MAIN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirm_marks_the_selected_answer_by_shape_and_danger_in_amber(size):
    for name, fill, ink in (
        ("confirm_hand_over", theme.ACCENT, theme.ON_ACCENT),
        ("confirm_hand_over_yes", theme.WARN, theme.ON_WARN),
        ("confirm_quit", theme.ACCENT, theme.ON_ACCENT),
    ):
        v = SAMPLES[name].view
        renderer, surface = draw(SAMPLES[name], size)
        boxes = {t: r for t, r in renderer.text_boxes}
        chosen, other = boxes[v.answers[v.selected]], boxes[v.answers[1 - v.selected]]
        assert pill_around(surface, chosen) == fill, f"{name}: the selected answer is filled"
        assert pill_around(surface, other) == theme.BG, f"{name}: the other answer is only outlined"
        # The arrow: the ink colour left of the selected answer's words, none by the other.
        def ink_left_of(r):
            band = pygame.Rect(0, r.top, r.left, r.h)
            mask = pygame.mask.from_threshold(surface.subsurface(band), pygame.Color(*ink), (4, 4, 4, 255))
            return mask.count()
        assert ink_left_of(chosen) > 20 and ink_left_of(other) == 0
        warn = pygame.mask.from_threshold(surface, pygame.Color(*theme.WARN), (8, 8, 8, 255)).count()
        assert (warn > 50) == v.danger, f"{name}: the warning sign only on a question that cannot be undone"
    safe = SAMPLES["confirm_hand_over"].view
    assert safe.selected == 0 and "No" in safe.answers[0]


# -- a page of plain lines (issue 14) ----------------------------------------------------------------
def draw_info(view: InfoView, size):
    """The info screen drawn as the renderer draws it: (how the lines were fitted, texts)."""
    from kiosk.render.layout import Metrics, Typesetter
    from kiosk.render.screens import info
    from kiosk.render.widgets import Canvas

    surface = pygame.Surface(size)
    c = Canvas(surface, Metrics(size), Typesetter(Fonts()))
    m = c.m
    fitted = info.draw(c, pygame.Rect(m.margin, m.margin, m.w - 2 * m.margin, m.h - 2 * m.margin), view)
    return fitted, c.boxes, info.line_style(c)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_info_page_shows_its_lines_whole(size):
    for name in ("info_saved", "info_problems"):
        v = SAMPLES[name].view
        renderer, _ = draw(SAMPLES[name], size)
        assert_sound_layout(renderer, size)
        assert not any(t.endswith(text.ELLIPSIS) for t in texts(renderer))
        assert v.title in texts(renderer) and text.MESSAGE_KEYS in texts(renderer)
        fitted, boxes, style = draw_info(v, size)
        assert fitted.more == 0, f"{name}: lines left out at {size}"
        for line, lines in zip(v.lines, fitted.paragraphs):
            assert " ".join(lines).split() == line.split()
        assert fitted.px >= style.min_px


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_info_page_too_long_shrinks_then_says_how_many_more(size):
    from kiosk.render.samples import PROBLEMS

    lines = tuple(f"{i + 1}. {PROBLEMS[i % len(PROBLEMS)]}" for i in range(40))
    v = InfoView("Problems", lines, ok=False)
    fitted, boxes, style = draw_info(v, size)
    assert fitted.more > 0 and fitted.px == style.min_px, "shrunk to the smallest readable size first"
    kept = len(fitted.paragraphs)
    assert kept + fitted.more == len(lines)
    drawn = [t for t, _ in boxes if t not in (v.title, text.MESSAGE_KEYS)]
    assert drawn == [line for lines_ in fitted.paragraphs for line in lines_] + [text.and_more(fitted.more)]
    for line, lines_ in zip(lines, fitted.paragraphs):
        assert " ".join(lines_).split() == line.split(), "every line shown is whole"
    renderer, _ = draw(Frame(v), size)
    assert_sound_layout(renderer, size)
    assert text.and_more(fitted.more) in texts(renderer)
    assert not any(t.endswith(text.ELLIPSIS) for t in texts(renderer))
    # Fewer lines that fit at a smaller size are shown whole, without "and N more".
    few, _, _ = draw_info(InfoView("Problems", lines[:3], ok=False), size)
    assert few.more == 0 and few.px >= style.min_px
