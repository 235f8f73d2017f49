"""The session log on a fresh temporary database per test: round trips, recovery, the
queries the session logic builds on, and every way the disk can let us down."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.model import DEFAULT_PROFILE, CheckinRecord, RungRecord, SessionRecord, Status, StorageProblem
from kiosk.paths import DB_NAME
from kiosk.storage.store import _SCHEMA_V1, _SCHEMA_V2, BUSY_MS, SCHEMA_VERSION, Store, StoreError

T0 = datetime(2024, 3, 4, 9, 0, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parent.parent


def rec(**changes) -> SessionRecord:
    base = SessionRecord(
        profile=DEFAULT_PROFILE,
        area="left_forearm",
        technique="towel_rub",
        planned_seconds=240,
        started_at=T0,
        pain_before=6,
    )
    return replace(base, **changes)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


def test_open_creates_directory_and_file(tmp_path):
    data = tmp_path / "a" / "b"
    Store.open(data).close()
    assert (data / DB_NAME).is_file()


def test_insert_then_update_round_trips_every_column(store):
    first = rec()
    sid = store.save(first)
    assert isinstance(sid, int)
    assert store.get(sid) == replace(first, id=sid)

    finished = replace(
        first,
        id=sid,
        profile="sam",
        area="right_foot",
        technique="ice_cup",
        planned_seconds=180,
        started_at=T0 + timedelta(minutes=1),
        ended_at=T0 + timedelta(minutes=5),
        active_seconds=181.25,
        pain_before=7,
        pain_after=4,
        status=Status.STOPPED_EARLY,
        counted=True,
    )
    assert store.save(finished) == sid
    got = store.get(sid)
    assert got == finished
    assert got.started_at.tzinfo is not None and got.started_at.utcoffset() == timedelta(0)
    assert isinstance(got.status, Status)
    assert store.get(sid + 100) is None


def test_times_are_stored_as_utc_text_and_naive_rejected(store):
    cet = timezone(timedelta(hours=1))
    sid = store.save(rec(started_at=datetime(2024, 3, 4, 10, 0, 0, 123456, tzinfo=cet)))
    raw = store.db.execute("SELECT started_at FROM sessions WHERE id = ?", [sid]).fetchone()
    assert raw[0] == "2024-03-04T09:00:00+00:00"
    assert store.get(sid).started_at == T0
    with pytest.raises(ValueError):
        store.save(rec(started_at=datetime(2024, 3, 4, 9, 0, 0)))
    with pytest.raises(ValueError):
        store.save(rec(ended_at=datetime(2024, 3, 4, 9, 5, 0)))


def test_save_is_idempotent(store):
    r = replace(rec(), id=store.save(rec()))
    r = replace(r, pain_after=3, status=Status.COMPLETED, ended_at=T0 + timedelta(minutes=4), counted=True)
    store.save(r)
    store.save(r)
    assert store.sessions() == [r]
    assert store.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1


def test_sessions_oldest_first_and_by_profile(store):
    later = store.save(rec(started_at=T0 + timedelta(hours=2)))
    earlier = store.save(rec(started_at=T0))
    other = store.save(rec(profile="sam", started_at=T0 + timedelta(hours=1)))
    assert [s.id for s in store.sessions()] == [earlier, other, later]
    assert [s.id for s in store.sessions(DEFAULT_PROFILE)] == [earlier, later]
    assert store.sessions("nobody") == []


def test_wal_and_pragmas_and_readable_by_plain_sqlite(tmp_path, store):
    sid = store.save(rec())
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_MS  # short: the loop never waits long
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with sqlite3.connect(tmp_path / "data" / DB_NAME) as other:
        row = other.execute("SELECT id, area, status FROM sessions").fetchone()
    other.close()
    assert row == (sid, "left_forearm", "in_progress")


def test_memory_store_works(tmp_path):
    s = Store(":memory:")
    sid = s.save(rec())
    assert s.get(sid).id == sid
    s.close()


def test_recover_interrupted_flips_only_in_progress(store):
    running = store.save(rec(active_seconds=95.5, pain_before=5))
    done = store.save(
        rec(status=Status.COMPLETED, pain_after=2, ended_at=T0 + timedelta(minutes=4))
    )
    early = store.save(rec(status=Status.STOPPED_EARLY, ended_at=T0 + timedelta(minutes=1)))
    assert store.recover_interrupted() == 1
    got = store.get(running)
    assert got.status == Status.INTERRUPTED
    assert got.active_seconds == 95.5 and got.pain_before == 5 and got.ended_at is None
    assert store.get(done).status == Status.COMPLETED
    assert store.get(early).status == Status.STOPPED_EARLY
    assert store.recover_interrupted() == 0


def test_last_rating(store):
    assert store.last_rating(DEFAULT_PROFILE, "left_forearm") is None
    store.save(rec(started_at=T0, pain_before=8, pain_after=6))
    assert store.last_rating(DEFAULT_PROFILE, "left_forearm") == 6
    # A later session with only a rating before: falls back to it.
    store.save(rec(started_at=T0 + timedelta(hours=1), pain_before=5))
    assert store.last_rating(DEFAULT_PROFILE, "left_forearm") == 5
    # An even later one without any rating is skipped.
    store.save(rec(started_at=T0 + timedelta(hours=2), pain_before=None))
    assert store.last_rating(DEFAULT_PROFILE, "left_forearm") == 5
    # Other areas and other profiles don't count, even when newer.
    store.save(rec(area="right_foot", started_at=T0 + timedelta(hours=3), pain_before=1))
    store.save(rec(profile="sam", started_at=T0 + timedelta(hours=3), pain_before=0))
    assert store.last_rating(DEFAULT_PROFILE, "left_forearm") == 5
    assert store.last_rating(DEFAULT_PROFILE, "right_foot") == 1
    assert store.last_rating("sam", "left_forearm") == 0
    assert store.last_rating("sam", "right_foot") is None
    # A 0 rating after is a real rating, not a missing one.
    store.save(rec(started_at=T0 + timedelta(hours=4), pain_before=4, pain_after=0))
    assert store.last_rating(DEFAULT_PROFILE, "left_forearm") == 0


def test_finished_start_times_bounds_and_status(store):
    since, until = T0, T0 + timedelta(days=1)
    at = {
        "before": since - timedelta(seconds=1),
        "at_since": since,
        "mid": since + timedelta(hours=5),
        "last": until - timedelta(seconds=1),
        "at_until": until,
    }
    for when in at.values():
        store.save(rec(started_at=when, status=Status.COMPLETED))
    store.save(rec(started_at=since + timedelta(hours=1), status=Status.STOPPED_EARLY))
    store.save(rec(started_at=since + timedelta(hours=2), status=Status.INTERRUPTED))
    store.save(rec(started_at=since + timedelta(hours=3)))  # in progress: not counted
    store.save(rec(profile="sam", started_at=since + timedelta(hours=4), status=Status.COMPLETED))

    got = store.finished_start_times(DEFAULT_PROFILE, since, until)
    assert got == [
        at["at_since"],
        since + timedelta(hours=1),
        since + timedelta(hours=2),
        at["mid"],
        at["last"],
    ]
    assert all(t.utcoffset() == timedelta(0) for t in got)
    # Bounds given in another zone mean the same instants.
    cet = timezone(timedelta(hours=1))
    assert store.finished_start_times(
        DEFAULT_PROFILE, since.astimezone(cet), until.astimezone(cet)
    ) == got
    # Sub-second bounds: a start at 09:00:00 is before 09:00:00.5.
    assert at["at_since"] not in store.finished_start_times(
        DEFAULT_PROFILE, since + timedelta(milliseconds=500), until
    )
    assert at["at_until"] in store.finished_start_times(
        DEFAULT_PROFILE, since, until + timedelta(milliseconds=500)
    )
    with pytest.raises(ValueError):
        store.finished_start_times(DEFAULT_PROFILE, since.replace(tzinfo=None), until)


def test_check_constraint_rejects_pain_11(store):
    with pytest.raises(StoreError) as info:
        store.save(rec(pain_before=11))
    assert isinstance(info.value.__cause__, sqlite3.IntegrityError)
    sid = store.save(rec())
    with pytest.raises(StoreError):
        store.save(replace(rec(), id=sid, pain_after=-1))
    assert store.get(sid).pain_after is None
    assert len(store.sessions()) == 1


def test_garbage_file_is_damaged(tmp_path):
    path = tmp_path / DB_NAME
    path.write_bytes(b"this is not a database, just some bytes\n" * 200)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.problem is StorageProblem.DAMAGED and info.value.path == path
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)


def test_a_damaged_database_is_moved_aside_and_a_new_one_started(tmp_path):
    garbage = b"this is not a database, just some bytes\n" * 200
    (tmp_path / DB_NAME).write_bytes(garbage)
    (tmp_path / f"{DB_NAME}-wal").write_bytes(b"wal bytes")
    store = Store.open(tmp_path, now=T0)
    aside = tmp_path / f"{DB_NAME}.damaged-20240304T090000Z"
    assert store.moved_aside == aside
    assert aside.read_bytes() == garbage  # kept, never deleted
    assert Path(f"{aside}-wal").read_bytes() == b"wal bytes"
    assert store.sessions() == []
    sid = store.save(rec())
    store.close()
    again = Store.open(tmp_path)
    assert again.moved_aside is None and again.get(sid) is not None
    again.close()


def test_a_truncated_database_is_moved_aside(tmp_path):
    store = Store.open(tmp_path)
    for i in range(300):
        store.save(rec(area=f"area_{i}" * 20))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path = tmp_path / DB_NAME
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    moved = Store.open(tmp_path, now=T0)
    assert moved.moved_aside is not None and moved.moved_aside.stat().st_size == len(data) // 2
    moved.close()


def test_a_version_1_database_is_migrated_keeping_its_rows(tmp_path):
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:
        conn.executescript(_SCHEMA_V1)
        conn.execute(
            "INSERT INTO sessions (profile, area, technique, planned_seconds, started_at, status)"
            " VALUES ('default', 'left_foot', 'tapping', 240, '2024-03-04T09:00:00+00:00', 'completed')"
        )
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    store = Store(path)
    [old] = store.sessions()
    assert old.area == "left_foot" and old.clock_synced is None
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    sid = store.save(rec(clock_synced=False))
    assert store.get(sid).clock_synced is False
    store.close()


def test_unwritable_paths_raise_store_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    with pytest.raises(StoreError) as info:
        Store.open(afile / "sub")
    assert info.value.problem is StorageProblem.NO_FOLDER and info.value.detail
    with pytest.raises(StoreError) as info:
        Store(afile / DB_NAME)
    assert info.value.problem is StorageProblem.FAILED and "unable to open" in info.value.detail
    assert isinstance(info.value.__cause__, sqlite3.OperationalError)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod")
def test_read_only_directory(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        with pytest.raises(StoreError) as info:
            Store.open(data)
        assert info.value.problem is StorageProblem.READ_ONLY
    finally:
        data.chmod(0o700)


def test_database_from_the_future(tmp_path):
    path = tmp_path / DB_NAME
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.problem is StorageProblem.NEWER_SCHEMA and info.value.path == path


def test_reopen_keeps_data_and_schema(tmp_path):
    first = Store.open(tmp_path)
    sid = first.save(rec())
    first.close()
    again = Store.open(tmp_path)
    assert again.get(sid) == replace(rec(), id=sid)
    again.close()


def test_disk_full_keeps_earlier_rows_readable(store):
    kept = store.save(rec(pain_after=3, status=Status.COMPLETED, active_seconds=240.0))
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as info:
        for _ in range(2000):
            store.save(rec(area="x" * 1000))
    assert info.value.problem is StorageProblem.DISK_FULL and info.value.path is None
    assert not store.db.conn.in_transaction  # nothing half-done left open
    assert store.get(kept) == replace(rec(pain_after=3, status=Status.COMPLETED, active_seconds=240.0), id=kept,
                                      counted=True)
    assert store.last_rating(DEFAULT_PROFILE, "left_forearm") == 3
    # Space comes back: the caller's retry simply works.
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert store.save(rec(area="retry")) > kept


def test_locked_database(tmp_path, store):
    store.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(tmp_path / "data" / DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as info:
            store.save(rec())
        assert info.value.problem is StorageProblem.LOCKED and "locked" in info.value.detail
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.save(rec()) >= 1


def test_saved_row_survives_kill_9(tmp_path):
    data = tmp_path / "data"
    code = f"""
import os
from datetime import datetime, timezone
from kiosk.model import SessionRecord
from kiosk.storage.store import Store
s = Store.open({str(data)!r})
sid = s.save(SessionRecord("default", "left_forearm", "towel_rub", 240,
                           datetime(2024, 3, 4, 9, tzinfo=timezone.utc), 6))
s.save(SessionRecord("default", "left_forearm", "towel_rub", 240,
                     datetime(2024, 3, 4, 9, tzinfo=timezone.utc), 6, id=sid,
                     active_seconds=30.0))
os.kill(os.getpid(), 9)
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, timeout=60)
    assert done.returncode == -9
    s = Store.open(data)
    try:
        rows = s.sessions()
        assert len(rows) == 1
        assert rows[0].active_seconds == 30.0 and rows[0].status == Status.IN_PROGRESS
        assert s.recover_interrupted() == 1
    finally:
        s.close()


# --- schema 3: practice days, check-ins, readings, rungs -----------------------------


@pytest.fixture
def utc_store(tmp_path):
    s = Store.open(tmp_path / "utc", rollover=time(3, 0), tz=timezone.utc)
    yield s
    s.close()


def test_sessions_carry_their_practice_day_with_the_roll_over(utc_store):
    late = utc_store.save(rec(started_at=datetime(2024, 3, 4, 23, 50, tzinfo=timezone.utc)))
    after_midnight = utc_store.save(rec(started_at=datetime(2024, 3, 5, 1, 30, tzinfo=timezone.utc)))
    morning = utc_store.save(rec(started_at=datetime(2024, 3, 5, 3, 0, tzinfo=timezone.utc)))
    days = dict(utc_store.db.execute("SELECT id, day FROM sessions").fetchall())
    assert days == {late: "2024-03-04", after_midnight: "2024-03-04", morning: "2024-03-05"}


def test_daily_summary_and_day_counts(utc_store):
    for hour, status, before, after, active in [
        (9, Status.COMPLETED, 6, 4, 240.0),
        (12, Status.STOPPED_EARLY, 8, 8, 60.0),
        (15, Status.IN_PROGRESS, 5, None, 30.0),
    ]:
        utc_store.save(rec(started_at=T0.replace(hour=hour), status=status, pain_before=before,
                           pain_after=after, active_seconds=active))
    utc_store.save(rec(started_at=T0 + timedelta(days=1), status=Status.INTERRUPTED, profile="sam"))
    utc_store.save(rec(started_at=T0 + timedelta(days=1, hours=1), status=Status.INTERRUPTED, profile="sam",
                       active_seconds=200.0))
    [row] = utc_store.db.execute(
        "SELECT day, sessions, completed, minutes, mean_pain_before, mean_pain_after, counted_sessions,"
        " practice_seconds FROM daily_summary WHERE profile = ?", [DEFAULT_PROFILE]
    ).fetchall()
    assert row == ("2024-03-04", 2, 1, 5.0, 7.0, 6.0, 1, 300.0)
    # The home count: counted sessions only (the 1-minute stop is not one).
    assert utc_store.day_counts(DEFAULT_PROFILE, T0.date(), T0.date() + timedelta(days=6)) == {T0.date(): 1}
    assert utc_store.day_counts("sam", T0.date(), T0.date() + timedelta(days=1)) == {
        T0.date() + timedelta(days=1): 1
    }


def test_checkins_add_undo_and_last_rating(utc_store):
    first = utc_store.add_checkin(CheckinRecord(DEFAULT_PROFILE, T0, 5, "left_foot"))
    utc_store.add_checkin(CheckinRecord(DEFAULT_PROFILE, T0 + timedelta(hours=2), None, prompted=True,
                                        status="missed"))
    second = utc_store.add_checkin(CheckinRecord(DEFAULT_PROFILE, T0 + timedelta(hours=3), 7))
    assert utc_store.last_checkin_rating(DEFAULT_PROFILE) == 7
    utc_store.delete_checkin(second)
    assert utc_store.last_checkin_rating(DEFAULT_PROFILE) == 5
    assert [(c.id, c.rating, c.status, c.prompted) for c in utc_store.checkins()] == [
        (first, 5, "saved", False), (first + 1, None, "missed", True)
    ]
    assert utc_store.last_checkin_rating("sam") is None
    with pytest.raises(StoreError):
        utc_store.add_checkin(CheckinRecord(DEFAULT_PROFILE, T0, None, status="saved"))  # saved needs a rating


def test_pain_readings_gathers_every_source(utc_store):
    utc_store.save(rec(pain_before=6, pain_after=3, status=Status.COMPLETED, ended_at=T0 + timedelta(minutes=4)))
    utc_store.save(rec(started_at=T0 + timedelta(hours=1), pain_before=4))
    utc_store.add_checkin(CheckinRecord(DEFAULT_PROFILE, T0 + timedelta(hours=2), 2, None))
    utc_store.add_checkin(CheckinRecord(DEFAULT_PROFILE, T0 + timedelta(hours=3), None, status="missed"))
    rows = utc_store.db.execute(
        "SELECT source, rating, area, at FROM pain_readings ORDER BY at, source"
    ).fetchall()
    assert rows == [
        ("session_before", 6, "left_forearm", "2024-03-04T09:00:00+00:00"),
        ("session_after", 3, "left_forearm", "2024-03-04T09:04:00+00:00"),
        ("session_before", 4, "left_forearm", "2024-03-04T10:00:00+00:00"),
        ("checkin", 2, None, "2024-03-04T11:00:00+00:00"),
    ]
    assert utc_store.last_reading_at(DEFAULT_PROFILE) == T0 + timedelta(hours=2)
    assert utc_store.last_reading(DEFAULT_PROFILE) == (T0 + timedelta(hours=2), 2)
    assert utc_store.last_reading_at("sam") is None


def test_rungs_persist_per_profile_and_area(tmp_path):
    store = Store.open(tmp_path)
    assert store.rung("sam", "left_foot") == 0
    store.set_rung(RungRecord("sam", "left_foot", 2, T0))
    store.set_rung(RungRecord("sam", "left_foot", 3, T0))
    store.set_rung(RungRecord("ana", "left_foot", 1, T0))
    store.close()
    again = Store.open(tmp_path)
    assert (again.rung("sam", "left_foot"), again.rung("ana", "left_foot"), again.rung("sam", "back")) == (3, 1, 0)
    again.close()


def test_a_version_2_database_gets_days_for_its_rows(tmp_path):
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:
        conn.executescript(_SCHEMA_V1)
        conn.execute(_SCHEMA_V2)
        conn.execute(
            "INSERT INTO sessions (profile, area, technique, planned_seconds, started_at, status)"
            " VALUES ('default', 'left_foot', 'tapping', 240, '2024-03-04T12:00:00+00:00', 'completed')"
        )
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    store = Store(path)
    [(day,)] = store.db.execute("SELECT day FROM sessions").fetchall()
    assert day is not None and day.startswith("2024-03-0")
    assert store.db.execute("SELECT count(*) FROM daily_summary").fetchone()[0] == 1
    store.close()
