"""The command line contract: `run` by default, `check-config` exit codes and output,
and where config and data are looked for."""

from __future__ import annotations

import os
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


# -- the clinician's tools -------------------------------------------------------------------

from datetime import date, datetime, timezone  # noqa: E402

from kiosk.days import practice_day  # noqa: E402
from kiosk.model import CheckinRecord, SessionRecord  # noqa: E402
from kiosk.storage.demo import fill_demo  # noqa: E402
from kiosk.storage.store import Store  # noqa: E402
from kiosk.views import Status  # noqa: E402


@pytest.fixture
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")


@pytest.fixture
def demo_dir(tmp_path, no_user_config):
    data = tmp_path / "data"
    store = Store.open(data)
    fill_demo(store, days=40, profile="sam", seed=4)
    store.close()
    return data


def _count(data, sql):
    store = Store(data / paths.DB_NAME)
    try:
        return store.db.execute(sql).fetchone()[0]
    finally:
        store.close()


@pytest.mark.parametrize("command", [
    ["export"], ["report", "--out", "r.png"], ["purge", "--before", "2024-03-01", "--yes"],
])
def test_clinic_commands_need_an_existing_database(command, tmp_path, capsys, no_user_config):
    missing = tmp_path / "nowhere"
    assert cli.main([*command, "--data-dir", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err == f"desens-kiosk {command[0]}: no database at {missing / paths.DB_NAME}\n"
    assert not missing.exists()  # never created by a read-only tool


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd, env={**os.environ, "DESENS_KIOSK_CONFIG": ""})


def test_clinic_errors_never_show_a_traceback(tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / paths.DB_NAME).write_bytes(b"this is not SQLite " * 100)
    missing = _run("export", "--data-dir", str(tmp_path / "none"))
    junk = _run("report", "--data-dir", str(tmp_path / "junk"), "--out", str(tmp_path / "r.png"))
    bad_date = _run("export", "--data-dir", str(tmp_path), "--since", "2024-13-01")
    for result in (missing, junk, bad_date):
        assert "Traceback" not in result.stdout + result.stderr
    assert missing.returncode == 1 and missing.stderr.strip().endswith(f"no database at {tmp_path / 'none' / 'desens.db'}")
    assert junk.returncode == 1 and "damaged" in junk.stderr and len(junk.stderr.strip().splitlines()) == 1
    assert (tmp_path / "junk" / paths.DB_NAME).read_bytes().startswith(b"this is not SQLite")  # not moved aside
    assert bad_date.returncode == 2
    assert "--since: '2024-13-01' is not a date like 2024-03-01" in bad_date.stderr


def test_an_unreadable_database_is_a_clear_error(tmp_path, capsys, no_user_config, monkeypatch):
    Store.open(tmp_path).close()
    monkeypatch.setattr("kiosk.storage.queries.os.access", lambda path, mode: mode != os.R_OK)  # root reads anything
    assert cli.main(["export", "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"desens-kiosk export: cannot read {tmp_path / paths.DB_NAME}: permission denied\n"


def test_purge_removes_exactly_the_rows_asked(demo_dir, capsys):
    store = Store(demo_dir / paths.DB_NAME)
    start = datetime(2020, 1, 1, 9, tzinfo=timezone.utc)
    store.save(SessionRecord("ann", "back", "ice", 240, start, 5, Status.COMPLETED, start, 240.0, 4))
    store.add_checkin(CheckinRecord("ann", start, 3))
    (cut,) = store.db.execute("SELECT day FROM sessions WHERE profile = 'sam' ORDER BY day LIMIT 1 OFFSET 30"
                              ).fetchone()
    store.close()
    kept = {t: _count(demo_dir, f"SELECT count(*) FROM {t} WHERE NOT (profile = 'sam' AND day < '{cut}')")
            for t in ("sessions", "pain_checkins")}
    gone = {t: _count(demo_dir, f"SELECT count(*) FROM {t}") - kept[t] for t in kept}
    assert gone["sessions"] > 0 and gone["pain_checkins"] > 0
    assert cli.main(["purge", "--data-dir", str(demo_dir), "--before", cut, "--profile", "sam", "--yes"]) == 0
    assert capsys.readouterr().out == (f"deleted {gone['sessions']} session(s), {gone['pain_checkins']}"
                                       f" check-in(s) and 0 level change(s) before {cut}\n")
    for table, count in kept.items():
        assert _count(demo_dir, f"SELECT count(*) FROM {table}") == count
    assert _count(demo_dir, "SELECT min(day) FROM sessions WHERE profile = 'sam'") == cut
    assert _count(demo_dir, "SELECT count(*) FROM sessions WHERE profile = 'ann'") == 1
    assert _count(demo_dir, "SELECT count(*) FROM demo_marker") == _count(
        demo_dir, "SELECT (SELECT count(*) FROM sessions WHERE profile = 'sam')"
                  " + (SELECT count(*) FROM pain_checkins WHERE profile = 'sam')")


def test_purge_without_a_terminal_needs_yes(demo_dir, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    before = _count(demo_dir, "SELECT count(*) FROM sessions")
    assert cli.main(["purge", "--data-dir", str(demo_dir), "--before", "2999-01-01"]) == 1
    assert "--yes" in capsys.readouterr().err
    assert _count(demo_dir, "SELECT count(*) FROM sessions") == before


@pytest.mark.parametrize("answer, code", [("y", 0), ("n", 1), ("", 1)])
def test_purge_asks_first(demo_dir, capsys, monkeypatch, answer, code):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    sessions = _count(demo_dir, "SELECT count(*) FROM sessions")
    assert cli.main(["purge", "--data-dir", str(demo_dir), "--before", "2999-01-01"]) == code
    assert f"Delete {sessions} session(s)" in asked[0] and asked[0].endswith("[y/N] ")
    assert _count(demo_dir, "SELECT count(*) FROM sessions") == (0 if answer == "y" else sessions)


def test_purge_with_nothing_to_delete(demo_dir, capsys):
    assert cli.main(["purge", "--data-dir", str(demo_dir), "--before", "2000-01-01"]) == 0
    assert "nothing to delete" in capsys.readouterr().out


@pytest.fixture
def fake_report(monkeypatch):
    import types

    drawn = []
    module = types.SimpleNamespace(save_report=lambda data, path: drawn.append(data) or Path(path).write_bytes(b"png"))
    monkeypatch.setitem(sys.modules, "kiosk.render.report_page", module)
    return drawn


def test_report_picks_the_only_profile_and_its_target(demo_dir, tmp_path, capsys, fake_report):
    out = tmp_path / "r.png"
    assert cli.main(["report", "--data-dir", str(demo_dir), "--days", "14", "--out", str(out)]) == 0
    data = fake_report[0]
    assert data.profile == "sam" and data.target == 4 and data.demo and len(data.days) == 14
    assert data.last_day == practice_day(datetime.now(timezone.utc))
    assert out.read_bytes() == b"png" and "profile 'sam'" in capsys.readouterr().out


def test_report_asks_to_choose_between_profiles(demo_dir, tmp_path, capsys, fake_report):
    store = Store(demo_dir / paths.DB_NAME)
    fill_demo(store, days=5, profile="ann", seed=1)
    store.close()
    assert cli.main(["report", "--data-dir", str(demo_dir), "--out", str(tmp_path / "r.png")]) == 1
    assert "several profiles: ann, sam; choose one with --profile" in capsys.readouterr().err
    assert cli.main(["report", "--data-dir", str(demo_dir), "--profile", "bob", "--out", "r.png"]) == 1
    assert "no profile 'bob'" in capsys.readouterr().err
    assert cli.main(["report", "--data-dir", str(demo_dir), "--profile", "ann", "--out", str(tmp_path / "r.png")]) == 0


def test_report_of_an_empty_database_uses_the_configured_profile(tmp_path, fake_report, no_user_config):
    Store.open(tmp_path).close()
    assert cli.main(["report", "--data-dir", str(tmp_path), "--out", str(tmp_path / "r.png")]) == 0
    assert fake_report[0].profile == "default" and fake_report[0].sessions == 0


def test_report_writes_a_printable_png(demo_dir, tmp_path):
    pytest.importorskip("kiosk.render.report_page")
    pygame = pytest.importorskip("pygame")
    out = tmp_path / "report.png"
    assert cli.main(["report", "--data-dir", str(demo_dir), "--out", str(out)]) == 0
    assert pygame.image.load(str(out)).get_width() >= 1600


def test_a_broken_config_falls_back_to_the_defaults_with_a_warning(demo_dir, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("daily_target: 40\n")
    assert cli.main(["export", "--config", str(bad), "--data-dir", str(demo_dir), "--out", str(tmp_path / "x")]) == 0
    assert f"warning: {bad}:1: daily_target" in capsys.readouterr().err


def test_clinic_commands_parse_with_their_defaults():
    args = cli.parser().parse_args(["export"])
    assert (args.format, args.table, args.profile, args.since, args.out) == ("csv", "sessions", None, None, "-")
    args = cli.parser().parse_args(["demo-data", "--seed", "3"])
    assert (args.days, args.profile, args.seed, args.force) == (28, "demo", 3, False)
    assert cli.parser().parse_args(["purge", "--before", "2024-02-29"]).before == date(2024, 2, 29)
    assert cli.parser().parse_args(["report", "--out", "r.png"]).days == 28


@pytest.mark.parametrize("bad", ["0", "-3", "many"])
def test_bad_day_counts_are_refused(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["report", "--days", bad, "--out", "r.png"])
    assert exit_info.value.code == 2 and "--days" in capsys.readouterr().err


def test_purged_rows_are_gone_from_the_file_too(tmp_path):
    from kiosk.storage.retention import purge

    store = Store.open(tmp_path)
    old = datetime(2020, 1, 1, 9, tzinfo=timezone.utc)
    for _ in range(20):
        store.save(SessionRecord("zz_gone_zz", "back", "ice", 240, old, 5, Status.COMPLETED, old, 240.0, 3))
    store.add_checkin(CheckinRecord("zz_gone_zz", old, 4))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"zz_gone_zz" in (tmp_path / paths.DB_NAME).read_bytes()
    gone = purge(store, date(2020, 1, 2), "zz_gone_zz")
    assert (gone.sessions, gone.checkins, gone.rung_changes) == (20, 1, 0)
    store.close()
    assert b"zz_gone_zz" not in (tmp_path / paths.DB_NAME).read_bytes()


def test_purge_says_when_a_reader_keeps_old_pages_in_the_log(demo_dir, capsys):
    import sqlite3

    reader = sqlite3.connect(demo_dir / paths.DB_NAME)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sessions").fetchone()  # a read transaction holds the WAL
    try:
        assert cli.main(["purge", "--data-dir", str(demo_dir), "--before", "2999-01-01", "--yes"]) == 0
    finally:
        reader.close()
    assert "another program has the database open" in capsys.readouterr().err


def test_report_wants_a_png_or_pdf_name(demo_dir, capsys, tmp_path):
    assert cli.main(["report", "--data-dir", str(demo_dir), "--profile", "sam", "--out", str(tmp_path / "r.txt")]) == 1
    assert "ending in .png or .pdf" in capsys.readouterr().err and not (tmp_path / "r.txt").exists()


def test_report_writes_one_a4_page_as_pdf(demo_dir, tmp_path, capsys):
    pytest.importorskip("kiosk.render.report_pdf")
    pytest.importorskip("PIL")
    out = tmp_path / "Report.PDF"
    assert cli.main(["report", "--data-dir", str(demo_dir), "--out", str(out)]) == 0
    written = out.read_bytes()
    assert written.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", written)) == 1
    [box] = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", written)
    assert [round(float(v)) for v in box] == [595, 842]  # A4 in points
    assert "Report.PDF: profile 'sam'" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


def test_report_says_which_days_the_clock_was_not_set(tmp_path, capsys, fake_report, no_user_config):
    store = Store.open(tmp_path)
    start = datetime.now(timezone.utc).replace(microsecond=0)
    store.save(SessionRecord("sam", "back", "ice", 240, start, 5, Status.COMPLETED, start, 240.0, 3, clock_synced=False))
    day = store.day_of(start)
    store.close()
    assert cli.main(["report", "--data-dir", str(tmp_path), "--out", str(tmp_path / "r.png")]) == 0
    assert fake_report[0].unsynced_days == (day,)
    assert f"before the kiosk's clock was set, so their dates may be wrong: {day}" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["99999x99999", "7681x4320", "7680x4321", "319x480"])
def test_sizes_the_config_would_refuse_are_refused_on_the_command_line(bad, capsys, monkeypatch):
    """The same rule as the config's display.size: a size no screen has ends as a usage
    error (exit 2), not as "no display", which systemd would retry forever."""
    import kiosk.app

    started = []
    monkeypatch.setattr(kiosk.app, "run", lambda options: started.append(options) or 0)  # never a real kiosk here
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--size", bad])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--size" in err and f"{bad} is out of range (WIDTHxHEIGHT, e.g. 800x480, from 320x240 to 7680x4320)" in err
    assert started == []


@pytest.mark.parametrize("good, size", [("320x240", (320, 240)), ("7680x4320", (7680, 4320)),
                                        ("800×480", (800, 480)), (" 1024 X 600 ", (1024, 600))])
def test_sizes_the_config_accepts_are_accepted(good, size):
    assert cli.parser().parse_args(["run", "--size", good]).size == size
