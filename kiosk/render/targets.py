"""The touch targets of a frame: where a finger (or the mouse) may press on a screen of a
given size, and what each place means. With display.touch on, every screen keeps its own
picture in the room above a bar of buttons ("Back", "Start", "Save", "Pause", "Stop"...),
and the list rows, the rating's eleven cells and a question's answers are targets where
they are drawn. Every target is at least `min_target` pixels each way: 48 px (about 9 mm)
at 800x480, scaled with the screen.

`targets_for(frame, size)` is plain geometry (no drawing); `draw_touch_frame` draws a touch
frame as `Renderer.draw` draws any other, so both agree on where everything is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk import text
from kiosk.events import Key
from kiosk.render import theme
from kiosk.render.dispatch import draw_view
from kiosk.render.layout import Fonts, Metrics, Style, Typesetter
from kiosk.render.screens import (
    choice,
    confirm,
    rating,
)
from kiosk.render.widgets import Canvas, draw_notice, notice_height
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
    MessageView,
    RatingView,
    ReminderView,
    ReportView,
    SafetyView,
    SleepView,
    SummaryView,
)

MIN_TARGET_PX = 48  # at 800x480 (9 mm on the official 7" panel); scaled with the screen


@dataclass(frozen=True)
class Target:
    """One place to press. `key`: the key a tap gives; `held`: the key a hold gives (the
    tap then only says "hold to stop"); `value`: a rating cell (sets the rating, no key);
    `item`: a list row or an answer (selects it, then SELECT chooses it)."""

    rect: tuple[int, int, int, int]  # x, y, w, h in canvas pixels
    key: Key | None = None
    held: Key | None = None
    value: int | None = None
    item: int | None = None
    label: str = ""
    primary: bool = False  # the main choice: drawn filled

    def contains(self, x: float, y: float) -> bool:
        rx, ry, rw, rh = self.rect
        return rx <= x < rx + rw and ry <= y < ry + rh


def min_target(size: tuple[int, int]) -> int:
    """The least width and height of a target on a screen of `size`."""
    return round(MIN_TARGET_PX * Metrics(size).s)


def hit(targets: list[Target], x: float, y: float) -> Target | None:
    """The target under (x, y), or None."""
    return next((t for t in targets if t.contains(x, y)), None)


def _measure(size: tuple[int, int], typesetter: Typesetter | None = None) -> Canvas:
    """A canvas that only measures (no surface) for a screen of `size`, with the renderer's
    typesetter when given (its fonts and fitted text are cached), else a new one."""
    if typesetter is None:
        if not pygame.font.get_init():
            pygame.font.init()
        typesetter = Typesetter(Fonts())
    return Canvas(None, Metrics(size), typesetter)


# --- the bar of buttons -----------------------------------------------------------------

def _buttons(view) -> list[Target]:
    """The bar's buttons for `view`, left to right, without their rects."""
    back = Target((0, 0, 0, 0), Key.BACK, label=text.TOUCH_BACK)
    if isinstance(view, HomeView):
        buttons = [Target((0, 0, 0, 0), Key.BACK, label=text.TOUCH_PROGRESS)]
        if view.checkin_hint:
            buttons.append(Target((0, 0, 0, 0), Key.UP, label=text.TOUCH_PAIN))
        return buttons + [Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_START, primary=True)]
    if isinstance(view, ChoiceView):
        return [] if view.kind == "profile" else [back]
    if isinstance(view, SafetyView):
        last = view.page >= view.pages
        return [back, Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_UNDERSTAND if last else text.TOUCH_NEXT,
                             primary=True)]
    if isinstance(view, RatingView):
        save = Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_SAVE, primary=True)
        return [save] if view.phase == "after" else [back, save]  # after a session, back does nothing
    if isinstance(view, CountdownView):
        return [
            Target((0, 0, 0, 0), Key.BACK, held=Key.BACK_HELD, label=text.TOUCH_STOP),
            Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_GO_ON if view.paused else text.TOUCH_PAUSE, primary=True),
        ]
    if isinstance(view, SummaryView):
        return [Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_HOME, primary=True)]
    if isinstance(view, ReminderView):
        return [Target((0, 0, 0, 0), Key.BACK, label=text.TOUCH_LATER),
                Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_START, primary=True)]
    if isinstance(view, HistoryView):
        return [back, Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_SAVED_HERE)]
    if isinstance(view, CheckinSavedView):
        return [Target((0, 0, 0, 0), Key.BACK, label=text.TOUCH_UNDO),
                Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_OK, primary=True)]
    if isinstance(view, LevelUpView):
        return [Target((0, 0, 0, 0), Key.BACK, label=text.TOUCH_NOT_YET),
                Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_YES, primary=True)]
    if isinstance(view, MessageView):
        return [] if view.working else [Target((0, 0, 0, 0), Key.SELECT, label=text.TOUCH_OK, primary=True)]
    if isinstance(view, CodeView):
        # The code is a sequence of button presses: the four buttons, as the panel has them.
        return [Target((0, 0, 0, 0), key, label=words) for key, words in (
            (Key.UP, text.TOUCH_UP), (Key.DOWN, text.TOUCH_DOWN), (Key.SELECT, text.TOUCH_OK), (Key.BACK, text.TOUCH_BACK))]
    if isinstance(view, (ConfirmView, InfoView, ReportView)):
        return [back]
    return []


def bar_height(c: Canvas) -> int:
    """The height of the bar of buttons."""
    return max(min_target((c.m.w, c.m.h)), round(c.line_height(c.m.body) * 1.7))


def _content(c: Canvas, frame: Frame) -> tuple[pygame.Rect, pygame.Rect | None]:
    """The room left to the screen itself, and the bar's (None when it has no buttons):
    as `Renderer.draw` leaves it, the bar at the bottom above any notice."""
    m = c.m
    bottom = m.h
    if frame.notice:
        bottom -= notice_height(c, frame.notice)[0]
    bar = None
    if _buttons(frame.view):
        bar = pygame.Rect(m.margin, bottom - m.margin - bar_height(c), m.w - 2 * m.margin, bar_height(c))
        bottom = bar.top - m.gap
        return pygame.Rect(m.margin, m.margin, m.w - 2 * m.margin, bottom - m.margin), bar
    return pygame.Rect(m.margin, m.margin, m.w - 2 * m.margin, bottom - 2 * m.margin), bar


def _bar_targets(c: Canvas, bar: pygame.Rect, view) -> list[Target]:
    """The bar's buttons, side by side, each as wide as the widest needs (within reason)."""
    m = c.m
    buttons = _buttons(view)
    n = len(buttons)
    gap = 2 * m.gap
    font = c.ts.fonts.get(m.body.px)
    widest = max(font.size(b.label)[0] for b in buttons) + 4 * m.margin + (bar.h if any(b.held for b in buttons) else 0)
    width = max(min_target((m.w, m.h)) * 2, min(widest, (bar.w - (n - 1) * gap) // n))
    total = n * width + (n - 1) * gap
    x = bar.centerx - total // 2
    placed = []
    for i, b in enumerate(buttons):
        r = (x + i * (width + gap), bar.y, width, bar.h)
        placed.append(Target(r, b.key, b.held, b.value, b.item, b.label, b.primary))
    return placed


def _content_targets(c: Canvas, rect: pygame.Rect, view) -> list[Target]:
    """The targets inside the screen's own picture: rows, cells, answers."""
    if isinstance(view, RatingView):
        return [Target(tuple(r), value=i, label=str(i)) for i, r in enumerate(rating.cell_rects(c, rect, view))]
    if isinstance(view, ChoiceView):
        return [Target(tuple(r), item=i, label=view.items[i].label) for i, r in choice.row_rects(c, rect, view, touch=True)]
    if isinstance(view, ConfirmView):
        return [Target(tuple(r), item=i, label=view.answers[i]) for i, r in enumerate(confirm.answer_rects(c, rect, view, touch=True))]
    return []


def targets_for(frame: Frame, size: tuple[int, int], typesetter: Typesetter | None = None) -> list[Target]:
    """Every touch target of `frame` on a screen (canvas) of `size`; none on a dark screen
    (any tap only wakes it). `typesetter`: the renderer's, to measure with its fonts."""
    if isinstance(frame.view, SleepView):
        return []
    c = _measure((int(size[0]), int(size[1])), typesetter)
    content, bar = _content(c, frame)
    targets = _content_targets(c, content, frame.view)
    if bar is not None:
        targets += _bar_targets(c, bar, frame.view)
    return targets


# --- drawing ------------------------------------------------------------------------------

def draw_touch_frame(c: Canvas, frame: Frame) -> None:
    """Draw `frame` with its touch buttons on `c` (already filled with the background):
    the notice at the bottom, the bar above it, the screen in the room left."""
    m = c.m
    if frame.notice:
        banner_h, fitted = notice_height(c, frame.notice)
        draw_notice(c, pygame.Rect(0, m.h - banner_h, m.w, banner_h), fitted)
    content, bar = _content(c, frame)
    draw_view(c, content.clip(pygame.Rect(0, 0, m.w, m.h)), frame.view, touch=True)
    if bar is not None:
        for target in _bar_targets(c, bar, frame.view):
            draw_button(c, target)


def draw_button(c: Canvas, target: Target, progress: float = 0.0) -> None:
    """One bar button: filled for the main choice, outlined otherwise; a hold button
    carries a ring that fills as it is held (`progress` 0..1)."""
    m = c.m
    r = pygame.Rect(target.rect)
    edge = max(2, m.line)
    if target.primary:
        c.box(r, theme.ACCENT, radius=r.h // 2)
        ink = theme.ON_ACCENT
    else:
        c.box(r, theme.BG, radius=r.h // 2)
        c.box(r, theme.GREY, radius=r.h // 2, width=edge)
        ink = theme.TEXT
    words = r.inflate(-2 * m.margin, -2 * edge)
    if target.held is not None:
        d = round(r.h * 0.7)
        ring = pygame.Rect(r.x + (r.h - d) // 2 + edge, r.centery - d // 2, d, d)
        draw_hold_ring(c, ring, progress)
        words = pygame.Rect(ring.right + m.gap, words.y, r.right - m.margin - ring.right - m.gap, words.h)
    label = Style(m.body.px, m.hint.min_px)  # a long label shrinks and wraps before it is cut
    c.text(target.label, words, label, ink, max_lines=2)


def draw_hold_ring(c: Canvas, rect: pygame.Rect, progress: float) -> None:
    """The ring of a press-and-hold button: a track, filled clockwise from 12 o'clock."""
    r_out = rect.w / 2
    thick = max(3, rect.w * 0.18)
    c.ring(rect.center, r_out, r_out - thick, 1.0, theme.TRACK)
    if progress > 0:
        c.ring(rect.center, r_out, r_out - thick, min(1.0, progress), theme.WARN)


def draw_hold_progress(surface: pygame.Surface, frame: Frame, x: float, y: float, progress: float,
                       typesetter: Typesetter | None = None) -> pygame.Rect | None:
    """Over a touch frame already drawn on `surface`: the hold button under (x, y) again,
    its ring filled to `progress`. Returns the rect drawn (None when no hold button is there)."""
    size = surface.get_size()
    c = Canvas(surface, Metrics(size), _measure(size, typesetter).ts)
    target = hit(targets_for(frame, size, c.ts), x, y)
    if target is None or target.held is None:
        return None
    draw_button(c, target, progress)
    return pygame.Rect(target.rect)
