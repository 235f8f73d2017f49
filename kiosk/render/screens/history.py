"""Progress: the last days as two charts sharing one time axis: sessions a day as bars
against the target line, and pain before/after as two lines with check-ins as diamonds.
The charts themselves are kiosk.render.charts, the same code the clinician's report uses."""

from __future__ import annotations

from dataclasses import replace

import pygame

from kiosk import text
from kiosk.model import DayStat
from kiosk.render import charts, theme
from kiosk.render.layout import column
from kiosk.render.widgets import Canvas, draw_keys, keys_height, title_with_side
from kiosk.views import HistoryView


def chart_style(c: Canvas, dates: bool = False) -> charts.ChartStyle:
    """The charts' look on the kiosk: the key hints' text size, the dark theme."""
    style = charts.ChartStyle.dark(c.ts.fonts, c.m.hint.px, c.m.hint.min_px, scale=c.m.s)
    return replace(style, dates=dates) if dates else style


def draw(c: Canvas, rect: pygame.Rect, v: HistoryView) -> None:
    m = c.m
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (rect.h, rect.h // 2, 1),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    title_r, charts_r, keys_r = column(rect, parts, m.gap)
    side = v.profile or text.last_days(len(v.days))
    title_with_side(c, title_r, text.HISTORY_TITLE, side, theme.ACCENT if v.profile else theme.DIM)
    draw_charts(c, charts_r, v.days, v.target)
    draw_keys(c, keys_r, text.HISTORY_KEYS)


def draw_charts(c: Canvas, rect: pygame.Rect, days: tuple[DayStat, ...], target: int, dates: bool = False) -> dict:
    """Sessions a day above pain 0-10, each under a heading with its legend, the day
    labels under the lower chart only. Returns the two `charts.Chart`s by name."""
    m = c.m
    style = chart_style(c, dates)
    head_h = max(c.line_height(m.small), charts.label_height(style))
    head_min = c.min_line_height(m.small)
    lh = charts.label_height(style)
    parts = [
        (head_h, head_min, 0),
        (lh * 4, lh * 2, 1),
        (head_h, head_min, 0),
        (lh * 5, lh * 3, 1.4),
    ]
    head1, bars_r, head2, lines_r = column(rect, parts, max(2, m.gap // 2))
    top_value = max([target, 1] + [d.sessions for d in days])
    left = charts.gutter(style, ["10", str(top_value), str(target)])
    _heading(c, head1, text.SESSIONS_A_DAY, [(charts.TARGET, text.TARGET)], style)
    shown = _heading(
        c, head2, text.PAIN_CHART_TITLE, [(charts.BEFORE, text.BEFORE), (charts.AFTER, text.AFTER), (charts.CHECKIN, text.CHECKIN)], style
    )
    bars = charts.sessions_bars(c.surface, bars_r, days, target, style, x_labels=False, left=left)
    # Check-ins are marked only when the legend could say what the diamonds are.
    lines = charts.pain_lines(c.surface, lines_r, days, style, left=left, checkins=text.CHECKIN in shown)
    c.boxes.extend(bars.texts + lines.texts)
    return {"sessions": bars, "pain": lines}


def _heading(c: Canvas, rect: pygame.Rect, words: str, entries, style: charts.ChartStyle) -> list[str]:
    """The chart's name at the left, its legend at the right; returns the legend's words
    that were drawn (an entry that does not fit is left out)."""
    m = c.m
    name = c.fit(words, pygame.Rect(0, 0, rect.w // 2, rect.h), m.small, max_lines=1)
    c.draw_fitted(name, rect, theme.TEXT, align="left")
    room = pygame.Rect(rect.x + name.width + 2 * m.margin, rect.y, rect.w - name.width - 2 * m.margin, rect.h)
    key = charts.legend(c.surface, room, entries, style, align="right")
    c.boxes.extend(key.texts)
    return [t for t, _ in key.texts]
