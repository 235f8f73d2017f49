"""The clinician's one-page report: a printable PNG (white paper, dark ink, A4 portrait
proportions) drawn with pygame off-screen, from a `ReportData` (kiosk.storage.queries works it out
from the database). The charts are kiosk.render.charts, the same code as the history screen.

    page = draw_report(data)          # ReportPage: .surface, .figures, .texts
    surface = render_report(data)     # just the pygame.Surface (1654 x 2339 by default)
    figures = save_report(data, path) # writes the PNG, returns page.figures

`figures` maps a name to the exact string printed on the page, so tests (and anyone) can
check the printed numbers against SQL:
    profile, first_day, last_day, days, adherence ("86%"), days_practised,
    sessions, completed, stopped_early, interrupted (whole numbers),
    minutes_by_technique:<name>, minutes_by_area:<name> ("38 min"; the rows printed),
    change:<name> ("-1.4"), change_sessions:<name> ("12") for the rows printed,
    prompts ("Answered 104 of 168 check-in prompts (62%)", only when prompts > 0),
    unsynced_days (how many days of the period are marked on the date axes as days whose
    dates may be wrong, only when there are any).
Every word comes from kiosk/text.py. Works under SDL's dummy video driver: no display needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pygame

from kiosk import text
from kiosk.model import ReportData
from kiosk.render import charts, theme
from kiosk.render.layout import Fonts, Metrics, Style, Typesetter, column, row
from kiosk.render.widgets import Canvas

A4 = 297 / 210  # height / width
DEFAULT_WIDTH = 1654  # A4 at 200 dpi


@dataclass
class ReportPage:
    surface: pygame.Surface
    figures: dict[str, str] = field(default_factory=dict)  # name -> the string printed
    texts: list[tuple[str, pygame.Rect]] = field(default_factory=list)  # every text drawn, with its place
    marks: list[tuple[date, pygame.Rect]] = field(default_factory=list)  # days marked on the date axes


class _Page:
    """Sizes for a page `width` px wide (all from 1654 px = A4 at 200 dpi)."""

    def __init__(self, width: int):
        self.w = width
        self.h = round(width * A4)
        u = self.u = width / DEFAULT_WIDTH
        self.margin = round(90 * u)
        self.gap = round(22 * u)
        self.section = round(32 * u)

        def style(px: int, least: int) -> Style:
            return Style(max(12, round(px * u)), max(12, round(least * u)))

        self.title = style(104, 72)
        self.subtitle = style(52, 40)
        self.heading = style(50, 38)
        self.body = style(42, 32)
        self.figure = style(96, 60)
        self.label = style(38, 30)
        self.small = style(34, 28)


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
    style = charts.ChartStyle.paper(fonts, p.label.px, p.label.min_px, scale=1.7 * p.u)
    d = data
    n_days = len(d.days) or (d.last_day - d.first_day).days + 1
    has_sessions = d.sessions > 0
    has_pain = any(x.pain_before is not None or x.pain_after is not None or x.checkins for x in d.days)
    # Days whose sessions were started before the clock was set: marked on both date axes,
    # explained by a legend line under the charts.
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

    content = pygame.Rect(p.margin, p.margin, p.w - 2 * p.margin, p.h - 2 * p.margin)
    line = lambda s, n=1: c.line_height(s, n)  # noqa: E731
    demo_h = round(line(p.subtitle) * 1.6) if d.demo else 0
    header_h = line(p.title) + p.gap + line(p.subtitle)
    figures_h = line(p.figure) + line(p.label, 3) + 3 * p.gap
    footer_h = line(p.small, 3) + 2 * p.gap
    head = line(p.heading) + p.gap
    lh = charts.label_height(style)
    unsynced_h = lh if unsynced and (has_sessions or has_pain) else 0
    list_rows = min(13, max(len(d.minutes_by_technique), len(d.minutes_by_area), 3))
    change_rows = min(13, max(len(d.change_by_technique), 3))
    parts = [
        (header_h, header_h, 0),
        (demo_h, demo_h, 0),
        (figures_h, figures_h, 0),
        (head + round(250 * p.u), head + round(190 * p.u), 1.0),  # sessions a day
        (head + round(310 * p.u), head + round(230 * p.u), 1.2),  # pain over time
        (unsynced_h, unsynced_h, 0),  # what the marks on the date axes mean
        (head + round(list_rows * lh * 1.25), head + round(5 * lh * 1.2), 0),  # minutes
        (head + round((change_rows + 1.5) * lh * 1.25), head + round(6.5 * lh * 1.2), 0),  # change, hours
        (footer_h, footer_h, 0),
    ]
    header_r, demo_r, figures_r, sessions_r, pain_r, unsynced_r, minutes_r, lower_r, footer_r = column(
        content, parts, p.section
    )

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

    # -- key figures --------------------------------------------------------------------------
    _figures(c, p, figures_r, d)

    # -- sessions a day -------------------------------------------------------------------------
    top_value = max([d.target, 1] + [x.sessions for x in d.days])
    left_w = charts.gutter(style, ["10", str(top_value), str(d.target)])
    body = _section(
        c, p, sessions_r, text.SESSIONS_A_DAY, style,
        [(charts.TARGET, text.TARGET), (charts.BAR_MET, text.TARGET_MET), (charts.BAR, text.TARGET_NOT_MET)] if has_sessions else [],
    )
    if has_sessions:
        chart = charts.sessions_bars(surface, body, d.days, d.target, style, left=left_w, marked=unsynced)
        c.boxes.extend(chart.texts)
        page.marks.extend(chart.marks)
    else:
        _nothing(c, p, body, text.NO_SESSIONS)

    # -- pain before and after over time --------------------------------------------------------
    body = _section(
        c, p, pain_r, text.PAIN_OVER_TIME, style,
        [(charts.BEFORE, text.BEFORE), (charts.AFTER, text.AFTER), (charts.CHECKIN, text.CHECKIN)] if has_pain else [],
    )
    if has_pain:
        chart = charts.pain_lines(surface, body, d.days, style, left=left_w, marked=unsynced)
        c.boxes.extend(chart.texts)
        page.marks.extend(chart.marks)
    else:
        _nothing(c, p, body, text.NO_PAIN_RATINGS)
    if unsynced_h:
        fig["unsynced_days"] = str(len(unsynced))
        c.boxes.extend(charts.legend(surface, unsynced_r, [(charts.UNSYNCED, text.UNSYNCED_DAY)], style).texts)

    # -- minutes per technique and per area -------------------------------------------------------
    halves = row(minutes_r, [(minutes_r.w // 2, 1, 1), (minutes_r.w // 2, 1, 1)], 2 * p.section)
    for half, words, items, key in (
        (halves[0], text.MINUTES_BY_TECHNIQUE, d.minutes_by_technique, "minutes_by_technique"),
        (halves[1], text.MINUTES_BY_AREA, d.minutes_by_area, "minutes_by_area"),
    ):
        body = _section(c, p, half, words, style, [])
        if items and has_sessions:
            chart = charts.hbar_list(surface, body, items, style, fmt=text.minutes_value)
            c.boxes.extend(chart.texts)
            for name, minutes in items[: len(chart.xs)]:
                fig[f"{key}:{name}"] = text.minutes_value(minutes)
        else:
            _nothing(c, p, body, text.NO_SESSIONS)

    # -- mean change per technique; pain over the day -----------------------------------------------
    halves = row(lower_r, [(lower_r.w // 2, 1, 1), (lower_r.w // 2, 1, 1)], 2 * p.section)
    body = _section(c, p, halves[0], text.CHANGE_BY_TECHNIQUE, style, [])
    if d.change_by_technique:
        chart = charts.change_bars(surface, body, d.change_by_technique, style)
        c.boxes.extend(chart.texts)
        for name, change, n in d.change_by_technique[: len(chart.xs)]:
            fig[f"change:{name}"] = text.signed(change)
            fig[f"change_sessions:{name}"] = str(n)
    else:
        _nothing(c, p, body, text.NO_SESSIONS if not has_sessions else text.NO_PAIN_RATINGS)
    body = _section(c, p, halves[1], text.PAIN_BY_HOUR, style, [])
    if d.prompts > 0:
        fig["prompts"] = text.prompt_compliance(d.prompts_answered, d.prompts)
        prompt_r, body = column(body, [(line(p.label), line(p.label), 0), (body.h, 1, 1)], p.gap)
        c.text(fig["prompts"], prompt_r, p.label, theme.INK, align="left", max_lines=1)
    if any(n > 0 for _, _, n in d.pain_by_hour):
        c.boxes.extend(charts.hour_profile(surface, body, d.pain_by_hour, style).texts)
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
def _section(c: Canvas, p: _Page, rect: pygame.Rect, words: str, style: charts.ChartStyle, entries) -> pygame.Rect:
    """A heading (with the chart's legend at its right, on the same line or under it);
    returns the rect left for the chart."""
    head_h = c.line_height(p.heading)
    name = c.fit(words, pygame.Rect(0, 0, rect.w, head_h), p.heading, max_lines=1)
    c.draw_fitted(name, pygame.Rect(rect.x, rect.y, rect.w, head_h), theme.INK, align="left")
    top = rect.y + head_h + p.gap
    if entries:
        room = rect.w - name.width - 2 * p.section
        want = charts.legend_width(entries, style)
        lh = charts.label_height(style)
        if want <= room:
            key_r = pygame.Rect(rect.right - room, rect.y, room, head_h)
        else:
            key_r = pygame.Rect(rect.x, top, rect.w, lh)
            top += lh + p.gap
        c.boxes.extend(charts.legend(c.surface, key_r, entries, style, align="right" if want <= room else "left").texts)
    return pygame.Rect(rect.x, top, rect.w, max(1, rect.bottom - top))


def _nothing(c: Canvas, p: _Page, rect: pygame.Rect, words: str) -> None:
    c.box(rect, theme.PAPER_PANEL, radius=round(12 * p.u))
    c.text(words, rect.inflate(-2 * p.gap, -p.gap), p.body, theme.INK_DIM, max_lines=2)


def _figures(c: Canvas, p: _Page, rect: pygame.Rect, d: ReportData) -> None:
    """Adherence (wide tile, with what it means) and the four session counts."""
    tiles = row(rect, [(rect.w * 5, 1, 5), (rect.w * 2, 1, 2), (rect.w * 2, 1, 2), (rect.w * 2, 1, 2), (rect.w * 2, 1, 2)], p.gap)
    entries = [
        (text.percent(d.adherence), text.adherence_note(d.target) + "\n" + text.days_practised(
            sum(1 for x in d.days if x.sessions > 0), len(d.days)), theme.PAPER_AFTER),
        (str(d.sessions), text.SESSIONS, theme.INK),
        (str(d.completed), text.COMPLETED_COUNT, theme.INK),
        (str(d.stopped_early), text.STOPPED_EARLY_COUNT, theme.INK),
        (str(d.interrupted), text.INTERRUPTED_COUNT, theme.INK),
    ]
    for tile, (number, words, color) in zip(tiles, entries):
        c.box(tile, theme.PAPER_PANEL, radius=round(14 * p.u))
        inner = tile.inflate(-2 * p.gap, -2 * p.gap)
        num_r, words_r = column(inner, [(c.line_height(p.figure), 1, 0), (c.line_height(p.label, 3), 1, 1)], p.gap // 2)
        c.text(number, num_r, p.figure, color, align="left", max_lines=1)
        c.text(words, words_r, p.label, theme.INK_DIM, align="left", valign="top", max_lines=3, balance=False)
