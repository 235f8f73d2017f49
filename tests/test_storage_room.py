"""Storage speaks codes, the edges speak words: storage imports no words, views, drawing or
pygame; SQL and sqlite3 live only in kiosk/storage; every StorageProblem has words in
kiosk.text, for the screen and for the command line."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kiosk import cli, paths, text
from kiosk.model import StorageProblem
from kiosk.storage.store import Store, StoreError

PACKAGE = Path(__file__).resolve().parent.parent / "kiosk"


def test_storage_imports_no_words_views_drawing_or_pygame():
    modules = sorted(f"kiosk.storage.{p.stem}" for p in (PACKAGE / "storage").glob("*.py") if p.stem != "__init__")
    code = ("import json, sys\n"
            f"for name in {modules!r}: __import__(name)\n"
            "print(json.dumps(sorted(sys.modules)))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True, timeout=60).stdout))
    assert {"kiosk.storage.store", "kiosk.storage.demo", "kiosk.storage.export"} <= loaded
    forbidden = {"kiosk.text", "kiosk.views", "pygame"} | {m for m in loaded if m.startswith("kiosk.render")}
    assert not loaded & forbidden


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_storage_talks_to_sqlite():
    outside = [p for p in PACKAGE.rglob("*.py") if "storage" not in p.relative_to(PACKAGE).parts]
    assert PACKAGE / "cli.py" in outside
    talking = [str(p.relative_to(PACKAGE)) for p in outside
               if {"sqlite3", "sqlite_utils"} & {name.split(".")[0] for name in _imports(p)}]
    assert talking == []


def test_every_storage_problem_has_words():
    assert set(text.STORAGE_REASONS) == set(StorageProblem)
    for problem in StorageProblem:
        assert text.storage_reason(problem) == text.STORAGE_REASONS[problem] and text.STORAGE_REASONS[problem]
        # the child's screen says plain words, never the reason (that is for the clinician)
        assert text.storage_problem(problem) == text.SESSIONS_NOT_SAVED
    assert text.storage_problem(StorageProblem.DISK_FULL) == text.storage_problem(text.DISK_FULL)
    assert text.storage_reason("a reason given in words") == "a reason given in words"


def test_a_store_error_carries_code_detail_and_path(tmp_path):
    err = StoreError(StorageProblem.LOCKED, "database is locked", tmp_path / "desens.db")
    assert (err.problem, err.reason, err.detail) == (StorageProblem.LOCKED, StorageProblem.LOCKED, "database is locked")
    assert str(err) == f"{tmp_path / 'desens.db'}: the database is locked by another program (database is locked)"
    older = StoreError("the disk is full")  # a reason in the log's words still finds its code
    assert older.problem is StorageProblem.DISK_FULL
    unknown = StoreError("something odd")
    assert (unknown.problem, unknown.detail) == (StorageProblem.FAILED, "something odd")


def test_command_line_words_for_storage_problems(tmp_path):
    db = tmp_path / "desens.db"
    assert text.storage_failure(StorageProblem.MISSING, db) == f"no database at {db}"
    assert text.storage_failure(StorageProblem.UNREADABLE, db, "permission denied") == (
        f"cannot read {db}: permission denied")
    assert text.storage_failure(StorageProblem.NOT_A_FILE, db) == f"{db} is not a database file"
    assert text.storage_failure(StorageProblem.DAMAGED, db) == f"cannot open {db}: the database file is damaged"
    assert text.storage_failure(StorageProblem.DISK_FULL) == "the disk is full"
    assert text.storage_failure(StorageProblem.FAILED, None, "no such table: x") == (
        "the database reported an error: no such table: x")


def test_a_locked_database_is_one_clean_line_from_the_command_line(tmp_path, capsys, monkeypatch):
    import sqlite3
    from datetime import datetime, timezone

    from kiosk.model import SessionRecord, Status

    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    store = Store.open(tmp_path)
    old = datetime(2020, 1, 1, 9, tzinfo=timezone.utc)
    store.save(SessionRecord("sam", "back", "ice", 240, old, 5, Status.COMPLETED, old, 240.0, 3))
    store.close()
    other = sqlite3.connect(tmp_path / paths.DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer: purge can read, but not delete
    try:
        assert cli.main(["purge", "--data-dir", str(tmp_path), "--before", "2024-01-01", "--yes"]) == 1
    finally:
        other.close()
    assert capsys.readouterr().err == "desens-kiosk purge: the database is locked by another program\n"


def test_a_sqlite_error_inside_a_query_is_a_store_error(tmp_path):
    from kiosk.storage.export import fetch
    from kiosk.storage.queries import profiles_in
    from kiosk.storage.retention import purge_counts

    store = Store.open(tmp_path)
    for statement in ("DROP VIEW daily_summary", "DROP VIEW pain_readings", "DROP TABLE sessions"):
        store.db.execute(statement)
    try:
        for read in (lambda: fetch(store), lambda: purge_counts(store, date(2024, 1, 1)), lambda: profiles_in(store)):
            with pytest.raises(StoreError) as info:
                read()
            assert info.value.problem is StorageProblem.FAILED and "no such table: sessions" in info.value.detail
    finally:
        store.close()
