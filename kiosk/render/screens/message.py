"""A short result for the clinician (export done, no USB drive...): a check mark or the
warning sign with the title, the body in a panel with an edge in the same colour."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column
from kiosk.render.widgets import Canvas, draw_keys, edged_panel, keys_height
from kiosk.views import MessageView


def draw(c: Canvas, rect: pygame.Rect, v: MessageView) -> None:
    m = c.m
    color = theme.ACCENT if v.ok else theme.WARN
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.body, 4), c.min_line_height(m.body) * 2, 1),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, body_r, keys_r = column(rect, parts, 2 * m.gap)

    icon = 0 if v.working else title_r.h
    fitted = c.fit(v.title, pygame.Rect(0, 0, title_r.w - icon - m.gap, title_r.h), m.title, max_lines=1)
    x = title_r.centerx - (icon + m.gap + fitted.width) // 2
    icon_r = pygame.Rect(x, title_r.y, icon, icon).inflate(-max(2, icon // 6), -max(2, icon // 6))
    if v.working:
        pass
    elif v.ok:
        c.check_mark(icon_r, color)
    else:
        c.warning_sign(icon_r)
    c.draw_fitted(fitted, pygame.Rect(icon_r.right + m.gap, title_r.y, fitted.width, title_r.h), color, align="left")

    inner = edged_panel(c, body_r, color)
    c.text(v.body, inner, m.prompt, theme.TEXT)
    if not v.working:
        draw_keys(c, keys_r, text.MESSAGE_KEYS)
