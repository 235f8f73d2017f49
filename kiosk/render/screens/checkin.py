"""A check-in was saved: "Saved: 5 at 14:02" on a band in the rating's own colour, the area
when one was given, and a clear way to undo it (a press by mistake is common). The number
stands alone, as on the validated scale: no category word."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column
from kiosk.render.widgets import WARN, Canvas, draw_pills, pills_height
from kiosk.views import CheckinSavedView


def draw(c: Canvas, rect: pygame.Rect, v: CheckinSavedView) -> None:
    m = c.m
    rating = max(0, min(10, v.rating))
    pills = [(WARN, text.CHECKIN_UNDO_KEYS)]
    has_area = bool(v.area)
    band_h = round(c.line_height(m.big) * 1.35)
    parts = [
        (band_h, round(c.min_line_height(m.big) * 1.2), 0),
        (c.wanted_height(v.area or "", rect.w, m.title, 2) if has_area else 0, c.min_line_height(m.title) if has_area else 0, 0),
        (pills_height(c, rect.w, pills, m.title), round(c.min_line_height(m.title) * 1.3), 0),
    ]
    band_r, area_r, keys_r = column(rect, parts, 2 * m.gap, spread=True)

    # The band: a check mark and the words, dark on the rating's colour.
    c.box(band_r, theme.pain_color(rating))
    inner = band_r.inflate(-2 * m.margin, -m.gap)
    icon = min(inner.h, round(c.line_height(m.big) * 0.8))
    words = c.fit(text.checkin_saved(rating, v.at), pygame.Rect(0, 0, inner.w - icon - m.margin, inner.h), m.big, max_lines=1)
    total = icon + m.margin + words.width
    x = inner.centerx - total // 2
    c.check_mark(pygame.Rect(x, inner.centery - icon // 2, icon, icon), theme.ON_CELL)
    c.draw_fitted(words, pygame.Rect(x + icon + m.margin, inner.y, words.width, inner.h), theme.ON_CELL, align="left")

    if has_area:
        c.text(v.area, area_r, m.title, theme.TEXT, max_lines=2)
    draw_pills(c, keys_r, pills, m.title)
