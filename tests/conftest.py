"""Every test runs headless: SDL's dummy video and audio drivers, gpiozero's mock pins."""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["GPIOZERO_PIN_FACTORY"] = "mock"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


# -- the kiosk's logic on a fake clock and an in-memory database ---------------------------
from dataclasses import replace  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402

import pytest  # noqa: E402

from kiosk.config import (  # noqa: E402
    Area,
    ButtonsConfig,
    ClinicianConfig,
    Config,
    DisplayConfig,
    Group,
    SessionConfig,
    SoundsConfig,
    Technique,
    TechniqueStep,
)
from kiosk.storage.store import Store, StoreError  # noqa: E402

START = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)  # a Wednesday morning
CODE = ("up", "down", "up", "down", "select", "back")  # the clinician code of the test config


class FakeClock:
    """Monotonic seconds and the matching UTC wall time, moved by hand."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.wall_offset = timedelta(0)  # a wall clock that is wrong, then corrected

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds

    def wall(self) -> datetime:
        return START + timedelta(seconds=self.t - 1000.0) + self.wall_offset


class FlakyStore:
    """The real store, with writes that fail on demand (a full disk)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.failing: str | None = None

    def __getattr__(self, name):
        attribute = getattr(self._store, name)
        if name in ("save", "add_checkin", "delete_checkin", "set_rung", "recover_interrupted") and self.failing:
            def fail(*args, **kwargs):
                raise StoreError(self.failing)
            return fail
        return attribute


def make_config(duration: float = 240.0, target: int = 4, **changes) -> Config:
    config = Config(
        session=SessionConfig(duration),
        daily_target=target,
        areas=(Area("left_foot", "Left foot"), Area("right_leg", "Right leg")),
        techniques=(
            Technique("towel_rub", "Towel rub", Group.TEXTURE, "Rub with the towel",
                      steps=(TechniqueStep("Up and down", 0.25), TechniqueStep("Small circles", 0.75))),
            Technique("tapping", "Tapping", Group.PRESSURE, "Tap with your fingertips"),
            Technique("ice_rub", "Ice rub", Group.TEMPERATURE, "Rub with the ice cup",
                      safety="Put a towel under it. Stop if the skin turns white."),
        ),
        buttons=ButtonsConfig(),
        display=DisplayConfig(),
        sounds=SoundsConfig(),
        clinician=ClinicianConfig(code=CODE),
    )
    return replace(config, **changes)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def store():
    real = Store(":memory:", tz=timezone.utc)
    yield FlakyStore(real)
    real.close()


@pytest.fixture
def cues():
    return []


@pytest.fixture
def make_controller(clock, store, cues):
    from kiosk.controller import Controller

    def make(config: Config | None = None, **kwargs):
        return Controller(config or make_config(), store, clock=clock, now=clock.wall, play=cues.append,
                          tz=timezone.utc, **kwargs)

    return make
