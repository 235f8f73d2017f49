"""Progress: the last days as two charts sharing one time axis of dates: sessions a day as
bars against the target line, and pain before/after as two lines with check-ins as
diamonds, each day's markers side by side. Drawn to be read from the bed: few, large
labels. The charts themselves are kiosk.render.charts, the same code the clinician's
report uses."""

from __future__ import annotations

from datetime import date
from typing import Collection

import pygame

from kiosk import text
from kiosk.model import DayStat
from kiosk.render import charts, theme
from kiosk.render.layout import Style, column
from kiosk.render.widgets import Canvas, title_with_side
from kiosk.views import HistoryView


def chart_style(c: Canvas, size: Style) -> charts.ChartStyle:
    """The charts' look on the kiosk: labels at `size`, the dark theme, dates on the axis."""
    return charts.ChartStyle.dark(c.ts.fonts, size.px, size.min_px, scale=c.m.s, dates=True)


def draw(c: Canvas, rect: pygame.Rect, v: HistoryView) -> dict:
    """Read from the bed: larger labels, few of them, dates every few days, markers that
    never cover each other, and the keys at arm's-length size. Returns the charts drawn."""
    m = c.m
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (rect.h, rect.h // 2, 1),
        (c.line_height(m.far_hint), c.min_line_height(m.far_hint), 0),
    ]
    title_r, charts_r, keys_r = column(rect, parts, m.gap)
    side = v.profile or text.last_days(len(v.days))
    title_with_side(c, title_r, text.HISTORY_TITLE, side, theme.ACCENT if v.profile else theme.DIM)
    drawn = draw_charts(c, charts_r, v.days, v.target, chart_style(c, m.label), bedside=True)
    c.text(text.HISTORY_KEYS, keys_r, m.far_hint, theme.DIM, max_lines=1)
    return drawn


def draw_charts(
    c: Canvas,
    rect: pygame.Rect,
    days: tuple[DayStat, ...],
    target: int,
    style: charts.ChartStyle,
    bedside: bool = False,
    marked: Collection[date] = (),
) -> dict:
    """Sessions a day above pain 0-10, each under a heading with its legend, the day
    labels under the lower chart only. `bedside` leaves out the sessions' top value and
    puts each day's markers side by side; `marked` days get a mark on the date axis.
    Returns the two `charts.Chart`s by name."""
    m = c.m
    heading = Style(max(m.small.px, style.label_px), max(m.small.min_px, style.min_label_px))
    head_h = max(c.line_height(heading), charts.label_height(style))
    head_min = c.min_line_height(heading)
    lh = charts.label_height(style)
    parts = [
        (head_h, head_min, 0),
        (lh * 3, lh * 2, 1),
        (head_h, head_min, 0),
        (lh * 5, lh * 3, 1.8),
    ]
    head1, bars_r, head2, lines_r = column(rect, parts, max(2, m.gap // 2))
    top_value = max([target, 1] + [d.sessions for d in days])
    left = charts.gutter(style, ["10", str(top_value), str(target)])
    _heading(c, head1, text.SESSIONS_A_DAY, heading, [(charts.TARGET, text.TARGET)], style)
    entries = [(charts.BEFORE, text.BEFORE), (charts.AFTER, text.AFTER), (charts.CHECKIN, text.CHECKIN)]
    if bedside and not charts.lane_radius((rect.w - left) / max(1, len(days)), 3):
        entries = entries[:2]  # too narrow for check-ins beside before and after
    shown = _heading(c, head2, text.PAIN_CHART_TITLE, heading, entries, style)
    bars = charts.sessions_bars(c.surface, bars_r, days, target, style, x_labels=False, left=left, top_label=not bedside)
    # Check-ins are marked only when the legend could say what the diamonds are.
    lines = charts.pain_lines(
        c.surface, lines_r, days, style, left=left, checkins=text.CHECKIN in shown, side_by_side=bedside, marked=marked
    )
    c.boxes.extend(bars.texts + lines.texts)
    return {"sessions": bars, "pain": lines}


def _heading(c: Canvas, rect: pygame.Rect, words: str, size: Style, entries, style: charts.ChartStyle) -> list[str]:
    """The chart's name at the left, its legend at the right; returns the legend's words
    that were drawn (an entry that does not fit is left out)."""
    m = c.m
    name = c.fit(words, pygame.Rect(0, 0, rect.w // 2, rect.h), size, max_lines=1)
    c.draw_fitted(name, rect, theme.TEXT, align="left")
    room = pygame.Rect(rect.x + name.width + 2 * m.margin, rect.y, rect.w - name.width - 2 * m.margin, rect.h)
    key = charts.legend(c.surface, room, entries, style, align="right")
    c.boxes.extend(key.texts)
    return [t for t, _ in key.texts]
