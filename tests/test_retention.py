"""Retention: sessions, check-ins (missed prompts too) and level changes of practice days
older than retention.keep_days are deleted, and the freed space holds no copy of them;
damaged copies of the database older than that are removed too."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone

import pytest

from kiosk import cli, paths
from kiosk.model import CheckinRecord, Forgotten, RungReason, RungRecord, SessionRecord, Status
from kiosk.storage.demo import fill_demo
from kiosk.storage.retention import apply_retention, remove_old_damaged_copies
from kiosk.storage.store import Store

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
OLD_PLACE = "old-place-qwertyuiop"  # only in rows that go


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path, tz=timezone.utc)
    yield s
    s.close()


def _fill(store: Store, day: date, place: str, profile: str = "sam") -> None:
    at = datetime.combine(day, time(9), tzinfo=timezone.utc)
    store.save(SessionRecord(profile, place, "ice", 240, at, 6, Status.COMPLETED, at, 240.0, 4))
    store.add_checkin(CheckinRecord(profile, at + timedelta(hours=1), 5, place))
    store.add_checkin(CheckinRecord(profile, at + timedelta(hours=2), None, prompted=True, status="missed"))
    store.set_rung(RungRecord(profile, place, 1, at, "ice", "tapping", RungReason.MOVED_UP))


def _days(store, table) -> list[str]:
    return [day for (day,) in store.db.execute(f"SELECT day FROM {table} ORDER BY day, id").fetchall()]


def test_forget_before_deletes_exactly_the_older_days(store, tmp_path):
    for day, place, profile in ((date(2024, 5, 1), OLD_PLACE, "sam"), (date(2024, 5, 9), OLD_PLACE, "ann"),
                                (date(2024, 5, 10), "back", "sam"), (date(2024, 5, 20), "back", "ann")):
        _fill(store, day, place, profile)
    gone = store.forget_before(date(2024, 5, 10))
    assert gone == Forgotten(sessions=2, checkins=4, rung_changes=2) and gone.total == 8
    assert _days(store, "sessions") == ["2024-05-10", "2024-05-20"]
    assert _days(store, "pain_checkins") == ["2024-05-10", "2024-05-10", "2024-05-20", "2024-05-20"]
    assert _days(store, "rung_changes") == ["2024-05-10", "2024-05-20"]
    assert store.rung("sam", OLD_PLACE) == 1  # the current level is the prescription, not history: kept
    assert store.forget_before(date(2024, 5, 10)) == Forgotten()
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(paths.DB_NAME))
    assert OLD_PLACE.encode() in files  # still the current level's area (rungs)...
    store.db.execute("DELETE FROM rungs")  # ...once that goes too, nothing of the old rows is left
    store.db.conn.commit()
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(paths.DB_NAME))
    assert OLD_PLACE.encode() not in files


def test_the_deleted_rows_leave_no_copy_in_the_file_or_its_wal(tmp_path):
    store = Store.open(tmp_path, tz=timezone.utc)
    for offset in range(60):
        at = datetime(2024, 4, 1, 9, tzinfo=timezone.utc) + timedelta(hours=offset)
        store.save(SessionRecord("sam", OLD_PLACE, "ice", 240, at, 6, Status.COMPLETED, at, 240.0, 4))
    _fill(store, date(2024, 5, 20), "back")
    store.forget_before(date(2024, 5, 1))
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(paths.DB_NAME))
    assert OLD_PLACE.encode() not in files and b"back" in files
    store.close()


def test_demo_marks_of_forgotten_rows_go_with_them(store):
    fill_demo(store, days=20, profile="demo", seed=1, now=NOW)
    store.forget_before(date(2024, 5, 25))
    (marks,) = store.db.execute("SELECT count(*) FROM demo_marker").fetchone()
    (rows,) = store.db.execute("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM pain_checkins)"
                               ).fetchone()
    assert marks == rows > 0


def test_apply_retention_counts_practice_days_with_the_roll_over(tmp_path):
    store = Store.open(tmp_path, tz=timezone.utc, rollover=time(3, 0))
    for day in (date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)):
        _fill(store, day, "back")
    late = datetime(2024, 3, 31, 1, 30, tzinfo=timezone.utc)  # before 03:00: still practice day 30 March
    gone, removed = apply_retention(store, 28, late)
    assert gone.sessions == 1 and _days(store, "sessions") == ["2024-03-02", "2024-03-03"]  # 2 March = 30 March - 28
    assert removed == []
    assert apply_retention(store, None, late) == (Forgotten(), [])  # keep_days: never
    store.close()


def _copy(folder, stamp: str, suffix: str = "") -> os.PathLike:
    path = folder / f"{paths.DB_NAME}.damaged-{stamp}{suffix}"
    path.write_bytes(b"old health data")
    return path


def test_damaged_copies_older_than_keep_days_are_removed(tmp_path):
    old = _copy(tmp_path, "20240101T000000Z")
    old_wal = _copy(tmp_path, "20240101T000000Z", "-wal")
    second = _copy(tmp_path, "20240101T000000Z-2")
    recent = _copy(tmp_path, "20240520T101500Z")
    recent_shm = _copy(tmp_path, "20240520T101500Z", "-shm")
    no_stamp = _copy(tmp_path, "by-hand")  # no stamp in the name: its file time counts
    os.utime(no_stamp, (NOW.timestamp() - 40 * 86400,) * 2)
    (tmp_path / paths.DB_NAME).write_bytes(b"")  # the database itself is never touched
    assert remove_old_damaged_copies(tmp_path, None, NOW) == []
    removed = remove_old_damaged_copies(tmp_path, 30, NOW)
    assert sorted(removed) == sorted([old, old_wal, second, no_stamp])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([paths.DB_NAME, recent.name, recent_shm.name])


def test_apply_retention_removes_old_damaged_copies_beside_the_store(tmp_path):
    store = Store.open(tmp_path, tz=timezone.utc)
    old = _copy(tmp_path, "20240101T000000Z")
    assert apply_retention(store, 30, NOW) == (Forgotten(), [old])
    store.close()


def test_purge_before_also_deletes_level_changes(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    store = Store.open(tmp_path, tz=timezone.utc)
    _fill(store, date(2024, 5, 1), "back")
    _fill(store, date(2024, 5, 20), "back")
    store.close()
    assert cli.main(["purge", "--before", "2024-05-10", "--yes", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ("deleted 1 session(s), 2 check-in(s) and 1 level change(s) "
                                       "before 2024-05-10\n")
