"""What leaves the kiosk carries only what it should: CSV cells a spreadsheet would run as a
formula come out inert (OWASP's rule for CSV injection) in `export` and in the rows the
USB export writes; in the data directory every file is 0600 and the folder 0700."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiosk import cli, paths
from kiosk.model import CheckinRecord, SessionRecord, Status
from kiosk.storage import lock_data_dir
from kiosk.storage.export import fetch, write_csv
from kiosk.storage.store import Store

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)
FORMULA = '=HYPERLINK("http://example.com","click")'


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_cells_a_spreadsheet_would_run_are_written_inert():
    out = io.StringIO()
    dangerous = [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
    write_csv(["text", "count", "change", "ok"], [(d, -3, -1.5, "back") for d in dangerous], out)
    rows = _cells(out.getvalue())
    assert rows[0] == ["text", "count", "change", "ok"]
    assert [row[0] for row in rows[1:]] == ["'" + d for d in dangerous]
    assert all(row[1:] == ["-3", "-1.5", "back"] for row in rows[1:])  # numbers stay numbers


def test_harmless_cells_are_written_as_they_are():
    out = io.StringIO()
    write_csv(["a", "b", "c", "d"], [("Towel rub", "2024-03-04T09:00:00+00:00", None, "a=b"), (0, 1.25, "", "x-y")],
              out)
    assert _cells(out.getvalue())[1:] == [["Towel rub", "2024-03-04T09:00:00+00:00", "", "a=b"],
                                         ["0", "1.25", "", "x-y"]]


@pytest.fixture
def formula_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    data = tmp_path / "data"
    store = Store.open(data, tz=timezone.utc)
    store.save(SessionRecord("@sam", "-back", FORMULA, 240, T0, 6, Status.COMPLETED, T0, 240.0, 4))
    store.add_checkin(CheckinRecord("@sam", T0, 5, "+cmd"))
    store.close()
    return data


def test_the_export_command_writes_formulas_inert(formula_dir, capsys):
    assert cli.main(["export", "--data-dir", str(formula_dir)]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert (row["profile"], row["area"], row["technique"]) == ("'@sam", "'-back", "'" + FORMULA)
    assert (row["pain_before"], row["active_seconds"]) == ("6", "240.0")
    assert cli.main(["export", "--data-dir", str(formula_dir), "--table", "checkins"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert (row["profile"], row["area"], row["rating"]) == ("'@sam", "'+cmd", "5")
    assert cli.main(["export", "--data-dir", str(formula_dir), "--format", "json"]) == 0
    assert FORMULA.replace('"', '\\"') in capsys.readouterr().out  # JSON keeps the text exactly: no spreadsheet runs it


def test_the_usb_exports_rows_come_out_inert(formula_dir):
    """The USB export writes what fetch reads with write_csv, as here."""
    store = Store.open(formula_dir, tz=timezone.utc)
    try:
        columns, rows = fetch(store, "sessions", since=T0.date())
    finally:
        store.close()
    out = io.StringIO()
    write_csv(columns, rows, out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["technique"] == "'" + FORMULA and row["pain_after"] == "4"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # files 0644 and folders 0755 unless the kiosk says otherwise
    yield
    os.umask(old)


def test_a_new_data_directory_is_private(tmp_path, open_umask):
    data = tmp_path / "var" / "data"
    held = lock_data_dir(data)
    store = Store.open(data)
    try:
        store.save(SessionRecord("sam", "back", "ice", 240, T0, 6))
        names = {p.name for p in data.iterdir()}
        assert {paths.DB_NAME, f"{paths.DB_NAME}-wal", f"{paths.DB_NAME}-shm", paths.LOCK_NAME} <= names
        assert _mode(data) == 0o700
        assert {p.name: _mode(p) for p in data.iterdir()} == {name: 0o600 for name in names}
    finally:
        store.close()
        held.release()


def test_an_existing_data_directory_is_made_private(tmp_path, open_umask):
    data = tmp_path / "data"
    Store.open(data).close()
    data.chmod(0o755)
    (data / paths.DB_NAME).chmod(0o644)
    (data / paths.LOCK_NAME).write_text("")
    (data / paths.LOCK_NAME).chmod(0o644)
    lock_data_dir(data).release()
    store = Store.open(data)
    try:
        store.save(SessionRecord("sam", "back", "ice", 240, T0, 6))
        assert _mode(data) == 0o700
        assert {p.name: _mode(p) for p in data.iterdir()} == {p.name: 0o600 for p in data.iterdir()}
    finally:
        store.close()


def test_a_damaged_copy_is_private(tmp_path, open_umask):
    data = tmp_path / "data"
    data.mkdir()
    (data / paths.DB_NAME).write_bytes(b"not a database " * 100)
    (data / paths.DB_NAME).chmod(0o644)
    store = Store.open(data, now=T0)
    try:
        assert store.moved_aside is not None and _mode(store.moved_aside) == 0o600
        assert _mode(data / paths.DB_NAME) == 0o600
    finally:
        store.close()
