"""Writes sessions, check-ins, levels and the code lock to the store, and keeps whatever the store could not take
(disk full, locked, read-only) to write it again later, so nothing a person did is lost
while the kiosk runs."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Callable, Protocol

from kiosk.model import CheckinRecord, CodeLock, RungRecord, SessionRecord, StorageProblem
from kiosk.storage.store import StoreError

log = logging.getLogger(__name__)

RETRY_SECONDS = 10.0  # a failed write is tried again this often
_DELETE = object()  # pending: take this check-in back out
_RECOVER = ("recover",)  # pending: mark sessions left in progress by a crash as interrupted


class RecordStore(Protocol):
    def save(self, record: SessionRecord) -> int: ...

    def add_checkin(self, record: CheckinRecord) -> int: ...

    def delete_checkin(self, checkin_id: int) -> None: ...

    def recover_interrupted(self) -> int: ...

    def set_rung(self, record: RungRecord) -> None: ...

    def set_code_lock(self, lock: CodeLock) -> None: ...

    def reopen_if_replaced(self) -> bool: ...

    generation: int  # counts files opened again (the old file's row ids mean nothing in the new one)


Record = SessionRecord | CheckinRecord | RungRecord | CodeLock


def _key(record: Record) -> tuple:
    """What makes two versions of a record the same row: its kind, who, and when. A level
    change is an event of its own: two waiting changes of one area are both written, in
    order, so its history keeps both."""
    if isinstance(record, SessionRecord):
        return ("session", record.profile, record.started_at)
    if isinstance(record, RungRecord):
        return ("rung", record)
    if isinstance(record, CodeLock):
        return ("code_lock",)
    return ("checkin", record.profile, record.at)


class Recorder:
    """The one place that writes. Only the newest version of each row waits, in the order
    the rows were first written; a failed write is repeated whole until it succeeds."""

    def __init__(self, store: RecordStore, clock: Callable[[], float], recover: bool = False):
        """With `recover`, the first write marks sessions a crash left in progress as
        interrupted; while it cannot (a lock), new sessions wait behind it."""
        self.store = store
        self.clock = clock
        self.problem: StorageProblem | None = None  # why the last write failed; None once all is written
        self.written = 0  # counts successful writes, so readers know when to recount
        self._pending: dict[tuple, object] = {_RECOVER: _RECOVER} if recover else {}
        self._ids: dict[tuple, int] = {}
        self._generation = store.generation
        self._next_retry = 0.0
        if recover:
            self.flush()

    @property
    def unsaved(self) -> bool:
        return bool(self._pending)

    def save(self, record: Record) -> None:
        """Write a session, check-in, level or the code lock (new, or a newer version of one
        already given)."""
        self._pending[_key(record)] = record
        self.flush()

    def undo(self, record: CheckinRecord) -> None:
        """Take a check-in back: dropped if still waiting, else deleted from the store."""
        key = _key(record)
        if key in self._ids:
            self._pending[key] = _DELETE
        else:
            self._pending.pop(key, None)
        self.flush()

    def discard(self) -> None:
        """Drop everything waiting to be written and forget the rows written so far (the
        hand-over: nothing of the last patient may reach the file afterwards). Counts as a
        change, so readers count again."""
        self._pending.clear()
        self._ids.clear()
        self.problem = None
        self._next_retry = 0.0
        self.written += 1

    def id_of(self, record: SessionRecord | CheckinRecord) -> int | None:
        return self._ids.get(_key(record))

    def tick(self) -> None:
        if self._pending and self.clock() >= self._next_retry:
            self.flush()

    def next_change_in(self) -> float | None:
        return max(0.0, self._next_retry - self.clock()) if self._pending else None

    def flush(self) -> None:
        """Write everything waiting, oldest first; stop at the first failure."""
        try:
            self.store.reopen_if_replaced()
            if self.store.generation != self._generation:
                self._forget_the_old_file()
            for key in list(self._pending):
                self._write(key, self._pending[key])
                del self._pending[key]
                self.written += 1
        except Exception as exc:  # noqa: BLE001 - a storage failure must not stop the kiosk
            problem = exc.problem if isinstance(exc, StoreError) else StorageProblem.FAILED
            if problem != self.problem:
                log.error("could not save: %s (kept; trying again every %d s)", exc, RETRY_SECONDS)
            self.problem = problem
            self._next_retry = self.clock() + RETRY_SECONDS
            return
        if self.problem:
            log.info("everything is saved again")
        self.problem = None

    def _forget_the_old_file(self) -> None:
        """The store writes to a new file now: rows written before are in the old one, so
        their ids mean nothing here (a record written again becomes a new row, never an
        overwrite of someone else's) and there is nothing to take back from this file."""
        self._ids.clear()
        for key in [key for key, item in self._pending.items() if item is _DELETE]:
            del self._pending[key]
        self._generation = self.store.generation

    def _write(self, key: tuple, item: object) -> None:
        if item is _RECOVER:
            recovered = self.store.recover_interrupted()
            if recovered:
                log.warning("%d session(s) were interrupted (power cut or crash) and are marked so", recovered)
        elif item is _DELETE:
            self.store.delete_checkin(self._ids[key])
            del self._ids[key]
        elif isinstance(item, SessionRecord):
            self._ids[key] = self.store.save(replace(item, id=self._ids.get(key)))
        elif isinstance(item, CheckinRecord):
            self._ids[key] = self.store.add_checkin(replace(item, id=self._ids.get(key)))
        elif isinstance(item, RungRecord):
            self.store.set_rung(item)
        elif isinstance(item, CodeLock):
            self.store.set_code_lock(item)
