"""The config loader: defaults, merging, and a precise `file:line: key: what (allowed)` for
every kind of bad input, without ever raising anything but ConfigError."""

import dataclasses
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk import config as cfg
from kiosk import paths
from kiosk.config import ConfigError, Group, Problem, load, load_defaults, parse_duration, summary

PROBLEM_LINE = re.compile(r"^.+:\d+: \S+: .+$")


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert caught.value.problems, "a ConfigError always lists its problems"
    for problem in caught.value.problems:
        assert PROBLEM_LINE.match(str(problem)), str(problem)
    return caught.value.problems


def only(path: Path) -> Problem:
    found = problems(path)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def same_settings(a: cfg.Config, b: cfg.Config) -> bool:
    return dataclasses.replace(a, source="") == dataclasses.replace(b, source="")


# -- the bundled defaults ------------------------------------------------------------------


def test_defaults_load_with_the_product_techniques_and_areas():
    loaded = load(None)
    config = loaded.config
    assert loaded.warnings == ()
    assert config.source == str(paths.default_config_path())
    assert config.session.duration_seconds == 240
    assert config.daily_target == 4
    assert len(config.areas) == 10
    assert {"left_foot", "right_hand", "back", "tummy"} <= {a.id for a in config.areas}
    assert [t.id for t in config.techniques] == [
        "soft_touch", "smooth_cloth", "towel_rub", "soft_brush", "rough_fabric", "texture_bin",
        "lotion_massage", "firm_squeeze", "tapping", "vibration",
        "ice_rub", "cool_cloth", "warm_cloth",
    ]
    groups = [t.group for t in config.techniques]
    assert groups.count(Group.TEXTURE) == 6 and groups.count(Group.PRESSURE) == 4
    assert groups.count(Group.TEMPERATURE) == 3
    ice = config.technique("ice_rub").safety.lower()
    assert "towel" in ice and "moving" in ice and "white" in ice and "numb" in ice and "breaks" in ice
    assert "hot" in config.technique("warm_cloth").safety.lower()
    assert config.buttons == cfg.ButtonsConfig()
    assert config.display == cfg.DisplayConfig()
    assert config.sounds == cfg.SoundsConfig()
    assert load_defaults() == config


def test_defaults_are_frozen_tuples_with_short_texts_and_normalised_steps():
    config = load_defaults()
    assert isinstance(config.areas, tuple) and isinstance(config.techniques, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.daily_target = 5  # type: ignore[misc]
    assert sum(1 for t in config.techniques if len(t.steps) >= 2) >= 6
    assert [s.prompt for s in config.technique("towel_rub").steps][:2] == ["Rub up and down", "Rub in small circles"]
    for t in config.techniques:
        assert isinstance(t.steps, tuple)
        assert len(t.name) <= cfg.NAME_FIT and len(t.prompt) <= cfg.PROMPT_FIT
        assert all(len(s.prompt) <= cfg.PROMPT_FIT for s in t.steps)
        if t.steps:
            assert sum(s.share for s in t.steps) == pytest.approx(1.0)
    assert all(len(a.name) <= cfg.NAME_FIT for a in config.areas)


def test_summary():
    assert summary(load_defaults()) == "4:00 sessions, 4 a day, 10 areas, 13 techniques"


def test_summary_singular(tmp_path):
    path = write(tmp_path, """
        session: {duration: 3m30s}
        daily_target: 1
        areas: [{id: back, name: Back}]
    """)
    assert summary(load(path).config) == "3:30 sessions, 1 a day, 1 area, 13 techniques"


# -- merging -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "sounds:\nbuttons: ~\n"])
def test_empty_file_or_null_sections_mean_defaults(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    loaded = load(path)
    assert same_settings(loaded.config, load_defaults())
    assert loaded.config.source == str(path)


def test_user_changes_one_key_and_keeps_the_rest(tmp_path):
    path = write(tmp_path, """
        sounds:
          volume: 30
        buttons:
          back: 24
    """)
    config = load(path).config
    assert config.sounds == cfg.SoundsConfig(enabled=True, volume=30)
    assert config.buttons == cfg.ButtonsConfig(back=24)
    assert config.techniques == load_defaults().techniques


def test_user_list_replaces_the_default_list(tmp_path):
    path = write(tmp_path, """
        areas:
          - id: left_knee
            name: Left knee
        techniques:
          - id: towel_rub
            name: Towel rub
            group: texture
            prompt: Rub with the towel
            steps:
              - {prompt: Up and down, share: 1}
              - {prompt: Circles, share: 3}
          - {id: ice, name: Ice, group: Temperature, prompt: Ice, steps: [Circles, Lines]}
    """)
    config = load(path).config
    assert config.areas == (cfg.Area("left_knee", "Left knee"),)
    towel, ice = config.techniques
    assert [s.share for s in towel.steps] == [0.25, 0.75]
    assert towel.safety is None
    assert ice.group is Group.TEMPERATURE
    assert ice.steps == (cfg.Step("Circles", 0.5), cfg.Step("Lines", 0.5))
    assert config.daily_target == 4


def test_display_and_switches(tmp_path):
    path = write(tmp_path, """
        display: {size: 800x480, fullscreen: no}
        sounds: {enabled: "no"}
    """)
    config = load(path).config
    assert config.display == cfg.DisplayConfig(size=(800, 480), fullscreen=False)
    assert config.sounds.enabled is False
    assert load(write(tmp_path, "display: {fullscreen: auto}")).config.display.fullscreen is None
    assert load(write(tmp_path, "display: {fullscreen: yes}")).config.display.fullscreen is True


# -- one problem: key path, line, allowed text ------------------------------------------------

CASES = [
    # (YAML, key path, line, text the message must contain)
    ("daily_target: 11\n", "daily_target", 1, "11 is out of range (1-10)"),
    ("\ndaily_target: true\n", "daily_target", 2, "must be a whole number (1-10)"),
    ("daily_target: 4.5\n", "daily_target", 1, "must be a whole number (1-10)"),
    ("session:\n  duration: banana\n", "session.duration", 2, "must be a time (such as 4m, 90s or 1m30s; 5s to 30m)"),
    ("session:\n  duration: 45m\n", "session.duration", 2, "is longer than 30 minutes (such as 4m"),
    ("session:\n  duration: 2s\n", "session.duration", 2, "is shorter than 5 seconds (such"),
    ("session: 4m\n", "session", 1, "must be settings (such as duration: 4m)"),
    ("sesion:\n  duration: 4m\n", "sesion", 1, "unknown key (did you mean 'session'?)"),
    ("buttons:\n  up: 17\n  selct: 5\n", "buttons.selct", 3, "unknown key (did you mean 'select'?)"),
    ("colour: blue\n", "colour", 1, "unknown key (known keys here: session, daily_target,"),
    ("buttons:\n  up: 40\n", "buttons.up", 2, "40 is out of range (a BCM pin number, 2-27)"),
    ("buttons:\n  up: '17'\n", "buttons.up", 2, "must be a whole number (a BCM pin number, 2-27)"),
    ("buttons:\n  down: yes\n", "buttons.down", 2, "must be a whole number (a BCM pin number, 2-27)"),
    ("buttons:\n  back: 17\n", "buttons.back", 2,
     "pin 17 is also used by buttons.up (each button needs its own pin)"),
    ("buttons:\n  up: 23\n", "buttons.up", 2,
     "pin 23 is also used by buttons.back (each button needs its own pin)"),
    ("buttons:\n  hold_seconds: 0.1\n", "buttons.hold_seconds", 2, "(0.5-10 seconds)"),
    ("buttons:\n  hold_seconds: .nan\n", "buttons.hold_seconds", 2, "(0.5-10 seconds)"),
    ("buttons:\n  bounce_ms: 900\n", "buttons.bounce_ms", 2, "(0-500 milliseconds)"),
    ("display:\n  size: 100x100\n", "display.size", 2, "from 320x240 to 7680x4320)"),
    ("display:\n  size: big\n", "display.size", 2, "must be a screen size (auto or WIDTHxHEIGHT"),
    ("display:\n  fullscreen: maybe\n", "display.fullscreen", 2, "must be a choice (auto, yes or no)"),
    ("sounds:\n  volume: 101\n", "sounds.volume", 2, "101 is out of range (0-100 percent)"),
    ("sounds:\n  enabled: 3\n", "sounds.enabled", 2, "must be a choice (yes or no)"),
    ("areas: []\n", "areas", 1, "needs at least one area"),
    ("areas: left foot\n", "areas", 1, "must be a list of areas"),
    ("areas:\n  - id: Left Foot\n    name: Left foot\n", "areas[0].id", 2,
     "must be an id (lowercase letters, digits and _, e.g. left_foot)"),
    ("areas:\n  - {id: back, name: Back}\n  - {id: back, name: Lower back}\n", "areas[1].id", 3,
     "'back' is also used by areas[0] (each area needs its own id)"),
    ("areas:\n  - id: back\n    name: Back\n  - id: neck\n", "areas[1].name", 4,
     "is missing (a short name shown on screen"),
    ("areas:\n  - id: yes_no\n    name: no\n", "areas[0].name", 3, "put it in quotes"),
    ("areas:\n  - back\n", "areas[0]", 2, "must be an area with id and name"),
    ("areas:\n  - id: back\n    name: Back\n    colour: red\n", "areas[0].colour", 4,
     "unknown key (known keys here: id, name)"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: heat\n    prompt: Rub\n",
     "techniques[0].group", 4, "must be a group (one of texture, pressure, temperature)"),
    ("techniques:\n  - id: rub\n    name: Rub\n    prompt: Rub\n",
     "techniques[0].group", 2, "is missing (one of texture, pressure, temperature)"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: texture\n    prompt: Rub\n    safty: Careful\n",
     "techniques[0].safty", 6, "unknown key (did you mean 'safety'?)"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: texture\n    prompt: Rub\n    safety: 12\n",
     "techniques[0].safety", 6, "must be text"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: texture\n    prompt: Rub\n    steps: Rub\n",
     "techniques[0].steps", 6, "must be a list of steps"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: texture\n    prompt: Rub\n    steps:\n"
     "      - {prompt: Up, share: 1}\n      - {prompt: Down}\n",
     "techniques[0].steps[1].share", 8, "is missing while other steps have one (give every step a share"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: texture\n    prompt: Rub\n    steps:\n"
     "      - prompt: Up\n        share: -1\n",
     "techniques[0].steps[0].share", 8, "(a positive number, e.g. 1 or 0.5)"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: texture\n    prompt: Rub\n    steps:\n"
     "      - prompt: Up\n        share: 0\n",
     "techniques[0].steps[0].share", 8, "must be more than 0"),
    ("techniques:\n  - id: rub\n    name: Rub\n    group: texture\n    prompt: Rub\n    steps:\n"
     "      - share: 1\n",
     "techniques[0].steps[0].prompt", 7, "is missing (a short instruction for this step)"),
    ("daily_target: 3\ndaily_target: 5\n", "daily_target", 2, "is given twice (keep one; the other is on line 1)"),
    ("? [a, b]\n: 1\n", "(top)", 1, "has a key that is not a plain word"),
]


@pytest.mark.parametrize("text, key, line, allowed", CASES, ids=[c[1] + f"@{c[2]}" for c in CASES])
def test_each_problem_has_key_path_line_and_allowed_text(tmp_path, text, key, line, allowed):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    problem = only(path)
    assert (problem.file, problem.key, problem.line) == (str(path), key, line), str(problem)
    assert allowed in problem.message, str(problem)
    assert not problem.warning


def test_str_of_a_problem(tmp_path):
    path = write(tmp_path, "daily_target: 11\n")
    assert str(only(path)) == f"{path}:1: daily_target: 11 is out of range (1-10)"


def test_every_problem_is_reported_at_once_in_file_order(tmp_path):
    path = write(tmp_path, """
        sesion:
          duration: 4m
        daily_target: 0
        buttons:
          up: 22
          bounce_ms: fast
        techniques:
          - id: rub
            name: Rub
            group: heat
    """)
    found = [(p.key, p.line) for p in problems(path)]
    assert found == [
        ("sesion", 1),
        ("daily_target", 3),
        ("buttons.up", 5),
        ("buttons.bounce_ms", 6),
        ("techniques[0].prompt", 8),  # a missing key: the line of its parent
        ("techniques[0].group", 10),
    ]


def test_two_minutes_is_a_warning_not_an_error(tmp_path):
    path = write(tmp_path, "# prescribed by Dr A\nsession:\n  duration: 2m\n")
    loaded = load(path)
    assert loaded.config.session.duration_seconds == 120
    (warning,) = loaded.warnings
    assert warning.warning and (warning.key, warning.line) == ("session.duration", 3)
    assert str(warning) == (f"{path}:3: session.duration: warning: 2:00 is outside the usual "
                            "3 to 5 minutes (allowed; check it matches the prescription)")


def test_long_names_are_a_warning(tmp_path):
    path = write(tmp_path, "areas:\n  - id: foot\n    name: The whole left foot and the ankle too\n")
    (warning,) = load(path).warnings
    assert (warning.key, warning.line) == ("areas[0].name", 3) and "may not fit" in warning.message


def test_value_from_the_defaults_cites_the_defaults_file(tmp_path, monkeypatch):
    defaults = Path(paths.default_config_path()).read_text().replace("daily_target: 4", "daily_target: 11")
    broken = tmp_path / "defaults.yaml"
    broken.write_text(defaults)
    line = defaults.splitlines().index("daily_target: 11") + 1
    monkeypatch.setattr(paths, "default_config_path", lambda: broken)
    user = write(tmp_path, "sounds:\n  volume: 200\n")
    found = problems(user)
    assert [(p.file, p.line, p.key) for p in found] == [
        (str(user), 2, "sounds.volume"),  # the user file first
        (str(broken), line, "daily_target"),
    ]
    # a user value replaces the broken default: no complaint about it any more
    assert load(write(tmp_path, "daily_target: 5\n")).config.daily_target == 5


# -- files that are not settings at all ------------------------------------------------------


def test_non_utf8_file(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"sounds:\n  volume: 50\nareas: [{id: caf\xe9, name: x}]\n")
    problem = only(path)
    assert (problem.key, problem.line) == ("(file)", 3) and "UTF-8" in problem.message


def test_utf8_with_bom_is_fine(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes("\ufeffareas: [{id: cafe, name: Café}]\n".encode())
    assert load(path).config.areas == (cfg.Area("cafe", "Café"),)


@pytest.mark.parametrize("text, line", [
    ("session:\n  duration: [4m\ndaily_target: 4\n", 3),
    ("session:\n\tduration: 4m\n", 2),
    ("daily_target: 4\n  sounds: 5\n", 2),
    ("a: 1\n---\nb: 2\n", 2),
    ("areas: *nowhere\n", 1),
    ("daily_target: 4\nx: \x07\n", 2),
])
def test_bad_yaml_gives_the_line(tmp_path, text, line):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    problem = only(path)
    assert (problem.key, problem.line) == ("(yaml)", line), str(problem)
    assert problem.message.startswith("YAML syntax") and "(write key: value" in problem.message


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("# padding\n" * 120_000)
    problem = only(path)
    assert problem.key == "(file)" and "larger than 1 MB" in problem.message


def test_directory_missing_and_unreadable(tmp_path, monkeypatch):
    assert "is a folder" in only(tmp_path).message
    assert "does not exist" in only(tmp_path / "nope.yaml").message
    path = write(tmp_path, "daily_target: 4\n")

    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert "cannot be read: Permission denied" in only(path).message


@pytest.mark.parametrize("text, message", [
    ("- session\n- areas\n", "must be settings written as key: value"),
    ("42\n", "must be settings written as key: value"),
    ("a: &a [*a]\n", "refers to itself"),
    ("areas: !!python/object:os.system {}\n", "must be a list of areas"),
    ("daily_target: !!python/name:os.system\n", "cannot be read"),
    ("daily_target: !custom 4\n", "cannot be read"),
])
def test_odd_yaml_is_a_problem_not_a_crash(tmp_path, text, message):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    assert message in only(path).message


def test_alias_bomb_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = tmp_path / "config.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert "holds over" in only(path).message


def test_deep_nesting_is_refused(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in only(path).message


# -- parse_duration ------------------------------------------------------------------------


@pytest.mark.parametrize("value, seconds", [
    ("4m", 240), ("90s", 90), ("1m30s", 90), ("1m 30s", 90), ("2.5m", 150), (" 4M ", 240),
    ("240", 240), (240, 240), (2.5, 2.5), (0, 0),
])
def test_parse_duration(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", [
    "", "m", "4", "4 minutes", "-4m", "4h", "4m30", "1e3", "nan", True, None, [4], -5,
    float("inf"), float("nan"), 10**400,
])
def test_parse_duration_rejects(value):
    if value == "4":
        assert parse_duration(value) == 4  # a bare number is seconds
        return
    with pytest.raises(ValueError):
        parse_duration(value)


# -- robustness ----------------------------------------------------------------------------

MUTATIONS = [
    "session: []", "session: {duration: null}", "session: {duration: [1, 2]}", "session: {duration: .inf}",
    "session: {duration: 99999999999999999999999999999999999999}", "daily_target: null",
    "daily_target: []", "daily_target: 1e400", "daily_target: 2024-01-01", "areas: {id: a}",
    "areas: [null]", "areas: [[1, 2]]", "areas: [{id: null, name: null}]", "areas: [{}]",
    "techniques: null", "techniques: []", "techniques: [{}]", "techniques: [{steps: [null, 3, []]}]",
    "techniques: [{id: a, name: A, group: [x], prompt: P, steps: [{share: 1e308}, {share: 1e308}]}]",
    "techniques: [{id: a, name: A, group: texture, prompt: P, steps: {a: 1}}]",
    "techniques: [{id: a, name: A, group: texture, prompt: P, steps: [{prompt: x, share: true}]}]",
    "buttons: [17]", "buttons: {up: null, down: 1.5, select: -1, back: 99999}", "buttons: {hold_seconds: yes}",
    "display: 5", "display: {size: [800, 480], fullscreen: 2}", "display: {size: 99999x99999}",
    "sounds: {enabled: null, volume: 50.5}", "sounds: {volume: .nan}", "? !!binary aGVsbG8=\n: 1",
    "1: 2", "null: 3", "my key: 1", "'': 1", "'   ': 1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': 1", "sounds: &s {volume: *s}", "- a: 1", "''", "[", "{a: 1, a: 2}",
    "techniques: [{id: a, name: A, group: texture, prompt: '', safety: [1]}]",
]


@pytest.mark.parametrize("text", MUTATIONS)
def test_mutated_configs_only_ever_raise_config_error(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text + "\n")
    try:
        loaded = load(path)
    except ConfigError as error:
        assert error.problems
        for problem in error.problems:
            assert PROBLEM_LINE.match(str(problem)), str(problem)
            assert "(" in problem.message, str(problem)
    else:
        assert isinstance(loaded.config, cfg.Config)


def test_imports_and_loads_without_pygame():
    code = ("import sys; sys.modules['pygame'] = None; sys.modules['gpiozero'] = None\n"
            "from kiosk.config import load, summary; print(summary(load(None).config))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4:00 sessions, 4 a day, 10 areas, 13 techniques"
