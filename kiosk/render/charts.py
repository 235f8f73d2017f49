"""Charts drawn with pygame onto any surface, inside any rectangle, at any size: the history
screen draws them dark and small, the clinician's report draws them on white paper. One
drawing code for both (issues 3, 4 and 8).

Every function takes the target `surface`, the `rect` to fill and a `ChartStyle` (fonts,
sizes and colours; `ChartStyle.dark(...)` for the kiosk's screens, `ChartStyle.paper(...)`
for the report) and returns a `Chart`: the text it drew as (text, rect) pairs (for layout
tests and the report's list of printed figures), the plot area, and the x centre of each
day or row, so callers can line two charts up and tests can look at the pixels.

    sessions_bars(surface, rect, days, target, style)   sessions a day against the target
    pain_lines(surface, rect, days, style)              pain before/after + check-ins, 0-10
    minutes_bars(surface, rect, days, minutes, prescribed, style)   minutes a day, prescribed line
    change_bars(surface, rect, items, style)            mean change per technique, one neutral colour
    hour_profile(surface, rect, pain_by_hour, style)    mean pain by hour of the day
    hour_counts(surface, rect, counts, style)           how many sessions started in each hour
    table_layout(width, columns, rows, style) + draw_table(surface, rect, layout)   a small table
    legend(surface, rect, entries, style)               swatches with their words

Days with no data leave gaps: no bar, no line through them, no marker. Days passed as
`marked` (their dates may be wrong: the clock was not set) get a small triangle pointing up
at the date axis, whether or not their date is labelled; the legend kind UNSYNCED explains it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Collection, Protocol, Sequence

import pygame

from kiosk import text
from kiosk.model import DayStat
from kiosk.render import shapes, theme
from kiosk.render.layout import cut_to_width, ellipsize, wrap

Color = tuple[int, int, int]

# Legend entry kinds.
BAR, BAR_MET, TARGET, BEFORE, AFTER, CHECKIN = "bar", "bar_met", "target", "before", "after", "checkin"
UNSYNCED = "unsynced"  # the mark under a day whose date may be wrong
MIN_MARKER = 3.0  # px: markers side by side are never drawn smaller than this


class FontSource(Protocol):
    def get(self, px: int) -> pygame.font.Font: ...


@dataclass(frozen=True)
class ChartStyle:
    fonts: FontSource  # fonts by size, e.g. kiosk.render.layout.Fonts()
    label_px: int  # axis labels, values, legend words (a Font(None, px) size)
    min_label_px: int  # labels shrink down to this before they are left out
    text: Color
    dim: Color
    grid: Color
    background: Color
    bar: Color
    bar_met: Color
    target: Color
    before: Color
    after: Color
    checkin: Color
    line: int = 3  # line thickness, px
    marker: int = 6  # marker radius, px
    dates: bool = False  # x axis as dates ("3 Mar") instead of weekday names
    mark: Color = (0, 0, 0)  # the triangle under a day whose date may be wrong

    @classmethod
    def dark(
        cls, fonts: FontSource, label_px: int, min_label_px: int | None = None, scale: float = 1.0, dates: bool = False
    ) -> ChartStyle:
        """The kiosk's dark theme."""
        return cls._themed(
            fonts, label_px, min_label_px, scale, marker=6, dates=dates,
            text=theme.TEXT, dim=theme.DIM, grid=theme.GRID, background=theme.BG,
            bar=theme.BAR, bar_met=theme.BAR_MET, target=theme.TEXT,
            before=theme.BEFORE, after=theme.AFTER, checkin=theme.CHECKIN, mark=theme.WARN,
        )

    @classmethod
    def paper(cls, fonts: FontSource, label_px: int, min_label_px: int | None = None, scale: float = 1.0) -> ChartStyle:
        """Dark ink on white, for the printed report; dates on the x axis."""
        return cls._themed(
            fonts, label_px, min_label_px, scale, marker=7, dates=True,
            text=theme.INK, dim=theme.INK_DIM, grid=theme.PAPER_GRID, background=theme.PAPER,
            bar=theme.PAPER_BAR, bar_met=theme.PAPER_BAR_MET, target=theme.INK,
            before=theme.PAPER_BEFORE, after=theme.PAPER_AFTER, checkin=theme.PAPER_CHECKIN, mark=theme.INK,
        )

    @classmethod
    def _themed(
        cls, fonts: FontSource, label_px: int, min_label_px: int | None, scale: float, marker: int, dates: bool, **colors
    ) -> ChartStyle:
        """A style from a theme's colours, with lines and markers scaled by `scale`."""
        return cls(
            fonts, label_px, label_px if min_label_px is None else min_label_px, **colors,
            line=max(2, round(3 * scale)), marker=max(4, round(marker * scale)), dates=dates,
        )


@dataclass
class Chart:
    """What one chart function drew."""

    texts: list[tuple[str, pygame.Rect]] = field(default_factory=list)
    plot: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    xs: list[int] = field(default_factory=list)  # x centre of each day (or y centre of each row)
    value_y: Callable[[float], int] | None = None  # a value's y in the plot
    markers: list[tuple[str, pygame.Rect]] = field(default_factory=list)  # (kind, square covered)
    marks: list[tuple[date, pygame.Rect]] = field(default_factory=list)  # days marked on the axis
    values: list[tuple[str, pygame.Rect]] = field(default_factory=list)  # values written on bars (also in texts)


# -- text -------------------------------------------------------------------------------
def _font(style: ChartStyle, px: int | None = None) -> pygame.font.Font:
    return style.fonts.get(px or style.label_px)


def label_height(style: ChartStyle, px: int | None = None) -> int:
    """Height of one line of labels."""
    return _font(style, px).get_height()


def _blit(surface, out: list, words: str, px: int, color, style: ChartStyle, **anchor) -> pygame.Rect:
    """Render `words` and place them by a pygame.Rect anchor (e.g. midtop=(x, y))."""
    surf = _font(style, px).render(words, True, color)
    rect = surf.get_rect(**anchor)
    surface.blit(surf, rect)
    out.append((words, rect))
    return rect


def _free(rect: pygame.Rect, taken: list[pygame.Rect], pad: int = 0) -> bool:
    r = rect.inflate(2 * pad, 0)
    return not any(r.colliderect(t) for t in taken)


# -- shapes -----------------------------------------------------------------------------
def _dashed(surface, y: int, x0: int, x1: int, width: int, color) -> None:
    dash = max(6, width * 4)
    x = x0
    while x < x1:
        pygame.draw.rect(surface, color, pygame.Rect(x, y - width // 2, min(dash, x1 - x), width))
        x += dash + max(4, dash * 2 // 3)


def marker_reach(kind: str, radius: float) -> float:
    """How far a marker drawn at `radius` reaches from its centre, rim included."""
    rim = max(1.0, radius * 0.3)
    return {BEFORE: 1.1, AFTER: 0.9, CHECKIN: 1.15}.get(kind, 1.0) * radius + rim


def marker(surface, kind: str, center, radius: float, style: ChartStyle) -> pygame.Rect:
    """The marker of a series: before = ring, after = filled square, check-in = diamond,
    each with a thin rim in the background colour so it stands out on a line. The ring is
    drawn over the square, so equal before and after values both stay visible. Returns
    the square the marker covers."""
    x, y = center
    rim = max(1.0, radius * 0.3)
    if kind == BEFORE:
        r_out = radius * 1.1
        thick = max(2.0, r_out * 0.42)
        shapes.ring(surface, center, r_out + rim, r_out - thick, style.background)
        shapes.ring(surface, center, r_out, r_out - thick, style.before)
    elif kind == AFTER:
        s = radius * 0.9
        outer = pygame.Rect(0, 0, round(2 * (s + rim)), round(2 * (s + rim)))
        outer.center = (round(x), round(y))
        pygame.draw.rect(surface, style.background, outer)
        inner = pygame.Rect(0, 0, round(2 * s), round(2 * s))
        inner.center = (round(x), round(y))
        pygame.draw.rect(surface, style.after, inner)
    elif kind == CHECKIN:
        s = radius * 1.15
        shapes.polygon(surface, [(x, y - s - rim), (x + s + rim, y), (x, y + s + rim), (x - s - rim, y)], style.background)
        shapes.polygon(surface, [(x, y - s), (x + s, y), (x, y + s), (x - s, y)], style.checkin)
    return marker_square(kind, center, radius)


def marker_square(kind: str, center, radius: float) -> pygame.Rect:
    """The square a marker drawn at `center` covers."""
    reach = math.ceil(marker_reach(kind, radius))
    return pygame.Rect(round(center[0]) - reach, round(center[1]) - reach, 2 * reach + 1, 2 * reach + 1)


# -- axes -------------------------------------------------------------------------------
def gutter(style: ChartStyle, labels: Sequence[str] = ("10",)) -> int:
    """Width of the y-axis label column for `labels` (charts stacked one above the other
    pass the same gutter so their days line up)."""
    font = _font(style)
    return max(font.size(s)[0] for s in labels) + max(4, style.label_px // 3)


def _day_xs(plot: pygame.Rect, n: int) -> tuple[list[int], float]:
    slot = plot.w / max(1, n)
    return [round(plot.x + slot * (i + 0.5)) for i in range(n)], slot


def _day_label(day, style: ChartStyle) -> str:
    return text.short_date(day) if style.dates else text.WEEKDAYS[day.weekday()]


def _x_labels(surface, chart: Chart, days: Sequence[DayStat], y: int, style: ChartStyle, right: int) -> None:
    """Day labels under the plot, thinned so they never touch: every day, every 2nd, 3rd
    or 4th (counted back from the last day), or Mondays every 1, 2, 4... weeks. When the
    dates cross into another year, the first label and the first of each new year carry
    the year. A label that would touch one placed before it is left out: the ones with a
    year are placed first, then the latest days."""
    n = len(days)
    if not n:
        return
    words = [_day_label(d.day, style) for d in days]
    xs, slot = chart.xs, (chart.plot.w / n)
    font = _font(style)
    widest = max(font.size(w)[0] for w in words)
    gap = max(4, style.label_px)  # about a label's height between two labels
    step = next((s for s in (1, 2, 3, 4, 7, 14, 28, 56, 112) if s * slot >= widest + gap), n)
    if step < 7:
        chosen = [i for i in range(n) if (n - 1 - i) % step == 0]
    else:
        weeks = step // 7
        mondays = [i for i in range(n) if days[i].day.weekday() == 0]
        chosen = [i for k, i in enumerate(mondays) if k % weeks == 0] or [n - 1]
    years: list[int] = []
    if style.dates and days[0].day.year != days[-1].day.year:
        years = [i for k, i in enumerate(chosen) if k == 0 or days[i].day.year != days[chosen[k - 1]].day.year]
        for i in years:
            words[i] = text.long_date(days[i].day)
    # Placed in order of importance: the labels with a year, then the latest days first.
    chosen = years + [i for i in reversed(chosen) if i not in years]
    taken: list[pygame.Rect] = []
    last = n - 1
    for i in chosen:
        w = font.size(words[i])[0]
        r = pygame.Rect(0, y, w, font.get_height())
        r.centerx = xs[i]
        r.left = max(r.left, chart.plot.left)
        r.right = min(r.right, right)
        if not _free(r, taken, gap // 2):
            continue
        highlight = i == last and not style.dates
        _blit(surface, chart.texts, words[i], style.label_px, style.text if highlight else style.dim, style, topleft=r.topleft)
        taken.append(r)


def _y_axis(surface, chart: Chart, ticks: Sequence[tuple[float, str, Color, bool]], left: int, style: ChartStyle) -> None:
    """Grid lines and labels for (value, label, colour, grid line) ticks, in priority
    order: a label that would touch one already drawn is left out."""
    taken: list[pygame.Rect] = []
    plot = chart.plot
    font = _font(style)
    for value, words, color, grid in ticks:
        y = chart.value_y(value)
        if grid:
            pygame.draw.line(surface, style.grid, (plot.left, y), (plot.right, y), max(1, style.line // 2))
        w, h = font.size(words)
        r = pygame.Rect(0, 0, w, h)
        r.midright = (plot.left - max(3, style.label_px // 4), y)
        r.left = max(r.left, left)
        if not _free(r, taken) or r.w > plot.left - left:
            continue
        _blit(surface, chart.texts, words, style.label_px, color, style, topleft=r.topleft)
        taken.append(r.inflate(0, 2))


def _pain_axis(surface, chart: Chart, left: int, style: ChartStyle) -> None:
    """The 0-10 pain scale on `chart.plot`: its y mapping, grid lines at 5 and 10, labels."""
    plot = chart.plot
    chart.value_y = lambda v: round(plot.bottom - plot.h * max(0.0, min(10.0, v)) / 10)
    _y_axis(surface, chart, [(0, "0", style.dim, False), (10, "10", style.dim, True), (5, "5", style.dim, True)], left, style)


def _baseline(surface, plot: pygame.Rect, style: ChartStyle) -> None:
    pygame.draw.line(surface, style.dim, (plot.left, plot.bottom), (plot.right, plot.bottom), max(1, style.line // 2))


def _frame(rect: pygame.Rect, style: ChartStyle, x_labels: bool, left: int, reach: int = 0, mark: int = 0) -> pygame.Rect:
    """The plot area inside `rect`: room for half a label above (the top tick) and the day
    labels (or half a label) below, for markers reaching `reach` past the plot's edges, and
    for a row of day marks `mark` px tall between the plot and the labels."""
    lh = label_height(style)
    top = max(lh // 2 + 1, reach)
    bottom = (lh + max(2, lh // 4) + reach + mark) if x_labels else max(lh // 2 + 1, reach)
    return pygame.Rect(rect.x + left, rect.y + top, max(1, rect.w - left), max(1, rect.h - top - bottom))


def mark_height(style: ChartStyle) -> int:
    """Height of the row of day marks under a plot (the triangles and a little air)."""
    lh = label_height(style)
    return round(lh * 0.55) + max(2, lh // 6)


def _mark_days(surface, chart: Chart, days: Sequence[DayStat], marked: Collection[date], y: int, style: ChartStyle) -> None:
    """A small triangle pointing up at the axis under each marked day, from `y` down."""
    lh = label_height(style)
    slot = chart.plot.w / max(1, len(days))
    h = round(lh * 0.55)
    w = max(4, min(round(h * 1.3), round(slot * 0.9)))
    for x, d in zip(chart.xs, days):
        if d.day in marked:
            r = pygame.Rect(x - w // 2, y, w, h)
            _triangle(surface, r, style.mark)
            chart.marks.append((d.day, r))


def _triangle(surface, r: pygame.Rect, color) -> None:
    shapes.polygon(surface, [(r.centerx, r.top), (r.right, r.bottom), (r.left, r.bottom)], color)


# -- sessions and minutes a day -------------------------------------------------------------
def sessions_bars(
    surface: pygame.Surface,
    rect: pygame.Rect,
    days: Sequence[DayStat],
    target: int,
    style: ChartStyle,
    *,
    x_labels: bool = True,
    left: int | None = None,
    top_label: bool = True,
    marked: Collection[date] = (),
) -> Chart:
    """A bar per day (the day's sessions; a day that reached the target in the `bar_met`
    colour) and the target as a dashed line. `left` is the y-label column's width
    (default: `gutter` for this chart's labels); `top_label` labels the highest value
    too (else only 0 and the target are labelled); `marked` days get a mark on the axis
    (with the day labels)."""
    return _day_bars(
        surface, rect, days, [d.sessions for d in days], target, style, str,
        x_labels=x_labels, left=left, top_label=top_label, marked=marked, met=True,
    )


def minutes_bars(
    surface: pygame.Surface,
    rect: pygame.Rect,
    days: Sequence[DayStat],
    minutes: Sequence[float],
    prescribed: float,
    style: ChartStyle,
    *,
    x_labels: bool = True,
    left: int | None = None,
    marked: Collection[date] = (),
) -> Chart:
    """The minutes practised each of `days` as bars in one colour, against the prescribed
    minutes a day (0: none known) as a dashed line."""
    return _day_bars(
        surface, rect, days, minutes, prescribed, style, minutes_tick,
        x_labels=x_labels, left=left, top_label=True, marked=marked, met=False,
    )


def minutes_tick(value: float) -> str:
    """A minutes axis' label: the whole number."""
    return str(round(value))


def minutes_top(minutes: Sequence[float], prescribed: float) -> int:
    """The top of a minutes axis: the most minutes of a day (or the prescription), whole."""
    return max(1, math.ceil(max([prescribed, *minutes], default=0.0) - 1e-9))


def _day_bars(
    surface, rect: pygame.Rect, days: Sequence[DayStat], values: Sequence[float], line: float, style: ChartStyle,
    fmt: Callable[[float], str], *, x_labels: bool, left: int | None, top_label: bool, marked: Collection[date], met: bool,
) -> Chart:
    """A bar per day for `values` and `line` dashed across (none when 0); with `met`, a
    day reaching the line is drawn in the `bar_met` colour."""
    top_value = max([line, 1] + list(values)) if met else minutes_top(values, line)
    if left is None:
        left = gutter(style, [fmt(top_value), fmt(line)])
    mark = mark_height(style) if x_labels and any(d.day in marked for d in days) else 0
    chart = Chart()
    chart.plot = plot = _frame(rect, style, x_labels, left, mark=mark)
    chart.xs, slot = _day_xs(plot, len(days))
    chart.value_y = lambda v: round(plot.bottom - (plot.h * v / top_value))

    ticks = [(0, "0", style.dim, False)]
    if line > 0:
        ticks.append((line, fmt(line), style.target, False))
    if fmt(top_value) != fmt(line) and top_label:
        ticks.append((top_value, fmt(top_value), style.dim, True))
    _y_axis(surface, chart, ticks, rect.x, style)

    bar_w = max(1, min(round(slot * 0.62), round(slot) - 1))
    for x, value in zip(chart.xs, values):
        if value <= 0:
            continue
        y = min(chart.value_y(value), plot.bottom - 1)
        bar = pygame.Rect(x - bar_w // 2, y, bar_w, plot.bottom - y)
        color = style.bar_met if met and line > 0 and value >= line else style.bar
        radius = min(bar_w // 4, max(0, style.line), bar.h // 2)
        pygame.draw.rect(surface, color, bar, border_top_left_radius=radius, border_top_right_radius=radius)
    _baseline(surface, plot, style)
    if line > 0:
        _dashed(surface, chart.value_y(line), plot.left, plot.right, max(2, style.line), style.target)
    if x_labels:
        below = plot.bottom + max(2, label_height(style) // 4)
        if mark:
            _mark_days(surface, chart, days, marked, below, style)
        _x_labels(surface, chart, days, below + mark, style, rect.right)
    return chart


# -- pain over time -----------------------------------------------------------------------
def lane_radius(slot: float, lanes: int) -> float:
    """The marker radius for `lanes` markers side by side in a day `slot` px wide, spaced
    evenly also from one day to the next, so that none touches another (the widest, a
    ring, reaches at most half a lane); 0 when that would be under MIN_MARKER."""
    room = math.floor((slot / lanes - 2) / 2)
    radius = min(room / 1.4, (room - 1) / 1.1)
    return radius if radius >= MIN_MARKER else 0.0


def pain_lines(
    surface: pygame.Surface,
    rect: pygame.Rect,
    days: Sequence[DayStat],
    style: ChartStyle,
    *,
    x_labels: bool = True,
    left: int | None = None,
    checkins: bool = True,
    side_by_side: bool = False,
    marked: Collection[date] = (),
) -> Chart:
    """Pain 0-10: the day's mean before (circles) and after (squares) as two lines that
    break on days without ratings, and each check-in as a diamond. `side_by_side` puts
    each day's before, check-ins and after next to each other within the day, sized so no
    marker covers another (a check-in as close as that to one already drawn that day is
    not drawn again); where days are too narrow for that, markers share the day's centre.
    `marked` days get a mark on the axis (with the day labels)."""
    if left is None:
        left = gutter(style)
    n = max(1, len(days))
    slot = max(1, rect.w - left) / n
    lanes = 3 if checkins else 2
    radius = lane_radius(slot, lanes) if side_by_side else 0.0
    lane = slot / lanes if radius else 0.0
    if not radius:
        radius = max(2.0, min(style.marker, slot * 0.3))
    radius = min(float(style.marker), radius)
    reach = math.ceil(marker_reach(BEFORE, radius))
    offset = lane if checkins else lane / 2  # before and after, either side of the day's centre
    mark = mark_height(style) if x_labels and any(d.day in marked for d in days) else 0
    chart = Chart()
    chart.plot = plot = _frame(rect, style, x_labels, left, reach, mark)
    chart.xs, slot = _day_xs(plot, len(days))
    _pain_axis(surface, chart, rect.x, style)
    _baseline(surface, plot, style)

    width = max(1.5, min(style.line, slot * 0.25, radius * 0.8 if lane else slot))
    if checkins:
        for x, d in zip(chart.xs, days):
            k = len(d.checkins)
            spread = 0 if lane else slot * 0.7
            placed: list[pygame.Rect] = []
            for j, rating in enumerate(d.checkins):
                dx = 0 if k == 1 else -spread / 2 + spread * j / (k - 1)
                center = (x + dx, chart.value_y(rating))
                if lane and any(marker_square(CHECKIN, center, radius * 0.8).colliderect(p) for p in placed):
                    continue
                covered = marker(surface, CHECKIN, center, radius * 0.8, style)
                placed.append(covered)
                chart.markers.append((CHECKIN, covered))
    series = []
    for kind, attr, color, dx in ((BEFORE, "pain_before", style.before, -offset), (AFTER, "pain_after", style.after, offset)):
        points = [
            (x + dx, chart.value_y(getattr(d, attr))) if getattr(d, attr) is not None else None for x, d in zip(chart.xs, days)
        ]
        series.append((kind, points))
        for p, q in zip(points, points[1:]):
            if p is not None and q is not None:
                shapes.thick_line(surface, p, q, width, color, round_ends=True)
    for kind, points in reversed(series):  # squares first, rings over them
        for p in points:
            if p is not None:
                chart.markers.append((kind, marker(surface, kind, p, radius, style)))
    if x_labels:
        below = plot.bottom + reach + max(2, label_height(style) // 4)
        if mark:
            _mark_days(surface, chart, days, marked, below, style)
        _x_labels(surface, chart, days, below + mark, style, rect.right)
    return chart


# -- legend -----------------------------------------------------------------------------
def legend(
    surface: pygame.Surface, rect: pygame.Rect, entries: Sequence[tuple[str, str]], style: ChartStyle, align: str = "left"
) -> Chart:
    """(kind, words) entries as swatch + words, on as many rows as `rect` holds, shrunk to
    fit; entries that still do not fit are left out from the end."""
    chart = Chart(plot=rect.copy())
    if not entries or rect.h <= 0:
        return chart
    px = style.label_px
    while True:
        font = _font(style, px)
        lh = font.get_height()
        sw, gap, spacing = _legend_sizes(lh)
        widths = [sw + gap + font.size(words)[0] for _, words in entries]
        rows: list[list[int]] = [[]]
        used = 0
        for i, w in enumerate(widths):
            need = w if not rows[-1] else used + spacing + w
            if rows[-1] and need > rect.w:
                rows.append([i])
                used = w
            else:
                rows[-1].append(i)
                used = need
        row_h = lh + max(2, lh // 5)
        if len(rows) * row_h - (row_h - lh) <= rect.h and max(widths) <= rect.w or px <= style.min_label_px:
            break
        px = max(style.min_label_px, px - max(1, round(px * 0.08)))
    fits = max(1, (rect.h + (row_h - lh)) // row_h)
    y = rect.y + max(0, (rect.h - (min(fits, len(rows)) * row_h - (row_h - lh))) // 2)
    for r in rows[:fits]:
        total = sum(widths[i] for i in r) + spacing * (len(r) - 1)
        x = rect.x if align == "left" else rect.right - total if align == "right" else rect.centerx - total // 2
        for i in r:
            if widths[i] > rect.w:
                continue
            kind, words = entries[i]
            cy = y + lh // 2
            _swatch(surface, kind, pygame.Rect(x, y, sw, lh), style)
            _blit(surface, chart.texts, words, px, style.text, style, midleft=(x + sw + gap, cy))
            x += widths[i] + spacing
        y += row_h
    return chart


def _legend_sizes(lh: int) -> tuple[int, int, int]:
    """(swatch width, swatch-to-words gap, space between entries) for lines lh high."""
    return round(lh * 1.8), max(4, lh // 3), max(10, round(lh * 1.1))


def legend_width(entries: Sequence[tuple[str, str]], style: ChartStyle) -> int:
    """Width of the legend on one row at the label size."""
    font = _font(style)
    sw, gap, spacing = _legend_sizes(font.get_height())
    return sum(sw + gap + font.size(words)[0] for _, words in entries) + spacing * max(0, len(entries) - 1)


def _swatch(surface, kind: str, r: pygame.Rect, style: ChartStyle) -> None:
    cy = r.centery
    radius = max(3, min(style.marker, r.h * 0.32))
    if kind in (BEFORE, AFTER):
        shapes.thick_line(surface, (r.left + 1, cy), (r.right - 1, cy), max(2, min(style.line, r.h // 6)), getattr(style, kind), round_ends=True)
        marker(surface, kind, r.center, radius, style)
    elif kind == CHECKIN:
        marker(surface, CHECKIN, r.center, radius * 0.9, style)
    elif kind == UNSYNCED:
        h = round(r.h * 0.55)
        _triangle(surface, pygame.Rect(r.centerx - round(h * 0.65), r.centery - h // 2, round(h * 1.3), h), style.mark)
    elif kind == TARGET:
        width = max(2, style.line)
        dash = max(3, (r.w - width * 2) // 2)
        for x in (r.left, r.right - dash):
            pygame.draw.rect(surface, style.target, pygame.Rect(x, cy - width // 2, dash, width))
    else:
        box = pygame.Rect(0, 0, max(4, r.w * 2 // 3), max(4, r.h * 2 // 3))
        box.center = r.center
        color = style.bar_met if kind == BAR_MET else style.bar
        pygame.draw.rect(surface, color, box, border_radius=max(1, box.w // 6))


# -- rows of names and values ---------------------------------------------------------------
def _rows(rect: pygame.Rect, items: Sequence, style: ChartStyle) -> tuple[list, int, int]:
    """(rows to draw, how many are left out, row height) for `items` in `rect`: up to 1.6
    lines a row, at least 1.15. When not all fit, the last row is kept for "and N more"."""
    lh = label_height(style)
    shown = min(len(items), max(1, rect.h // max(1, round(lh * 1.15))))
    row_h = min(round(lh * 1.6), rect.h // max(1, shown))
    rows = list(items[:shown])
    more = len(items) - shown
    if more:
        more += 1
        rows = rows[:-1]
    return rows, more, row_h


def _and_more(surface, chart: Chart, more: int, rect: pygame.Rect, row: int, row_h: int, right: int, style: ChartStyle) -> None:
    """'and N more' in row `row` of a list, ending at x = `right`."""
    if more:
        cy = rect.y + row_h * row + row_h // 2
        _blit(surface, chart.texts, text.and_more(more), style.label_px, style.dim, style, midright=(right, cy))


def change_bars(
    surface: pygame.Surface, rect: pygame.Rect, items: Sequence[tuple[str, float, int]], style: ChartStyle
) -> Chart:
    """(name, mean after - before, sessions) rows as bars either side of zero, all in one
    neutral colour: a lower pain after grows left, a higher one right; each row ends with
    its value and its number of sessions. A caption under the bars says, in words and with
    a small pointer each way, which side is which: the colour never carries the meaning,
    and no side is painted as the good one (a technique that raises the pain at first may
    be the one that challenges most)."""
    chart = Chart(plot=rect.copy())
    if not items:
        return chart
    font = _font(style)
    lh = font.get_height()
    caption_h = lh + max(2, lh // 3)
    body = pygame.Rect(rect.x, rect.y, rect.w, max(1, rect.h - caption_h))
    rows, more, row_h = _rows(body, items, style)
    gap = max(4, style.label_px // 3)
    value_w = max(font.size(text.signed(c))[0] for _, c, _ in items)
    count_w = max(font.size(text.sessions_count(n))[0] for _, _, n in items)
    name_w = min(max(font.size(name)[0] for name, _, _ in items), round(rect.w * 0.36))
    bars = pygame.Rect(rect.x + name_w + gap, rect.y, max(2, rect.w - name_w - value_w - count_w - 4 * gap), rect.h)
    scale = max(2.0, math.ceil(max(abs(c) for _, c, _ in items)))
    half = bars.w // 2
    mid = bars.x + half
    bar_h = max(3, round(min(row_h * 0.7, lh * 0.85)))
    rows_bottom = rect.y + row_h * (len(rows) + (1 if more else 0))
    for i, (name, change, n) in enumerate(rows):
        cy = rect.y + row_h * i + row_h // 2
        chart.xs.append(cy)
        words = cut_to_width(name, font, name_w)
        if words:
            _blit(surface, chart.texts, words, style.label_px, style.text, style, midright=(rect.x + name_w, cy))
        length = round(half * min(1.0, abs(change) / scale))
        bar = pygame.Rect(mid - length if change < 0 else mid, cy - bar_h // 2, length, bar_h)
        if length:
            pygame.draw.rect(surface, style.bar, bar, border_radius=max(1, min(bar_h // 5, length // 2)))
        _blit(surface, chart.texts, text.signed(change), style.label_px, style.text, style, midright=(bars.right + gap + value_w, cy))
        _blit(surface, chart.texts, text.sessions_count(n), style.label_px, style.dim, style, midleft=(bars.right + 2 * gap + value_w, cy))
    _and_more(surface, chart, more, rect, len(rows), row_h, rect.x + name_w, style)
    pygame.draw.line(surface, style.dim, (mid, rect.y), (mid, rows_bottom), max(1, style.line // 2))
    cap = pygame.Rect(rect.x, rows_bottom + max(2, lh // 3), rect.w, lh)
    if cap.bottom <= rect.bottom:
        _sides(surface, chart, cap, mid, style)
    chart.plot = bars
    return chart


def _sides(surface, chart: Chart, cap: pygame.Rect, mid: int, style: ChartStyle) -> None:
    """Under the change bars: a pointer left and "after lower than before" ending at the
    zero line, "after higher than before" and a pointer right starting at it; the words
    shrink to fit their side (down to the least label size)."""
    pad = max(4, style.label_px // 3)
    for px in range(style.label_px, style.min_label_px - 1, -1):
        font = _font(style, px)
        h = font.get_height()
        tip = round(h * 0.5)
        room_left, room_right = mid - cap.x - 2 * pad - tip, cap.right - mid - 2 * pad - tip
        if font.size(text.CHANGE_LOWER)[0] <= room_left and font.size(text.CHANGE_HIGHER)[0] <= room_right:
            break
    else:
        return
    cy = cap.y + h // 2
    lower = _blit(surface, chart.texts, text.CHANGE_LOWER, px, style.dim, style, midright=(mid - pad, cy))
    higher = _blit(surface, chart.texts, text.CHANGE_HIGHER, px, style.dim, style, midleft=(mid + pad, cy))
    half = tip // 2
    x = lower.left - pad
    shapes.polygon(surface, [(x - tip, cy), (x, cy - half), (x, cy + half)], style.dim)
    x = higher.right + pad
    shapes.polygon(surface, [(x + tip, cy), (x, cy - half), (x, cy + half)], style.dim)


# -- over the day ------------------------------------------------------------------------
def hour_span(hours: Collection[int], least: int = 12) -> range:
    """The hours of the day a chart spans: from the first of `hours` to the last, widened
    evenly to at least `least` hours (all 24 when there are none)."""
    hours = [h for h in hours if 0 <= h < 24]
    if not hours:
        return range(24)
    first, last = min(hours), max(hours)
    while last - first + 1 < least:
        if first > 0 and (last >= 23 or (first + last) / 2 >= 11.5):
            first -= 1
        else:
            last += 1
    return range(first, last + 1)


def hour_profile(
    surface: pygame.Surface,
    rect: pygame.Rect,
    pain_by_hour: Sequence[tuple[int, float, int]],
    style: ChartStyle,
    *,
    left: int | None = None,
    hours: range = range(24),
) -> Chart:
    """(hour, mean rating, readings) as a bar per hour of the day (those in `hours`) on the
    0-10 scale, each bar in our pain colour for its mean; hours without readings stay empty."""
    if left is None:
        left = gutter(style)
    chart = Chart()
    chart.plot = plot = _frame(rect, style, True, left)
    chart.xs, slot = _day_xs(plot, len(hours))
    _pain_axis(surface, chart, rect.x, style)
    bar_w = max(1, round(slot * 0.7))
    for hour, mean, n in pain_by_hour:
        if n <= 0 or hour not in hours:
            continue
        y = chart.value_y(mean)
        bar = pygame.Rect(chart.xs[hour - hours.start] - bar_w // 2, y, bar_w, max(1, plot.bottom - y))
        pygame.draw.rect(surface, theme.pain_color(round(mean)), bar)
    _baseline(surface, plot, style)
    _hour_labels(surface, chart, rect, style, hours)
    return chart


def _hour_labels(surface, chart: Chart, rect: pygame.Rect, style: ChartStyle, hours: range) -> None:
    """Hour labels under an hour chart every 3 hours (6 or 12 when narrow), at the bars'
    left edges."""
    plot = chart.plot
    slot = plot.w / max(1, len(hours))
    font = _font(style)
    y = plot.bottom + max(2, label_height(style) // 4)
    widest = font.size(text.hour_label(18))[0]
    step = 3 if slot * 3 >= widest * 1.3 else 6 if slot * 6 >= widest * 1.2 else 12
    taken: list[pygame.Rect] = []
    for hour in hours:
        if hour % step:
            continue
        words = text.hour_label(hour)
        r = pygame.Rect(0, y, font.size(words)[0], font.get_height())
        r.centerx = round(plot.x + slot * (hour - hours.start))
        r.left = max(r.left, plot.left)
        r.right = min(r.right, rect.right)
        if _free(r, taken, 4):
            _blit(surface, chart.texts, words, style.label_px, style.dim, style, topleft=r.topleft)
            taken.append(r)


def hour_counts(
    surface: pygame.Surface,
    rect: pygame.Rect,
    counts: Sequence[tuple[int, int]],
    style: ChartStyle,
    *,
    left: int | None = None,
    hours: range = range(24),
) -> Chart:
    """(hour, sessions) as a bar per hour of the day (those in `hours`), one colour, each
    bar's number written over it (as large as the hour's width allows with room between
    two numbers, down to the least label size; narrower than that, a y axis with 0 and
    the most instead)."""
    counts = sorted((h, n) for h, n in counts if n > 0 and h in hours)
    top = max([n for _, n in counts] + [1])
    slot = max(1, rect.w - (left or 0)) / max(1, len(hours))
    px = next((px for px in range(style.label_px, style.min_label_px - 1, -1)
               if _font(style, px).size(str(top))[0] <= slot - max(4, label_height(style, px) // 3)), 0)
    if left is None:
        left = 0 if px else gutter(style, [str(top)])
    chart = Chart()
    plot = _frame(rect, style, True, left)
    value_h = label_height(style, px) + 2 if px else 0
    chart.plot = plot = pygame.Rect(plot.x, plot.y + value_h, plot.w, max(1, plot.h - value_h))
    chart.xs, slot = _day_xs(plot, len(hours))
    chart.value_y = lambda v: round(plot.bottom - plot.h * v / top)
    if not px:
        _y_axis(surface, chart, [(0, "0", style.dim, False), (top, str(top), style.dim, True)], rect.x, style)
    bar_w = max(1, round(slot * 0.7))
    for hour, n in counts:
        x = chart.xs[hour - hours.start]
        y = min(chart.value_y(n), plot.bottom - 1)
        pygame.draw.rect(surface, style.bar, pygame.Rect(x - bar_w // 2, y, bar_w, plot.bottom - y))
        if px:
            where = _blit(surface, chart.texts, str(n), px, style.text, style, midbottom=(x, y - 1))
            chart.values.append((str(n), where))
    _baseline(surface, plot, style)
    _hour_labels(surface, chart, rect, style, hours)
    return chart


# -- tables -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A table column: its heading (wrapped to two lines at most), the heading of the run
    of columns it belongs to (`group`, written once across them), how its cells align
    ("left" or "right"), how many lines a cell may wrap to, whether a cell too long may be
    cut short with an ellipsis (names only: words of a message are never cut), and
    whether the column takes the width the others leave."""

    title: str
    group: str = ""
    align: str = "right"
    lines: int = 1
    cut: bool = False
    grow: bool = False


@dataclass
class TableLayout:
    """A table measured for a width: the label size it fits at, each column's width, the
    heading's and each row's height; `draw_table` draws it."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[str]]
    total: Sequence[str] | None
    style: ChartStyle
    px: int
    widths: list[int]
    gap: int
    group_h: int
    head_h: int
    row_hs: list[int]
    total_h: int

    @property
    def width(self) -> int:
        return sum(self.widths) + self.gap * (len(self.widths) - 1)

    def height(self, rows: int | None = None) -> int:
        """The height of the heading, the first `rows` rows (all by default) and the total."""
        shown = self.row_hs if rows is None else self.row_hs[:rows]
        return self.group_h + self.head_h + sum(shown) + self.total_h

    def row_height(self) -> int:
        """A row of one line."""
        font = _font(self.style, self.px)
        return font.get_height() + _cell_pad(font)


def _cell_pad(font: pygame.font.Font) -> int:
    return max(4, font.get_height() * 2 // 5)


def _least_width(words: str, font: pygame.font.Font, lines: int) -> int:
    """The narrowest width at which `words` wrap into `lines` lines or fewer, words whole."""
    whole = font.size(words)[0]
    if lines <= 1 or not words.strip():
        return whole
    lo = max(font.size(w)[0] for w in words.split())
    hi = whole
    while lo < hi:
        mid = (lo + hi) // 2
        wrapped = wrap(words, font, mid)
        if wrapped is not None and len(wrapped) <= lines:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _cell_lines(words: str, font: pygame.font.Font, width: int, column: Column) -> list[str]:
    """A cell's words wrapped to the column (a name too long cut with an ellipsis)."""
    lines = wrap(words, font, width) if font.size(words)[0] > width else [words]
    if lines is None or len(lines) > column.lines:
        lines = wrap(words, font, width, break_words=True) or [words]
        if len(lines) > column.lines:
            lines = lines[: column.lines]
            lines[-1] = ellipsize(lines[-1], font, width)
    return [cut_to_width(line, font, width) for line in lines]


def table_layout(
    width: int,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    style: ChartStyle,
    *,
    total: Sequence[str] | None = None,
) -> TableLayout | None:
    """Measure a table of `rows` (and a `total` row under a rule) for `width` px: at the
    largest label size (down to the least) at which every cell fits whole in its lines;
    else, at the least size, with the cells of `cut` columns cut short. None when even
    that does not fit (a column that may not be cut is too wide)."""
    every = list(rows) + ([total] if total else [])
    # Names on one line at any size first (a short table), then wrapped, then cut short.
    single = [col if col.grow else replace(col, lines=1) for col in columns]
    tries = [(single, px, False) for px in _sizes(style)] + [(columns, px, False) for px in _sizes(style)]
    tries.append((columns, style.min_label_px, True))
    for chosen, px, cut in tries:
        laid = _try_layout(width, chosen, every, style, px, cut=cut)
        if laid is not None:
            columns = chosen
            break
    else:
        return None
    px, widths, gap = laid
    font = _font(style, px)
    step = max(font.get_linesize(), font.get_height())
    pad = _cell_pad(font)

    def lines_height(n: int) -> int:
        return font.get_height() + step * (max(1, n) - 1)

    groups = _groups(columns, widths, gap)
    group_lines = max([len(wrap(g, font, w) or [g]) for g, _, w in groups if g] or [0])
    group_h = lines_height(group_lines) + pad if group_lines else 0
    head_lines = max(len(wrap(c.title, font, w) or [c.title]) for c, w in zip(columns, widths))
    head_h = lines_height(head_lines) + pad

    def row_h(cells: Sequence[str]) -> int:
        n = max(len(_cell_lines(cell, font, w, col)) for cell, w, col in zip(cells, widths, columns))
        return lines_height(n) + pad

    row_hs = [row_h(r) for r in rows]
    total_h = row_h(total) + pad // 2 if total else 0
    return TableLayout(columns, rows, total, style, px, widths, gap, group_h, head_h, row_hs, total_h)


def _sizes(style: ChartStyle):
    px = style.label_px
    while px > style.min_label_px:
        yield px
        px -= max(1, round(px * 0.06))
    yield style.min_label_px


def _try_layout(width: int, columns: Sequence[Column], every: Sequence[Sequence[str]], style: ChartStyle,
                px: int, cut: bool) -> tuple[int, list[int], int] | None:
    """(px, column widths, gap) for the table at `px`, or None when it does not fit."""
    font = _font(style, px)
    gap = max(6, round(font.get_height() * 0.8))
    natural, least = [], []
    for i, col in enumerate(columns):
        cells = [r[i] for r in every if i < len(r)]
        head = _least_width(col.title, font, 2) if col.title.strip() else 0
        whole = max([font.size(c)[0] for c in cells] + [0])
        if col.cut and cut:
            small = min(whole, font.size(text.ELLIPSIS)[0] * 4)
        elif col.lines > 1 or col.grow:
            small = max([_least_width(c, font, col.lines) for c in cells if c.strip()] + [0])
        else:
            small = whole
        natural.append(max(whole, head))
        least.append(max(small, head))
    # A group's words must fit across its columns: widen them evenly when not.
    for group, first, last in _group_runs(columns):
        span_least = sum(least[first:last + 1]) + gap * (last - first)
        need = _least_width(group, font, 2) - span_least
        if need > 0:
            n = last - first + 1
            for k in range(first, last + 1):
                least[k] += -(-need // n)
                natural[k] = max(natural[k], least[k])
    room = width - gap * (len(columns) - 1)
    if sum(least) > room:
        return None
    widths = list(natural)
    if sum(widths) > room:
        # Shrink the columns that can wrap (or be cut) down to their least: the growing one
        # first (it wraps its words), then the one with the most to give.
        over = sum(widths) - room
        flexible = [i for i in range(len(columns)) if natural[i] > least[i]]
        while over > 0 and flexible:
            i = max(flexible, key=lambda k: (columns[k].grow, widths[k] - least[k]))
            take = min(over, widths[i] - least[i]) if columns[i].grow else \
                min(over, widths[i] - least[i], max(1, over // len(flexible)))
            widths[i] -= take
            over -= take
            if widths[i] <= least[i]:
                flexible.remove(i)
        if over > 0:
            return None
    else:
        spare = room - sum(widths)
        growing = [i for i, c in enumerate(columns) if c.grow]
        for i in growing:
            widths[i] += spare // len(growing)
    return px, widths, gap


def _group_runs(columns: Sequence[Column]) -> list[tuple[str, int, int]]:
    """(group words, first column, last column) for each run of columns sharing a group."""
    runs: list[tuple[str, int, int]] = []
    for i, col in enumerate(columns):
        if col.group and runs and runs[-1][0] == col.group and runs[-1][2] == i - 1:
            runs[-1] = (col.group, runs[-1][1], i)
        elif col.group:
            runs.append((col.group, i, i))
    return runs


def _groups(columns: Sequence[Column], widths: Sequence[int], gap: int) -> list[tuple[str, int, int]]:
    """(group words, x offset, width) of each group heading."""
    xs = [sum(widths[:i]) + gap * i for i in range(len(widths))]
    return [(g, xs[a], xs[b] + widths[b] - xs[a]) for g, a, b in _group_runs(columns)]


def draw_table(surface: pygame.Surface, rect: pygame.Rect, layout: TableLayout) -> Chart:
    """Draw a measured table from `rect`'s top left: group headings over their columns with
    a rule under them, the column headings (dim) over a rule, the rows with a thin rule
    between them, then the total row under a rule. The rows that do not fit `rect` are
    left out, the last row drawn saying how many ("and N more"). The chart's `xs` are the
    y centres of the rows drawn; its `plot`, the room the table took."""
    chart = Chart(plot=rect.copy())
    style, font = layout.style, _font(layout.style, layout.px)
    step = max(font.get_linesize(), font.get_height())
    pad = _cell_pad(font)
    xs = [rect.x + sum(layout.widths[:i]) + layout.gap * i for i in range(len(layout.widths))]
    right = xs[-1] + layout.widths[-1]
    thin = max(1, style.line // 3)

    def put(lines: Sequence[str], x: int, w: int, top: int, h: int, align: str, color) -> None:
        block = font.get_height() + step * (len(lines) - 1)
        y = top + (h - block) // 2
        for line in lines:
            if line and align == "right":
                _blit(surface, chart.texts, line, layout.px, color, style, topright=(x + w, y))
            elif line:
                _blit(surface, chart.texts, line, layout.px, color, style, topleft=(x, y))
            y += step

    y = rect.y
    if layout.group_h:
        for group, dx, w in _groups(layout.columns, layout.widths, layout.gap):
            lines = wrap(group, font, w) or [group]
            block = font.get_height() + step * (len(lines) - 1)
            gy = y + (layout.group_h - pad - block) // 2
            for line in lines:
                _blit(surface, chart.texts, line, layout.px, style.text, style, midtop=(rect.x + dx + w // 2, gy))
                gy += step
            pygame.draw.line(surface, style.dim, (rect.x + dx, y + layout.group_h - thin - 1),
                             (rect.x + dx + w, y + layout.group_h - thin - 1), thin)
        y += layout.group_h
    for col, x, w in zip(layout.columns, xs, layout.widths):
        put(wrap(col.title, font, w) or [col.title], x, w, y, layout.head_h, col.align, style.dim)
    y += layout.head_h
    pygame.draw.line(surface, style.dim, (rect.x, y - 1), (right, y - 1), max(1, style.line // 2))

    room = rect.bottom - y - layout.total_h
    shown = 0
    while shown < len(layout.rows) and sum(layout.row_hs[: shown + 1]) <= room:
        shown += 1
    more = len(layout.rows) - shown
    if more:
        shown = max(0, shown - 1)
        more = len(layout.rows) - shown
    for i in range(shown):
        h = layout.row_hs[i]
        chart.xs.append(y + h // 2)
        for cell, col, x, w in zip(layout.rows[i], layout.columns, xs, layout.widths):
            put(_cell_lines(cell, font, w, col), x, w, y, h, col.align, style.text)
        y += h
        if i < shown - 1 or more:
            pygame.draw.line(surface, style.grid, (rect.x, y - 1), (right, y - 1), thin)
    h = layout.row_height()
    if more and y + h <= rect.bottom - layout.total_h:
        put([text.and_more(more)], xs[0], right - xs[0], y, h, "left", style.dim)
        y += h
    if layout.total is not None:
        pygame.draw.line(surface, style.dim, (rect.x, y + 1), (right, y + 1), max(1, style.line // 2))
        y += pad // 2
        h = layout.total_h - pad // 2
        for cell, col, x, w in zip(layout.total, layout.columns, xs, layout.widths):
            put(_cell_lines(cell, font, w, col), x, w, y, h, col.align, style.text)
        y += h
    chart.plot = pygame.Rect(rect.x, rect.y, right - rect.x, y - rect.y)
    return chart
