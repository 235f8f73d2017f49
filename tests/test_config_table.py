"""The table of settings (kiosk.config.fields): every entry documented in the bundled
default.yaml with the dataclass default, every dataclass field reachable from the table,
and the generic checker working for a table it has never seen."""

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.config import FIELDS, Config, Profile, load_defaults
from kiosk.config.checker import Checker, Records, Section, Setting, Table, attr
from kiosk.config.fields import PROFILE_OVERRIDES, RULES
from kiosk.config.kinds import Duration, Number, Switch, Whole
from kiosk.config.problems import in_order
from kiosk.config.yamltree import Located, parse, read

TABLE = Table(FIELDS, Config)
DEFAULTS = Path(paths.default_config_path())
LINES = DEFAULTS.read_text(encoding="utf-8").splitlines()


def plain_settings() -> list[Setting]:
    """Settings of the top level and of sections (not fields of list entries)."""
    return [e for e in FIELDS if isinstance(e, Setting) and "[]" not in e.key]


def located(key: str) -> Located | None:
    node = read(DEFAULTS, [])
    for part in key.split("."):
        if node is None or not isinstance(node.value, dict):
            return None
        node = node.value.get(part)
    return node


def explained(line: int) -> bool:
    """A comment just above the key; or the key opens its section (only sibling keys, no
    comment, between it and the section's line) and the section is explained."""
    index = line - 1

    def comment(i: int) -> bool:
        return LINES[i].lstrip().startswith("#")

    def indent(i: int) -> int:
        return len(LINES[i]) - len(LINES[i].lstrip())

    if index > 0 and comment(index - 1):
        return True
    above = index - 1
    while above >= 0 and LINES[above].strip() and not comment(above) and indent(above) == indent(index):
        above -= 1
    if above < 0 or not LINES[above].strip() or comment(above) or indent(above) >= indent(index):
        return False
    return explained(above + 1)


@pytest.mark.parametrize("entry", plain_settings(), ids=lambda e: e.key)
def test_every_setting_is_in_the_defaults_file_with_its_default_and_explained(entry):
    node = located(entry.key)
    assert node is not None, f"config/default.yaml has no {entry.key}"
    assert explained(node.line), f"config/default.yaml:{node.line}: {entry.key} has no comment"
    if entry.content:  # the bundled list is the default (e.g. the ladder)
        return
    config = load_defaults()
    section, _, _ = entry.key.rpartition(".")
    holder = getattr(config, section) if section else config
    assert getattr(holder, attr(entry)) == TABLE.default(entry), (
        f"config/default.yaml:{node.line}: {entry.key} is not the dataclass default")


def test_every_section_and_list_is_in_the_defaults_file_and_explained():
    for entry in FIELDS:
        if isinstance(entry, (Section, Records)) and "[]" not in entry.key:
            node = located(entry.key)
            assert node is not None, entry.key
            below = LINES[node.line].lstrip() if node.line < len(LINES) else ""
            assert explained(node.line) or below.startswith("#"), entry.key


def test_ranges_are_said_in_the_allowed_text():
    for entry in plain_settings():
        kind = entry.kind
        if isinstance(kind, (Whole, Number)) and kind.high != float("inf"):
            low, high = (f"{x:g}" for x in (kind.low, kind.high))
            assert f"{low}-{high}" in entry.allowed, entry.key
        if isinstance(kind, Switch):
            assert "yes" in entry.allowed and "no" in entry.allowed, entry.key
        if isinstance(kind, Duration):
            assert "such as" in entry.allowed, entry.key


def test_every_dataclass_field_has_a_table_entry():
    def keys_under(prefix: str) -> set[str]:
        return {attr(e) for e in TABLE.children(prefix)}

    assert {f.name for f in dataclasses.fields(Config)} - {"source"} == keys_under("")
    for entry in FIELDS:
        if isinstance(entry, Section) or (isinstance(entry, Records) and entry.build is not Profile):
            fields = {f.name for f in dataclasses.fields(entry.build)}
            assert fields == keys_under(entry.key), entry.key
    profile_fields = {f.name for f in dataclasses.fields(Profile)}
    assert profile_fields == keys_under("profiles") | set(PROFILE_OVERRIDES)


def test_a_table_entry_names_a_real_place():
    with pytest.raises(ValueError, match="comes before its section"):
        Table([Setting("voice.rate", Whole(1, 3), "1-3")], Config)
    with pytest.raises(ValueError, match="twice"):
        Table([Setting("daily_target", Whole(1, 10), "1-10")] * 2, Config)


# - the checker knows no setting: a new section is one entry per key plus its dataclass -


@dataclass(frozen=True)
class Voice:
    enabled: bool = False
    rate: int = 2
    pause_seconds: float = 30.0


@dataclass(frozen=True)
class Station:
    voice: Voice = Voice()
    language: str = "en"
    source: str = ""


STATION = Table([
    Section("voice", Voice, "enabled: yes"),
    Setting("voice.enabled", Switch(), "yes or no"),
    Setting("voice.rate", Whole(1, 3), "1-3, slow to quick"),
    Setting("voice.pause", Duration(5, 60), "a time such as 30s; 5s to 1m", attr="pause_seconds"),
    Setting("language", Switch(), "unused here"),
], Station)


def check(text: str) -> tuple[Station, list[str]]:
    problems: list = []
    tree = parse(text.encode(), "station.yaml", problems)
    checker = Checker(STATION, "station.yaml")
    station = checker.check(tree, (), source="station.yaml")
    return station, [str(p) for p in in_order(checker.problems, "station.yaml")]


def test_a_new_section_reads_with_defaults_messages_and_suggestions():
    station, problems = check("voice:\n  rate: 3\n")
    assert station == Station(voice=Voice(rate=3), source="station.yaml") and problems == []
    station, problems = check("voice:\n  enabled: yes\n  pause: 10s\n")
    assert station.voice == Voice(enabled=True, pause_seconds=10)
    _, problems = check("voice:\n  rate: 5\n  pase: 10s\n  enabled: maybe\n")
    assert problems == [
        "station.yaml:2: voice.rate: 5 is out of range (1-3, slow to quick)",
        "station.yaml:3: voice.pase: unknown key (did you mean 'pause'?)",
        "station.yaml:4: voice.enabled: must be a choice (yes or no)",
    ]
    _, problems = check("voice: loud\n")
    assert problems == ["station.yaml:1: voice: must be settings (such as enabled: yes)"]


def test_the_real_table_alone_needs_the_lists_and_runs_its_rules():
    """Without the bundled defaults under it, a file must give the lists themselves."""
    problems: list = []
    tree = parse(b"buttons: {up: 5, down: 5}\n", "x.yaml", problems)
    checker = Checker(TABLE, "x.yaml")
    checker.check(tree, RULES, source="x.yaml")
    assert [str(p) for p in in_order(checker.problems, "x.yaml")] == [
        "x.yaml:1: areas: is missing (a list of areas, each with id and name)",
        "x.yaml:1: techniques: is missing (a list of techniques, each with id, name, group and prompt)",
        "x.yaml:1: buttons.down: pin 5 is also used by buttons.up (each button needs its own pin)"]


def test_no_default_is_written_in_the_checker_or_the_kinds():
    """Defaults live in the dataclasses (and are documented in default.yaml), nowhere else."""
    source = Path(__file__).resolve().parent.parent / "kiosk" / "config"
    for name in ("checker.py", "kinds.py", "fields.py"):
        text = (source / name).read_text()
        assert not re.search(r"\b(ButtonsConfig|SoundsConfig|DisplayConfig|CheckinsConfig|"
                             r"RemindersConfig|SessionConfig|OutputsConfig|ClinicianConfig)\(\)",
                             text), name
