"""Home: today's count, the week as seven dots, and the way to start."""

from __future__ import annotations

import pygame

from kiosk import text as T
from kiosk.screens import theme
from kiosk.screens.layout import column, place
from kiosk.screens.widgets import Canvas
from kiosk.views import HomeView


def draw(c: Canvas, rect: pygame.Rect, v: HomeView) -> None:
    m = c.m
    done = v.target > 0 and v.done_today >= v.target
    dot = max(22, round(46 * m.s))
    week_h = dot + m.gap // 2 + c.line_height(m.small)
    button_h = round(c.line_height(m.body) * 1.85)
    parts = [
        (c.line_height(m.label), c.min_line_height(m.label), 0),  # app title
        (c.line_height(m.big), c.min_line_height(m.big), 0),  # Today N of M
        (week_h, week_h, 0),  # seven dots
        (c.line_height(m.label), c.min_line_height(m.label), 0),  # N days practised
        (c.line_height(m.body) if done else 0, c.min_line_height(m.body) if done else 0, 0),
        (button_h, round(c.min_line_height(m.body) * 1.3), 0),  # Press select to start
        (c.line_height(m.small, 2), c.min_line_height(m.small), 0),  # treatment note
    ]
    title_r, today_r, week_r, days_r, done_r, button_r, note_r = column(rect, parts, m.gap, spread=True)

    c.text(T.APP_TITLE, title_r, m.label, theme.ACCENT, max_lines=1)
    c.text(T.today_count(v.done_today, v.target), today_r, m.big, theme.TEXT, max_lines=1)
    _week(c, week_r, v, dot)
    c.text(T.days_this_week(sum(1 for d in v.week if d)), days_r, m.label, theme.DIM, max_lines=1)
    if done:
        c.text(T.ALL_DONE_TODAY, done_r, m.body, theme.ACCENT, max_lines=1)

    # The start button: a wide accent bar with dark text.
    fitted = c.fit(T.PRESS_SELECT_TO_START, button_r.inflate(-4 * m.margin, -m.gap), m.body, max_lines=1)
    bw = min(rect.w, max(fitted.width + 4 * m.margin, rect.w * 2 // 3))
    bar = place((bw, button_r.h), button_r)
    c.box(bar, theme.ACCENT, radius=bar.h // 2)
    c.draw_fitted(fitted, bar, theme.ON_ACCENT)

    c.text(T.TREATMENT_NOTE, note_r, m.small, theme.DIM, max_lines=2)


def _week(c: Canvas, rect: pygame.Rect, v: HomeView, dot: int) -> None:
    """Seven dots Monday..Sunday, filled when practised, today ringed, letters beneath."""
    m = c.m
    days = len(T.WEEKDAYS)
    letter_h = max(0, rect.h - dot - m.gap // 2)
    dot = min(dot, rect.h - letter_h)
    pitch = min(round(dot * 1.9), rect.w // days)
    x0 = rect.centerx - pitch * days // 2
    ring_w = max(2, round(dot * 0.1))
    for i in range(days):
        cell = pygame.Rect(x0 + i * pitch, rect.y, pitch, rect.h)
        center = (cell.centerx, rect.y + dot // 2)
        practised = i < len(v.week) and v.week[i]
        today = i == v.today_index
        r = dot // 2
        inner = r - 2 * ring_w  # leaves room for today's ring around it
        if practised:
            c.disc(center, inner, theme.ACCENT)
        else:
            c.circle(center, inner, theme.GREY, ring_w)
        if today:
            c.circle(center, r, theme.TEXT, ring_w)
        letter_r = pygame.Rect(cell.x + 1, rect.y + dot + m.gap // 2, cell.w - 2, letter_h)
        c.text(T.WEEKDAYS[i], letter_r, m.small, theme.TEXT if today else theme.DIM, max_lines=1)
