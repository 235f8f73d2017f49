"""Safety note for a technique that carries one (e.g. the ice rub), before it starts."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import Style, column
from kiosk.render.widgets import Canvas, draw_keys, edged_panel, keys_height
from kiosk.views import SafetyView


def draw(c: Canvas, rect: pygame.Rect, v: SafetyView) -> None:
    m = c.m
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.label), c.min_line_height(m.label), 0),
        (c.line_height(m.prompt, 3), c.min_line_height(m.prompt) * 2, 1),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, tech_r, note_r, keys_r = column(rect, parts, m.gap)

    # Title with the warning sign in front of it.
    sign = title_r.h
    fitted = c.fit(text.SAFETY_TITLE, pygame.Rect(0, 0, title_r.w - sign - m.gap, title_r.h), m.title, max_lines=1)
    sign_r = pygame.Rect(title_r.x, title_r.y, sign, sign)
    c.warning_sign(sign_r.inflate(-max(2, sign // 8), -max(2, sign // 8)))
    c.draw_fitted(fitted, pygame.Rect(sign_r.right + m.gap, title_r.y, title_r.w - sign - m.gap, title_r.h), theme.WARN, align="left")

    c.text(v.technique, tech_r, m.label, theme.ACCENT, align="left", max_lines=1)

    # The note in a panel with an amber edge.
    inner = edged_panel(c, note_r, theme.WARN)
    c.text(v.note, inner, Style(max(m.prompt.px, round(m.title.px * 1.1)), m.prompt.min_px), theme.TEXT, align="left")

    draw_keys(c, keys_r, text.SAFETY_KEYS)
