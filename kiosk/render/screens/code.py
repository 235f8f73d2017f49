"""The clinician's button code: a slot per press, filled as presses come in. It never shows
which buttons were pressed, only how many."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column
from kiosk.render.widgets import Canvas, draw_keys, keys_height
from kiosk.views import CodeView


def draw(c: Canvas, rect: pygame.Rect, v: CodeView) -> None:
    m = c.m
    slot = max(28, round(64 * m.s))
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (slot, slot // 2, 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, slots_r, keys_r = column(rect, parts, 3 * m.gap, spread=True)
    c.text(text.CODE_TITLE, title_r, m.title, theme.TEXT, max_lines=1)
    n = max(1, v.length)
    gap = max(4, round(slot * 0.35))
    size = min(slots_r.h, (slots_r.w - gap * (n - 1)) // n)
    x = slots_r.centerx - (size * n + gap * (n - 1)) // 2
    for i in range(n):
        box = pygame.Rect(x + i * (size + gap), slots_r.centery - size // 2, size, size)
        c.box(box, theme.PANEL, radius=max(3, size // 5))
        c.box(box, theme.ACCENT if i < v.entered else theme.GREY, radius=max(3, size // 5), width=max(2, m.line))
        if i < v.entered:
            c.disc(box.center, max(2, size // 4), theme.ACCENT)
    draw_keys(c, keys_r, text.CODE_HINT)
