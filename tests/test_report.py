"""The clinician's one-page report: printable size, every figure it prints matches the data
(and, through kiosk.storage.queries, SQL over the same database), every text on the page, the
sample-data banner only for sample data, empty and tiny periods said in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pygame
import pytest

from kiosk import text
from kiosk.model import DayStat
from kiosk.render import charts, theme
from kiosk.render.report_page import Figure, draw_report, render_report, save_report
from kiosk.render.samples import REPORT_SAMPLES, report_data

WHEN = datetime(2025, 3, 27, 18, 30)


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.font.init()
    yield


_pages: dict = {}


def page_of(name: str):
    if name not in _pages:
        _pages[name] = draw_report(REPORT_SAMPLES[name], generated=WHEN)
    return _pages[name]


def texts(page) -> list[str]:
    return [t for t, _ in page.texts]


def assert_sound_page(page) -> None:
    w, h = page.surface.get_size()
    assert w >= 1600 and h > w, f"{w}x{h} is not a printable portrait page"
    assert 1.38 < h / w < 1.45, "A4 proportions"
    area = pygame.Rect(0, 0, w, h)
    for words, rect in page.texts:
        assert words.strip(), f"empty text at {rect}"
        assert area.contains(rect), f"{words!r} at {rect} is off the page"
        assert rect.h >= 18, f"{words!r} only {rect.h} px high: too small to print"
    boxes = page.texts
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1 :]:
            assert not a.colliderect(b), f"{ta!r} {a} overlaps {tb!r} {b}"


SAMPLE_NAMES = ["report_empty", "report_one", "report_28", "report_90", "report_14_real", "report_new_year", "report_unsynced"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_page_is_printable_and_everything_is_on_it(name):
    page = page_of(name)
    assert_sound_page(page)
    d = REPORT_SAMPLES[name]
    # White paper.
    assert tuple(page.surface.get_at((5, 5)))[:3] == (255, 255, 255)
    assert text.REPORT_TITLE in texts(page) and text.profile_line(d.profile) in texts(page)
    bottom = page.surface.get_height() * 0.9
    footer = " ".join(t for t, r in page.texts if t in text.REPORT_FOOTER and r.top > bottom)
    assert footer.split() == text.REPORT_FOOTER.split(), "the whole footer is printed"
    assert text.date_range(d.first_day, d.last_day, len(d.days)) in texts(page)
    assert text.generated_note(text.date_time(WHEN)) in texts(page)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_printed_figures_match_the_data(name):
    d = REPORT_SAMPLES[name]
    page = page_of(name)
    f = page.figures
    assert f["adherence"] == f"{round(d.adherence * 100)}%"
    assert f["sessions"] == str(d.sessions)
    assert f["completed"] == str(d.completed)
    assert f["stopped_early"] == str(d.stopped_early)
    assert f["interrupted"] == str(d.interrupted)
    assert f["days_practised"] == str(sum(1 for x in d.days if x.sessions > 0))
    assert f["days"] == str(len(d.days))
    for name_, change, n in d.change_by_technique:
        key = f"change:{name_}"
        if key in f:
            assert float(f[key]) == pytest.approx(round(change, 1), abs=0.051)
            assert f[f"change_sessions:{name_}"] == str(n)
    for name_, minutes in d.minutes_by_technique:
        if f"minutes_by_technique:{name_}" in f:
            assert f[f"minutes_by_technique:{name_}"] == charts.minutes_tick(minutes)
    if d.prompts:
        pct = round(100 * d.prompts_answered / d.prompts)
        assert f["prompts"] == text.prompt_compliance(d.prompts_answered, d.prompts)
        assert f"{d.prompts_answered} of {d.prompts}" in f["prompts"] and f"({pct}%)" in f["prompts"]
    else:
        assert "prompts" not in f
    # Every figure is on the page, in the words recorded.
    shown = texts(page)
    for key in ("adherence", "sessions", "completed", "stopped_early", "interrupted"):
        assert f[key] in shown, f"{key} {f[key]!r} not printed"
    for key, value in f.items():
        if key.startswith(("change:", "minutes_by")):
            assert value in shown, f"{key} {value!r} not printed"
        if key.startswith("change_sessions:"):
            assert text.sessions_count(int(value)) in shown
        if key == "prompts":
            assert value in shown


def test_every_row_printed_when_they_fit():
    d = REPORT_SAMPLES["report_28"]
    f = page_of("report_28").figures
    assert all(f"change:{n}" in f for n, _, _ in d.change_by_technique)
    assert all(f"minutes_by_area:{n}" in f for n, _ in d.minutes_by_area)
    assert all(f"minutes_by_technique:{n}" in f for n, _ in d.minutes_by_technique)


def test_more_rows_than_room_say_how_many_more():
    d = REPORT_SAMPLES["report_28"]
    many = tuple((f"Technique {i}", 100.0 - i) for i in range(40))
    page = draw_report(replace(d, minutes_by_technique=many), generated=WHEN)
    assert_sound_page(page)
    shown_rows = sum(1 for k in page.figures if k.startswith("minutes_by_technique:"))
    assert 5 <= shown_rows < 40
    assert text.and_more(40 - shown_rows) in texts(page)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_data_banner_only_for_sample_data(name):
    d = REPORT_SAMPLES[name]
    assert (text.SAMPLE_DATA in texts(page_of(name))) == d.demo
    flipped = draw_report(replace(d, demo=not d.demo), generated=WHEN)
    assert (text.SAMPLE_DATA in texts(flipped)) == (not d.demo)


def test_empty_period_says_so_instead_of_empty_charts():
    page = page_of("report_empty")
    shown = texts(page)
    assert text.NO_SESSIONS in shown and text.NO_PAIN_RATINGS in shown
    assert text.TARGET not in shown and text.BEFORE not in shown, "no legend for charts not drawn"
    assert page.figures["sessions"] == "0" and page.figures["adherence"] == "0%"


def test_one_session_draws_its_charts():
    page = page_of("report_one")
    shown = texts(page)
    assert text.NO_SESSIONS not in shown
    assert text.COUNTED_SESSIONS_A_DAY in shown and text.MINUTES_A_DAY in shown and text.PAIN_OVER_TIME in shown
    assert page.figures["sessions"] == "1"


def test_ninety_days_thin_the_date_labels():
    page = page_of("report_90")
    d = REPORT_SAMPLES["report_90"]
    dates = {text.short_date(x.day) for x in d.days}
    labels = [(t, r) for t, r in page.texts if t in dates]
    assert 6 <= len(labels) <= 2 * 20, f"{len(labels)} date labels for 90 days"
    assert text.PAIN_BY_HOUR in texts(page)


def test_a_single_day_range():
    d = report_data(1, sessions=1, demo=False)
    assert len(d.days) == 1
    page = draw_report(d, generated=WHEN)
    assert_sound_page(page)
    assert page.figures["days"] == "1"


def test_wider_page_and_default_size():
    surface = render_report(REPORT_SAMPLES["report_28"])
    assert surface.get_size() == (1654, 2339)
    wide = draw_report(REPORT_SAMPLES["report_28"], 2480, generated=WHEN)
    assert wide.surface.get_width() == 2480
    assert_sound_page(wide)
    assert wide.figures == page_of("report_28").figures


def test_save_report_writes_a_png(tmp_path):
    path = tmp_path / "report.png"
    figures = save_report(REPORT_SAMPLES["report_14_real"], path, generated=WHEN)
    image = pygame.image.load(str(path))
    assert image.get_width() >= 1600 and image.get_height() > image.get_width()
    assert figures == page_of("report_14_real").figures


def test_long_names_are_cut_not_spilled():
    d = REPORT_SAMPLES["report_28"]
    long = "A technique with a really extraordinarily long name for a list"
    page = draw_report(
        replace(
            d,
            profile="Sam-with-a-long-nickname",
            minutes_by_technique=((long, 50.0),) + d.minutes_by_technique,
            change_by_technique=((long, -2.25, 4),) + d.change_by_technique,
        ),
        generated=WHEN,
    )
    assert_sound_page(page)
    assert any(t.endswith(text.ELLIPSIS) for t in texts(page))
    assert page.figures[f"change:{long}"] == "-2.2" or page.figures[f"change:{long}"] == "-2.3"


def test_check_ins_without_sessions_still_show_pain():
    d = REPORT_SAMPLES["report_empty"]
    days = tuple(replace(x, checkins=(5, 6)) if i % 3 == 0 else x for i, x in enumerate(d.days))
    page = draw_report(replace(d, days=days, pain_by_hour=((9, 5.5, 20),), prompts=30, prompts_answered=20), generated=WHEN)
    assert_sound_page(page)
    shown = texts(page)
    assert text.NO_SESSIONS in shown and text.CHECKIN in shown
    assert page.figures["prompts"] == text.prompt_compliance(20, 30)


# -- the same figures as SQL over a database -------------------------------------------------
def test_figures_match_sql_over_a_demo_database(tmp_path):
    demo = pytest.importorskip("kiosk.storage.demo")
    reporting = pytest.importorskip("kiosk.storage.queries")
    from kiosk.config import load_defaults
    from kiosk.storage.store import Store

    now = datetime(2025, 3, 27, 20, 0, tzinfo=timezone.utc)
    store = Store.open(tmp_path, tz=timezone.utc)
    try:
        demo.fill_demo(store, days=90, profile="sam", seed=5, now=now)
        config = load_defaults()
        first, last = reporting.day_range(now, 90, store.rollover, store.tz)
        data = reporting.report_for(store, config, "sam", first, last)
        page = draw_report(data, generated=WHEN)
        assert_sound_page(page)
        f = page.figures
        span = ["sam", first.isoformat(), last.isoformat()]
        where = "profile = ? AND day BETWEEN ? AND ? AND status != 'in_progress'"
        q = store.db.execute
        total, completed, stopped, interrupted = q(
            "SELECT count(*), sum(status = 'completed'), sum(status = 'stopped_early'), sum(status = 'interrupted')"
            " FROM sessions WHERE profile = ? AND day BETWEEN ? AND ? AND status != 'in_progress'",
            span,
        ).fetchone()
        assert (f["sessions"], f["completed"], f["stopped_early"], f["interrupted"]) == tuple(
            str(n or 0) for n in (total, completed, stopped, interrupted)
        )
        target = data.target
        # Adherence counts the sessions that counted (issue 13) where the schema has them.
        columns = {row[1] for row in q("PRAGMA table_info(daily_summary)").fetchall()}
        sessions = "counted_sessions" if "counted_sessions" in columns else "sessions"
        met = q(
            f"SELECT count(*) FROM daily_summary WHERE profile = ? AND day BETWEEN ? AND ? AND {sessions} >= ?",
            span + [target],
        ).fetchone()[0]
        assert f["adherence"] == f"{round(100 * met / 90)}%"
        names = reporting.names_from(config)
        for technique, change, n in q(
            "SELECT technique, avg(pain_after - pain_before), count(*) FROM sessions"
            " WHERE profile = ? AND day BETWEEN ? AND ? AND status != 'in_progress'"
            " AND pain_before IS NOT NULL AND pain_after IS NOT NULL GROUP BY technique",
            span,
        ).fetchall():
            name = names.get(technique, technique)
            if f"change:{name}" in f:
                assert float(f[f"change:{name}"]) == pytest.approx(round(change, 1), abs=0.051)
                assert f[f"change_sessions:{name}"] == str(n)
        prompts, answered = q(
            "SELECT count(*), coalesce(sum(status = 'saved'), 0) FROM pain_checkins"
            " WHERE profile = ? AND day BETWEEN ? AND ? AND prompted = 1",
            span,
        ).fetchone()
        if prompts:
            assert f["prompts"] == text.prompt_compliance(answered, prompts)
        assert (text.SAMPLE_DATA in texts(page)) == data.demo
        # The follow-up visit's figures (issue 13), against SQL over the same file.
        counted = q(f"SELECT count(*) FROM sessions WHERE {where} AND counted = 1", span).fetchone()[0]
        assert f[Figure.COUNTED] == str(counted) and counted > 0
        cells = q(f"SELECT technique, area, sum(active_seconds) / 60.0 FROM sessions WHERE {where}"
                  " GROUP BY technique, area", span).fetchall()
        printed = 0
        for technique, area, minutes in cells:
            key = f"{Figure.MINUTES}:{names.get(technique, technique)}:{names.get(area, area)}"
            if key in f:
                printed += 1
                assert f[key] == str(round(minutes))
        assert printed >= len(cells) // 2, "most of the technique x area cells are printed"
        hours: dict[int, int] = {}
        for (started,) in q(f"SELECT started_at FROM sessions WHERE {where} AND counted = 1", span).fetchall():
            hour = datetime.fromisoformat(started).astimezone(timezone.utc).hour
            hours[hour] = hours.get(hour, 0) + 1
        by_hour = {int(k.split(":")[1]): v for k, v in f.items() if k.startswith(f"{Figure.COUNTED_BY_HOUR}:")}
        assert by_hour and all(v == str(hours[h]) for h, v in by_hour.items())
        for (area,) in q(f"SELECT DISTINCT area FROM sessions WHERE {where}", span).fetchall():
            days = [day for (day,) in q(f"SELECT DISTINCT day FROM sessions WHERE {where} AND area = ? ORDER BY day",
                                        span + [area]).fetchall()]
            early = days[: min(7, (len(days) + 1) // 2)]
            before, n = q(f"SELECT avg(pain_before), count(pain_before) FROM sessions WHERE {where} AND area = ?"
                          " AND day BETWEEN ? AND ?", span + [area, early[0], early[-1]]).fetchone()
            name = names.get(area, area)
            if f"{Figure.FIRST_BEFORE}:{name}" in f:
                assert f[f"{Figure.FIRST_DAYS}:{name}"] == str(len(early))
                assert f[f"{Figure.FIRST_BEFORE}:{name}"] == text.mean_and_count(before, n)
    finally:
        store.close()


def test_daystats_with_gaps_render():
    d = REPORT_SAMPLES["report_28"]
    days = tuple(DayStat(x.day, 0, None, None) if i % 4 else x for i, x in enumerate(d.days))
    page = draw_report(replace(d, days=days), generated=WHEN)
    assert_sound_page(page)
    assert date(2025, 3, 27) == d.last_day


# -- dates on the axis ----------------------------------------------------------------------
def axis_dates(boxes, d) -> list[str]:
    """The date labels among `boxes` (text, rect): short ("3 Jan") or with the year."""
    words = {text.short_date(x.day) for x in d.days} | {text.long_date(x.day) for x in d.days}
    return [t for t, _ in boxes if t in words]


def test_a_range_across_new_year_shows_the_years_on_the_axis():
    d = report_data(28, last=date(2026, 1, 16))
    assert d.first_day == date(2025, 12, 20)
    page = draw_report(d, generated=WHEN)
    assert_sound_page(page)
    labels = axis_dates(page.texts, d)
    assert labels, "no date labels"
    assert any("2025" in t for t in labels), f"no 2025 on the axis: {labels}"
    assert any("2026" in t for t in labels), f"no 2026 on the axis: {labels}"
    # The year comes where it changes, not on every label.
    assert sum(1 for t in labels if "2025" in t or "2026" in t) < len(labels)


def test_a_range_within_one_year_shows_no_year_on_the_axis():
    d = REPORT_SAMPLES["report_28"]
    labels = axis_dates(page_of("report_28").texts, d)
    assert labels and not any(str(d.last_day.year) in t for t in labels)


def test_the_report_on_screen_shows_the_years_across_new_year():
    from kiosk.render import Renderer
    from kiosk.views import Frame, ReportView

    d = report_data(28, last=date(2026, 1, 16))
    for size in ((480, 320), (800, 480), (1920, 1080)):
        renderer = Renderer(size)
        renderer.draw(pygame.Surface(size), Frame(ReportView(d)))
        labels = axis_dates(renderer.text_boxes, d)
        assert any("2026" in t for t in labels), f"{size}: no 2026 on the axis: {labels}"


# -- days whose dates may be wrong (the clock was not set) -----------------------------------
def test_days_recorded_before_the_clock_was_set_are_marked_on_the_date_axes():
    d = REPORT_SAMPLES["report_unsynced"]
    page = page_of("report_unsynced")
    assert_sound_page(page)
    assert page.figures["unsynced_days"] == str(len(d.unsynced_days))
    assert text.UNSYNCED_DAY in texts(page), "a legend line says what the marks mean"
    # One mark per marked day on each of the two charts' date axes, and on no other day.
    assert sorted(day for day, _ in page.marks) == sorted(list(d.unsynced_days) * 2)
    for day, mark in page.marks:
        assert mark.w > 4 and mark.h > 4
        for words, r in page.texts:
            assert not mark.colliderect(r), f"the mark under {day} covers {words!r}"
    # Left to right in date order, under each chart.
    xs = {}
    for day, mark in page.marks:
        xs.setdefault(day, []).append(mark.centerx)
    order = sorted(xs)
    assert [xs[day][0] for day in order] == sorted(xs[day][0] for day in order)
    assert all(abs(a - b) <= 2 for a, b in xs.values()), "both charts mark the same x"


def test_no_marks_without_unsynced_days_and_none_outside_the_period():
    d = REPORT_SAMPLES["report_unsynced"]
    plain = draw_report(replace(d, unsynced_days=()), generated=WHEN)
    assert plain.marks == [] and text.UNSYNCED_DAY not in texts(plain) and "unsynced_days" not in plain.figures
    outside = draw_report(replace(d, unsynced_days=(date(2024, 1, 1),)), generated=WHEN)
    assert outside.marks == [] and text.UNSYNCED_DAY not in texts(outside)
    # The figures are the same either way.
    marked = page_of("report_unsynced").figures
    assert {k: v for k, v in marked.items() if k != "unsynced_days"} == plain.figures


def test_the_chart_marks_the_day_whatever_its_label():
    from kiosk.render import charts
    from kiosk.render.layout import Fonts

    d = REPORT_SAMPLES["report_90"]
    surface = pygame.Surface((900, 400))
    style = charts.ChartStyle.paper(Fonts(), 22)
    marked = {d.days[3].day, d.days[50].day, d.days[51].day}
    chart = charts.pain_lines(surface, pygame.Rect(10, 10, 880, 380), d.days, style, marked=marked)
    assert {day for day, _ in chart.marks} == marked
    for day, mark in chart.marks:
        i = next(k for k, x in enumerate(d.days) if x.day == day)
        assert abs(mark.centerx - chart.xs[i]) <= 1
        assert mark.top > chart.plot.bottom, "under the plot, on the date axis"
        assert all(mark.bottom <= r.top for _, r in chart.texts if r.top > chart.plot.bottom), "above the dates"
    plain = charts.pain_lines(pygame.Surface((900, 400)), pygame.Rect(10, 10, 880, 380), d.days, style)
    assert plain.marks == [] and plain.plot.h > chart.plot.h


def test_the_report_on_screen_marks_them_too():
    from kiosk.render import Renderer
    from kiosk.views import Frame, ReportView

    d = REPORT_SAMPLES["report_unsynced"]
    for size in ((480, 320), (800, 480), (1920, 1080), (480, 800)):
        renderer = Renderer(size)
        renderer.draw(pygame.Surface(size), Frame(ReportView(d)))
        shown = [t for t, _ in renderer.text_boxes]
        assert text.UNSYNCED_DAY in shown, f"no legend line at {size}"
        renderer.draw(pygame.Surface(size), Frame(ReportView(replace(d, unsynced_days=()))))
        assert text.UNSYNCED_DAY not in [t for t, _ in renderer.text_boxes]


def test_the_footer_names_the_scale_s_end_anchors():
    page = page_of("report_28")
    footer = " ".join(t for t, r in page.texts if t in text.REPORT_FOOTER)
    assert f"10 = {text.WORST_PAIN}" in footer and f"0 = {text.NO_PAIN}" in footer


# -- the report answers the follow-up visit (issue 13) ------------------------------------------
def joined(page) -> str:
    """Every text on the page in drawing order, as one string of words (wrapped lines joined)."""
    return " ".join(" ".join(t for t, _ in page.texts).split())


def rect_of(page, words: str) -> pygame.Rect:
    return next(r for t, r in page.texts if t == words)


def test_the_prescription_heads_the_page():
    d = REPORT_SAMPLES["report_28"]
    page = page_of("report_28")
    lines = [text.mode_name("graded"), text.session_rule(240, 180), text.daily_rule(4, 16.0),
             text.areas_line(["Left foot", "Right foot", "Left leg", "Right leg"])]
    assert page.figures[Figure.PRESCRIPTION] == "\n".join(lines)
    assert "4 min a session, counted from 3 min" in lines and "4 sessions a day (16 min)" in lines
    for line in lines:
        assert " ".join(line.split()) in joined(page), f"{line!r} not printed whole"
    # At the top: above the first chart, beside adherence and the counts.
    first_chart = rect_of(page, text.COUNTED_SESSIONS_A_DAY)
    assert rect_of(page, text.PRESCRIPTION).bottom < first_chart.top
    assert all(r.bottom < first_chart.top for t, r in page.texts if t in lines)
    assert d.prescription.mode == "graded"


def test_a_report_made_without_the_settings_says_the_prescription_is_not_known():
    d = replace(REPORT_SAMPLES["report_28"], prescription=None, prescribed_minutes=0.0)
    page = draw_report(d, generated=WHEN)
    assert_sound_page(page)
    assert " ".join(text.NO_PRESCRIPTION.split()) in joined(page)
    assert Figure.PRESCRIPTION not in page.figures and Figure.PRESCRIBED_MINUTES not in page.figures
    assert text.COUNTED in texts(page), "the counted sessions, without a threshold to name"


def test_adherence_and_the_counts_come_from_counted_sessions():
    d = REPORT_SAMPLES["report_28"]
    page = page_of("report_28")
    assert d.counted < d.sessions
    assert page.figures[Figure.COUNTED] == str(d.counted)
    assert text.counted_label(180) in texts(page) and str(d.counted) in texts(page)
    assert " ".join(text.adherence_note(4).split()) in joined(page) and "counted" in text.adherence_note(4)
    met = sum(1 for x in d.days if x.sessions >= d.target)
    assert page.figures["adherence"] == text.percent(met / len(d.days))


def test_each_area_s_first_practice_days_against_its_last():
    from kiosk.model import AreaPain, PainWindow

    d = REPORT_SAMPLES["report_28"]
    first = PainWindow(7, date(2025, 3, 1), date(2025, 3, 8), 6.43, 14, 4.91, 13)
    last = PainWindow(7, date(2025, 3, 19), date(2025, 3, 27), 3.25, 12, 2.0, 11)
    short = PainWindow(2, date(2025, 3, 20), date(2025, 3, 21), 5.0, 2, None, 0)
    areas = (AreaPain("Left leg", first, last), AreaPain("Right foot", short, PainWindow(1, None, None, 4.0, 1, 3.0, 1)))
    page = draw_report(replace(d, pain_by_area=areas, levels=()), generated=WHEN)
    assert_sound_page(page)
    f = page.figures
    expected = {
        Figure.FIRST_DAYS: "7", Figure.FIRST_BEFORE: "6.4 (14)", Figure.FIRST_AFTER: "4.9 (13)",
        Figure.LAST_DAYS: "7", Figure.LAST_BEFORE: "3.2 (12)", Figure.LAST_AFTER: "2.0 (11)",
    }
    for key, value in expected.items():
        assert f[f"{key}:Left leg"] == value
        assert value in texts(page)
    assert f[f"{Figure.FIRST_DAYS}:Right foot"] == "2" and f[f"{Figure.FIRST_AFTER}:Right foot"] == ""
    assert f[f"{Figure.LAST_BEFORE}:Right foot"] == "4.0 (1)"
    # The window's name says how many practice days it holds at most.
    assert text.first_practice_days(7) in texts(page) and text.last_practice_days(7) in texts(page)
    assert text.LEVEL_OVER_PERIOD not in texts(page), "no levels column without graded practice"


def test_every_area_of_the_sample_is_printed_with_its_windows():
    d = REPORT_SAMPLES["report_28"]
    f = page_of("report_28").figures
    for a in d.pain_by_area:
        assert f[f"{Figure.FIRST_DAYS}:{a.area}"] == str(a.first.days)
        assert f[f"{Figure.FIRST_BEFORE}:{a.area}"] == text.mean_and_count(a.first.before, a.first.before_count)
        assert f[f"{Figure.LAST_AFTER}:{a.area}"] == text.mean_and_count(a.last.after, a.last.after_count)


def test_each_area_s_level_over_the_period():
    d = REPORT_SAMPLES["report_28"]
    page = page_of("report_28")
    assert text.LEVEL_OVER_PERIOD in texts(page)
    for area, steps in d.levels:
        words = steps[0][1]
        for day, name in steps[1:]:
            words = text.level_change(words, name, day)
        assert page.figures[f"{Figure.LEVEL}:{area}"] == words
        assert " ".join(words.split()) in joined(page)
    changed = next(steps for _, steps in d.levels if len(steps) > 1)
    assert text.short_date(changed[1][0]) in joined(page), "a change is dated"
    assert text.LEVEL_OVER_PERIOD not in texts(page_of("report_90")), "firm practice has no levels"


def test_a_long_level_history_names_the_first_and_the_last_and_counts_the_rest():
    from kiosk.model import AreaPain, PainWindow
    from kiosk.render.samples import AREAS, LADDER

    d = REPORT_SAMPLES["report_28"]
    window = PainWindow(7, d.first_day, d.first_day, 6.0, 10, 4.0, 10)
    areas = AREAS[:10]
    levels = tuple((area, tuple((d.first_day + timedelta(days=2 * k), LADDER[k]) for k in range(12))) for area in areas)
    page = draw_report(replace(d, levels=levels, pain_by_area=tuple(AreaPain(a, window, window) for a in areas)),
                       generated=WHEN)
    assert_sound_page(page)
    printed = [v for k, v in page.figures.items() if k.startswith(f"{Figure.LEVEL}:")]
    assert printed
    for words in printed:
        assert words.startswith(LADDER[0]) and LADDER[11] in words, "the first level and the last"
        assert "other change" in words
        assert " ".join(words.split()) in joined(page), "never cut short"


def test_minutes_by_technique_and_area():
    d = REPORT_SAMPLES["report_28"]
    page = page_of("report_28")
    f = page.figures
    assert text.MINUTES_BY_TECHNIQUE_AND_AREA in texts(page)
    for technique, area, minutes in d.minutes_by_technique_area:
        assert f[f"{Figure.MINUTES}:{technique}:{area}"] == str(round(minutes))
    for technique, minutes in d.minutes_by_technique:
        assert f[f"minutes_by_technique:{technique}"] == str(round(minutes))
    for area, minutes in d.minutes_by_area:
        assert f[f"minutes_by_area:{area}"] == str(round(minutes))
    # A cell by hand: what was used where, and a technique never used on an area left blank.
    mine = replace(d, minutes_by_technique=(("Towel rub", 15.4), ("Ice rub", 5.0)),
                   minutes_by_area=(("Left leg", 17.4), ("Right leg", 3.0)),
                   minutes_by_technique_area=(("Towel rub", "Left leg", 12.4), ("Ice rub", "Left leg", 5.0),
                                              ("Towel rub", "Right leg", 3.0)))
    page = draw_report(mine, generated=WHEN)
    f = page.figures
    assert f[f"{Figure.MINUTES}:Towel rub:Left leg"] == "12" and f[f"{Figure.MINUTES}:Ice rub:Right leg"] == ""
    assert f["minutes_by_technique:Towel rub"] == "15" and f["minutes_by_area:Left leg"] == "17"
    assert "12" in texts(page) and text.ALL_TECHNIQUES in joined(page) and text.ALL_AREAS in joined(page)


def test_areas_that_do_not_fit_the_table_are_added_up_in_one_column():
    from kiosk.render.samples import AREAS

    d = REPORT_SAMPLES["report_28"]
    areas = AREAS + ("Back of the right lower leg", "Left shoulder", "Right shoulder")
    cells = tuple((t, a, 4.0 + i) for i, a in enumerate(areas) for t in ("Towel rub", "Tapping"))
    page = draw_report(replace(
        d, minutes_by_technique_area=cells,
        minutes_by_technique=(("Towel rub", sum(m for t, _, m in cells if t == "Towel rub")),
                              ("Tapping", sum(m for t, _, m in cells if t == "Tapping"))),
        minutes_by_area=tuple(sorted(((a, 2 * (4.0 + i)) for i, a in enumerate(areas)), key=lambda x: -x[1])),
    ), generated=WHEN)
    assert_sound_page(page)
    assert text.OTHER_AREAS in joined(page)
    named = [k for k in page.figures if k.startswith("minutes_by_area:")]
    assert 1 <= len(named) < len(areas)
    assert page.figures["minutes_by_technique:Towel rub"] == str(round(sum(m for t, _, m in cells if t == "Towel rub")))


def test_counted_sessions_by_the_hour_they_started():
    d = REPORT_SAMPLES["report_28"]
    page = page_of("report_28")
    assert text.COUNTED_BY_HOUR in texts(page)
    printed = {k: v for k, v in page.figures.items() if k.startswith(f"{Figure.COUNTED_BY_HOUR}:")}
    assert printed == {f"{Figure.COUNTED_BY_HOUR}:{h}": str(n) for h, n in d.counted_by_hour if n > 0}
    heading = rect_of(page, text.COUNTED_BY_HOUR)
    for h, n in d.counted_by_hour:
        assert any(t == str(n) and r.top > heading.bottom for t, r in page.texts)
    assert sum(n for _, n in d.counted_by_hour) == d.counted


def test_minutes_a_day_against_the_prescribed_minutes():
    d = REPORT_SAMPLES["report_28"]
    page = page_of("report_28")
    assert d.prescribed_minutes == 16.0
    assert page.figures[Figure.PRESCRIBED_MINUTES] == "16"
    assert text.MINUTES_A_DAY in texts(page) and text.prescribed_minutes(16) in texts(page)
    assert text.MINUTES_PRACTISED in texts(page)
    heading = rect_of(page, text.MINUTES_A_DAY)
    assert any(t == "16" and r.top > heading.bottom for t, r in page.texts), "the prescription on the axis"
    plain = draw_report(replace(d, prescription=None, prescribed_minutes=0.0), generated=WHEN)
    assert text.prescribed_minutes(16) not in texts(plain) and text.MINUTES_PRACTISED in texts(plain)


def test_the_change_per_technique_is_told_in_neutral_words_and_one_colour():
    d = replace(REPORT_SAMPLES["report_28"], change_by_technique=(("Towel rub", -1.4, 10), ("Ice rub", 1.2, 6)))
    page = draw_report(d, generated=WHEN)
    shown = texts(page)
    assert text.CHANGE_AFTER_MINUS_BEFORE in shown and "after minus before" in text.CHANGE_AFTER_MINUS_BEFORE
    assert text.CHANGE_LOWER in shown and text.CHANGE_HIGHER in shown
    assert not any(word in " ".join(shown) for word in ("less pain after", "more pain after", "better", "worse"))
    # The pixels of each row between its name and its value: the bar (and the zero line).
    colours = {}
    for name, value in (("Towel rub", "-1.4"), ("Ice rub", "+1.2")):
        row = rect_of(page, value)
        label = next(r for t, r in page.texts if t == name and abs(r.centery - row.centery) < 4)
        seen = {tuple(page.surface.get_at((x, row.centery)))[:3] for x in range(label.right + 1, row.left - 1)}
        colours[value] = seen - {theme.PAPER, theme.INK_DIM}
    assert colours["-1.4"] == colours["+1.2"] == {theme.PAPER_BAR}, "one neutral colour either way"


def test_every_new_part_stays_on_one_a4_page_and_one_pdf_page(tmp_path):
    import re

    pytest.importorskip("PIL")
    from kiosk.render.report_pdf import save_report_pdf

    page = page_of("report_28")
    assert_sound_page(page)
    for words in (text.PRESCRIPTION, text.PAIN_BY_AREA, text.MINUTES_BY_TECHNIQUE_AND_AREA, text.COUNTED_BY_HOUR,
                  text.MINUTES_A_DAY, text.LEVEL_OVER_PERIOD, text.CHANGE_AFTER_MINUS_BEFORE):
        assert " ".join(words.split()) in joined(page), f"{words!r} missing"
    out = tmp_path / "report.pdf"
    figures = save_report_pdf(REPORT_SAMPLES["report_28"], out, generated=WHEN)
    raw = out.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", raw)) == 1
    assert figures == page.figures


def test_the_report_on_screen_shows_the_prescription_and_each_area_s_first_and_last_days():
    from kiosk.render import Renderer
    from kiosk.views import Frame, ReportView

    d = REPORT_SAMPLES["report_28"]
    p = d.prescription
    line = text.prescription_line(p.mode, p.duration_seconds, p.counts_after_seconds, p.daily_target)
    for size in ((480, 320), (800, 480), (1024, 600), (1920, 1080), (480, 800), (720, 1280)):
        renderer = Renderer(size)
        renderer.draw(pygame.Surface(size), Frame(ReportView(d)))
        boxes = renderer.text_boxes
        screen = pygame.Rect((0, 0), size)
        for i, (words, r) in enumerate(boxes):
            assert screen.contains(r), f"{size}: {words!r} off the screen"
            assert not words.endswith(text.ELLIPSIS), f"{size}: {words!r} cut short"
            for other, q in boxes[i + 1:]:
                assert not r.colliderect(q), f"{size}: {words!r} overlaps {other!r}"
        shown = " ".join(" ".join(t for t, _ in boxes).split())
        assert line in shown, f"{size}: no prescription"
        if size == (480, 320):
            continue  # the smallest screen keeps its two charts; the printed page has the table
        area = d.pain_by_area[0]
        row = [t for t, r in boxes if abs(r.centery - next(q for w, q in boxes if w == area.area).centery) < 4]
        assert row[:1] == [area.area], f"{size}: no row for {area.area}"
        assert row[1:] == [text.one_decimal(v) for v in (area.first.before, area.first.after, area.last.before,
                                                        area.last.after)], f"{size}: {row}"
