"""The practice record as the logic sees it: a narrow, typed service between the activities
and storage. Reads that fail give "nothing known" (and the reason, for the notice) so a
screen still works; every write goes through the recorder, which keeps what the store
could not take and writes it again later."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from kiosk.config import Config
from kiosk.model import CheckinRecord, CodeLock, DayStat, ReportData, RungReason, RungRecord, SessionRecord
from kiosk.storage import queries
from kiosk.storage.recorder import Recorder
from kiosk.storage.store import Store

log = logging.getLogger(__name__)

Result = TypeVar("Result")


class Practice:
    """Everything the activities may ask of the session log, per profile, and nothing more."""

    def __init__(self, store: Store, clock: Callable[[], float], *, volatile: object | None = None):
        """`volatile` is why the store is only in memory (the data folder cannot be used):
        nothing then counts as saved."""
        self.store = store
        self.recorder = Recorder(store, clock, recover=True)
        self.volatile = volatile
        self.read_problem: object | None = None  # why the last read failed; None once one works

    # -- reads: None (or an empty answer) when the store cannot be read --------------------
    def last_rating(self, profile: str, area: str) -> int | None:
        """The pain-before to offer: the last rating given for this area."""
        return self._read(lambda store: store.last_rating(profile, area))

    def last_checkin_rating(self, profile: str) -> int | None:
        return self._read(lambda store: store.last_checkin_rating(profile))

    def last_reading(self, profile: str) -> tuple[datetime, int] | None:
        """When and what the latest pain rating was (session or check-in)."""
        return self._read(lambda store: store.last_reading(profile))

    def rung(self, profile: str, area: str) -> int:
        """Graded practice: the profile's rung on the area's ladder (0 when unknown)."""
        return self._read(lambda store: store.rung(profile, area)) or 0

    def day_counts(self, profile: str, first: date, last: date) -> dict[date, int] | None:
        """Sessions per practice day in an inclusive range; None when it cannot be read."""
        return self._read(lambda store: store.day_counts(profile, first, last))

    def history(self, profile: str, last_day: date, days: int) -> tuple[DayStat, ...]:
        return self._read(lambda store: queries.history_days(store, profile, last_day, days)) or ()

    def report(self, config: Config, profile: str, first: date, last: date) -> ReportData | None:
        """The clinician's report for one profile over an inclusive range of practice days."""
        return self._read(lambda store: queries.report_for(store, config, profile, first, last))

    def recent_sessions(self, profile: str, area: str, limit: int) -> list[SessionRecord]:
        """The latest finished sessions on an area, newest first (the move-up rule)."""
        return self._read(lambda store: store.recent_sessions(profile, area, limit)) or []

    def rated_within(self, profile: str, now: datetime, span: timedelta) -> bool:
        """Was a pain rating given in the last `span`? (No prompt so soon after one.)"""
        last = self._read(lambda store: store.last_reading_at(profile))
        return last is not None and timedelta(0) <= now - last < span

    # -- writes, through the recorder ------------------------------------------------------
    def record(self, record: SessionRecord | CheckinRecord) -> None:
        """A new session or check-in, or a newer version of one already given."""
        self.recorder.save(record)

    def move_rung(self, profile: str, area: str, rung: int, at: datetime, *, reason: RungReason | None = None,
                  from_technique: str | None = None, to_technique: str | None = None) -> None:
        """A new level for an area, with the change that led to it (its history row)."""
        self.recorder.save(RungRecord(profile, area, rung, at, from_technique, to_technique, reason))

    def code_lock(self) -> CodeLock:
        """Wrong clinician codes so far and the lock they set (none when it cannot be read)."""
        return self._read(lambda store: store.code_lock()) or CodeLock()

    def set_code_lock(self, lock: CodeLock) -> None:
        self.recorder.save(lock)

    def hand_over(self) -> object | None:
        """Delete every session, check-in, level and code lock, leaving no trace in the file;
        None when done, else why not (nothing is pending afterwards either)."""
        try:
            self.recorder.discard()
            self.store.wipe()
        except Exception as exc:  # noqa: BLE001 - said on the clinician's screen, never a crash
            reason = getattr(exc, "reason", None) or str(exc)
            log.error("hand-over failed: %s", getattr(exc, "detail", None) or reason)
            return reason
        return None

    def undo(self, checkin: CheckinRecord) -> None:
        self.recorder.undo(checkin)

    def id_of(self, record: SessionRecord | CheckinRecord) -> int | None:
        return self.recorder.id_of(record)

    # -- state ----------------------------------------------------------------------------
    @property
    def saved(self) -> bool:
        """Is everything the person did safely in the database file?"""
        return self.volatile is None and not self.recorder.unsaved

    @property
    def written(self) -> int:
        """Counts successful writes, so readers know when to count again."""
        return self.recorder.written

    @property
    def write_problem(self) -> object | None:
        """Why writes are not reaching the file (the last write failure, or the in-memory
        store's reason); None while all is well."""
        return self.recorder.problem or self.volatile

    def tick(self) -> None:
        self.recorder.tick()

    def next_change_in(self) -> float | None:
        return self.recorder.next_change_in()

    def flush(self) -> None:
        self.recorder.flush()

    def _read(self, query: Callable[[Store], Result]) -> Result | None:
        try:
            result = query(self.store)
        except Exception as exc:  # noqa: BLE001 - a broken store must not stop the kiosk
            self.read_problem = getattr(exc, "reason", None) or str(exc)
            log.error("could not read the database: %s", getattr(exc, "detail", None) or self.read_problem)
            return None
        self.read_problem = None
        return result
