"""Pain rating 0-10: eleven numbered cells on our own green -> red ramp, the chosen one
enlarged and outlined, and the chosen number very big with its word. Used before and after
a session and for a check-in outside one (phase "checkin")."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import Style, column
from kiosk.render.widgets import Canvas, draw_keys, keys_height
from kiosk.views import RatingView


def draw(c: Canvas, rect: pygame.Rect, v: RatingView) -> None:
    m = c.m
    before = v.phase == "before"
    checkin = v.phase == "checkin"
    value = max(0, min(10, v.value))
    cell_h = max(34, round(68 * m.s))
    grow = max(4, round(cell_h * 0.18))  # how far the chosen cell sticks out, each side
    early_note = text.STOPPED_EARLY_NOTE if v.stopped_early else ""  # a message: wraps, never cut
    what = _what(v)
    parts = [
        (c.line_height(m.label), c.min_line_height(m.label), 0),
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.wanted_height(what, rect.w, m.label, 2), c.min_line_height(m.label) if what else 0, 0),
        c.message_part(early_note, rect.w, m.label),
        (c.line_height(Style(round(m.big.px * 1.5), m.big.min_px)), c.min_line_height(m.big), 0),
        (cell_h + 2 * grow, cell_h, 0),
        (c.line_height(m.small), c.min_line_height(m.small), 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    step_r, title_r, line_r, early_r, big_r, scale_r, ends_r, keys_r = column(rect, parts, m.gap, spread=True)

    if checkin:
        step, title, keys = text.CHECKIN_STEP, text.CHECKIN_TITLE, text.CHECKIN_KEYS
    elif before:
        step, title, keys = text.PAIN_BEFORE_STEP, text.PAIN_BEFORE_TITLE, text.RATING_KEYS_BACK
    else:
        step, title, keys = text.PAIN_AFTER_STEP, text.PAIN_AFTER_TITLE, text.RATING_KEYS
    c.text(step, step_r, m.label, theme.ACCENT, max_lines=1)
    c.text(title, title_r, m.title, theme.TEXT, max_lines=1)
    if what:
        c.text(what, line_r, m.label, theme.DIM, max_lines=2)
    if early_note:
        c.text(early_note, early_r, m.label, theme.TEXT, max_lines=3)

    _big_value(c, big_r, value)
    cells = _scale(c, scale_r, value, grow)

    # "no pain" under the left end, "worst pain" under the right end.
    half = (ends_r.w - m.gap) // 2
    left = pygame.Rect(cells[0].x, ends_r.y, half, ends_r.h)
    right = pygame.Rect(cells[-1].right - half, ends_r.y, half, ends_r.h)
    c.text(text.NO_PAIN, left, m.small, theme.DIM, align="left", max_lines=1)
    c.text(text.WORST_PAIN, right, m.small, theme.DIM, align="right", max_lines=1)

    draw_keys(c, keys_r, keys)


def _what(v: RatingView) -> str:
    """The area and technique line; just one of them when the other is empty (a check-in
    may name only an area), nothing when both are."""
    if v.area and v.technique:
        return text.session_line(v.area, v.technique)
    return v.area or v.technique


def _big_value(c: Canvas, rect: pygame.Rect, value: int) -> None:
    """The chosen number, huge and in its colour, with its word beside it."""
    m = c.m
    # As big as the row allows (sized for "10" so the number keeps its size as it changes).
    px = min(round(m.big.px * 1.7), c.ts.largest_px("10", round(rect.w * 0.4), rect.h, 12, 1000))
    number = c.fit(str(value), rect, Style(px, max(12, px // 2)), max_lines=1)
    word_room = pygame.Rect(0, 0, max(1, rect.w - number.width - 2 * m.margin), rect.h)
    word = c.fit(text.PAIN_WORDS[value], word_room, m.title, max_lines=2)
    total = number.width + m.margin + word.width
    x = rect.centerx - total // 2
    c.draw_fitted(number, pygame.Rect(x, rect.y, number.width, rect.h), theme.pain_color(value))
    c.draw_fitted(word, pygame.Rect(x + number.width + m.margin, rect.y, word.width, rect.h), theme.TEXT, align="left")


def _scale(c: Canvas, rect: pygame.Rect, value: int, grow: int) -> list[pygame.Rect]:
    """Eleven cells 0..10; returns their rects (unenlarged)."""
    m = c.m
    gap = max(2, round(6 * m.s))
    width = min(rect.w, round(m.w * 0.96))
    cell_w = (width - 10 * gap) // 11
    x0 = rect.centerx - (cell_w * 11 + gap * 10) // 2
    cell_h = max(1, rect.h - 2 * grow)
    num_style = Style(max(m.body.px, round(cell_h * 0.75)), min(m.body.min_px, 16))
    cells = []
    for i in range(11):
        r = pygame.Rect(x0 + i * (cell_w + gap), rect.y + grow, cell_w, cell_h)
        cells.append(r)
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
