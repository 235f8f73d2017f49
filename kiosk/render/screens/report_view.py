"""The clinician's report on the kiosk's own screen: a condensed page: adherence and the
session counts at the side, sessions a day and pain before/after drawn by the same chart
code as the history screen and the printed report. Days whose dates may be wrong (the
clock was not set) are marked on the date axis, with a legend line under the charts."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.render import charts, theme
from kiosk.render.layout import Style, column, fits, row
from kiosk.render.screens import history
from kiosk.render.widgets import Canvas, draw_keys, keys_height, title_with_side
from kiosk.views import ReportView


def draw(c: Canvas, rect: pygame.Rect, v: ReportView) -> None:
    m = c.m
    d = v.data
    demo = bool(d.demo)
    has_charts = d.sessions > 0 or any(day.checkins for day in d.days)
    unsynced = {day.day for day in d.days} & set(d.unsynced_days) if has_charts else set()
    style = history.chart_style(c, m.hint)
    legend_h = charts.label_height(style) if unsynced else 0
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.small), c.min_line_height(m.small), 0),
        (rect.h, rect.h // 2, 1),
        (legend_h, legend_h, 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, sub_r, body_r, legend_r, keys_r = column(rect, parts, m.gap)

    title_with_side(c, title_r, text.REPORT_TITLE, d.profile, theme.ACCENT)

    dates = text.date_span(d.first_day, d.last_day)
    if demo:
        tag = c.fit(text.SAMPLE_DATA_SHORT, pygame.Rect(0, 0, sub_r.w * 2 // 5, sub_r.h), m.small, max_lines=1)
        when, tag_r = row(sub_r, [(sub_r.w - tag.width - 2 * m.gap - m.margin, 1, 1), (tag.width + 2 * m.gap, 1, 0)], m.margin)
        c.box(tag_r, theme.WARN, radius=max(3, tag_r.h // 4))
        c.draw_fitted(tag, tag_r, theme.ON_WARN)
    else:
        when = sub_r
    c.text(dates, when, m.small, theme.DIM, align="left", max_lines=1)

    stats = _stats(d)
    if body_r.w >= body_r.h:
        side = round(body_r.w * 0.34)
        stats_r, charts_r = row(body_r, [(side, side, 0), (body_r.w - side - 2 * m.margin, 1, 1)], 2 * m.margin)
    else:
        stats_h = _stats_height(c, len(stats), body_r.w, text.adherence_note(d.target))
        stats_r, charts_r = column(body_r, [(stats_h, stats_h, 0), (body_r.h // 2, body_r.h // 3, 1)], 2 * m.gap)
    _draw_stats(c, stats_r, d, stats)
    if has_charts:
        history.draw_charts(c, charts_r, d.days, d.target, style, marked=unsynced)
        if unsynced:
            key = charts.legend(c.surface, legend_r, [(charts.UNSYNCED, text.UNSYNCED_DAY)], style, align="right")
            c.boxes.extend(key.texts)
    else:
        c.box(charts_r, theme.PANEL)
        c.text(text.NO_SESSIONS, charts_r.inflate(-2 * m.margin, -2 * m.margin), m.body, theme.DIM)
    draw_keys(c, keys_r, text.REPORT_KEYS)


def _stats(d) -> list[tuple[str, str]]:
    return [
        (text.SESSIONS, str(d.sessions)),
        (text.COMPLETED_COUNT, str(d.completed)),
        (text.STOPPED_EARLY_COUNT, str(d.stopped_early)),
        (text.INTERRUPTED_COUNT, str(d.interrupted)),
    ]


def _big(c: Canvas) -> Style:
    return Style(round(c.m.title.px * 1.3), c.m.title.min_px)


def _stats_parts(c: Canvas, n: int, width: int, note: str) -> list[tuple[int, int, float]]:
    m = c.m
    parts = [
        (c.line_height(_big(c)), c.min_line_height(_big(c)), 0),
        c.message_part(note, width, m.small),
    ]
    return parts + [(c.line_height(m.label), c.min_line_height(m.label), 0)] * n


def _stats_height(c: Canvas, n: int, width: int, note: str) -> int:
    parts = _stats_parts(c, n, width, note)
    return sum(want for want, _, _ in parts) + c.m.gap * (len(parts) - 1)


def _draw_stats(c: Canvas, rect: pygame.Rect, d, stats: list[tuple[str, str]]) -> None:
    """Adherence big, with its words (a message: wrapped, never cut), then the counts as
    word ... number lines, as many as there is room for (all of them are on the printed
    report)."""
    m = c.m
    big = _big(c)
    note = text.adherence_note(d.target)
    parts = _stats_parts(c, len(stats), rect.w, note)
    while len(parts) > 2 and not fits(parts, rect.h, m.gap):
        parts.pop()
    rects = column(rect, parts, m.gap, spread=True)
    c.text(text.percent(d.adherence), rects[0], big, theme.ACCENT, align="left", max_lines=1)
    c.text(note, rects[1], m.small, theme.DIM, align="left", max_lines=3, balance=False)
    for (words, number), r in zip(stats, rects[2:]):
        num = c.fit(number, r, m.label, max_lines=1)
        c.draw_fitted(num, r, theme.TEXT, align="right")
        c.text(words, pygame.Rect(r.x, r.y, r.w - num.width - m.gap, r.h), m.label, theme.DIM, align="left", max_lines=1)
