"""The report's figures: an empty database, one session, and 90 days of demo data, each
checked against SQL written independently over the raw tables."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone

import pytest

from kiosk.config import load_defaults
from kiosk.model import CheckinRecord, DayStat, SessionRecord, Status, StorageProblem
from kiosk.storage.demo import fill_demo
from kiosk.storage.queries import (
    day_range,
    history_days,
    is_demo,
    names_from,
    open_existing,
    profiles_in,
    report_data,
    report_for,
    target_for,
)
from kiosk.storage.store import Store, StoreError

NOW = datetime(2024, 3, 28, 18, 0, tzinfo=timezone.utc)
LAST = date(2024, 3, 28)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path, tz=timezone.utc)
    yield s
    s.close()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    s = Store.open(tmp_path_factory.mktemp("demo"), tz=timezone.utc)
    fill_demo(s, days=90, profile="sam", seed=3, now=NOW)
    yield s
    s.close()


def test_empty_database_gives_a_full_range_of_empty_days(store):
    data = report_data(store, "sam", LAST - timedelta(days=27), LAST, 4, {})
    assert len(data.days) == 28 and data.days[0].day == date(2024, 3, 1) and data.days[-1].day == LAST
    assert all(d == DayStat(d.day, 0, None, None, ()) for d in data.days)
    assert (data.adherence, data.sessions, data.completed, data.stopped_early, data.interrupted) == (0, 0, 0, 0, 0)
    assert data.minutes_by_technique == data.minutes_by_area == data.change_by_technique == data.pain_by_hour == ()
    assert (data.prompts, data.prompts_answered, data.demo) == (0, 0, False)


def test_one_session(store):
    start = datetime(2024, 3, 27, 9, 30, tzinfo=timezone.utc)
    store.save(SessionRecord("sam", "left_foot", "towel_rub", 240, start, 6, Status.COMPLETED,
                             start + timedelta(minutes=4), 240.0, 4))
    data = report_data(store, "sam", LAST - timedelta(days=6), LAST, 1, {"towel_rub": "Towel rub"})
    assert [d.sessions for d in data.days] == [0, 0, 0, 0, 0, 1, 0]
    assert data.days[5] == DayStat(date(2024, 3, 27), 1, 6.0, 4.0, ())
    assert data.adherence == pytest.approx(1 / 7)
    assert (data.sessions, data.completed) == (1, 1)
    assert data.minutes_by_technique == (("Towel rub", 4.0),)
    assert data.minutes_by_area == (("left_foot", 4.0),)  # no name given: the id
    assert data.change_by_technique == (("Towel rub", -2.0, 1),)
    assert data.pain_by_hour == ((9, 5.0, 2),)  # before (6) at 09:30, after (4) at 09:34
    assert not data.demo


def test_sessions_in_progress_and_other_profiles_do_not_count(store):
    start = datetime(2024, 3, 27, 9, 30, tzinfo=timezone.utc)
    store.save(SessionRecord("sam", "left_foot", "towel_rub", 240, start, 6))  # still in progress
    store.save(SessionRecord("ann", "left_foot", "towel_rub", 240, start, 6, Status.COMPLETED, start, 240.0, 5))
    data = report_data(store, "sam", LAST, LAST, 4, {})
    assert data.sessions == 0 and data.minutes_by_technique == () and data.change_by_technique == ()
    assert profiles_in(store) == ["ann", "sam"]


def test_checkins_count_in_days_hours_and_prompts(store):
    at = datetime(2024, 3, 28, 14, 5, tzinfo=timezone.utc)
    store.add_checkin(CheckinRecord("sam", at, 5, "back", prompted=True))
    store.add_checkin(CheckinRecord("sam", at + timedelta(hours=2), None, prompted=True, status="missed"))
    store.add_checkin(CheckinRecord("sam", at + timedelta(hours=3), 3))
    data = report_data(store, "sam", LAST, LAST, 4, {})
    assert data.days == (DayStat(LAST, 0, None, None, (5, 3)),)
    assert (data.prompts, data.prompts_answered) == (2, 1)
    assert data.pain_by_hour == ((14, 5.0, 1), (17, 3.0, 1))


def _raw(store, sql, args=()):
    return store.db.execute(sql, list(args)).fetchall()


def test_90_days_of_demo_data_match_independent_sql(demo_store):
    first, last = day_range(NOW, 90, tz=timezone.utc)
    assert (first, last) == (LAST - timedelta(days=89), LAST)
    config = load_defaults()
    data = report_for(demo_store, config, "sam", first, last)
    assert data.demo and data.target == 4 == target_for(config, "sam")
    span = ("sam", first.isoformat(), last.isoformat())
    rows = _raw(demo_store, "SELECT day, status, technique, area, active_seconds, pain_before, pain_after"
                " FROM sessions WHERE profile = ? AND day BETWEEN ? AND ?", span)
    assert rows and all(status != "in_progress" for _, status, *_ in rows)

    # Adherence counts sessions whose active time reached 3 minutes (the default threshold).
    per_day = defaultdict(int)
    for day, _, _, _, seconds, _, _ in rows:
        per_day[day] += seconds >= 180
    assert [d.sessions for d in data.days] == [per_day[(first + timedelta(i)).isoformat()] for i in range(90)]
    assert data.adherence == pytest.approx(sum(n >= 4 for n in per_day.values()) / 90)
    assert 0 < data.adherence < 1
    assert data.counted == sum(per_day.values()) < len(rows)

    statuses = [status for _, status, *_ in rows]
    assert data.sessions == len(rows)
    assert data.completed == statuses.count("completed")
    assert data.stopped_early == statuses.count("stopped_early") > 0
    assert data.interrupted == statuses.count("interrupted") > 0

    names = names_from(config)
    changes = defaultdict(list)
    minutes = defaultdict(float)
    for _, _, technique, _, seconds, before, after in rows:
        minutes[names[technique]] += seconds / 60
        if before is not None and after is not None:
            changes[names[technique]].append(after - before)
    assert {n: c for n, c, _ in data.change_by_technique} == pytest.approx(
        {n: sum(v) / len(v) for n, v in changes.items()})
    assert {n: k for n, _, k in data.change_by_technique} == {n: len(v) for n, v in changes.items()}
    assert dict(data.minutes_by_technique) == pytest.approx(minutes)
    assert [m for _, m in data.minutes_by_technique] == sorted((m for _, m in data.minutes_by_technique), reverse=True)
    assert sum(m for _, m in data.minutes_by_area) == pytest.approx(sum(minutes.values()))

    readings = defaultdict(list)
    for at, rating in _raw(demo_store, "SELECT at, rating FROM pain_checkins WHERE status = 'saved' AND profile = ?"
                           " UNION ALL SELECT started_at, pain_before FROM sessions"
                           " WHERE pain_before IS NOT NULL AND profile = ?"
                           " UNION ALL SELECT coalesce(ended_at, started_at), pain_after FROM sessions"
                           " WHERE pain_after IS NOT NULL AND profile = ?", ["sam"] * 3):
        readings[datetime.fromisoformat(at).hour].append(rating)
    assert data.pain_by_hour == tuple((h, pytest.approx(sum(v) / len(v)), len(v)) for h, v in sorted(readings.items()))

    (prompts, answered), = _raw(demo_store, "SELECT count(*), sum(rating IS NOT NULL) FROM pain_checkins"
                                " WHERE prompted = 1 AND profile = ?", ["sam"])
    assert (data.prompts, data.prompts_answered) == (prompts, answered) and 0 < answered < prompts
    checkins = sum(len(d.checkins) for d in data.days)
    assert checkins == _raw(demo_store, "SELECT count(*) FROM pain_checkins WHERE status = 'saved'")[0][0]


def test_history_days_are_the_reports_days(demo_store):
    data = report_data(demo_store, "sam", LAST - timedelta(days=27), LAST, 4, {})
    assert history_days(demo_store, "sam", LAST) == data.days[-14:]
    assert len(history_days(demo_store, "sam", LAST, days=7)) == 7


def test_demo_flag_follows_the_rows(demo_store, store):
    assert is_demo(demo_store) and is_demo(demo_store, "sam") and not is_demo(demo_store, "ann")
    assert not is_demo(store)
    assert report_data(demo_store, "sam", LAST, LAST, 4, {}, demo=False).demo is False


def test_names_and_targets_come_from_the_config():
    config = load_defaults()
    names = names_from(config)
    assert names["towel_rub"] == "Towel rub" and names["left_foot"] == "Left foot"
    assert target_for(config, "nobody") == config.daily_target


def test_open_existing_never_creates_a_database(tmp_path):
    with pytest.raises(StoreError) as info:
        open_existing(tmp_path / "missing")
    assert (info.value.problem, info.value.path) == (StorageProblem.MISSING, tmp_path / "missing" / "desens.db")
    assert not (tmp_path / "missing").exists()
    (tmp_path / "desens.db").write_bytes(b"not a database at all, just some text" * 10)
    with pytest.raises(StoreError) as info:
        open_existing(tmp_path)
    assert (info.value.problem, info.value.path) == (StorageProblem.DAMAGED, tmp_path / "desens.db")
    assert (tmp_path / "desens.db").read_bytes().startswith(b"not a database")  # left as it was


def test_day_range_honours_the_roll_over():
    late = datetime(2024, 3, 29, 1, 30, tzinfo=timezone.utc)  # before 03:00: still the 28th
    assert day_range(late, 7, time(3, 0), timezone.utc) == (date(2024, 3, 22), date(2024, 3, 28))


def test_open_existing_says_when_the_folder_is_closed_to_us(tmp_path, monkeypatch):
    Store.open(tmp_path).close()

    def closed(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(tmp_path), "stat", closed)
    with pytest.raises(StoreError) as info:
        open_existing(tmp_path)
    assert (info.value.problem, info.value.detail) == (StorageProblem.UNREADABLE, "permission denied")


def _printed_number(words: str) -> float:
    return float(re.search(r"[-+]?\d+(?:\.\d+)?", words.replace("\u2212", "-"))[0])


@pytest.mark.parametrize("case", ["empty", "one session", "90 days"])
def test_the_page_renders_and_prints_the_sql_figures(case, store, demo_store, tmp_path):
    report = pytest.importorskip("kiosk.render.report_page")
    pygame = pytest.importorskip("pygame")
    if case == "one session":
        start = datetime(2024, 3, 27, 9, 30, tzinfo=timezone.utc)
        store.save(SessionRecord("sam", "left_foot", "towel_rub", 240, start, 6, Status.COMPLETED,
                                 start + timedelta(minutes=4), 240.0, 4))
    db = demo_store if case == "90 days" else store
    first = LAST - timedelta(days=89 if case == "90 days" else 27)
    data = report_for(db, load_defaults(), "sam", first, LAST)
    figures = report.save_report(data, tmp_path / "report.png")
    assert pygame.image.load(str(tmp_path / "report.png")).get_width() >= 1600

    span = ["sam", first.isoformat(), LAST.isoformat()]
    rows = db.db.execute("SELECT status, technique, pain_before, pain_after FROM sessions"
                         " WHERE profile = ? AND day BETWEEN ? AND ? AND status != 'in_progress'", span).fetchall()
    counts = Counter(status for status, *_ in rows)
    assert figures["sessions"] == str(len(rows))
    for status in ("completed", "stopped_early", "interrupted"):
        assert figures[status] == str(counts[status])
    per_day = db.db.execute("SELECT count(*) FROM sessions WHERE profile = ? AND day BETWEEN ? AND ?"
                            " AND status != 'in_progress' AND active_seconds >= 180 GROUP BY day", span).fetchall()
    adherence = 100 * sum(n >= 4 for (n,) in per_day) / ((LAST - first).days + 1)
    assert abs(_printed_number(figures["adherence"]) - adherence) <= 0.5 + 1e-9
    names = names_from(load_defaults())
    changes = defaultdict(list)
    for _, technique, before, after in rows:
        if before is not None and after is not None:
            changes[names[technique]].append(after - before)
    printed = {key.split(":", 1)[1] for key in figures if key.startswith("change:")}
    assert (printed and printed <= set(changes)) if rows else not printed  # every printed row is a technique
    for name in printed:
        assert abs(_printed_number(figures[f"change:{name}"]) - statistics.mean(changes[name])) <= 0.05 + 1e-9
        assert figures[f"change_sessions:{name}"] == str(len(changes[name]))
    if case == "90 days":
        (prompts, answered), = db.db.execute("SELECT count(*), sum(status = 'saved') FROM pain_checkins"
                                             " WHERE profile = ? AND day BETWEEN ? AND ? AND prompted = 1",
                                             span).fetchall()
        assert f"{answered} of {prompts}" in figures["prompts"]


def test_days_with_sessions_recorded_before_the_clock_was_set_are_named(store):
    """A Pi without network that booted with the wrong time files its sessions under the
    wrong date: those days are named, so the report can mark them."""
    def session(profile, day, synced):
        start = datetime(2024, 3, day, 9, 30, tzinfo=timezone.utc)
        store.save(SessionRecord(profile, "left_foot", "tapping", 240, start, 5, Status.COMPLETED,
                                 start, 240.0, 4, clock_synced=synced))

    session("sam", 20, False)
    session("sam", 20, True)
    session("sam", 22, None)  # not known (written before the kiosk asked): not marked
    session("sam", 25, False)
    session("ann", 23, False)  # someone else's day
    session("sam", 1, False)  # outside the range
    data = report_data(store, "sam", date(2024, 3, 15), LAST, 1, {})
    assert data.unsynced_days == (date(2024, 3, 20), date(2024, 3, 25))
    assert report_data(store, "ann", LAST, LAST, 1, {}).unsynced_days == ()
