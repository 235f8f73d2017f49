"""A question before something that matters (quit, export, hand over, delete): the title,
what it means, and the answers one under the other with the safe one selected first. The
selected answer is filled and pointed at by an arrow, so the choice reads without colour;
a question that leads to something that cannot be undone carries the warning sign, and its
answers other than the first (the safe one) turn amber when selected."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column
from kiosk.render.widgets import Canvas, draw_keys, keys_height, pill_height
from kiosk.views import ConfirmView

TITLE_LINES = 2
TOUCH_ANSWER_PX = 56  # an answer's least height at 800x480 when answers are touched (scaled)


def draw(c: Canvas, rect: pygame.Rect, v: ConfirmView, touch: bool = False) -> None:
    """`touch`: the answers are touch targets, so at least a finger tall."""
    m = c.m
    title_r, body_r, answers_r, keys_r = _layout(c, rect, v, touch)
    sign = c.line_height(m.title) if v.danger else 0
    title_w = rect.w - (sign + m.gap if sign else 0)

    color = theme.WARN if v.danger else theme.TEXT
    if sign:
        fitted = c.fit(v.title, pygame.Rect(0, 0, title_w, title_r.h), m.title, max_lines=TITLE_LINES)
        total = sign + m.gap + fitted.width
        x = title_r.centerx - total // 2
        sign_r = pygame.Rect(x, title_r.centery - sign // 2, sign, sign)
        c.warning_sign(sign_r.inflate(-max(2, sign // 8), -max(2, sign // 8)))
        c.draw_fitted(fitted, pygame.Rect(sign_r.right + m.gap, title_r.y, fitted.width, title_r.h), color, align="left")
    else:
        c.text(v.title, title_r, m.title, color, max_lines=TITLE_LINES)
    if v.body:
        c.text(v.body, body_r, m.body, theme.DIM, max_lines=4)
    draw_answers(c, answers_r, v, touch)
    draw_keys(c, keys_r, text.CONFIRM_KEYS)


def _answer_height(c: Canvas, touch: bool) -> int:
    return max(pill_height(c), round(TOUCH_ANSWER_PX * c.m.s)) if touch else pill_height(c)


def _layout(c: Canvas, rect: pygame.Rect, v: ConfirmView, touch: bool) -> list[pygame.Rect]:
    """The title, body, answers and keys rows in `rect`."""
    m = c.m
    answers = v.answers or ("",)
    answer_h = _answer_height(c, touch)
    least_answer_h = answer_h if touch else round(c.min_line_height(m.body) * 1.3)
    n = len(answers)
    sign = c.line_height(m.title) if v.danger else 0
    title_w = rect.w - (sign + m.gap if sign else 0)
    parts = [
        (c.wanted_height(v.title, title_w, m.title, TITLE_LINES), c.least_height(v.title, title_w, m.title, TITLE_LINES), 0),
        c.message_part(v.body, rect.w, m.body, lines=3, most=4),
        (n * answer_h + (n - 1) * m.gap, n * least_answer_h + (n - 1) * m.gap // 2, 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    return column(rect, parts, m.gap, spread=True)


def answer_rects(c: Canvas, rect: pygame.Rect, v: ConfirmView, touch: bool = True) -> list[pygame.Rect]:
    """Where the answers are drawn in `rect`: the touch targets."""
    return _answer_boxes(c, _layout(c, rect, v, touch)[2], v, touch)[0]


def _answer_boxes(c: Canvas, rect: pygame.Rect, v: ConfirmView, touch: bool) -> tuple[list[pygame.Rect], int]:
    """The answers' rects in their row (one under the other, as wide as the widest needs,
    at most the screen) and the arrow's size."""
    m = c.m
    n = max(1, len(v.answers))
    gap = m.gap if rect.h >= n * c.min_line_height(m.body) + (n - 1) * m.gap else m.gap // 2
    h = min(_answer_height(c, touch), (rect.h - (n - 1) * gap) // n)
    font = c.ts.fonts.get(m.body.px)
    arrow = round(h * 0.5)
    pad = 2 * m.margin
    widest = max(font.size(words)[0] for words in v.answers or ("",))
    w = min(rect.w, max(rect.w * 3 // 5, widest + 2 * pad + 2 * (arrow + m.gap)))
    top = rect.centery - (n * h + (n - 1) * gap) // 2
    return [pygame.Rect(rect.centerx - w // 2, top + i * (h + gap), w, h) for i in range(len(v.answers))], arrow


def draw_answers(c: Canvas, rect: pygame.Rect, v: ConfirmView, touch: bool = False) -> list[pygame.Rect]:
    """The answers as rounded bars, one under the other; returns their rects."""
    m = c.m
    boxes, arrow = _answer_boxes(c, rect, v, touch)
    edge = max(2, m.line)
    for i, (words, box) in enumerate(zip(v.answers, boxes)):
        selected = i == v.selected
        risky = v.danger and i > 0
        if selected:
            fill = theme.WARN if risky else theme.ACCENT
            ink = theme.ON_WARN if risky else theme.ON_ACCENT
            c.box(box, fill, radius=box.h // 2)
            mark = pygame.Rect(box.x + box.h // 3, box.centery - arrow // 2, arrow, arrow)
            c.arrow_right(mark, ink)
        else:
            c.box(box, theme.GREY, radius=box.h // 2, width=edge)
            ink = theme.TEXT
        # The words centred between room for the arrow on both sides, so they do not move
        # when the selection does.
        side = box.h // 3 + arrow + m.gap
        inner = pygame.Rect(box.x + side, box.y + edge, box.w - 2 * side, box.h - 2 * edge)
        c.text(words, inner, m.body, ink, max_lines=1)
    return boxes
