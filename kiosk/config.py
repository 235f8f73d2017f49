"""The kiosk's configuration: YAML merged over the bundled defaults, validated once into
frozen dataclasses, with every problem reported as `file:line: key.path: what (allowed)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


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


@dataclass(frozen=True)
class DisplayConfig:
    size: tuple[int, int] | None = None  # None = auto
    fullscreen: bool | None = None  # None = auto


@dataclass(frozen=True)
class SoundsConfig:
    enabled: bool = True
    volume: int = 80  # percent


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

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def technique(self, technique_id: str) -> Technique:
        return next(t for t in self.techniques if t.id == technique_id)


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
