"""What the report adds for the follow-up visit: the prescription, minutes per day against
the prescribed minutes, pain per area at the start and the end of the period, technique x
area minutes, counted sessions by hour and each area's level over the period; checked
against hand-made records and, for 90 days of demo data, against SQL over the raw rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest

from conftest import make_config
from kiosk.config import Area, Mode, Profile, SessionConfig, load_defaults
from kiosk.model import AreaPain, PainWindow, Prescription, RungReason, RungRecord, SessionRecord, Status
from kiosk.storage.demo import fill_demo
from kiosk.storage.queries import day_range, names_from, read_existing, report_data, report_for
from kiosk.storage.store import Store

FIRST, LAST = date(2024, 3, 1), date(2024, 3, 28)
NAMES = {"left_foot": "Left foot", "right_leg": "Right leg", "towel_rub": "Towel rub", "tapping": "Tapping",
         "ice_rub": "Ice rub"}


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path, tz=timezone.utc)
    yield s
    s.close()


def at(day: date, hour: float = 9.0) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.utc) + timedelta(hours=hour)


def practise(store, day: date, *, area="left_foot", technique="towel_rub", before=6, after=4, active=240.0,
             hour=9.0, status=Status.COMPLETED, counted=None, profile="sam") -> None:
    start = at(day, hour)
    store.save(SessionRecord(profile, area, technique, 240, start, before, status, start + timedelta(seconds=active),
                             active, after, counted=counted))


def test_the_prescription_comes_from_the_profile(store):
    config = make_config(duration=300.0, target=5, mode=Mode.GRADED)
    data = report_for(store, config, "default", FIRST, LAST)
    assert data.prescription == Prescription("graded", 300.0, 180.0, 5, ("Left foot", "Right leg"))
    assert data.prescribed_minutes == 25.0
    # A profile's own prescription, and the threshold capped at a short duration.
    ann = Profile("ann", (Area("right_leg", "Right leg"),), config.techniques, SessionConfig(120.0), 3)
    data = report_for(store, replace(config, profiles=(ann,)), "ann", FIRST, LAST)
    assert data.prescription == Prescription("firm", 120.0, 120.0, 3, ("Right leg",))
    assert data.prescribed_minutes == 6.0
    # Without a config the report does not know it.
    assert report_data(store, "sam", FIRST, LAST, 4, {}).prescription is None


def test_minutes_by_day_covers_every_day_of_the_range(store):
    practise(store, date(2024, 3, 2), active=240.0)
    practise(store, date(2024, 3, 2), active=30.0, hour=12, status=Status.STOPPED_EARLY)  # short: minutes still count
    practise(store, date(2024, 3, 4), active=90.0)
    data = report_data(store, "sam", date(2024, 3, 1), date(2024, 3, 5), 4, {})
    assert data.minutes_by_day == ((date(2024, 3, 1), 0.0), (date(2024, 3, 2), 4.5), (date(2024, 3, 3), 0.0),
                                   (date(2024, 3, 4), 1.5), (date(2024, 3, 5), 0.0))


def test_pain_by_area_compares_the_first_and_last_seven_practice_days(store):
    for i in range(20):  # the left foot: 20 practice days, pain easing day by day
        practise(store, FIRST + timedelta(days=i), before=8 if i < 7 else 5 if i < 13 else 3, after=6 if i < 7 else 2)
    practise(store, FIRST, before=9, after=None, hour=15)  # a rating before only: counts before, not after
    for day in (3, 10, 20):  # the right leg: 3 practice days
        practise(store, date(2024, 3, day), area="right_leg", before=day // 3, after=day // 5)
    practise(store, date(2024, 3, 25), area="right_leg", before=None, after=None, hour=10)  # no ratings: a day still
    data = report_data(store, "sam", FIRST, LAST, 4, NAMES)
    foot, leg = data.pain_by_area
    assert foot == AreaPain(
        "Left foot",
        PainWindow(7, date(2024, 3, 1), date(2024, 3, 7), pytest.approx((8 * 7 + 9) / 8), 8, 6.0, 7),
        PainWindow(7, date(2024, 3, 14), date(2024, 3, 20), 3.0, 7, 2.0, 7))
    assert leg == AreaPain("Right leg", PainWindow(2, date(2024, 3, 3), date(2024, 3, 10), 2.0, 2, 1.0, 2),
                           PainWindow(2, date(2024, 3, 20), date(2024, 3, 25), 6.0, 1, 4.0, 1))


def test_an_area_practised_on_one_day_has_only_a_first_window(store):
    practise(store, date(2024, 3, 5), before=7, after=5)
    [area] = report_data(store, "sam", FIRST, LAST, 4, {}).pain_by_area
    assert area == AreaPain("left_foot", PainWindow(1, date(2024, 3, 5), date(2024, 3, 5), 7.0, 1, 5.0, 1),
                            PainWindow())


def test_minutes_by_technique_and_area(store):
    practise(store, date(2024, 3, 2), technique="towel_rub", area="left_foot", active=240.0)
    practise(store, date(2024, 3, 3), technique="towel_rub", area="left_foot", active=120.0)
    practise(store, date(2024, 3, 3), technique="towel_rub", area="right_leg", active=60.0, hour=11)
    practise(store, date(2024, 3, 4), technique="ice_rub", area="right_leg", active=300.0)
    practise(store, date(2024, 2, 4), technique="tapping", area="right_leg", active=300.0)  # before the range
    data = report_data(store, "sam", FIRST, LAST, 4, NAMES)
    assert data.minutes_by_technique_area == (("Towel rub", "Left foot", 6.0), ("Ice rub", "Right leg", 5.0),
                                              ("Towel rub", "Right leg", 1.0))


def test_counted_sessions_by_local_hour(tmp_path):
    berlin = timezone(timedelta(hours=1))
    store = Store.open(tmp_path, tz=berlin)
    try:
        for hour, counted in ((7.5, True), (7.9, True), (16.2, True), (16.5, False), (20.0, True)):
            practise(store, date(2024, 3, 4), hour=hour, counted=counted)  # hours in UTC
        data = report_data(store, "sam", FIRST, LAST, 4, {})
        assert data.counted_by_hour == ((8, 2), (17, 1), (21, 1))
    finally:
        store.close()


def _ladder_config():
    areas = (Area("left_foot", "Left foot", ladder=("towel_rub", "tapping", "ice_rub")),
             Area("right_leg", "Right leg"), Area("back", "Back"))
    return make_config(mode=Mode.GRADED, areas=areas, ladder=("tapping", "ice_rub"))


def test_levels_over_the_period_step_from_rung_changes(store):
    config = _ladder_config()
    store.set_rung(RungRecord("default", "left_foot", 1, at(date(2024, 2, 20)), "towel_rub", "tapping",
                              RungReason.MOVED_UP))  # before the range: the level it began with
    store.set_rung(RungRecord("default", "left_foot", 2, at(date(2024, 3, 10)), "tapping", "ice_rub",
                              RungReason.MOVED_UP))
    store.set_rung(RungRecord("default", "left_foot", 1, at(date(2024, 3, 15), 20), "ice_rub", "tapping",
                              RungReason.STEPPED_DOWN))
    store.set_rung(RungRecord("default", "right_leg", 1, at(date(2024, 3, 12)), "tapping", "ice_rub",
                              RungReason.SET_BY_CLINICIAN))  # its first change: it began on the one before
    store.set_rung(RungRecord("default", "back", 1, at(date(2024, 1, 1))))  # a level with no history kept
    store.set_rung(RungRecord("ann", "left_foot", 2, at(date(2024, 3, 12)), "tapping", "ice_rub",
                              RungReason.MOVED_UP))  # someone else's
    data = report_for(store, config, "default", FIRST, LAST)
    assert data.levels == (
        ("Left foot", ((FIRST, "Tapping"), (date(2024, 3, 10), "Ice rub"), (date(2024, 3, 15), "Tapping"))),
        ("Right leg", ((FIRST, "Tapping"), (date(2024, 3, 12), "Ice rub"))),
        ("Back", ((FIRST, "Ice rub"),)),  # rung 1 of the default ladder, held all along
    )
    # A firm profile has no levels to show.
    assert report_for(store, replace(config, mode=Mode.FIRM), "default", FIRST, LAST).levels == ()


def test_ninety_days_of_demo_data_match_independent_sql(tmp_path):
    now = datetime(2024, 3, 28, 18, 0, tzinfo=timezone.utc)
    store = Store.open(tmp_path, tz=timezone.utc)
    try:
        fill_demo(store, days=90, profile="sam", seed=3, now=now)
        config = load_defaults()
        first, last = day_range(now, 90, tz=timezone.utc)
        data = report_for(store, config, "sam", first, last)
        names = names_from(config)
        rows = store.db.execute("SELECT day, started_at, technique, area, active_seconds, counted FROM sessions"
                                " WHERE profile = 'sam' AND day BETWEEN ? AND ? AND status != 'in_progress'",
                                [first.isoformat(), last.isoformat()]).fetchall()
        by_pair, by_hour, by_day = defaultdict(float), defaultdict(int), defaultdict(float)
        for day, started, technique, area, seconds, counted in rows:
            by_pair[(names[technique], names[area])] += seconds / 60
            by_day[day] += seconds / 60
            if counted:
                by_hour[datetime.fromisoformat(started).hour] += 1
        assert {(t, a): m for t, a, m in data.minutes_by_technique_area} == pytest.approx(dict(by_pair))
        assert data.counted_by_hour == tuple(sorted(by_hour.items())) and sum(by_hour.values()) == data.counted
        assert [d for d, _ in data.minutes_by_day] == [first + timedelta(days=i) for i in range(90)]
        assert dict(data.minutes_by_day) == pytest.approx(  # daily_summary's seconds are rounded to 0.1 s
            {first + timedelta(days=i): by_day[(first + timedelta(days=i)).isoformat()] for i in range(90)}, abs=0.01)
        assert {a.area for a in data.pain_by_area} == {names[area] for _, _, _, area, _, _ in rows}
        assert all(a.first.days == 7 and a.last.days == 7 for a in data.pain_by_area)
        assert data.prescribed_minutes == config.daily_target * config.session.duration_seconds / 60
    finally:
        store.close()


def test_an_old_file_read_read_only_fills_the_new_parts(tmp_path):
    """A database written before level history existed still gives every new part (its
    levels come from the rungs it kept)."""
    import sqlite3

    from kiosk.storage import store as store_module

    path = tmp_path / "desens.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in range(1, 5):
        for statement in store_module.MIGRATIONS[step].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={step}")
    conn.execute("INSERT INTO sessions (profile, area, technique, planned_seconds, started_at, active_seconds,"
                 " pain_before, pain_after, status, day) VALUES ('default', 'left_foot', 'tapping', 240,"
                 " '2024-03-04T09:00:00+00:00', 240.0, 6, 3, 'completed', '2024-03-04')")
    conn.execute("INSERT INTO rungs VALUES ('default', 'left_foot', 1, '2024-03-01T09:00:00+00:00')")
    conn.close()
    data = read_existing(tmp_path, lambda s: report_for(s, _ladder_config(), "default", FIRST, LAST), tz=timezone.utc)
    assert data.counted == 1 and data.counted_by_hour == ((9, 1),)
    assert data.minutes_by_technique_area == (("Tapping", "Left foot", 4.0),)
    assert data.pain_by_area[0].first == PainWindow(1, date(2024, 3, 4), date(2024, 3, 4), 6.0, 1, 3.0, 1)
    assert data.levels[0] == ("Left foot", ((FIRST, "Tapping"),))
