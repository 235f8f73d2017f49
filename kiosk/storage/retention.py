"""Retention: the kiosk keeps practice days for retention.keep_days and no longer. Sessions,
check-ins (missed prompts too) and level changes of older days are deleted with the freed
space zeroed, and damaged copies of the database older than that are removed; the
clinician's `purge` deletes before a date of their choosing the same way."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from kiosk.model import Forgotten
from kiosk.storage.store import DAMAGED, Store, remove_damaged_copies

_STAMP = re.compile(re.escape(DAMAGED) + r"(\d{8}T\d{6}Z)")


def purge_counts(store: Store, before: date, profile: str | None = None) -> Forgotten:
    """How many sessions, check-ins and level changes `purge` would remove."""
    return store.count_before(before, profile)


def purge(store: Store, before: date, profile: str | None = None) -> Forgotten:
    """Delete the rows of practice days before `before` (one profile's, or everyone's) in one
    transaction (see Store.forget_before)."""
    return store.forget_before(before, profile)


def wipe_log(store: Store) -> bool:
    """Move every page out of the -wal file so the deleted rows are gone from it too; False
    when another program (the running kiosk, a reader) still holds old pages there."""
    with store.guarded():
        busy, _, _ = store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def moved_aside_at(path: Path) -> datetime:
    """When a damaged copy was moved aside: the UTC stamp in its name, else its file time."""
    found = _STAMP.search(path.name)
    if found:
        return datetime.strptime(found[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def remove_old_damaged_copies(data_dir: Path, keep_days: int | None, now: datetime) -> list[Path]:
    """Remove the damaged copies of the database (desens.db.damaged-*, with their -wal and
    -shm) moved aside more than `keep_days` days before `now`; none when keep_days is None
    (retention: never). Returns those removed."""
    if keep_days is None:
        return []
    oldest = now - timedelta(days=keep_days)

    def keep(path: Path) -> bool:
        try:
            return moved_aside_at(path) >= oldest
        except OSError:
            return True

    return remove_damaged_copies(data_dir, keep)


def apply_retention(store: Store, keep_days: int | None, now: datetime) -> tuple[Forgotten, list[Path]]:
    """What the kiosk does at start and once a day: forget the practice days before the
    one `keep_days` before today's (by the store's roll-over and zone), and remove damaged
    copies older than that. Nothing when keep_days is None (never)."""
    if keep_days is None:
        return Forgotten(), []
    gone = store.forget_before(store.day_of(now) - timedelta(days=keep_days))
    removed = remove_old_damaged_copies(store.path.parent, keep_days, now) if store.path is not None else []
    return gone, removed
