"""Graded practice: the session felt OK, so offer the next rung of the area's ladder:
the current technique -> the next one, "level 3 of 6" with the ladder as dots."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column, row
from kiosk.render.widgets import FILL, OUTLINE, Canvas, draw_pills, pills_height
from kiosk.views import LevelUpView


def draw(c: Canvas, rect: pygame.Rect, v: LevelUpView) -> None:
    m = c.m
    pills = [(FILL, text.LEVEL_UP_YES_KEYS), (OUTLINE, text.LEVEL_UP_NO_KEYS)]
    lines = 2 if rect.w >= rect.h else 3  # narrow panels on a portrait screen: names take 3 lines
    step_h = round(c.line_height(m.body, lines) + 2 * m.gap)
    dots = max(10, round(20 * m.s))
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.body), c.min_line_height(m.body), 0),
        (c.line_height(m.label), c.min_line_height(m.label), 0),
        (step_h, round(c.min_line_height(m.body) * 1.4), 0),
        (max(dots, c.line_height(m.label)), c.min_line_height(m.label), 0),
        (pills_height(c, rect.w, pills), round(c.min_line_height(m.body) * 1.3), 0),
    ]
    title_r, question_r, area_r, step_r, level_r, keys_r = column(rect, parts, m.gap, spread=True)
    c.text(text.LEVEL_UP_TITLE, title_r, m.title, theme.ACCENT, max_lines=1)
    c.text(text.LEVEL_UP_QUESTION, question_r, m.body, theme.TEXT, max_lines=1)
    c.text(v.area, area_r, m.label, theme.DIM, max_lines=1)
    _step(c, step_r, v, lines)
    _level(c, level_r, v, dots)
    draw_pills(c, keys_r, pills)


def _step(c: Canvas, rect: pygame.Rect, v: LevelUpView, lines: int) -> None:
    """Two panels, current -> next, the next one outlined in the accent colour."""
    m = c.m
    arrow = max(16, round(rect.h * 0.5))
    width = (rect.w - arrow - 4 * m.gap) // 2
    left, mid, right = row(rect, [(width, width, 0), (arrow, arrow, 0), (width, width, 0)], 2 * m.gap)
    c.box(left, theme.PANEL)
    c.text(v.current, left.inflate(-2 * m.gap, -m.gap), m.body, theme.DIM, max_lines=lines)
    c.arrow_right(pygame.Rect(mid.x, rect.centery - arrow // 2, mid.w, arrow), theme.DIM)
    c.box(right, theme.PANEL)
    c.box(right, theme.ACCENT, width=max(2, m.line))
    c.text(v.next, right.inflate(-2 * m.gap - 2 * m.line, -m.gap - 2 * m.line), m.body, theme.TEXT, max_lines=lines)


def _level(c: Canvas, rect: pygame.Rect, v: LevelUpView, dot: int) -> None:
    """'level 3 of 6' and a dot per rung, filled up to the new one."""
    m = c.m
    levels = max(1, v.levels)
    words = c.fit(text.level_of(v.level, v.levels), pygame.Rect(0, 0, rect.w * 3 // 5, rect.h), m.label, max_lines=1)
    pitch = max(dot + 4, round(dot * 1.6))
    dots_w = min(rect.w - words.width - 2 * m.margin, pitch * levels)
    pitch = max(4, dots_w // levels)
    d = min(dot, pitch - 2)
    total = words.width + 2 * m.margin + pitch * levels
    x = rect.centerx - total // 2
    c.draw_fitted(words, pygame.Rect(x, rect.y, words.width, rect.h), theme.TEXT, align="left")
    x += words.width + 2 * m.margin
    for i in range(levels):
        center = (x + pitch * i + pitch // 2, rect.centery)
        if i < v.level:
            c.disc(center, d // 2, theme.ACCENT)
        else:
            c.circle(center, d // 2, theme.GREY, max(2, d // 8))
