"""The records and enums every room shares: a session, a check-in and a level as stored,
a day of history, the report's figures. No pygame, no words, nothing of ours imported.
Records are kept whole in memory so that any write can simply be repeated until it
succeeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

DEFAULT_PROFILE = "default"
REPORT_DAYS = 28  # the clinician's report and export cover this many practice days


class Status(str, Enum):
    """A session row's status, as stored."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED_EARLY = "stopped_early"
    INTERRUPTED = "interrupted"


class StorageProblem(str, Enum):
    """Why the session database could not be opened, read or written. Storage raises it
    (in StoreError); kiosk.text turns it into words a person reads. The value is the plain
    English a log line shows, never the screen."""

    DISK_FULL = "the disk is full"
    LOCKED = "the database is locked by another program"
    READ_ONLY = "the data folder is read-only"
    DAMAGED = "the database file is damaged"  # corrupt, or not an SQLite file at all
    NEWER_SCHEMA = "the database was written by a newer desens-kiosk"
    NO_FOLDER = "the data folder cannot be created"
    CANNOT_MOVE_ASIDE = "the damaged database cannot be moved aside"
    MISSING = "there is no database file"
    NOT_A_FILE = "the database path is not a file"
    UNREADABLE = "the database file cannot be read"
    IN_USE = "another program is writing to the data folder"  # its lock is held: a running kiosk, a purge
    FAILED = "the database reported an error"  # anything else; the detail says what

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SessionRecord:
    profile: str
    area: str  # area id
    technique: str  # technique id
    planned_seconds: int
    started_at: datetime  # aware, UTC
    pain_before: int | None
    status: Status = Status.IN_PROGRESS
    ended_at: datetime | None = None  # aware, UTC
    active_seconds: float = 0.0  # from the monotonic clock, pauses excluded
    pain_after: int | None = None
    clock_synced: bool | None = None  # was the wall clock synchronised at the start
    id: int | None = None  # None until first written
    counted: bool | None = None  # long enough to count (session.counts_after); None while running


class RungReason(str, Enum):
    """Why an area's level changed, as stored in `rung_changes`."""

    MOVED_UP = "moved_up"
    STEPPED_DOWN = "stepped_down"
    SET_BY_CLINICIAN = "set_by_clinician"


@dataclass(frozen=True)
class RungRecord:
    """Graded practice: a profile's current rung on an area's ladder (0 = the first), and
    the change that led to it (written to `rung_changes` in the same transaction)."""

    profile: str
    area: str
    rung: int
    at: datetime  # aware, UTC: when it changed
    from_technique: str | None = None  # technique ids of the old and new rung
    to_technique: str | None = None
    reason: RungReason | None = None


@dataclass(frozen=True)
class CodeLock:
    """Wrong clinician codes in a row, and until when the code entry is locked (UTC)."""

    failures: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class Forgotten:
    """What retention or a purge deleted: rows of sessions, check-ins (missed prompts
    too) and level changes."""

    sessions: int = 0
    checkins: int = 0
    rung_changes: int = 0

    @property
    def total(self) -> int:
        return self.sessions + self.checkins + self.rung_changes


@dataclass(frozen=True)
class CheckinRecord:
    """One row of `pain_checkins`: a pain rating outside a session, or a missed prompt."""

    profile: str
    at: datetime  # aware, UTC
    rating: int | None  # 0-10, None when missed
    area: str | None = None  # area id, None = no particular place
    prompted: bool = False
    status: str = "saved"  # "saved" or "missed"
    id: int | None = None


@dataclass(frozen=True)
class DayStat:
    """One day of history: counted sessions against the target and the pain readings of
    that day (of every finished session, counted or not)."""

    day: date
    sessions: int  # counted sessions (long enough to count: session.counts_after)
    pain_before: float | None  # mean of the day's session ratings, None when none
    pain_after: float | None
    checkins: tuple[int, ...] = ()  # the day's check-in ratings


@dataclass(frozen=True)
class Prescription:
    """What the clinician prescribed, as the top of the report says it."""

    mode: str  # "firm" or "graded"
    duration_seconds: float  # one session
    counts_after_seconds: float  # active time a session needs to count (already capped at the duration)
    daily_target: int  # sessions a day
    areas: tuple[str, ...] = ()  # area names, in the configured order


@dataclass(frozen=True)
class PainWindow:
    """Pain on one area over some of its practice days (days it was practised): the mean
    rating before and after the sessions, and how many ratings each mean is of."""

    days: int = 0  # practice days in the window
    first_day: date | None = None
    last_day: date | None = None
    before: float | None = None
    before_count: int = 0
    after: float | None = None
    after_count: int = 0


@dataclass(frozen=True)
class AreaPain:
    """An area's pain at the start of the period against its end: its first 7 practice
    days against its last 7 (fewer than 14: the first half against the rest; the two
    never share a day)."""

    area: str  # area name
    first: PainWindow
    last: PainWindow


@dataclass(frozen=True)
class ReportData:
    """Everything the clinician's one-page report shows, worked out from the database
    (kiosk.storage.queries) and drawn by kiosk.render.report_page on paper-sized PNG or on the screen."""

    profile: str
    first_day: date
    last_day: date
    target: int
    days: tuple[DayStat, ...]  # every day of the range, oldest first
    adherence: float  # share of days whose counted sessions meet the target, 0..1
    sessions: int  # finished sessions, counted or not
    completed: int
    stopped_early: int
    interrupted: int
    minutes_by_technique: tuple[tuple[str, float], ...]  # (technique name, minutes), most first
    minutes_by_area: tuple[tuple[str, float], ...]  # (area name, minutes), most first
    change_by_technique: tuple[tuple[str, float, int], ...]  # (name, mean after - before, sessions)
    pain_by_hour: tuple[tuple[int, float, int], ...]  # (local hour, mean rating, readings) from pain_readings
    prompts: int = 0  # check-in prompts shown
    prompts_answered: int = 0
    demo: bool = False  # the data is sample data (demo-data), say so on the page
    # Days holding a session started before the kiosk's clock was set (clock_synced = 0):
    # their rows may be filed under the wrong date; the page marks them.
    unsynced_days: tuple[date, ...] = ()
    counted: int = 0  # sessions long enough to count (session.counts_after), whatever their status
    prescription: Prescription | None = None  # None: not known (no config given)
    minutes_by_day: tuple[tuple[date, float], ...] = ()  # every day of the range: minutes practised (active time)
    prescribed_minutes: float = 0.0  # a day's prescription: daily target x duration, in minutes
    pain_by_area: tuple[AreaPain, ...] = ()  # areas practised in the range, most minutes first
    minutes_by_technique_area: tuple[tuple[str, str, float], ...] = ()  # (technique name, area name, minutes)
    counted_by_hour: tuple[tuple[int, int], ...] = ()  # (local hour the session started, counted sessions)
    # Graded practice: each area's level over the range, (area name, steps), a step being
    # (the practice day from which it held, technique name); the first step is the level
    # the range began with (dated first_day), then one per change in the range.
    levels: tuple[tuple[str, tuple[tuple[date, str], ...]], ...] = ()
