"""The clinician's button code: a slot per press, filled as presses come in. It never shows
which buttons were pressed, only how many. After too many wrong codes the entry is locked:
the screen says so and for how long, with a padlock over empty slots (no press counts)."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column, row
from kiosk.render.widgets import Canvas, draw_keys, keys_height
from kiosk.views import CodeView


def draw(c: Canvas, rect: pygame.Rect, v: CodeView) -> None:
    if v.locked_minutes > 0:
        _locked(c, rect, v)
        return
    m = c.m
    slot = _slot(c)
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (slot, slot // 2, 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, slots_r, keys_r = column(rect, parts, 3 * m.gap, spread=True)
    c.text(text.CODE_TITLE, title_r, m.title, theme.TEXT, max_lines=1)
    _slots(c, slots_r, v.length, v.entered, theme.ACCENT)
    draw_keys(c, keys_r, text.CODE_HINT)


def _slot(c: Canvas) -> int:
    return max(28, round(64 * c.m.s))


def _slots_width(c: Canvas, length: int, size: int) -> int:
    n = max(1, length)
    return size * n + max(4, round(_slot(c) * 0.35)) * (n - 1)


def _slots(c: Canvas, rect: pygame.Rect, length: int, entered: int, color) -> pygame.Rect:
    """A rounded slot per press, the first `entered` outlined and dotted in `color`;
    returns the rect the row covers."""
    m = c.m
    n = max(1, length)
    gap = max(4, round(_slot(c) * 0.35))
    size = min(rect.h, (rect.w - gap * (n - 1)) // n)
    x = rect.centerx - (size * n + gap * (n - 1)) // 2
    for i in range(n):
        box = pygame.Rect(x + i * (size + gap), rect.centery - size // 2, size, size)
        c.box(box, theme.PANEL, radius=max(3, size // 5))
        c.box(box, color if i < entered else theme.GREY, radius=max(3, size // 5), width=max(2, m.line))
        if i < entered:
            c.disc(box.center, max(2, size // 4), color)
    return pygame.Rect(x, rect.centery - size // 2, size * n + gap * (n - 1), size)


def _locked(c: Canvas, rect: pygame.Rect, v: CodeView) -> None:
    """"Locked for 5 more minutes" in amber under the title, the slots empty and dim behind
    a padlock, and why (too many wrong codes; presses are not counted)."""
    m = c.m
    slot = _slot(c)
    locked = text.code_locked(v.locked_minutes)
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        c.message_part(locked, rect.w, m.title, lines=1, most=2),
        (slot, slot // 2, 0),
        c.message_part(text.CODE_LOCKED_BODY, rect.w, m.body, lines=2, most=3),
    ]
    title_r, locked_r, slots_r, body_r = column(rect, parts, 2 * m.gap, spread=True)
    c.text(text.CODE_TITLE, title_r, m.title, theme.TEXT, max_lines=1)
    c.text(locked, locked_r, m.title, theme.WARN, max_lines=2)
    # A padlock in front of the empty slots: nothing entered now is counted.
    lock = slots_r.h
    lock_r, row_r = row(slots_r, [(lock, lock, 0), (_slots_width(c, v.length, lock), 1, 0)], 2 * m.margin)
    c.padlock(lock_r, theme.WARN)
    _slots(c, row_r, v.length, 0, theme.GREY)
    c.text(text.CODE_LOCKED_BODY, body_r, m.body, theme.DIM, max_lines=3)
