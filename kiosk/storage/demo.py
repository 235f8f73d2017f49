"""Sample history for demos, screenshots and tests: weeks of plausible sessions and pain
check-ins, every row listed in the `demo_marker` table so reports and exports say so."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from kiosk.config import Config, load_defaults
from kiosk.model import REPORT_DAYS, CheckinRecord, SessionRecord, Status
from kiosk.storage.queries import DEMO_TABLE, day_range
from kiosk.storage.store import COUNTS_AFTER_SECONDS, Store, counts

SLOTS = (7.5, 8.5, 12.5, 15.5, 16.5, 17.5, 19.0, 20.0, 20.75)  # local hours a session may start
LATE_SLOT = 24.25  # 00:15 the next morning: still the same practice day (roll-over 03:00)
PROMPT_HOURS = (10, 14, 18)  # when the sample's check-in prompts came
_MARKED = {"sessions": "started_at", "pain_checkins": "at"}


class RealDataError(Exception):
    """The database holds rows that demo-data did not write; `.sessions`, `.checkins` count them."""

    def __init__(self, sessions: int, checkins: int) -> None:
        super().__init__(f"{sessions} real sessions and {checkins} real check-ins")
        self.sessions, self.checkins = sessions, checkins


@dataclass(frozen=True)
class DemoResult:
    sessions: int
    checkins: int
    first_day: date
    last_day: date


def _ensure_marker_table(store: Store) -> None:
    store.db.execute(
        f"CREATE TABLE IF NOT EXISTS {DEMO_TABLE} (tbl TEXT NOT NULL, row_id INTEGER NOT NULL,"
        " at TEXT NOT NULL, PRIMARY KEY (tbl, row_id))"
    )


def _unmarked(table: str) -> str:
    """SQL: the rows of `table` that demo-data did not write."""
    return (f"NOT EXISTS (SELECT 1 FROM {DEMO_TABLE} m WHERE m.tbl = '{table}'"
            f" AND m.row_id = {table}.id AND m.at = {table}.{_MARKED[table]})")


def real_rows(store: Store) -> tuple[int, int]:
    """How many sessions and check-ins were not written by demo-data."""
    with store.guarded():
        _ensure_marker_table(store)
        return tuple(store.db.execute(f"SELECT count(*) FROM {t} WHERE {_unmarked(t)}").fetchone()[0]
                     for t in _MARKED)  # type: ignore[return-value]


def _clear(store: Store, profile: str) -> None:
    """Remove earlier demo rows of the profile, so a second run replaces rather than doubles."""
    for table in _MARKED:
        store.db.execute(f"DELETE FROM {table} WHERE profile = ? AND NOT {_unmarked(table)}", [profile])
    for table, column in _MARKED.items():
        store.db.execute(f"DELETE FROM {DEMO_TABLE} WHERE tbl = '{table}' AND NOT EXISTS"
                         f" (SELECT 1 FROM {table} t WHERE t.id = row_id AND t.{column} = at)")


def _mark(store: Store, table: str, row_id: int) -> None:
    (at,) = store.db.execute(f"SELECT {_MARKED[table]} FROM {table} WHERE id = ?", [row_id]).fetchone()
    store.db.execute(f"INSERT OR REPLACE INTO {DEMO_TABLE} (tbl, row_id, at) VALUES (?, ?, ?)",
                     [table, row_id, at])


def _local(store: Store, day: date, hours: float) -> datetime:
    naive = datetime.combine(day, time(0)) + timedelta(hours=hours)
    aware = naive.replace(tzinfo=store.tz) if store.tz is not None else naive.astimezone()
    return aware.astimezone(timezone.utc).replace(second=0, microsecond=0)


def _pain(value: float) -> int:
    return max(0, min(10, round(value)))


def fill_demo(store: Store, days: int = REPORT_DAYS, profile: str = "demo", seed: int = 0,
              now: datetime | None = None, config: Config | None = None, force: bool = False) -> DemoResult:
    """Write `days` practice days of sample history for `profile`, ending at `now`.

    Raises RealDataError when the database holds rows demo-data did not write, unless `force`."""
    now = now or datetime.now(timezone.utc)
    config = config or load_defaults()
    person = next((p for p in config.people() if p.name == profile), config.people()[0])
    rng = random.Random(seed)
    # One transaction for the whole fill (sqlite-utils nests its writes as savepoints).
    with store.guarded(), store.transaction():
        real = real_rows(store)
        if any(real) and not force:
            raise RealDataError(*real)
        _clear(store, profile)
        first, last = day_range(now, days, store.rollover, store.tz)
        areas = rng.sample([a.id for a in person.areas], k=min(3, len(person.areas)))
        techniques = rng.sample([t.id for t in person.techniques], k=min(5, len(person.techniques)))
        effect = {t: rng.uniform(-1.8, 0.4) for t in techniques}  # mean pain change per technique
        planned = round(person.session.duration_seconds)
        counts_after = float(getattr(person.session, "counts_after_seconds", COUNTS_AFTER_SECONDS))
        sessions = checkins = 0
        drift = 0.0
        for index in range(days):
            day = first + timedelta(days=index)
            base = 2.5 + 4.3 * math.exp(-index / 35)  # pain easing over the weeks
            drift = 0.6 * drift + rng.gauss(0, 0.8)
            level = base + drift
            settled = index / max(1, days - 1)  # practice becomes a habit over the weeks
            weights = (2 - settled, 3 - settled, 4 - settled, 5 + settled, 2 + settled)
            count = 0 if rng.random() < 0.1 else rng.choices((1, 2, 3, 4, 5), weights)[0]
            slots = sorted(rng.sample(SLOTS, count))
            if slots and rng.random() < 0.03:
                slots[-1] = LATE_SLOT
            for slot in slots:
                start = _local(store, day, slot + rng.uniform(0, 0.5))
                if start + timedelta(seconds=planned) > now:
                    continue
                record = _session(rng, profile, areas, techniques, effect, planned, start, level)
                record = replace(record, counted=counts(record.active_seconds, planned, counts_after))
                sid = store.save(record)
                _mark(store, "sessions", sid)
                sessions += 1
            for record in _checkins(rng, store, profile, areas, day, level, prompted=index >= days // 3):
                if record.at <= now:
                    _mark(store, "pain_checkins", store.add_checkin(record))
                    checkins += 1
    return DemoResult(sessions, checkins, first, last)


def _session(rng: random.Random, profile: str, areas: list[str], techniques: list[str],
             effect: dict[str, float], planned: int, start: datetime, level: float) -> SessionRecord:
    technique = rng.choices(techniques, (5, 4, 3, 2, 1)[: len(techniques)])[0]
    before = _pain(level + rng.gauss(0, 0.6))
    roll = rng.random()
    record = SessionRecord(profile=profile, area=rng.choices(areas, (5, 3, 2)[: len(areas)])[0],
                           technique=technique, planned_seconds=planned, started_at=start,
                           pain_before=before, clock_synced=True)
    if roll < 0.04:  # power cut or crash: the row stays as last written (every 10 s)
        return replace(record, status=Status.INTERRUPTED, active_seconds=10.0 * rng.randrange(max(1, planned // 10)))
    pause = rng.choice((0, 0, 0, 0, rng.uniform(10, 90)))
    if roll < 0.12:
        active, status = planned * rng.uniform(0.3, 0.85), Status.STOPPED_EARLY
        after = _pain(before + rng.choice((0, 1, 1, 2))) if rng.random() < 0.9 else None
    else:
        active, status = planned + rng.uniform(0, 0.5), Status.COMPLETED
        after = _pain(before + effect[technique] + rng.gauss(0, 0.7)) if rng.random() < 0.97 else None
    return replace(record, status=status, active_seconds=round(active, 3),
                   ended_at=start + timedelta(seconds=round(active + pause)), pain_after=after)


def _checkins(rng: random.Random, store: Store, profile: str, areas: list[str], day: date,
              level: float, prompted: bool) -> list[CheckinRecord]:
    """A day's check-ins: a few of the person's own, and (once prompts are on) the
    answered or missed prompts."""
    records = []
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        at = _local(store, day, rng.uniform(8, 21.5))
        area = rng.choice([None, None, *areas])
        records.append(CheckinRecord(profile, at, _pain(level + rng.gauss(0.5, 1.0)), area))
    if prompted:
        for hour in PROMPT_HOURS:
            if rng.random() < 0.75:
                at = _local(store, day, hour + rng.uniform(0, 0.15))
                records.append(CheckinRecord(profile, at, _pain(level + rng.gauss(0.3, 1.0)),
                                             rng.choice([None, *areas]), prompted=True))
            else:
                records.append(CheckinRecord(profile, _local(store, day, hour + 10 / 60), None,
                                             prompted=True, status="missed"))
    return sorted(records, key=lambda r: r.at)
