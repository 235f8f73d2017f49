"""A session as stored: one row of the `sessions` table, kept whole in memory by the
session logic so that any write can simply be repeated until it succeeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.views import Status

DEFAULT_PROFILE = "default"


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


@dataclass(frozen=True)
class RungRecord:
    """Graded practice: a profile's current rung on an area's ladder (0 = the first)."""

    profile: str
    area: str
    rung: int
    at: datetime  # aware, UTC: when it changed


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
