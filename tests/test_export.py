"""Exports round-trip: every row and every column of `sessions` and `pain_checkins` comes
back out of the CSV and the JSON equal to what the database holds."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from kiosk import cli, paths
from kiosk.model import CheckinRecord, RungReason, RungRecord, SessionRecord, Status
from kiosk.storage.demo import fill_demo
from kiosk.storage.export import ADDED_COLUMNS, TABLES, export, fetch
from kiosk.storage.store import Store

NOW = datetime(2024, 3, 28, 18, 0, tzinfo=timezone.utc)
ODD = 'zoë, "the" back\nand more'  # a comma, quotes, a line break and a non-ASCII letter


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path, tz=timezone.utc)
    fill_demo(s, days=21, profile="sam", seed=1, now=NOW)
    start = NOW - timedelta(days=30)
    s.save(SessionRecord(ODD, ODD, "ice", 240, start, None, Status.INTERRUPTED))  # NULLs everywhere allowed
    s.save(SessionRecord("ann", "back", "ice", 180, start, 3, Status.COMPLETED, start + timedelta(seconds=181),
                         180.123456, 2, clock_synced=False))
    s.add_checkin(CheckinRecord(ODD, start, 7, ODD))
    for days, reason in ((25, RungReason.MOVED_UP), (10, RungReason.STEPPED_DOWN), (2, RungReason.SET_BY_CLINICIAN)):
        s.set_rung(RungRecord("sam", "back", 1, NOW - timedelta(days=days), "towel_rub", "tapping", reason))
    s.set_rung(RungRecord(ODD, ODD, 0, start, None, ODD, RungReason.SET_BY_CLINICIAN))
    yield s
    s.close()


def _db_rows(store, table):
    cursor = store.db.execute(f"SELECT * FROM {table} ORDER BY id")
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _stored(record: dict) -> dict:
    """An exported record without the columns the export adds to what is stored."""
    return {k: v for k, v in record.items() if k not in ADDED_COLUMNS}


def _types(store, table):
    return {c.name: c.type.upper() for c in store.db[table].columns}


def _parse(value: str, kind: str):
    if value == "":
        return None
    return int(value) if kind == "INTEGER" else float(value) if kind == "REAL" else value


@pytest.mark.parametrize("table", TABLES)
def test_csv_round_trips_every_row_and_column(store, table):
    out = io.StringIO()
    assert export(store, out, "csv", table) == len(_db_rows(store, TABLES[table]))
    reader = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    types = _types(store, TABLES[table])
    assert reader.fieldnames == [*types, *ADDED_COLUMNS]  # every column, in table order, then the added ones
    back = [{k: _parse(v, types[k]) for k, v in _stored(row).items()} for row in reader]
    assert back == _db_rows(store, TABLES[table])
    assert any(r.get("profile") == ODD for r in back)


@pytest.mark.parametrize("table", TABLES)
def test_json_round_trips_every_row_and_column(store, table):
    out = io.StringIO()
    export(store, out, "json", table)
    assert [_stored(r) for r in json.loads(out.getvalue())] == _db_rows(store, TABLES[table])
    assert out.getvalue().count("\n") == len(_db_rows(store, TABLES[table])) + 2  # one object per line


def test_empty_tables_give_a_header_or_an_empty_list(tmp_path):
    s = Store.open(tmp_path, tz=timezone.utc)
    out = io.StringIO()
    assert export(s, out, "csv") == 0
    assert out.getvalue().startswith("id,profile,area,technique,") and out.getvalue().count("\n") == 1
    out = io.StringIO()
    export(s, out, "json", "checkins")
    assert json.loads(out.getvalue()) == []
    s.close()


def test_times_are_stored_iso_8601(store):
    for row in _db_rows(store, "sessions"):
        assert datetime.fromisoformat(row["started_at"]).utcoffset() == timedelta(0)


@pytest.mark.parametrize("table", TABLES)
def test_profile_and_since_filter_like_sql(store, table):
    columns, rows = fetch(store, table, "sam", date(2024, 3, 20))
    expected = store.db.execute(f"SELECT * FROM {TABLES[table]} WHERE profile = 'sam' AND day >= '2024-03-20'"
                                " ORDER BY id").fetchall()
    assert [row[:-len(ADDED_COLUMNS)] for row in rows] == [tuple(r) for r in expected] and rows
    assert all(r[columns.index("day")] >= "2024-03-20" for r in rows)


def test_cli_export_to_a_file_and_to_stdout(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    data_dir = str(tmp_path)
    out = tmp_path / "sessions.json"
    assert cli.main(["export", "--data-dir", data_dir, "--format", "json", "--out", str(out)]) == 0
    assert [_stored(r) for r in json.loads(out.read_text(encoding="utf-8"))] == _db_rows(store, "sessions")
    assert "sample data" in capsys.readouterr().err
    assert cli.main(["export", "--data-dir", data_dir, "--table", "checkins", "--profile", "sam",
                     "--since", "2024-03-25"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id,profile,at,rating,area,prompted,status,day," + ",".join(ADDED_COLUMNS)
    assert len(lines) - 1 == store.db.execute(
        "SELECT count(*) FROM pain_checkins WHERE profile = 'sam' AND day >= '2024-03-25'").fetchone()[0]


@pytest.mark.parametrize("table", TABLES)
def test_rows_of_a_day_recorded_before_the_clock_was_set_are_marked(tmp_path, table):
    """`unsynced_day` is 1 on every row of a profile's practice day that holds a session
    started before the kiosk's clock was set (clock_synced = 0): its date may be wrong."""
    s = Store.open(tmp_path, tz=timezone.utc)
    for profile, day, synced in (("sam", 20, False), ("sam", 20, True), ("sam", 21, True), ("sam", 22, None),
                                 ("ann", 21, False)):
        start = datetime(2024, 3, day, 9, tzinfo=timezone.utc)
        s.save(SessionRecord(profile, "back", "ice", 240, start, 5, Status.COMPLETED, start, 240.0, 3,
                             clock_synced=synced))
        s.add_checkin(CheckinRecord(profile, start + timedelta(hours=1), 4))
        s.set_rung(RungRecord(profile, "back", 1, start + timedelta(hours=2), "ice", "tapping", RungReason.MOVED_UP))
    columns, rows = fetch(s, table)
    s.close()
    marked = {(row[columns.index("profile")], row[columns.index("day")], row[columns.index("unsynced_day")])
              for row in rows}
    assert marked == {("sam", "2024-03-20", 1), ("sam", "2024-03-21", 0), ("sam", "2024-03-22", 0),
                      ("ann", "2024-03-21", 1)}
