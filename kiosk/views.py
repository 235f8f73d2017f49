"""What each screen shows, as plain frozen data: the session logic produces these and
`kiosk.screens` draws them. Equal views draw equal pictures, so the loop redraws only
when the view changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum


class Status(str, Enum):
    """A session row's status, as stored."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED_EARLY = "stopped_early"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class HomeView:
    done_today: int
    target: int
    week: tuple[bool, ...]  # Monday..Sunday of this week: was there a session that day
    today_index: int  # 0 = Monday
    profile: str | None = None  # shown when several profiles share the kiosk
    line: str = ""  # the rotating reminder / encouragement line (already worded)


@dataclass(frozen=True)
class SleepView:
    """The screen is dark; the first press only wakes it."""


@dataclass(frozen=True)
class ReminderView:
    done_today: int
    target: int
    profile: str | None = None


@dataclass(frozen=True)
class DayStat:
    """One day of history: sessions against the target and the pain readings of that day."""

    day: date
    sessions: int
    pain_before: float | None  # mean of the day's session ratings, None when none
    pain_after: float | None
    checkins: tuple[int, ...] = ()  # the day's check-in ratings


@dataclass(frozen=True)
class HistoryView:
    days: tuple[DayStat, ...]  # oldest first, usually 14
    target: int
    profile: str | None = None


@dataclass(frozen=True)
class CheckinSavedView:
    rating: int
    at: str  # local time of day, e.g. "14:02"
    area: str | None  # display name, None = no particular place


@dataclass(frozen=True)
class LevelUpView:
    """Graded practice: after a session that felt OK, offer the next rung."""

    area: str
    current: str  # technique names
    next: str
    level: int  # 1-based rung of `next`
    levels: int


@dataclass(frozen=True)
class CodeView:
    """The clinician's button code being entered: only how many presses, never which."""

    entered: int
    length: int


@dataclass(frozen=True)
class MessageView:
    """A short result for the clinician (export done, no USB drive found...)."""

    title: str
    body: str
    ok: bool = True
    working: bool = False  # still at it (e.g. exporting): no mark, no keys to press


@dataclass(frozen=True)
class ReportData:
    """Everything the clinician's one-page report shows, worked out from the database
    (kiosk.reporting) and drawn by kiosk.report on paper-sized PNG or on the screen."""

    profile: str
    first_day: date
    last_day: date
    target: int
    days: tuple[DayStat, ...]  # every day of the range, oldest first
    adherence: float  # share of days meeting the target, 0..1
    sessions: int
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


@dataclass(frozen=True)
class ReportView:
    """The clinician's report on the kiosk's own screen."""

    data: ReportData


@dataclass(frozen=True)
class ListItem:
    label: str
    header: bool = False  # a group heading, not selectable
    flagged: bool = False  # carries a safety note
    note: str = ""  # a short word after the label, e.g. "your level" in graded practice


@dataclass(frozen=True)
class ChoiceView:
    kind: str  # "area", "technique", "profile", "checkin_area" or "clinician"
    items: tuple[ListItem, ...]
    selected: int  # index into items; never a header
    subtitle: str = ""  # e.g. the chosen area while choosing a technique


@dataclass(frozen=True)
class SafetyView:
    technique: str
    note: str


@dataclass(frozen=True)
class RatingView:
    phase: str  # "before", "after" or "checkin" (a rating outside a session)
    value: int  # 0..10
    area: str
    technique: str
    stopped_early: bool = False


@dataclass(frozen=True)
class CountdownView:
    technique: str
    area: str
    prompt: str
    step: int  # 1-based
    steps: int
    remaining: int  # whole seconds shown, rounded up
    total: int  # planned seconds
    paused: bool
    hint: bool = False  # show "hold back to stop" after a short back press


@dataclass(frozen=True)
class SummaryView:
    technique: str
    area: str
    before: int
    after: int | None
    status: Status
    active_seconds: int
    saved: bool  # False when the database could not be written


View = (
    HomeView | ChoiceView | SafetyView | RatingView | CountdownView | SummaryView | SleepView | ReminderView
    | HistoryView | CheckinSavedView | LevelUpView | CodeView | MessageView | ReportView
)


@dataclass(frozen=True)
class Frame:
    """One picture: the current screen plus at most one notice (a problem to show)."""

    view: View
    notice: str | None = None
