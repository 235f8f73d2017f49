"""Keeping the last configuration that loaded cleanly: one bad line in a shared station's
file runs the kiosk on the copy of the last good file (its profiles, techniques and code),
saying what is wrong; the bundled defaults only when there never was a good copy."""

import dataclasses
import os
import stat
import textwrap
from pathlib import Path

from kiosk.config import load, load_defaults, load_or_last_good

STATION = """
    daily_target: 3
    clinician:
      code: [down, down, up, back, select, up]
    techniques:
      - {id: towel_rub, name: Towel rub, group: texture, prompt: Rub with the towel}
      - {id: tapping, name: Tapping, group: pressure, prompt: Tap with your fingertips}
    profiles:
      - name: Sam
        daily_target: 5
      - name: Alex
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def settings(config):
    return dataclasses.replace(config, source="")


def test_a_clean_load_keeps_a_private_copy_of_the_users_file(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path / "config.yaml", STATION)
    loaded = load_or_last_good(path, data)
    assert (loaded.origin, loaded.problems, loaded.notes) == ("user", (), ())
    assert loaded.config == load(path).config and loaded.config.source == str(path)
    copy = data / "config.last-good.yaml"
    assert copy.read_bytes() == path.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert sorted(p.name for p in data.iterdir()) == ["config.last-good.yaml"]  # no temporary left


def test_one_bad_line_runs_on_the_last_good_copy_and_says_what_is_wrong(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path / "config.yaml", STATION)
    good = load_or_last_good(path, data).config
    write(path, STATION.replace("daily_target: 3", "daily_target: 11"))
    loaded = load_or_last_good(path, data)
    assert loaded.origin == "last_good"
    assert loaded.config.source == str(data / "config.last-good.yaml")
    assert [str(p) for p in loaded.problems] == [f"{path}:1: daily_target: 11 is out of range (1-10)"]
    assert settings(loaded.config) == settings(good)
    assert [p.name for p in loaded.config.people()] == ["Sam", "Alex"]
    assert [t.id for t in loaded.config.techniques] == ["towel_rub", "tapping"]
    assert loaded.config.clinician.code == ("down", "down", "up", "back", "select", "up")
    # the broken file never replaces the good copy
    assert b"daily_target: 3" in (data / "config.last-good.yaml").read_bytes()


def test_a_missing_or_unreadable_file_also_runs_on_the_copy(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path / "config.yaml", STATION)
    load_or_last_good(path, data)
    path.unlink()
    loaded = load_or_last_good(path, data)
    assert loaded.origin == "last_good" and len(loaded.config.profiles) == 2
    (problem,) = loaded.problems
    assert problem.file == str(path) and "does not exist" in problem.message


def test_the_bundled_defaults_only_when_there_never_was_a_good_copy(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path / "config.yaml", "daily_target: 11\nsounds:\n  volume: loud\n")
    loaded = load_or_last_good(path, data)
    assert loaded.origin == "defaults"
    assert loaded.config == load_defaults()
    assert [(p.line, p.key) for p in loaded.problems] == [(1, "daily_target"), (3, "sounds.volume")]
    assert not (data / "config.last-good.yaml").exists()


def test_a_damaged_copy_falls_back_to_the_defaults_with_both_problems(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    copy = write(data / "config.last-good.yaml", "daily_target: 4\nmode: strict\n")
    path = write(tmp_path / "config.yaml", "daily_target: 0\n")
    loaded = load_or_last_good(path, data)
    assert loaded.origin == "defaults" and loaded.config == load_defaults()
    assert [(p.file, p.key) for p in loaded.problems] == [(str(path), "daily_target"), (str(copy), "mode")]


def test_without_a_user_file_the_bundled_defaults_and_no_copy(tmp_path):
    data = tmp_path / "data"
    loaded = load_or_last_good(None, data)
    assert (loaded.origin, loaded.problems) == ("defaults", ())
    assert loaded.config == load_defaults()
    assert not data.exists()


def test_warnings_ride_along_and_do_not_stop_the_copy(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path / "config.yaml", "session:\n  duration: 2m\n")
    loaded = load_or_last_good(path, data)
    assert loaded.origin == "user" and [w.key for w in loaded.warnings] == ["session.duration"]
    assert (data / "config.last-good.yaml").read_bytes() == path.read_bytes()


def test_the_copy_is_rewritten_only_when_the_file_changed(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path / "config.yaml", STATION)
    load_or_last_good(path, data)
    copy = data / "config.last-good.yaml"
    before = (copy.stat().st_ino, copy.stat().st_mtime_ns)
    load_or_last_good(path, data)
    assert (copy.stat().st_ino, copy.stat().st_mtime_ns) == before  # no write at every start
    write(path, STATION.replace("daily_target: 3", "daily_target: 2"))
    load_or_last_good(path, data)
    assert copy.stat().st_ino != before[0] and b"daily_target: 2" in copy.read_bytes()


def test_a_data_folder_that_cannot_be_written_is_a_note_not_a_failure(tmp_path):
    data = tmp_path / "not-a-folder"
    data.write_text("")
    path = write(tmp_path / "config.yaml", STATION)
    loaded = load_or_last_good(path, data)
    assert loaded.origin == "user" and loaded.problems == ()
    (note,) = loaded.notes
    assert note.startswith(f"could not keep a copy of the settings as {data / 'config.last-good.yaml'}: ")


def test_read_only_callers_keep_no_copy(tmp_path):
    data = tmp_path / "data"
    path = write(tmp_path / "config.yaml", STATION)
    assert load_or_last_good(path, data, keep=False).origin == "user"
    assert not data.exists()
    assert os.listdir(tmp_path) == ["config.yaml"]
