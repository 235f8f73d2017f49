"""Choosing from a list (an area, a technique, who is practising, where a check-in hurts,
the clinician's menu): a vertical list that scrolls to keep the selected row in view, group
headers, a marker on items with a safety note, a short note after a label (graded
practice's "your level"), and scroll arrows."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import column
from kiosk.render.widgets import Canvas, draw_keys, keys_height
from kiosk.views import ChoiceView, ListItem

TOUCH_ROW_PX = 56  # a row's least height at 800x480 when rows are touched (scaled with the screen)

def title_of(kind: str) -> str:
    """The list's title, read when drawing so it follows the current language."""
    titles = {
        "area": text.CHOOSE_AREA,
        "technique": text.CHOOSE_TECHNIQUE,
        "profile": text.CHOOSE_PROFILE,
        "checkin_area": text.CHOOSE_CHECKIN_AREA,
        "clinician": text.CLINICIAN_TITLE,
        "export_period": text.MENU_EXPORT,
        "level_area": text.MENU_SET_LEVEL,
        "level_choice": text.MENU_SET_LEVEL,
    }
    return titles.get(kind, text.CHOOSE_TECHNIQUE)


def draw(c: Canvas, rect: pygame.Rect, v: ChoiceView, touch: bool = False) -> None:
    """`touch`: the rows are touch targets, so at least a finger tall."""
    m = c.m
    title = title_of(v.kind)
    sub = bool(v.subtitle)
    row_h, hdr_h = row_heights(c, touch)
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.label) if sub else 0, c.min_line_height(m.label) if sub else 0, 0),
        (row_h * 3, row_h, 1),  # the list takes what is left
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, sub_r, list_r, keys_r = column(rect, parts, m.gap)
    c.text(title, title_r, m.title, theme.TEXT, align="left", max_lines=1)
    if sub:
        c.text(v.subtitle, sub_r, m.label, theme.ACCENT, align="left", max_lines=1)
    _list(c, list_r, v, row_h, hdr_h)
    draw_keys(c, keys_r, text.LIST_KEYS)


def row_rects(c: Canvas, rect: pygame.Rect, v: ChoiceView, touch: bool = True) -> list[tuple[int, pygame.Rect]]:
    """(index, rect) of each selectable row drawn in `rect` (the whole row, its gaps
    included): the touch targets."""
    m = c.m
    row_h, hdr_h = row_heights(c, touch)
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.label) if v.subtitle else 0, c.min_line_height(m.label) if v.subtitle else 0, 0),
        (row_h * 3, row_h, 1),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    list_r = column(rect, parts, m.gap)[2]
    heights = [hdr_h if it.header else row_h for it in v.items]
    first, end = visible_window(v.items, v.selected, heights, list_r.h)
    gutter = max(16, round(30 * m.s)) if (first > 0 or end < len(v.items)) else 0
    width = list_r.w - gutter - (m.gap if gutter else 0)
    rows, y = [], list_r.y
    for i in range(first, end):
        if not v.items[i].header:
            rows.append((i, pygame.Rect(list_r.x, y, width, heights[i])))
        y += heights[i]
    return rows


def row_heights(c: Canvas, touch: bool = False) -> tuple[int, int]:
    """A row's and a group header's height; with `touch`, a row is at least a finger tall."""
    m = c.m
    row_h = round(c.line_height(m.body) * 1.45)
    if touch:
        row_h = max(row_h, round(TOUCH_ROW_PX * m.s))
    return row_h, round(c.line_height(m.small) * 1.35)


def visible_window(items: tuple[ListItem, ...], selected: int, heights: list[int], room: int) -> tuple[int, int]:
    """The rows [first, end) to show: the selected row, then as many neighbours as fit,
    taken alternately above and below so the selection sits near the middle. Depends only
    on the view, so equal views draw equal pictures."""
    n = len(items)
    if n == 0:
        return 0, 0
    sel = max(0, min(n - 1, selected))
    a, b, used = sel, sel + 1, heights[sel]
    while True:
        up = a > 0 and used + heights[a - 1] <= room
        down = b < n and used + heights[b] <= room
        if not (up or down):
            break
        if up and (not down or sel - a <= b - sel - 1):
            a -= 1
            used += heights[a]
        else:
            used += heights[b]
            b += 1
    # A header as the last visible row would announce rows that are not shown.
    while b - 1 > sel and items[b - 1].header and b < n:
        b -= 1
        used -= heights[b]
        while a > 0 and used + heights[a - 1] <= room:
            a -= 1
            used += heights[a]
    return a, b


def _list(c: Canvas, rect: pygame.Rect, v: ChoiceView, row_h: int, hdr_h: int) -> None:
    m = c.m
    items = v.items
    heights = [hdr_h if it.header else row_h for it in items]
    first, end = visible_window(items, v.selected, heights, rect.h)
    more_above, more_below = first > 0, end < len(items)
    gutter = max(16, round(30 * m.s)) if (more_above or more_below) else 0
    rows = pygame.Rect(rect.x, rect.y, rect.w - gutter - (m.gap if gutter else 0), rect.h)
    pad = max(6, round(16 * m.s))
    y = rows.y
    for i in range(first, end):
        item, h = items[i], heights[i]
        r = pygame.Rect(rows.x, y, rows.w, h)
        y += h
        if item.header:
            label_r = pygame.Rect(r.x + pad // 2, r.y, r.w - pad // 2, r.h)
            drawn = c.text(item.label.upper(), label_r, m.small, theme.ACCENT, align="left", valign="bottom", max_lines=1)
            rule_y = drawn.centery
            if drawn.right + m.gap < r.right:
                pygame.draw.line(c.surface, theme.TRACK, (drawn.right + m.gap, rule_y), (r.right, rule_y), max(1, m.line // 2))
            continue
        selected = i == v.selected
        bar = r.inflate(0, -max(2, m.gap // 2))
        if selected:
            c.box(bar, theme.ACCENT)
        text_r = bar.inflate(-2 * pad, 0)
        if item.flagged:
            mark = min(bar.h - 2 * max(2, m.gap // 2), round(c.line_height(m.body) * 0.9))
            mark_r = pygame.Rect(0, 0, mark, mark)
            mark_r.midright = (bar.right - pad, bar.centery)
            c.warning_sign(mark_r)
            text_r.width -= mark + pad
        if item.note:
            # The note at the right, its width capped so the label keeps most of the row.
            note_fit = c.fit(item.note, pygame.Rect(0, 0, text_r.w * 2 // 5, bar.h), m.label, max_lines=1)
            note_r = pygame.Rect(text_r.right - note_fit.width, bar.y, note_fit.width, bar.h)
            c.draw_fitted(note_fit, note_r, theme.ON_ACCENT if selected else theme.ACCENT, align="right")
            text_r.width -= note_fit.width + pad
        c.text(item.label, text_r, m.body, theme.ON_ACCENT if selected else theme.TEXT, align="left", max_lines=1)
    if gutter:
        _scroll_hints(c, pygame.Rect(rect.right - gutter, rect.y, gutter, rect.h), first, end, len(items), more_above, more_below)


def _scroll_hints(c: Canvas, rect: pygame.Rect, first: int, end: int, n: int, above: bool, below: bool) -> None:
    """Arrows where rows are hidden, and a slim bar showing which part of the list is shown."""
    arrow_h = rect.w
    top = pygame.Rect(rect.x, rect.y, rect.w, arrow_h)
    bottom = pygame.Rect(rect.x, rect.bottom - arrow_h, rect.w, arrow_h)
    c.triangle(top, theme.TEXT if above else theme.TRACK, up=True)
    c.triangle(bottom, theme.TEXT if below else theme.TRACK, up=False)
    track = pygame.Rect(0, 0, max(3, rect.w // 4), rect.h - 2 * arrow_h - 2 * c.m.gap)
    track.midtop = (rect.centerx, top.bottom + c.m.gap)
    if track.h <= 4:
        return
    c.box(track, theme.TRACK, radius=track.w // 2)
    thumb = track.copy()
    thumb.y = track.y + track.h * first // n
    thumb.h = max(track.w, track.h * (end - first) // n)
    thumb.bottom = min(thumb.bottom, track.bottom)
    c.box(thumb, theme.DIM, radius=track.w // 2)
