"""The session state machine, driven by keys and a fake clock: no pygame, no GPIO."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from kiosk.config import (
    Area,
    ButtonsConfig,
    Config,
    DisplayConfig,
    Group,
    SessionConfig,
    SoundsConfig,
    Step,
    Technique,
)
from kiosk.events import Cue, Key
from kiosk.records import SessionRecord
from kiosk.session import CHECKPOINT_SECONDS, Countdown, Flow, Phase
from kiosk.views import ChoiceView, CountdownView, HomeView, RatingView, SafetyView, Status, SummaryView

START = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)  # a Wednesday


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds

    def wall(self) -> datetime:
        return START + timedelta(seconds=self.t - 1000.0)


class FakeStore:
    """Keeps rows in a dict like the real store; can be told to fail."""

    def __init__(self) -> None:
        self.rows: dict[int, SessionRecord] = {}
        self.failing: str | None = None
        self.saves = 0

    def save(self, record: SessionRecord) -> int:
        if self.failing:
            error = RuntimeError(self.failing)
            error.reason = self.failing
            raise error
        self.saves += 1
        row_id = record.id if record.id is not None else len(self.rows) + 1
        from dataclasses import replace

        self.rows[row_id] = replace(record, id=row_id)
        return row_id

    def last_rating(self, profile: str, area: str) -> int | None:
        rated = [r for r in self.rows.values() if r.profile == profile and r.area == area]
        if not rated:
            return None
        last = max(rated, key=lambda r: (r.started_at, r.id))
        return last.pain_after if last.pain_after is not None else last.pain_before

    def finished_start_times(self, profile, since, until):
        return [
            r.started_at
            for r in self.rows.values()
            if r.profile == profile and r.status is not Status.IN_PROGRESS and since <= r.started_at < until
        ]


def make_config(duration: float = 240.0, target: int = 4) -> Config:
    return Config(
        session=SessionConfig(duration),
        daily_target=target,
        areas=(Area("left_foot", "Left foot"), Area("right_leg", "Right leg")),
        techniques=(
            Technique("towel_rub", "Towel rub", Group.TEXTURE, "Rub with the towel",
                      steps=(Step("Up and down", 0.25), Step("Small circles", 0.75))),
            Technique("tapping", "Tapping", Group.PRESSURE, "Tap with your fingertips"),
            Technique("ice_rub", "Ice rub", Group.TEMPERATURE, "Rub with the ice cup",
                      safety="Put a towel under it. Stop if the skin turns white."),
        ),
        buttons=ButtonsConfig(),
        display=DisplayConfig(),
        sounds=SoundsConfig(),
    )


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def store():
    return FakeStore()


@pytest.fixture
def cues():
    return []


@pytest.fixture
def flow(clock, store, cues):
    return Flow(make_config(), store, clock=clock, now=clock.wall, play=cues.append, tz=timezone.utc)


def press(flow: Flow, *keys: Key) -> None:
    for key in keys:
        flow.press(key)


def run_until_done(flow: Flow, clock: FakeClock, stall=lambda: 0.0) -> None:
    """Turn the loop as the app does: sleep until the next change (plus a stall), tick."""
    for _ in range(100_000):
        if flow.phase is not Phase.COUNTDOWN:
            return
        wait = flow.next_change_in()
        assert wait is not None and wait >= 0
        clock.advance(wait + stall())
        flow.tick()
    raise AssertionError("countdown never ended")


def to_countdown(flow: Flow, rating: int = 3) -> None:
    press(flow, Key.SELECT, Key.SELECT, Key.SELECT)  # home -> area -> technique -> pain before
    assert flow.phase is Phase.PAIN_BEFORE
    press(flow, *[Key.UP] * rating, Key.SELECT)
    assert flow.phase is Phase.COUNTDOWN


def test_whole_session_is_recorded(flow, clock, store, cues):
    to_countdown(flow, rating=3)
    row = store.rows[1]
    assert (row.status, row.pain_before, row.area, row.technique) == (Status.IN_PROGRESS, 3, "left_foot", "towel_rub")
    assert row.started_at == START
    assert cues == [Cue.START]

    run_until_done(flow, clock)
    assert flow.phase is Phase.PAIN_AFTER
    row = store.rows[1]
    assert row.status is Status.COMPLETED
    assert row.active_seconds == pytest.approx(240.0)
    assert row.ended_at == START + timedelta(seconds=240)
    assert cues == [Cue.START, Cue.STEP, Cue.HALF, Cue.END]  # step change at 60 s, half at 120 s

    view = flow.frame().view
    assert isinstance(view, RatingView) and view.phase == "after" and view.value == 3
    press(flow, Key.DOWN, Key.DOWN, Key.SELECT)
    assert store.rows[1].pain_after == 1
    summary = flow.frame().view
    assert isinstance(summary, SummaryView)
    assert (summary.before, summary.after, summary.status, summary.saved) == (3, 1, Status.COMPLETED, True)
    press(flow, Key.SELECT)
    assert flow.phase is Phase.HOME
    home = flow.frame().view
    assert isinstance(home, HomeView) and home.done_today == 1 and home.target == 4
    assert home.week == (False, False, True, False, False, False, False) and home.today_index == 2


def test_back_steps_back_on_every_screen_before_the_countdown(flow):
    press(flow, Key.BACK)
    assert flow.phase is Phase.HOME
    press(flow, Key.SELECT, Key.BACK)
    assert flow.phase is Phase.HOME
    press(flow, Key.SELECT, Key.SELECT, Key.BACK)
    assert flow.phase is Phase.AREA
    press(flow, Key.SELECT, Key.SELECT, Key.BACK)
    assert flow.phase is Phase.TECHNIQUE
    # the ice rub shows its safety note first; back from it returns to the list
    press(flow, Key.UP, Key.SELECT)
    assert flow.phase is Phase.SAFETY
    assert "towel" in flow.frame().view.note
    press(flow, Key.BACK)
    assert flow.phase is Phase.TECHNIQUE
    # a long back press outside the countdown is a plain back
    press(flow, Key.BACK_HELD)
    assert flow.phase is Phase.AREA


def test_lists_wrap_and_techniques_are_grouped(flow):
    press(flow, Key.SELECT)
    press(flow, Key.UP)
    assert flow.frame().view.selected == 1  # wrapped to the last area
    press(flow, Key.SELECT)
    view = flow.frame().view
    assert isinstance(view, ChoiceView) and view.subtitle == "Right leg"
    assert [i.label for i in view.items] == ["Texture", "Towel rub", "Pressure", "Tapping", "Temperature", "Ice rub"]
    assert [i.header for i in view.items] == [True, False, True, False, True, False]
    assert view.items[5].flagged and not view.items[1].flagged
    assert view.selected == 1
    press(flow, Key.DOWN)
    assert flow.frame().view.selected == 3  # headers are skipped
    press(flow, Key.DOWN, Key.DOWN)
    assert flow.frame().view.selected == 1  # wrapped past the last technique


def test_rating_starts_at_the_areas_last_rating_and_clamps(flow, clock):
    press(flow, Key.SELECT, Key.SELECT, Key.SELECT)
    assert flow.frame().view.value == 0
    press(flow, Key.DOWN)
    assert flow.frame().view.value == 0
    press(flow, *[Key.UP] * 14)
    assert flow.frame().view.value == 10
    press(flow, Key.SELECT)
    run_until_done(flow, clock)
    press(flow, Key.DOWN, Key.DOWN, Key.SELECT, Key.SELECT)  # after = 8, then home
    press(flow, Key.SELECT, Key.SELECT, Key.SELECT)
    assert flow.frame().view.value == 8  # same area: its last rating
    press(flow, Key.BACK, Key.BACK, Key.DOWN, Key.SELECT, Key.SELECT)
    assert flow.frame().view.area == "Right leg"
    assert flow.frame().view.value == 0  # another area has no rating yet


def test_pause_excludes_time_and_countdown_shows_whole_seconds(flow, clock, store):
    to_countdown(flow)
    clock.advance(10.2)
    flow.tick()
    view = flow.frame().view
    assert isinstance(view, CountdownView) and view.remaining == 230 and not view.paused
    press(flow, Key.SELECT)
    assert flow.frame().view.paused
    assert store.rows[1].active_seconds == pytest.approx(10.2)  # pausing writes a checkpoint
    assert flow.next_change_in() is None  # nothing changes while paused: sleep until a press
    clock.advance(3600)
    flow.tick()
    assert flow.frame().view.remaining == 230
    press(flow, Key.SELECT)
    run_until_done(flow, clock)
    assert store.rows[1].active_seconds == pytest.approx(240.0)
    assert store.rows[1].ended_at == START + timedelta(seconds=240 + 3600)


def test_hold_back_stops_early_and_still_asks_for_pain_after(flow, clock, store, cues):
    to_countdown(flow, rating=6)
    clock.advance(75)
    flow.tick()
    press(flow, Key.BACK)
    assert flow.phase is Phase.COUNTDOWN and flow.frame().view.hint
    clock.advance(5)
    flow.tick()
    assert not flow.frame().view.hint  # the hint goes away by itself
    press(flow, Key.BACK_HELD)
    assert flow.phase is Phase.PAIN_AFTER
    view = flow.frame().view
    assert view.stopped_early and view.value == 6
    row = store.rows[1]
    assert row.status is Status.STOPPED_EARLY and row.active_seconds == pytest.approx(80)
    assert cues[-1] is Cue.END
    press(flow, Key.BACK)  # back cannot skip the rating
    assert flow.phase is Phase.PAIN_AFTER
    press(flow, Key.DOWN, Key.SELECT)
    assert store.rows[1].pain_after == 5 and store.rows[1].status is Status.STOPPED_EARLY


def test_checkpoints_bound_what_a_kill_can_lose(flow, clock, store):
    to_countdown(flow)
    for _ in range(95):
        clock.advance(next_wait := flow.next_change_in())
        assert next_wait <= 1.0
        flow.tick()
    assert flow.countdown.active() - store.rows[1].active_seconds <= CHECKPOINT_SECONDS


@pytest.mark.parametrize("seed", range(5))
def test_five_minutes_with_stalls_ends_at_the_deadline(clock, store, cues, seed):
    """The loop wakes late by up to 200 ms each time; the end is the deadline anyway."""
    flow = Flow(make_config(duration=300), store, clock=clock, now=clock.wall, play=cues.append, tz=timezone.utc)
    to_countdown(flow)
    deadline = flow.countdown.deadline
    rng = random.Random(seed)
    run_until_done(flow, clock, stall=lambda: rng.uniform(0, 0.2))
    row = store.rows[1]
    assert row.active_seconds == pytest.approx(300, abs=0.02)
    assert abs((row.ended_at - START).total_seconds() - (deadline - 1000.0)) <= 0.02
    assert cues == [Cue.START, Cue.STEP, Cue.HALF, Cue.END]


def test_a_long_stall_plays_one_cue_not_a_burst(flow, clock, cues):
    to_countdown(flow)
    clock.advance(130)  # past the step change (60 s) and half time (120 s) at once
    flow.tick()
    assert cues == [Cue.START, Cue.HALF]


def test_next_change_is_the_next_second_or_cue():
    clock = FakeClock()
    countdown = Countdown(240, (Step("a", 0.25), Step("b", 0.75)), clock)
    assert countdown.until_next_change() == pytest.approx(1.0)
    clock.advance(0.3)
    assert countdown.until_next_change() == pytest.approx(0.7)
    clock.advance(59.2)
    assert countdown.until_next_change() == pytest.approx(0.5)  # the step change at 60 s
    assert countdown.step_at(countdown.active()) == 0
    clock.advance(0.5)
    assert countdown.step_at(countdown.active()) == 1


def test_storage_failure_keeps_the_session_going_and_retries(flow, clock, store):
    store.failing = "the disk is full"
    to_countdown(flow)
    assert flow.phase is Phase.COUNTDOWN
    assert "disk is full" in flow.frame().notice
    assert store.rows == {}
    clock.advance(100)
    flow.tick()
    store.failing = None
    clock.advance(15)
    flow.tick()
    assert store.rows[1].status is Status.IN_PROGRESS
    assert flow.frame().notice is None
    store.failing = "the disk is full"
    run_until_done(flow, clock)
    press(flow, Key.SELECT)
    summary = flow.frame().view
    assert isinstance(summary, SummaryView) and not summary.saved
    # a second session starts before the disk is fixed: the first is not dropped
    press(flow, Key.SELECT)
    to_countdown(flow, rating=2)
    store.failing = None
    clock.advance(11)
    flow.tick()
    assert [r.status for r in store.rows.values()] == [Status.COMPLETED, Status.IN_PROGRESS]
    assert store.rows[1].pain_after == 3 and store.rows[2].pain_before == 3 + 2  # starts at the last rating


def test_home_counts_only_this_week_and_today(clock, store):
    config = make_config(target=2)
    for day, status in [(-9, Status.COMPLETED), (-2, Status.COMPLETED), (-2, Status.STOPPED_EARLY),
                        (0, Status.INTERRUPTED), (0, Status.IN_PROGRESS)]:
        store.save(SessionRecord("default", "left_foot", "tapping", 240, START + timedelta(days=day), 3, status))
    store.save(SessionRecord("someone", "left_foot", "tapping", 240, START, 3, Status.COMPLETED))
    flow = Flow(config, store, clock=clock, now=clock.wall, tz=timezone.utc)
    home = flow.frame().view
    assert home.done_today == 1  # the interrupted one counts, the in-progress one does not
    assert home.week == (True, False, True, False, False, False, False)


def test_home_recounts_when_the_day_changes(flow, clock, store):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 3, Status.COMPLETED))
    assert flow.frame().view.done_today == 1
    wait = flow.next_change_in()
    assert wait == pytest.approx(15 * 3600)  # from 09:00 to midnight
    clock.advance(wait)
    flow.tick()
    assert flow.frame().view.done_today == 0


def test_summary_goes_home_by_itself(flow, clock):
    to_countdown(flow)
    run_until_done(flow, clock)
    press(flow, Key.SELECT)
    assert flow.phase is Phase.SUMMARY
    clock.advance(flow.next_change_in())
    flow.tick()
    assert flow.phase is Phase.HOME


def test_equal_states_give_equal_frames(flow, clock):
    """The loop redraws only when the frame changes, so frames must compare by value."""
    to_countdown(flow)
    first = flow.frame()
    clock.advance(0.4)
    assert flow.frame() == first
    clock.advance(0.7)
    assert flow.frame() != first


def test_safety_note_view(flow):
    press(flow, Key.SELECT, Key.SELECT, Key.UP, Key.SELECT)
    view = flow.frame().view
    assert isinstance(view, SafetyView) and view.technique == "Ice rub"
    press(flow, Key.SELECT)
    assert flow.phase is Phase.PAIN_BEFORE


def test_clock_sync_is_recorded_and_home_recounts_once_time_is_known(clock, store):
    synced = {"now": False}
    offset = {"days": -3}  # the wall clock is days behind until NTP sets it
    flow = Flow(make_config(), store, clock=clock, now=lambda: clock.wall() + timedelta(days=offset["days"]),
                tz=timezone.utc, clock_synced=lambda: synced["now"])
    to_countdown(flow)
    assert store.rows[1].clock_synced is False
    run_until_done(flow, clock)
    press(flow, Key.SELECT, Key.SELECT)
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 3, Status.COMPLETED,
                             clock_synced=True))
    assert flow.frame().view.done_today == 1  # the session of the wrong day
    synced["now"], offset["days"] = True, 0
    clock.advance(flow.next_change_in())
    flow.tick()
    assert flow.frame().view.done_today == 1 and flow.frame().view.today_index == 2
    assert flow.frame().view.week[2]  # counted on the real today now


def test_announcements_last_until_the_next_press_and_alerts_while_set(flow):
    flow.announcement = "The old database was damaged"
    assert flow.frame().notice == "The old database was damaged"
    flow.alerts["stuck"] = "A button is stuck"
    assert flow.frame().notice == "A button is stuck"
    del flow.alerts["stuck"]
    press(flow, Key.DOWN)
    assert flow.frame().notice is None
