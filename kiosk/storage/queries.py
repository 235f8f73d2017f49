"""The figures of the clinician's report and of the on-device history, worked out with SQL
over the store's views (daily_summary, pain_readings), so they match what sqlite-utils or
Datasette show for the same file."""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TypeVar

from kiosk.config import Config, Profile
from kiosk.days import DEFAULT_ROLLOVER, practice_day
from kiosk.model import AreaPain, DayStat, PainWindow, Prescription, ReportData, Status, StorageProblem
from kiosk.paths import DB_NAME
from kiosk.storage.store import COUNTS_AFTER_SECONDS, DEMO_TABLE, Store, StoreError

READ_ATTEMPTS = 3  # reads of a file that keeps changing underneath before giving up
Result = TypeVar("Result")
_DONE = f"status != '{Status.IN_PROGRESS.value}'"  # a session that is over, however it ended


def open_existing(data_dir: Path, *, rollover: time = DEFAULT_ROLLOVER, tz: tzinfo | None = None,
                  write: bool = False, counts_after: float = COUNTS_AFTER_SECONDS,
                  counts_after_by_profile: Mapping[str, float] | None = None) -> Store:
    """Open DIR/desens.db for the clinician's tools without ever creating one: a missing,
    unreadable or damaged file is a StoreError naming the path. Read-only (never migrated,
    nothing made beside it) unless `write`. `counts_after`: see Store()."""
    path = Path(data_dir) / DB_NAME
    try:
        is_file = stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        raise StoreError(StorageProblem.MISSING, path=path) from None
    except OSError as err:  # e.g. a data folder only the kiosk's user may enter
        raise StoreError(StorageProblem.UNREADABLE, (err.strerror or str(err)).lower(), path) from None
    if not is_file:
        raise StoreError(StorageProblem.NOT_A_FILE, path=path)
    if not os.access(path, os.R_OK):
        raise StoreError(StorageProblem.UNREADABLE, "permission denied", path)
    return Store(path, rollover=rollover, tz=tz, read_only=not write, counts_after=counts_after,
                 counts_after_by_profile=counts_after_by_profile)


def read_existing(data_dir: Path, read: Callable[[Store], Result], *, rollover: time = DEFAULT_ROLLOVER,
                  tz: tzinfo | None = None, counts_after: float = COUNTS_AFTER_SECONDS,
                  counts_after_by_profile: Mapping[str, float] | None = None) -> Result:
    """What `read` finds in DIR/desens.db opened read-only (see open_existing). When the
    file changed under a read that took no lock (a kiosk started meanwhile), the read is
    done again, so the answer is always one consistent state of the file."""
    for _ in range(READ_ATTEMPTS):
        store = open_existing(data_dir, rollover=rollover, tz=tz, counts_after=counts_after,
                              counts_after_by_profile=counts_after_by_profile)
        try:
            result = read(store)
            settled = store.unchanged()
        finally:
            store.close()
        if settled:
            return result
    raise StoreError(StorageProblem.LOCKED, "the file kept changing while it was read", Path(data_dir) / DB_NAME)


def _counts_after_of(session) -> float:
    return float(getattr(session, "counts_after_seconds", COUNTS_AFTER_SECONDS))


def store_options(config: Config) -> dict:
    """The Store options the config decides: the day's roll-over and session.counts_after
    (the top-level one, and each profile's own where it differs)."""
    top = _counts_after_of(config.session)
    own = {p.name: _counts_after_of(p.session) for p in config.profiles}
    return {"rollover": config.day_starts_at, "counts_after": top,
            "counts_after_by_profile": {name: seconds for name, seconds in own.items() if seconds != top}}


def names_from(config: Config) -> dict[str, str]:
    """Display names of every configured area and technique (all profiles), by id."""
    names: dict[str, str] = {}
    for owner in (config, *config.profiles):
        names.update({a.id: a.name for a in owner.areas})
        names.update({t.id: t.name for t in owner.techniques})
    return names


def target_for(config: Config, profile: str) -> int:
    """The profile's daily target, or the top-level one for a profile not configured."""
    return next((p.daily_target for p in config.people() if p.name == profile), config.daily_target)


def profiles_in(store: Store) -> list[str]:
    """Every profile with sessions or check-ins in the database, sorted."""
    with store.guarded():
        rows = store.db.execute("SELECT profile FROM sessions UNION SELECT profile FROM pain_checkins ORDER BY 1")
        return [profile for (profile,) in rows.fetchall()]


def day_range(now: datetime, days: int, rollover: time = DEFAULT_ROLLOVER, tz: tzinfo | None = None) -> tuple[date, date]:
    """The last `days` practice days, ending with the one `now` belongs to."""
    last = practice_day(now, rollover, tz)
    return last - timedelta(days=days - 1), last


def is_demo(store: Store, profile: str | None = None) -> bool:
    """Whether the database (or the profile) holds sample rows written by demo-data."""
    with store.guarded():
        return _has_demo_rows(store, profile)


def _has_demo_rows(store: Store, profile: str | None) -> bool:
    if not store.db[DEMO_TABLE].exists():
        return False
    where, args = ("AND s.profile = ?", [profile]) if profile is not None else ("", [])
    row = store.db.execute(
        f"SELECT EXISTS (SELECT 1 FROM {DEMO_TABLE} m JOIN sessions s"
        f" ON m.tbl = 'sessions' AND s.id = m.row_id AND s.started_at = m.at {where})"
        f" OR EXISTS (SELECT 1 FROM {DEMO_TABLE} m JOIN pain_checkins s"
        f" ON m.tbl = 'pain_checkins' AND s.id = m.row_id AND s.at = m.at {where})",
        args + args,
    ).fetchone()
    return bool(row[0])


def _days(store: Store, profile: str, first: date, last: date) -> tuple[DayStat, ...]:
    span = [profile, first.isoformat(), last.isoformat()]
    summary = {
        day: (counted, before, after)
        for day, counted, before, after in store.db.execute(
            "SELECT day, counted_sessions, mean_pain_before, mean_pain_after FROM daily_summary"
            " WHERE profile = ? AND day BETWEEN ? AND ?",
            span,
        ).fetchall()
    }
    checkins: dict[str, list[int]] = defaultdict(list)
    for day, rating in store.db.execute(
        "SELECT day, rating FROM pain_checkins WHERE profile = ? AND status = 'saved'"
        " AND day BETWEEN ? AND ? ORDER BY at, id",
        span,
    ).fetchall():
        checkins[day].append(rating)
    stats = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        sessions, before, after = summary.get(day.isoformat(), (0, None, None))
        stats.append(DayStat(day, sessions, before, after, tuple(checkins[day.isoformat()])))
    return tuple(stats)


def history_days(store: Store, profile: str, last_day: date, days: int = 14) -> tuple[DayStat, ...]:
    """The on-device history screen's days, oldest first: the same figures as the report."""
    with store.guarded():
        return _days(store, profile, last_day - timedelta(days=days - 1), last_day)


def _named(rows: list[tuple], names: Mapping[str, str]) -> tuple[tuple, ...]:
    return tuple((names.get(key, key), *rest) for key, *rest in rows)


def report_data(
    store: Store,
    profile: str,
    first_day: date,
    last_day: date,
    target: int,
    names: Mapping[str, str],
    demo: bool | None = None,
    *,
    prescription: Prescription | None = None,
    ladders: Mapping[str, tuple[str, ...]] | None = None,
) -> ReportData:
    """Everything the one-page report shows for one profile and an inclusive range of
    practice days. `demo` None: find out from the database. `prescription` is shown as
    given (its target x duration are the prescribed minutes). `ladders` (graded practice:
    area id -> technique ids, least irritating first) names the areas whose levels are
    shown, in that order; None: every area with level changes."""
    if last_day < first_day:
        raise ValueError(f"empty range {first_day}..{last_day}")
    with store.guarded():
        return _report(store, profile, first_day, last_day, target, names, demo, prescription, ladders)


def _report(store: Store, profile: str, first_day: date, last_day: date, target: int,
            names: Mapping[str, str], demo: bool | None, prescription: Prescription | None,
            ladders: Mapping[str, tuple[str, ...]] | None) -> ReportData:
    db, span = store.db, [profile, first_day.isoformat(), last_day.isoformat()]
    in_range = f"profile = ? AND day BETWEEN ? AND ? AND {_DONE}"
    days = _days(store, profile, first_day, last_day)
    sessions, counted, completed, stopped, interrupted = db.execute(
        "SELECT count(*), coalesce(sum(counted = 1), 0), coalesce(sum(status = ?), 0), coalesce(sum(status = ?), 0),"
        f" coalesce(sum(status = ?), 0) FROM sessions WHERE {in_range}",
        [Status.COMPLETED.value, Status.STOPPED_EARLY.value, Status.INTERRUPTED.value, *span],
    ).fetchone()

    def minutes_by(*columns: str) -> list[tuple]:
        keys = ", ".join(columns)
        return db.execute(
            f"SELECT {keys}, sum(active_seconds) / 60.0 AS minutes FROM sessions WHERE {in_range}"
            f" GROUP BY {keys} ORDER BY minutes DESC, {keys}",
            span,
        ).fetchall()

    change = db.execute(
        "SELECT technique, avg(pain_after - pain_before), count(*) AS n FROM sessions"
        f" WHERE {in_range} AND pain_before IS NOT NULL AND pain_after IS NOT NULL"
        " GROUP BY technique ORDER BY n DESC, technique",
        span,
    ).fetchall()
    db.conn.create_function("desens_local_hour", 1, lambda at: datetime.fromisoformat(at).astimezone(store.tz).hour)
    counted_by_hour = db.execute(
        f"SELECT desens_local_hour(started_at) AS hour, count(*) FROM sessions WHERE {in_range} AND counted = 1"
        " GROUP BY hour ORDER BY hour",
        span,
    ).fetchall()
    practised = dict(db.execute(
        "SELECT day, practice_seconds / 60.0 FROM daily_summary WHERE profile = ? AND day BETWEEN ? AND ?", span,
    ).fetchall())
    by_area = minutes_by("area")
    by_hour = db.execute(
        "SELECT desens_local_hour(at) AS hour, avg(rating), count(*) FROM pain_readings"
        " WHERE profile = ? AND day BETWEEN ? AND ? GROUP BY hour ORDER BY hour",
        span,
    ).fetchall()
    unsynced = db.execute(
        "SELECT DISTINCT day FROM sessions WHERE profile = ? AND day BETWEEN ? AND ? AND clock_synced = 0"
        " ORDER BY day",
        span,
    ).fetchall()
    prompts, answered = db.execute(
        "SELECT count(*), coalesce(sum(status = 'saved'), 0) FROM pain_checkins"
        " WHERE profile = ? AND day BETWEEN ? AND ? AND prompted = 1",
        span,
    ).fetchone()
    return ReportData(
        profile=profile,
        first_day=first_day,
        last_day=last_day,
        target=target,
        days=days,
        adherence=sum(d.sessions >= target for d in days) / len(days),
        sessions=sessions,
        counted=counted,
        completed=completed,
        stopped_early=stopped,
        interrupted=interrupted,
        minutes_by_technique=_named(minutes_by("technique"), names),
        minutes_by_area=_named(by_area, names),
        change_by_technique=_named(change, names),
        pain_by_hour=tuple(tuple(row) for row in by_hour),
        prompts=prompts,
        prompts_answered=answered,
        demo=_has_demo_rows(store, profile) if demo is None else demo,
        unsynced_days=tuple(date.fromisoformat(day) for (day,) in unsynced),
        prescription=prescription,
        minutes_by_day=tuple((d.day, practised.get(d.day.isoformat(), 0.0)) for d in days),
        prescribed_minutes=0.0 if prescription is None else
        prescription.daily_target * prescription.duration_seconds / 60.0,
        pain_by_area=tuple(_area_pain(store, profile, area, first_day, last_day, names.get(area, area))
                           for area, _ in by_area),
        minutes_by_technique_area=tuple((names.get(t, t), names.get(a, a), m)
                                        for t, a, m in minutes_by("technique", "area")),
        counted_by_hour=tuple((hour, count) for hour, count in counted_by_hour),
        levels=_levels(store, profile, first_day, last_day, names, ladders),
    )


WINDOW_DAYS = 7  # the report compares an area's first and last this many practice days


def _area_pain(store: Store, profile: str, area: str, first_day: date, last_day: date, name: str) -> AreaPain:
    """The area's pain over its first WINDOW_DAYS practice days of the range against its
    last (with fewer than twice as many: the first half against the rest)."""
    days = [date.fromisoformat(day) for (day,) in store.db.execute(
        f"SELECT DISTINCT day FROM sessions WHERE profile = ? AND area = ? AND day BETWEEN ? AND ? AND {_DONE}"
        " ORDER BY day", [profile, area, first_day.isoformat(), last_day.isoformat()]).fetchall()]
    first = days[:min(WINDOW_DAYS, (len(days) + 1) // 2)]
    last = days[max(len(first), len(days) - WINDOW_DAYS):]
    return AreaPain(name, _window(store, profile, area, first), _window(store, profile, area, last))


def _window(store: Store, profile: str, area: str, days: list[date]) -> PainWindow:
    if not days:
        return PainWindow()
    before, before_count, after, after_count = store.db.execute(
        "SELECT avg(pain_before), count(pain_before), avg(pain_after), count(pain_after) FROM sessions"
        f" WHERE profile = ? AND area = ? AND day BETWEEN ? AND ? AND {_DONE}",
        [profile, area, days[0].isoformat(), days[-1].isoformat()],
    ).fetchone()
    return PainWindow(len(days), days[0], days[-1], before, before_count, after, after_count)


def _levels(store: Store, profile: str, first_day: date, last_day: date, names: Mapping[str, str],
            ladders: Mapping[str, tuple[str, ...]] | None) -> tuple[tuple[str, tuple[tuple[date, str], ...]], ...]:
    """Each area's level over the range: the one it began with, then each change in it."""
    changes: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for area, day, before, after in store.db.execute(
            "SELECT area, day, from_technique, to_technique FROM rung_changes WHERE profile = ? AND day <= ?"
            " ORDER BY at, id", [profile, last_day.isoformat()]).fetchall():
        changes[area].append((day, before, after))
    found = []
    for area in (list(ladders) if ladders is not None else sorted(changes)):
        earlier = [c for c in changes[area] if c[0] < first_day.isoformat()]
        within = [c for c in changes[area] if c[0] >= first_day.isoformat()]
        if earlier:
            start = earlier[-1][2]
        elif within:
            start = within[0][1]
        else:  # no change kept: the level it has now, held all along
            ladder = (ladders or {}).get(area, ())
            start = ladder[min(store.rung(profile, area), len(ladder) - 1)] if ladder else None
        steps = [(first_day, start)] + [(date.fromisoformat(day), after) for day, _, after in within]
        named = tuple((day, names.get(t, t)) for day, t in steps if t is not None)
        if named:
            found.append((names.get(area, area), named))
    return tuple(found)


def profile_of(config: Config, name: str) -> Profile:
    """The configured profile called `name`, or the top-level settings under that name."""
    return next((p for p in config.people() if p.name == name),
                Profile(name, config.areas, config.techniques, config.session, config.daily_target, config.mode,
                        config.ladder))


def _mode_name(person: Profile) -> str:
    return str(getattr(person.mode, "value", person.mode))


def prescription_of(person: Profile) -> Prescription:
    """The profile's prescription as the report's top line says it."""
    duration = person.session.duration_seconds
    return Prescription(mode=_mode_name(person), duration_seconds=duration,
                        counts_after_seconds=min(_counts_after_of(person.session), duration),
                        daily_target=person.daily_target, areas=tuple(a.name for a in person.areas))


def report_for(store: Store, config: Config, profile: str, first_day: date, last_day: date) -> ReportData:
    """report_data with the profile's target, prescription and (graded practice) ladders,
    and the names from the config."""
    person = profile_of(config, profile)
    ladders = {a.id: person.ladder_for(a.id) for a in person.areas} if _mode_name(person) == "graded" else {}
    return report_data(store, profile, first_day, last_day, target_for(config, profile), names_from(config),
                       prescription=prescription_of(person), ladders=ladders)
