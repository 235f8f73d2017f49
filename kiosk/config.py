"""The kiosk's configuration: YAML merged over the bundled defaults, validated once into
frozen dataclasses, with every problem reported as `file:line: key.path: what (allowed)`."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from datetime import time
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from kiosk import paths
from kiosk.model import DEFAULT_PROFILE


class Group(str, Enum):
    """The three families of DESENS techniques, in the order the technique list shows them."""

    TEXTURE = "texture"
    PRESSURE = "pressure"
    TEMPERATURE = "temperature"


@dataclass(frozen=True)
class Step:
    """One part of a technique's countdown with its own prompt; `share` is a fraction of
    the session (the shares of a technique sum to 1 after loading)."""

    prompt: str
    share: float


@dataclass(frozen=True)
class Technique:
    id: str
    name: str
    group: Group
    prompt: str
    steps: tuple[Step, ...] = ()
    safety: str | None = None


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    ladder: tuple[str, ...] = ()  # graded practice: technique ids, least to most irritating


class Mode(str, Enum):
    """The clinician's school of practice."""

    FIRM = "firm"  # every technique for every area
    GRADED = "graded"  # a ladder per area, one rung at a time


@dataclass(frozen=True)
class SessionConfig:
    duration_seconds: float = 240.0


@dataclass(frozen=True)
class ButtonsConfig:
    """BCM pin numbers of the four buttons (wired to ground, internal pull-ups)."""

    up: int = 17
    down: int = 27
    select: int = 22
    back: int = 23
    hold_seconds: float = 2.0
    bounce_ms: int = 50
    encoder: tuple[int, int] | None = None  # a rotary encoder's A and B pins, in place of up/down
    chord_seconds: float = 3.0  # select + back held this long opens the clinician's code


@dataclass(frozen=True)
class DisplayConfig:
    size: tuple[int, int] | None = None  # None = auto
    fullscreen: bool | None = None  # None = auto
    sleep_after_seconds: float = 120.0  # dark after this long without input or session


@dataclass(frozen=True)
class SoundsConfig:
    enabled: bool = True
    volume: int = 80  # percent


@dataclass(frozen=True)
class QuietHours:
    """Hours with no reminders, no prompts and a dark screen; may span midnight."""

    start: time = time(21, 0)
    end: time = time(7, 30)

    def __contains__(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class RemindersConfig:
    times: tuple[time, ...] = (time(8, 0), time(12, 30), time(16, 30), time(19, 30))
    snooze_seconds: float = 900.0


@dataclass(frozen=True)
class CheckinsConfig:
    ask_area: bool = True  # after a check-in rating, ask where it hurts
    prompt_every_seconds: float | None = None  # None = never prompt
    prompt_timeout_seconds: float = 600.0  # an unanswered prompt goes away, recorded as missed


@dataclass(frozen=True)
class OutputsConfig:
    led: int | None = None  # BCM pin of a status LED (PWMLED)
    buzzer: int | None = None  # BCM pin of a buzzer
    buzzer_tonal: bool = True  # a passive piezo (TonalBuzzer) or an active one (Buzzer)


@dataclass(frozen=True)
class ClinicianConfig:
    code: tuple[str, ...] = ("up", "up", "down", "select")  # button names


@dataclass(frozen=True)
class Profile:
    """One patient's prescription: the top-level settings with that profile's overrides."""

    name: str
    areas: tuple[Area, ...]
    techniques: tuple[Technique, ...]
    session: SessionConfig
    daily_target: int
    mode: Mode = Mode.FIRM
    ladder: tuple[str, ...] = ()  # default ladder for areas without their own

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def technique(self, technique_id: str) -> Technique:
        return next(t for t in self.techniques if t.id == technique_id)

    def ladder_for(self, area_id: str) -> tuple[str, ...]:
        """The area's rungs, least irritating first (only techniques this profile has)."""
        known = {t.id for t in self.techniques}
        for rungs in (self.area(area_id).ladder, self.ladder, tuple(t.id for t in self.techniques)):
            usable = tuple(r for r in rungs if r in known)
            if usable:
                return usable
        return ()


@dataclass(frozen=True)
class Config:
    session: SessionConfig
    daily_target: int
    areas: tuple[Area, ...]
    techniques: tuple[Technique, ...]
    buttons: ButtonsConfig
    display: DisplayConfig
    sounds: SoundsConfig
    source: str = "<defaults>"  # the file the user settings came from, for messages
    mode: Mode = Mode.FIRM
    ladder: tuple[str, ...] = ()  # graded practice: the default ladder of technique ids
    quiet_hours: QuietHours = QuietHours()
    day_starts_at: time = time(3, 0)  # a session before this counts for the day before
    reminders: RemindersConfig = RemindersConfig()
    checkins: CheckinsConfig = CheckinsConfig()
    outputs: OutputsConfig = OutputsConfig()
    clinician: ClinicianConfig = ClinicianConfig()
    profiles: tuple[Profile, ...] = ()  # as configured; see `people`

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def technique(self, technique_id: str) -> Technique:
        return next(t for t in self.techniques if t.id == technique_id)

    def people(self) -> tuple[Profile, ...]:
        """The profiles that use the kiosk; without `profiles`, one called "default"
        with the top-level settings."""
        if self.profiles:
            return self.profiles
        return (
            Profile(
                name=DEFAULT_PROFILE,
                areas=self.areas,
                techniques=self.techniques,
                session=self.session,
                daily_target=self.daily_target,
                mode=self.mode,
                ladder=self.ladder,
            ),
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a config file."""

    file: str
    line: int
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {self.key}: {kind}{self.message}"


class ConfigError(Exception):
    """Raised by `load` with every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Loaded:
    config: Config
    warnings: tuple[Problem, ...] = field(default=())


# -- loading ------------------------------------------------------------------------------
# Everything below turns YAML text into a Config. The YAML is composed into a node tree (not
# constructed directly) so every value keeps the file and line it came from; the user tree is
# merged over the defaults tree and the merged tree is validated once.

# The bundled defaults, comments and all, are about 11 kB. Anything over 128 kB is refused
# before YAML parsing, which would take a Pi Zero many seconds on a huge list.
MAX_FILE_BYTES = 128 * 1024
_MAX_VALUES = 100_000  # stops alias "billion laughs" expansions
_MAX_DEPTH = 40  # a config needs about five levels
NAME_FIT = 22  # names and prompts longer than these may not fit the screen: warn
PROMPT_FIT = 60
_MIN_SECONDS, _MAX_SECONDS = 5.0, 30 * 60.0
_USUAL_SECONDS = (3 * 60.0, 5 * 60.0)
_MIN_SIZE, _MAX_SIZE = (320, 240), (7680, 4320)

_TOP_KEYS = ("session", "daily_target", "areas", "techniques", "buttons", "display", "sounds",
             "mode", "ladder", "quiet_hours", "day_starts_at", "reminders", "checkins", "outputs",
             "clinician", "profiles")
_SESSION_KEYS = ("duration",)
_AREA_KEYS = ("id", "name", "ladder")
_TECHNIQUE_KEYS = ("id", "name", "group", "prompt", "steps", "safety")
_STEP_KEYS = ("prompt", "share")
_PINS = ("up", "down", "select", "back")
_BUTTON_KEYS = _PINS + ("hold_seconds", "bounce_ms", "encoder", "chord_seconds")
_DISPLAY_KEYS = ("size", "fullscreen", "sleep_after")
_SOUND_KEYS = ("enabled", "volume")
_REMINDER_KEYS = ("times", "snooze")
_CHECKIN_KEYS = ("ask_area", "prompt_every", "prompt_timeout")
_OUTPUT_KEYS = ("led", "buzzer", "buzzer_tonal")
_CLINICIAN_KEYS = ("code",)
_PROFILE_KEYS = ("name", "areas", "techniques", "session", "daily_target", "mode", "ladder")
MAX_REMINDERS = 12
PROFILE_NAME_FIT = 16  # a profile name is a short nickname
_CODE_LENGTH = (3, 8)
_USUAL_DAY_START = (time(0, 0), time(6, 0))

_ID = re.compile(r"[a-z0-9_]+")
_NUMBER = r"(\d+(?:\.\d+)?)"
_DURATION = re.compile(rf"(?:{_NUMBER}\s*h)?\s*(?:{_NUMBER}\s*m)?\s*(?:{_NUMBER}\s*s)?")
_SECONDS = re.compile(r"\d+(?:\.\d+)?")
_SIZE = re.compile(r"(\d{1,5})\s*[x×]\s*(\d{1,5})")
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
_HOURS = re.compile(r"(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})")
_WORDS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_NEVER = ("never", "off", "no", "none")
_TEXT_HINT = "put it in quotes if it looks like a number or yes/no"
_AREA_WHAT = "an area with id and name (e.g. id: left_foot)"
_TECHNIQUE_WHAT = "a technique with id, name, group and prompt (e.g. id: towel_rub)"
_PROMPT_WHAT = "a short instruction shown during the countdown"
_SAFETY_WHAT = "a safety note shown before starting"
_STEP_WHAT = "a step with a prompt (e.g. prompt: Rub in circles)"
_STEP_PROMPT_WHAT = "a short instruction for this step"
_SHARE_WHAT = "a positive number, e.g. 1 or 0.5"
_PIN_WHAT = "a BCM pin number, 2-27"
_OPTIONAL_PIN_WHAT = "a BCM pin number, 2-27, or null for none"
_ENCODER_WHAT = "two BCM pin numbers, 2-27, e.g. [5, 6], or null for none"
_LADDER_WHAT = "least to most irritating, e.g. [soft_touch, towel_rub]"
_TIME_WHAT = "HH:MM, 00:00-23:59, e.g. 08:00"
_HOURS_WHAT = "HH:MM-HH:MM, e.g. 21:00-07:30"
_TIMES_WHAT = f"times of day such as 08:00, up to {MAX_REMINDERS}; [] for none"
_MODE_WHAT = "firm or graded"
_CODE_WHAT = (f"{_CODE_LENGTH[0]} to {_CODE_LENGTH[1]} button presses, each one of "
              f"{', '.join(_PINS)}, e.g. [up, up, down, select]")
_PROFILE_WHAT = "a profile with a name and maybe its own settings (e.g. name: Sam)"
_NICKNAME_WHAT = f"a short nickname, 1-{PROFILE_NAME_FIT} characters, e.g. Sam"
_SNOOZE_WHAT = "a time such as 15m; 1m to 2h"
_SLEEP_WHAT = "a time such as 2m; 10s to 1h, or never"
_PROMPT_EVERY_WHAT = "a time such as 2h; 30m to 12h, or never"
_PROMPT_TIMEOUT_WHAT = "a time such as 10m; 1m to 2h"


def parse_duration(value: Any) -> float:
    """Seconds from "4m", "90s", "1m30s", "2.5m", "2h", "1h30m", "240" or a number of seconds;
    ValueError for anything else (booleans, negative or endless numbers, other words)."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        try:
            seconds = float(value)
        except OverflowError:
            raise ValueError(f"not a duration: {value!r}") from None
    elif isinstance(value, str):
        text = value.strip().lower()
        match = _DURATION.fullmatch(text)
        if _SECONDS.fullmatch(text):  # "240": seconds, like a bare number
            seconds = float(text)
        elif match and any(match.groups()):
            hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
            seconds = hours * 3600 + minutes * 60 + secs
        else:
            raise ValueError(f"not a duration: {value!r}")
    else:
        raise ValueError(f"not a duration: {value!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"not a duration: {value!r}")
    return seconds


def _span(seconds: float) -> str:
    """A limit as the config writes it: 3600 -> "1h", 1800 -> "30m", 10 -> "10s"."""
    whole = round(seconds)
    if whole and whole % 3600 == 0:
        return f"{whole // 3600}h"
    if whole and whole % 60 == 0:
        return f"{whole // 60}m"
    return f"{whole}s"


def hhmm(moment: time) -> str:
    """A time of day as the config writes it, e.g. "07:30"."""
    return moment.strftime("%H:%M")


def clock(seconds: float) -> str:
    """Seconds as m:ss, e.g. 240 -> "4:00", as the kiosk and the messages show durations."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def summary(config: Config) -> str:
    """One line for `check-config`, e.g. "4:00 sessions, 4 a day, 10 areas, 13 techniques";
    with more than one profile and graded practice, e.g. "..., 2 profiles, graded"."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    line = (f"{clock(config.session.duration_seconds)} sessions, {config.daily_target} a day, "
            f"{count(len(config.areas), 'area')}, {count(len(config.techniques), 'technique')}")
    if len(config.profiles) > 1:
        line += f", {count(len(config.profiles), 'profile')}"
    modes = {person.mode for person in config.people()}
    if modes == {Mode.GRADED}:
        line += ", graded"
    elif Mode.GRADED in modes:
        line += ", firm and graded"
    return line


def load_defaults() -> Config:
    """The bundled defaults alone (what the kiosk falls back to when a user file is broken)."""
    return load(None).config


def load(path: Path | str | None) -> Loaded:
    """The bundled defaults with the user file at `path` merged over them, validated.

    Raises ConfigError listing every error found (warnings ride along in Loaded.warnings)."""
    defaults_path = paths.default_config_path()
    problems: list[Problem] = []
    tree = _read(defaults_path, problems)
    user = _read(Path(path), problems) if path is not None else None
    if user is not None and not isinstance(user.value, dict):
        problems.append(Problem(user.file, user.line, "(top)",
                                "must be settings written as key: value (e.g. daily_target: 4)"))
    if problems or tree is None:
        raise ConfigError(problems)
    tree = _shorthands(tree)
    if user is not None:
        tree = _merge(tree, _shorthands(user), top=True)
    checker = _Checker(tree.file)
    config = checker.config(tree, source=str(path if path is not None else defaults_path))
    errors = [p for p in checker.problems if not p.warning]
    if errors:
        raise ConfigError(_in_order(errors, config.source))
    warnings = [p for p in checker.problems if p.warning]
    return Loaded(config, tuple(_in_order(warnings, config.source)))


def _in_order(problems: list[Problem], user_file: str) -> list[Problem]:
    """The user file's problems first, each file's from top to bottom."""
    return sorted(problems, key=lambda p: (p.file != user_file, p.file, p.line))


# -- reading one file into a tree of located values ----------------------------------------


@dataclass
class _V:
    """A value from a YAML file with where it was written: dicts hold _V values, lists _V items."""

    value: Any
    file: str
    line: int
    text: str | None = None  # a scalar as written, e.g. "21:00" where YAML 1.1 reads 1260


class _Abort(Exception):
    """The file's YAML cannot be turned into settings at all; carries the one Problem."""


def _read(path: Path, problems: list[Problem]) -> _V | None:
    """The file as a _V tree (an empty file is an empty mapping), or None after adding the
    reason to `problems`. Never raises for a bad file."""
    file = str(path)

    def fail(message: str, line: int = 1, key: str = "(file)") -> None:
        problems.append(Problem(file, line, key, message))

    try:
        if path.is_dir():
            return fail("is a folder, not a file (give the path of a YAML settings file)")
        if not path.exists():
            return fail("does not exist (give the path of a YAML settings file)")
        if not path.is_file():
            return fail("is not a regular file (give the path of a YAML settings file)")
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return fail(f"cannot be read: {reason} (the kiosk needs to be able to read it)")
    if len(data) > MAX_FILE_BYTES:
        return fail("is larger than 128 kB (a settings file is a few kB of YAML)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return fail("is not UTF-8 text (save it as UTF-8 in the editor)", line)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return fail(*_yaml_error(error, text), key="(yaml)")
    except RecursionError:
        return fail("is nested too deeply (a settings file needs only a few levels)", _deepest_line(text),
                    key="(yaml)")
    if node is None:
        return _V({}, file, 1)
    local: list[Problem] = []
    try:
        tree = _Converter(file, local).convert(node, node.start_mark.line + 1, "", 0)
    except _Abort as abort:
        local.append(abort.args[0])
    problems.extend(local)
    if local:
        return None
    return _V({}, file, 1) if tree.value is None else tree  # a document of only "---"


def _yaml_error(error: yaml.YAMLError, text: str) -> tuple[str, int]:
    """The message and 1-based line of a YAML syntax (or reader) error."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    else:  # a ReaderError (a control character) knows only its position
        line = text[: getattr(error, "position", 0)].count("\n") + 1
    what = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    context = getattr(error, "context", None)
    what = f"{context}, {what}" if context else what
    return f"YAML syntax: {what} (write key: value, lists with '- ', spaces not tabs)", line


class _Converter:
    """Turns a composed YAML node tree into _V values, refusing cycles, deep nesting, alias
    explosions and duplicate keys (which plain YAML loading silently accepts)."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        self.loader = yaml.SafeLoader("")  # only to construct scalars (ints, bools, ...)
        self.count = 0
        self.open: set[int] = set()

    def convert(self, node: yaml.Node, line: int, path: str, depth: int) -> _V:
        key = path or "(top)"
        self.count += 1
        if self.count > _MAX_VALUES:
            raise _Abort(Problem(self.file, line, key, f"holds over {_MAX_VALUES} values "
                                 "(a settings file has a few hundred; check for aliases)"))
        if depth > _MAX_DEPTH or id(node) in self.open:
            raise _Abort(Problem(self.file, line, key, "is nested too deeply or refers to itself "
                                 "(a settings file needs only a few levels)"))
        if isinstance(node, yaml.ScalarNode):
            try:
                return _V(self.loader.construct_object(node), self.file, line, node.value)
            except Exception as error:  # PyYAML's constructors raise assorted errors for bad tags
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise _Abort(Problem(self.file, line, key, f"cannot be read: {reason} "
                                     "(plain text, numbers or yes/no, no !tags)")) from None
        self.open.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            value: Any = [self.convert(item, item.start_mark.line + 1, f"{path}[{i}]", depth + 1)
                          for i, item in enumerate(node.value)]
        else:
            value = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem(self.file, key_line, key, "has a key that is not "
                                                 "a plain word (keys are words such as duration)"))
                    continue
                name = key_node.value
                child_path = _join(path, name)
                if name in value:
                    other = value[name].line
                    self.problems.append(Problem(self.file, key_line, child_path, "is given twice "
                                                 f"(keep one; the other is on line {other})"))
                    continue
                value[name] = self.convert(value_node, key_line, child_path, depth + 1)
        self.open.discard(id(node))
        return _V(value, self.file, line)


def _join(path: str, key: str) -> str:
    """`path.key`, with a key that is empty, long or has spaces made printable as one word."""
    if not re.fullmatch(r"\S{1,40}", key):
        key = '"' + re.sub(r"\s", "␣", key[:40]) + ("…" if len(key) > 40 else "") + '"'
    return f"{path}.{key}" if path else key


def _shorthands(tree: _V) -> _V:
    """Short forms written out before merging, so the rest comes from the defaults:
    `reminders: [08:00, 12:30]` means `reminders: {times: [08:00, 12:30]}` (snooze unchanged)."""
    if not isinstance(tree.value, dict):
        return tree
    reminders = tree.value.get("reminders")
    if reminders is None or not isinstance(reminders.value, list):
        return tree
    value = dict(tree.value)
    value["reminders"] = _V({"times": reminders}, reminders.file, reminders.line)
    return _V(value, tree.file, tree.line)


def _merge(base: _V, over: _V, top: bool = False) -> _V:
    """Mappings merge key by key; anything else in `over` replaces `base` wholesale. At the
    top level a null section (e.g. `sounds:` with everything under it commented out) means
    the defaults."""
    if not (isinstance(base.value, dict) and isinstance(over.value, dict)):
        return over
    merged = dict(base.value)
    for key, value in over.value.items():
        if key in merged:
            if not (top and value.value is None):
                merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return _V(merged, over.file, over.line)


# -- validating the merged tree ------------------------------------------------------------


class _Checker:
    """Checks the merged tree, collecting every Problem, and builds the Config from it (with
    placeholder values where something is wrong: such a Config is never handed out)."""

    def __init__(self, user_file: str) -> None:
        self.problems: list[Problem] = []
        self.user_file = user_file  # values from any other file come from the defaults
        self.pins: list[tuple[str, int, _V]] = []  # every pin given, in order, for clashes

    def errors(self) -> int:
        """How many errors so far (to tell whether a section came out clean)."""
        return sum(1 for p in self.problems if not p.warning)

    def error(self, at: _V, path: str, message: str, warning: bool = False) -> None:
        self.problems.append(Problem(at.file, at.line, path, message, warning))

    # - generic checks: each returns the clean value, or None after reporting -

    def mapping(self, v: _V, path: str, keys: tuple[str, ...], what: str) -> dict[str, _V] | None:
        if not isinstance(v.value, dict):
            self.error(v, path or "(top)", f"must be {what}")
            return None
        for key, child in v.value.items():
            if key not in keys:
                self.error(child, _join(path, key), _unknown(key, keys))
        return v.value

    def child(self, parent: _V, path: str, key: str, allowed: str) -> _V | None:
        """A required key's value, or None after citing the parent's line."""
        if key in parent.value:
            return parent.value[key]
        self.error(parent, _join(path, key), f"is missing ({allowed})")
        return None

    def whole(self, v: _V, path: str, low: int, high: int, allowed: str = "") -> int | None:
        allowed = allowed or f"{low}-{high}"
        x = v.value
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        if isinstance(x, bool) or not isinstance(x, int):
            self.error(v, path, f"must be a whole number ({allowed})")
            return None
        if not low <= x <= high:
            self.error(v, path, f"{x} is out of range ({allowed})")
            return None
        return x

    def number(self, v: _V, path: str, low: float, high: float, allowed: str) -> float | None:
        x = v.value
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            self.error(v, path, f"must be a number ({allowed})")
            return None
        if not low <= x <= high:  # also refuses .nan
            self.error(v, path, f"{x} is out of range ({allowed})")
            return None
        return float(x)

    def text(self, v: _V, path: str, allowed: str, fit: int | None = None) -> str | None:
        if isinstance(v.value, str) and v.value.strip():
            text = " ".join(v.value.split())
        elif isinstance(v.value, str) or v.value is None:
            self.error(v, path, f"must not be empty ({allowed})")
            return None
        else:
            self.error(v, path, f"must be text ({allowed}; {_TEXT_HINT})")
            return None
        if fit and len(text) > fit:
            self.error(v, path, f"is {len(text)} characters long and may not fit on the screen "
                       f"(up to {fit} fit well)", warning=True)
        return text

    def switch(self, v: _V, path: str, allowed: str, auto: bool = False) -> bool | None:
        """yes/no (true/false, on/off, quoted or not); with `auto`, also "auto" or empty -> None."""
        x = v.value
        if isinstance(x, bool):
            return x
        if auto and (x is None or (isinstance(x, str) and x.strip().lower() == "auto")):
            return None
        if isinstance(x, str) and x.strip().lower() in _WORDS:
            return _WORDS[x.strip().lower()]
        self.error(v, path, f"must be a choice ({allowed})")
        return None

    def ids(self, items: list[tuple[str, str, _V]], kind: str) -> None:
        """Reports an id used twice in one list, at its second use."""
        seen: dict[str, str] = {}
        for item_id, path, v in items:
            if item_id in seen:
                self.error(v, path, f"'{item_id}' is also used by {seen[item_id]} "
                           f"(each {kind} needs its own id)")
            else:
                seen[item_id] = path.rsplit(".", 1)[0]

    # - the sections -

    def config(self, root: _V, source: str) -> Config:
        top = self.mapping(root, "", _TOP_KEYS, "settings (written as key: value)")
        if top is None:
            return _placeholder(source)

        def section(key: str) -> _V | None:
            return self.child(root, "", key, f"the {key} settings")

        v = {key: section(key) for key in _TOP_KEYS}
        techniques: tuple[Technique, ...] = ()
        known: tuple[str, ...] | None = None  # the technique ids, if the list is sound
        if (t := v["techniques"]) is not None:
            before = self.errors()
            techniques = self.techniques(t, "techniques")
            known = tuple(x.id for x in techniques) if self.errors() == before else None
        mode = self.mode(v["mode"], "mode") if v["mode"] else Mode.FIRM
        ladder = self.ladder(v["ladder"], "ladder", known) if v["ladder"] else ()
        if (t and v["ladder"] and mode is Mode.GRADED
                and t.file == self.user_file != v["ladder"].file):
            self.uncovered(ladder, techniques, t, "techniques")  # own techniques, default ladder
        quiet = self.quiet_hours(v["quiet_hours"]) if v["quiet_hours"] else QuietHours()
        base = Profile(
            name=DEFAULT_PROFILE,
            areas=self.areas(v["areas"], "areas", known) if v["areas"] else (),
            techniques=techniques,
            session=self.session(v["session"], "session") if v["session"] else SessionConfig(),
            daily_target=(self.target(v["daily_target"], "daily_target")
                          if v["daily_target"] else None) or 4,
            mode=mode,
            ladder=ladder,
        )
        buttons = self.buttons(v["buttons"]) if v["buttons"] else ButtonsConfig()
        outputs = self.outputs(v["outputs"]) if v["outputs"] else OutputsConfig()
        self.clashes()
        return Config(
            session=base.session,
            daily_target=base.daily_target,
            areas=base.areas,
            techniques=base.techniques,
            buttons=buttons,
            display=self.display(v["display"]) if v["display"] else DisplayConfig(),
            sounds=self.sounds(v["sounds"]) if v["sounds"] else SoundsConfig(),
            source=source,
            mode=mode,
            ladder=ladder,
            quiet_hours=quiet,
            day_starts_at=(self.day_starts_at(v["day_starts_at"])
                           if v["day_starts_at"] else None) or time(3, 0),
            reminders=(self.reminders(v["reminders"], quiet) if v["reminders"]
                       else RemindersConfig()),
            checkins=self.checkins(v["checkins"]) if v["checkins"] else CheckinsConfig(),
            outputs=outputs,
            clinician=self.clinician(v["clinician"]) if v["clinician"] else ClinicianConfig(),
            profiles=self.profiles(v["profiles"], base, known) if v["profiles"] else (),
        )

    def session(self, v: _V, path: str) -> SessionConfig:
        m = self.mapping(v, path, _SESSION_KEYS, "settings (such as duration: 4m)")
        if m is None or (d := self.child(v, path, "duration", "a time such as 4m")) is None:
            return SessionConfig()
        allowed = "such as 4m, 90s or 1m30s; 5s to 30m"
        try:
            seconds = parse_duration(d.value)
        except ValueError:
            self.error(d, f"{path}.duration", f"must be a time ({allowed})")
            return SessionConfig()
        if seconds < _MIN_SECONDS or seconds > _MAX_SECONDS:
            wrong = "longer than 30 minutes" if seconds > _MAX_SECONDS else "shorter than 5 seconds"
            self.error(d, f"{path}.duration", f"is {wrong} ({allowed})")
        elif not _USUAL_SECONDS[0] <= seconds <= _USUAL_SECONDS[1]:
            self.error(d, f"{path}.duration", f"{clock(seconds)} is outside the usual 3 to 5 "
                       "minutes (allowed; check it matches the prescription)", warning=True)
        return SessionConfig(duration_seconds=seconds)

    def target(self, v: _V, path: str) -> int | None:
        return self.whole(v, path, 1, 10)

    def mode(self, v: _V, path: str) -> Mode:
        word = v.value.strip().lower() if isinstance(v.value, str) else None
        mode = next((m for m in Mode if m.value == word), None)
        if mode is None:
            self.error(v, path, f"must be a choice ({_MODE_WHAT})")
            return Mode.FIRM
        return mode

    def areas(self, v: _V, path: str, known: tuple[str, ...] | None) -> tuple[Area, ...]:
        """The areas; each area's own ladder is checked against `known` technique ids."""
        items = self.listing(v, path, "area", "id and name")
        found: list[tuple[str, str, _V]] = []
        areas = []
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            if self.mapping(item, item_path, _AREA_KEYS, _AREA_WHAT) is None:
                continue
            area_id = self.ident(item, item_path, "left_foot")
            name = self.named(item, item_path, "Left foot")
            if area_id:
                found.append((area_id, f"{item_path}.id", item.value["id"]))
            ladder = ()
            if "ladder" in item.value:
                ladder = self.ladder(item.value["ladder"], f"{item_path}.ladder", known)
            areas.append(Area(area_id or "", name or "", ladder))
        self.ids(found, "area")
        return tuple(areas)

    def techniques(self, v: _V, path: str) -> tuple[Technique, ...]:
        items = self.listing(v, path, "technique", "id, name, group and prompt")
        found: list[tuple[str, str, _V]] = []
        techniques = []
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            if self.mapping(item, item_path, _TECHNIQUE_KEYS, _TECHNIQUE_WHAT) is None:
                continue
            technique_id = self.ident(item, item_path, "towel_rub")
            if technique_id:
                found.append((technique_id, f"{item_path}.id", item.value["id"]))
            name = self.named(item, item_path, "Towel rub")
            group = None
            groups = ", ".join(g.value for g in Group)
            if (g := self.child(item, item_path, "group", f"one of {groups}")) is not None:
                word = g.value.strip().lower() if isinstance(g.value, str) else None
                group = next((x for x in Group if x.value == word), None)
                if group is None:
                    self.error(g, f"{item_path}.group", f"must be a group (one of {groups})")
            prompt = None
            if (p := self.child(item, item_path, "prompt", _PROMPT_WHAT)) is not None:
                prompt = self.text(p, f"{item_path}.prompt", _PROMPT_WHAT, PROMPT_FIT)
            safety = None
            if (s := item.value.get("safety")) is not None and s.value is not None:
                if isinstance(s.value, str):
                    safety = " ".join(s.value.split()) or None
                else:
                    self.error(s, f"{item_path}.safety",
                               f"must be text ({_SAFETY_WHAT}; {_TEXT_HINT})")
            steps = ()
            if "steps" in item.value:
                steps = self.steps(item.value["steps"], f"{item_path}.steps")
            techniques.append(Technique(technique_id or "", name or "", group or Group.TEXTURE,
                                        prompt or "", steps, safety))
        self.ids(found, "technique")
        return tuple(techniques)

    def ladder(self, v: _V, path: str, known: tuple[str, ...] | None) -> tuple[str, ...]:
        """Technique ids, least to most irritating; `known` None skips the id check (the
        technique list has its own errors). An id that is not a technique is an error in a
        ladder the user wrote; in one taken from the defaults (the user replaced the
        techniques) it is left out quietly."""
        if v.value is None:
            return ()
        if not isinstance(v.value, list):
            self.error(v, path, f"must be a list of technique ids ({_LADDER_WHAT})")
            return ()
        strict = v.file == self.user_file
        rungs: list[str] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(v.value):
            item_path = f"{path}[{i}]"
            x = item.value
            if not isinstance(x, str) or not _ID.fullmatch(x):
                self.error(item, item_path, f"must be a technique id ({_LADDER_WHAT})")
                continue
            if known is not None and x not in known:
                if strict:
                    self.error(item, item_path, f"'{x}' is not a technique {_which(x, known)}")
                continue
            if x in seen:
                self.error(item, item_path, f"'{x}' is also {seen[x]} (each technique once "
                           "on a ladder)")
                continue
            seen[x] = item_path
            rungs.append(x)
        return tuple(rungs)

    def uncovered(self, ladder: tuple[str, ...], techniques: tuple[Technique, ...], at: _V,
                  path: str) -> None:
        """Warns when graded practice would never offer some of these techniques because the
        ladder they came with (not written for them) leaves them out."""
        if not ladder:  # no ladder: every technique, in the order listed
            return
        missing = [t.id for t in techniques if t.id not in ladder]
        if missing:
            it, is_ = ("it", "is") if len(missing) == 1 else ("them", "are")
            self.error(at, path, f"{', '.join(missing)} {is_} not on the ladder, so graded "
                       f"practice never offers {it} (allowed; to offer {it}, write a ladder "
                       f"that includes {it}, least to most irritating)", warning=True)

    def quiet_hours(self, v: _V) -> QuietHours:
        x = v.value
        match = _HOURS.fullmatch(x.strip()) if isinstance(x, str) else None
        start = _time_of_day(match[1]) if match else None
        end = _time_of_day(match[2]) if match else None
        if start is None or end is None:
            self.error(v, "quiet_hours", f"must be two times of day ({_HOURS_WHAT})")
            return QuietHours()
        if start == end:
            self.error(v, "quiet_hours", f"starts and ends at {hhmm(start)} (two different "
                       f"times, {_HOURS_WHAT})")
            return QuietHours()
        return QuietHours(start, end)

    def day_starts_at(self, v: _V) -> time | None:
        allowed = "HH:MM, usually 00:00-06:00, e.g. 03:00"
        moment = self.time_of_day(v, "day_starts_at", allowed)
        if moment is not None and not _USUAL_DAY_START[0] <= moment <= _USUAL_DAY_START[1]:
            self.error(v, "day_starts_at", f"{hhmm(moment)} is outside the usual 00:00-06:00 "
                       f"(allowed; a session before {hhmm(moment)} counts for the day before)",
                       warning=True)
        return moment

    def time_of_day(self, v: _V, path: str, allowed: str = _TIME_WHAT) -> time | None:
        moment = _time_of_day(v.value, v.text)
        if moment is None:
            self.error(v, path, f"must be a time of day ({allowed})")
        return moment

    def reminders(self, v: _V, quiet: QuietHours) -> RemindersConfig:
        what = ("a list of times or settings with times and snooze (e.g. [08:00, 12:30], or "
                "times: [08:00] and snooze: 15m)")
        if self.mapping(v, "reminders", _REMINDER_KEYS, what) is None:
            return RemindersConfig()
        times, snooze = RemindersConfig().times, RemindersConfig().snooze_seconds
        if (t := self.child(v, "reminders", "times", _TIMES_WHAT)) is not None:
            times = self.reminder_times(t, quiet)
        if (s := self.child(v, "reminders", "snooze", _SNOOZE_WHAT)) is not None:
            snooze = self.duration(s, "reminders.snooze", 60, 2 * 3600, _SNOOZE_WHAT) or snooze
        return RemindersConfig(times=times, snooze_seconds=snooze)

    def reminder_times(self, v: _V, quiet: QuietHours) -> tuple[time, ...]:
        """The times sorted; a repeated time is an error, one in quiet hours a warning."""
        path = "reminders.times"
        if not isinstance(v.value, list):
            self.error(v, path, f"must be a list of times ({_TIMES_WHAT})")
            return ()
        if len(v.value) > MAX_REMINDERS:
            self.error(v, path, f"has {len(v.value)} times ({_TIMES_WHAT})")
        found: dict[time, str] = {}
        quiet_text = f"{hhmm(quiet.start)}-{hhmm(quiet.end)}"
        for i, item in enumerate(v.value):
            item_path = f"{path}[{i}]"
            moment = self.time_of_day(item, item_path)
            if moment is None:
                continue
            if moment in found:
                self.error(item, item_path, f"{hhmm(moment)} is also {found[moment]} (each "
                           "reminder time once)")
                continue
            found[moment] = item_path
            if moment in quiet:
                self.error(item, item_path, f"{hhmm(moment)} is in the quiet hours "
                           f"{quiet_text}, so this reminder never comes (allowed; move it or "
                           "change quiet_hours)", warning=True)
        return tuple(sorted(found))

    def duration(self, v: _V, path: str, low: float, high: float, allowed: str,
                 never: bool = False) -> float | None:
        """Seconds within low-high; with `never`, also never/off/null -> math.inf."""
        x = v.value
        if never and (x is None or x is False
                      or (isinstance(x, str) and x.strip().lower() in _NEVER)):
            return math.inf
        try:
            seconds = parse_duration(x)
        except ValueError:
            self.error(v, path, f"must be a time ({allowed})")
            return None
        if seconds > high or seconds < low:
            wrong = f"longer than {_span(high)}" if seconds > high else f"shorter than {_span(low)}"
            self.error(v, path, f"is {wrong} ({allowed})")
            return None
        return seconds

    def checkins(self, v: _V) -> CheckinsConfig:
        if self.mapping(v, "checkins", _CHECKIN_KEYS, "settings (such as ask_area: yes)") is None:
            return CheckinsConfig()
        default = CheckinsConfig()
        ask_area = default.ask_area
        if (a := self.child(v, "checkins", "ask_area", "yes or no")) is not None:
            ask_area = self.switch(a, "checkins.ask_area", "yes or no")
        every = default.prompt_every_seconds
        if (e := self.child(v, "checkins", "prompt_every", _PROMPT_EVERY_WHAT)) is not None:
            seconds = self.duration(e, "checkins.prompt_every", 30 * 60, 12 * 3600,
                                    _PROMPT_EVERY_WHAT, never=True)
            every = None if seconds is None or seconds == math.inf else seconds
        timeout = default.prompt_timeout_seconds
        if (t := self.child(v, "checkins", "prompt_timeout", _PROMPT_TIMEOUT_WHAT)) is not None:
            timeout = self.duration(t, "checkins.prompt_timeout", 60, 2 * 3600,
                                    _PROMPT_TIMEOUT_WHAT) or timeout
            if every is not None and timeout >= every:
                self.error(t, "checkins.prompt_timeout", f"{_span(timeout)} is as long as "
                           f"checkins.prompt_every ({_span(every)}) or longer (allowed; an "
                           "unanswered prompt then lasts until the next one)", warning=True)
        return CheckinsConfig(ask_area=default.ask_area if ask_area is None else ask_area,
                              prompt_every_seconds=every, prompt_timeout_seconds=timeout)

    def steps(self, v: _V, path: str) -> tuple[Step, ...]:
        """Steps with shares normalised to sum to 1 (all omitted: equal parts)."""
        if v.value is None:
            return ()
        if not isinstance(v.value, list):
            self.error(v, path, "must be a list of steps (each with a prompt and maybe a share)")
            return ()
        prompts: list[str] = []
        shares: list[tuple[float | None, _V, str]] = []
        for i, item in enumerate(v.value):
            item_path = f"{path}[{i}]"
            if isinstance(item.value, str):  # shorthand: a step is just its prompt
                item = _V({"prompt": item}, item.file, item.line)
            if self.mapping(item, item_path, _STEP_KEYS, _STEP_WHAT) is None:
                continue
            if (p := self.child(item, item_path, "prompt", _STEP_PROMPT_WHAT)) is not None:
                prompts.append(self.text(p, f"{item_path}.prompt", _PROMPT_WHAT, PROMPT_FIT) or "")
            share = item.value.get("share")
            if share is None or share.value is None:
                shares.append((None, item, item_path))
                continue
            x = self.number(share, f"{item_path}.share", 0, math.inf, _SHARE_WHAT)
            if x == 0:
                self.error(share, f"{item_path}.share", f"must be more than 0 ({_SHARE_WHAT})")
            shares.append((x or 1.0, item, item_path))  # 1.0 stands in for a reported share
        given = [x for x, _, _ in shares if x is not None]
        if given and len(given) < len(shares):
            for x, item, item_path in shares:
                if x is None:
                    self.error(item, f"{item_path}.share", "is missing while other steps have one "
                               "(give every step a share, or none for equal parts)")
            return ()
        parts = given or [1.0] * len(shares)
        total = sum(parts)
        if not math.isfinite(total):
            self.error(v, path, "shares are too large (use small numbers such as 1, 2, 3)")
            return ()
        return tuple(Step(prompt, part / total) for prompt, part in zip(prompts, parts))

    def listing(self, v: _V, path: str, kind: str, fields: str) -> list[_V]:
        if not isinstance(v.value, list):
            self.error(v, path, f"must be a list of {kind}s (each with {fields})")
            return []
        if not v.value:
            self.error(v, path, f"needs at least one {kind} (each with {fields})")
        return v.value

    def ident(self, item: _V, path: str, example: str) -> str | None:
        allowed = f"lowercase letters, digits and _, e.g. {example}"
        if (v := self.child(item, path, "id", allowed)) is None:
            return None
        if not isinstance(v.value, str) or not _ID.fullmatch(v.value):
            self.error(v, f"{path}.id", f"must be an id ({allowed})")
            return None
        return v.value

    def named(self, item: _V, path: str, example: str) -> str | None:
        allowed = f"a short name shown on screen, e.g. {example}"
        if (v := self.child(item, path, "name", allowed)) is None:
            return None
        return self.text(v, f"{path}.name", allowed, NAME_FIT)

    def buttons(self, v: _V) -> ButtonsConfig:
        if self.mapping(v, "buttons", _BUTTON_KEYS, "settings (such as up: 17)") is None:
            return ButtonsConfig()
        values: dict[str, Any] = {}
        for key in _PINS:
            pin_v = self.child(v, "buttons", key, _PIN_WHAT)
            pin = self.whole(pin_v, f"buttons.{key}", 2, 27, _PIN_WHAT) if pin_v else None
            if pin is not None:
                values[key] = pin
                self.pins.append((f"buttons.{key}", pin, pin_v))
        if (e := v.value.get("encoder")) is not None and not _none(e.value):
            values["encoder"] = self.encoder(e)
        if (h := self.child(v, "buttons", "hold_seconds", "0.5-10 seconds")) is not None:
            values["hold_seconds"] = self.number(h, "buttons.hold_seconds", 0.5, 10,
                                                 "0.5-10 seconds")
        if (b := self.child(v, "buttons", "bounce_ms", "0-500 milliseconds")) is not None:
            values["bounce_ms"] = self.whole(b, "buttons.bounce_ms", 0, 500, "0-500 milliseconds")
        if (c := v.value.get("chord_seconds")) is not None:
            values["chord_seconds"] = self.number(c, "buttons.chord_seconds", 1, 10,
                                                  "1-10 seconds")
        return ButtonsConfig(**{k: x for k, x in values.items() if x is not None})

    def encoder(self, v: _V) -> tuple[int, int] | None:
        if not isinstance(v.value, list) or len(v.value) != 2:
            self.error(v, "buttons.encoder", f"must be a pair of pins ({_ENCODER_WHAT})")
            return None
        pins = []
        for i, item in enumerate(v.value):
            pin = self.whole(item, f"buttons.encoder[{i}]", 2, 27, _ENCODER_WHAT)
            if pin is not None:
                self.pins.append((f"buttons.encoder[{i}]", pin, item))
            pins.append(pin)
        a, b = pins
        return None if a is None or b is None else (a, b)

    def outputs(self, v: _V) -> OutputsConfig:
        if self.mapping(v, "outputs", _OUTPUT_KEYS, "settings (such as led: 24)") is None:
            return OutputsConfig()
        pins: dict[str, int | None] = {}
        for key in ("led", "buzzer"):
            if (p := v.value.get(key)) is None or _none(p.value):
                continue  # none fitted
            pins[key] = self.whole(p, f"outputs.{key}", 2, 27, _OPTIONAL_PIN_WHAT)
            if pins[key] is not None:
                self.pins.append((f"outputs.{key}", pins[key], p))
        tonal = None
        allowed = "yes for a passive piezo that plays tones, no for an active buzzer that beeps"
        if (t := v.value.get("buzzer_tonal")) is not None:
            tonal = self.switch(t, "outputs.buzzer_tonal", allowed)
        return OutputsConfig(led=pins.get("led"), buzzer=pins.get("buzzer"),
                             buzzer_tonal=True if tonal is None else tonal)

    def clashes(self) -> None:
        """A pin given twice among buttons, encoder and outputs: blames the pin the user wrote
        if only one of the two is theirs, else the one further down the file."""
        used: dict[int, tuple[str, _V]] = {}
        for path, pin, at in self.pins:
            if pin not in used:
                used[pin] = (path, at)
                continue
            other, other_at = used[pin]
            blamed, blamed_at, by = path, at, other
            if (other_at.file == self.user_file != at.file
                    or (other_at.file == at.file and other_at.line > at.line)):
                blamed, blamed_at, by = other, other_at, path
            buttons_only = all(p.startswith("buttons.") and "encoder" not in p
                               for p in (path, other))
            why = ("each button needs its own pin" if buttons_only
                   else "each button, encoder pin and output needs its own pin")
            self.error(blamed_at, blamed, f"pin {pin} is also used by {by} ({why})")

    def clinician(self, v: _V) -> ClinicianConfig:
        if self.mapping(v, "clinician", _CLINICIAN_KEYS, "settings (such as code: "
                        "[up, up, down, select])") is None:
            return ClinicianConfig()
        if (c := self.child(v, "clinician", "code", _CODE_WHAT)) is None:
            return ClinicianConfig()
        items = c.value
        if isinstance(items, str):  # shorthand: "up up down select"
            items = [_V(word, c.file, c.line) for word in re.split(r"[\s,]+", items.strip())
                     if word]
        if not isinstance(items, list):
            self.error(c, "clinician.code", f"must be a list of button presses ({_CODE_WHAT})")
            return ClinicianConfig()
        if not _CODE_LENGTH[0] <= len(items) <= _CODE_LENGTH[1]:
            self.error(c, "clinician.code", f"has {len(items)} presses ({_CODE_WHAT})")
            return ClinicianConfig()
        code = []
        for i, item in enumerate(items):
            word = item.value.strip().lower() if isinstance(item.value, str) else None
            if word not in _PINS:
                self.error(item, f"clinician.code[{i}]", f"must be a button ({_CODE_WHAT})")
                return ClinicianConfig()
            code.append(word)
        return ClinicianConfig(code=tuple(code))

    def profiles(self, v: _V, base: Profile, known: tuple[str, ...] | None
                 ) -> tuple[Profile, ...]:
        """Each profile resolved over `base` (the top-level settings)."""
        if v.value is None:
            return ()
        if not isinstance(v.value, list):
            self.error(v, "profiles", f"must be a list of profiles (each {_PROFILE_WHAT}; "
                       "[] for one person)")
            return ()
        seen: dict[str, str] = {}
        profiles = []
        for i, item in enumerate(v.value):
            path = f"profiles[{i}]"
            if isinstance(item.value, str):  # shorthand: a profile is just its name
                item = _V({"name": item}, item.file, item.line)
            if self.mapping(item, path, _PROFILE_KEYS, _PROFILE_WHAT) is None:
                continue
            name = self.nickname(item, path, seen)
            profiles.append(self.profile(item, path, name or "", base, known))
        return tuple(profiles)

    def nickname(self, item: _V, path: str, seen: dict[str, str]) -> str | None:
        if (n := self.child(item, path, "name", _NICKNAME_WHAT)) is None:
            return None
        if (name := self.text(n, f"{path}.name", _NICKNAME_WHAT)) is None:
            return None
        if len(name) > PROFILE_NAME_FIT:
            self.error(n, f"{path}.name", f"is {len(name)} characters long ({_NICKNAME_WHAT})")
        if name.casefold() in seen:
            self.error(n, f"{path}.name", f"'{name}' is also the name of {seen[name.casefold()]} "
                       "(each profile needs its own name; capitals do not count)")
        else:
            seen[name.casefold()] = path
        if " " in name:
            self.error(n, f"{path}.name", f"'{name}' looks like a full name; use a short "
                       f"nickname (never a full name on screen, e.g. {name.split()[0]})",
                       warning=True)
        return name

    def profile(self, item: _V, path: str, name: str, base: Profile,
                known: tuple[str, ...] | None) -> Profile:
        """One profile: its own settings checked like the top-level ones (null = not given),
        the rest from `base`. Ladders the profile writes must use its techniques; ladders it
        inherits keep only the rungs it has."""
        own = {key: x for key, x in item.value.items() if key != "name" and x.value is not None}
        techniques = base.techniques
        if "techniques" in own:
            before = self.errors()
            techniques = self.techniques(own["techniques"], f"{path}.techniques")
            known = tuple(t.id for t in techniques) if self.errors() == before else None

        def keep(rungs: tuple[str, ...]) -> tuple[str, ...]:
            return rungs if known is None else tuple(r for r in rungs if r in known)

        if "areas" in own:
            areas = self.areas(own["areas"], f"{path}.areas", known)
        else:
            areas = tuple(Area(a.id, a.name, keep(a.ladder)) for a in base.areas)
        mode = self.mode(own["mode"], f"{path}.mode") if "mode" in own else base.mode
        if "ladder" in own:
            ladder = self.ladder(own["ladder"], f"{path}.ladder", known)
        else:
            ladder = keep(base.ladder)
            if "techniques" in own and mode is Mode.GRADED:
                self.uncovered(ladder, techniques, own["techniques"], f"{path}.techniques")
        session = base.session
        if "session" in own:
            session = self.session(own["session"], f"{path}.session")
        target = base.daily_target
        if "daily_target" in own:
            target = self.target(own["daily_target"], f"{path}.daily_target") or target
        return Profile(name=name, areas=areas, techniques=techniques, session=session,
                       daily_target=target, mode=mode, ladder=ladder)

    def display(self, v: _V) -> DisplayConfig:
        if self.mapping(v, "display", _DISPLAY_KEYS, "settings (such as size: auto)") is None:
            return DisplayConfig()
        size = None
        if (s := v.value.get("size")) is not None:
            size = self.size(s)
        fullscreen = None
        if (f := v.value.get("fullscreen")) is not None:
            fullscreen = self.switch(f, "display.fullscreen", "auto, yes or no", auto=True)
        sleep_after = DisplayConfig().sleep_after_seconds
        if (a := v.value.get("sleep_after")) is not None:
            sleep_after = self.duration(a, "display.sleep_after", 10, 3600, _SLEEP_WHAT,
                                        never=True) or sleep_after
        return DisplayConfig(size=size, fullscreen=fullscreen, sleep_after_seconds=sleep_after)

    def size(self, v: _V) -> tuple[int, int] | None:
        allowed = (f"auto or WIDTHxHEIGHT, e.g. 800x480, from {_MIN_SIZE[0]}x{_MIN_SIZE[1]} "
                   f"to {_MAX_SIZE[0]}x{_MAX_SIZE[1]}")
        x = v.value
        if x is None or (isinstance(x, str) and x.strip().lower() == "auto"):
            return None
        match = _SIZE.fullmatch(x.strip().lower()) if isinstance(x, str) else None
        if not match:
            self.error(v, "display.size", f"must be a screen size ({allowed})")
            return None
        width, height = int(match[1]), int(match[2])
        if not (_MIN_SIZE[0] <= width <= _MAX_SIZE[0] and _MIN_SIZE[1] <= height <= _MAX_SIZE[1]):
            self.error(v, "display.size", f"{width}x{height} is out of range ({allowed})")
            return None
        return (width, height)

    def sounds(self, v: _V) -> SoundsConfig:
        if self.mapping(v, "sounds", _SOUND_KEYS, "settings (such as volume: 80)") is None:
            return SoundsConfig()
        enabled, volume = None, None
        if (e := self.child(v, "sounds", "enabled", "yes or no")) is not None:
            enabled = self.switch(e, "sounds.enabled", "yes or no")
        if (vol := self.child(v, "sounds", "volume", "0-100 percent")) is not None:
            volume = self.whole(vol, "sounds.volume", 0, 100, "0-100 percent")
        return SoundsConfig(enabled=True if enabled is None else enabled,
                            volume=80 if volume is None else volume)


def _placeholder(source: str) -> Config:
    """An empty Config for the checker to return when the tree is unusable (never handed out)."""
    return Config(SessionConfig(), 4, (), (), ButtonsConfig(), DisplayConfig(), SoundsConfig(),
                  source)


def _time_of_day(value: Any, text: str | None = None) -> time | None:
    """A time from "21:00" or "7:30"; None for anything else. YAML 1.1 reads an unquoted 21:00
    as the base-60 number 1260: that is turned back into 21:00, but only when it was written
    with a colon (`text`), so a bare 8 is not taken for 00:08."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not (text and ":" in text):
            return None
        hours, minutes = divmod(value, 60)
    elif isinstance(value, str) and (match := _HHMM.fullmatch(value.strip())):
        hours, minutes = int(match[1]), int(match[2])
    else:
        return None
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None
    return time(hours, minutes)


def _none(value: Any) -> bool:
    """null, no or off: an optional part that is not fitted."""
    return value is None or value is False


def _which(word: str, known: tuple[str, ...]) -> str:
    """ "(did you mean 'vibration'?)", or the list of known ids if none is close."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"(did you mean '{close[0]}'?)"
    return f"(the techniques are: {', '.join(known)})"


def _deepest_line(text: str) -> int:
    """The first line where the nesting (indentation plus open brackets) is deepest."""
    best, best_line, open_brackets = -1, 1, 0
    for number, line in enumerate(text.splitlines(), 1):
        depth = (len(line) - len(line.lstrip(" "))) // 2 + open_brackets
        for char in line:
            if char in "[{":
                open_brackets += 1
                depth = max(depth, (len(line) - len(line.lstrip(" "))) // 2 + open_brackets)
            elif char in "]}":
                open_brackets = max(0, open_brackets - 1)
        if depth > best:
            best, best_line = depth, number
    return best_line


def _unknown(key: str, known: tuple[str, ...]) -> str:
    """ "unknown key (did you mean 'session'?)", or the list of known keys if none is close."""
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean '{close[0]}'?)"
    return f"unknown key (known keys here: {', '.join(known)})"
