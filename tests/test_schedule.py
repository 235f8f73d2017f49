"""Reminder and prompt slots across days, with a wall clock given by hand."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from kiosk.config import QuietHours
from kiosk.schedule import Schedule, prompt_times

QUIET = QuietHours(time(21, 0), time(7, 30))
TIMES = (time(8, 0), time(12, 30), time(16, 30), time(19, 30))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=timezone.utc)


def test_each_slot_fires_once_across_a_day():
    schedule = Schedule(TIMES, QUIET, at(0, 7), timezone.utc)
    fired = []
    moment = at(0, 7)
    while moment < at(1, 7):
        if schedule.due(moment):
            fired.append(moment.time())
        moment += timedelta(minutes=1)
    assert fired == list(TIMES)


def test_a_slot_that_may_not_fire_is_used_up_not_delayed():
    schedule = Schedule(TIMES, QUIET, at(0, 7), timezone.utc)
    assert not schedule.due(at(0, 8), allowed=lambda: False)  # e.g. a session was running
    assert not schedule.due(at(0, 8, 5))
    assert schedule.next == at(0, 12, 30)


def test_slots_missed_while_off_are_not_replayed():
    schedule = Schedule(TIMES, QUIET, at(0, 7), timezone.utc)
    # the device was off (or the clock jumped) from 07:00 to 17:00: one reminder, no burst
    assert schedule.due(at(0, 17))
    assert not schedule.due(at(0, 17))
    assert schedule.next == at(0, 19, 30)
    # started after the morning's slots: the first is the next one to come
    late = Schedule(TIMES, QUIET, at(0, 13), timezone.utc)
    assert late.next == at(0, 16, 30)


def test_quiet_hours_hold_back_a_slot_inside_them():
    schedule = Schedule((time(22, 0), time(9, 0)), QUIET, at(0, 21, 30), timezone.utc)
    assert not schedule.due(at(0, 22))
    assert schedule.due(at(1, 9))


def test_snooze_asks_again_later_but_not_after_the_next_slot():
    schedule = Schedule(TIMES, QUIET, at(0, 7), timezone.utc)
    assert schedule.due(at(0, 8))
    schedule.snooze(at(0, 8), 15 * 60)
    assert schedule.seconds_until(at(0, 8)) == 15 * 60
    assert schedule.due(at(0, 8, 15))
    schedule.snooze(at(0, 12, 20), 30 * 60)
    assert schedule.next == at(0, 12, 30)


def test_a_clock_jumping_back_does_not_silence_reminders_for_days():
    schedule = Schedule(TIMES, QUIET, at(5, 7), timezone.utc)  # clock days ahead at start
    assert not schedule.due(at(0, 10))
    assert schedule.next == at(0, 12, 30)


def test_no_slots_never_fires():
    schedule = Schedule((), QUIET, at(0, 7), timezone.utc)
    assert not schedule.due(at(0, 12)) and schedule.seconds_until(at(0, 12)) is None


def test_prompt_times_cover_the_waking_day():
    assert prompt_times(2 * 3600, QUIET) == (
        time(9, 30), time(11, 30), time(13, 30), time(15, 30), time(17, 30), time(19, 30)
    )
    assert 2300 not in [t.hour * 100 + t.minute for t in prompt_times(3600, QUIET)]


def test_quiet_hours_across_midnight():
    assert time(23, 0) in QUIET and time(3, 0) in QUIET and time(7, 29) in QUIET
    assert time(7, 30) not in QUIET and time(20, 59) not in QUIET
    day = QuietHours(time(13, 0), time(14, 0))
    assert time(13, 30) in day and time(14, 0) not in day


def test_slots_keep_their_local_time_across_daylight_saving():
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    # The night of 29 March 2026 the clocks go from 02:00 to 03:00.
    schedule = Schedule((time(8, 0),), QUIET, datetime(2026, 3, 28, 9, 0, tzinfo=berlin), berlin)
    assert schedule.next.astimezone(berlin).replace(tzinfo=None) == datetime(2026, 3, 29, 8, 0)
    assert schedule.next.utcoffset() == timedelta(hours=2)
    assert not schedule.due(datetime(2026, 3, 29, 7, 0, tzinfo=berlin))
    assert schedule.due(datetime(2026, 3, 29, 8, 0, tzinfo=berlin))


def test_a_clock_set_back_a_few_hours_brings_the_days_slots_back():
    schedule = Schedule(TIMES, QUIET, at(0, 19), timezone.utc)  # the clock said 19:00
    assert schedule.next == at(0, 19, 30)
    assert not schedule.due(at(0, 9))  # NTP sets it to 09:00
    assert schedule.next == at(0, 12, 30)
    assert schedule.due(at(0, 12, 30))


def test_a_reminder_in_the_spring_forward_gap_fires_just_after_it():
    """02:30 does not exist on 10 March 2024 in New York: the reminder comes at 03:00 EDT,
    not at 01:30 (an hour early), and on the next day at 02:30 again."""
    from zoneinfo import ZoneInfo

    from kiosk.config import QuietHours

    york = ZoneInfo("America/New_York")
    start = datetime(2024, 3, 9, 12, 0, tzinfo=york)
    schedule = Schedule((time(2, 30),), QuietHours(time(23, 0), time(1, 0)), start, york)
    assert schedule.next == datetime(2024, 3, 10, 7, 0, tzinfo=timezone.utc)  # 03:00 EDT
    assert schedule.next.astimezone(york).strftime("%H:%M %Z") == "03:00 EDT"
    assert not schedule.due(datetime(2024, 3, 10, 6, 30, tzinfo=timezone.utc))  # 01:30 EST: too early
    assert schedule.due(datetime(2024, 3, 10, 7, 0, tzinfo=timezone.utc))
    assert schedule.next.astimezone(york) == datetime(2024, 3, 11, 2, 30, tzinfo=york)


def test_the_spring_forward_gap_in_the_machines_own_zone(monkeypatch):
    """The same with no zone given (the kiosk's usual case: the machine's local time)."""
    import time as clock

    from kiosk.config import QuietHours

    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    try:
        schedule = Schedule((time(2, 30),), QuietHours(time(23, 0), time(1, 0)),
                            datetime(2024, 3, 9, 17, 0, tzinfo=timezone.utc))
        assert schedule.next.astimezone(timezone.utc) == datetime(2024, 3, 10, 7, 0, tzinfo=timezone.utc)
    finally:
        monkeypatch.undo()
        clock.tzset()
