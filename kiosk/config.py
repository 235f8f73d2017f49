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
from kiosk.records import DEFAULT_PROFILE


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
        rungs = self.area(area_id).ladder or self.ladder or tuple(t.id for t in self.techniques)
        return tuple(r for r in rungs if r in known)


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

MAX_FILE_BYTES = 1024 * 1024  # a config file is a few kB; anything over 1 MB is refused
_MAX_VALUES = 100_000  # stops alias "billion laughs" expansions
_MAX_DEPTH = 40  # a config needs about five levels
NAME_FIT = 22  # names and prompts longer than these may not fit the screen: warn
PROMPT_FIT = 60
_MIN_SECONDS, _MAX_SECONDS = 5.0, 30 * 60.0
_USUAL_SECONDS = (3 * 60.0, 5 * 60.0)
_MIN_SIZE, _MAX_SIZE = (320, 240), (7680, 4320)

_TOP_KEYS = ("session", "daily_target", "areas", "techniques", "buttons", "display", "sounds")
_SESSION_KEYS = ("duration",)
_AREA_KEYS = ("id", "name")
_TECHNIQUE_KEYS = ("id", "name", "group", "prompt", "steps", "safety")
_STEP_KEYS = ("prompt", "share")
_PINS = ("up", "down", "select", "back")
_BUTTON_KEYS = _PINS + ("hold_seconds", "bounce_ms")
_DISPLAY_KEYS = ("size", "fullscreen")
_SOUND_KEYS = ("enabled", "volume")

_ID = re.compile(r"[a-z0-9_]+")
_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)\s*m)?\s*(?:(\d+(?:\.\d+)?)\s*s)?")
_SECONDS = re.compile(r"\d+(?:\.\d+)?")
_SIZE = re.compile(r"(\d{1,5})\s*[x×]\s*(\d{1,5})")
_WORDS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_TEXT_HINT = "put it in quotes if it looks like a number or yes/no"
_AREA_WHAT = "an area with id and name (e.g. id: left_foot)"
_TECHNIQUE_WHAT = "a technique with id, name, group and prompt (e.g. id: towel_rub)"
_PROMPT_WHAT = "a short instruction shown during the countdown"
_SAFETY_WHAT = "a safety note shown before starting"
_STEP_WHAT = "a step with a prompt (e.g. prompt: Rub in circles)"
_STEP_PROMPT_WHAT = "a short instruction for this step"
_SHARE_WHAT = "a positive number, e.g. 1 or 0.5"
_PIN_WHAT = "a BCM pin number, 2-27"


def parse_duration(value: Any) -> float:
    """Seconds from "4m", "90s", "1m30s", "2.5m", "240" or a number of seconds; ValueError
    for anything else (booleans, negative or endless numbers, other words)."""
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
            minutes, secs = (float(g) if g else 0.0 for g in match.groups())
            seconds = minutes * 60 + secs
        else:
            raise ValueError(f"not a duration: {value!r}")
    else:
        raise ValueError(f"not a duration: {value!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"not a duration: {value!r}")
    return seconds


def clock(seconds: float) -> str:
    """Seconds as m:ss, e.g. 240 -> "4:00", as the kiosk and the messages show durations."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def summary(config: Config) -> str:
    """One line for `check-config`, e.g. "4:00 sessions, 4 a day, 10 areas, 13 techniques"."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    return (f"{clock(config.session.duration_seconds)} sessions, {config.daily_target} a day, "
            f"{count(len(config.areas), 'area')}, {count(len(config.techniques), 'technique')}")


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
    if user is not None:
        tree = _merge(tree, user, top=True)
    checker = _Checker()
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
        return fail("is larger than 1 MB (a settings file is a few kB of YAML)")
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
        return fail("is nested too deeply (a settings file needs only a few levels)", key="(yaml)")
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
                return _V(self.loader.construct_object(node), self.file, line)
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

    def __init__(self) -> None:
        self.problems: list[Problem] = []

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

        session, target, areas, techniques, buttons, display, sounds = map(section, _TOP_KEYS)
        return Config(
            session=self.session(session) if session else SessionConfig(),
            daily_target=(self.whole(target, "daily_target", 1, 10) if target else None) or 4,
            areas=self.areas(areas) if areas else (),
            techniques=self.techniques(techniques) if techniques else (),
            buttons=self.buttons(buttons) if buttons else ButtonsConfig(),
            display=self.display(display) if display else DisplayConfig(),
            sounds=self.sounds(sounds) if sounds else SoundsConfig(),
            source=source,
        )

    def session(self, v: _V) -> SessionConfig:
        m = self.mapping(v, "session", _SESSION_KEYS, "settings (such as duration: 4m)")
        if m is None or (d := self.child(v, "session", "duration", "a time such as 4m")) is None:
            return SessionConfig()
        allowed = "such as 4m, 90s or 1m30s; 5s to 30m"
        try:
            seconds = parse_duration(d.value)
        except ValueError:
            self.error(d, "session.duration", f"must be a time ({allowed})")
            return SessionConfig()
        if seconds < _MIN_SECONDS or seconds > _MAX_SECONDS:
            wrong = "longer than 30 minutes" if seconds > _MAX_SECONDS else "shorter than 5 seconds"
            self.error(d, "session.duration", f"is {wrong} ({allowed})")
        elif not _USUAL_SECONDS[0] <= seconds <= _USUAL_SECONDS[1]:
            self.error(d, "session.duration", f"{clock(seconds)} is outside the usual 3 to 5 "
                       "minutes (allowed; check it matches the prescription)", warning=True)
        return SessionConfig(duration_seconds=seconds)

    def areas(self, v: _V) -> tuple[Area, ...]:
        items = self.listing(v, "areas", "area", "id and name")
        found: list[tuple[str, str, _V]] = []
        areas = []
        for i, item in enumerate(items):
            path = f"areas[{i}]"
            if self.mapping(item, path, _AREA_KEYS, _AREA_WHAT) is None:
                continue
            area_id = self.ident(item, path, "left_foot")
            name = self.named(item, path, "Left foot")
            if area_id:
                found.append((area_id, f"{path}.id", item.value["id"]))
            areas.append(Area(area_id or "", name or ""))
        self.ids(found, "area")
        return tuple(areas)

    def techniques(self, v: _V) -> tuple[Technique, ...]:
        items = self.listing(v, "techniques", "technique", "id, name, group and prompt")
        found: list[tuple[str, str, _V]] = []
        techniques = []
        for i, item in enumerate(items):
            path = f"techniques[{i}]"
            if self.mapping(item, path, _TECHNIQUE_KEYS, _TECHNIQUE_WHAT) is None:
                continue
            technique_id = self.ident(item, path, "towel_rub")
            if technique_id:
                found.append((technique_id, f"{path}.id", item.value["id"]))
            name = self.named(item, path, "Towel rub")
            group = None
            groups = ", ".join(g.value for g in Group)
            if (g := self.child(item, path, "group", f"one of {groups}")) is not None:
                word = g.value.strip().lower() if isinstance(g.value, str) else None
                group = next((x for x in Group if x.value == word), None)
                if group is None:
                    self.error(g, f"{path}.group", f"must be a group (one of {groups})")
            prompt = None
            if (p := self.child(item, path, "prompt", _PROMPT_WHAT)) is not None:
                prompt = self.text(p, f"{path}.prompt", _PROMPT_WHAT, PROMPT_FIT)
            safety = None
            if (s := item.value.get("safety")) is not None and s.value is not None:
                if isinstance(s.value, str):
                    safety = " ".join(s.value.split()) or None
                else:
                    self.error(s, f"{path}.safety", f"must be text ({_SAFETY_WHAT}; {_TEXT_HINT})")
            steps = ()
            if "steps" in item.value:
                steps = self.steps(item.value["steps"], f"{path}.steps")
            techniques.append(Technique(technique_id or "", name or "", group or Group.TEXTURE,
                                        prompt or "", steps, safety))
        self.ids(found, "technique")
        return tuple(techniques)

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
        used: dict[int, str] = {}
        for key in _PINS:
            pin_v = self.child(v, "buttons", key, _PIN_WHAT)
            pin = self.whole(pin_v, f"buttons.{key}", 2, 27, _PIN_WHAT) if pin_v else None
            if pin is None:
                continue
            values[key] = pin
            if pin in used:  # blame the pin the user wrote, if only one of the two is theirs
                other, blamed = used[pin], key
                if v.value[other].file == v.file != v.value[key].file:
                    other, blamed = key, other
                self.error(v.value[blamed], f"buttons.{blamed}", f"pin {pin} is also used by "
                           f"buttons.{other} (each button needs its own pin)")
            else:
                used[pin] = key
        if (h := self.child(v, "buttons", "hold_seconds", "0.5-10 seconds")) is not None:
            values["hold_seconds"] = self.number(h, "buttons.hold_seconds", 0.5, 10,
                                                 "0.5-10 seconds")
        if (b := self.child(v, "buttons", "bounce_ms", "0-500 milliseconds")) is not None:
            values["bounce_ms"] = self.whole(b, "buttons.bounce_ms", 0, 500, "0-500 milliseconds")
        return ButtonsConfig(**{k: x for k, x in values.items() if x is not None})

    def display(self, v: _V) -> DisplayConfig:
        if self.mapping(v, "display", _DISPLAY_KEYS, "settings (such as size: auto)") is None:
            return DisplayConfig()
        size = None
        if (s := v.value.get("size")) is not None:
            size = self.size(s)
        fullscreen = None
        if (f := v.value.get("fullscreen")) is not None:
            fullscreen = self.switch(f, "display.fullscreen", "auto, yes or no", auto=True)
        return DisplayConfig(size=size, fullscreen=fullscreen)

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


def _unknown(key: str, known: tuple[str, ...]) -> str:
    """ "unknown key (did you mean 'session'?)", or the list of known keys if none is close."""
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean '{close[0]}'?)"
    return f"unknown key (known keys here: {', '.join(known)})"
