"""The table of every setting: key path, kind (type and range), allowed text, and the
dataclass field whose default it takes. The generic checker (kiosk.config.checker) walks
it; the rules at the end check what spans several settings (pins used twice, techniques
graded practice would never offer, a profile's inherited ladders)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from datetime import time

from kiosk.config.checker import (
    At,
    Checker,
    Item,
    Records,
    Scope,
    Section,
    Setting,
    Unique,
)
from kiosk.config.kinds import (
    BUTTONS,
    ButtonPresses,
    Choice,
    Duration,
    Encoder,
    Hours,
    Ident,
    Ladder,
    Nickname,
    Number,
    Pin,
    ReminderTimes,
    Size,
    Switch,
    Text,
    TimeOfDay,
    Whole,
)
from kiosk.config.settings import (
    Area,
    GradedConfig,
    Language,
    RetentionConfig,
    VoiceConfig,
    VoiceEngine,
    ButtonsConfig,
    CheckinsConfig,
    ClinicianConfig,
    DisplayConfig,
    Group,
    Mode,
    OutputsConfig,
    Profile,
    RemindersConfig,
    SessionConfig,
    SoundsConfig,
    Technique,
    TechniqueStep,
)
from kiosk.config.values import MAX_SIZE, MIN_SIZE, clock, hhmm, span, span_in_words
from kiosk.config.problems import Invalid
from kiosk.config.yamltree import Located

NAME_FIT = 22  # names and prompts longer than these may not fit the screen: warn
PROMPT_FIT = 60
PROFILE_NAME_FIT = 16  # a profile name is a short nickname
MAX_REMINDERS = 12
CODE_LENGTH = (6, 10)
# Printed in the README and default.yaml as an example: refused, so nobody runs on it.
SAMPLE_CODES = (("up", "down", "up", "down", "select", "back"), ("up", "down", "select", "back", "up", "down"),
                ("up", "up", "down", "select"))
USUAL_SESSION = (3 * 60.0, 5 * 60.0)
USUAL_DAY_START = (time(0, 0), time(6, 0))

LADDER_WHAT = "least to most irritating, e.g. [soft_touch, towel_rub]"
PROMPT_WHAT = "a short instruction shown during the countdown"
PIN_WHAT = "a BCM pin number, 2-27"
OPTIONAL_PIN_WHAT = "a BCM pin number, 2-27, or null for none"
NICKNAME_WHAT = f"a short nickname, 1-{PROFILE_NAME_FIT} characters, e.g. Sam"
GROUPS = ", ".join(g.value for g in Group)
CODE_WHAT = (f"{CODE_LENGTH[0]} to {CODE_LENGTH[1]} button presses, each one of "
             f"{', '.join(BUTTONS)}, your own (not the example), or [] for none")


# - warnings about values that are allowed but worth a second look -


def usual_session_length(seconds: float, at: At) -> str | None:
    if USUAL_SESSION[0] <= seconds <= USUAL_SESSION[1]:
        return None
    return (f"{clock(seconds)} is outside the usual 3 to 5 minutes (allowed; check it matches "
            "the prescription)")


def usual_day_start(moment: time, at: At) -> str | None:
    if USUAL_DAY_START[0] <= moment <= USUAL_DAY_START[1]:
        return None
    return (f"{hhmm(moment)} is outside the usual 00:00-06:00 (allowed; a session before "
            f"{hhmm(moment)} counts for the day before)")


def prompt_outlasts_interval(timeout: float, at: At) -> str | None:
    every = at.lookup("checkins.prompt_every").value
    if every is None or timeout < every:
        return None
    return (f"{span(timeout)} is as long as checkins.prompt_every ({span(every)}) or longer "
            "(allowed; an unanswered prompt then lasts until the next one)")


# - building lists -


def equal_or_given_shares(items: list[Item], node: Located, at: At) -> tuple[TechniqueStep, ...]:
    """Steps with shares normalised to sum to 1: every step has a share, or none (equal
    parts)."""
    shares: list[float | None] = []
    for item in items:
        written = item.node.value.get("share")
        given = written is not None and written.value is not None
        shares.append((item.values["share"] or 1.0) if given else None)  # 1.0 stands in for a bad one
    given_shares = [x for x in shares if x is not None]
    if given_shares and len(given_shares) < len(shares):
        for share, item in zip(shares, items):
            if share is None:
                at.problem(item.node, "is missing while other steps have one",
                           "give every step a share, or none for equal parts",
                           path=f"{item.path}.share")
        return ()
    parts = given_shares or [1.0] * len(shares)
    total = sum(parts)
    if not math.isfinite(total):
        at.problem(node, "shares are too large", "use small numbers such as 1, 2, 3")
        return ()
    return tuple(TechniqueStep(item.values["prompt"] or "", part / total)
                 for item, part in zip(items, parts))


def profiles_over_the_top_level(items: list[Item], node: Located, at: At) -> tuple[Profile, ...]:
    """Each profile: its own settings (read as the top-level ones are, null = not given),
    the rest from the top level. Ladders it inherits keep only the rungs it has."""
    profiles = []
    for item in items:
        scope = item.scope
        own = {key for key in PROFILE_OVERRIDES if scope.owns(key)}
        techniques = scope.lookup("techniques")
        known = tuple(t.id for t in techniques.value) if techniques.clean else None
        areas = scope.lookup("areas").value
        if "areas" not in own:
            areas = tuple(Area(a.id, a.name, _only(known, a.ladder)) for a in areas)
        mode = scope.lookup("mode").value
        ladder = scope.lookup("ladder").value
        if "ladder" not in own:
            ladder = _only(known, ladder)
            if "techniques" in own and mode is Mode.GRADED:
                warn_off_the_ladder(at.checker, ladder, techniques.value, techniques.node,
                                    f"{item.path}.techniques")
        profiles.append(Profile(name=item.values["name"] or "", areas=areas,
                                techniques=techniques.value, session=scope.lookup("session").value,
                                daily_target=scope.lookup("daily_target").value, mode=mode,
                                ladder=ladder, language=scope.lookup("language").value))
    return tuple(profiles)


def _only(known: tuple[str, ...] | None, rungs: tuple[str, ...]) -> tuple[str, ...]:
    """The rungs that are `known` techniques (all of them when the techniques are unsure)."""
    return rungs if known is None else tuple(r for r in rungs if r in known)


@dataclass(frozen=True)
class QuarterTurn:
    """A rotation of the panel: 0, 90, 180 or 270 degrees."""

    def read(self, v: Located, at: At) -> int:
        x = v.value
        if isinstance(x, bool) or x not in (0, 90, 180, 270):
            raise Invalid("must be 0, 90, 180 or 270")
        return int(x)


@dataclass(frozen=True)
class AlsaDevice:
    """auto, or one ALSA device name (no spaces)."""

    def read(self, v: Located, at: At) -> str:
        x = v.value
        if not isinstance(x, str) or not x.strip() or any(c.isspace() for c in x.strip()):
            raise Invalid("must be auto or an ALSA device name without spaces")
        return x.strip() if x.strip().lower() != "auto" else "auto"


@dataclass(frozen=True)
class DaysOrNever:
    """A whole number of days from low to high, or never (None)."""

    low: int
    high: int

    def read(self, v: Located, at: At) -> int | None:
        x = v.value
        if x is None or x is False or (isinstance(x, str) and x.strip().lower() in ("never", "off", "no")):
            return None
        return Whole(self.low, self.high).read(v, at)


@dataclass(frozen=True)
class ClinicianCode:
    """The clinician's code: empty (no code, the menu stays shut) or `shortest` to `longest`
    presses, never a code printed as an example."""

    shortest: int
    longest: int

    def read(self, v: Located, at: At) -> tuple[str, ...] | None:
        if v.value is None or v.value == [] or (isinstance(v.value, str) and not v.value.strip()):
            return ()
        code = ButtonPresses(self.shortest, self.longest).read(v, at)
        if code in SAMPLE_CODES:
            raise Invalid("is the example code printed in the README: choose your own")
        return code


def voice_model_missing(value, at) -> str | None:
    """A warning (the kiosk runs without a voice): a relative path, or no file there."""
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        return "write the whole path, starting with /"
    if not path.is_file() or not Path(f"{path}.json").is_file():
        return "the voice file (or its .onnx.json) is not there: no voice until it is"
    return None


PROFILE_OVERRIDES = ("areas", "techniques", "session", "daily_target", "mode", "ladder", "language")

# The table. Its order is the order "known keys here" lists them in a message.
FIELDS = (
    Section("session", SessionConfig, "duration: 4m"),
    Setting("session.duration", Duration(5, 30 * 60, spell=span_in_words),
            "such as 4m, 90s or 1m30s; 5s to 30m", attr="duration_seconds",
            advice=usual_session_length),
    Setting("session.counts_after", Duration(5, 30 * 60, spell=span_in_words),
            "such as 3m; 5s to 30m (a shorter session does not count toward the day)",
            attr="counts_after_seconds"),
    Setting("daily_target", Whole(1, 10), "1-10"),

    Records("areas", Area, "area", "with id and name",
            "an area with id and name (e.g. id: left_foot)",
            unique=Unique("id", "'{value}' is also used by {other} (each area needs its own id)")),
    Setting("areas[].id", Ident(), "lowercase letters, digits and _, e.g. left_foot", required=True),
    Setting("areas[].name", Text(fit=NAME_FIT), "a short name shown on screen, e.g. Left foot",
            required=True),
    Setting("areas[].ladder", Ladder(), LADDER_WHAT),

    Records("techniques", Technique, "technique", "with id, name, group and prompt",
            "a technique with id, name, group and prompt (e.g. id: towel_rub)",
            unique=Unique("id", "'{value}' is also used by {other} (each technique needs its "
                                "own id)")),
    Setting("techniques[].id", Ident(), "lowercase letters, digits and _, e.g. towel_rub",
            required=True),
    Setting("techniques[].name", Text(fit=NAME_FIT), "a short name shown on screen, e.g. Towel rub",
            required=True),
    Setting("techniques[].group", Choice(Group, "group"), f"one of {GROUPS}", required=True),
    Setting("techniques[].prompt", Text(fit=PROMPT_FIT), PROMPT_WHAT, required=True),
    Records("techniques[].steps", TechniqueStep, "step", "with a prompt and maybe a share",
            "a step with a prompt (e.g. prompt: Rub in circles)", at_least_one=False,
            text_means="prompt", finish=equal_or_given_shares),
    Setting("techniques[].steps[].prompt", Text(fit=PROMPT_FIT), "a short instruction for this step",
            required=True),
    Setting("techniques[].steps[].share", Number(0, math.inf, positive=True, optional=True),
            "a positive number, e.g. 1 or 0.5"),
    Setting("techniques[].safety", Text(optional=True), "a safety note shown before starting"),
    Setting("techniques[].max_duration", Duration(30, 30 * 60, never=None, spell=span_in_words),
            "a time such as 5m; 30s to 30m, or never (a longer session ends this technique "
            "at its limit)", attr="max_duration_seconds"),

    Section("buttons", ButtonsConfig, "up: 17"),
    Setting("buttons.up", Pin(), PIN_WHAT),
    Setting("buttons.down", Pin(), PIN_WHAT),
    Setting("buttons.select", Pin(), PIN_WHAT),
    Setting("buttons.back", Pin(), PIN_WHAT),
    Setting("buttons.hold_seconds", Number(0.5, 10), "0.5-10 seconds"),
    Setting("buttons.bounce_ms", Whole(0, 500), "0-500 milliseconds"),
    Setting("buttons.encoder", Encoder(), "two BCM pin numbers, 2-27, e.g. [5, 6], or null for none"),
    Setting("buttons.chord_seconds", Number(1, 10), "1-10 seconds"),

    Section("display", DisplayConfig, "size: auto"),
    Setting("display.size", Size(), f"auto or WIDTHxHEIGHT, e.g. 800x480, from "
            f"{MIN_SIZE[0]}x{MIN_SIZE[1]} to {MAX_SIZE[0]}x{MAX_SIZE[1]}"),
    Setting("display.fullscreen", Switch(auto=True), "auto, yes or no"),
    Setting("display.sleep_after", Duration(10, 3600, never=math.inf),
            "a time such as 2m; 10s to 1h, or never", attr="sleep_after_seconds"),
    Setting("display.touch", Switch(auto=True), "auto, yes or no"),
    Setting("display.rotate", QuarterTurn(), "0, 90, 180 or 270 (degrees, clockwise)"),

    Section("sounds", SoundsConfig, "volume: 80"),
    Setting("sounds.enabled", Switch(), "yes or no"),
    Setting("sounds.volume", Whole(0, 100), "0-100 percent"),
    Setting("sounds.device", AlsaDevice(), "auto, or an ALSA device such as "
            "plughw:CARD=Headphones,DEV=0 or sysdefault:CARD=vc4hdmi0"),

    Section("voice", VoiceConfig, "engine: auto"),
    Setting("voice.engine", Choice(VoiceEngine, "voice engine"), "auto, piper, espeak-ng or off"),
    Setting("voice.model", Text(optional=True),
            "the whole path of a piper voice file (.onnx, its .onnx.json beside it), or empty",
            advice=voice_model_missing),
    Setting("voice.volume", Whole(-100, 100), "-100-100 percent added to sounds.volume"),

    Setting("language", Choice(Language, "language"), "en (English) or es (Spanish)"),

    Section("graded", GradedConfig, "move_up_after: 2"),
    Setting("graded.move_up_after", Whole(1, 10), "1-10 good sessions in a row on a level"),

    Section("retention", RetentionConfig, "keep_days: 365"),
    Setting("retention.keep_days", DaysOrNever(30, 3650), "30-3650 days, or never"),

    Setting("mode", Choice(Mode), "firm or graded"),
    Setting("ladder", Ladder(), LADDER_WHAT, content=True),
    Setting("quiet_hours", Hours(), "HH:MM-HH:MM, e.g. 21:00-07:30"),
    Setting("day_starts_at", TimeOfDay(), "HH:MM, usually 00:00-06:00, e.g. 03:00",
            advice=usual_day_start),

    Section("reminders", RemindersConfig, "times: [08:00]",
            what="a list of times or settings with times and snooze (e.g. [08:00, 12:30], or "
                 "times: [08:00] and snooze: 15m)", list_means="times"),
    Setting("reminders.times", ReminderTimes(MAX_REMINDERS),
            f"times of day such as 08:00, up to {MAX_REMINDERS}; [] for none"),
    Setting("reminders.snooze", Duration(60, 2 * 3600), "a time such as 15m; 1m to 2h",
            attr="snooze_seconds"),

    Section("checkins", CheckinsConfig, "ask_area: yes"),
    Setting("checkins.ask_area", Switch(), "yes or no"),
    Setting("checkins.on_home", Switch(), "yes or no"),
    Setting("checkins.prompt_every", Duration(30 * 60, 12 * 3600, never=None),
            "a time such as 2h; 30m to 12h, or never", attr="prompt_every_seconds"),
    Setting("checkins.prompt_timeout", Duration(60, 2 * 3600), "a time such as 10m; 1m to 2h",
            attr="prompt_timeout_seconds", advice=prompt_outlasts_interval),

    Section("outputs", OutputsConfig, "led: 24"),
    Setting("outputs.led", Pin(optional=True), OPTIONAL_PIN_WHAT),
    Setting("outputs.buzzer", Pin(optional=True), OPTIONAL_PIN_WHAT),
    Setting("outputs.buzzer_tonal", Switch(),
            "yes for a passive piezo that plays tones, no for an active buzzer that beeps"),

    Section("clinician", ClinicianConfig, "code: [up, down, select, back, up, down]"),
    Setting("clinician.code", ClinicianCode(*CODE_LENGTH), CODE_WHAT),

    Records("profiles", Profile, "profile",
            "a profile with a name and maybe its own settings (e.g. name: Sam); [] for one person",
            "a profile with a name and maybe its own settings (e.g. name: Sam)",
            at_least_one=False, text_means="name", overrides=PROFILE_OVERRIDES,
            unique=Unique("name", "'{value}' is also the name of {other} (each profile needs its "
                                  "own name; capitals do not count)", same=str.casefold),
            finish=profiles_over_the_top_level),
    Setting("profiles[].name", Nickname(PROFILE_NAME_FIT), NICKNAME_WHAT, required=True),
)


# - rules across settings, run once everything is read -


def pins_used_twice(checker: Checker, top: Scope) -> None:
    """A pin given twice among buttons, encoder and outputs: blames the pin the user wrote
    if only one of the two is theirs, else the one further down the file."""
    used: dict[int, tuple[str, Located]] = {}
    for path, pin, at in checker.claims.get("pin", []):
        if pin not in used:
            used[pin] = (path, at)
            continue
        other, other_at = used[pin]
        blamed, blamed_at, by = path, at, other
        if (other_at.file == checker.user_file != at.file
                or (other_at.file == at.file and other_at.line > at.line)):
            blamed, blamed_at, by = other, other_at, path
        buttons_only = all(p.startswith("buttons.") and "encoder" not in p for p in (path, other))
        why = ("each button needs its own pin" if buttons_only
               else "each button, encoder pin and output needs its own pin")
        checker.report(blamed_at, blamed, f"pin {pin} is also used by {by} ({why})")


def own_techniques_with_the_default_ladder(checker: Checker, top: Scope) -> None:
    """Graded practice with the user's own techniques and the bundled ladder: warns about
    techniques that ladder leaves out."""
    techniques, ladder = top.lookup("techniques"), top.lookup("ladder")
    if (techniques.node is not None and ladder.node is not None
            and top.lookup("mode").value is Mode.GRADED
            and techniques.node.file == checker.user_file != ladder.node.file):
        warn_off_the_ladder(checker, ladder.value, techniques.value, techniques.node, "techniques")


def warn_off_the_ladder(checker: Checker, ladder: tuple[str, ...],
                        techniques: tuple[Technique, ...], at: Located | None, path: str) -> None:
    """Warns when graded practice would never offer some of these techniques because the
    ladder they came with (not written for them) leaves them out."""
    if not ladder or at is None:  # no ladder: every technique, in the order listed
        return
    missing = [t.id for t in techniques if t.id not in ladder]
    if missing:
        it, is_ = ("it", "is") if len(missing) == 1 else ("them", "are")
        checker.report(at, path, f"{', '.join(missing)} {is_} not on the ladder, so graded "
                       f"practice never offers {it} (allowed; to offer {it}, write a ladder "
                       f"that includes {it}, least to most irritating)", warning=True)


RULES = (pins_used_twice, own_techniques_with_the_default_ladder)
