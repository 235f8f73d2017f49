"""A reminder: time for the day's practice, today's count, start now or later."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column
from kiosk.render.widgets import FILL, OUTLINE, Canvas, draw_pills, pills_height
from kiosk.views import ReminderView


def draw(c: Canvas, rect: pygame.Rect, v: ReminderView) -> None:
    m = c.m
    pills = [(FILL, text.REMINDER_START_KEYS), (OUTLINE, text.REMINDER_LATER_KEYS)]
    who = bool(v.profile)
    parts = [
        (c.line_height(m.body) if who else 0, c.min_line_height(m.body) if who else 0, 0),
        (c.wanted_height(text.REMINDER_TITLE, rect.w, m.title, 2), c.min_line_height(m.title), 0),
        (c.line_height(m.big), c.min_line_height(m.big), 0),
        (pills_height(c, rect.w, pills), round(c.min_line_height(m.body) * 1.3), 0),
    ]
    who_r, title_r, today_r, keys_r = column(rect, parts, m.gap, spread=True)
    if who:
        c.text(v.profile, who_r, m.body, theme.ACCENT, max_lines=1)
    c.text(text.REMINDER_TITLE, title_r, m.title, theme.TEXT, max_lines=2)
    c.text(text.today_count(v.done_today, v.target), today_r, m.big, theme.ACCENT, max_lines=1)
    draw_pills(c, keys_r, pills)
