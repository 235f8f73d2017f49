"""A guided session, driven by keys and a fake clock through the controller: no pygame,
no GPIO, a real (in-memory) database."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from conftest import START, make_config

from kiosk import text
from kiosk.activities.home import Home
from kiosk.activities.session import CHECKPOINT_SECONDS, Countdown, GuidedSession, Phase
from kiosk.config import GradedConfig, Mode, TechniqueStep
from kiosk.controller import Controller
from kiosk.events import Cue, Key
from kiosk.model import RungReason, RungRecord, SessionRecord, Status
from kiosk.views import (
    ChoiceView,
    ConfirmView,
    CountdownView,
    HomeView,
    LevelUpView,
    RatingView,
    SafetyView,
    SummaryView,
)


def press(ctl: Controller, *keys: Key) -> None:
    for key in keys:
        ctl.press(key)


def phase(ctl: Controller):
    return ctl.activity.phase if isinstance(ctl.activity, GuidedSession) else type(ctl.activity).__name__


def run_until_done(ctl: Controller, clock, stall=lambda: 0.0) -> None:
    """Turn the loop as the app does: sleep until the next change (plus a stall), tick."""
    for _ in range(100_000):
        if phase(ctl) is not Phase.COUNTDOWN:
            return
        wait = ctl.next_change_in()
        assert wait is not None and wait >= 0
        clock.advance(wait + stall())
        ctl.tick()
    raise AssertionError("countdown never ended")


def to_countdown(ctl: Controller, rating: int = 3) -> None:
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT)  # home -> area -> technique -> pain before
    assert phase(ctl) is Phase.PAIN_BEFORE
    press(ctl, *[Key.UP] * rating, Key.SELECT)
    assert phase(ctl) is Phase.COUNTDOWN


def rows(store) -> list[SessionRecord]:
    return store.sessions()


def level_changes(store) -> list[tuple]:
    """The rung_changes table as any SQLite tool reads it."""
    return [tuple(row) for row in store.db.execute(
        "SELECT from_technique, to_technique, reason FROM rung_changes ORDER BY id").fetchall()]


@pytest.fixture
def ctl(make_controller):
    return make_controller()


def test_whole_session_is_recorded(ctl, clock, store, cues):
    to_countdown(ctl, rating=3)
    [row] = rows(store)
    assert (row.status, row.pain_before, row.area, row.technique) == (Status.IN_PROGRESS, 3, "left_foot", "towel_rub")
    assert row.started_at == START
    assert cues == [Cue.START]

    run_until_done(ctl, clock)
    assert phase(ctl) is Phase.PAIN_AFTER
    [row] = rows(store)
    assert row.status is Status.COMPLETED
    assert row.active_seconds == pytest.approx(240.0)
    assert row.ended_at == START + timedelta(seconds=240)
    assert cues == [Cue.START, Cue.STEP, Cue.HALF, Cue.END]  # step change at 60 s, half at 120 s

    view = ctl.frame().view
    assert isinstance(view, RatingView) and view.phase == "after" and view.value == 3
    press(ctl, Key.DOWN, Key.DOWN, Key.SELECT)
    assert rows(store)[0].pain_after == 1
    summary = ctl.frame().view
    assert isinstance(summary, SummaryView)
    assert (summary.before, summary.after, summary.status, summary.saved) == (3, 1, Status.COMPLETED, True)
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, Home)
    home = ctl.frame().view
    assert isinstance(home, HomeView) and home.done_today == 1 and home.target == 4
    assert home.week == (False, False, True, False, False, False, False) and home.today_index == 2


def test_back_steps_back_on_every_screen_before_the_countdown(ctl):
    press(ctl, Key.SELECT, Key.BACK)
    assert isinstance(ctl.activity, Home)
    press(ctl, Key.SELECT, Key.SELECT, Key.BACK)
    assert phase(ctl) is Phase.AREA
    press(ctl, Key.SELECT, Key.SELECT, Key.BACK)
    assert phase(ctl) is Phase.TECHNIQUE
    # the ice rub shows its safety note first; back from it returns to the list
    press(ctl, Key.UP, Key.SELECT)
    assert phase(ctl) is Phase.SAFETY
    assert "towel" in ctl.frame().view.note
    press(ctl, Key.BACK)
    assert phase(ctl) is Phase.TECHNIQUE
    # a long back press outside the countdown is a plain back
    press(ctl, Key.BACK_HELD)
    assert phase(ctl) is Phase.AREA


def test_lists_wrap_and_techniques_are_grouped(ctl):
    press(ctl, Key.SELECT, Key.UP)
    assert ctl.frame().view.selected == 1  # wrapped to the last area
    press(ctl, Key.SELECT)
    view = ctl.frame().view
    assert isinstance(view, ChoiceView) and view.subtitle == "Right leg"
    assert [i.label for i in view.items] == ["Texture", "Towel rub", "Pressure", "Tapping", "Temperature", "Ice rub"]
    assert [i.header for i in view.items] == [True, False, True, False, True, False]
    assert view.items[5].flagged and not view.items[1].flagged
    assert view.selected == 1
    press(ctl, Key.DOWN)
    assert ctl.frame().view.selected == 3  # headers are skipped
    press(ctl, Key.DOWN, Key.DOWN)
    assert ctl.frame().view.selected == 1  # wrapped past the last technique
    press(ctl, Key.NEXT)  # an encoder turned clockwise moves down the list
    assert ctl.frame().view.selected == 3


def test_rating_starts_at_the_areas_last_rating_and_clamps(ctl, clock):
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT)
    assert ctl.frame().view.value == 0
    press(ctl, Key.DOWN)
    assert ctl.frame().view.value == 0
    press(ctl, *[Key.UP] * 14)
    assert ctl.frame().view.value == 10
    press(ctl, Key.SELECT)
    run_until_done(ctl, clock)
    press(ctl, Key.DOWN, Key.DOWN, Key.SELECT, Key.SELECT)  # after = 8, then home
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT)
    assert ctl.frame().view.value == 8  # same area: its last rating
    press(ctl, Key.BACK, Key.BACK, Key.DOWN, Key.SELECT, Key.SELECT)
    assert ctl.frame().view.area == "Right leg"
    assert ctl.frame().view.value == 0  # another area has no rating yet


def test_the_last_choices_are_offered_first(ctl, clock):
    press(ctl, Key.SELECT, Key.DOWN, Key.SELECT, Key.DOWN, Key.SELECT, Key.SELECT)
    run_until_done(ctl, clock)
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT)
    assert ctl.frame().view.selected == 1  # right leg again
    press(ctl, Key.SELECT)
    assert ctl.frame().view.items[ctl.frame().view.selected].label == "Tapping"


def test_pause_excludes_time_and_countdown_shows_whole_seconds(ctl, clock, store):
    to_countdown(ctl)
    clock.advance(10.2)
    ctl.tick()
    view = ctl.frame().view
    assert isinstance(view, CountdownView) and view.remaining == 230 and not view.paused
    press(ctl, Key.SELECT)
    assert ctl.frame().view.paused
    assert rows(store)[0].active_seconds == pytest.approx(10.2)  # pausing writes a checkpoint
    clock.advance(600)
    ctl.tick()
    assert ctl.frame().view.remaining == 230
    assert phase(ctl) is Phase.COUNTDOWN  # a paused session never puts the screen to sleep
    press(ctl, Key.SELECT)
    run_until_done(ctl, clock)
    assert rows(store)[0].active_seconds == pytest.approx(240.0)
    assert rows(store)[0].ended_at == START + timedelta(seconds=240 + 600)


def test_a_session_paused_for_half_an_hour_ends_as_stopped_early(ctl, clock, store):
    to_countdown(ctl)
    clock.advance(30)
    press(ctl, Key.SELECT)
    clock.advance(ctl.next_change_in())
    ctl.tick()
    assert isinstance(ctl.activity, Home)
    [row] = rows(store)
    assert row.status is Status.STOPPED_EARLY and row.active_seconds == pytest.approx(30)


def test_hold_back_stops_early_and_still_asks_for_pain_after(ctl, clock, store, cues):
    to_countdown(ctl, rating=6)
    clock.advance(75)
    ctl.tick()
    press(ctl, Key.BACK)
    assert phase(ctl) is Phase.COUNTDOWN and ctl.frame().view.hint
    clock.advance(5)
    ctl.tick()
    assert not ctl.frame().view.hint  # the hint goes away by itself
    press(ctl, Key.BACK_HELD)
    assert phase(ctl) is Phase.PAIN_AFTER
    view = ctl.frame().view
    assert view.stopped_early and view.value == 6
    row = rows(store)[0]
    assert row.status is Status.STOPPED_EARLY and row.active_seconds == pytest.approx(80)
    assert cues[-1] is Cue.END
    press(ctl, Key.BACK)  # back cannot skip the rating
    assert phase(ctl) is Phase.PAIN_AFTER
    press(ctl, Key.DOWN, Key.SELECT)
    assert rows(store)[0].pain_after == 5 and rows(store)[0].status is Status.STOPPED_EARLY


def test_checkpoints_bound_what_a_kill_can_lose(ctl, clock, store):
    to_countdown(ctl)
    for _ in range(95):
        next_wait = ctl.next_change_in()
        assert next_wait <= 1.0
        clock.advance(next_wait)
        ctl.tick()
    assert ctl.activity.countdown.active() - rows(store)[0].active_seconds <= CHECKPOINT_SECONDS


@pytest.mark.parametrize("seed", range(5))
def test_five_minutes_with_stalls_ends_at_the_deadline(make_controller, clock, store, cues, seed):
    """The loop wakes late by up to 200 ms each time; the end is the deadline anyway."""
    ctl = make_controller(make_config(duration=300))
    to_countdown(ctl)
    countdown = ctl.activity.countdown
    deadline = countdown.deadline
    rng = random.Random(seed)
    run_until_done(ctl, clock, stall=lambda: rng.uniform(0, 0.2))
    assert countdown.active() == pytest.approx(300, abs=0.02)
    ended = ctl.activity.record.ended_at
    assert abs((ended - START).total_seconds() - (deadline - 1000.0)) <= 0.02
    assert cues == [Cue.START, Cue.STEP, Cue.HALF, Cue.END]


def test_a_long_stall_plays_one_cue_not_a_burst(ctl, clock, cues):
    to_countdown(ctl)
    clock.advance(130)  # past the step change (60 s) and half time (120 s) at once
    ctl.tick()
    assert cues == [Cue.START, Cue.HALF]


def test_next_change_is_the_next_second_or_cue(clock):
    countdown = Countdown(240, (TechniqueStep("a", 0.25), TechniqueStep("b", 0.75)), clock)
    assert countdown.until_next_change() == pytest.approx(1.0)
    clock.advance(0.3)
    assert countdown.until_next_change() == pytest.approx(0.7)
    clock.advance(59.2)
    assert countdown.until_next_change() == pytest.approx(0.5)  # the step change at 60 s
    assert countdown.step_at(countdown.active()) == 0
    clock.advance(0.5)
    assert countdown.step_at(countdown.active()) == 1


def test_storage_failure_keeps_the_session_going_and_retries(ctl, clock, store):
    store.failing = "the disk is full"
    to_countdown(ctl)
    assert phase(ctl) is Phase.COUNTDOWN
    assert ctl.frame().notice == text.SESSIONS_NOT_SAVED and "full" in ctl.context.problems["saving"]
    assert rows(store) == []
    clock.advance(100)
    ctl.tick()
    store.failing = None
    clock.advance(15)
    ctl.tick()
    assert [r.status for r in rows(store)] == [Status.IN_PROGRESS]
    assert ctl.frame().notice is None
    store.failing = "the disk is full"
    run_until_done(ctl, clock)
    press(ctl, Key.SELECT)
    summary = ctl.frame().view
    assert isinstance(summary, SummaryView) and not summary.saved
    # a second session starts before the disk is fixed: the first is not dropped
    press(ctl, Key.SELECT)
    to_countdown(ctl, rating=2)
    store.failing = None
    clock.advance(11)
    ctl.tick()
    assert [r.status for r in rows(store)] == [Status.COMPLETED, Status.IN_PROGRESS]
    assert rows(store)[0].pain_after == 3 and rows(store)[1].pain_before == 3 + 2  # starts at the last rating


def test_home_counts_only_this_week_and_today(make_controller, store):
    ctl = make_controller(make_config(target=2))  # started first: nothing left in progress to recover
    for day, status in [(-9, Status.COMPLETED), (-2, Status.COMPLETED), (-2, Status.STOPPED_EARLY),
                        (0, Status.INTERRUPTED), (0, Status.IN_PROGRESS)]:
        store.save(SessionRecord("default", "left_foot", "tapping", 240, START + timedelta(days=day), 3, status, active_seconds=240))
    store.save(SessionRecord("someone", "left_foot", "tapping", 240, START, 3, Status.COMPLETED, active_seconds=240))
    home = ctl.frame().view
    assert home.done_today == 1  # the interrupted one counts, the in-progress one does not
    assert home.week == (True, False, True, False, False, False, False)


def test_a_late_evening_session_counts_for_that_day(make_controller, clock, store):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START.replace(hour=23, minute=30), 3,
                             Status.COMPLETED, active_seconds=240))
    ctl = make_controller()
    clock.advance(16 * 3600)  # 01:00 the next calendar day: still the same practice day
    ctl.tick()
    assert ctl.board.view().done_today == 1
    clock.advance(2 * 3600)  # 03:00: a new day
    ctl.tick()
    assert ctl.board.view().done_today == 0


def test_home_recounts_when_the_day_changes(make_controller, clock, store):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 3, Status.COMPLETED, active_seconds=240))
    ctl = make_controller()
    assert ctl.board.view().done_today == 1
    assert ctl.activity.next_change_in() == pytest.approx(18 * 3600)  # from 09:00 to 03:00
    clock.advance(18 * 3600)
    ctl.tick()
    assert ctl.board.view().done_today == 0


def test_summary_goes_home_by_itself(ctl, clock):
    to_countdown(ctl)
    run_until_done(ctl, clock)
    press(ctl, Key.SELECT)
    assert phase(ctl) is Phase.SUMMARY
    clock.advance(ctl.next_change_in())
    ctl.tick()
    assert isinstance(ctl.activity, Home)


def test_equal_states_give_equal_frames(ctl, clock):
    """The loop redraws only when the frame changes, so frames must compare by value."""
    to_countdown(ctl)
    first = ctl.frame()
    clock.advance(0.4)
    assert ctl.frame() == first
    clock.advance(0.7)
    assert ctl.frame() != first


def test_safety_note_view(ctl):
    press(ctl, Key.SELECT, Key.SELECT, Key.UP, Key.SELECT)
    view = ctl.frame().view
    assert isinstance(view, SafetyView) and view.technique == "Ice rub"
    press(ctl, Key.SELECT)
    assert phase(ctl) is Phase.PAIN_BEFORE


def test_a_long_safety_note_pages_and_is_never_cut(ctl):
    """Every page is shown before "I understand"; back goes a page back, then to the list."""
    ctl.context.note_pages = lambda note: tuple(sentence.strip() + "." for sentence in note.split(".") if sentence.strip())
    press(ctl, Key.SELECT, Key.SELECT, Key.UP, Key.SELECT)
    first = ctl.frame().view
    assert isinstance(first, SafetyView) and (first.page, first.pages) == (1, 2)
    assert first.note == "Put a towel under it."
    press(ctl, Key.SELECT)
    second = ctl.frame().view
    assert (second.page, second.pages, second.note) == (2, 2, "Stop if the skin turns white.")
    press(ctl, Key.BACK)
    assert ctl.frame().view.page == 1
    press(ctl, Key.SELECT, Key.SELECT)
    assert phase(ctl) is Phase.PAIN_BEFORE
    press(ctl, Key.BACK)  # back from the rating: the technique list, and the note starts again
    press(ctl, Key.SELECT)
    assert ctl.frame().view.page == 1


def test_clock_sync_is_recorded_and_home_recounts_once_time_is_known(make_controller, clock, store):
    synced = {"now": False}
    clock.wall_offset = timedelta(days=-3)  # the wall clock is days behind until NTP sets it
    ctl = make_controller(clock_synced=lambda: synced["now"])
    to_countdown(ctl)
    assert rows(store)[0].clock_synced is False
    run_until_done(ctl, clock)
    press(ctl, Key.SELECT, Key.SELECT)
    assert ctl.frame().view.done_today == 1  # counted on the (wrong) day it was done
    synced["now"], clock.wall_offset = True, timedelta(0)
    clock.advance(ctl.next_change_in())
    ctl.tick()
    home = ctl.board.view()
    assert home.today_index == 2 and home.done_today == 0  # the real today has none yet


def test_notices_alerts_and_announcements(make_controller):
    ctl = make_controller(notices=("Settings file has a problem",))
    assert ctl.frame().notice == "Settings file has a problem"
    ctl.announcement = "The old database was damaged"
    assert ctl.frame().notice == "The old database was damaged"
    ctl.alerts["stuck"] = "A button is stuck"
    assert ctl.frame().notice == "A button is stuck"
    del ctl.alerts["stuck"]
    press(ctl, Key.SELECT)
    assert ctl.frame().notice is None  # the announcement went with the press; standing notices live on home
    press(ctl, Key.BACK)
    assert ctl.frame().notice == "Settings file has a problem"


# -- graded practice ------------------------------------------------------------------------


@pytest.fixture
def graded(make_controller):
    return make_controller(make_config(mode=Mode.GRADED, ladder=("tapping", "towel_rub", "ice_rub")))


def test_graded_offers_the_current_rung_and_lower_ones(graded, clock, store):
    press(graded, Key.SELECT, Key.SELECT)
    view = graded.frame().view
    assert [i.label for i in view.items] == ["Tapping"]  # rung 0: nothing lower
    store.set_rung(RungRecord("default", "left_foot", 1, START))
    press(graded, Key.BACK, Key.BACK, Key.SELECT, Key.SELECT)  # the next session reads it
    view = graded.frame().view
    assert [i.label for i in view.items] == ["Tapping", "Towel rub"]
    assert view.selected == 1 and view.items[1].note and view.items[0].note != view.items[1].note


def good_session(ctl, clock, before: int = 5, after: int = 4) -> None:
    """A whole session on the current level rated `before`, then `after` (the rating
    screens open at the last rating given, so both are set from 0)."""
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT)
    assert phase(ctl) is Phase.PAIN_BEFORE
    press(ctl, *[Key.DOWN] * 10, *[Key.UP] * before, Key.SELECT)
    run_until_done(ctl, clock)
    press(ctl, *[Key.DOWN] * 10, *[Key.UP] * after, Key.SELECT)


def test_graded_moves_up_after_two_good_sessions_not_one_and_persists(graded, make_controller, clock, store):
    good_session(graded, clock)
    assert phase(graded) is Phase.SUMMARY  # one lucky session is not the clinician's rule
    press(graded, Key.SELECT)
    good_session(graded, clock)
    view = graded.frame().view
    assert isinstance(view, LevelUpView) and (view.current, view.next, view.level, view.levels) == (
        "Tapping", "Towel rub", 2, 3)
    press(graded, Key.SELECT)  # the first choice: yes, next level
    assert phase(graded) is Phase.SUMMARY
    assert store.rung("default", "left_foot") == 1
    assert level_changes(store) == [("tapping", "towel_rub", RungReason.MOVED_UP.value)]
    restarted = make_controller(make_config(mode=Mode.GRADED, ladder=("tapping", "towel_rub", "ice_rub")))
    press(restarted, Key.SELECT, Key.SELECT)
    assert restarted.frame().view.items[restarted.frame().view.selected].label == "Towel rub"


def test_a_bad_session_between_breaks_the_run_of_good_ones(graded, clock, store):
    good_session(graded, clock)
    press(graded, Key.SELECT)
    good_session(graded, clock, before=2, after=3)  # pain went up
    press(graded, Key.SELECT)
    good_session(graded, clock)
    assert phase(graded) is Phase.SUMMARY and store.rung("default", "left_foot") == 0


def test_graded_does_not_offer_a_step_up_when_pain_went_up_or_stopped_early(graded, clock, store):
    to_countdown(graded, rating=2)
    run_until_done(graded, clock)
    press(graded, Key.UP, Key.SELECT)  # 3 after 2
    assert phase(graded) is Phase.SUMMARY
    press(graded, Key.SELECT)
    to_countdown(graded, rating=0)
    press(graded, Key.BACK_HELD)
    press(graded, Key.SELECT)
    assert phase(graded) is Phase.SUMMARY and store.rung("default", "left_foot") == 0


def test_a_lower_level_asks_before_it_changes_anything(graded, clock, store):
    store.set_rung(RungRecord("default", "left_foot", 2, START))
    press(graded, Key.SELECT, Key.SELECT, Key.UP, Key.UP, Key.SELECT)  # ice rub -> towel rub -> tapping
    ask = graded.frame().view
    assert isinstance(ask, ConfirmView) and ask.selected == 0  # "just this time" comes first
    press(graded, Key.SELECT)
    assert phase(graded) is Phase.PAIN_BEFORE and graded.activity.technique_id == "tapping"
    press(graded, Key.SELECT)
    assert store.rung("default", "left_foot") == 2  # a single easier session does not demote
    graded.press(Key.BACK_HELD)
    press(graded, Key.SELECT, Key.SELECT)  # rating after, summary
    press(graded, Key.SELECT, Key.SELECT, Key.UP, Key.UP, Key.SELECT, Key.DOWN, Key.SELECT)  # yes, stay on it
    assert store.rung("default", "left_foot") == 0
    assert level_changes(store) == [("ice_rub", "tapping", RungReason.STEPPED_DOWN.value)]


def test_declining_the_step_up_keeps_the_rung(graded, clock, store):
    good_session(graded, clock)
    press(graded, Key.SELECT)
    to_countdown(graded, rating=5)
    run_until_done(graded, clock)
    press(graded, Key.SELECT, Key.BACK)
    assert phase(graded) is Phase.SUMMARY and store.rung("default", "left_foot") == 0



def test_a_session_left_in_progress_is_marked_interrupted_at_start(make_controller, store):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 3, Status.IN_PROGRESS, active_seconds=30))
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START.replace(hour=8), 3, Status.IN_PROGRESS,
                             active_seconds=200))
    ctl = make_controller()
    short, long = sorted(rows(store), key=lambda r: r.active_seconds)
    assert (short.status, short.active_seconds, short.pain_before, short.counted) == (Status.INTERRUPTED, 30, 3, False)
    assert (long.status, long.counted) == (Status.INTERRUPTED, True)  # 200 s is past the 3 minutes
    assert ctl.frame().view.done_today == 1


# -- what counts (issue 13) -----------------------------------------------------------------------


def test_a_ten_second_stop_does_not_count_and_a_three_minute_one_does(ctl, clock, store):
    to_countdown(ctl)
    clock.advance(10)
    ctl.tick()
    press(ctl, Key.BACK_HELD, Key.SELECT)  # stopped early, rated
    summary = ctl.frame().view
    assert isinstance(summary, SummaryView) and summary.status is Status.STOPPED_EARLY and not summary.counted
    press(ctl, Key.SELECT)
    assert ctl.frame().view.done_today == 0
    to_countdown(ctl)
    for _ in range(18):
        clock.advance(10)
        ctl.tick()
    press(ctl, Key.BACK_HELD, Key.SELECT)  # stopped after 3 minutes of a 4-minute session
    assert ctl.frame().view.counted
    press(ctl, Key.SELECT)
    assert ctl.frame().view.done_today == 1
    assert [r.counted for r in rows(store)] == [False, True]


def test_a_short_prescription_counts_at_its_own_length(make_controller, clock, store):
    ctl = make_controller(make_config(duration=120.0))  # 2 minutes: counts at 2, not 3
    to_countdown(ctl)
    run_until_done(ctl, clock)
    press(ctl, Key.SELECT)
    assert ctl.frame().view.counted and rows(store)[0].counted


def test_the_ice_rub_ends_at_its_own_safe_limit(make_controller, clock, store):
    from dataclasses import replace as changed

    config = make_config(duration=600.0)
    ice = changed(config.techniques[2], max_duration_seconds=300.0)
    ctl = make_controller(changed(config, techniques=config.techniques[:2] + (ice,)))
    press(ctl, Key.SELECT, Key.SELECT, Key.UP, Key.SELECT, Key.SELECT)  # ice rub, safety note, pain before
    press(ctl, Key.SELECT)
    assert phase(ctl) is Phase.COUNTDOWN and ctl.frame().view.total == 300
    run_until_done(ctl, clock)
    press(ctl, Key.SELECT)
    summary = ctl.frame().view
    assert summary.capped and summary.counted and rows(store)[0].planned_seconds == 300


def test_a_lock_at_start_delays_recovery_and_new_sessions_wait_behind_it(make_controller, clock, store):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START - timedelta(hours=1), 3,
                             Status.IN_PROGRESS))
    store.failing = "the database is locked by another program"
    ctl = make_controller()
    assert ctl.frame().notice == text.SESSIONS_NOT_SAVED and "locked" in ctl.context.problems["saving"]
    to_countdown(ctl)
    store.failing = None
    clock.advance(11)
    ctl.tick()
    assert [r.status for r in rows(store)] == [Status.INTERRUPTED, Status.IN_PROGRESS]
    assert ctl.frame().notice is None


def test_a_session_kept_only_in_memory_never_shows_as_saved(make_controller, clock):
    ctl = make_controller(volatile="the data folder is read-only")
    assert ctl.frame().notice == text.SESSIONS_NOT_SAVED and "read-only" in ctl.context.problems["saving"]
    to_countdown(ctl)
    run_until_done(ctl, clock)
    press(ctl, Key.SELECT)
    assert ctl.frame().view.saved is False


def test_a_level_change_the_disk_refused_is_written_later(make_controller, clock, store):
    graded = make_controller(make_config(mode=Mode.GRADED, ladder=("tapping", "towel_rub", "ice_rub"),
                                         graded=GradedConfig(move_up_after=1)))
    to_countdown(graded, rating=5)
    run_until_done(graded, clock)
    store.failing = "the disk is full"
    press(graded, Key.SELECT, Key.SELECT)  # pain after (kept), then "move up": kept too
    assert graded.frame().view.saved is False and store.rung("default", "left_foot") == 0
    store.failing = None
    clock.advance(11)
    graded.tick()
    assert store.rung("default", "left_foot") == 1 and rows(store)[0].pain_after == 5
