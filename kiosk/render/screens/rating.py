"""Pain rating 0-10 as validated: eleven numbered cells on our own green -> red ramp, the
chosen one enlarged and outlined, the chosen number very big, and the scale's two end
anchors only, large, next to 0 and 10 ("no pain", "worst pain you can imagine"); no category
words. One question, naming the area in a session. Used before and after a session and for
a check-in outside one (phase "checkin"). Colour never carries the meaning alone: every
cell has its number."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import Style, column, fits
from kiosk.render.widgets import Canvas, draw_keys, keys_height
from kiosk.views import RatingView

ANCHOR_LINES = 2  # each end anchor wraps to at most this many lines
QUESTION_LINES = 3  # the question wraps to at most this many lines at its smallest


def anchor_style(c: Canvas) -> Style:
    """The end anchors: as large as a list item, shrinking to a label's least."""
    return Style(c.m.body.px, c.m.label.min_px)


def draw(c: Canvas, rect: pygame.Rect, v: RatingView) -> None:
    m = c.m
    before = v.phase == "before"
    checkin = v.phase == "checkin"
    value = max(0, min(10, v.value))
    early_note = text.STOPPED_EARLY_NOTE if v.stopped_early else ""  # a message: wraps, never cut
    question = question_of(v)
    what = _what(v)
    anchor_w = anchor_width(c, rect)
    step_r, title_r, line_r, early_r, big_r, scale_r, ends_r, keys_r, grow = _layout(c, rect, v)

    if checkin:
        step, keys = text.CHECKIN_STEP, text.CHECKIN_KEYS
    elif before:
        step, keys = text.PAIN_BEFORE_STEP, text.RATING_KEYS_BACK
    else:
        step, keys = text.PAIN_AFTER_STEP, text.RATING_KEYS
    if step_r.h:
        c.text(step, step_r, m.label, theme.ACCENT, max_lines=1)
    c.text(question, title_r, m.title, theme.TEXT, max_lines=QUESTION_LINES)
    if what and line_r.h:
        c.text(what, line_r, m.label, theme.DIM, max_lines=1)
    if early_note:
        c.text(early_note, early_r, m.label, theme.TEXT, max_lines=3)

    if big_r.h:
        _big_value(c, big_r, value)
    cells = _scale(c, scale_r, value, grow)

    # The end anchors under 0 and under 10, aligned with the ends of the scale.
    left = pygame.Rect(cells[0].x, ends_r.y, anchor_w, ends_r.h)
    right = pygame.Rect(cells[-1].right - anchor_w, ends_r.y, anchor_w, ends_r.h)
    # Both at one size: the size at which each fits.
    anchor = anchor_style(c)
    px = min(c.fit(words, room, anchor, ANCHOR_LINES).px for words, room in ((text.NO_PAIN, left), (text.WORST_PAIN, right)))
    same = Style(px, min(px, anchor.min_px))
    c.text(text.NO_PAIN, left, same, theme.TEXT, align="left", valign="top", max_lines=ANCHOR_LINES, balance=False)
    c.text(text.WORST_PAIN, right, same, theme.TEXT, align="right", valign="top", max_lines=ANCHOR_LINES, balance=True)

    draw_keys(c, keys_r, keys)


def _layout(c: Canvas, rect: pygame.Rect, v: RatingView):
    """The rating screen's rows in `rect`: step, question, what, early note, big number,
    scale, anchors, keys, and how far the chosen cell sticks out."""
    m = c.m
    cell_h = max(34, round(68 * m.s))
    grow = max(4, round(cell_h * 0.18))  # how far the chosen cell sticks out, each side
    early_note = text.STOPPED_EARLY_NOTE if v.stopped_early else ""  # a message: wraps, never cut
    question = question_of(v)
    what = _what(v)
    lines = 2 if rect.w >= rect.h else 3
    anchor_w = anchor_width(c, rect)
    anchors_h, least_anchors_h = _anchors_height(c, anchor_w), _anchors_height(c, anchor_w, least=True)
    parts = [
        (c.line_height(m.label), c.min_line_height(m.label), 0),
        c.message_part(question, rect.w, m.title, lines=lines, most=QUESTION_LINES),
        (c.wanted_height(what, rect.w, m.label, 1), c.min_line_height(m.label) if what else 0, 0),
        c.message_part(early_note, rect.w, m.label),
        (c.line_height(Style(round(m.big.px * 1.5), m.big.min_px)), c.min_line_height(m.big), 0),
        # The scale with its anchors right under it: one part, never spread apart.
        (cell_h + 2 * grow + m.gap // 2 + anchors_h, cell_h + m.gap // 2 + least_anchors_h, 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    # Short of room (a small screen with a notice): the step line, then the technique, then
    # the big number (the scale's enlarged cell shows it too) make way for the question.
    for spare in (0, 2, 4):
        if fits(parts, rect.h, m.gap):
            break
        parts[spare] = (0, 0, 0)
    step_r, title_r, line_r, early_r, big_r, scale_ends_r, keys_r = column(rect, parts, m.gap, spread=True)
    ends_h = max(least_anchors_h, min(anchors_h, scale_ends_r.h - cell_h - m.gap // 2))
    scale_r, ends_r = column(scale_ends_r, [(scale_ends_r.h - ends_h - m.gap // 2, 1, 0), (ends_h, 1, 0)], m.gap // 2)
    return step_r, title_r, line_r, early_r, big_r, scale_r, ends_r, keys_r, grow


def cell_rects(c: Canvas, rect: pygame.Rect, v: RatingView) -> list[pygame.Rect]:
    """The touch targets of the eleven cells 0..10 drawn in `rect`: each cell with its
    share of the gaps beside it and the room the chosen cell grows into above and below."""
    parts = _layout(c, rect, v)
    scale_r = parts[5]
    cells, gap = _cell_geometry(c, scale_r, parts[8])
    return [pygame.Rect(r.x - gap // 2, scale_r.y, r.w + gap, scale_r.h) for r in cells]


def _cell_geometry(c: Canvas, rect: pygame.Rect, grow: int) -> tuple[list[pygame.Rect], int]:
    """The eleven cells' rects in the scale's row, and the gap between them."""
    m = c.m
    gap = max(2, round(6 * m.s))
    width = min(rect.w, round(m.w * 0.96))
    cell_w = (width - 10 * gap) // 11
    x0 = rect.centerx - (cell_w * 11 + gap * 10) // 2
    cell_h = max(1, rect.h - 2 * grow)
    return [pygame.Rect(x0 + i * (cell_w + gap), rect.y + grow, cell_w, cell_h) for i in range(11)], gap


def question_of(v: RatingView) -> str:
    """The one question: a check-in's, or a session's naming its area."""
    return text.CHECKIN_TITLE if v.phase == "checkin" else text.pain_question(v.area)


def _what(v: RatingView) -> str:
    """The line under the question: the technique in a session (the question names the
    area), the area of a check-in when it has one."""
    return v.area if v.phase == "checkin" else v.technique


def anchor_width(c: Canvas, rect: pygame.Rect) -> int:
    """Room for each end anchor: a little under half the scale's width."""
    width = min(rect.w, round(c.m.w * 0.96))
    return (width - 2 * c.m.margin) // 2


def _anchors_height(c: Canvas, width: int, least: bool = False) -> int:
    """Height the taller anchor needs at `width` (wrapped to ANCHOR_LINES lines)."""
    measure = c.least_height if least else c.wanted_height
    return max(measure(words, width, anchor_style(c), ANCHOR_LINES) for words in (text.NO_PAIN, text.WORST_PAIN))


def _big_value(c: Canvas, rect: pygame.Rect, value: int) -> None:
    """The chosen number, huge and in its colour, alone: the scale has no words between
    its ends."""
    m = c.m
    # As big as the row allows (sized for "10" so the number keeps its size as it changes).
    px = min(round(m.big.px * 1.7), c.ts.largest_px("10", round(rect.w * 0.4), rect.h, 12, 1000))
    c.text(str(value), rect, Style(px, max(12, px // 2)), theme.pain_color(value), max_lines=1)


def _scale(c: Canvas, rect: pygame.Rect, value: int, grow: int) -> list[pygame.Rect]:
    """Eleven cells 0..10; returns their rects (unenlarged)."""
    m = c.m
    cells, gap = _cell_geometry(c, rect, grow)
    num_style = Style(max(m.body.px, round(cells[0].h * 0.75)), min(m.body.min_px, 16))
    for i, r in enumerate(cells):
        if i == value:
            continue
        c.box(r, theme.pain_color(i), radius=max(3, m.radius // 2))
        c.text(str(i), r.inflate(-2, -2), num_style, theme.ON_CELL, max_lines=1)
    # The chosen cell last, enlarged over its neighbours' gaps, outlined in white.
    big = cells[value].inflate(2 * gap, 2 * grow)
    big.clamp_ip(rect)
    outline = max(2, m.line)
    c.box(big, theme.TEXT, radius=m.radius // 2 + outline)
    c.box(big.inflate(-2 * outline, -2 * outline), theme.pain_color(value), radius=max(3, m.radius // 2))
    big_num = Style(round(num_style.px * 1.3), num_style.min_px)
    c.text(str(value), big.inflate(-2 * outline - 2, -2 * outline - 2), big_num, theme.ON_CELL, max_lines=1)
    return cells
