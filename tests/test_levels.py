"""Graded practice's history: every change of an area's level is a `rung_changes` row,
written in the same transaction as the level itself; the recent sessions the move-up rule
looks at; `export --table rung_changes`."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from kiosk import cli, paths
from kiosk.model import RungReason, RungRecord, SessionRecord, Status, StorageProblem
from kiosk.storage import store as store_module
from kiosk.storage.export import TABLES, export
from kiosk.storage.recorder import Recorder
from kiosk.storage.store import Store, StoreError

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path, tz=timezone.utc)
    yield s
    s.close()


def _changes(store) -> list[tuple]:
    return store.db.execute("SELECT profile, area, from_technique, to_technique, at, reason, day"
                            " FROM rung_changes ORDER BY id").fetchall()


def test_a_change_with_a_reason_is_kept_with_the_level(store):
    store.set_rung(RungRecord("sam", "left_foot", 1, T0, "towel_rub", "tapping", RungReason.MOVED_UP))
    store.set_rung(RungRecord("sam", "left_foot", 0, T0 + timedelta(days=1), "tapping", "towel_rub",
                              RungReason.STEPPED_DOWN))
    store.set_rung(RungRecord("ann", "back", 2, T0 + timedelta(days=2, hours=16), None, "ice_rub",
                              RungReason.SET_BY_CLINICIAN))
    assert (store.rung("sam", "left_foot"), store.rung("ann", "back")) == (0, 2)
    assert _changes(store) == [
        ("sam", "left_foot", "towel_rub", "tapping", "2024-03-04T09:00:00+00:00", "moved_up", "2024-03-04"),
        ("sam", "left_foot", "tapping", "towel_rub", "2024-03-05T09:00:00+00:00", "stepped_down", "2024-03-05"),
        ("ann", "back", None, "ice_rub", "2024-03-07T01:00:00+00:00", "set_by_clinician", "2024-03-06"),
    ]


def test_a_level_without_a_reason_has_no_history_row_and_a_repeat_writes_one_row(store):
    store.set_rung(RungRecord("sam", "left_foot", 1, T0))
    assert store.rung("sam", "left_foot") == 1 and _changes(store) == []
    change = RungRecord("sam", "left_foot", 2, T0, "tapping", "ice_rub", RungReason.MOVED_UP)
    store.set_rung(change)
    store.set_rung(change)  # a write repeated after a failure that had in fact landed
    assert len(_changes(store)) == 1


def test_the_level_and_its_row_are_one_transaction(store):
    store.set_rung(RungRecord("sam", "left_foot", 1, T0, "towel_rub", "tapping", RungReason.MOVED_UP))
    store.db.execute("CREATE TRIGGER refuse BEFORE INSERT ON rung_changes BEGIN SELECT RAISE(ABORT, 'full'); END")
    with pytest.raises(StoreError):
        store.set_rung(RungRecord("sam", "left_foot", 2, T0 + timedelta(hours=1), "tapping", "ice_rub",
                                  RungReason.MOVED_UP))
    assert store.rung("sam", "left_foot") == 1 and len(_changes(store)) == 1  # neither was written
    assert not store.db.conn.in_transaction


class _Failing:
    """A store whose writes fail until `failing` is cleared."""

    def __init__(self, store: Store) -> None:
        self.store, self.failing = store, True

    def __getattr__(self, name):
        attribute = getattr(self.store, name)
        if name == "set_rung" and self.failing:
            def fail(*args):
                raise StoreError(StorageProblem.DISK_FULL)
            return fail
        return attribute


def test_changes_waiting_in_the_recorder_are_all_written_in_order(store):
    flaky = _Failing(store)
    now = [0.0]
    recorder = Recorder(flaky, lambda: now[0])
    recorder.save(RungRecord("sam", "left_foot", 1, T0, "towel_rub", "tapping", RungReason.MOVED_UP))
    recorder.save(RungRecord("sam", "left_foot", 0, T0 + timedelta(minutes=5), "tapping", "towel_rub",
                             RungReason.STEPPED_DOWN))
    assert recorder.unsaved and _changes(store) == []
    flaky.failing = False
    now[0] += 60
    recorder.tick()
    assert not recorder.unsaved
    assert [row[5] for row in _changes(store)] == ["moved_up", "stepped_down"]
    assert store.rung("sam", "left_foot") == 0  # the newest level wins


def _session(minutes: int, **changes) -> SessionRecord:
    start = T0 + timedelta(minutes=minutes)
    base = dict(profile="sam", area="left_foot", technique="tapping", planned_seconds=240, started_at=start,
                pain_before=5, status=Status.COMPLETED, ended_at=start + timedelta(minutes=4), active_seconds=240.0,
                pain_after=4, counted=True)
    return SessionRecord(**{**base, **changes})


def test_recent_sessions_are_the_latest_finished_on_that_area_newest_first(store):
    ids = [store.save(_session(m)) for m in (0, 10, 20)]
    store.save(_session(30, status=Status.IN_PROGRESS, ended_at=None, pain_after=None, counted=None))  # running
    store.save(_session(40, area="back"))
    store.save(_session(50, profile="ann"))
    stopped = store.save(_session(5, status=Status.STOPPED_EARLY, active_seconds=20.0, counted=False))
    recent = store.recent_sessions("sam", "left_foot", 2)
    assert [s.id for s in recent] == [ids[2], ids[1]]
    assert recent[0] == store.get(ids[2]) and recent[0].counted is True
    assert [s.id for s in store.recent_sessions("sam", "left_foot", 10)] == [ids[2], ids[1], stopped, ids[0]]
    assert store.recent_sessions("sam", "nowhere", 2) == []


def _fill(store) -> None:
    store.set_rung(RungRecord("sam", "left_foot", 1, T0, "towel_rub", "=HYPERLINK(\"x\")", RungReason.MOVED_UP))
    store.set_rung(RungRecord("sam", "back", 1, T0 + timedelta(days=3), "towel_rub", "tapping",
                              RungReason.SET_BY_CLINICIAN))


def test_export_has_a_rung_changes_table(store):
    assert "rung_changes" in TABLES
    _fill(store)
    out = io.StringIO()
    assert export(store, out, "json", "rung_changes") == 2
    rows = json.loads(out.getvalue())
    assert [(r["area"], r["reason"], r["day"], r["sample"], r["unsynced_day"]) for r in rows] == [
        ("left_foot", "moved_up", "2024-03-04", 0, 0), ("back", "set_by_clinician", "2024-03-07", 0, 0)]
    assert list(rows[0]) == ["id", "profile", "area", "from_technique", "to_technique", "at", "reason", "day",
                             "unsynced_day", "sample"]


def test_cli_exports_rung_changes(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    _fill(store)
    out = tmp_path / "levels.csv"
    assert cli.main(["export", "--data-dir", str(tmp_path), "--table", "rung_changes", "--since", "2024-03-05",
                     "--out", str(out)]) == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert (row["area"], row["from_technique"], row["to_technique"]) == ("back", "towel_rub", "tapping")
    assert capsys.readouterr().err.strip().endswith("1 level change")


def test_an_old_file_has_an_empty_rung_changes_table_to_export(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    path = tmp_path / paths.DB_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    for step in range(1, 5):
        for statement in store_module.MIGRATIONS[step].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={step}")
    conn.execute("INSERT INTO rungs VALUES ('sam', 'back', 2, '2024-03-04T09:00:00+00:00')")
    conn.close()
    before = path.read_bytes()
    assert cli.main(["export", "--data-dir", str(tmp_path), "--table", "rung_changes"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "id,profile,area,from_technique,to_technique,at,reason,day,unsynced_day,sample"]
    assert path.read_bytes() == before
