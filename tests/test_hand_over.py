"""The clinician's door and the loaner hand-over: the code lock kept in the database (it
survives a restart), the recorder dropping what waits, and Store.wipe / `purge --all`
leaving no trace of the last family in the file or its -wal, as plain sqlite3 sees it."""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk import cli, paths
from kiosk.model import CheckinRecord, CodeLock, RungReason, RungRecord, SessionRecord, Status, StorageProblem
from kiosk.storage import lock_data_dir
from kiosk.storage.demo import fill_demo
from kiosk.storage.recorder import Recorder
from kiosk.storage.store import Store, StoreError

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)
NICKNAME = "Zoe-Quokka-Nickname"  # a name that appears nowhere else
PLACE = "left-little-toe-xyzzy"  # an area id the same


@pytest.fixture(autouse=True)
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")


# -- the code lock -----------------------------------------------------------------------

def test_the_code_lock_is_kept_in_the_database_and_survives_a_restart(tmp_path):
    store = Store.open(tmp_path)
    assert store.code_lock() == CodeLock(0, None)
    until = T0 + timedelta(minutes=5)
    store.set_code_lock(CodeLock(6, until))
    store.close()
    again = Store.open(tmp_path)
    try:
        assert again.code_lock() == CodeLock(6, until)
        assert again.code_lock().locked_until.utcoffset() == timedelta(0)
        again.set_code_lock(CodeLock(2, None))
        assert again.code_lock() == CodeLock(2, None)
        again.set_code_lock(CodeLock())  # a right code: nothing kept
        assert again.code_lock() == CodeLock()
        assert again.db.execute("SELECT key FROM meta WHERE key LIKE 'code%'").fetchall() == []
    finally:
        again.close()


def test_the_recorder_writes_the_code_lock_like_any_record(tmp_path):
    store = Store.open(tmp_path)
    failing = [True]

    class Flaky:
        def __getattr__(self, name):
            if name == "set_code_lock" and failing[0]:
                def fail(lock):
                    raise StoreError(StorageProblem.DISK_FULL)
                return fail
            return getattr(store, name)

    now = [0.0]
    recorder = Recorder(Flaky(), lambda: now[0])
    recorder.save(CodeLock(1, None))
    recorder.save(CodeLock(3, T0))  # only the newest waits
    assert recorder.unsaved and store.code_lock() == CodeLock()
    failing[0] = False
    now[0] += 60
    recorder.tick()
    assert not recorder.unsaved and store.code_lock() == CodeLock(3, T0)
    store.close()


def test_an_old_file_read_read_only_has_no_code_lock(tmp_path):
    from kiosk.storage.queries import read_existing

    Store.open(tmp_path).close()
    assert read_existing(tmp_path, lambda store: store.code_lock()) == CodeLock()


# -- the recorder lets go ----------------------------------------------------------------

def test_discard_drops_everything_waiting(tmp_path):
    store = Store.open(tmp_path)
    failing = [True]

    class Flaky:
        def __getattr__(self, name):
            if name in ("save", "add_checkin", "set_rung") and failing[0]:
                def fail(*args):
                    raise StoreError(StorageProblem.DISK_FULL)
                return fail
            return getattr(store, name)

    recorder = Recorder(Flaky(), lambda: 100.0)
    recorder.save(SessionRecord(NICKNAME, PLACE, "ice", 240, T0, 5))
    recorder.save(CheckinRecord(NICKNAME, T0, 4))
    recorder.save(RungRecord(NICKNAME, PLACE, 1, T0, "ice", "tapping", RungReason.MOVED_UP))
    assert recorder.unsaved and recorder.problem is StorageProblem.DISK_FULL
    written = recorder.written
    recorder.discard()
    assert not recorder.unsaved and recorder.problem is None
    assert recorder.written > written  # readers count again: the home screen shows the wiped record
    failing[0] = False
    recorder.flush()
    assert store.sessions() == [] and store.checkins() == [] and store.rung(NICKNAME, PLACE) == 0
    store.close()


def test_the_log_never_names_a_nickname_or_a_rating(tmp_path, caplog):
    store = Store.open(tmp_path)
    caplog.set_level(logging.DEBUG)
    recorder = Recorder(store, lambda: 0.0, recover=True)
    store.db.execute(f"PRAGMA max_page_count = {store.db.execute('PRAGMA page_count').fetchone()[0]}")
    for minute in range(200):  # until the disk is "full"
        recorder.save(SessionRecord(NICKNAME, PLACE, "ice", 240, T0 + timedelta(minutes=minute), 9,
                                    Status.COMPLETED, T0, 240.0, 7))
    recorder.save(SessionRecord(NICKNAME, PLACE, "ice", 240, T0 - timedelta(days=1), 11))  # a bad rating
    assert recorder.problem is not None and caplog.records
    assert NICKNAME not in caplog.text and PLACE not in caplog.text
    store.close()


# -- the hand-over -----------------------------------------------------------------------

def _fill(store: Store) -> None:
    fill_demo(store, days=30, profile=NICKNAME, seed=2, now=T0 + timedelta(days=30))
    for minute in range(120):
        start = T0 + timedelta(minutes=minute)
        store.save(SessionRecord(NICKNAME, PLACE, "ice", 240, start, 7, Status.COMPLETED, start, 240.0, 3))
        store.add_checkin(CheckinRecord(NICKNAME, start, 6, PLACE))
    store.set_rung(RungRecord(NICKNAME, PLACE, 2, T0, "ice", "tapping", RungReason.SET_BY_CLINICIAN))
    store.set_code_lock(CodeLock(3, T0))


def _bytes(data: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data.iterdir() if p.name.startswith(paths.DB_NAME))


def _plain(path: Path, sql: str) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


TABLES = ("sessions", "pain_checkins", "rungs", "rung_changes")


def test_wipe_leaves_no_trace_in_the_file_or_its_wal(tmp_path):
    data = tmp_path / "data"
    store = Store.open(data, tz=timezone.utc)
    _fill(store)
    (data / f"{paths.DB_NAME}.damaged-20240101T000000Z").write_bytes(NICKNAME.encode())
    (data / f"{paths.DB_NAME}.damaged-20240101T000000Z-wal").write_bytes(NICKNAME.encode())
    assert NICKNAME.encode() in _bytes(data)  # there before: the check below can fail
    store.wipe()  # the kiosk still running, its connection open
    wal = data / f"{paths.DB_NAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    everything = _bytes(data)
    assert NICKNAME.encode() not in everything and PLACE.encode() not in everything
    assert sorted(p.name for p in data.iterdir() if "damaged" in p.name) == []
    db = data / paths.DB_NAME
    for table in TABLES:
        assert _plain(db, f"SELECT count(*) FROM {table}") == [(0,)]
    assert _plain(db, "SELECT count(*) FROM pain_readings") == [(0,)]
    assert [key for (key,) in _plain(db, "SELECT key FROM meta")] == ["time_zone"]
    assert ("demo_marker",) not in _plain(db, "SELECT name FROM sqlite_master")
    assert store.code_lock() == CodeLock()
    # The kiosk carries on as on first boot.
    first = store.save(SessionRecord("new", "back", "ice", 240, T0, 2))
    assert first == 1 and [s.profile for s in store.sessions()] == ["new"]
    store.close()
    assert NICKNAME.encode() not in _bytes(data)


def test_wipe_says_so_when_a_reader_keeps_old_pages_in_the_wal(tmp_path):
    store = Store.open(tmp_path)
    _fill(store)
    reader = sqlite3.connect(tmp_path / paths.DB_NAME)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sessions").fetchone()  # holds a snapshot of the old pages
    try:
        with pytest.raises(StoreError) as info:
            store.wipe()
        assert info.value.problem is StorageProblem.LOCKED
    finally:
        reader.close()
    assert store.sessions() == []
    store.wipe()  # again, once the reader is gone: done
    assert NICKNAME.encode() not in _bytes(tmp_path)
    store.close()


def _filled(tmp_path) -> Path:
    data = tmp_path / "data"
    store = Store.open(data, tz=timezone.utc)
    _fill(store)
    store.close()
    (data / f"{paths.DB_NAME}.damaged-20240101T000000Z").write_bytes(NICKNAME.encode())
    return data


def test_purge_all_with_yes_hands_over(tmp_path, capsys):
    data = _filled(tmp_path)
    assert cli.main(["purge", "--all", "--yes", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("deleted everything:") and "1 damaged copy" in out
    assert NICKNAME.encode() not in _bytes(data)
    for table in TABLES:
        assert _plain(data / paths.DB_NAME, f"SELECT count(*) FROM {table}") == [(0,)]


@pytest.mark.parametrize("answer, code", [("yes", 0), ("n", 1), ("", 1)])
def test_purge_all_asks_at_a_terminal(tmp_path, capsys, monkeypatch, answer, code):
    data = _filled(tmp_path)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    assert cli.main(["purge", "--all", "--data-dir", str(data)]) == code
    [question] = asked
    assert question.startswith("Delete every session (") and "cannot be undone" in question
    assert (NICKNAME.encode() in _bytes(data)) == (answer != "yes")


def test_purge_all_without_a_terminal_needs_yes(tmp_path, capsys, monkeypatch):
    data = _filled(tmp_path)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert cli.main(["purge", "--all", "--data-dir", str(data)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert NICKNAME.encode() in _bytes(data)


def test_purge_all_refuses_while_the_kiosk_runs(tmp_path, capsys):
    data = _filled(tmp_path)
    held = lock_data_dir(data)
    try:
        assert cli.main(["purge", "--all", "--yes", "--data-dir", str(data)]) == 1
        assert "the kiosk is running" in capsys.readouterr().err
    finally:
        held.release()
    assert NICKNAME.encode() in _bytes(data)


def test_purge_takes_all_or_before_never_both(tmp_path, capsys):
    data = _filled(tmp_path)
    with pytest.raises(SystemExit) as info:
        cli.main(["purge", "--all", "--before", "2024-01-01", "--data-dir", str(data)])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        cli.main(["purge", "--data-dir", str(data)])
    assert info.value.code == 2
    capsys.readouterr()
    assert cli.main(["purge", "--all", "--profile", NICKNAME, "--yes", "--data-dir", str(data)]) == 1
    assert "--all" in capsys.readouterr().err
    assert NICKNAME.encode() in _bytes(data)


def test_purge_all_of_a_folder_without_a_database(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / f"{paths.DB_NAME}.damaged-20240101T000000Z").write_bytes(NICKNAME.encode())
    assert cli.main(["purge", "--all", "--yes", "--data-dir", str(data)]) == 0
    assert "1 damaged copy" in capsys.readouterr().out
    assert not (data / paths.DB_NAME).exists() and NICKNAME.encode() not in _bytes(data)
    assert cli.main(["purge", "--all", "--yes", "--data-dir", str(data)]) == 0
    assert "nothing to delete" in capsys.readouterr().out
