"""CSV and JSON exports of the session log, the pain check-ins and the level changes: every column as stored
(times UTC ISO 8601), one row or object per record, for the clinician's own tools, then
what the kiosk knows about the row: `unsynced_day` (1: the profile's practice day holds a
session started before the clock was set, so its date may be wrong) and `sample` (1: written
by demo-data, not a real patient's record)."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import TextIO

from kiosk.storage.queries import DEMO_TABLE
from kiosk.storage.store import Store

TABLES = {"sessions": "sessions", "checkins": "pain_checkins", "rung_changes": "rung_changes"}  # --table -> table
FORMATS = ("csv", "json")
ADDED_COLUMNS = ("unsynced_day", "sample")  # after the stored columns: what the kiosk knows about each row


def fetch(store: Store, table: str = "sessions", profile: str | None = None,
          since: date | None = None) -> tuple[list[str], list[tuple]]:
    """Column names (the table's in order, then ADDED_COLUMNS) and rows, oldest id first,
    of one of TABLES, optionally one profile's and from practice day `since` on."""
    clauses, args = [], []
    if profile is not None:
        clauses.append("t.profile = ?")
        args.append(profile)
    if since is not None:
        clauses.append("t.day >= ?")
        args.append(since.isoformat())
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    unsynced = ("EXISTS (SELECT 1 FROM sessions u WHERE u.profile = t.profile AND u.day = t.day"
                " AND u.clock_synced = 0) AS unsynced_day")
    with store.guarded():
        sample = _sample_column(store, TABLES[table])
        cursor = store.db.execute(f"SELECT t.*, {unsynced}, {sample} FROM {TABLES[table]} t{where} ORDER BY t.id",
                                  args)
        return [c[0] for c in cursor.description], [tuple(row) for row in cursor.fetchall()]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting so as a formula


def inert(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a single
    quote in front (OWASP's rule for CSV injection); numbers stay numbers, negative too;
    NULL is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(columns: list[str], rows: list[tuple], out: TextIO) -> None:
    """A header row, then one line per record; an empty cell is a NULL; text that a
    spreadsheet would run as a formula is written inert (see `inert`)."""
    plain = csv.writer(out, lineterminator="\n")
    # Python 3.11's writer leaves a carriage return in a cell unquoted, which splits the
    # line for every reader: a row holding one has its text cells quoted.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    for row in ([inert(c) for c in columns], *([inert(v) for v in row] for row in rows)):
        (quoted if any(isinstance(c, str) and "\r" in c for c in row) else plain).writerow(row)


def write_json(columns: list[str], rows: list[tuple], out: TextIO) -> None:
    """A JSON list of objects, one per line so it still greps well; text exactly as stored
    (no spreadsheet runs JSON)."""
    lines = [json.dumps(dict(zip(columns, row)), ensure_ascii=False) for row in rows]
    out.write("[\n" + ",\n".join(lines) + ("\n]\n" if lines else "]\n"))


def _sample_column(store: Store, table: str) -> str:
    """SQL for `sample`: whether demo-data wrote the row (listed in its marker table with
    the same id and time, so a real row that reused an id is not taken for one)."""
    if table not in ("sessions", "pain_checkins") or not store.db[DEMO_TABLE].exists():
        return "0 AS sample"  # demo-data writes no level changes
    at = "started_at" if table == "sessions" else "at"
    return (f"EXISTS (SELECT 1 FROM {DEMO_TABLE} m WHERE m.tbl = '{table}' AND m.row_id = t.id"
            f" AND m.at = t.{at}) AS sample")


def write(fmt: str, columns: list[str], rows: list[tuple], out: TextIO) -> None:
    """Write rows fetched before as CSV or JSON."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    (write_csv if fmt == "csv" else write_json)(columns, rows, out)


def export(store: Store, out: TextIO, fmt: str = "csv", table: str = "sessions",
           profile: str | None = None, since: date | None = None) -> int:
    """Write one table as CSV or JSON to `out`; returns the number of records."""
    if fmt not in FORMATS or table not in TABLES:
        raise ValueError(f"unknown format {fmt!r} or table {table!r}")
    columns, rows = fetch(store, table, profile, since)
    write(fmt, columns, rows, out)
    return len(rows)
