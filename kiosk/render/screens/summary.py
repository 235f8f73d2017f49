"""After a session: saved or not, how it ended, pain before -> after, time practised. A
session stopped before it counted says so kindly, with the time done; a stopped session
also says, calmly, that pain rising at first is part of retraining and does no harm."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.model import Status
from kiosk.render import theme
from kiosk.render.layout import Style, column, fits, row
from kiosk.render.widgets import Canvas, draw_keys, keys_height
from kiosk.views import SummaryView


def ending_words(status: Status, counted: bool = True, seconds: int = 0) -> str:
    """How the session ended, in words (looked up when drawn, so a changed table shows): a
    stop before the session counted with the time done, never "it still counts"."""
    if not counted and status is Status.STOPPED_EARLY:
        return text.stopped_short(seconds)
    words = {
        Status.COMPLETED: text.COMPLETED,
        Status.STOPPED_EARLY: text.STOPPED_EARLY,
        Status.INTERRUPTED: text.INTERRUPTED,
    }.get(status, "")
    return words if counted else f"{words} {text.NOT_COUNTED}".strip()


def reassurance(status: Status) -> str:
    """Where a child is tempted to stop: pain may rise at first, and that is all right."""
    return text.PAIN_MAY_RISE if status is Status.STOPPED_EARLY else ""


def draw(c: Canvas, rect: pygame.Rect, v: SummaryView) -> None:
    m = c.m
    status = Status(v.status)
    ending = ending_words(status, v.counted, v.active_seconds)
    calm = reassurance(status)
    short = not v.counted and status is Status.STOPPED_EARLY  # the time is in the words
    pair_h = max(110, round(190 * m.s))
    what = text.session_line(v.area, v.technique)
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        c.message_part(ending, rect.w, m.body),
        c.message_part(calm, rect.w, m.label),
        (pair_h, round(pair_h * 0.6), 0),
        (0, 0, 0) if short else (c.line_height(m.label), c.min_line_height(m.label), 0),
        (c.wanted_height(what, rect.w, m.label, 2), c.min_line_height(m.label), 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    # Short of room: the area and technique make way for the messages (they were chosen
    # a minute ago and are in the history).
    if not fits(parts, rect.h, m.gap):
        parts[5] = (0, 0, 0)
    saved_r, ending_r, calm_r, pair_r, time_r, what_r, keys_r = column(rect, parts, m.gap, spread=True)

    # "Saved" with a check mark, or "Not saved" with the warning sign.
    words, color = (text.SAVED, theme.ACCENT) if v.saved else (text.NOT_SAVED, theme.WARN)
    icon = saved_r.h
    fitted = c.fit(words, pygame.Rect(0, 0, saved_r.w - icon - m.gap, saved_r.h), m.title, max_lines=1)
    total = icon + m.gap + fitted.width
    x = saved_r.centerx - total // 2
    icon_r = pygame.Rect(x, saved_r.y, icon, icon).inflate(-max(2, icon // 6), -max(2, icon // 6))
    if v.saved:
        c.check_mark(icon_r, theme.ACCENT)
    else:
        c.warning_sign(icon_r)
    c.draw_fitted(fitted, pygame.Rect(x + icon + m.gap, saved_r.y, fitted.width, saved_r.h), color, align="left")

    if ending:
        c.text(ending, ending_r, m.body, theme.TEXT, max_lines=3)
    if calm:
        c.text(calm, calm_r, m.label, theme.DIM, max_lines=3)
    _before_after(c, pair_r, v)
    if time_r.h:
        c.text(text.minutes_done(v.active_seconds), time_r, m.label, theme.TEXT, max_lines=1)
    if what_r.h:
        c.text(what, what_r, m.label, theme.DIM, max_lines=2)
    draw_keys(c, keys_r, text.SUMMARY_KEYS)


def _before_after(c: Canvas, rect: pygame.Rect, v: SummaryView) -> None:
    """Two coloured tiles, before -> after, each with its label beneath."""
    m = c.m
    label_h = c.line_height(m.small)
    tile = max(20, min(rect.h - label_h - m.gap // 2, round(rect.w * 0.24)))
    arrow = max(16, round(tile * 0.5))
    width = round(tile * 1.15)
    cells = row(rect, [(width, width, 0), (arrow, arrow, 0), (width, width, 0)], 2 * m.margin)
    for cell, value, label in ((cells[0], v.before, text.BEFORE), (cells[2], v.after, text.AFTER)):
        tile_r = pygame.Rect(cell.x, cell.y + (cell.h - tile - label_h - m.gap // 2) // 2, cell.w, tile)
        label_r = pygame.Rect(cell.x - m.margin, tile_r.bottom + m.gap // 2, cell.w + 2 * m.margin, label_h)
        if value is None:
            c.box(tile_r, theme.PANEL)
            c.box(tile_r, theme.GREY, width=max(2, m.line))
            c.text(text.NOT_RATED, tile_r.inflate(-2 * m.gap, -2 * m.gap), m.body, theme.DIM, max_lines=2)
        else:
            c.box(tile_r, theme.pain_color(value))
            num = Style(round(tile * 0.9), max(16, round(tile * 0.4)))
            c.text(str(value), tile_r.inflate(-m.gap, -m.gap), num, theme.ON_CELL, max_lines=1)
        c.text(label, label_r, m.small, theme.DIM, max_lines=1)
    arrow_r = pygame.Rect(cells[1].x, cells[1].y, cells[1].w, cells[1].h)
    arrow_r.h = tile
    arrow_r.y = cells[1].y + (cells[1].h - tile - label_h - m.gap // 2) // 2
    c.arrow_right(arrow_r, theme.DIM)
