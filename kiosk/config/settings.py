"""The prescription and the station's settings as frozen dataclasses: what the rest of the
kiosk reads. Each field's default here is the one default the checker uses (see
kiosk.config.fields); lists that are content (areas, techniques, the ladder) come from the
bundled config/default.yaml instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import Enum

from kiosk.model import DEFAULT_PROFILE


class Group(str, Enum):
    """The three families of DESENS techniques, in the order the technique list shows them."""

    TEXTURE = "texture"
    PRESSURE = "pressure"
    TEMPERATURE = "temperature"


class Mode(str, Enum):
    """The clinician's school of practice."""

    FIRM = "firm"  # every technique for every area
    GRADED = "graded"  # a ladder per area, one rung at a time


@dataclass(frozen=True)
class TechniqueStep:
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
    steps: tuple[TechniqueStep, ...] = ()
    safety: str | None = None
    max_duration_seconds: float | None = None  # a safe limit of its own (the ice rub: 5 minutes)


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    ladder: tuple[str, ...] = ()  # graded practice: technique ids, least to most irritating


@dataclass(frozen=True)
class SessionConfig:
    duration_seconds: float = 240.0
    counts_after_seconds: float = 180.0  # active time a session needs to count (capped at the duration)


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
    touch: bool | None = None  # None = auto: the screen (or a mouse) as an input when one is there
    rotate: int = 0  # 0, 90, 180 or 270 degrees: a panel mounted turned (SDL2 does not rotate)


@dataclass(frozen=True)
class SoundsConfig:
    enabled: bool = True
    volume: int = 80  # percent
    device: str = "auto"  # auto (USB, else the connected HDMI screen, else the jack) or an ALSA name


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
    on_home: bool = True  # up/down on home opens a check-in (and home says so)
    prompt_every_seconds: float | None = None  # None = never prompt
    prompt_timeout_seconds: float = 600.0  # an unanswered prompt goes away, recorded as missed


@dataclass(frozen=True)
class OutputsConfig:
    led: int | None = None  # BCM pin of a status LED (PWMLED)
    buzzer: int | None = None  # BCM pin of a buzzer
    buzzer_tonal: bool = True  # a passive piezo (TonalBuzzer) or an active one (Buzzer)


@dataclass(frozen=True)
class ClinicianConfig:
    code: tuple[str, ...] = ()  # button names; empty = no code: the on-device menu stays shut


@dataclass(frozen=True)
class GradedConfig:
    move_up_after: int = 2  # good sessions in a row on a level before moving up is offered


@dataclass(frozen=True)
class RetentionConfig:
    keep_days: int | None = 365  # practice days kept; None = never deleted


class VoiceEngine(str, Enum):
    """The values of kiosk.voice.engines.ENGINE_NAMES."""

    AUTO = "auto"
    PIPER = "piper"
    ESPEAK = "espeak-ng"
    OFF = "off"


class Language(str, Enum):
    EN = "en"
    ES = "es"


@dataclass(frozen=True)
class VoiceConfig:
    engine: VoiceEngine = VoiceEngine.AUTO
    model: str | None = None  # a piper voice: the .onnx file, its .onnx.json beside it
    volume: int = 0  # percent points added to sounds.volume, -100..100


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
    language: Language = Language.EN  # the screens' language for this patient

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
    """Everything the kiosk runs on. The defaults of the list fields are empty placeholders:
    the real lists come from the bundled config/default.yaml."""

    session: SessionConfig = SessionConfig()
    daily_target: int = 4
    areas: tuple[Area, ...] = ()
    techniques: tuple[Technique, ...] = ()
    buttons: ButtonsConfig = ButtonsConfig()
    display: DisplayConfig = DisplayConfig()
    sounds: SoundsConfig = SoundsConfig()
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
    graded: GradedConfig = GradedConfig()
    retention: RetentionConfig = RetentionConfig()
    voice: VoiceConfig = VoiceConfig()
    language: Language = Language.EN

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
                language=self.language,
            ),
        )
