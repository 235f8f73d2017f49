"""Reading is not writing: `export` and `report` open the database read-only, never migrate
it, leave no -wal or -shm beside it, and read every schema version the kiosk has written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import sys
import types
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiosk import cli, paths
from kiosk.model import SessionRecord, Status
from kiosk.storage import store as store_module
from kiosk.storage.store import SCHEMA_VERSION, Store

STARTED = "2024-03-04T09:00:00+00:00"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")


@pytest.fixture
def drawn(monkeypatch):
    """The report drawing replaced by one that keeps the figures it was given."""
    reports = []
    module = types.SimpleNamespace(save_report=lambda data, path: reports.append(data) or Path(path).write_bytes(b"png"))
    monkeypatch.setitem(sys.modules, "kiosk.render.report_page", module)
    return reports


def _as_written_by_version(data: Path, version: int) -> Path:
    """A database as the kiosk of schema `version` left it: its migrations run, one session
    (and, from version 3 on, one check-in), closed cleanly."""
    data.mkdir(parents=True)
    path = data / paths.DB_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("desens_counts_after", 1, lambda profile: 180.0)  # the kiosk's threshold, in its migration
    conn.execute("PRAGMA journal_mode=WAL")
    for step in range(1, version + 1):
        conn.execute("BEGIN")
        for statement in store_module.MIGRATIONS[step].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={step}")
        conn.execute("COMMIT")
    conn.execute("INSERT INTO sessions (profile, area, technique, planned_seconds, started_at, ended_at,"
                 " active_seconds, pain_before, pain_after, status)"
                 f" VALUES ('sam', 'back', 'ice', 240, '{STARTED}', '{STARTED}', 240.0, 5, 3, 'completed')")
    if version >= 3:
        conn.execute("UPDATE sessions SET day = '2024-03-04'")
        conn.execute("INSERT INTO pain_checkins (profile, at, rating, status, day)"
                     f" VALUES ('sam', '{STARTED}', 4, 'saved', '2024-03-04')")
    if version >= 5:
        conn.execute("UPDATE sessions SET counted = 1")
    conn.close()
    assert sorted(p.name for p in data.iterdir()) == [paths.DB_NAME]
    return path


def _fingerprint(path: Path) -> tuple:
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_every_schema_version_is_read_without_a_change(tmp_path, capsys, drawn, monkeypatch, version):
    from kiosk.storage import export as exporting

    data = tmp_path / "data"
    path = _as_written_by_version(data, version)
    before = _fingerprint(path)
    while_reading = []
    fetch = exporting.fetch
    monkeypatch.setattr(exporting, "fetch", lambda *args: while_reading.append(_fingerprint(path)) or fetch(*args))

    assert cli.main(["export", "--data-dir", str(data)]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["profile"], row["started_at"], row["pain_after"], row["status"]) == ("sam", STARTED, "3", "completed")
    assert row["day"] == "2024-03-04"  # worked out for rows written before the column existed

    assert cli.main(["export", "--data-dir", str(data), "--table", "checkins", "--format", "json"]) == 0
    checkins = json.loads(capsys.readouterr().out)
    assert [c["rating"] for c in checkins] == ([4] if version >= 3 else [])

    out = tmp_path / "report.png"
    assert cli.main(["report", "--data-dir", str(data), "--profile", "sam", "--days", "3660", "--out", str(out)]) == 0
    assert drawn[-1].sessions == 1 and drawn[-1].completed == 1 and drawn[-1].counted == 1
    assert row["counted"] == "1"  # worked out for rows written before the column existed
    assert drawn[-1].change_by_technique == (("ice", -2.0, 1),)

    assert while_reading and all(seen == before for seen in while_reading)  # no -wal or -shm, even while reading
    assert _fingerprint(path) == before  # not one byte changed
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version  # never migrated
    conn.close()


def test_a_read_while_the_kiosk_writes_sees_its_latest_rows(tmp_path, capsys):
    """The kiosk holds the database open (its rows partly only in the -wal): the export reads
    them through the kiosk's own -shm and leaves nothing new behind."""
    kiosk = Store.open(tmp_path)
    started = datetime(2024, 3, 4, 9, tzinfo=timezone.utc)
    kiosk.save(SessionRecord("sam", "back", "ice", 240, started, 5, Status.COMPLETED, started, 240.0, 3))
    files = sorted(p.name for p in tmp_path.iterdir())
    assert f"{paths.DB_NAME}-wal" in files
    try:
        assert cli.main(["export", "--data-dir", str(tmp_path), "--format", "json"]) == 0
        assert [r["pain_after"] for r in json.loads(capsys.readouterr().out)] == [3]
        assert sorted(p.name for p in tmp_path.iterdir()) == files
    finally:
        kiosk.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [paths.DB_NAME]  # the kiosk closed last: all tidy


def test_a_read_only_store_refuses_to_write(tmp_path):
    Store.open(tmp_path).close()
    from kiosk.model import StorageProblem
    from kiosk.storage.queries import open_existing
    from kiosk.storage.store import StoreError

    reader = open_existing(tmp_path)
    try:
        started = datetime(2024, 3, 4, 9, tzinfo=timezone.utc)
        with pytest.raises(StoreError) as info:
            reader.save(SessionRecord("sam", "back", "ice", 240, started, 5))
        assert info.value.problem is StorageProblem.READ_ONLY
    finally:
        reader.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [paths.DB_NAME]


def test_a_database_from_a_newer_kiosk_is_not_read(tmp_path, capsys):
    path = _as_written_by_version(tmp_path / "data", SCHEMA_VERSION)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = _fingerprint(path)
    assert cli.main(["export", "--data-dir", str(tmp_path / "data")]) == 1
    assert capsys.readouterr().err == (
        f"desens-kiosk export: cannot open {path}: the database was written by a newer desens-kiosk\n")
    assert _fingerprint(path) == before


def test_a_kiosk_starting_during_a_read_makes_it_read_again(tmp_path):
    """Read with no lock (no -wal: nobody had the file open), then a kiosk starts and writes
    while the read runs: what was read may be half old, half new, so it is read again,
    this time through the kiosk's -wal."""
    from kiosk.storage.export import fetch
    from kiosk.storage.queries import read_existing

    Store.open(tmp_path).close()
    started = datetime(2024, 3, 4, 9, tzinfo=timezone.utc)
    kiosks = []

    def read(store):
        rows = fetch(store)[1]
        if not kiosks:
            kiosks.append(Store.open(tmp_path))
            kiosks[0].save(SessionRecord("sam", "back", "ice", 240, started, 5, Status.COMPLETED, started, 240.0, 3))
        return rows

    try:
        rows = read_existing(tmp_path, read)
    finally:
        for kiosk in kiosks:
            kiosk.close()
    assert len(rows) == 1 and rows[0][1] == "sam"
