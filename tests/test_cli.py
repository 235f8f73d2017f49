"""The command line contract: `run` by default, `check-config` exit codes and output,
and where config and data are looked for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli, paths


def test_check_config_accepts_the_bundled_defaults(capsys, monkeypatch):
    monkeypatch.delenv("DESENS_KIOSK_CONFIG", raising=False)
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", Path("/nonexistent/config.yaml"))
    assert cli.main(["check-config"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "bundled defaults" in out[0] and "OK" in out[0]
    assert "13 techniques" in out[0]


def test_check_config_reports_every_problem_with_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("daily_target: 40\nsesion:\n  duration: 4m\nbuttons:\n  up: 99\n")
    assert cli.main(["check-config", str(bad)]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    for line in lines:
        assert re.match(rf"^{re.escape(str(bad))}:\d+: \S+: .+$", line), line
    joined = "\n".join(lines)
    assert f"{bad}:1: daily_target:" in joined
    assert f"{bad}:2: sesion:" in joined and "did you mean 'session'" in joined
    assert f"{bad}:5: buttons.up:" in joined


def test_check_config_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"session: [\xff\xfe")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "check-config", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(f"{bad}:1: ")


def test_check_config_missing_file(tmp_path, capsys):
    assert cli.main(["check-config", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml:1:" in capsys.readouterr().out


def test_check_config_warns_but_passes_for_a_short_session(tmp_path, capsys):
    short = tmp_path / "short.yaml"
    short.write_text("session:\n  duration: 90s\n")
    assert cli.main(["check-config", str(short)]) == 0
    captured = capsys.readouterr()
    assert "OK" in captured.out and "1:30" in captured.out
    assert f"{short}:2: session.duration: warning:" in captured.err


def test_run_is_the_default_command():
    args = cli.parser().parse_args(["run", "--size", "480x320", "--windowed"])
    assert args.command == "run" and args.size == (480, 320) and args.fullscreen is False
    assert cli.parser().parse_args(["run", "--fullscreen"]).fullscreen is True
    assert cli.parser().parse_args(["run"]).fullscreen is None


@pytest.mark.parametrize("bad", ["big", "800", "10x10", "800x"])
def test_bad_sizes_are_refused(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--size", bad])
    assert exit_info.value.code == 2
    assert "--size" in capsys.readouterr().err


def test_config_lookup_order(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "etc.yaml")
    assert paths.user_config_path(None, {}) is None
    (tmp_path / "etc.yaml").write_text("")
    assert paths.user_config_path(None, {}) == tmp_path / "etc.yaml"
    assert paths.user_config_path(None, {"DESENS_KIOSK_CONFIG": "/e.yaml"}) == Path("/e.yaml")
    assert paths.user_config_path("/c.yaml", {"DESENS_KIOSK_CONFIG": "/e.yaml"}) == Path("/c.yaml")


def test_data_dir_lookup_order():
    env = {"HOME": "/home/kid", "XDG_DATA_HOME": "/xdg"}
    assert paths.data_dir(None, env) == Path("/xdg/desens-kiosk")
    env["STATE_DIRECTORY"] = "/var/lib/desens-kiosk:/other"
    assert paths.data_dir(None, env) == Path("/var/lib/desens-kiosk")
    env["DESENS_KIOSK_DATA"] = "/data"
    assert paths.data_dir(None, env) == Path("/data")
    assert paths.data_dir("/cli", env) == Path("/cli")


def test_bundled_files_are_found():
    assert paths.default_config_path().is_file()
    for cue in ("start", "step", "half", "end"):
        assert (paths.sounds_dir() / f"{cue}.wav").is_file()
