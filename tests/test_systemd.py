"""The appliance files: desens-kiosk.service and install-pi.sh (never run for real here)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "systemd" / "desens-kiosk.service"
SCRIPT = ROOT / "systemd" / "install-pi.sh"
VENV_SCRIPT = "/opt/desens-kiosk/venv/bin/desens-kiosk"


def directives(path: Path = UNIT) -> dict[str, list[str]]:
    """Every Key=value of a unit file (comments skipped), values in order of appearance."""
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line[0] in "#;[":
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_unit_has_the_required_settings():
    d = directives()
    expected = {
        "User": "desens", "StateDirectory": "desens-kiosk", "RuntimeDirectory": "desens-kiosk",
        "Restart": "always", "Type": "notify", "TTYPath": "/dev/tty1", "StandardInput": "tty",
        "StandardOutput": "journal", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
        "ProtectHome": "yes", "PrivateTmp": "yes", "StartLimitIntervalSec": "0",
    }
    for key, value in expected.items():
        assert d.get(key) == [value], key
    assert "getty@tty1.service" in " ".join(d["Conflicts"]).split()
    assert d["WatchdogSec"] and d["RestartSec"]
    environment = d["Environment"]
    for setting in ("SDL_VIDEODRIVER=kmsdrm", "SDL_AUDIODRIVER=alsa", "LG_WD=%t/desens-kiosk",
                    "GPIOZERO_PIN_FACTORY=lgpio"):
        assert setting in environment


def test_unit_avoids_what_breaks_the_pi():
    d = directives()
    assert d.get("PrivateDevices", ["no"]) != ["yes"]  # would hide /dev/dri
    for key in ("SupplementaryGroups", "MemoryDenyWriteExecute", "DeviceAllow", "ProtectClock",
                "PrivateUsers", "ProcSubset"):
        assert key not in d, key


def test_exec_start_runs_the_venv_script_directly():
    """WatchdogSec= means NotifyAccess=main: the kiosk itself must be the main process."""
    (exec_start,) = directives()["ExecStart"]
    assert exec_start.split() == [VENV_SCRIPT, "run", "--fullscreen"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_unit_passes_systemd_analyze_verify(tmp_path):
    # verify insists that ExecStart= exists: point it at a stand-in with the same arguments.
    stand_in = tmp_path / "desens-kiosk"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    unit = tmp_path / UNIT.name
    text = UNIT.read_text()
    assert f"ExecStart={VENV_SCRIPT} " in text
    unit.write_text(text.replace(f"ExecStart={VENV_SCRIPT} ", f"ExecStart={stand_in} "))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)],
                            capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Unknown keys and bad values are only warnings (exit 0): any line about our unit fails.
    ours = [line for line in output.splitlines() if UNIT.name in line or "desens" in line]
    assert ours == []


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="shellcheck not installed")
def test_install_script_is_shellcheck_clean():
    result = subprocess.run(["shellcheck", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def dry_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), "--dry-run", *args], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_install_script_is_executable():
    assert os.access(SCRIPT, os.X_OK)


def test_dry_run_prints_the_steps_and_changes_nothing():
    before = Path("/opt/desens-kiosk").exists()
    result = dry_run()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "apt-get install" in out
    for package in ("python3-pygame", "python3-gpiozero", "python3-lgpio", "python3-venv",
                    "libegl1", "libegl-mesa0", "libgles2", "libgbm1", "alsa-utils"):
        assert package in out
    user_exists = subprocess.run(["id", "-u", "desens"], capture_output=True).returncode == 0
    assert ("user desens already exists" in out) if user_exists else ("would run: useradd --system" in out)
    assert "--system-site-packages /opt/desens-kiosk/venv" in out or "venv present" in out
    assert "--constraint" in out and "--no-deps" in out
    assert "systemctl enable desens-kiosk.service" in out
    if Path("/run/systemd/system").is_dir() and "tty1" not in out:
        assert "systemctl restart desens-kiosk.service" in out
    assert Path("/opt/desens-kiosk").exists() == before


def test_dry_run_no_start_does_not_restart():
    result = dry_run("--no-start")
    assert result.returncode == 0, result.stderr
    assert "systemctl enable desens-kiosk.service" in result.stdout
    assert "systemctl restart" not in result.stdout
    assert "--no-start" in result.stdout


def test_unknown_option_is_refused():
    result = dry_run("--frobnicate")
    assert result.returncode == 2
    assert "unknown option" in result.stderr and "Usage" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="as root the script would really install")
def test_needs_root_without_dry_run():
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "must be run as root" in result.stderr


def test_quit_for_maintenance_is_not_restarted():
    from kiosk.app import EXIT_MAINTENANCE

    assert directives()["RestartPreventExitStatus"] == [str(EXIT_MAINTENANCE)]


def test_usb_drives_get_mounted_for_the_clinicians_export():
    rule = (ROOT / "systemd" / "99-desens-kiosk-usb.rules").read_text()
    assert "systemd-mount" in rule and "/media/desens-usb-" in rule and "--owner=desens" in rule
    assert directives()["ReadWritePaths"] == ["-/media -/run/media"]
    has_udisks = subprocess.run(["dpkg", "-s", "udisks2"], capture_output=True).returncode == 0
    output = dry_run().stdout
    assert ("/etc/udev/rules.d/99-desens-kiosk-usb.rules" in output) != has_udisks
