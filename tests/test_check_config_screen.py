"""check-config says what would look wrong on the screen before anyone sees it (issue 12):
characters the bundled font cannot draw, and safety notes longer than two small pages;
and the command line refuses a screen size no screen has, by the config's own rule."""

from __future__ import annotations

import pytest

from kiosk import cli
from kiosk.render import glyphs

STATION = """\
profiles:
  - name: Sam
    areas:
      - {id: left_leg, name: "Left leg \U0001F9B5"}
"""


def test_the_bundled_font_draws_latin_text_but_not_emoji_or_han():
    assert glyphs.missing("Señora Ñandú, ¿qué tal? Crème brûlée.") == []
    assert glyphs.missing("Leg \U0001F9B5 脚 \U0001F9B5") == ["\U0001F9B5", "脚"]


def test_an_emoji_in_a_name_is_a_warning_with_its_line(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text(STATION, encoding="utf-8")
    assert cli.main(["check-config", str(config)]) == 0  # a warning: the kiosk still runs
    err = capsys.readouterr().err
    assert f"{config}:4: areas[left_leg].name: has characters the screen's font cannot draw: \U0001F9B5 (U+1F9B5)" in err


def test_a_safety_note_of_many_pages_is_a_warning(tmp_path, capsys):
    note = " ".join(["Keep the ice moving and stop at once if the skin turns white or numb."] * 14)
    config = tmp_path / "config.yaml"
    config.write_text(f"techniques:\n  - id: ice_rub\n    name: Ice rub\n    group: temperature\n"
                      f"    prompt: Rub with the ice\n    safety: {note}\n", encoding="utf-8")
    assert cli.main(["check-config", str(config)]) == 0
    err = capsys.readouterr().err
    assert f"{config}:6: techniques[ice_rub].safety: needs " in err and "480x320 screen" in err


def test_the_bundled_settings_have_nothing_to_warn_about(capsys):
    assert cli.main(["check-config"]) == 0
    assert "cannot draw" not in capsys.readouterr().err


@pytest.mark.parametrize("size", ["99999x99999", "10x10", "big"])
def test_run_refuses_a_size_no_screen_has(size, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.parser().parse_args(["run", "--size", size])
    assert stop.value.code == 2
    assert "320x240 to 7680x4320" in capsys.readouterr().err or "WIDTHxHEIGHT" in capsys.readouterr().err


def test_voice_render_without_an_engine_says_why_and_fails(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cli.main(["voice", "--render", "--engine", "piper"]) != 0  # no voice file given
    assert capsys.readouterr().out.strip()


@pytest.mark.skipif(__import__("shutil").which("espeak-ng") is None, reason="espeak-ng not installed")
def test_voice_render_with_espeak_fills_the_cache(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    assert cli.main(["voice", "--render", "--engine", "espeak-ng"]) == 0, capsys.readouterr()
    assert list((tmp_path / "cache").rglob("*.wav"))
