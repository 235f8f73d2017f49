"""The clinician's one-page report: a printable PNG (white paper, dark ink, A4 portrait
proportions) drawn with pygame off-screen, from a `ReportData` (kiosk.storage.queries works it out
from the database). The charts are kiosk.render.charts, the same code as the history screen.
It answers the follow-up visit: what was prescribed, whether it was done (counted sessions,
minutes against the prescribed minutes), where and with what, when in the day, and how each
area's pain and level moved from the start of the period to its end.

    page = draw_report(data)          # ReportPage: .surface, .figures, .texts
    surface = render_report(data)     # just the pygame.Surface (1654 x 2339 by default)
    figures = save_report(data, path) # writes the PNG, returns page.figures

`figures` maps a name to the exact string printed on the page, so tests (and anyone) can
check the printed numbers against SQL:
    profile, first_day, last_day, days, adherence ("86%"), days_practised,
    sessions, counted, completed, stopped_early, interrupted (whole numbers),
    prescription (its lines, one per line; only when the prescription is known),
    prescribed_minutes ("16", the dashed line of the minutes chart, when known),
    minutes:<technique>:<area> ("12", or "" for a blank cell), minutes_by_technique:<name>
    (its row's total), minutes_by_area:<name> (its column's total) in the technique x area
    table, for the rows and columns printed,
    first_days:<area>, first_before:<area>, first_after:<area>, and the same with last_
    (the per-area table's cells: "7", "6.4 (14)", or ""), level:<area> (its levels over
    the period, graded practice), for the rows printed,
    change:<name> ("-1.4"), change_sessions:<name> ("12") for the rows printed,
    counted_by_hour:<hour> ("5", the number over that hour's bar, when printed),
    prompts ("Answered 104 of 168 check-in prompts (62%)", only when prompts > 0),
    unsynced_days (how many days of the period are marked on the date axes as days whose
    dates may be wrong, only when there are any).
Every word comes from kiosk/text.py. Works under SDL's dummy video driver: no display needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum, auto
from pathlib import Path

import pygame

from kiosk import text
from kiosk.model import AreaPain, PainWindow, ReportData
from kiosk.render import charts, theme
from kiosk.render.layout import Fitted, Fonts, Metrics, Style, Typesetter, column, row
from kiosk.render.widgets import Canvas

A4 = 297 / 210  # height / width
DEFAULT_WIDTH = 1654  # A4 at 200 dpi
TECHNIQUE_TABLE_SHARE = 0.6  # of the page's width, at most, for the technique x area table


class Figure(StrEnum):
    """Names of the printed figures added for the follow-up visit (their values: the module's
    docstring); a name with a colon is followed by the row's (and column's) name."""

    PRESCRIPTION = auto()
    PRESCRIBED_MINUTES = auto()
    COUNTED = auto()
    MINUTES = auto()
    FIRST_DAYS = auto()
    FIRST_BEFORE = auto()
    FIRST_AFTER = auto()
    LAST_DAYS = auto()
    LAST_BEFORE = auto()
    LAST_AFTER = auto()
    LEVEL = auto()
    COUNTED_BY_HOUR = auto()


@dataclass
class ReportPage:
    surface: pygame.Surface
    figures: dict[str, str] = field(default_factory=dict)  # name -> the string printed
    texts: list[tuple[str, pygame.Rect]] = field(default_factory=list)  # every text drawn, with its place
    marks: list[tuple[date, pygame.Rect]] = field(default_factory=list)  # days marked on the date axes


class _Page:
    """Sizes for a page `width` px wide (all from 1654 px = A4 at 200 dpi, where a label of
    34 px is about 8.5 pt and the least, 28 px, about 7 pt)."""

    def __init__(self, width: int):
        self.w = width
        self.h = round(width * A4)
        u = self.u = width / DEFAULT_WIDTH
        self.margin = round(80 * u)
        self.gap = round(16 * u)
        self.section = round(24 * u)

        def style(px: int, least: int) -> Style:
            return Style(max(12, round(px * u)), max(12, round(least * u)))

        self.title = style(92, 64)
        self.subtitle = style(44, 34)
        self.heading = style(44, 34)
        self.body = style(38, 30)
        self.figure = style(84, 56)
        self.label = style(34, 28)
        self.small = style(30, 28)


def draw_report(data: ReportData, width: int = DEFAULT_WIDTH, *, generated: datetime | None = None) -> ReportPage:
    """Draw the report page for `data`, `width` px wide (at least 1600 for print)."""
    if not pygame.font.get_init():
        pygame.font.init()
    p = _Page(int(width))
    surface = pygame.Surface((p.w, p.h))
    surface.fill(theme.PAPER)
    fonts = Fonts()
    c = Canvas(surface, Metrics((p.w, p.h)), Typesetter(fonts))
    page = ReportPage(surface)
    fig = page.figures
    style = charts.ChartStyle.paper(fonts, p.label.px, p.label.min_px, scale=1.6 * p.u)
    d = data
    n_days = len(d.days) or (d.last_day - d.first_day).days + 1
    has_sessions = d.sessions > 0
    has_pain = any(x.pain_before is not None or x.pain_after is not None or x.checkins for x in d.days)
    # Days whose sessions were started before the clock was set: marked on both date axes
    # (minutes a day, pain over time), explained by a legend line under the charts.
    unsynced = {x.day for x in d.days} & set(d.unsynced_days)

    fig.update(
        profile=d.profile,
        first_day=text.long_date(d.first_day),
        last_day=text.long_date(d.last_day),
        days=str(n_days),
        adherence=text.percent(d.adherence),
        days_practised=str(sum(1 for x in d.days if x.sessions > 0)),
        sessions=str(d.sessions),
        completed=str(d.completed),
        stopped_early=str(d.stopped_early),
        interrupted=str(d.interrupted),
    )
    fig[Figure.COUNTED] = str(d.counted)

    content = pygame.Rect(p.margin, p.margin, p.w - 2 * p.margin, p.h - 2 * p.margin)
    line = lambda s, n=1: c.line_height(s, n)  # noqa: E731
    halves_gap = 2 * p.section
    half_w = (content.w - halves_gap) // 2
    demo_h = round(line(p.subtitle) * 1.5) if d.demo else 0
    header_h = line(p.title) + p.gap + line(p.subtitle)
    summary_h = _summary_height(c, p, content, d)
    footer_h = line(p.small, 3) + 2 * p.gap
    lh = charts.label_height(style)
    unsynced_h = lh if unsynced and (has_sessions or has_pain) else 0
    sessions_key = [(charts.TARGET, text.TARGET), (charts.BAR_MET, text.TARGET_MET), (charts.BAR, text.TARGET_NOT_MET)]
    prescribed = [(charts.TARGET, text.prescribed_minutes(d.prescribed_minutes))] if d.prescribed_minutes > 0 else []
    minutes_key = [(charts.BAR, text.MINUTES_PRACTISED)] + prescribed
    pain_key = [(charts.BEFORE, text.BEFORE), (charts.AFTER, text.AFTER), (charts.CHECKIN, text.CHECKIN)]
    sessions_key, minutes_key = (sessions_key, minutes_key) if has_sessions else ([], [])
    pain_key = pain_key if has_pain else []

    def head(words: str, width: int = content.w, entries=()) -> int:
        return _head_layout(c, p, width, words, style, entries)[2]

    minutes_table = _minutes_table(d, round(content.w * TECHNIQUE_TABLE_SHARE), style)
    table_w = minutes_table.width if minutes_table else half_w
    change_w = content.w - table_w - halves_gap
    change_rows = min(14, max(len(d.change_by_technique), 3))
    mid_head = max(head(text.MINUTES_BY_TECHNIQUE_AND_AREA, table_w), head(text.CHANGE_AFTER_MINUS_BEFORE, change_w))
    mid_h = mid_head + max(minutes_table.height() if minutes_table else lh * 2, round((change_rows + 1.4) * lh * 1.25))
    area_head = head(text.PAIN_BY_AREA)
    area_table = _area_table(d, content.w, style)
    area_h = area_head + (area_table.height() if area_table else lh * 2)
    hours_head = max(head(text.COUNTED_BY_HOUR, half_w), head(text.PAIN_BY_HOUR, half_w))
    parts = [
        (header_h, header_h, 0),
        (demo_h, demo_h, 0),
        (summary_h, summary_h, 0),
        _chart_part(head(text.COUNTED_SESSIONS_A_DAY, entries=sessions_key), 160, 100, 0.8, p),
        _chart_part(head(text.MINUTES_A_DAY, entries=minutes_key), 180, 115, 0.8, p),
        _chart_part(head(text.PAIN_OVER_TIME, entries=pain_key), 280, 185, 1.6, p),
        (unsynced_h, unsynced_h, 0),  # what the marks on the date axes mean
        (area_h, area_h, 0),  # per area: first days against last, levels
        (mid_h, mid_h, 0),  # technique x area; change per technique
        _chart_part(hours_head, 200, 130, 0.6, p),  # over the day
        (footer_h, footer_h, 0),
    ]
    # The tables keep every row while the page holds them at the charts' least heights;
    # else they share what is left (an area's level history shortened first), the rows
    # left out counted under them.
    room = content.h - sum(least for want, least, _ in parts if want > 0) + area_h + mid_h \
        - p.section * (sum(1 for want, _, _ in parts if want > 0) - 1)
    if area_h + mid_h > room:
        area_least = min(area_h, max(round(room * area_h / (area_h + mid_h)), room - mid_h))
        area_table = _area_table(d, content.w, style, area_least - area_head)
        area_h = area_head + (area_table.height() if area_table else lh * 2)
        area_least = min(area_h, area_least)
        parts[7] = (area_h, area_least, 0)
        parts[8] = (mid_h, max(1, min(mid_h, room - area_least)), 0)
    (header_r, demo_r, summary_r, sessions_r, minutes_r, pain_r, unsynced_r, area_r, mid_r, hours_r,
     footer_r) = column(content, parts, p.section)

    # -- header: title, profile, dates; the sample-data banner --------------------------------
    title_r, sub_r = column(header_r, [(line(p.title), 1, 0), (line(p.subtitle), 1, 0)], p.gap)
    who = c.fit(text.profile_line(d.profile), pygame.Rect(0, 0, title_r.w // 3, title_r.h), p.subtitle, max_lines=1)
    left, right = row(title_r, [(title_r.w - who.width - p.gap, 1, 1), (who.width, who.width, 0)], p.gap)
    c.text(text.REPORT_TITLE, left, p.title, theme.INK, align="left", valign="bottom", max_lines=1)
    c.draw_fitted(who, right, theme.INK, align="right", valign="bottom")
    c.text(text.date_range(d.first_day, d.last_day, n_days), sub_r, p.subtitle, theme.INK_DIM, align="left", max_lines=1)
    rule_y = header_r.bottom + p.section // 2
    pygame.draw.line(surface, theme.PAPER_GRID, (content.x, rule_y), (content.right, rule_y), max(2, round(3 * p.u)))
    if d.demo:
        c.box(demo_r, theme.PAPER_WARN, radius=round(12 * p.u))
        c.text(text.SAMPLE_DATA, demo_r.inflate(-2 * p.gap, -p.gap // 2), p.subtitle, theme.INK, max_lines=1)

    # -- the prescription, adherence and the session counts -------------------------------------
    _summary(c, p, summary_r, d, fig)

    # -- counted sessions and minutes a day, on one date axis ------------------------------------
    minutes = _minutes_of_days(d)
    top_sessions = max([d.target, 1] + [x.sessions for x in d.days])
    top_minutes = charts.minutes_top(minutes, d.prescribed_minutes)
    left_w = charts.gutter(style, ["10", str(top_sessions), str(d.target), charts.minutes_tick(top_minutes),
                                   charts.minutes_tick(d.prescribed_minutes)])
    body = _section(c, p, sessions_r, text.COUNTED_SESSIONS_A_DAY, style, sessions_key)
    if has_sessions:
        chart = charts.sessions_bars(surface, body, d.days, d.target, style, left=left_w, x_labels=False)
        c.boxes.extend(chart.texts)
    else:
        _nothing(c, p, body, text.NO_SESSIONS)
    body = _section(c, p, minutes_r, text.MINUTES_A_DAY, style, minutes_key)
    if has_sessions:
        chart = charts.minutes_bars(surface, body, d.days, minutes, d.prescribed_minutes, style, left=left_w, marked=unsynced)
        c.boxes.extend(chart.texts)
        page.marks.extend(chart.marks)
        if d.prescribed_minutes > 0:
            fig[Figure.PRESCRIBED_MINUTES] = charts.minutes_tick(d.prescribed_minutes)
    else:
        _nothing(c, p, body, text.NO_SESSIONS)

    # -- pain before and after over time --------------------------------------------------------
    body = _section(c, p, pain_r, text.PAIN_OVER_TIME, style, pain_key)
    if has_pain:
        chart = charts.pain_lines(surface, body, d.days, style, left=left_w, marked=unsynced)
        c.boxes.extend(chart.texts)
        page.marks.extend(chart.marks)
    else:
        _nothing(c, p, body, text.NO_PAIN_RATINGS)
    if unsynced_h:
        fig["unsynced_days"] = str(len(unsynced))
        c.boxes.extend(charts.legend(surface, unsynced_r, [(charts.UNSYNCED, text.UNSYNCED_DAY)], style).texts)

    # -- per area: its first practice days against its last, and its levels ----------------------
    body = _section(c, p, area_r, text.PAIN_BY_AREA, style, [])
    if area_table:
        chart = charts.draw_table(surface, body, area_table)
        c.boxes.extend(chart.texts)
        keys = (Figure.FIRST_DAYS, Figure.FIRST_BEFORE, Figure.FIRST_AFTER, Figure.LAST_DAYS, Figure.LAST_BEFORE,
                Figure.LAST_AFTER, Figure.LEVEL)
        for cells in area_table.rows[: len(chart.xs)]:
            for key, cell in zip(keys, cells[1:]):
                fig[f"{key}:{cells[0]}"] = cell
    else:
        _nothing(c, p, body, text.NO_SESSIONS)

    # -- technique x area minutes; the change in pain per technique --------------------------------
    table_r, change_r = row(mid_r, [(table_w, table_w, 0), (change_w, 1, 1)], halves_gap)
    body = _section(c, p, table_r, text.MINUTES_BY_TECHNIQUE_AND_AREA, style, [])
    if minutes_table and has_sessions:
        chart = charts.draw_table(surface, body, minutes_table)
        c.boxes.extend(chart.texts)
        _minutes_figures(fig, minutes_table, len(chart.xs))
    else:
        _nothing(c, p, body, text.NO_SESSIONS)
    body = _section(c, p, change_r, text.CHANGE_AFTER_MINUS_BEFORE, style, [])
    if d.change_by_technique:
        chart = charts.change_bars(surface, body, d.change_by_technique, style)
        c.boxes.extend(chart.texts)
        for name, change, n in d.change_by_technique[: len(chart.xs)]:
            fig[f"change:{name}"] = text.signed(change)
            fig[f"change_sessions:{name}"] = str(n)
    else:
        _nothing(c, p, body, text.NO_SESSIONS if not has_sessions else text.NO_PAIN_RATINGS)

    # -- over the day: when counted sessions started; pain by the hour ---------------------------------
    # Both charts span the same hours: those with sessions or ratings (at least 12).
    hours = charts.hour_span([h for h, n in d.counted_by_hour if n > 0] + [h for h, _, n in d.pain_by_hour if n > 0])
    when_r, hour_r = row(hours_r, [(half_w, 1, 1), (half_w, 1, 1)], halves_gap)
    body = _section(c, p, when_r, text.COUNTED_BY_HOUR, style, [])
    if any(n > 0 for _, n in d.counted_by_hour):
        chart = charts.hour_counts(surface, body, d.counted_by_hour, style, hours=hours)
        c.boxes.extend(chart.texts)
        drawn = sorted((h, n) for h, n in d.counted_by_hour if n > 0 and h in hours)
        for (hour, _), (words, _) in zip(drawn, chart.values):
            fig[f"{Figure.COUNTED_BY_HOUR}:{hour}"] = words
    else:
        _nothing(c, p, body, text.NO_SESSIONS)
    body = _section(c, p, hour_r, text.PAIN_BY_HOUR, style, [])
    if d.prompts > 0:
        fig["prompts"] = text.prompt_compliance(d.prompts_answered, d.prompts)
        prompt_r, body = column(body, [(line(p.label), line(p.label), 0), (body.h, 1, 1)], p.gap)
        c.text(fig["prompts"], prompt_r, p.label, theme.INK, align="left", max_lines=1)
    if any(n > 0 for _, _, n in d.pain_by_hour):
        c.boxes.extend(charts.hour_profile(surface, body, d.pain_by_hour, style, hours=hours).texts)
    else:
        _nothing(c, p, body, text.NO_PAIN_RATINGS)

    # -- footer ---------------------------------------------------------------------------------------
    pygame.draw.line(surface, theme.PAPER_GRID, (content.x, footer_r.y), (content.right, footer_r.y), max(2, round(3 * p.u)))
    note_r, made_r = column(
        footer_r.inflate(0, -p.gap), [(line(p.small, 2), line(p.small), 0), (line(p.small), line(p.small), 0)], p.gap // 2
    )
    c.text(text.REPORT_FOOTER, note_r, p.small, theme.INK_DIM, align="left", max_lines=2, balance=False)
    when = generated or datetime.now()
    c.text(text.generated_note(text.date_time(when)), made_r, p.small, theme.INK_DIM, align="left", max_lines=1)

    page.texts = c.boxes
    return page


def render_report(data: ReportData, width: int = DEFAULT_WIDTH, *, generated: datetime | None = None) -> pygame.Surface:
    """The report page as a pygame.Surface, `width` px wide, A4 portrait proportions."""
    return draw_report(data, width, generated=generated).surface


def save_report(data: ReportData, path, width: int = DEFAULT_WIDTH, *, generated: datetime | None = None) -> dict[str, str]:
    """Draw the report and write it as a PNG to `path`; returns the printed figures."""
    page = draw_report(data, width, generated=generated)
    path = Path(path)
    pygame.image.save(page.surface, str(path))
    return page.figures


# -- pieces ---------------------------------------------------------------------------------------
def _chart_part(head_h: int, want: int, least: int, grow: float, p: _Page) -> tuple[int, int, float]:
    """A `column` part for a chart under its heading: `want` and `least` px of chart (at
    1654 px wide), growing by `grow`."""
    return head_h + round(want * p.u), head_h + round(least * p.u), grow


def _heading(c: Canvas, p: _Page, words: str, width: int) -> Fitted:
    """A section's heading fitted to `width`: one line (shrinking down to the least heading
    size), else two; never cut short."""
    one = c.ts.fit(words, width, c.line_height(p.heading), p.heading, max_lines=1)
    if whole(one, words):
        return one
    return c.ts.fit(words, width, c.line_height(p.heading, 2), p.heading, max_lines=2, balance=False)


def _head_layout(c: Canvas, p: _Page, width: int, words: str, style: charts.ChartStyle, entries) -> tuple[Fitted, bool, int]:
    """(the heading fitted, whether the legend goes under it, the height of both and the gap after)."""
    name = _heading(c, p, words, width)
    head_h = max(name.height, c.line_height(p.heading))
    below = bool(entries) and charts.legend_width(entries, style) > width - name.width - 2 * p.section
    return name, below, head_h + p.gap + ((charts.label_height(style) + p.gap) if below else 0)


def _section(c: Canvas, p: _Page, rect: pygame.Rect, words: str, style: charts.ChartStyle, entries) -> pygame.Rect:
    """A heading (with the chart's legend at its right, on the same line or under it);
    returns the rect left for the chart."""
    name, below, height = _head_layout(c, p, rect.w, words, style, entries)
    head_h = max(name.height, c.line_height(p.heading))
    c.draw_fitted(name, pygame.Rect(rect.x, rect.y, rect.w, head_h), theme.INK, align="left")
    if entries:
        lh = charts.label_height(style)
        if below:
            key_r = pygame.Rect(rect.x, rect.y + head_h + p.gap, rect.w, lh)
        else:
            room = rect.w - name.width - 2 * p.section
            key_r = pygame.Rect(rect.right - room, rect.y, room, c.line_height(p.heading))
        c.boxes.extend(charts.legend(c.surface, key_r, entries, style, align="left" if below else "right").texts)
    top = rect.y + height
    return pygame.Rect(rect.x, top, rect.w, max(1, rect.bottom - top))


def whole(fitted: Fitted, words: str) -> bool:
    """Whether `fitted` holds all of `words` (wrapped, not cut short)."""
    return " ".join(fitted.lines).split() == words.split()


def _nothing(c: Canvas, p: _Page, rect: pygame.Rect, words: str) -> None:
    c.box(rect, theme.PAPER_PANEL, radius=round(12 * p.u))
    c.text(words, rect.inflate(-2 * p.gap, -p.gap), p.body, theme.INK_DIM, max_lines=2)


# -- the summary: prescription, adherence, counts ---------------------------------------------------
def _prescription_lines(d: ReportData) -> list[str]:
    """The prescription as printed, one line a rule (empty when it is not known)."""
    rx = d.prescription
    if rx is None:
        return []
    lines = [text.mode_name(rx.mode), text.session_rule(rx.duration_seconds, rx.counts_after_seconds),
             text.daily_rule(rx.daily_target, d.prescribed_minutes)]
    if rx.areas:
        lines.append(text.areas_line(rx.areas))
    return lines


def _counts(d: ReportData) -> list[tuple[str, str]]:
    counted = text.counted_label(d.prescription.counts_after_seconds) if d.prescription else text.COUNTED
    return [
        (text.SESSIONS, str(d.sessions)),
        (counted, str(d.counted)),
        (text.COMPLETED_COUNT, str(d.completed)),
        (text.STOPPED_EARLY_COUNT, str(d.stopped_early)),
        (text.INTERRUPTED_COUNT, str(d.interrupted)),
    ]


def _summary_tiles(p: _Page, rect: pygame.Rect) -> list[pygame.Rect]:
    """The prescription's, adherence's and counts' panels side by side."""
    return row(rect, [(rect.w * 46, 1, 46), (rect.w * 27, 1, 27), (rect.w * 27, 1, 27)], p.gap)


def _summary_height(c: Canvas, p: _Page, content: pygame.Rect, d: ReportData) -> int:
    """The height the summary row needs: its tallest panel, every word whole."""
    presc_r, adh_r, _ = _summary_tiles(p, pygame.Rect(0, 0, content.w, 1))
    pad = 2 * p.gap
    inner = presc_r.w - 2 * pad
    lines = _prescription_lines(d) or [text.NO_PRESCRIPTION]
    presc_h = c.line_height(p.body) + p.gap + sum(c.wanted_height(t, inner, p.label, 3) for t in lines) \
        + p.gap // 2 * (len(lines) - 1)
    note = _adherence_words(d)
    adh_h = c.line_height(p.figure) + p.gap // 2 + c.wanted_height(note, adh_r.w - 2 * pad, p.label, 4)
    counts_h = len(_counts(d)) * c.line_height(p.label) + (len(_counts(d)) - 1) * (p.gap // 2)
    return max(presc_h, adh_h, counts_h) + 2 * pad


def _adherence_words(d: ReportData) -> str:
    return text.adherence_note(d.target) + "\n" + text.days_practised(sum(1 for x in d.days if x.sessions > 0), len(d.days))


def _summary(c: Canvas, p: _Page, rect: pygame.Rect, d: ReportData, fig: dict[str, str]) -> None:
    """The prescription (the rules the period is measured by), adherence from counted
    sessions, and the sessions counted, completed, stopped early and interrupted."""
    presc_r, adh_r, counts_r = _summary_tiles(p, rect)
    pad = 2 * p.gap
    for tile in (presc_r, adh_r, counts_r):
        c.box(tile, theme.PAPER_PANEL, radius=round(14 * p.u))
    # The prescription: a heading, then a line for each rule, each wrapped whole.
    inner = presc_r.inflate(-2 * pad, -2 * pad)
    lines = _prescription_lines(d)
    if lines:
        fig[Figure.PRESCRIPTION] = "\n".join(lines)
    words = lines or [text.NO_PRESCRIPTION]
    parts = [(c.line_height(p.body), c.line_height(p.body), 0)]
    parts += [(c.wanted_height(t, inner.w, p.label, 3), c.least_height(t, inner.w, p.label, 3), 0) for t in words]
    rects = column(inner, parts, p.gap // 2)
    c.text(text.PRESCRIPTION, rects[0], p.body, theme.INK, align="left", max_lines=1)
    for words_, r in zip(words, rects[1:]):
        c.text(words_, r, p.label, theme.INK if lines else theme.INK_DIM, align="left", valign="top", max_lines=3, balance=False)
    # Adherence: the share of days that reached the target in counted sessions.
    inner = adh_r.inflate(-2 * pad, -2 * pad)
    num_r, words_r = column(inner, [(c.line_height(p.figure), 1, 0), (inner.h, 1, 1)], p.gap // 2)
    c.text(text.percent(d.adherence), num_r, p.figure, theme.PAPER_AFTER, align="left", max_lines=1)
    c.text(_adherence_words(d), words_r, p.label, theme.INK_DIM, align="left", valign="top", max_lines=4, balance=False)
    # The counts, a word and its number on each line.
    inner = counts_r.inflate(-2 * pad, -2 * pad)
    counts = _counts(d)
    rects = column(inner, [(c.line_height(p.label), 1, 0)] * len(counts), p.gap // 2)
    for (words_, number), r in zip(counts, rects):
        num = c.fit(number, r, p.body, max_lines=1)
        c.draw_fitted(num, r, theme.INK, align="right")
        c.text(words_, pygame.Rect(r.x, r.y, r.w - num.width - p.gap, r.h), p.label, theme.INK_DIM, align="left", max_lines=1)


# -- the tables -----------------------------------------------------------------------------------------
def _minutes_of_days(d: ReportData) -> list[float]:
    """The minutes practised on each day of `d.days`."""
    by_day = dict(d.minutes_by_day)
    return [by_day.get(x.day, 0.0) for x in d.days]


def _window_cells(w: PainWindow) -> list[str]:
    """An area's window as its table cells: practice days, pain before and after (n)."""
    def mean(value: float | None, n: int) -> str:
        return text.mean_and_count(value, n) if value is not None and n else ""

    return [str(w.days) if w.days else "", mean(w.before, w.before_count), mean(w.after, w.after_count)]


def _level_words(steps, keep: int | None) -> str:
    """An area's levels over the period: the first, then each change with its date; with
    `keep`, only the last `keep` changes, the ones before them counted."""
    if not steps:
        return ""
    (_, first), changes = steps[0], list(steps[1:])
    words = first
    if keep is not None and len(changes) > keep:
        words = text.level_changes_left_out(words, len(changes) - keep)
        changes = changes[len(changes) - keep:]
    for day, name in changes:
        words = text.level_change(words, name, day)
    return words


def _area_table(d: ReportData, width: int, style: charts.ChartStyle, height: int | None = None) -> charts.TableLayout | None:
    """The per-area table: each area's first practice days against its last (days, mean
    pain before and after with the number of ratings) and, in graded practice, its levels
    over the period, shortened (the earlier changes counted, not named) until the table
    fits `width` and, when given, `height`. None when there is nothing to show."""
    levels = dict(d.levels)
    areas: list[AreaPain] = list(d.pain_by_area)
    known = {a.area for a in areas}
    areas += [AreaPain(name, PainWindow(), PainWindow()) for name, _ in d.levels if name not in known]
    if not areas:
        return None
    n = max([max(a.first.days, a.last.days) for a in areas] + [1]) if d.pain_by_area else 7
    first, last = text.first_practice_days(n), text.last_practice_days(n)
    columns = [charts.Column(text.AREA, align="left", lines=2)]
    for group in (first, last):
        columns += [charts.Column(text.DAYS_COLUMN, group), charts.Column(text.BEFORE, group),
                    charts.Column(text.AFTER, group)]
    if d.levels:
        columns.append(charts.Column(text.LEVEL_OVER_PERIOD, align="left", lines=3, grow=True))
    layout = None
    most_changes = max([len(steps) - 1 for steps in levels.values()] + [0])
    for keep in [None] + list(range(most_changes - 1, 0, -1)):  # the level at the end is always named
        rows = []
        for a in areas:
            cells = [a.area] + _window_cells(a.first) + _window_cells(a.last)
            if d.levels:
                cells.append(_level_words(levels.get(a.area, ()), keep))
            rows.append(cells)
        layout = charts.table_layout(width, columns, rows, style) or layout
        if not d.levels or (layout is not None and (height is None or layout.height() <= height)):
            break
    return layout


def _minutes_table(d: ReportData, width: int, style: charts.ChartStyle) -> charts.TableLayout | None:
    """Minutes by technique (rows, most first) and area (columns, most first), with each
    row's and column's total: as many areas as fit `width`, the others added up in one
    column. None when no minutes were practised."""
    techniques = [name for name, _ in d.minutes_by_technique]
    areas = [name for name, _ in d.minutes_by_area]
    if not techniques:
        return None
    cells: dict[tuple[str, str], float] = {}
    for technique, area, minutes in d.minutes_by_technique_area:
        cells[(technique, area)] = cells.get((technique, area), 0.0) + minutes
    by_area = dict(d.minutes_by_area)

    def number(minutes: float) -> str:
        return charts.minutes_tick(minutes) if minutes > 0 else ""

    # As many area columns as fit with every technique's name on one line; else as many as fit.
    found: charts.TableLayout | None = None
    for shown in range(len(areas), -1, -1):
        named, others = areas[:shown], areas[shown:]
        columns = [charts.Column(text.TECHNIQUE, align="left", lines=2, cut=True)]
        columns += [charts.Column(area, lines=2) for area in named]
        if others:
            columns.append(charts.Column(text.OTHER_AREAS, lines=2))
        columns.append(charts.Column(text.ALL_AREAS, lines=2))
        rows = []
        for technique, total in d.minutes_by_technique:
            row_cells = [technique] + [number(cells.get((technique, area), 0.0)) for area in named]
            if others:
                row_cells.append(number(sum(cells.get((technique, area), 0.0) for area in others)))
            rows.append(row_cells + [number(total)])
        totals = [text.ALL_TECHNIQUES] + [number(by_area[area]) for area in named]
        if others:
            totals.append(number(sum(by_area[area] for area in others)))
        totals.append(number(sum(by_area.values()) if by_area else sum(m for _, m in d.minutes_by_technique)))
        layout = charts.table_layout(width, columns, rows, style, total=totals)
        if layout is None:
            continue
        font = style.fonts.get(layout.px)
        if layout.widths[0] >= max(font.size(name)[0] for name in techniques):
            return layout
        found = found or layout
    return found


def _minutes_figures(fig: dict[str, str], table: charts.TableLayout, rows_shown: int) -> None:
    """The technique x area table's printed cells and totals, by name."""
    by_technique, by_area = "minutes_by_technique", "minutes_by_area"
    areas = [col.title for col in table.columns[1:-1]]  # and "other areas" last, when there is one
    if len(table.columns) > 2 and table.columns[-2].title == text.OTHER_AREAS:
        areas = areas[:-1]
    for cells in table.rows[:rows_shown]:
        technique = cells[0]
        fig[f"{by_technique}:{technique}"] = cells[-1]
        for area, cell in zip(areas, cells[1:-1]):
            fig[f"{Figure.MINUTES}:{technique}:{area}"] = cell
    if table.total:
        for area, cell in zip(areas, table.total[1:-1]):
            fig[f"{by_area}:{area}"] = cell
