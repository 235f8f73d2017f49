"""What each screen shows, as plain frozen data: the session logic produces these and
`kiosk.render` draws them. Equal views draw equal pictures, so the loop redraws only
when the view changes."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.model import DayStat, ReportData, Status


@dataclass(frozen=True)
class HomeView:
    done_today: int
    target: int
    week: tuple[bool, ...]  # Monday..Sunday of this week: was there a session that day
    today_index: int  # 0 = Monday
    profile: str | None = None  # shown when several profiles share the kiosk
    line: str = ""  # the rotating reminder / encouragement line (already worded)
    checkin_hint: bool = True  # show "up/down: how is your pain?" (checkins.on_home)
    clock_unset: bool = False  # the wall clock is not synchronised: a small "clock not set"


@dataclass(frozen=True)
class SleepView:
    """The screen is dark; the first press only wakes it."""


@dataclass(frozen=True)
class ReminderView:
    done_today: int
    target: int
    profile: str | None = None


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
    locked_minutes: int = 0  # > 0: too many wrong codes, entry is locked this much longer


@dataclass(frozen=True)
class MessageView:
    """A short result for the clinician (export done, no USB drive found...)."""

    title: str
    body: str
    ok: bool = True
    working: bool = False  # still at it (e.g. exporting): no mark, no keys to press


@dataclass(frozen=True)
class ConfirmView:
    """A question with answers; the safe answer is the one selected first (e.g. "Delete
    every session?" with "No, keep them" selected)."""

    title: str
    body: str
    answers: tuple[str, ...]  # worded; index 0 is shown first
    selected: int = 0
    danger: bool = False  # the question leads to something that cannot be undone


@dataclass(frozen=True)
class InfoView:
    """A page of plain lines to read (what this kiosk saves, the clinician's problems)."""

    title: str
    lines: tuple[str, ...]
    ok: bool = True  # False: these are problems


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
    """A technique's safety note, never cut: a long one is shown a page at a time
    (select: next page, then "I understand")."""

    technique: str
    note: str  # this page's text
    page: int = 1  # 1-based
    pages: int = 1


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
    counted: bool = True  # long enough to count toward today's sessions (session.counts_after)
    capped: bool = False  # ended at the technique's own safe limit (e.g. the ice rub's 5 minutes)


View = (
    HomeView | ChoiceView | SafetyView | RatingView | CountdownView | SummaryView | SleepView | ReminderView
    | HistoryView | CheckinSavedView | LevelUpView | CodeView | MessageView | ReportView | ConfirmView | InfoView
)


@dataclass(frozen=True)
class Frame:
    """One picture: the current screen plus at most one notice (a problem to show)."""

    view: View
    notice: str | None = None
    touch: bool = False  # the screen is an input: its touch targets are drawn
