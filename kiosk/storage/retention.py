"""Retention: delete sessions and check-ins of practice days before a date, so a clinic keeps
only what it needs; the freed pages are zeroed so the old rows are gone from the file too."""

from __future__ import annotations

from datetime import date

from kiosk.storage.queries import DEMO_TABLE
from kiosk.storage.store import Store

_TABLES = ("sessions", "pain_checkins")


def _where(before: date, profile: str | None) -> tuple[str, list]:
    if profile is None:
        return "day < ?", [before.isoformat()]
    return "day < ? AND profile = ?", [before.isoformat(), profile]


def purge_counts(store: Store, before: date, profile: str | None = None) -> tuple[int, int]:
    """How many sessions and check-ins `purge` would remove."""
    where, args = _where(before, profile)
    with store.guarded():
        return tuple(store.db.execute(f"SELECT count(*) FROM {t} WHERE {where}", args).fetchone()[0]
                     for t in _TABLES)  # type: ignore[return-value]


def purge(store: Store, before: date, profile: str | None = None) -> tuple[int, int]:
    """Delete the rows of practice days before `before` (one profile's, or everyone's) in one
    transaction; returns (sessions_removed, checkins_removed)."""
    where, args = _where(before, profile)
    db = store.db
    with store.guarded():
        db.execute("PRAGMA secure_delete=ON")
        db.execute("BEGIN")
        try:
            removed = tuple(db.execute(f"DELETE FROM {t} WHERE {where}", args).rowcount for t in _TABLES)
            if db[DEMO_TABLE].exists():  # forget the demo marks of rows that are gone
                for table, column in (("sessions", "started_at"), ("pain_checkins", "at")):
                    db.execute(f"DELETE FROM {DEMO_TABLE} WHERE tbl = ? AND NOT EXISTS"
                               f" (SELECT 1 FROM {table} t WHERE t.id = row_id AND t.{column} = at)", [table])
            db.conn.commit()
        except BaseException:
            db.conn.rollback()
            raise
    return removed  # type: ignore[return-value]


def wipe_log(store: Store) -> bool:
    """Move every page out of the -wal file so the deleted rows are gone from it too; False
    when another program (the running kiosk, a reader) still holds old pages there."""
    with store.guarded():
        busy, _, _ = store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0
