"""A page of plain lines to read: what this kiosk saves, or the clinician's "Problems". The
title, then each line as its own paragraph after a bullet, wrapped, all at one size: as
large as fits, down to the smallest readable size; lines that still do not fit are left
out whole and a last line says how many more there are."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import FittedList, Style, column
from kiosk.render.widgets import Canvas, draw_keys, keys_height
from kiosk.views import InfoView


def line_style(c: Canvas) -> Style:
    """The lines' size: a list item's, shrinking to a small label's least (read up close)."""
    return Style(c.m.body.px, c.m.small.min_px)


def draw(c: Canvas, rect: pygame.Rect, v: InfoView) -> FittedList:
    """Returns how the lines were fitted (tests look at the size and what was left out)."""
    m = c.m
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (rect.h, c.min_line_height(m.body) * 2, 1),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, lines_r, keys_r = column(rect, parts, 2 * m.gap)

    # The title: the warning sign in front of it when these are problems.
    color = theme.ACCENT if v.ok else theme.WARN
    sign = 0 if v.ok else title_r.h
    fitted = c.fit(v.title, pygame.Rect(0, 0, title_r.w - sign - m.gap, title_r.h), m.title, max_lines=1)
    if sign:
        c.warning_sign(pygame.Rect(title_r.x, title_r.y, sign, sign).inflate(-max(2, sign // 8), -max(2, sign // 8)))
    words_x = title_r.x + (sign + m.gap if sign else 0)
    c.draw_fitted(fitted, pygame.Rect(words_x, title_r.y, title_r.right - words_x, title_r.h), color, align="left")

    listed = _lines(c, lines_r, v)
    draw_keys(c, keys_r, text.MESSAGE_KEYS)
    return listed


def _lines(c: Canvas, rect: pygame.Rect, v: InfoView) -> FittedList:
    m = c.m
    style = line_style(c)
    bullet = max(6, round(c.line_height(style) * 0.22))
    indent = 2 * bullet + m.margin
    gap = max(2, m.gap)
    fitted = c.ts.fit_list(tuple(v.lines), rect.w - indent, rect.h, style, gap)
    dot = theme.DIM if v.ok else theme.WARN
    y = rect.y
    for lines in fitted.paragraphs:
        c.disc((rect.x + bullet, y + fitted.line_height // 2), bullet // 2 + 1, dot)
        for line in lines:
            if line:
                surf = c.ts.render(line, fitted.px, theme.TEXT)
                box = surf.get_rect(topleft=(rect.x + indent, y))
                c.surface.blit(surf, box)
                c.boxes.append((line, box))
            y += fitted.line_step
        y += gap - (fitted.line_step - fitted.line_height)
    if fitted.more:
        words = text.and_more(fitted.more)
        surf = c.ts.render(words, fitted.px, theme.DIM)
        box = surf.get_rect(topleft=(rect.x + indent, y))
        c.surface.blit(surf, box)
        c.boxes.append((words, box))
    return fitted
