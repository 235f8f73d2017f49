"""What each screen shows, as plain frozen data: the session logic produces these and
`kiosk.screens` draws them. Equal views draw equal pictures, so the loop redraws only
when the view changes."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class ListItem:
    label: str
    header: bool = False  # a group heading, not selectable
    flagged: bool = False  # carries a safety note


@dataclass(frozen=True)
class ChoiceView:
    kind: str  # "area" or "technique"
    items: tuple[ListItem, ...]
    selected: int  # index into items; never a header
    subtitle: str = ""  # e.g. the chosen area while choosing a technique


@dataclass(frozen=True)
class SafetyView:
    technique: str
    note: str


@dataclass(frozen=True)
class RatingView:
    phase: str  # "before" or "after"
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


View = HomeView | ChoiceView | SafetyView | RatingView | CountdownView | SummaryView


@dataclass(frozen=True)
class Frame:
    """One picture: the current screen plus at most one notice (a problem to show)."""

    view: View
    notice: str | None = None
