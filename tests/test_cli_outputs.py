"""The clinician's tools never harm what they read: `export --out` and `report --out` refuse
the database, its -wal and -shm and the settings file (also by a symlink or `..`), and
every output appears whole or not at all (a temporary file in the same folder, renamed)."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiosk import cli, paths
from kiosk.model import SessionRecord, Status
from kiosk.storage.store import Store

START = datetime(2024, 3, 4, 9, tzinfo=timezone.utc)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    data = tmp_path / "data"
    store = Store.open(data)
    store.save(SessionRecord("sam", "back", "ice", 240, START, 5, Status.COMPLETED, START, 240.0, 3))
    store.close()
    return data


@pytest.fixture
def fake_report(monkeypatch):
    """The report drawing replaced by one that writes a few bytes where it is told to."""
    module = types.SimpleNamespace(save_report=lambda data, path: Path(path).write_bytes(b"png"))
    monkeypatch.setitem(sys.modules, "kiosk.render.report_page", module)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _refused(argv: list[str], capsys) -> str:
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    return err


def _crash_leaving_the_log(data_dir: Path) -> None:
    """A kiosk that wrote a session and was cut off: the row is only in desens.db-wal."""
    code = ("import os, sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute(\"UPDATE sessions SET pain_after = 1\")\n"
            "c.commit()\n"
            "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", code, str(data_dir / paths.DB_NAME)], check=True, timeout=60)
    assert (data_dir / f"{paths.DB_NAME}-wal").stat().st_size > 0 and (data_dir / f"{paths.DB_NAME}-shm").exists()


@pytest.mark.parametrize("name", ["desens.db", "desens.db-wal", "desens.db-shm"])
def test_export_refuses_to_write_over_the_database(data_dir, name):
    _crash_leaving_the_log(data_dir)
    before = _snapshot(data_dir)
    # In a child process: before this was refused, writing over the -shm the export itself
    # had mapped ended it with SIGBUS.
    done = subprocess.run([sys.executable, "-m", "kiosk", "export", "--data-dir", str(data_dir),
                           "--out", str(data_dir / name)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DESENS_KIOSK_CONFIG": ""})
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert f"--out {data_dir / name}: that is the database" in done.stderr
    assert _snapshot(data_dir) == before
    reopened = Store(data_dir / paths.DB_NAME)
    assert [s.pain_after for s in reopened.sessions()] == [1]  # the row in the log is still there
    reopened.close()


def test_export_refuses_the_database_by_a_symlink_or_dot_dot(data_dir, tmp_path, capsys):
    before = _snapshot(data_dir)
    (tmp_path / "looks-fine.csv").symlink_to(data_dir / paths.DB_NAME)
    (tmp_path / "linked-folder").symlink_to(data_dir)
    for out in (tmp_path / "looks-fine.csv", tmp_path / "linked-folder" / paths.DB_NAME,
                f"{data_dir}/nowhere/../{paths.DB_NAME}"):
        err = _refused(["export", "--data-dir", str(data_dir), "--out", str(out)], capsys)
        assert f"--out {out}: that is the database" in err
    assert _snapshot(data_dir) == before


def test_export_refuses_the_settings_file(data_dir, tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text("daily_target: 3\n")
    (tmp_path / "settings-link").symlink_to(config)
    for out in (config, tmp_path / "settings-link"):
        err = _refused(["export", "--config", str(config), "--data-dir", str(data_dir), "--out", str(out)], capsys)
        assert f"--out {out}: that is the settings file" in err
    assert config.read_text() == "daily_target: 3\n"


def test_report_refuses_the_database_even_with_a_png_name(data_dir, tmp_path, capsys, fake_report):
    before = _snapshot(data_dir)
    (tmp_path / "report.png").symlink_to(data_dir / paths.DB_NAME)
    err = _refused(["report", "--data-dir", str(data_dir), "--out", str(tmp_path / "report.png")], capsys)
    assert "that is the database" in err
    assert _snapshot(data_dir) == before


def test_a_failed_export_leaves_the_earlier_file_whole(data_dir, tmp_path, capsys, monkeypatch):
    from kiosk.storage import export as exporting

    out = tmp_path / "sessions.csv"
    out.write_text("the export of last week\n")

    def half_then_fail(columns, rows, stream):
        stream.write("id,prof")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exporting, "write_csv", half_then_fail)
    assert cli.main(["export", "--data-dir", str(data_dir), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"desens-kiosk export: cannot write {out}: No space left on device\n"
    assert out.read_text() == "the export of last week\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "sessions.csv"]  # no temporary file left


def test_an_export_replaces_the_file_whole(data_dir, tmp_path, capsys):
    out = tmp_path / "sessions.csv"
    out.write_text("the export of last week\n")
    reader = open(out, encoding="utf-8")  # a program that has the old file open keeps reading the old file
    try:
        assert cli.main(["export", "--data-dir", str(data_dir), "--out", str(out)]) == 0
        assert reader.read() == "the export of last week\n"
    finally:
        reader.close()
    assert out.read_text(encoding="utf-8").startswith("id,profile,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "sessions.csv"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failed_report_leaves_the_earlier_file_whole(data_dir, tmp_path, capsys, monkeypatch):
    out = tmp_path / "report.png"
    out.write_bytes(b"last week's report")

    def half_then_fail(data, path):
        Path(path).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(sys.modules, "kiosk.render.report_page", types.SimpleNamespace(save_report=half_then_fail))
    assert cli.main(["report", "--data-dir", str(data_dir), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"desens-kiosk report: cannot write {out}: No space left on device\n"
    assert out.read_bytes() == b"last week's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "report.png"]
