"""The database file deleted or replaced while the kiosk runs: the next write notices (the
path no longer names the open file), opens or creates the file at the path again, writes
what is pending there, and says so in the log; nothing shows as saved that is not."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.model import CheckinRecord, SessionRecord, Status
from kiosk.paths import DB_NAME
from kiosk.storage.recorder import Recorder
from kiosk.storage.store import Store

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)


def _session(minutes: int = 0, **changes) -> SessionRecord:
    return replace(SessionRecord("sam", "back", "ice", 240, T0 + timedelta(minutes=minutes), 5), **changes)


def _rows(path: Path) -> list[tuple]:
    """What another program reading the file at `path` finds."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT id, started_at, status, pain_after FROM sessions ORDER BY id").fetchall()
    conn.close()
    return rows


def _delete(data: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{data / DB_NAME}{suffix}").unlink(missing_ok=True)


def _replace_with_another(data: Path, tmp_path: Path) -> None:
    """Someone puts another database (a backup, another child's) in the kiosk's place."""
    other = Store.open(tmp_path / "other")
    other.save(_session(-600, profile="ann", status=Status.COMPLETED, pain_after=2))
    other.close()
    os.replace(tmp_path / "other" / DB_NAME, data / DB_NAME)


@pytest.fixture
def clock():
    class Clock:
        t = 0.0

        def __call__(self) -> float:
            return self.t

    return Clock()


@pytest.mark.parametrize("change", ["deleted", "replaced"])
def test_a_write_after_the_file_went_away_lands_in_the_file_at_the_path(tmp_path, caplog, change):
    data = tmp_path / "data"
    store = Store.open(data)
    store.save(_session(0, status=Status.COMPLETED))
    if change == "deleted":
        _delete(data)
    else:
        _replace_with_another(data, tmp_path)
    try:
        with caplog.at_level(logging.WARNING):
            store.save(_session(30))
    finally:
        store.close()
    started = [row[1] for row in _rows(data / DB_NAME)]
    assert (T0 + timedelta(minutes=30)).isoformat() in started
    assert any(change in r.getMessage() and str(data / DB_NAME) in r.getMessage() for r in caplog.records)
    if change == "replaced":
        assert _rows(data / DB_NAME)[0][2:] == ("completed", 2)  # what the new file held is left alone


@pytest.mark.parametrize("change", ["deleted", "replaced"])
def test_the_recorder_keeps_working_and_never_overwrites_the_new_files_rows(tmp_path, clock, change):
    data = tmp_path / "data"
    store = Store.open(data)
    recorder = Recorder(store, clock)
    running = _session(0)
    recorder.save(running)  # in progress: row 1 of the old file
    checkin = CheckinRecord("sam", T0 + timedelta(minutes=1), 4)
    recorder.save(checkin)
    if change == "deleted":
        _delete(data)
    else:
        _replace_with_another(data, tmp_path)  # its row 1 is ann's session
    recorder.save(replace(running, status=Status.COMPLETED, pain_after=3, ended_at=T0 + timedelta(minutes=4)))
    recorder.undo(checkin)  # it was in the old file: nothing to take back from the new one
    assert not recorder.unsaved and recorder.problem is None
    store.close()
    rows = [row[1:] for row in _rows(data / DB_NAME)]
    assert (T0.isoformat(), "completed", 3) in rows
    if change == "replaced":
        assert rows[0] == ((T0 - timedelta(minutes=600)).isoformat(), "completed", 2)  # ann's, untouched


def test_while_the_path_cannot_be_opened_nothing_counts_as_saved(tmp_path, clock):
    data = tmp_path / "data"
    store = Store.open(data)
    recorder = Recorder(store, clock)
    _delete(data)
    (data / DB_NAME).mkdir()  # the path names something that is no database
    recorder.save(_session(0, status=Status.COMPLETED, pain_after=3))
    assert recorder.unsaved and recorder.problem is not None
    shutil.rmtree(data / DB_NAME)
    clock.t += 11
    recorder.tick()
    assert not recorder.unsaved and recorder.problem is None
    store.close()
    assert [row[2:] for row in _rows(data / DB_NAME)] == [("completed", 3)]


def test_a_file_renamed_away_keeps_every_row_and_the_path_starts_afresh(tmp_path):
    """`mv desens.db elsewhere.db` leaves the kiosk's -wal and -shm at the path: the moved
    file gets every row out of them first, and they are never replayed into the new file."""
    data = tmp_path / "data"
    store = Store.open(data)
    for minute in range(3):
        store.save(_session(minute, status=Status.COMPLETED))
    os.rename(data / DB_NAME, tmp_path / "elsewhere.db")
    for suffix in ("-wal", "-shm"):  # a second name keeps the old ones' inodes from being reused
        os.link(f"{data / DB_NAME}{suffix}", tmp_path / f"old{suffix}")
    store.save(_session(30))
    for suffix in ("-wal", "-shm"):
        assert not os.path.samefile(f"{data / DB_NAME}{suffix}", tmp_path / f"old{suffix}")  # removed, new ones made
    store.close()
    assert [row[1] for row in _rows(tmp_path / "elsewhere.db")] == [
        (T0 + timedelta(minutes=m)).isoformat() for m in range(3)]
    assert [row[1] for row in _rows(data / DB_NAME)] == [(T0 + timedelta(minutes=30)).isoformat()]
