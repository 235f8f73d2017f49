"""Home: today's count, the week as seven dots, the way to start, and the other keys: up or
down for a pain check-in (one press, drawn with our colour bar so it is easy to find; left
out when the clinician turned the check-in hint off) and back for the progress screen. While
the wall clock is not set, a small "clock not set" sits at the top right, never in the
count's way."""

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
        (_keys_height(c, rect.w, v.checkin_hint), c.min_line_height(m.hint), 0),  # the other keys
    ]
    title = text.profile_title(v.profile) if v.profile else text.APP_TITLE
    # "clock not set" sits beside the title, or under it where the line is too narrow.
    top = _top_line(c, rect.w, title) if v.clock_unset else TITLE
    if top == STACKED:
        parts[0] = (
            c.line_height(m.label) + m.gap // 2 + c.line_height(m.small),
            c.min_line_height(m.label) + m.gap // 2 + c.min_line_height(m.small),
            0,
        )
    # Short of room (a small screen with a notice): the days line goes first (the dots say
    # it too), then the app's name; the messages keep the room to be read whole. "clock
    # not set" keeps a small line of its own up there, and goes last.
    for spare in (3, 0, 0) if not v.profile else (3,):
        if fits(parts, rect.h, m.gap):
            break
        if spare == 0 and parts[0][0] and top in (BESIDE, STACKED):
            parts[0] = (c.line_height(m.small), c.min_line_height(m.small), 0)
            top = ALONE
        else:
            parts[spare] = (0, 0, 0)
    title_r, today_r, week_r, days_r, done_r, button_r, note_r, keys_r = column(rect, parts, m.gap, spread=True)

    if title_r.h:
        if top == STACKED:
            lines = [(c.line_height(m.label), 1, 1), (c.line_height(m.small), 1, 1)]
            title_r, clock_r = column(title_r, lines, m.gap // 2)
            _clock_unset(c, clock_r, alone=True)
        elif top in (BESIDE, ALONE):
            title_r = _clock_unset(c, title_r, alone=top == ALONE)
        if title_r.w > 0:
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
    _other_keys(c, keys_r, v.checkin_hint)


# What the top line holds: the title; the title and "clock not set" beside it; the two
# stacked; or "clock not set" alone (no room for the title).
TITLE, BESIDE, STACKED, ALONE = range(4)


def _clock_width(c: Canvas) -> int:
    m = c.m
    face = round(c.ts.fonts.get(m.small.px).get_height() * 0.8)
    return face + m.gap + c.ts.fonts.get(m.small.px).size(text.CLOCK_NOT_SET)[0]


def _top_line(c: Canvas, width: int, title: str) -> int:
    """BESIDE when the title, centred, fits between "clock not set" and its mirror
    image at their full sizes; else STACKED."""
    m = c.m
    title_w = c.ts.fonts.get(m.label.px).size(title)[0]
    return BESIDE if title_w + 2 * (_clock_width(c) + m.margin) <= width else STACKED


def _clock_unset(c: Canvas, rect: pygame.Rect, alone: bool) -> pygame.Rect:
    """"clock not set" after a small clock face, small, at the right of the top line (the
    whole line when `alone`); returns the room left for the title, centred as before."""
    m = c.m
    words = c.fit(text.CLOCK_NOT_SET, pygame.Rect(0, 0, rect.w if alone else rect.w // 3, rect.h), m.small, max_lines=1)
    face = min(rect.h, round(words.line_height * 0.8))
    width = face + m.gap + words.width
    note = pygame.Rect(rect.right - width, rect.y, width, rect.h)
    if alone:
        note.centerx = rect.centerx
    c.clock_face(pygame.Rect(note.x, rect.centery - face // 2, face, face), theme.WARN)
    c.draw_fitted(words, pygame.Rect(note.x + face + m.gap, rect.y, words.width, rect.h), theme.DIM, align="left")
    if alone:
        return pygame.Rect(rect.x, rect.y, 0, rect.h)
    # The title keeps the middle of the line, clear of the note on either side.
    room = rect.w - 2 * (width + m.margin)
    return pygame.Rect(rect.centerx - room // 2, rect.y, max(0, room), rect.h)


def _key_widths(c: Canvas, checkin: bool = True) -> tuple[int, int, int]:
    """(colour bar, check-in words with the bar, history words) widths at the hint size."""
    m = c.m
    font = c.ts.fonts.get(m.hint.px)
    strip_w = max(18, round(c.line_height(m.hint) * 1.6))
    checkin_w = strip_w + m.gap + font.size(text.HOME_CHECKIN_KEYS)[0] if checkin else 0
    return strip_w, checkin_w, font.size(text.HOME_HISTORY_KEYS)[0]


def _keys_height(c: Canvas, width: int, checkin: bool = True) -> int:
    """One line when both fit side by side (or there is only one), else two (each as tall
    as a rendered line)."""
    if not checkin or _keys_in_a_row(c, width):
        return c.line_height(c.m.hint)
    font = c.ts.fonts.get(c.m.hint.px)
    return 2 * max(font.get_height(), font.size(text.HOME_CHECKIN_KEYS)[1]) + c.m.gap // 2


def _keys_in_a_row(c: Canvas, width: int) -> bool:
    _, a, b = _key_widths(c)
    return a + b + 2 * c.m.margin <= width


def _other_keys(c: Canvas, rect: pygame.Rect, checkin: bool = True) -> None:
    """"up/down: how is your pain?" after a small 0-10 colour bar, and "back: your
    progress": side by side when they fit, else one above the other. Without the check-in
    hint, only "back: your progress", centred."""
    m = c.m
    if not checkin:
        c.text(text.HOME_HISTORY_KEYS, rect, m.hint, theme.DIM, max_lines=1)
        return
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
