"""Profile names that look the same are the same: names are NFKC-normalised, refused with
characters that cannot be seen (control and format characters such as a zero-width space),
and compared after normalising, with file:line messages."""

import textwrap
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(path)
    return [str(p) for p in caught.value.problems]


def test_a_zero_width_space_does_not_make_a_second_sam(tmp_path):
    path = write(tmp_path, """
        profiles:
          - name: Sam
          - name: "Sam\\u200B"
    """)
    assert problems(path) == [
        (f"{path}:3: profiles[1].name: 'Sam' has a character that cannot be seen: U+200B ZERO WIDTH "
         "SPACE (retype the name; a short nickname, 1-16 characters, e.g. Sam)")]


@pytest.mark.parametrize("written, shown", [
    ('"Al\\u00ADex"', "U+00AD SOFT HYPHEN"),
    ('"\\u2060Alex"', "U+2060 WORD JOINER"),
    ('"Alex\\a"', "U+0007 a control character"),
    ('"Al\\u202Eex"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
])
def test_control_and_format_characters_are_refused_alone_too(tmp_path, written, shown):
    path = write(tmp_path, f"profiles:\n  - name: {written}\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:2: profiles[0].name: 'Alex' has a character that cannot be seen: {shown} (")


@pytest.mark.parametrize("first, second", [
    ("Sam", "Ｓａｍ"),  # full-width letters
    ("Zoé", "Zoe\u0301"),  # é written as e + a combining accent
    ("Sam", "SAM"),
    ("Ann", "Ａｎｎ"),
])
def test_names_that_look_the_same_are_one_name(tmp_path, first, second):
    path = write(tmp_path, f"profiles:\n  - name: {first}\n  - name: \"{second}\"\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:3: profiles[1].name: '")
    assert "' is also the name of profiles[0] (each profile needs its own name" in problem


def test_names_are_kept_normalised(tmp_path):
    config = load(write(tmp_path, 'profiles:\n  - name: "Ｓａｍ"\n  - name: "Zoe\\u0301"\n  - name: "Jo\\u00A0"\n')).config
    assert [p.name for p in config.profiles] == ["Sam", "Zo\u00e9", "Jo"]


def test_ordinary_names_in_other_scripts_are_fine(tmp_path):
    config = load(write(tmp_path, "profiles: [Zoë, Łucja, Μαρία, Юля, 美咲]\n")).config
    assert [p.name for p in config.profiles] == ["Zoë", "Łucja", "Μαρία", "Юля", "美咲"]
