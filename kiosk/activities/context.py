"""What an activity may use: the clocks, the prescription, the current profile, the
practice record, sound cues and the worker for long jobs. Activities get this small
context, never the controller, so no activity reaches into switching, sleep or reminders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Config, Profile
from kiosk.days import day_start, practice_day
from kiosk.events import Cue
from kiosk.jobs import Worker
from kiosk.model import RungReason
from kiosk.practice import Practice
from kiosk.voice.speaker import Speaker

if TYPE_CHECKING:
    from kiosk.activities.clinician import UsbExport


def _no_drives() -> list[Path]:
    return []


@dataclass(eq=False)
class Context:
    config: Config
    practice: Practice
    clock: Callable[[], float]  # monotonic seconds: every timer and deadline
    now: Callable[[], datetime]  # aware UTC wall time: what is written and which day it is
    tz: tzinfo | None = None  # the kiosk's local zone (None = the machine's)
    play: Callable[[Cue], None] = lambda cue: None
    clock_synced: Callable[[], bool | None] = lambda: None
    find_drives: Callable[[], list[Path]] = _no_drives  # the clinician's export looks here
    usb_export: UsbExport | None = None  # reads the record now, returns the worker's half
    worker: Worker = field(default_factory=Worker)
    # Says the prompts aloud (kiosk.voice); an inert one when no voice is set up.
    speaker: Speaker = field(default_factory=lambda: Speaker(None, None, {}))
    # Splits a safety note into pages that each fit the screen (the renderer knows the size).
    note_pages: Callable[[str], tuple[str, ...]] = lambda note: (note,)
    people: tuple[Profile, ...] = ()
    profile: Profile | None = None  # who is practising now (set by the profile picker)
    quit_requested: bool = False
    # What is wrong, in the clinician's words, by topic (config, storage, sound, voice...):
    # the clinician menu's Problems page. The child's screen says only to tell someone.
    problems: dict[str, str] = field(default_factory=dict)
    describe_drive: Callable[[Path], tuple[str, int | None]] = lambda drive: (drive.name, None)
    button_down: Callable[[str], bool] = lambda name: False  # is that button held now (the panel)
    _memory: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.people:
            self.people = tuple(self.config.people())
        if self.profile is None:
            self.profile = self.people[0]

    @property
    def shared(self) -> bool:
        """Several profiles share this kiosk (a clinic station)."""
        return len(self.people) > 1

    def today(self) -> date:
        return practice_day(self.now(), self.config.day_starts_at, self.tz)

    def seconds_to_next_day(self) -> float:
        start = day_start(self.today() + timedelta(days=1), self.config.day_starts_at, self.tz)
        return max(1.0, (start - self.now()).total_seconds())

    def profile_label(self) -> str | None:
        """The profile's name where several share the kiosk; None where there is one."""
        return self.profile.name if self.shared else None

    def names(self) -> dict[str, str]:
        """Display names of this profile's areas and techniques, by id."""
        profile = self.profile
        return {**{a.id: a.name for a in profile.areas}, **{t.id: t.name for t in profile.techniques}}

    def memory(self) -> dict:
        """What this profile chose last time (area, technique), to offer it first."""
        return self._memory.setdefault(self.profile.name, {})

    def remember(self, **choices) -> None:
        self.memory().update(choices)

    def rung(self, area: str) -> int:
        return self.practice.rung(self.profile.name, area)

    def move_rung(self, area: str, rung: int, reason: RungReason) -> None:
        """A new level for one of this profile's areas, kept with its history row."""
        ladder = self.profile.ladder_for(area)
        old = min(self.rung(area), len(ladder) - 1) if ladder else None
        self.practice.move_rung(
            self.profile.name, area, rung, self.now(), reason=reason,
            from_technique=ladder[old] if ladder else None,
            to_technique=ladder[min(rung, len(ladder) - 1)] if ladder else None,
        )

    def hand_over(self) -> object | None:
        """Everything recorded is deleted (the clinician's hand-over to a new patient); the
        kiosk then starts as on first boot. None when done, else why not."""
        problem = self.practice.hand_over()
        if problem is None:
            self._memory.clear()
            self.profile = self.people[0]
        return problem

    def request_quit(self) -> None:
        """Quit to the desktop for maintenance (the clinician menu)."""
        self.quit_requested = True
