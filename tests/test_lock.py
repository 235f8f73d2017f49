"""One writer per data directory: the kiosk holds an exclusive lock on it while it runs, a
second kiosk is told who holds it, and the writing commands (purge, demo-data) refuse
while the kiosk runs and say how to stop it."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiosk import cli, paths
from kiosk.model import SessionRecord, Status, StorageProblem
from kiosk.storage import DataDirInUse, lock_data_dir
from kiosk.storage.store import Store, StoreError

HOLD = ("import sys\n"
        "from kiosk.storage import lock_data_dir\n"
        "held = lock_data_dir(sys.argv[1])\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n")


@pytest.fixture
def other_kiosk(tmp_path):
    """Another process holding the data directory's lock, as a running kiosk does."""
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    if proc.poll() is None:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_the_lock_is_exclusive_and_names_its_holder(tmp_path):
    data = tmp_path / "new" / "data"
    held = lock_data_dir(data)  # the kiosk's first start: the folder is made
    try:
        assert (data / paths.LOCK_NAME).is_file()
        with pytest.raises(DataDirInUse) as info:
            lock_data_dir(data)
        assert info.value.pid == os.getpid() and info.value.problem is StorageProblem.IN_USE
        assert isinstance(info.value, StoreError) and info.value.path == data
    finally:
        held.release()
    lock_data_dir(data).release()  # free again


def test_a_second_kiosk_is_told_which_process_holds_it(tmp_path, other_kiosk):
    with pytest.raises(DataDirInUse) as info:
        lock_data_dir(tmp_path / "data")
    assert info.value.pid == other_kiosk.pid
    assert f"process {other_kiosk.pid}" in str(info.value)


def test_a_killed_kiosk_leaves_no_lock_behind(tmp_path, other_kiosk):
    other_kiosk.send_signal(signal.SIGKILL)  # power cut, OOM kill: the kernel lets go of it
    other_kiosk.wait(timeout=30)
    lock_data_dir(tmp_path / "data").release()


@pytest.fixture
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [["purge", "--before", "2999-01-01", "--yes"], ["demo-data", "--force"]])
def test_writing_commands_refuse_while_the_kiosk_runs(tmp_path, other_kiosk, no_user_config, capsys, command):
    data = tmp_path / "data"
    store = Store.open(data)
    started = datetime(2024, 3, 4, 9, tzinfo=timezone.utc)
    store.save(SessionRecord("sam", "back", "ice", 240, started, 5, Status.COMPLETED, started, 240.0, 3))
    store.close()
    before = _fingerprint(data / paths.DB_NAME)
    assert cli.main([*command, "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"the kiosk is running on {data} (process {other_kiosk.pid})" in err
    assert "sudo systemctl stop desens-kiosk" in err
    assert _fingerprint(data / paths.DB_NAME) == before


def test_writing_commands_work_once_the_kiosk_stopped(tmp_path, other_kiosk, no_user_config, capsys):
    data = tmp_path / "data"
    other_kiosk.stdin.close()
    other_kiosk.wait(timeout=30)
    assert cli.main(["demo-data", "--data-dir", str(data), "--days", "3"]) == 0
    assert cli.main(["purge", "--data-dir", str(data), "--before", "2999-01-01", "--yes"]) == 0
    lock_data_dir(data).release()  # and they let go of it when done


def test_reading_commands_need_no_lock(tmp_path, other_kiosk, no_user_config, capsys):
    data = tmp_path / "data"
    Store.open(data).close()
    assert cli.main(["export", "--data-dir", str(data)]) == 0


def test_export_refuses_to_write_over_the_lock_file(tmp_path, other_kiosk, no_user_config, capsys):
    data = tmp_path / "data"
    Store.open(data).close()
    assert cli.main(["export", "--data-dir", str(data), "--out", str(data / paths.LOCK_NAME)]) == 1
    assert "that is the data folder's lock file" in capsys.readouterr().err
