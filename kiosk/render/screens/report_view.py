"""The clinician's report on the kiosk's own screen: a condensed page: the prescription under
the dates, adherence (from counted sessions) and the session counts at the side, sessions a
day drawn by the same chart code as the history screen and the printed report, and each
area's pain in its first practice days against its last. Pain before/after over time is
drawn too where the screen has room for it beside the table (the printed page has every
part). Days whose dates may be wrong (the clock was not set) are marked on the date axis,
with a legend line under the charts."""

from __future__ import annotations

import pygame

from kiosk import text
from kiosk.model import ReportData
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
    rx = _prescription(c, rect.w, d)
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.small), c.min_line_height(m.small), 0),
        (rx.height if rx else 0, rx.height if rx else 0, 0),
        (rect.h, rect.h // 2, 1),
        (legend_h, legend_h, 0),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, sub_r, rx_r, body_r, legend_r, keys_r = column(rect, parts, m.gap)

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
    if rx:
        c.draw_fitted(rx, rx_r, theme.DIM, align="left", valign="top")

    stats = _stats(d)
    if body_r.w >= body_r.h:
        side = round(body_r.w * 0.34)
        stats_r, charts_r = row(body_r, [(side, side, 0), (body_r.w - side - 2 * m.margin, 1, 1)], 2 * m.margin)
    else:
        stats_h = _stats_height(c, len(stats), body_r.w, text.adherence_note(d.target))
        stats_r, charts_r = column(body_r, [(stats_h, stats_h, 0), (body_r.h // 2, body_r.h // 3, 1)], 2 * m.gap)
    _draw_stats(c, stats_r, d, stats)
    if has_charts:
        _draw_right(c, charts_r, d, style, unsynced)
        if unsynced:
            key = charts.legend(c.surface, legend_r, [(charts.UNSYNCED, text.UNSYNCED_DAY)], style, align="right")
            c.boxes.extend(key.texts)
    else:
        c.box(charts_r, theme.PANEL)
        c.text(text.NO_SESSIONS, charts_r.inflate(-2 * m.margin, -2 * m.margin), m.body, theme.DIM)
    draw_keys(c, keys_r, text.REPORT_KEYS)


def _prescription(c: Canvas, width: int, d: ReportData):
    """The prescription in one or two small lines, when it is known and fits whole."""
    p = d.prescription
    if p is None:
        return None
    words = text.prescription_line(p.mode, p.duration_seconds, p.counts_after_seconds, p.daily_target)
    fitted = c.ts.fit(words, width, c.line_height(c.m.small, 2), c.m.small, max_lines=2, balance=False)
    return fitted if _whole(fitted, words) else None


def _draw_right(c: Canvas, rect: pygame.Rect, d: ReportData, style: charts.ChartStyle, unsynced) -> None:
    """Sessions a day and, under it, the per-area table; pain over time between them when
    the screen holds all three at a readable size (else the table wins: the printed page
    has the pain chart). Without a table (none, or too narrow), both charts."""
    m = c.m
    head = _heading_style(c, style)
    head_h = c.line_height(head)
    table = _area_table(d, rect.w, style)
    if table is not None and not _whole(c.ts.fit(_table_heading(d), rect.w, head_h, head, max_lines=1), _table_heading(d)):
        table = None
    lh = charts.label_height(style)
    gap = max(2, m.gap // 2)
    both_least = 2 * (head_h + gap) + 5 * lh + 2 * lh  # sessions (2 lines) and pain (3), with dates
    sessions_least = head_h + gap + 4 * lh  # bars 3 lines high, and the dates
    if table is not None:
        table_least = head_h + gap + table.height(min(4, len(table.rows)))  # three rows and "and N more"
        table_want = head_h + gap + table.height()
        if rect.h - table_want - 2 * m.gap >= both_least + lh:
            charts_r, table_r = column(rect, [(rect.h, both_least, 1), (table_want, table_want, 0)], 2 * m.gap)
            _charts(c, charts_r, d, style, head, unsynced, pain=True)
            _draw_table(c, table_r, d, table, head, gap)
            return
        if rect.h - table_least - m.gap >= sessions_least:
            charts_want = max(sessions_least, rect.h - table_want - m.gap)
            charts_r, table_r = column(rect, [(charts_want, sessions_least, 1), (table_want, table_least, 0)], m.gap)
            _charts(c, charts_r, d, style, head, unsynced, pain=False)
            _draw_table(c, table_r, d, table, head, gap)
            return
    _charts(c, rect, d, style, head, unsynced, pain=True)


def _whole(fitted, words: str) -> bool:
    """Whether `fitted` shows all of `words` (wrapped or shrunk, never cut short)."""
    return " ".join(fitted.lines).split() == words.split()


def _heading_style(c: Canvas, style: charts.ChartStyle) -> Style:
    return Style(max(c.m.small.px, style.label_px), max(c.m.small.min_px, style.min_label_px))


def _charts(c: Canvas, rect: pygame.Rect, d: ReportData, style: charts.ChartStyle, head: Style, unsynced,
            pain: bool) -> None:
    """Sessions a day (counted ones, as on the history screen) over pain 0-10 (or alone),
    each under its heading and legend, the dates under the lower chart only."""
    m = c.m
    head_h = max(c.line_height(head), charts.label_height(style))
    head_least = c.min_line_height(head)
    lh = charts.label_height(style)
    parts = [(head_h, head_least, 0), (lh * 3, lh * 2, 1)]
    if pain:
        parts += [(head_h, head_least, 0), (lh * 5, lh * 3, 1.8)]
    rects = column(rect, parts, max(2, m.gap // 2))
    top_value = max([d.target, 1] + [x.sessions for x in d.days])
    left = charts.gutter(style, ["10", str(top_value), str(d.target)])
    _heading(c, rects[0], text.SESSIONS_A_DAY, head, [(charts.TARGET, text.TARGET)], style)
    bars = charts.sessions_bars(c.surface, rects[1], d.days, d.target, style, x_labels=not pain, left=left,
                                marked=() if pain else unsynced)
    c.boxes.extend(bars.texts)
    if pain:
        entries = [(charts.BEFORE, text.BEFORE), (charts.AFTER, text.AFTER), (charts.CHECKIN, text.CHECKIN)]
        shown = _heading(c, rects[2], text.PAIN_CHART_TITLE, head, entries, style)
        lines = charts.pain_lines(c.surface, rects[3], d.days, style, left=left, checkins=text.CHECKIN in shown,
                                  marked=unsynced)
        c.boxes.extend(lines.texts)


def _heading(c: Canvas, rect: pygame.Rect, words: str, size: Style, entries, style: charts.ChartStyle) -> list[str]:
    """A chart's name at the left (given the room the legend leaves, at least half the
    line), its legend at the right; returns the legend's words that were drawn (an entry
    that does not fit is left out)."""
    m = c.m
    room = max(rect.w // 2, rect.w - charts.legend_width(entries, style) - 2 * m.margin)
    name = c.fit(words, pygame.Rect(0, 0, room, rect.h), size, max_lines=1)
    c.draw_fitted(name, rect, theme.TEXT, align="left")
    room = pygame.Rect(rect.x + name.width + 2 * m.margin, rect.y, rect.w - name.width - 2 * m.margin, rect.h)
    key = charts.legend(c.surface, room, entries, style, align="right")
    c.boxes.extend(key.texts)
    return [t for t, _ in key.texts]


def _area_table(d: ReportData, width: int, style: charts.ChartStyle) -> charts.TableLayout | None:
    """Each area's mean pain before and after in its first practice days and its last
    (the printed page adds the days, the number of ratings and the levels). None when
    there is none, or the area names would not fit whole."""
    if not d.pain_by_area:
        return None
    columns = [charts.Column(text.AREA, align="left", lines=2)]
    for group in (text.FIRST, text.LAST):
        columns += [charts.Column(text.BEFORE, group), charts.Column(text.AFTER, group)]

    def mean(value: float | None) -> str:
        return text.one_decimal(value) if value is not None else ""

    rows = [[a.area, mean(a.first.before), mean(a.first.after), mean(a.last.before), mean(a.last.after)]
            for a in d.pain_by_area]
    return charts.table_layout(width, columns, rows, style)


def _table_heading(d: ReportData) -> str:
    return text.pain_by_area_short(max([max(a.first.days, a.last.days) for a in d.pain_by_area] + [1]))


def _draw_table(c: Canvas, rect: pygame.Rect, d: ReportData, table: charts.TableLayout, head: Style, gap: int) -> None:
    """The per-area table under its heading."""
    head_h = c.line_height(head)
    head_r, body_r = column(rect, [(head_h, head_h, 0), (rect.h, 1, 1)], gap)
    c.text(_table_heading(d), head_r, head, theme.TEXT, align="left", max_lines=1)
    c.boxes.extend(charts.draw_table(c.surface, body_r, table).texts)


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
