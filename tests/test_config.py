"""The config loader: defaults, merging, and a precise `file:line: key: what (allowed)` for
every kind of bad input, without ever raising anything but ConfigError."""

import dataclasses
import math
import re
import subprocess
import sys
import textwrap
from datetime import time
from pathlib import Path

import pytest
import yaml

from kiosk import config as cfg
from kiosk import paths
from kiosk.config import (
    ConfigError,
    Group,
    Problem,
    load,
    load_defaults,
    parse_duration,
    summary,
)
from kiosk.model import DEFAULT_PROFILE

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
    # the daily-life, check-in and clinician settings: the dataclass defaults
    assert config.mode is cfg.Mode.FIRM
    assert config.ladder == (
        "soft_touch", "smooth_cloth", "soft_brush", "towel_rub", "lotion_massage", "tapping",
        "rough_fabric", "texture_bin", "vibration", "firm_squeeze", "cool_cloth", "ice_rub",
    )
    assert set(config.ladder) <= {t.id for t in config.techniques}
    assert all(a.ladder == () for a in config.areas)
    assert config.quiet_hours == cfg.QuietHours() == cfg.QuietHours(time(21, 0), time(7, 30))
    assert config.day_starts_at == time(3, 0)
    assert config.reminders == cfg.RemindersConfig()
    assert config.reminders.times == (time(8, 0), time(12, 30), time(16, 30), time(19, 30))
    assert config.reminders.snooze_seconds == 900
    assert config.checkins == cfg.CheckinsConfig()
    assert config.checkins.prompt_every_seconds is None
    assert config.outputs == cfg.OutputsConfig()
    assert config.clinician.code == ()  # no code bundled: the install sets one
    assert config.profiles == ()
    assert config.display.sleep_after_seconds == 120
    assert config.buttons.encoder is None and config.buttons.chord_seconds == 3
    assert load_defaults() == config


def test_defaults_are_frozen_tuples_with_short_texts_and_normalised_steps():
    config = load_defaults()
    assert isinstance(config.areas, tuple) and isinstance(config.techniques, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.daily_target = 5  # type: ignore[misc]
    assert sum(1 for t in config.techniques if len(t.steps) >= 2) >= 6
    assert [s.prompt for s in config.technique("towel_rub").steps][:2] == ["Firm rubs up and down", "Firm rubs in circles"]
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


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "sounds:\nbuttons: ~\n",
                                  "reminders:\nprofiles: ~\nclinician:\nladder:\n"])
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
    assert ice.steps == (cfg.TechniqueStep("Circles", 0.5), cfg.TechniqueStep("Lines", 0.5))
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
     "unknown key (known keys here: id, name, ladder)"),
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
    path.write_text("# padding\n" * 14_000)
    problem = only(path)
    assert problem.key == "(file)" and "larger than 128 kB" in problem.message


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


def test_deep_nesting_is_refused_at_its_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("daily_target: 4\nsession:\n  duration: 4m\na: " + "[" * 5000 + "]" * 5000 + "\n")
    problem = only(path)
    assert "nested too deeply" in problem.message and problem.line == 4


# -- parse_duration ------------------------------------------------------------------------


@pytest.mark.parametrize("value, seconds", [
    ("4m", 240), ("90s", 90), ("1m30s", 90), ("1m 30s", 90), ("2.5m", 150), (" 4M ", 240),
    ("240", 240), (240, 240), (2.5, 2.5), (0, 0), ("2h", 7200), ("1h30m", 5400), ("1h 5s", 3605),
])
def test_parse_duration(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", [
    "", "m", "4", "4 minutes", "-4m", "4d", "h", "4m2h", "4m30", "1e3", "nan", True, None, [4], -5,
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
    "mode: [graded]", "mode: null", "ladder: [null, 1, {}, [], .inf]", "ladder: {a: 1}",
    "areas: [{id: a, name: A, ladder: [null, {}, a, a]}]", "quiet_hours: [1]", "quiet_hours: 99:99-00:00",
    "quiet_hours: -1:00-07:00", "day_starts_at: .inf", "day_starts_at: 2024-01-01 10:00", "day_starts_at: -3:00",
    "day_starts_at: 1:00.5", "reminders: {times: [null, [], {}, true, 1e400]}", "reminders: {times: null, snooze: null}",
    "reminders: {snooze: .nan}", "reminders: [[1]]", "display: {sleep_after: 1e400}", "display: {sleep_after: true}",
    "buttons: {encoder: {a: 1}}", "buttons: {encoder: [null, true]}", "buttons: {encoder: [1.5, '6'], chord_seconds: null}",
    "outputs: []", "outputs: {led: true, buzzer: -1, buzzer_tonal: null}", "checkins: {prompt_every: .nan}",
    "checkins: {ask_area: null, prompt_every: true, prompt_timeout: null}", "checkins: []",
    "clinician: {code: [[], null, 1]}", "clinician: {code: [up, down, up, down, select, back]}", "clinician: 5",
    "profiles: [null, 1, {name: [x]}]", "profiles: [{name: A, areas: null, techniques: {}, ladder: 5}]",
    "profiles: [{name: A, techniques: [{}], ladder: [x], areas: [{id: b, name: B, ladder: [y]}]}]",
    "profiles: {name: A}", "profiles: [{name: A, session: {duration: x}, daily_target: x, mode: x}]",
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


# -- daily life, check-ins, outputs, clinician, profiles --------------------------------------

THIRTEEN = "[" + ", ".join(f"'{h:02d}:00'" for h in range(8, 21)) + "]"

NEW_CASES = [
    # (YAML, key path, line, text the message must contain)
    ("mode: gradual\n", "mode", 1, "must be a choice (firm or graded)"),
    ("\nmode: 3\n", "mode", 2, "must be a choice (firm or graded)"),
    ("mdoe: graded\n", "mdoe", 1, "unknown key (did you mean 'mode'?)"),
    ("ladder: [soft_touch, vibraton]\n", "ladder[1]", 1,
     "'vibraton' is not a technique (did you mean 'vibration'?)"),
    ("ladder:\n  - soft_touch\n  - zzz\n", "ladder[1]", 3,
     "'zzz' is not a technique (the techniques are: soft_touch, smooth_cloth,"),
    ("ladder:\n  - towel_rub\n  - towel_rub\n", "ladder[1]", 3,
     "'towel_rub' is also ladder[0] (each technique once on a ladder)"),
    ("ladder: towel_rub\n", "ladder", 1,
     "must be a list of technique ids (least to most irritating, e.g. [soft_touch, towel_rub])"),
    ("ladder: [Towel Rub]\n", "ladder[0]", 1, "must be a technique id (least to most irritating"),
    ("areas:\n  - id: back\n    name: Back\n    ladder: [towel_rub, icerub]\n", "areas[0].ladder[1]", 4,
     "'icerub' is not a technique (did you mean 'ice_rub'?)"),
    ("areas:\n  - id: back\n    name: Back\n    ladder: soft\n", "areas[0].ladder", 4,
     "must be a list of technique ids ("),
    ("quiet_hours: 21:00\n", "quiet_hours", 1, "must be two times of day (HH:MM-HH:MM, e.g. 21:00-07:30)"),
    ("quiet_hours: 21:00-25:00\n", "quiet_hours", 1, "must be two times of day (HH:MM-HH:MM"),
    ("quiet_hours: '22:00-22:00'\n", "quiet_hours", 1, "starts and ends at 22:00 (two different times"),
    ("day_starts_at: 8\n", "day_starts_at", 1,
     "must be a time of day (HH:MM, usually 00:00-06:00, e.g. 03:00)"),  # not 00:08
    ("day_starts_at: 24:00\n", "day_starts_at", 1, "must be a time of day (HH:MM"),
    ("day_starts_at: '3 am'\n", "day_starts_at", 1, "must be a time of day (HH:MM"),
    ("day_starts_at: 3:00:00\n", "day_starts_at", 1, "must be a time of day (HH:MM"),
    ("reminders: [08:00, 8:00]\n", "reminders.times[1]", 1,
     "08:00 is also reminders.times[0] (each reminder time once)"),
    ("reminders:\n  times:\n    - 08:00\n    - noon\n", "reminders.times[1]", 4,
     "must be a time of day (HH:MM, 00:00-23:59, e.g. 08:00)"),
    (f"reminders: {{times: {THIRTEEN}}}\n", "reminders.times", 1,
     "has 13 times (times of day such as 08:00, up to 12; [] for none)"),
    ("reminders:\n  times: 08:00\n", "reminders.times", 2, "must be a list of times (times of day"),
    ("reminders: 08:00\n", "reminders", 1, "must be a list of times or settings with times and snooze"),
    ("reminders:\n  snooze: 30s\n", "reminders.snooze", 2, "is shorter than 1m (a time such as 15m; 1m to 2h)"),
    ("reminders:\n  snooze: 3h\n", "reminders.snooze", 2, "is longer than 2h (a time such as 15m; 1m to 2h)"),
    ("reminders:\n  snooze: soon\n", "reminders.snooze", 2, "must be a time (a time such as 15m; 1m to 2h)"),
    ("reminders:\n  snoze: 5m\n", "reminders.snoze", 2, "unknown key (did you mean 'snooze'?)"),
    ("display:\n  sleep_after: 5s\n", "display.sleep_after", 2,
     "is shorter than 10s (a time such as 2m; 10s to 1h, or never)"),
    ("display:\n  sleep_after: 2h\n", "display.sleep_after", 2, "is longer than 1h (a time such as 2m"),
    ("display:\n  sleep_after: always\n", "display.sleep_after", 2, "must be a time (a time such as 2m"),
    ("buttons:\n  encoder: [5]\n", "buttons.encoder", 2,
     "must be a pair of pins (two BCM pin numbers, 2-27, e.g. [5, 6], or null for none)"),
    ("buttons:\n  encoder: 5\n", "buttons.encoder", 2, "must be a pair of pins ("),
    ("buttons:\n  encoder: [5, 30]\n", "buttons.encoder[1]", 2, "30 is out of range (two BCM pin numbers"),
    ("buttons:\n  encoder: [5, 5]\n", "buttons.encoder[1]", 2,
     "pin 5 is also used by buttons.encoder[0] (each button, encoder pin and output needs its own pin)"),
    ("buttons:\n  encoder: [17, 5]\n", "buttons.encoder[0]", 2, "pin 17 is also used by buttons.up ("),
    ("buttons:\n  chord_seconds: 0.5\n", "buttons.chord_seconds", 2, "0.5 is out of range (1-10 seconds)"),
    ("buttons:\n  chord_seconds: long\n", "buttons.chord_seconds", 2, "must be a number (1-10 seconds)"),
    ("outputs:\n  led: 22\n", "outputs.led", 2,
     "pin 22 is also used by buttons.select (each button, encoder pin and output needs its own pin)"),
    ("outputs:\n  led: 24\n  buzzer: 24\n", "outputs.buzzer", 3, "pin 24 is also used by outputs.led ("),
    ("outputs:\n  buzzer: 1\n", "outputs.buzzer", 2, "1 is out of range (a BCM pin number, 2-27, or null for none)"),
    ("outputs:\n  led: '24'\n", "outputs.led", 2, "must be a whole number (a BCM pin number, 2-27, or null"),
    ("outputs:\n  buzzer_tonal: piezo\n", "outputs.buzzer_tonal", 2,
     "must be a choice (yes for a passive piezo that plays tones, no for an active buzzer"),
    ("outputs:\n  lde: 5\n", "outputs.lde", 2, "unknown key (did you mean 'led'?)"),
    ("outputs: 24\n", "outputs", 1, "must be settings (such as led: 24)"),
    ("checkins:\n  ask_area: maybe\n", "checkins.ask_area", 2, "must be a choice (yes or no)"),
    ("checkins:\n  prompt_every: 10m\n", "checkins.prompt_every", 2,
     "is shorter than 30m (a time such as 2h; 30m to 12h, or never)"),
    ("checkins:\n  prompt_every: 1d\n", "checkins.prompt_every", 2, "must be a time (a time such as 2h"),
    ("checkins:\n  prompt_timeout: 0\n", "checkins.prompt_timeout", 2,
     "is shorter than 1m (a time such as 10m; 1m to 2h)"),
    ("checkins:\n  prompt_timeout: never\n", "checkins.prompt_timeout", 2, "must be a time (a time such as 10m"),
    ("clinician:\n  code: [up, up]\n", "clinician.code", 2,
     "has 2 presses (6 to 10 button presses, each one of up, down, select, back, your own (not the example), "
     "or [] for none)"),
    ("clinician:\n  code: [up, up, down, select, up, up, down, select, back, back, up]\n", "clinician.code", 2,
     "has 11 presses (6 to 10"),
    ("clinician:\n  code:\n    - up\n    - up\n    - down\n    - up\n    - up\n    - left\n", "clinician.code[5]", 8,
     "must be a button (6 to 10"),
    ("clinician:\n  code: 1234\n", "clinician.code", 2, "must be a list of button presses (6 to 10"),
    ("clinician:\n  code: [up, down, up, down, select, back]\n", "clinician.code", 2,
     "is the example code printed in the README: choose your own"),
    ("clinician:\n  pin: 1234\n", "clinician.pin", 2, "unknown key (known keys here: code)"),
    ("profiles: Sam\n", "profiles", 1, "must be a list of profiles (each a profile with a name"),
    ("profiles:\n  - name: Sam\n  - name: Alex\n    daily_target: 0\n", "profiles[1].daily_target", 4,
     "0 is out of range (1-10)"),
    ("profiles:\n  - name: Sam\n    mode: gentle\n", "profiles[0].mode", 3, "must be a choice (firm or graded)"),
    ("profiles:\n  - name: Sam\n    session:\n      duration: 45m\n", "profiles[0].session.duration", 4,
     "is longer than 30 minutes (such as 4m"),
    ("profiles:\n  - name: Sam\n    session: 4m\n", "profiles[0].session", 3,
     "must be settings (such as duration: 4m)"),
    ("profiles:\n  - name: Sam\n    areas: []\n", "profiles[0].areas", 3, "needs at least one area"),
    ("profiles:\n  - name: Sam\n    areas:\n      - {id: back}\n", "profiles[0].areas[0].name", 4,
     "is missing (a short name shown on screen"),
    ("profiles:\n  - name: Sam\n    techniques:\n      - {id: rub, name: Rub, group: heat, prompt: Rub}\n",
     "profiles[0].techniques[0].group", 4, "must be a group (one of texture, pressure, temperature)"),
    ("profiles:\n  - name: Sam\n    ladder: [towel_rub, vibraton]\n", "profiles[0].ladder[1]", 3,
     "'vibraton' is not a technique (did you mean 'vibration'?)"),
    ("profiles:\n  - name: Sam\n    techniques:\n      - {id: towel_rub, name: Towel, group: texture, prompt: Rub}\n"
     "    ladder: [towel_rub, vibration]\n", "profiles[0].ladder[1]", 5,
     "'vibration' is not a technique (the techniques are: towel_rub)"),  # the profile's own list
    ("profiles:\n  - name: Sam\n    areas:\n      - {id: back, name: Back, ladder: [tapping, icerub]}\n",
     "profiles[0].areas[0].ladder[1]", 4, "'icerub' is not a technique (did you mean 'ice_rub'?)"),
    ("profiles:\n  - name: Sam\n  - name: SAM\n", "profiles[1].name", 3,
     "'SAM' is also the name of profiles[0] (each profile needs its own name; capitals do not count)"),
    ("profiles: [Sam, sam]\n", "profiles[1].name", 1, "'sam' is also the name of profiles[0]"),
    ("profiles:\n  - name: Samantha-Josephine\n", "profiles[0].name", 2,
     "is 18 characters long (a short nickname, 1-16 characters, e.g. Sam)"),
    ("profiles:\n  - name: ''\n", "profiles[0].name", 2, "must not be empty (a short nickname"),
    ("profiles:\n  - name: 7\n", "profiles[0].name", 2, "put it in quotes"),
    ("profiles:\n  - daily_target: 3\n", "profiles[0].name", 2, "is missing (a short nickname, 1-16"),
    ("profiles:\n  - name: Sam\n    reminders: []\n", "profiles[0].reminders", 3,
     "unknown key (known keys here: name, areas, techniques, session, daily_target, mode, ladder, language)"),
    ("profiles:\n  - name: Sam\n    daly_target: 3\n", "profiles[0].daly_target", 3,
     "unknown key (did you mean 'daily_target'?)"),
    ("profiles:\n  - [Sam]\n", "profiles[0]", 2, "must be a profile with a name and maybe its own settings"),
]


@pytest.mark.parametrize("text, key, line, allowed", NEW_CASES, ids=[c[1] + f"@{c[2]}" for c in NEW_CASES])
def test_each_new_key_problem_has_key_path_line_and_allowed_text(tmp_path, text, key, line, allowed):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    problem = only(path)
    assert (problem.file, problem.key, problem.line) == (str(path), key, line), str(problem)
    assert allowed in problem.message, str(problem)
    assert not problem.warning


def warnings_of(tmp_path, text: str) -> list[Problem]:
    loaded = load(write(tmp_path, text))
    assert all(w.warning and PROBLEM_LINE.match(str(w)) for w in loaded.warnings)
    return list(loaded.warnings)


# - times of day and the YAML 1.1 sexagesimal trap -


def test_yaml_reads_unquoted_times_as_base_60_numbers():
    """The trap the loader has to undo: YAML 1.1 turns 21:00 into 1260 and 12:30 into 750,
    but leaves 08:00 (leading zero) and 21:00-07:30 as text."""
    assert yaml.safe_load("a: 21:00\nb: 12:30\nc: 08:00\nd: 21:00-07:30\n") == {
        "a": 1260, "b": 750, "c": "08:00", "d": "21:00-07:30"}


@pytest.mark.parametrize("written, expected", [
    ("21:00", time(21, 0)), ("'21:00'", time(21, 0)), ('"21:00"', time(21, 0)),
    ("4:30", time(4, 30)), ("04:30", time(4, 30)), ("0:05", time(0, 5)), ("23:59", time(23, 59)),
    ("12:30", time(12, 30)), ("' 7:05 '", time(7, 5)),
])
def test_times_of_day_quoted_or_not(tmp_path, written, expected):
    config = load(write(tmp_path, f"day_starts_at: {written}\nreminders: [{written}]\n")).config
    assert config.day_starts_at == expected
    assert config.reminders.times == (expected,)


def test_unquoted_times_everywhere(tmp_path):
    config = load(write(tmp_path, """
        quiet_hours: 22:15-06:45
        day_starts_at: 2:00
        reminders:
          times: [19:30, 12:30, 08:00, 7:00]
    """)).config
    assert config.quiet_hours == cfg.QuietHours(time(22, 15), time(6, 45))
    assert config.day_starts_at == time(2, 0)
    assert config.reminders.times == (time(7, 0), time(8, 0), time(12, 30), time(19, 30))  # sorted


def test_quiet_hours_across_midnight(tmp_path):
    qh = load(write(tmp_path, "quiet_hours: 21:00 - 07:30\n")).config.quiet_hours
    assert time(23, 0) in qh and time(21, 0) in qh and time(0, 0) in qh and time(7, 29) in qh
    assert time(7, 30) not in qh and time(12, 0) not in qh and time(20, 59) not in qh
    day = load(write(tmp_path, "quiet_hours: '13:00-15:00'\n")).config.quiet_hours
    assert time(14, 0) in day and time(23, 0) not in day and time(15, 0) not in day


def test_day_start_outside_the_night_is_a_warning(tmp_path):
    (warning,) = warnings_of(tmp_path, "# late riser\nday_starts_at: 7:00\n")
    assert (warning.key, warning.line) == ("day_starts_at", 2)
    assert "07:00 is outside the usual 00:00-06:00 (allowed;" in warning.message
    assert warnings_of(tmp_path, "day_starts_at: '06:00'\n") == []
    assert warnings_of(tmp_path, "day_starts_at: '00:00'\n") == []


# - reminders -


def test_reminder_shorthand_keeps_the_default_snooze(tmp_path):
    config = load(write(tmp_path, "reminders: [17:00, '09:15']\n")).config
    assert config.reminders == cfg.RemindersConfig((time(9, 15), time(17, 0)), 900)
    config = load(write(tmp_path, "reminders: {snooze: 5m}\n")).config
    assert config.reminders == cfg.RemindersConfig(snooze_seconds=300)


@pytest.mark.parametrize("text", ["reminders: []\n", "reminders: {times: []}\n",
                                  "reminders:\n  times: []\n  snooze: 1h\n"])
def test_no_reminders(tmp_path, text):
    assert load(write(tmp_path, text)).config.reminders.times == ()


def test_twelve_reminders_are_allowed(tmp_path):
    times = "[" + ", ".join(f"'{h:02d}:00'" for h in range(8, 20)) + "]"
    assert len(load(write(tmp_path, f"reminders: {times}\n")).config.reminders.times) == 12


def test_reminder_in_quiet_hours_is_a_warning(tmp_path):
    (warning,) = warnings_of(tmp_path, """
        quiet_hours: 22:00-07:00
        reminders:
          - 06:30
          - 12:00
    """)
    assert (warning.key, warning.line) == ("reminders.times[0]", 3)
    assert warning.message.startswith("06:30 is in the quiet hours 22:00-07:00, so this reminder never comes")
    # a default reminder that the user's quiet hours now cover
    (warning,) = warnings_of(tmp_path, "quiet_hours: 19:00-07:00\n")
    assert warning.key == "reminders.times[3]" and warning.file == str(paths.default_config_path())


# - display, buttons, outputs, check-ins, clinician -


@pytest.mark.parametrize("written, seconds", [
    ("never", math.inf), ("Never", math.inf), ("null", math.inf), ("~", math.inf), ("off", math.inf),
    ("30s", 30), ("10m", 600), ("1h", 3600), ("90", 90),
])
def test_display_sleep_after(tmp_path, written, seconds):
    config = load(write(tmp_path, f"display:\n  sleep_after: {written}\n")).config
    assert config.display.sleep_after_seconds == seconds
    assert config.display.size is None and config.display.fullscreen is None


def test_encoder_outputs_and_chord(tmp_path):
    config = load(write(tmp_path, """
        buttons:
          encoder: [5, 6]
          chord_seconds: 4.5
        outputs:
          led: 24
          buzzer: 25
          buzzer_tonal: no
    """)).config
    assert config.buttons == cfg.ButtonsConfig(encoder=(5, 6), chord_seconds=4.5)
    assert (config.buttons.up, config.buttons.down) == (17, 27)  # still configured
    assert config.outputs == cfg.OutputsConfig(led=24, buzzer=25, buzzer_tonal=False)
    config = load(write(tmp_path, "buttons: {encoder: null}\noutputs: {led: ~, buzzer: off}\n")).config
    assert config.buttons.encoder is None and config.outputs == cfg.OutputsConfig()


def test_an_output_may_take_a_pin_the_user_moved_a_button_off(tmp_path):
    config = load(write(tmp_path, "buttons: {up: 5}\noutputs: {led: 17}\n")).config
    assert (config.buttons.up, config.outputs.led) == (5, 17)


def test_pin_clash_between_an_output_and_a_button_blames_the_users_pin(tmp_path):
    path = write(tmp_path, """
        outputs:
          buzzer: 27
    """)
    problem = only(path)
    assert (problem.key, problem.line) == ("outputs.buzzer", 2)
    assert problem.message == ("pin 27 is also used by buttons.down (each button, encoder pin "
                               "and output needs its own pin)")
    # both pins are the user's: the one further down the file is blamed
    path = write(tmp_path, "outputs:\n  led: 24\nbuttons:\n  select: 24\n")
    problem = only(path)
    assert (problem.key, problem.line) == ("buttons.select", 4)
    assert "pin 24 is also used by outputs.led" in problem.message


def test_checkins(tmp_path):
    config = load(write(tmp_path, "checkins:\n  ask_area: no\n  prompt_every: 1h30m\n  prompt_timeout: 5m\n")).config
    assert config.checkins == cfg.CheckinsConfig(ask_area=False, prompt_every_seconds=5400,
                                                 prompt_timeout_seconds=300)
    for never in ("never", "null", "off"):
        config = load(write(tmp_path, f"checkins:\n  prompt_every: {never}\n")).config
        assert config.checkins.prompt_every_seconds is None
    assert load(write(tmp_path, "checkins: {prompt_every: 2h}\n")).config.checkins.prompt_every_seconds == 7200


def test_prompt_timeout_as_long_as_the_interval_is_a_warning(tmp_path):
    (warning,) = warnings_of(tmp_path, "checkins:\n  prompt_every: 30m\n  prompt_timeout: 45m\n")
    assert (warning.key, warning.line) == ("checkins.prompt_timeout", 3)
    assert "45m is as long as checkins.prompt_every (30m) or longer (allowed;" in warning.message


@pytest.mark.parametrize("written, code", [
    ("[down, down, back, up, up, select]", ("down", "down", "back", "up", "up", "select")),
    ("[UP, Select, up, back, down, down, select, select]",
     ("up", "select", "up", "back", "down", "down", "select", "select")),
    ("up up down select down down", ("up", "up", "down", "select", "down", "down")),
    ("'back, back, select, up, down, up, down, up, down, back'",
     ("back", "back", "select", "up", "down", "up", "down", "up", "down", "back")),
    ("[]", ()),
    ("", ()),
])
def test_clinician_code(tmp_path, written, code):
    assert load(write(tmp_path, f"clinician:\n  code: {written}\n")).config.clinician.code == code


# - firm or graded, ladders -


def test_graded_with_own_ladder_and_an_area_ladder(tmp_path):
    config = load(write(tmp_path, """
        mode: graded
        ladder: [soft_touch, towel_rub, ice_rub]
        areas:
          - {id: back, name: Back, ladder: [smooth_cloth, tapping]}
          - {id: left_foot, name: Left foot}
    """)).config
    assert config.mode is cfg.Mode.GRADED
    assert config.ladder == ("soft_touch", "towel_rub", "ice_rub")
    assert config.area("back").ladder == ("smooth_cloth", "tapping")
    (person,) = config.people()
    assert person.mode is cfg.Mode.GRADED
    assert person.ladder_for("back") == ("smooth_cloth", "tapping")
    assert person.ladder_for("left_foot") == ("soft_touch", "towel_rub", "ice_rub")
    assert summary(config) == "4:00 sessions, 4 a day, 2 areas, 13 techniques, graded"


def test_an_empty_ladder_means_the_techniques_in_their_order(tmp_path):
    config = load(write(tmp_path, "mode: graded\nladder: []\n")).config
    assert config.ladder == ()
    assert config.people()[0].ladder_for("back") == tuple(t.id for t in config.techniques)


def test_own_techniques_quietly_trim_the_default_ladder(tmp_path):
    text = """
        techniques:
          - {id: towel_rub, name: Towel rub, group: texture, prompt: Rub}
          - {id: ice_rub, name: Ice rub, group: temperature, prompt: Ice}
    """
    loaded = load(write(tmp_path, text))
    assert loaded.warnings == () and loaded.config.ladder == ("towel_rub", "ice_rub")
    # in graded practice a technique the default ladder lacks would never come: a warning
    (warning,) = warnings_of(tmp_path, """
        mode: graded
        techniques:
          - {id: towel_rub, name: Towel rub, group: texture, prompt: Rub}
          - {id: feather, name: Feather, group: texture, prompt: F}
    """)
    assert (warning.key, warning.line) == ("techniques", 2)
    assert warning.message.startswith("feather is not on the ladder, so graded practice never offers it")


# - profiles -


def test_profiles_override_or_inherit(tmp_path):
    config = load(write(tmp_path, """
        daily_target: 4
        profiles:
          - name: Sam
            daily_target: 5
            mode: graded
          - name: Alex
    """)).config
    sam, alex = config.profiles
    assert config.people() == config.profiles
    assert (sam.name, sam.daily_target, sam.mode) == ("Sam", 5, cfg.Mode.GRADED)
    assert (alex.name, alex.daily_target, alex.mode) == ("Alex", 4, cfg.Mode.FIRM)
    for person in (sam, alex):
        assert person.areas == config.areas and person.techniques == config.techniques
        assert person.session == config.session and person.ladder == config.ladder
    assert (config.daily_target, config.mode) == (4, cfg.Mode.FIRM)  # the top level is untouched
    assert summary(config) == "4:00 sessions, 4 a day, 10 areas, 13 techniques, 2 profiles, firm and graded"


def test_profiles_overriding_everything(tmp_path):
    config = load(write(tmp_path, """
        mode: graded
        profiles:
          - name: Kim
            session: {duration: 3m}
            areas:
              - {id: back, name: Back, ladder: [tapping, towel_rub]}
              - {id: neck, name: Neck}
            techniques:
              - {id: towel_rub, name: Towel rub, group: texture, prompt: Rub}
              - {id: tapping, name: Tapping, group: pressure, prompt: Tap}
              - {id: feather, name: Feather, group: texture, prompt: Stroke}
            ladder: [feather, towel_rub, tapping]
          - name: Lee
            ladder: [soft_touch, ice_rub]
          - name: default
    """)).config
    kim, lee, default = config.people()
    assert kim.session.duration_seconds == 180 and [a.id for a in kim.areas] == ["back", "neck"]
    assert [t.id for t in kim.techniques] == ["towel_rub", "tapping", "feather"]
    assert kim.ladder_for("back") == ("tapping", "towel_rub")
    assert kim.ladder_for("neck") == ("feather", "towel_rub", "tapping")
    assert lee.ladder == ("soft_touch", "ice_rub") and lee.areas == config.areas
    assert default.name == "default" and default.ladder == config.ladder
    assert summary(config) == "4:00 sessions, 4 a day, 10 areas, 13 techniques, 3 profiles, graded"


def test_a_profile_with_own_techniques_keeps_only_its_rungs_of_inherited_ladders(tmp_path):
    loaded = load(write(tmp_path, """
        ladder: [soft_touch, towel_rub, tapping, ice_rub]
        areas:
          - {id: back, name: Back, ladder: [ice_rub, vibration]}
        profiles:
          - name: Kim
            techniques:
              - {id: ice_rub, name: Ice rub, group: temperature, prompt: Ice}
              - {id: towel_rub, name: Towel rub, group: texture, prompt: Rub}
    """))
    (kim,) = loaded.config.people()
    assert loaded.warnings == ()
    assert kim.ladder == ("towel_rub", "ice_rub")
    assert kim.area("back").ladder == ("ice_rub",)
    assert loaded.config.area("back").ladder == ("ice_rub", "vibration")  # the top level keeps all


def test_a_graded_profile_warns_about_techniques_off_the_inherited_ladder(tmp_path):
    (warning,) = warnings_of(tmp_path, """
        profiles:
          - name: Kim
            mode: graded
            techniques:
              - {id: towel_rub, name: Towel rub, group: texture, prompt: Rub}
              - {id: feather, name: Feather, group: texture, prompt: Stroke}
              - {id: sand, name: Sand, group: texture, prompt: Sand}
    """)
    assert (warning.key, warning.line) == ("profiles[0].techniques", 4)
    assert warning.message.startswith("feather, sand are not on the ladder, so graded practice never offers them")


def test_one_profile_and_shorthand_names(tmp_path):
    config = load(write(tmp_path, "profiles: [Sam]\n")).config
    (sam,) = config.people()
    assert sam.name == "Sam" and sam.daily_target == 4
    assert summary(config) == "4:00 sessions, 4 a day, 10 areas, 13 techniques"
    config = load(write(tmp_path, "profiles: [Sam, Alex, Jo]\n")).config
    assert [p.name for p in config.people()] == ["Sam", "Alex", "Jo"]


@pytest.mark.parametrize("text", ["", "profiles: []\n", "profiles:\n"])
def test_without_profiles_people_is_one_default(tmp_path, text):
    config = load(write(tmp_path, text)).config
    assert config.profiles == ()
    (person,) = config.people()
    assert person.name == DEFAULT_PROFILE
    assert (person.areas, person.techniques, person.daily_target) == (
        config.areas, config.techniques, config.daily_target)


def test_full_name_is_a_warning(tmp_path):
    (warning,) = warnings_of(tmp_path, "profiles:\n  - name: Sam Smith\n  - name: Alex\n")
    assert (warning.key, warning.line) == ("profiles[0].name", 2)
    assert warning.message.startswith("'Sam Smith' looks like a full name; use a short nickname")
    assert "e.g. Sam" in warning.message


def test_profile_warnings_carry_the_profile_path(tmp_path):
    (warning,) = warnings_of(tmp_path, "profiles:\n  - name: Sam\n    session:\n      duration: 2m\n")
    assert (warning.key, warning.line) == ("profiles[0].session.duration", 4)


def test_every_profile_problem_at_once(tmp_path):
    path = write(tmp_path, """
        profiles:
          - name: Sam
            daily_target: 11
          - name: sam
            mode: gentle
            ladder: [towel_rub, vibraton]
    """)
    assert [(p.key, p.line) for p in problems(path)] == [
        ("profiles[0].daily_target", 3),
        ("profiles[1].name", 4),
        ("profiles[1].mode", 5),
        ("profiles[1].ladder[1]", 6),
    ]


# - the bundled defaults file itself -


def test_every_top_level_key_in_the_defaults_is_explained():
    lines = Path(paths.default_config_path()).read_text().splitlines()
    keys = [i for i, line in enumerate(lines) if re.match(r"^[a-z_]+:", line)]
    assert {lines[i].split(":")[0] for i in keys} == {e.key for e in cfg.FIELDS if "." not in e.key}
    for i in keys:  # a comment just above the key, or just below it inside the section
        explained = lines[i - 1].startswith("#") or lines[i + 1].lstrip().startswith("#")
        assert explained, f"no comment for: {lines[i]}"


def test_the_example_codes_printed_in_the_defaults_are_refused(tmp_path):
    import re as regex

    from kiosk import paths as kiosk_paths

    printed = regex.findall(r"code: \[([a-z, ]+)\]", kiosk_paths.default_config_path().read_text(encoding="utf-8"))
    assert printed
    for example in printed:
        with pytest.raises(ConfigError) as refused:
            load(write(tmp_path, f"clinician:\n  code: [{example}]\n"))
        assert "example code" in str(refused.value)
