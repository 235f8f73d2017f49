"""The practice day: local time with a roll-over hour, so a session late in the evening
(or just after midnight) counts for the day it belongs to, not the calendar date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

DEFAULT_ROLLOVER = time(3, 0)


def practice_day(moment: datetime, rollover: time = DEFAULT_ROLLOVER, tz: tzinfo | None = None) -> date:
    """The day `moment` (aware) counts for: its local date, less the roll-over time."""
    local = moment.astimezone(tz)
    return (local - timedelta(hours=rollover.hour, minutes=rollover.minute)).date()


def day_start(day: date, rollover: time = DEFAULT_ROLLOVER, tz: tzinfo | None = None) -> datetime:
    """The aware local moment at which practice day `day` begins."""
    naive = datetime.combine(day, rollover)
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


def week(day: date) -> tuple[date, ...]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return tuple(monday + timedelta(days=i) for i in range(7))
