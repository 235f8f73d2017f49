"""Adherence counts only real practice: `sessions.counted` (0/1) is written when a session
ends, worked out for older rows by the migration and for crashed ones by the recovery,
and the home count, the history and the report count counted sessions only."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from kiosk import cli, paths
from kiosk.model import SessionRecord, Status
from kiosk.storage import store as store_module
from kiosk.storage.export import fetch
from kiosk.storage.queries import history_days, read_existing, report_data
from kiosk.storage.store import SCHEMA_VERSION, Store

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)
DAY = T0.date()


def session(minutes_after: int = 0, *, status=Status.COMPLETED, active=240.0, planned=240, profile="sam",
            counted=None, area="left_foot", technique="towel_rub", before=6, after=4) -> SessionRecord:
    start = T0 + timedelta(minutes=minutes_after)
    ended = None if status in (Status.IN_PROGRESS, Status.INTERRUPTED) else start + timedelta(seconds=active)
    return SessionRecord(profile, area, technique, planned, start, before, status, ended, active,
                         after if ended else None, counted=counted)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path, tz=timezone.utc, counts_after=180)
    yield s
    s.close()


def _counted(store) -> list:
    return [row[0] for row in store.db.execute("SELECT counted FROM sessions ORDER BY id").fetchall()]


def test_the_logic_says_whether_a_session_counted_and_the_store_keeps_it(store):
    short = store.save(session(0, status=Status.STOPPED_EARLY, active=10.0, counted=False))
    full = store.save(session(10, counted=True))
    assert _counted(store) == [0, 1]
    assert store.get(short).counted is False and store.get(full).counted is True


def test_a_running_session_is_null_and_a_finished_one_without_a_verdict_is_worked_out(store):
    running = store.save(session(0, status=Status.IN_PROGRESS, active=200.0))
    store.save(session(10, status=Status.STOPPED_EARLY, active=10.0))  # 10 s: does not count
    store.save(session(20, status=Status.STOPPED_EARLY, active=180.0))  # 3 min: counts
    store.save(session(30, status=Status.COMPLETED, active=120.0, planned=120))  # a 2-minute prescription
    assert _counted(store) == [None, 0, 1, 1]
    assert store.get(running).counted is None


def _as_version_4(path, rows) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for step in range(1, 5):
        for statement in store_module.MIGRATIONS[step].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={step}")
    for profile, status, active, planned in rows:
        conn.execute("INSERT INTO sessions (profile, area, technique, planned_seconds, started_at, active_seconds,"
                     " status, day) VALUES (?, 'back', 'ice', ?, '2024-03-04T09:00:00+00:00', ?, ?, '2024-03-04')",
                     [profile, planned, active, status])
    conn.close()


OLD_ROWS = [
    ("sam", "completed", 240.0, 240),
    ("sam", "stopped_early", 10.0, 240),
    ("sam", "stopped_early", 200.0, 240),
    ("sam", "interrupted", 181.0, 240),
    ("sam", "completed", 120.0, 120),  # the threshold is capped at the planned duration
    ("sam", "stopped_early", 90.0, 240),
    ("sam", "in_progress", 50.0, 240),  # a crash left it running: set when it is recovered
]


def test_the_migration_sets_counted_on_old_rows_with_the_threshold_in_force(tmp_path):
    path = tmp_path / paths.DB_NAME
    _as_version_4(path, OLD_ROWS)
    store = Store(path, tz=timezone.utc, counts_after=180)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _counted(store) == [1, 0, 1, 1, 1, 0, None]
        assert store.recover_interrupted() == 1
        assert _counted(store)[-1] == 0  # 50 s: interrupted, below the threshold
    finally:
        store.close()
    other = tmp_path / "other"
    other.mkdir()
    _as_version_4(other / paths.DB_NAME, OLD_ROWS)
    store = Store.open(other, tz=timezone.utc, counts_after=60)
    try:
        assert _counted(store) == [1, 0, 1, 1, 1, 1, None]
    finally:
        store.close()


def test_a_profile_may_have_its_own_threshold(tmp_path):
    path = tmp_path / paths.DB_NAME
    _as_version_4(path, [("sam", "stopped_early", 100.0, 240), ("ann", "stopped_early", 100.0, 240)])
    store = Store(path, tz=timezone.utc, counts_after=180, counts_after_by_profile={"ann": 90})
    try:
        assert _counted(store) == [0, 1]
        store.save(session(0, status=Status.IN_PROGRESS, active=100.0, profile="ann"))
        store.recover_interrupted()
        assert _counted(store) == [0, 1, 1]
    finally:
        store.close()


def test_recovery_sets_counted_for_the_rows_it_marks_interrupted(store):
    store.save(session(0, status=Status.IN_PROGRESS, active=30.0))
    store.save(session(10, status=Status.IN_PROGRESS, active=200.0))
    assert store.recover_interrupted() == 2
    assert _counted(store) == [0, 1]
    assert [s.status for s in store.sessions()] == [Status.INTERRUPTED] * 2


def test_daily_summary_counts_counted_sessions_and_practice_seconds(store):
    store.save(session(0, counted=True))  # 240 s
    store.save(session(10, status=Status.STOPPED_EARLY, active=10.0, counted=False))
    store.save(session(20, status=Status.INTERRUPTED, active=200.0, counted=True))  # counts, whatever its status
    store.save(session(30, status=Status.IN_PROGRESS, active=100.0))  # not over: not in the summary
    store.save(session(60 * 24, status=Status.STOPPED_EARLY, active=20.0, counted=False))  # next day: none counted
    rows = store.db.execute("SELECT day, sessions, counted_sessions, practice_seconds FROM daily_summary"
                            " WHERE profile = 'sam' ORDER BY day").fetchall()
    assert rows == [("2024-03-04", 3, 2, 450.0), ("2024-03-05", 1, 0, 20.0)]
    # The home count and the week dots: counted sessions; a day with none counted has none.
    assert store.day_counts("sam", DAY, DAY + timedelta(days=6)) == {DAY: 2}


def test_history_and_report_use_counted_sessions(store):
    for minutes in (0, 10, 20, 30):
        store.save(session(minutes, counted=True))
    store.save(session(40, status=Status.STOPPED_EARLY, active=15.0, counted=False))
    for minutes in (60 * 24, 60 * 24 + 10, 60 * 24 + 20):  # the next day: four tries, three counted
        store.save(session(minutes, counted=True))
    store.save(session(60 * 24 + 30, status=Status.STOPPED_EARLY, active=5.0, counted=False))
    days = history_days(store, "sam", DAY + timedelta(days=1), days=2)
    assert [d.sessions for d in days] == [4, 3]
    data = report_data(store, "sam", DAY, DAY + timedelta(days=1), 4, {})
    assert data.adherence == 0.5  # only the first day has 4 counted sessions
    assert (data.sessions, data.counted, data.completed, data.stopped_early) == (9, 7, 7, 2)


@pytest.mark.parametrize("threshold, counted", [(180, "1,0,1,1,1,0"), (60, "1,0,1,1,1,1")])
def test_an_old_file_read_read_only_works_counted_out_without_changing_it(tmp_path, capsys, monkeypatch,
                                                                           threshold, counted):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    data = tmp_path / "data"
    data.mkdir()
    path = data / paths.DB_NAME
    _as_version_4(path, OLD_ROWS[:-1])
    before = path.read_bytes()
    columns, rows = read_existing(data, fetch, tz=timezone.utc, counts_after=threshold)
    assert ",".join(str(row[columns.index("counted")]) for row in rows) == counted
    summary = read_existing(data, lambda s: s.db.execute(
        "SELECT sessions, counted_sessions, practice_seconds FROM daily_summary").fetchall(), counts_after=threshold)
    assert summary == [(6, counted.count("1"), 841.0)]
    if threshold == 180:  # the command line reads with the configured threshold (default 3 minutes)
        assert cli.main(["export", "--data-dir", str(data)]) == 0
        exported = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert ",".join(r["counted"] for r in exported) == counted
    assert path.read_bytes() == before and sorted(p.name for p in data.iterdir()) == [paths.DB_NAME]


def test_an_empty_old_file_reads_as_the_current_schema(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / paths.DB_NAME).write_bytes(b"")
    assert read_existing(data, lambda s: s.day_counts("sam", date(2024, 3, 1), date(2024, 3, 7))) == {}
