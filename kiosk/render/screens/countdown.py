"""The countdown: huge mm:ss, a ring that empties as time passes, the current step's
prompt, and a clear pause state."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import Style, column, row
from kiosk.render.widgets import Canvas
from kiosk.views import CountdownView


PROMPT_LINES = 3  # a prompt longer than this at its full size is set smaller


def clock(seconds: int) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes:02d}:{secs:02d}"


def draw(c: Canvas, rect: pygame.Rect, v: CountdownView) -> None:
    """The time is the biggest thing on screen, the prompt the second: both are read from
    the bed. The prompt keeps its size (up to three lines); the time and ring give way."""
    m = c.m
    # The stop hint is a message: it wraps in its band, it is never cut.
    band_pad = round(c.line_height(m.body) * 0.4)
    hint_w = rect.w - 4 * m.margin
    hint_h, least_hint_h, _ = c.message_part(text.HOLD_BACK_TO_STOP, hint_w, m.body)
    hint_h, least_hint_h = hint_h + band_pad, least_hint_h + band_pad // 2
    paused_h = c.line_height(m.title) if v.paused else 0
    prompt_h = c.wanted_height(v.prompt, rect.w, m.instruction, PROMPT_LINES)
    least_prompt_h = c.wanted_height(v.prompt, rect.w, Style(m.instruction.min_px, m.instruction.min_px), PROMPT_LINES)
    time_h = max(30, round(100 * m.s))  # grows into all the room the others leave
    parts = [
        (c.line_height(m.label), c.min_line_height(m.label), 0),  # technique, step i of n
        (time_h, time_h, 1),  # time and ring
        (paused_h, c.min_line_height(m.title) if v.paused else 0, 0),  # Paused
        (prompt_h, least_prompt_h, 0),  # the prompt
        (hint_h, least_hint_h, 0) if v.hint else (c.line_height(m.far_hint), c.min_line_height(m.far_hint), 0),
    ]
    top_r, mid_r, paused_r, prompt_r, keys_r = column(rect, parts, m.gap)

    # Top line: technique at the left, "Step i of n" at the right.
    if v.steps > 1:
        step_text = text.step_of(v.step, v.steps)
        step_fit = c.fit(step_text, top_r, m.label, max_lines=1)
        tech_r, step_r = row(top_r, [(top_r.w - step_fit.width - m.margin, 1, 1), (step_fit.width, step_fit.width, 0)], m.margin)
        c.draw_fitted(step_fit, step_r, theme.DIM, align="right")
    else:
        tech_r = top_r
    c.text(v.technique, tech_r, m.label, theme.ACCENT, align="left", max_lines=1)

    _time_and_ring(c, mid_r, v)

    if v.paused:
        c.text(text.PAUSED, paused_r, m.title, theme.WARN, max_lines=1)
    c.text(v.prompt, prompt_r, m.instruction, theme.DIM if v.paused else theme.TEXT, max_lines=PROMPT_LINES)

    if v.hint:
        fitted = c.fit(text.HOLD_BACK_TO_STOP, keys_r.inflate(-4 * m.margin, -band_pad // 2), m.body, max_lines=3)
        band = pygame.Rect(0, 0, min(keys_r.w, fitted.width + 4 * m.margin), min(keys_r.h, fitted.height + band_pad))
        band.center = keys_r.center
        c.box(band, theme.WARN, radius=min(band.h, c.line_height(m.body) + band_pad) // 2)
        c.draw_fitted(fitted, band, theme.ON_WARN)
    else:
        c.text(text.RESUME_KEYS if v.paused else text.PAUSE_KEYS, keys_r, m.far_hint, theme.DIM, max_lines=1)


def _time_and_ring(c: Canvas, rect: pygame.Rect, v: CountdownView) -> None:
    m = c.m
    fraction = v.remaining / v.total if v.total > 0 else 0.0
    shown = clock(v.remaining)
    sample = "".join("0" if ch.isdigit() else ch for ch in shown)
    if rect.w >= rect.h * 1.7:
        # Wide (the time is bigger beside the ring than over it): the ring at the left.
        d = min(rect.h, round(rect.w * 0.22))
        ring_r, time_r = row(rect, [(d, d, 0), (rect.w - d - m.margin, 1, 1)], m.margin)
        ring_r = pygame.Rect(ring_r.x, rect.centery - d // 2, d, d)
    else:
        # Narrow: the time on top, the ring under it.
        time_h = min(rect.h // 2, round(rect.w * 0.42))
        time_r, ring_r = column(rect, [(time_h, 1, 0), (rect.h - time_h - m.gap, 1, 1)], m.gap)
        d = min(ring_r.w, ring_r.h)
        ring_r = pygame.Rect(ring_r.centerx - d // 2, ring_r.centery - d // 2, d, d)

    px = c.ts.largest_px(sample, time_r.w, time_r.h, 12, 900)
    color = theme.DIM if v.paused else theme.TEXT
    c.text(shown, time_r, Style(px, max(12, px // 2)), color, max_lines=1)

    if d < 8:
        return
    r_out = d / 2
    thick = max(4, d * 0.15)
    center = ring_r.center
    c.ring(center, r_out, r_out - thick, 1.0, theme.TRACK)
    # What remains, clockwise from 12 o'clock, ending at 12: the empty part grows from 12.
    c.ring(center, r_out, r_out - thick, fraction, theme.GREY if v.paused else theme.ACCENT, start=1.0 - fraction)
    if v.paused:
        bars = round((r_out - thick) * 0.9)
        c.pause_bars(pygame.Rect(center[0] - bars // 2, center[1] - bars // 2, bars, bars), theme.TEXT)
