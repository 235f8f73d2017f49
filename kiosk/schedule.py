"""Times of day at which the kiosk asks for something: practice reminders and pain
check-in prompts. Pure: the wall-clock time comes in as a parameter.

A slot that passes while the kiosk is off, asleep through a clock jump, or not allowed to
fire (quiet hours, a session running, target met) is skipped, never replayed: at most one
thing fires at a time, however far the clock moved.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone, tzinfo
from typing import Callable

from kiosk.config import QuietHours


def prompt_times(every_seconds: float, quiet: QuietHours) -> tuple[time, ...]:
    """Check-in prompt times: every `every_seconds` through the waking day, starting one
    interval after the quiet hours end."""
    step = timedelta(seconds=every_seconds)
    start = datetime.combine(datetime(2000, 1, 1), quiet.end)
    times, moment = [], start + step
    while moment < start + timedelta(days=1):
        if moment.time() not in quiet:
            times.append(moment.time())
        moment += step
    return tuple(sorted(set(times)))


class Schedule:
    """Recurring daily slots with a snooze. `due(now, allowed)` is called on every tick."""

    def __init__(self, times: tuple[time, ...], quiet: QuietHours, start: datetime, tz: tzinfo | None = None):
        self.times = tuple(sorted(times))
        self.quiet = quiet
        self.tz = tz
        self.next: datetime | None = self._after(start)

    def _after(self, moment: datetime) -> datetime | None:
        """The first slot strictly after `moment` (aware), or None without slots."""
        if not self.times:
            return None
        local = moment.astimezone(self.tz)
        for days in range(2):
            day = local.date() + timedelta(days=days)
            for slot in self.times:
                candidate = self._at(day, slot)
                if candidate > moment:
                    return candidate
        return None  # unreachable with at least one slot

    def _at(self, day, slot: time) -> datetime:
        """`slot` on `day` in local time, with that date's own offset (daylight saving). A
        time that does not exist that day (skipped when the clocks go forward) is the first
        minute after the gap, never an hour early."""
        wall = datetime.combine(day, slot)
        for _ in range(24 * 60):  # a gap is an hour or two; never more than a day
            moment = self._local(wall)
            if moment.astimezone(timezone.utc).astimezone(self.tz).replace(tzinfo=None) == wall:
                return moment
            wall = (wall + timedelta(minutes=1)).replace(second=0, microsecond=0)
        return self._local(datetime.combine(day, slot))

    def _local(self, wall: datetime) -> datetime:
        return wall.astimezone() if self.tz is None else wall.replace(tzinfo=self.tz)

    def due(self, now: datetime, allowed: Callable[[], bool] = lambda: True) -> bool:
        """True when a slot has come and may fire now; either way the slot is used up.
        `allowed` is asked only then, so it may be costly (a database read)."""
        if self.next is None:
            return False
        if now < self.next:
            upcoming = self._after(now)
            if upcoming is not None and upcoming < self.next:
                self.next = upcoming  # the clock was set back: the day's slots come again
            return False
        self.next = self._after(now)
        return now.astimezone(self.tz).time() not in self.quiet and allowed()

    def snooze(self, now: datetime, seconds: float) -> None:
        """Ask again after `seconds` (or at the next slot, if that comes first)."""
        later = now + timedelta(seconds=seconds)
        upcoming = self._after(now)
        self.next = later if upcoming is None else min(later, upcoming)

    def seconds_until(self, now: datetime) -> float | None:
        return None if self.next is None else max(0.0, (self.next - now).total_seconds())
