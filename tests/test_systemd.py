"""The appliance files: desens-kiosk.service and install-pi.sh (never run for real here)."""

import os
import shlex
import pwd
import shutil
import subprocess
import time
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
                    "GPIOZERO_PIN_FACTORY=lgpio", "SDL_RENDER_VSYNC=1"):
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


# What the script's probes see on a Pi with Raspberry Pi OS Lite: Debian's default target
# (graphical.target, even without a desktop), no display manager, udisks2 installed (pi-gen
# stage2 has shipped it since 2021), a clock file that is fine. A test changes what it needs.
LITE = {"DEFAULT_TARGET": "graphical.target", "DISPLAY_MANAGER": "none", "DESKTOP_SESSION": "no",
        "INSTALLED": "udisks2", "APT_HAS": "fake-hwclock", "CLOCK_SYNCED": "yes",
        "TIMESYNC_CLOCK": "/nonexistent/timesync/clock"}


def dry_run(*args: str, env: dict[str, str] | None = None, **fakes: str) -> subprocess.CompletedProcess:
    """The script with --dry-run, its probes answered by LITE overridden by `fakes`."""
    environment = {**os.environ, **(env or {})}
    environment.update({f"INSTALL_PI_FAKE_{name}": value for name, value in {**LITE, **fakes}.items()})
    return subprocess.run(["bash", str(SCRIPT), "--dry-run", *args], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL, env=environment)


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
    runs = [line for line in rule.splitlines() if "RUN{program}" in line]
    assert len(runs) == 3 and all("--no-block" in line for line in runs)
    assert "--umount --no-block" in runs[-1]


def test_lite_with_udisks2_gets_the_usb_rule():
    """udisks2 mounts nothing without a desktop: on Lite the rule is what mounts drives."""
    result = dry_run()
    assert result.returncode == 0, result.stderr
    assert "install -m 0644 " in result.stdout
    assert "/etc/udev/rules.d/99-desens-kiosk-usb.rules" in result.stdout
    assert "udisks2 is installed but mounts nothing without a desktop" in result.stdout
    assert "This Pi boots to a desktop" not in result.stdout  # graphical.target alone is not a desktop


def test_a_desktop_session_mounts_drives_itself():
    result = dry_run(DESKTOP_SESSION="yes")
    assert result.returncode == 0, result.stderr
    assert "would run: install -m 0644 " + str(ROOT / "systemd" / "99-desens-kiosk-usb.rules") not in result.stdout
    assert "a desktop session mounts USB drives here" in result.stdout


def test_mesa_drivers_are_installed():
    """libegl-mesa0 does not pull in vc4/v3d: without libgl1-mesa-dri EGL fails, black screen."""
    result = dry_run()
    (install,) = [line for line in result.stdout.splitlines() if "apt-get install" in line]
    assert "libgl1-mesa-dri" in install.split()


def test_desktop_image_is_told_what_to_do_and_nothing_changes():
    result = dry_run(DISPLAY_MANAGER="active")
    assert result.returncode == 1
    out = result.stdout
    assert "This Pi boots to a desktop" in out
    assert "sudo raspi-config nonint do_boot_behaviour B1 && sudo reboot" in out
    assert "sudo systemd/install-pi.sh --desktop" in out
    assert "would run" not in out and "would write" not in out


def test_desktop_image_being_built_in_a_chroot_is_recognised_too():
    """No display manager running (a chroot), but one starts at boot into graphical.target."""
    assert dry_run(DISPLAY_MANAGER="enabled").returncode == 1
    result = dry_run(DISPLAY_MANAGER="enabled", DEFAULT_TARGET="multi-user.target")  # switched to console
    assert result.returncode == 0, result.stdout + result.stderr
    assert "systemctl enable desens-kiosk.service" in result.stdout


def test_desktop_option_autostarts_a_window_for_the_desktop_user():
    user = pwd.getpwuid(os.getuid())
    result = dry_run(f"--desktop={user.pw_name}", DISPLAY_MANAGER="active")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    entry = f"{user.pw_dir}/.config/autostart/desens-kiosk.desktop"
    assert f"would write {entry}:" in out
    assert "| Exec=env PYGAME_HIDE_SUPPORT_PROMPT=1 /opt/desens-kiosk/venv/bin/desens-kiosk run --fullscreen" in out
    assert "| Type=Application" in out and "| [Desktop Entry]" in out
    assert "systemctl enable" not in out and "useradd" not in out
    assert "/etc/udev/rules.d/99-desens-kiosk-usb.rules" not in out  # the desktop mounts drives
    assert "PipeWire" in out
    assert f"The kiosk starts when {user.pw_name} logs in to the desktop" in out


def test_desktop_option_takes_the_user_who_ran_sudo():
    user = pwd.getpwuid(os.getuid()).pw_name
    result = dry_run("--desktop", env={"SUDO_USER": user}, DISPLAY_MANAGER="active")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/.config/autostart/desens-kiosk.desktop:" in result.stdout
    nobody = dry_run("--desktop", env={"SUDO_USER": ""}, DISPLAY_MANAGER="active")
    assert nobody.returncode == 1 and "whose desktop?" in nobody.stderr
    assert "would run" not in nobody.stdout


def test_desktop_option_is_refused_on_lite():
    result = dry_run("--desktop=root")
    assert result.returncode == 1
    assert "--desktop is for the Desktop image" in result.stderr


def test_a_clock_file_that_is_a_directory_is_replaced(tmp_path):
    """Some Trixie images ship /var/lib/systemd/timesync/clock as a directory (pi-gen#921)."""
    clock = tmp_path / "timesync" / "clock"
    clock.mkdir(parents=True)
    result = dry_run(TIMESYNC_CLOCK=str(clock))
    assert result.returncode == 0, result.stderr
    assert "not a plain file" in result.stdout
    assert f"would run: rm -rf -- {clock}" in result.stdout
    (replace,) = [line for line in result.stdout.splitlines() if "/dev/null" in line]
    assert replace.startswith("    would run: install -m 0644") and replace.endswith(f"/dev/null {clock}")
    assert clock.is_dir()  # a dry run changes nothing


def test_a_clock_file_dated_in_the_future_is_dated_now_once_the_clock_is_synchronised(tmp_path):
    clock = tmp_path / "clock"
    clock.write_text("")
    future = time.time() + 400 * 86400
    os.utime(clock, (future, future))
    synced = dry_run(TIMESYNC_CLOCK=str(clock), CLOCK_SYNCED="yes")
    assert "in the future" in synced.stdout and f"would run: touch -- {clock}" in synced.stdout
    unsynced = dry_run(TIMESYNC_CLOCK=str(clock), CLOCK_SYNCED="no")
    assert "touch" not in unsynced.stdout and "left as it is" in unsynced.stdout
    os.utime(clock, (time.time() - 60, time.time() - 60))
    fine = dry_run(TIMESYNC_CLOCK=str(clock))
    assert "fine (dated" in fine.stdout and "touch" not in fine.stdout


def test_fake_hwclock_where_apt_has_it():
    (install,) = [line for line in dry_run().stdout.splitlines() if "apt-get install" in line]
    assert "fake-hwclock" in install.split()
    trixie = dry_run(APT_HAS="").stdout
    (install,) = [line for line in trixie.splitlines() if "apt-get install" in line]
    assert "fake-hwclock" not in install.split()
    assert "Trixie dropped it" in trixie and "RTC" in trixie
    already = dry_run(INSTALLED="udisks2 fake-hwclock").stdout
    assert "fake-hwclock is installed" in already


def test_the_journal_is_capped():
    out = dry_run().stdout
    assert "would write /etc/systemd/journald.conf.d/desens-kiosk.conf:" in out
    assert "| [Journal]" in out and "| SystemMaxUse=64M" in out


def test_upgrade_is_offered_and_done_on_request():
    plain = dry_run().stdout
    assert "full-upgrade -y" not in plain and "--upgrade" in plain
    upgraded = dry_run("--upgrade").stdout
    assert "would run: env DEBIAN_FRONTEND=noninteractive apt-get full-upgrade -y" in upgraded


def fake_tools(folder: Path, update_status: int, install_status: int = 0) -> Path:
    """apt-get, apt-cache, dpkg-query and timedatectl stand-ins on a PATH of their own: apt-get
    refuses `update` as it does with a clock a year off, and logs what it was asked."""
    folder.mkdir()
    scripts = {
        "apt-get": f"""echo "$*" >> {folder}/apt-get.log
case $1 in
  update) echo "E: Release file for http://deb.debian.org/debian/dists/bookworm/InRelease is not valid yet" >&2; exit {update_status} ;;
  install) exit {install_status} ;;
esac""",
        "apt-cache": 'echo "  Candidate: (none)"',
        "dpkg-query": "exit 1",
        "timedatectl": "echo no",
    }
    for name, body in scripts.items():
        (folder / name).write_text("#!/bin/sh\n" + body + "\n")
        (folder / name).chmod(0o755)
    return folder


def install_packages_with(tools: Path) -> subprocess.CompletedProcess:
    """install_packages() for real (not a dry run), on the stand-in tools."""
    return subprocess.run(["bash", "-c", f"source {SCRIPT} && install_packages"], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"})


def test_apt_update_failing_on_a_far_off_clock_says_so_and_carries_on(tmp_path):
    tools = fake_tools(tmp_path / "bin", update_status=100)
    result = install_packages_with(tools)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "apt-get update failed: carrying on with the package lists this Pi already has" in result.stderr
    assert "by this Pi's clock; is that right?" in result.stdout
    assert "sudo date -s" in result.stdout  # not synchronised: how to set it
    log = (tools / "apt-get.log").read_text().splitlines()
    assert log[0] == "update" and log[1].startswith("install -y --no-install-recommends")


def test_apt_install_failing_stops_with_the_reason(tmp_path):
    tools = fake_tools(tmp_path / "bin", update_status=100, install_status=100)
    result = install_packages_with(tools)
    assert result.returncode == 1
    assert "apt-get install failed" in result.stderr
    assert "the packages above are needed" in result.stderr


def test_the_script_sourced_defines_functions_and_runs_nothing():
    result = subprocess.run(["bash", "-c", f"source {SCRIPT} && declare -F main repair_clock"],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["main", "repair_clock"]


def sourced(script: str, **variables: str) -> subprocess.CompletedProcess:
    """Run `script` in bash after sourcing the install script (its functions, no main)."""
    assignments = "".join(f"{name}={shlex.quote(value)}; " for name, value in variables.items())
    return subprocess.run(["bash", "-c", f"source {SCRIPT} && {assignments}{script}"], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("code, ok", [
    ("up,down,select,back,up,down", True),
    ("up,up,down,down,select,back,back,select,up,down", True),
    ("up,up,down,select", False),  # four presses: 256 codes, too few
    ("up,down,select,back,up,down,up,down,select,back,up", False),  # eleven
    ("up,down,left,back,up,down", False),
])
def test_install_accepts_only_codes_of_six_to_ten_button_presses(code, ok):
    assert (sourced(f"valid_code {shlex.quote(code)}").returncode == 0) is ok


def test_install_writes_the_given_code_into_the_settings(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("daily_target: 4\nclinician:\n  code: []\n\ndisplay:\n  size: auto\n")
    result = sourced("set_code", CONFIG=str(config), CODE="up,down,up,down,select,back", DRY_RUN="0")
    assert result.returncode == 0, result.stderr
    text = config.read_text()
    assert "  code: [up, down, up, down, select, back]\n" in text and "display:\n  size: auto" in text
    assert "up down up down" not in result.stdout  # a code given on the command line is not echoed
    again = sourced("set_code", CONFIG=str(config), DRY_RUN="0")
    assert "kept" in again.stdout and config.read_text() == text  # a config with a code keeps it


def test_install_makes_a_random_code_and_shows_it_once(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("daily_target: 4\n")
    result = sourced("set_code", CONFIG=str(config), DRY_RUN="0")
    assert result.returncode == 0, result.stderr
    [line] = [line for line in config.read_text().splitlines() if "code:" in line]
    presses = line.split("[", 1)[1].rstrip("]").split(", ")
    assert len(presses) == 8 and set(presses) <= {"up", "down", "select", "back"}
    assert " ".join(presses) in result.stdout


def test_install_refuses_a_bad_code():
    result = dry_run("--code=up,up,down,select")
    assert result.returncode != 0 and "6 to 10" in result.stderr


def test_voice_model_installs_piper_the_voice_and_renders_the_prompts():
    result = dry_run("--voice-model=/home/pi/en_US-lessac-medium.onnx")
    assert result.returncode == 0, result.stderr
    out = result.stdout.replace("\\", "")  # the dry run prints commands shell-quoted
    assert "/work/main[voice]" in out.replace(str(SCRIPT.parent.parent), "/work/main")
    assert "/usr/local/share/desens-kiosk/voices" in out
    assert "voice --render" in out and "espeak-ng" in out
