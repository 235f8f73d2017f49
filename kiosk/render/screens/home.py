"""Home: today's count, the week as seven dots, the way to start, and the other keys: up or
down for a pain check-in (one press, drawn with our colour bar so it is easy to find) and
back for the progress screen."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column, fits, place, row
from kiosk.render.widgets import Canvas
from kiosk.views import HomeView


def draw(c: Canvas, rect: pygame.Rect, v: HomeView) -> None:
    m = c.m
    done = v.target > 0 and v.done_today >= v.target
    dot = max(22, round(46 * m.s))
    week_h = dot + m.gap // 2 + c.line_height(m.small)
    button_h = round(c.line_height(m.body) * 1.85)
    note = v.line or text.TREATMENT_NOTE  # a message: wrapped to fit, never cut
    well_done = text.ALL_DONE_TODAY if done else ""
    parts = [
        (c.line_height(m.label), c.min_line_height(m.label), 0),  # app title
        (c.line_height(m.big), c.min_line_height(m.big), 0),  # Today N of M
        (week_h, week_h, 0),  # seven dots
        (c.line_height(m.label), c.min_line_height(m.label), 0),  # N days practised
        c.message_part(well_done, rect.w, m.body),
        (button_h, round(c.min_line_height(m.body) * 1.3), 0),  # Press select to start
        c.message_part(note, rect.w, m.small),  # the line
        (_keys_height(c, rect.w), c.min_line_height(m.hint), 0),  # the other keys
    ]
    # Short of room (a small screen with a notice): the days line goes first (the dots say
    # it too), then the app's name; the messages keep the room to be read whole.
    for spare in (3, 0) if not v.profile else (3,):
        if fits(parts, rect.h, m.gap):
            break
        parts[spare] = (0, 0, 0)
    title_r, today_r, week_r, days_r, done_r, button_r, note_r, keys_r = column(rect, parts, m.gap, spread=True)

    if title_r.h:
        title = text.profile_title(v.profile) if v.profile else text.APP_TITLE
        c.text(title, title_r, m.label, theme.ACCENT, max_lines=1)
    c.text(text.today_count(v.done_today, v.target), today_r, m.big, theme.TEXT, max_lines=1)
    _week(c, week_r, v, dot)
    if days_r.h:
        c.text(text.days_this_week(sum(1 for d in v.week if d)), days_r, m.label, theme.DIM, max_lines=1)
    if well_done:
        c.text(well_done, done_r, m.body, theme.ACCENT, max_lines=2)

    # The start button: a wide accent bar with dark text.
    fitted = c.fit(text.PRESS_SELECT_TO_START, button_r.inflate(-4 * m.margin, -m.gap), m.body, max_lines=1)
    bw = min(rect.w, max(fitted.width + 4 * m.margin, rect.w * 2 // 3))
    bar = place((bw, button_r.h), button_r)
    c.box(bar, theme.ACCENT, radius=bar.h // 2)
    c.draw_fitted(fitted, bar, theme.ON_ACCENT)

    c.text(note, note_r, m.small, theme.DIM, max_lines=3)
    _other_keys(c, keys_r)


def _key_widths(c: Canvas) -> tuple[int, int, int]:
    """(colour bar, check-in words with the bar, history words) widths at the hint size."""
    m = c.m
    font = c.ts.fonts.get(m.hint.px)
    strip_w = max(18, round(c.line_height(m.hint) * 1.6))
    return strip_w, strip_w + m.gap + font.size(text.HOME_CHECKIN_KEYS)[0], font.size(text.HOME_HISTORY_KEYS)[0]


def _keys_height(c: Canvas, width: int) -> int:
    """One line when both fit side by side, else two (each as tall as a rendered line)."""
    if _keys_in_a_row(c, width):
        return c.line_height(c.m.hint)
    font = c.ts.fonts.get(c.m.hint.px)
    return 2 * max(font.get_height(), font.size(text.HOME_CHECKIN_KEYS)[1]) + c.m.gap // 2


def _keys_in_a_row(c: Canvas, width: int) -> bool:
    _, a, b = _key_widths(c)
    return a + b + 2 * c.m.margin <= width


def _other_keys(c: Canvas, rect: pygame.Rect) -> None:
    """"up/down: how is your pain?" after a small 0-10 colour bar, and "back: your
    progress": side by side when they fit, else one above the other."""
    m = c.m
    strip_w, want_a, want_b = _key_widths(c)
    space = 2 * m.margin
    line_h = c.line_height(m.hint)
    if _keys_in_a_row(c, rect.w) or rect.h < 2 * c.min_line_height(m.hint):
        if want_a + want_b + space > rect.w:
            share = (rect.w - space) / max(1, want_a + want_b)
            want_a, want_b = round(want_a * share), round(want_b * share)
        a, b = row(rect, [(want_a, want_a, 0), (want_b, want_b, 0)], space)
        b_align = "left"
    else:
        top, bottom = column(rect, [(line_h, 1, 1), (line_h, 1, 1)], c.m.gap // 2)
        want_a, want_b = min(want_a, rect.w), min(want_b, rect.w)
        a = pygame.Rect(rect.centerx - want_a // 2, top.y, want_a, top.h)
        b = bottom
        b_align = "center"
    strip = pygame.Rect(a.x, 0, strip_w, max(6, round(min(a.h, line_h) * 0.55)))
    strip.centery = a.centery
    cell = strip.w / 11
    for i in range(11):
        x0, x1 = round(strip.x + i * cell), round(strip.x + (i + 1) * cell)
        pygame.draw.rect(c.surface, theme.pain_color(i), pygame.Rect(x0, strip.y, x1 - x0, strip.h))
    words_a = pygame.Rect(strip.right + m.gap, a.y, a.right - strip.right - m.gap, a.h)
    c.text(text.HOME_CHECKIN_KEYS, words_a, m.hint, theme.TEXT, align="left", max_lines=1)
    c.text(text.HOME_HISTORY_KEYS, b, m.hint, theme.DIM, align=b_align, max_lines=1)


def _week(c: Canvas, rect: pygame.Rect, v: HomeView, dot: int) -> None:
    """Seven dots Monday..Sunday, filled when practised, today ringed, letters beneath."""
    m = c.m
    days = len(text.WEEKDAYS)
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
        c.text(text.WEEKDAYS[i], letter_r, m.small, theme.TEXT if today else theme.DIM, max_lines=1)
