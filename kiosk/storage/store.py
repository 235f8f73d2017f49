"""The session log: one SQLite file (sqlite-utils), readable by any SQLite tool.

Every write is its own committed transaction in WAL mode with synchronous=FULL, so a power
cut loses at most the write in flight; before each write the store checks that the path
still names the file it has open (one deleted or replaced is opened again at the path).
The clinician's tools open the file read-only, whatever schema version wrote it. Failures
are StoreError with a StorageProblem code; the words for it live in kiosk.text. Only the
main thread may use a Store: the underlying sqlite3 connection raises when used from
another thread.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from kiosk.days import DEFAULT_ROLLOVER, practice_day
from kiosk.model import (
    CheckinRecord,
    CodeLock,
    Forgotten,
    RungReason,
    RungRecord,
    SessionRecord,
    Status,
    StorageProblem,
)
from kiosk.paths import DB_NAME, LOCK_NAME
from kiosk.storage.zone import local_zone_name, zone

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
DEMO_TABLE = "demo_marker"  # rows written by `desens-kiosk demo-data` (see kiosk.storage.demo)
DAMAGED = ".damaged-"  # a damaged database moved aside is desens.db.damaged-<UTC stamp>[-n][-wal|-shm]
HISTORY = ("sessions", "pain_checkins", "rung_changes")  # the tables of practice days (retention, purge)
KEPT_META = ("time_zone",)  # what a hand-over keeps of the meta table: facts about the kiosk, not the patient
_CODE_FAILURES, _CODE_LOCKED_UNTIL = "code_failures", "code_locked_until"  # meta keys of the code lock
COUNTS_AFTER_SECONDS = 180.0  # session.counts_after's default: active time a session needs to count
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600  # the data directory holds health data: its user's alone
OPEN_BUSY_MS = 5000  # how long opening waits for another program's lock
BUSY_MS = 250  # how long a read or write in the main loop waits for one

_SCHEMA_V1 = f"""
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL,
    area TEXT NOT NULL,
    technique TEXT NOT NULL,
    planned_seconds INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    active_seconds REAL NOT NULL DEFAULT 0,
    pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s.value}'" for s in Status)}))
);
CREATE INDEX IF NOT EXISTS sessions_profile_started ON sessions (profile, started_at);
"""

# Version 2: whether the wall clock was synchronised (NTP) when the session started;
# a Pi without a real-time clock can be days off until it is. NULL = not known.
_SCHEMA_V2 = "ALTER TABLE sessions ADD COLUMN clock_synced INTEGER CHECK (clock_synced IN (0, 1))"

# Version 3: the practice day of each session (local date with the roll-over hour, written
# by the kiosk so any tool groups by it without knowing the time zone), pain check-ins,
# the graded practice's rung per profile and area. Earlier rows get their day from the
# local time of this machine and the default 03:00 roll-over.
_SCHEMA_V3 = f"""
ALTER TABLE sessions ADD COLUMN day TEXT;
UPDATE sessions SET day = date(started_at, 'localtime', '-3 hours');
CREATE TABLE IF NOT EXISTS pain_checkins (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL,
    at TEXT NOT NULL,
    rating INTEGER CHECK (rating BETWEEN 0 AND 10),
    area TEXT,
    prompted INTEGER NOT NULL DEFAULT 0 CHECK (prompted IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('saved', 'missed')),
    day TEXT,
    CHECK ((status = 'saved') = (rating IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS pain_checkins_profile_at ON pain_checkins (profile, at);
CREATE TABLE IF NOT EXISTS rungs (
    profile TEXT NOT NULL,
    area TEXT NOT NULL,
    rung INTEGER NOT NULL CHECK (rung >= 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (profile, area)
);
CREATE VIEW IF NOT EXISTS pain_readings AS
    SELECT profile, at, rating, area, 'checkin' AS source, day FROM pain_checkins
        WHERE status = 'saved'
    UNION ALL
    SELECT profile, started_at, pain_before, area, 'session_before', day FROM sessions
        WHERE pain_before IS NOT NULL
    UNION ALL
    SELECT profile, coalesce(ended_at, started_at), pain_after, area, 'session_after', day FROM sessions
        WHERE pain_after IS NOT NULL;
CREATE VIEW IF NOT EXISTS daily_summary AS
    SELECT profile, day,
        count(*) AS sessions,
        sum(status = '{Status.COMPLETED.value}') AS completed,
        round(sum(active_seconds) / 60.0, 1) AS minutes,
        round(avg(pain_before), 2) AS mean_pain_before,
        round(avg(pain_after), 2) AS mean_pain_after
    FROM sessions WHERE status != '{Status.IN_PROGRESS.value}'
    GROUP BY profile, day;
"""

# Version 4: facts about the kiosk every reader needs: its IANA time zone ("time_zone"),
# kept current when the kiosk opens the file, so days and hours are counted where the
# child practised, whoever reads the file on whatever machine.
_SCHEMA_V4 = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

# Version 5: whether a session counted toward the day (`counted`, 0/1: its active time reached
# session.counts_after, capped at the planned duration), written when it ends, so any tool
# counts adherence as the kiosk does without knowing the config. Finished rows from before
# get it from the threshold in force when the kiosk first opens the file (desens_counts_after
# is the store's own SQL function). daily_summary gains counted_sessions and practice_seconds.
# Graded practice's history: `rung_changes`, one row per change of an area's level (technique
# ids of the old and new rung, why), written in the same transaction as the rung itself.
_COUNTS = "(active_seconds + 1e-6 >= min(desens_counts_after(profile), planned_seconds))"
_SCHEMA_V5 = f"""
ALTER TABLE sessions ADD COLUMN counted INTEGER CHECK (counted IN (0, 1));
UPDATE sessions SET counted = {_COUNTS} WHERE status != '{Status.IN_PROGRESS.value}';
DROP VIEW IF EXISTS daily_summary;
CREATE VIEW daily_summary AS
    SELECT profile, day,
        count(*) AS sessions,
        sum(status = '{Status.COMPLETED.value}') AS completed,
        round(sum(active_seconds) / 60.0, 1) AS minutes,
        round(avg(pain_before), 2) AS mean_pain_before,
        round(avg(pain_after), 2) AS mean_pain_after,
        coalesce(sum(counted = 1), 0) AS counted_sessions,
        round(sum(active_seconds), 1) AS practice_seconds
    FROM sessions WHERE status != '{Status.IN_PROGRESS.value}'
    GROUP BY profile, day;
CREATE TABLE IF NOT EXISTS rung_changes (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL,
    area TEXT NOT NULL,
    from_technique TEXT,
    to_technique TEXT,
    at TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ({", ".join(f"'{r.value}'" for r in RungReason)})),
    day TEXT
);
CREATE INDEX IF NOT EXISTS rung_changes_profile_at ON rung_changes (profile, at)
"""

MIGRATIONS = {1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3, 4: _SCHEMA_V4, 5: _SCHEMA_V5}  # schema version -> its step

# Primary SQLite result codes (the low byte of sqlite_errorcode).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 11, 13, 26


class StoreError(Exception):
    """The database could not be opened, read or written. `.problem` is the reason code
    (kiosk.text says it in words), `.detail` the technical detail for the log, `.path` the
    file when the failure was in opening it."""

    def __init__(self, problem: StorageProblem | str, detail: str = "", path: Path | None = None) -> None:
        try:
            problem = StorageProblem(problem)
        except ValueError:  # a reason given as plain words: kept as the detail
            problem, detail = StorageProblem.FAILED, detail or str(problem)
        self.problem, self.detail, self.path = problem, detail, path
        where = f"{path}: " if path is not None else ""
        super().__init__(f"{where}{problem.value}" + (f" ({detail})" if detail else ""))

    @property
    def reason(self) -> StorageProblem:
        """The reason code (the older name of `.problem`)."""
        return self.problem


def _problem(err: sqlite3.Error) -> StorageProblem:
    """The reason code of a sqlite3 error."""
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL:
        return StorageProblem.DISK_FULL
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StorageProblem.LOCKED
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return StorageProblem.READ_ONLY
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StorageProblem.DAMAGED
    return StorageProblem.FAILED


def _store_error(err: sqlite3.Error, path: Path | None = None) -> StoreError:
    return StoreError(_problem(err), str(err) or type(err).__name__, path)


def _statements(script: str) -> list[str]:
    return [statement.strip() for statement in script.split(";") if statement.strip()]


def _temporary(statement: str, keep_sessions: bool = False) -> str | None:
    """A migration statement made to act on the TEMP schema of a read-only connection:
    tables and views created there; indexes left out (nothing to speed up); with
    `keep_sessions`, the changes to the sessions table left out (a view stands in for it)."""
    words = statement.split()
    if words[:2] == ["CREATE", "INDEX"]:
        return None
    if keep_sessions and (words[:3] == ["ALTER", "TABLE", "sessions"] or words[:2] == ["UPDATE", "sessions"]):
        return None
    if words[:2] in (["CREATE", "TABLE"], ["CREATE", "VIEW"]):
        return statement.replace("CREATE ", "CREATE TEMP ", 1)
    if words[:4] == ["DROP", "VIEW", "IF", "EXISTS"]:  # only ever one made here, never the file's own
        return f"DROP VIEW IF EXISTS temp.{words[4]}"
    return statement


def _before(day: date, profile: str | None) -> tuple[str, list]:
    """SQL for the rows of practice days before `day` (of one profile, when given)."""
    if profile is None:
        return "day < ?", [day.isoformat()]
    return "day < ? AND profile = ?", [day.isoformat(), profile]



def keep_private(data_dir: Path) -> None:
    """Make the data directory 0700 and the files the kiosk keeps there 0600 (the
    database, its -wal and -shm, the lock, the damaged copies), where they are not so
    yet. A mode that cannot be changed (another user's file) is logged, never fatal."""
    data_dir = Path(data_dir)
    files = [Path(f"{data_dir / DB_NAME}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    for path, mode in [(data_dir, PRIVATE_FOLDER), *((f, PRIVATE_FILE) for f in files),
                       (data_dir / LOCK_NAME, PRIVATE_FILE), *((c, PRIVATE_FILE) for c in damaged_copies(data_dir))]:
        try:
            if stat.S_IMODE(path.stat().st_mode) != mode:
                os.chmod(path, mode)
        except FileNotFoundError:
            pass
        except OSError as err:
            log.warning("cannot make %s private (mode %o): %s", path, mode, err.strerror or err)


def _create_private(path: Path) -> None:
    """Create an empty database file 0600 where there is none, so a new database is private
    from its first byte (SQLite gives its -wal and -shm the database's mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE))
    except FileExistsError:
        pass
    except OSError as err:
        problem = StorageProblem.READ_ONLY if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM) \
            else StorageProblem.FAILED
        raise StoreError(problem, err.strerror or str(err), path) from err


def damaged_copies(data_dir: Path) -> list[Path]:
    """The damaged databases kept in `data_dir` (desens.db.damaged-*, with their -wal and
    -shm), oldest first."""
    try:
        return sorted(path for path in Path(data_dir).glob(f"{DB_NAME}{DAMAGED}*") if path.is_file())
    except OSError:
        return []


def remove_damaged_copies(data_dir: Path, keep: Callable[[Path], bool] = lambda path: False) -> list[Path]:
    """Delete the damaged copies in `data_dir` (those `keep` does not keep); returns those
    removed."""
    removed = []
    for path in damaged_copies(data_dir):
        if keep(path):
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as err:
            raise StoreError(StorageProblem.FAILED, f"cannot remove {path.name}: {err.strerror or err}", path) from err
        removed.append(path)
    return removed


def _identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_dev, info.st_ino


def _log_files(path: Path) -> dict[str, tuple[int, int]]:
    """Device and inode of the -wal and -shm beside `path`, those that exist."""
    found = {}
    for suffix in ("-wal", "-shm"):
        try:
            found[suffix] = _identity(Path(f"{path}{suffix}"))
        except OSError:
            pass
    return found


def _signature(path: Path) -> tuple:
    """What changes when anyone writes the database: the file's identity, size and time,
    and whether a -wal is beside it."""
    info = path.stat()
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, Path(f"{path}-wal").exists()


def _read_only_uri(path: Path, immutable: bool) -> str:
    """The SQLite URI that opens `path` for reading only. `immutable` when no other
    connection has the file open (no -wal beside it): SQLite then makes no -wal or -shm,
    which a read-only connection could never remove. Otherwise the writer's own -wal and
    -shm are used, so its latest rows are read."""
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def _looks_like_sqlite(path: Path) -> bool:
    """False for a file that exists but does not start with SQLite's header."""
    try:
        with open(path, "rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        return True
    except OSError:
        return True  # let SQLite report what is wrong
    return head in (b"", b"SQLite format 3\x00")


def _to_text(dt: datetime) -> str:
    """UTC ISO 8601 with seconds precision; naive datetimes are a bug, not a guess."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime: {dt!r}")
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def _bound(dt: datetime) -> str:
    """A range bound rounded up to the whole second, so it compares right with stored times."""
    return _to_text(dt + timedelta(microseconds=(1_000_000 - dt.microsecond) % 1_000_000))


def _from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(timezone.utc)


def counts(active_seconds: float, planned_seconds: float, counts_after: float) -> bool:
    """Whether a session counts toward the day: its active time (pauses excluded) reached
    `counts_after`, capped at the planned duration (a 2-minute prescription counts at 2)."""
    return active_seconds + 1e-6 >= min(counts_after, planned_seconds)


def _row(record: SessionRecord, day: date, counted: bool | None) -> dict:
    return {
        "day": day.isoformat(),
        "profile": record.profile,
        "area": record.area,
        "technique": record.technique,
        "planned_seconds": record.planned_seconds,
        "started_at": _to_text(record.started_at),
        "ended_at": None if record.ended_at is None else _to_text(record.ended_at),
        "active_seconds": float(record.active_seconds),
        "pain_before": record.pain_before,
        "pain_after": record.pain_after,
        "status": Status(record.status).value,
        "clock_synced": None if record.clock_synced is None else int(record.clock_synced),
        "counted": None if counted is None else int(counted),
    }


def _record(row: dict) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        profile=row["profile"],
        area=row["area"],
        technique=row["technique"],
        planned_seconds=row["planned_seconds"],
        started_at=_from_text(row["started_at"]),
        ended_at=_from_text(row["ended_at"]),
        active_seconds=row["active_seconds"],
        pain_before=row["pain_before"],
        pain_after=row["pain_after"],
        status=Status(row["status"]),
        clock_synced=None if row["clock_synced"] is None else bool(row["clock_synced"]),
        counted=None if row["counted"] is None else bool(row["counted"]),
    )


class Store:
    """The sessions table of one database file (or ":memory:" when the data dir is unusable).
    `db` is the sqlite-utils Database underneath, for exports and tests."""

    moved_aside: Path | None = None  # where open() put a damaged database, if it did

    def __init__(self, path: str | Path, *, rollover: time = DEFAULT_ROLLOVER, tz: tzinfo | None = None,
                 read_only: bool = False, counts_after: float = COUNTS_AFTER_SECONDS,
                 counts_after_by_profile: Mapping[str, float] | None = None) -> None:
        """Open or create the database, check it, set WAL and per-connection pragmas,
        migrate the schema. `rollover` and `tz` say which practice day a time belongs to
        (when `tz` is None: the kiosk's zone recorded in the file, else this machine's).
        `counts_after` (seconds; a profile's own in `counts_after_by_profile`) decides
        whether a session counted where the logic did not say: older rows, crashed ones.

        `read_only` opens an existing file for reading only (SQLite's mode=ro): never
        created, migrated or written, no -wal or -shm made beside it; an older schema is
        read as if it were the current one."""
        self.rollover, self.tz, self.read_only = rollover, tz, read_only
        self.counts_after = float(counts_after)
        self.counts_after_by_profile = dict(counts_after_by_profile or {})
        memory = str(path) == ":memory:"
        self.path = None if memory else Path(path)
        self._as_opened: tuple | None = None
        self._identity: tuple[int, int] | None = None  # device and inode of the file written to
        self._log_files: dict[str, tuple[int, int]] = {}  # the same for its -wal and -shm
        self._lost = False  # closed to open the file at the path again, which failed so far
        self._records_zone = False  # keeps this machine's zone in the file (the kiosk's store)
        self.generation = 0  # counts files opened again: row ids from before belong to the old one
        try:
            if read_only:
                immutable = not Path(f"{path}-wal").exists()  # no other connection has it open
                self._as_opened = _signature(self.path) if immutable else None
                self.db = Database(sqlite3.connect(_read_only_uri(self.path, immutable), uri=True))
            else:
                self.db = Database(":memory:" if memory else Path(path))
        except sqlite3.Error as err:
            raise _store_error(err, self.path) from err
        self.db.conn.create_function("desens_counts_after", 1, self.counts_after_for, deterministic=True)
        try:
            with self._opening():
                # Opening (and migrating) may wait for another program's lock a while.
                self.db.execute(f"PRAGMA busy_timeout={OPEN_BUSY_MS}")
                # A garbage file opens fine and only fails here (SQLITE_NOTADB).
                self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                if not memory and self.db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise StoreError(StorageProblem.DAMAGED, "quick_check failed", self.path)
                if read_only:
                    self._read_as_current(self._schema_version())
                else:
                    if not memory:
                        self.db.enable_wal()
                    self.db.execute("PRAGMA synchronous=FULL")
                    self._migrate()
                self.zone_name = self._recorded_zone()
                # Later writes run in the main loop: never freeze the screen for long on a
                # lock; the recorder keeps what was not written and tries again.
                self.db.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            if tz is None:
                self.tz = zone(self.zone_name)
            if not memory and not read_only:
                keep_private(self.path.parent)
                self._identity, self._log_files = _identity(self.path), _log_files(self.path)
        except BaseException:
            self.db.conn.close()
            raise

    @classmethod
    def open(
        cls, data_dir: Path, now: datetime | None = None, *, rollover: time = DEFAULT_ROLLOVER,
        tz: tzinfo | None = None, record_zone: bool = True, counts_after: float = COUNTS_AFTER_SECONDS,
        counts_after_by_profile: Mapping[str, float] | None = None,
    ) -> Store:
        """Make the data directory (with parents) and open data_dir/desens.db in it, as the
        kiosk does: with `record_zone`, this machine's time zone is kept in the file (and
        `tz` None means local time here). `counts_after`: see Store().

        A damaged database is moved aside with its -wal and -shm files (kept, never
        deleted) and a new one started; `moved_aside` then names where it went."""
        options = {"rollover": rollover, "tz": tz, "counts_after": counts_after,
                   "counts_after_by_profile": counts_after_by_profile}
        store = cls._open_or_start_afresh(Path(data_dir) / DB_NAME, now, options)
        if record_zone:
            store._records_zone = True
            store._keep_local_zone()
            store.tz = tz
        return store

    def _keep_local_zone(self) -> None:
        try:
            self.keep_zone(local_zone_name())
        except StoreError as err:  # the sessions matter more: say so and carry on
            log.warning("could not record the time zone: %s", err)

    @classmethod
    def _open_or_start_afresh(cls, path: Path, now: datetime | None, options: dict) -> Store:
        """Open the database at `path`, making its folder (with parents) first."""
        data_dir = path.parent
        try:
            data_dir.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        except OSError as err:
            if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise StoreError(StorageProblem.READ_ONLY, err.strerror or str(err), data_dir) from err
            raise StoreError(StorageProblem.NO_FOLDER, err.strerror or str(err), data_dir) from err
        if not os.access(data_dir, os.W_OK):  # a read-only mount too, even for root
            raise StoreError(StorageProblem.READ_ONLY, "no write access", data_dir)
        keep_private(data_dir)
        _create_private(path)
        if not _looks_like_sqlite(path):
            # Checked before SQLite opens it: closing a failed connection can delete the
            # -wal file, which must move aside with the rest.
            return cls._start_afresh(path, now, options)
        try:
            return cls(path, **options)
        except StoreError as err:
            if err.problem is not StorageProblem.DAMAGED:
                raise
        return cls._start_afresh(path, now, options)

    @classmethod
    def _start_afresh(cls, path: Path, now: datetime | None, options: dict) -> Store:
        """Move a damaged database and its -wal and -shm aside, then open a new one."""
        stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}{DAMAGED}{stamp}")
        count = 1
        while aside.exists():  # never overwrite an earlier damaged copy
            count += 1
            aside = path.with_name(f"{path.name}{DAMAGED}{stamp}-{count}")
        try:
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{path}{suffix}").exists():
                    os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        except OSError as err:
            raise StoreError(StorageProblem.CANNOT_MOVE_ASIDE, err.strerror or str(err), path) from err
        _create_private(path)
        store = cls(path, **options)
        store.moved_aside = aside
        return store

    @contextmanager
    def guarded(self) -> Iterator[None]:
        """Turn any sqlite3 error into a StoreError (original as __cause__), leaving no
        half-done transaction open for the next write to join. Every use of `db` runs
        inside it, so callers only ever see StoreError."""
        try:
            yield
        except sqlite3.Error as err:
            if self.db.conn.in_transaction:
                self.db.conn.rollback()
            raise _store_error(err) from err

    @contextmanager
    def _opening(self) -> Iterator[None]:
        """guarded() while opening: the error also names the file."""
        try:
            with self.guarded():
                yield
        except StoreError as err:
            if err.path is None:
                raise StoreError(err.problem, err.detail, self.path) from err.__cause__
            raise

    def reopen_if_replaced(self) -> bool:
        """Before a write: when the path no longer names the open file (deleted, or another
        file put in its place), open or create the file at the path again, so what is
        written lands where every reader looks. True when it did; `generation` then counts
        up, as row ids from before belong to the old file."""
        if self._identity is None:
            return False  # in memory, or read-only
        try:
            there = _identity(self.path)
        except OSError:
            there = None
        if there == self._identity and not self._lost:
            return False
        if not self._lost:
            log.error("the database file %s was %s while the kiosk ran: opening the file at that path again "
                      "(rows written before stay in the old file)", self.path,
                      "moved or deleted" if there is None else "replaced")
            self._let_go_of_the_old_file()
        self._remove_old_log_files()
        fresh = type(self)._open_or_start_afresh(self.path, None, {
            "rollover": self.rollover, "tz": self.tz, "counts_after": self.counts_after,
            "counts_after_by_profile": self.counts_after_by_profile})
        self.db, self._identity, self._log_files = fresh.db, fresh._identity, fresh._log_files
        self.zone_name = fresh.zone_name
        self._lost = False
        self.generation += 1
        if fresh.moved_aside:
            self.moved_aside = fresh.moved_aside
            log.error("the file at %s was damaged: kept as %s, a new one started", self.path, fresh.moved_aside)
        if self._records_zone:
            self._keep_local_zone()
        log.warning("writing to %s again", self.path)
        return True

    def _let_go_of_the_old_file(self) -> None:
        """Close the file the path no longer names, its rows all moved out of its -wal first
        (it may only have been renamed); then remove its -wal and -shm if they are still at
        the path, where SQLite would take them for the new file's and replay old pages
        into it."""
        try:
            with self.guarded():
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except StoreError as err:
            log.warning("could not complete the old database file: %s", err)
        self._lost = True
        self.db.conn.close()

    def _remove_old_log_files(self) -> None:
        """Remove the closed file's -wal and -shm from beside the path (those still there)."""
        for suffix, identity in list(self._log_files.items()):
            beside = Path(f"{self.path}{suffix}")
            try:
                if _identity(beside) == identity:
                    beside.unlink()
            except FileNotFoundError:
                pass
            except OSError as err:
                raise StoreError(StorageProblem.FAILED, f"cannot remove the old file's {suffix}: {err.strerror or err}",
                                 self.path) from err
            del self._log_files[suffix]

    def _recorded_zone(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'time_zone'").fetchone()
        return row[0] if row else None

    def keep_zone(self, name: str | None) -> None:
        """Record `name` (IANA) as the kiosk's time zone, when known and not already so."""
        if name is None or name == self.zone_name:
            return
        with self.guarded():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('time_zone', ?)", [name])
            self.db.conn.commit()
        if self.zone_name is not None:
            log.info("time zone %s (was %s)", name, self.zone_name)
        self.zone_name = name

    def unchanged(self) -> bool:
        """For a file read as immutable (no other connection had it open): whether it is
        still as it was when opened, so what was read is one consistent state. True for
        every other store."""
        return self._as_opened is None or _signature(self.path) == self._as_opened

    def _read_as_current(self, version: int) -> None:
        """Let an older file read like the current schema, in this connection's TEMP
        schema only (the file is never touched): columns added since are worked out, tables
        added since are empty."""
        if version == SCHEMA_VERSION:
            return
        self.db.conn.create_function(
            "desens_practice_day", 1, lambda at: self.day_of(_from_text(at)).isoformat(), deterministic=True)
        if version == 0:  # an empty file: every table, empty
            steps = [_temporary(s) for step in range(1, SCHEMA_VERSION + 1) for s in _statements(MIGRATIONS[step])]
        else:
            added = [("NULL AS clock_synced", version < 2), ("desens_practice_day(started_at) AS day", version < 3),
                     (f"CASE WHEN status = '{Status.IN_PROGRESS.value}' THEN NULL ELSE {_COUNTS} END AS counted",
                      version < 5)]
            columns = ", ".join(column for column, missing in added if missing)
            steps = [f"CREATE TEMP VIEW sessions AS SELECT *, {columns} FROM main.sessions"]
            steps += [_temporary(s, keep_sessions=True) for step in range(max(3, version + 1), SCHEMA_VERSION + 1)
                      for s in _statements(MIGRATIONS[step])]
        for statement in filter(None, steps):
            self.db.execute(statement)

    def _schema_version(self) -> int:
        """The file's schema version (PRAGMA user_version); a newer one than this program
        knows is refused, for writing and for reading."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(StorageProblem.NEWER_SCHEMA, f"schema version {version}, this program knows {SCHEMA_VERSION}")
        return version

    def _migrate(self) -> None:
        """Bring the schema up to SCHEMA_VERSION, tracked in PRAGMA user_version, one
        version per transaction."""
        version = self._schema_version()
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # Explicit BEGIN/COMMIT: the same on sqlite-utils 3.x and 4.x.
            self.db.execute("BEGIN")
            try:
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={target}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.conn.rollback()
                raise

    def counts_after_for(self, profile: str) -> float:
        """The active seconds a session of `profile` needs to count (before the cap at its
        planned duration)."""
        return self.counts_after_by_profile.get(profile, self.counts_after)

    def save(self, record: SessionRecord) -> int:
        """Insert a new record (id None) or rewrite every column of its row; returns the id.
        `counted` is written as the record says; a finished record that does not say is
        worked out with this store's threshold (a running one stays NULL).

        Idempotent, so a failed save can simply be repeated with the same record."""
        counted = record.counted
        if counted is None and Status(record.status) is not Status.IN_PROGRESS:
            counted = counts(record.active_seconds, record.planned_seconds, self.counts_after_for(record.profile))
        row = _row(record, self.day_of(record.started_at), counted)
        self.reopen_if_replaced()
        with self.guarded():
            table = self.db.table("sessions")
            if record.id is None:
                return int(table.insert(row).last_pk)
            # An upsert, so a row that went missing is written again rather than lost.
            table.upsert({"id": record.id, **row}, pk="id")
            return record.id

    def get(self, session_id: int) -> SessionRecord | None:
        """One session by id, or None."""
        with self.guarded():
            rows = list(self.db.table("sessions").rows_where("id = ?", [session_id]))
        return _record(rows[0]) if rows else None

    def sessions(self, profile: str | None = None) -> list[SessionRecord]:
        """All sessions, or those of one profile, oldest first."""
        where, args = ("profile = ?", [profile]) if profile is not None else (None, None)
        with self.guarded():
            rows = self.db.table("sessions").rows_where(where, args, order_by="started_at, id")
            return [_record(row) for row in rows]

    def recover_interrupted(self) -> int:
        """At start-up, mark sessions left in progress (crash, power cut) as interrupted,
        counted when their active time reached the threshold."""
        self.reopen_if_replaced()
        with self.guarded():
            cursor = self.db.execute(
                f"UPDATE sessions SET status = ?, counted = {_COUNTS} WHERE status = ?",
                [Status.INTERRUPTED.value, Status.IN_PROGRESS.value],
            )
            self.db.conn.commit()  # sqlite-utils 4 already did; 3.x leaves it open
            return cursor.rowcount

    def last_rating(self, profile: str, area: str) -> int | None:
        """The latest pain rating for an area: of its most recent rated session, the
        rating after if given, else the one before."""
        with self.guarded():
            row = self.db.execute(
                "SELECT coalesce(pain_after, pain_before) FROM sessions"
                " WHERE profile = ? AND area = ?"
                " AND (pain_after IS NOT NULL OR pain_before IS NOT NULL)"
                " ORDER BY started_at DESC, id DESC LIMIT 1",
                [profile, area],
            ).fetchone()
        return None if row is None else row[0]

    def recent_sessions(self, profile: str, area: str, limit: int) -> list[SessionRecord]:
        """The profile's latest `limit` finished sessions (not in progress) on `area`,
        newest first: what the move-up rule looks at."""
        with self.guarded():
            rows = self.db.table("sessions").rows_where(
                "profile = ? AND area = ? AND status != ?", [profile, area, Status.IN_PROGRESS.value],
                order_by="started_at DESC, id DESC", limit=limit)
            return [_record(row) for row in rows]

    def finished_start_times(
        self, profile: str, since: datetime, until: datetime
    ) -> list[datetime]:
        """Start times (aware UTC, oldest first) of the profile's sessions no longer in
        progress that started in [since, until): the basis of "today N of target"."""
        lo, hi = _bound(since), _bound(until)
        with self.guarded():
            rows = self.db.execute(
                "SELECT started_at FROM sessions WHERE profile = ? AND status != ?"
                " AND started_at >= ? AND started_at < ? ORDER BY started_at, id",
                [profile, Status.IN_PROGRESS.value, lo, hi],
            ).fetchall()
        return [_from_text(text) for (text,) in rows]

    def day_of(self, moment: datetime) -> date:
        """The practice day a moment counts for, by this store's roll-over and time zone."""
        return practice_day(moment, self.rollover, self.tz)

    def day_counts(self, profile: str, first: date, last: date) -> dict[date, int]:
        """Counted sessions per practice day (the home count and the week's dots),
        first..last inclusive; days without any are left out."""
        with self.guarded():
            rows = self.db.execute(
                "SELECT day, counted_sessions FROM daily_summary WHERE profile = ? AND day BETWEEN ? AND ?"
                " AND counted_sessions > 0",
                [profile, first.isoformat(), last.isoformat()],
            ).fetchall()
        return {date.fromisoformat(day): count for day, count in rows}

    # -- pain check-ins ---------------------------------------------------------------
    def add_checkin(self, record: CheckinRecord) -> int:
        """Write a check-in (a rating, or a prompt that went unanswered); returns its id."""
        row = {
            "profile": record.profile,
            "at": _to_text(record.at),
            "rating": record.rating,
            "area": record.area,
            "prompted": int(record.prompted),
            "status": record.status,
            "day": self.day_of(record.at).isoformat(),
        }
        self.reopen_if_replaced()
        with self.guarded():
            if record.id is None:
                return int(self.db.table("pain_checkins").insert(row).last_pk)
            self.db.table("pain_checkins").upsert({"id": record.id, **row}, pk="id")
            return record.id

    def delete_checkin(self, checkin_id: int) -> None:
        """Undo a check-in saved by mistake."""
        self.reopen_if_replaced()
        with self.guarded():
            self.db.execute("DELETE FROM pain_checkins WHERE id = ?", [checkin_id])
            self.db.conn.commit()

    def checkins(self, profile: str | None = None) -> list[CheckinRecord]:
        """All check-ins, or those of one profile, oldest first."""
        where, args = ("profile = ?", [profile]) if profile is not None else (None, None)
        with self.guarded():
            rows = list(self.db.table("pain_checkins").rows_where(where, args, order_by="at, id"))
        return [
            CheckinRecord(
                profile=r["profile"], at=_from_text(r["at"]), rating=r["rating"], area=r["area"],
                prompted=bool(r["prompted"]), status=r["status"], id=r["id"],
            )
            for r in rows
        ]

    def last_checkin_rating(self, profile: str) -> int | None:
        """The rating of the profile's latest saved check-in."""
        with self.guarded():
            row = self.db.execute(
                "SELECT rating FROM pain_checkins WHERE profile = ? AND status = 'saved'"
                " ORDER BY at DESC, id DESC LIMIT 1",
                [profile],
            ).fetchone()
        return None if row is None else row[0]

    def last_reading(self, profile: str) -> tuple[datetime, int] | None:
        """When and how much the profile last rated pain, from any source."""
        with self.guarded():
            row = self.db.execute(
                "SELECT at, rating FROM pain_readings WHERE profile = ? ORDER BY at DESC LIMIT 1", [profile]
            ).fetchone()
        return (_from_text(row[0]), row[1]) if row else None

    def last_reading_at(self, profile: str) -> datetime | None:
        """When the profile last rated pain, from any source (check-in or session)."""
        last = self.last_reading(profile)
        return last[0] if last else None

    # -- graded practice --------------------------------------------------------------
    def rung(self, profile: str, area: str) -> int:
        """The profile's current rung (0 = the first) on the area's ladder."""
        with self.guarded():
            row = self.db.execute(
                "SELECT rung FROM rungs WHERE profile = ? AND area = ?", [profile, area]
            ).fetchone()
        return 0 if row is None else row[0]

    def set_rung(self, record: RungRecord) -> None:
        """Write an area's new level and, when the record says why it changed, its
        `rung_changes` row, in one transaction: both or neither. Repeating the same record
        writes no second row."""
        at = _to_text(record.at)
        change = None if record.reason is None else [
            record.profile, record.area, record.from_technique, record.to_technique, at,
            RungReason(record.reason).value, self.day_of(record.at).isoformat()]
        self.reopen_if_replaced()
        with self.guarded(), self.transaction():
            self.db.execute("INSERT OR REPLACE INTO rungs (profile, area, rung, updated_at) VALUES (?, ?, ?, ?)",
                            [record.profile, record.area, record.rung, at])
            if change is not None:
                self.db.execute(
                    "INSERT INTO rung_changes (profile, area, from_technique, to_technique, at, reason, day)"
                    " SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM rung_changes WHERE profile = ?"
                    " AND area = ? AND from_technique IS ? AND to_technique IS ? AND at = ? AND reason = ?)",
                    change + change[:-1])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One explicit transaction: committed when the block ends well, else rolled back."""
        self.db.execute("BEGIN")
        try:
            yield
            self.db.conn.commit()
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.rollback()
            raise

    # -- the clinician's code lock ------------------------------------------------------
    def code_lock(self) -> CodeLock:
        """Wrong clinician codes in a row and until when the entry is locked, as kept in the
        meta table (none kept: no failures, not locked)."""
        with self.guarded():
            kept = dict(self.db.execute("SELECT key, value FROM meta WHERE key IN (?, ?)",
                                        [_CODE_FAILURES, _CODE_LOCKED_UNTIL]).fetchall())
        failures = kept.get(_CODE_FAILURES, "0")
        return CodeLock(int(failures) if failures.isdigit() else 0, _from_text(kept.get(_CODE_LOCKED_UNTIL)))

    def set_code_lock(self, lock: CodeLock) -> None:
        """Keep the code lock (so a restart does not reset it); a cleared one leaves no row."""
        rows = {_CODE_FAILURES: str(lock.failures) if lock.failures else None,
                _CODE_LOCKED_UNTIL: None if lock.locked_until is None else _to_text(lock.locked_until)}
        self.reopen_if_replaced()
        with self.guarded(), self.transaction():
            for key, value in rows.items():
                if value is None:
                    self.db.execute("DELETE FROM meta WHERE key = ?", [key])
                else:
                    self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    # -- retention ----------------------------------------------------------------------
    def count_before(self, day: date, profile: str | None = None) -> Forgotten:
        """What forget_before(day, profile) would delete."""
        where, args = _before(day, profile)
        with self.guarded():
            return Forgotten(*(self.db.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()[0]
                               for table in HISTORY))

    def forget_before(self, day: date, profile: str | None = None) -> Forgotten:
        """Delete the sessions, check-ins (missed prompts too) and level changes of practice
        days before `day` (everyone's, or one profile's) in one transaction, with
        secure_delete (the freed space is zeroed), then empty the -wal of their old copies
        (as far as no reader holds them). The current levels stay: they are the
        prescription, not history. Returns what went."""
        where, args = _before(day, profile)
        self.reopen_if_replaced()
        with self.guarded():
            self.db.execute("PRAGMA secure_delete=ON")
            with self.transaction():
                gone = Forgotten(*(self.db.execute(f"DELETE FROM {table} WHERE {where}", args).rowcount
                                   for table in HISTORY))
                if gone.total and self.db[DEMO_TABLE].exists():  # forget the demo marks of rows that are gone
                    for table, column in (("sessions", "started_at"), ("pain_checkins", "at")):
                        self.db.execute(f"DELETE FROM {DEMO_TABLE} WHERE tbl = ? AND NOT EXISTS"
                                        f" (SELECT 1 FROM {table} t WHERE t.id = row_id AND t.{column} = at)", [table])
            if gone.total and self.path is not None:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return gone

    # -- hand-over ----------------------------------------------------------------------
    def wipe(self) -> None:
        """Hand the kiosk over to a new patient: every session, check-in, level, level
        change, the code lock and demo-data's marks deleted (secure_delete), the file
        rebuilt (VACUUM) and its -wal emptied, the damaged copies beside it removed; no
        trace of them is left in the file. Raises StoreError (LOCKED) when another program
        holds old pages in the -wal: the rows are gone, their copies there stay until it
        lets go, and a second wipe then finishes."""
        self.reopen_if_replaced()
        with self.guarded():
            self.db.execute("PRAGMA secure_delete=ON")
            with self.transaction():
                for table in ("sessions", "pain_checkins", "rungs", "rung_changes"):
                    self.db.execute(f"DELETE FROM {table}")
                self.db.execute(f"DELETE FROM meta WHERE key NOT IN ({', '.join('?' for _ in KEPT_META)})",
                                list(KEPT_META))
                self.db.execute(f"DROP TABLE IF EXISTS {DEMO_TABLE}")
            self.db.execute("VACUUM")
            busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if self.path is not None:
            remove_damaged_copies(self.path.parent)
        if busy:
            raise StoreError(StorageProblem.LOCKED, "another program has the database open: copies of the deleted "
                             "rows stay in its -wal until it closes; hand over again then", self.path)

    def close(self) -> None:
        """Close the connection (WAL content stays valid; the next open carries on)."""
        self.db.conn.close()
