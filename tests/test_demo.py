"""Sample history: plausible, deterministic for a seed, marked as sample data, and never
mixed into a database that holds real sessions unless asked to."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from kiosk import cli, paths
from kiosk.model import CheckinRecord, SessionRecord
from kiosk.storage.demo import RealDataError, fill_demo, real_rows
from kiosk.storage.queries import is_demo
from kiosk.storage.store import Store

NOW = datetime(2024, 3, 28, 18, 0, tzinfo=timezone.utc)


def _store(path):
    return Store.open(path, tz=timezone.utc)


def _all(store, table):
    return store.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.fixture
def store(tmp_path):
    s = _store(tmp_path)
    yield s
    s.close()


def test_the_same_seed_gives_the_same_history(tmp_path):
    a, b, c = _store(tmp_path / "a"), _store(tmp_path / "b"), _store(tmp_path / "c")
    fill_demo(a, seed=7, now=NOW)
    fill_demo(b, seed=7, now=NOW)
    fill_demo(c, seed=8, now=NOW)
    for table in ("sessions", "pain_checkins"):
        assert _all(a, table) == _all(b, table) != _all(c, table)


def test_history_looks_like_real_practice(store):
    result = fill_demo(store, days=56, profile="sam", seed=0, now=NOW)
    sessions = store.sessions("sam")
    assert result.sessions == len(sessions) and result.last_day.isoformat() == "2024-03-28"
    per_day = Counter(store.day_of(s.started_at) for s in sessions)
    assert len(per_day) >= 0.75 * 56 and set(per_day.values()) <= {1, 2, 3, 4, 5}
    assert all(s.started_at <= NOW for s in sessions)
    hours = Counter(s.started_at.hour for s in sessions)
    assert sum(n for h, n in hours.items() if 7 <= h <= 21) >= 0.95 * len(sessions)
    statuses = Counter(s.status.value for s in sessions)
    assert statuses["completed"] > statuses["stopped_early"] > 0 and statuses["interrupted"] > 0
    assert all(s.ended_at is None and s.pain_after is None for s in sessions if s.status.value == "interrupted")
    assert 2 <= len({s.area for s in sessions}) and 3 <= len({s.technique for s in sessions})
    first = [s.pain_before for s in sessions if store.day_of(s.started_at) < result.first_day + timedelta(14)]
    last = [s.pain_before for s in sessions if store.day_of(s.started_at) > result.last_day - timedelta(14)]
    assert statistics.mean(first) > statistics.mean(last) + 0.5  # pain easing over the weeks
    checkins = store.checkins("sam")
    assert {(c.prompted, c.status) for c in checkins} == {(False, "saved"), (True, "saved"), (True, "missed")}
    assert is_demo(store) and real_rows(store) == (0, 0)


def test_refuses_a_database_with_real_sessions_unless_forced(store):
    real = store.save(SessionRecord("sam", "back", "ice", 240, NOW - timedelta(days=1), 5))
    with pytest.raises(RealDataError) as refused:
        fill_demo(store, now=NOW)
    assert (refused.value.sessions, refused.value.checkins) == (1, 0)
    assert len(_all(store, "sessions")) == 1 and not is_demo(store)
    fill_demo(store, now=NOW, force=True)
    assert store.get(real) is not None and real_rows(store) == (1, 0)


def test_refuses_real_checkins_too(store):
    store.add_checkin(CheckinRecord("sam", NOW, 4))
    with pytest.raises(RealDataError):
        fill_demo(store, now=NOW)


def test_running_again_replaces_the_sample_instead_of_doubling_it(store):
    fill_demo(store, days=14, profile="demo", now=NOW)
    once = _all(store, "sessions")
    fill_demo(store, days=14, profile="demo", now=NOW)
    assert len(_all(store, "sessions")) == len(once)
    assert store.db.execute("SELECT count(*) FROM demo_marker").fetchone()[0] == len(once) + len(
        _all(store, "pain_checkins"))


@pytest.fixture
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")


def test_cli_refuses_a_real_database_and_accepts_with_force(tmp_path, capsys, no_user_config):
    data = tmp_path / "data"
    s = Store.open(data)
    s.save(SessionRecord("sam", "back", "ice", 240, datetime.now(timezone.utc) - timedelta(days=1), 5))
    s.close()
    assert cli.main(["demo-data", "--data-dir", str(data), "--days", "7"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "1 real session" in err and "--force" in err
    assert cli.main(["demo-data", "--data-dir", str(data), "--days", "7", "--force", "--seed", "2"]) == 0
    assert "sample data for profile 'demo'" in capsys.readouterr().out


def test_cli_creates_a_new_database(tmp_path, capsys, no_user_config):
    assert cli.main(["demo-data", "--data-dir", str(tmp_path / "new"), "--profile", "sam", "--days", "3"]) == 0
    assert (tmp_path / "new" / "desens.db").is_file()


@pytest.mark.parametrize("table", ["sessions", "checkins"])
def test_exported_sample_rows_say_so(tmp_path, table, monkeypatch, capsys):
    """Every exported row written by demo-data has sample = 1 (CSV, JSON, and the USB export,
    which uses fetch); real rows have 0, also when a real row took a sample row's id."""
    import csv
    import io
    import json

    from kiosk.storage.export import fetch

    s = _store(tmp_path)
    fill_demo(s, days=5, profile="demo", seed=2, now=NOW)
    for stored in ("sessions", "pain_checkins"):  # the newest sample rows gone: real rows take their ids
        s.db.execute(f"DELETE FROM {stored} WHERE id = (SELECT max(id) FROM {stored})")
    s.db.conn.commit()
    real_start = NOW - timedelta(hours=2)
    s.save(SessionRecord("sam", "back", "ice", 240, real_start, 5))
    s.add_checkin(CheckinRecord("sam", real_start, 4))
    columns, rows = fetch(s, table)
    s.close()
    samples = {row[columns.index("profile")]: set() for row in rows}
    for row in rows:
        samples[row[columns.index("profile")]].add(row[columns.index("sample")])
    assert samples == {"demo": {1}, "sam": {0}}

    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    assert cli.main(["export", "--data-dir", str(tmp_path), "--table", table]) == 0
    exported = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["profile"], r["sample"]) for r in exported} == {("demo", "1"), ("sam", "0")}
    assert cli.main(["export", "--data-dir", str(tmp_path), "--table", table, "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert {(r["profile"], r["sample"]) for r in exported} == {("demo", 1), ("sam", 0)}


def test_a_database_demo_data_never_touched_exports_sample_0(tmp_path):
    from kiosk.storage.export import fetch

    s = _store(tmp_path)
    s.save(SessionRecord("sam", "back", "ice", 240, NOW, 5))
    columns, rows = fetch(s)
    s.close()
    assert [row[columns.index("sample")] for row in rows] == [0]
