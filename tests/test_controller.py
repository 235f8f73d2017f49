"""Living with the kiosk: sleep and wake, reminders, profiles, check-ins, prompts and the
LED, driven through the controller on a fake clock and an in-memory database."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from conftest import START, make_config

from kiosk import text
from kiosk.activities.checkin import Checkin
from kiosk.activities.clinician import ClinicianMenu, CodeEntry
from kiosk.activities.home import History, Home, ProfilePicker, Reminder
from kiosk.activities.session import GuidedSession, Phase
from kiosk.config import CheckinsConfig, Profile, QuietHours, RemindersConfig, SessionConfig
from kiosk.events import Cue, Key
from kiosk.model import SessionRecord, Status
from kiosk.views import (
    CheckinSavedView,
    ChoiceView,
    CodeView,
    HistoryView,
    ConfirmView,
    HomeView,
    MessageView,
    RatingView,
    ReminderView,
    SleepView,
)


def press(ctl, *keys: Key) -> None:
    for key in keys:
        ctl.press(key)


def wait(ctl, clock, seconds: float) -> None:
    """Let time pass the way the loop does: tick at every change it announces."""
    end = clock.t + seconds
    while clock.t < end:
        step = ctl.next_change_in()
        clock.advance(min(end - clock.t, step if step is not None else end - clock.t) or 0.001)
        ctl.tick()


# -- sleep and wake -----------------------------------------------------------------------


def test_the_screen_sleeps_after_idle_and_the_waking_press_does_nothing_else(make_controller, clock):
    ctl = make_controller()
    press(ctl, Key.SELECT)  # on the area list
    wait(ctl, clock, 119)
    assert not ctl.asleep
    wait(ctl, clock, 2)
    assert ctl.asleep and isinstance(ctl.frame().view, SleepView) and ctl.light() == "off"
    press(ctl, Key.SELECT)
    assert not ctl.asleep and isinstance(ctl.activity, Home)  # woken, not started
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, GuidedSession)


def test_no_sleep_during_a_session(make_controller, clock):
    ctl = make_controller(make_config(duration=600))
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT)
    wait(ctl, clock, 300)
    assert not ctl.asleep and ctl.activity.phase is Phase.COUNTDOWN and ctl.light() == "session"


def test_asleep_the_loop_has_nothing_to_do_until_a_slot(make_controller, clock):
    ctl = make_controller(make_config(reminders=RemindersConfig(times=())))
    wait(ctl, clock, 121)
    assert ctl.asleep
    assert ctl.next_change_in() > 3600  # only the next practice day is ahead


# -- reminders ------------------------------------------------------------------------------


def test_a_reminder_wakes_the_screen_chimes_and_starts_a_session(make_controller, clock, cues):
    ctl = make_controller()  # 09:00; reminders at 08:00, 12:30, 16:30, 19:30
    wait(ctl, clock, 3 * 3600 + 29 * 60)
    assert ctl.asleep and cues == []
    wait(ctl, clock, 60)
    assert not ctl.asleep and isinstance(ctl.activity, Reminder) and cues == [Cue.REMINDER]
    assert isinstance(ctl.frame().view, ReminderView) and ctl.light() == "attention"
    wait(ctl, clock, 600)
    assert not ctl.asleep  # a reminder keeps the screen on until answered
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, GuidedSession)


def test_back_snoozes_a_reminder(make_controller, clock, cues):
    ctl = make_controller(make_config(reminders=RemindersConfig(times=(time(9, 30),), snooze_seconds=900)))
    wait(ctl, clock, 31 * 60)
    assert isinstance(ctl.activity, Reminder)
    press(ctl, Key.BACK)
    assert isinstance(ctl.activity, Home)
    wait(ctl, clock, 14 * 60)
    assert cues == [Cue.REMINDER]
    wait(ctl, clock, 2 * 60)
    assert cues == [Cue.REMINDER, Cue.REMINDER] and isinstance(ctl.activity, Reminder)


def test_no_reminder_once_the_target_is_met(make_controller, clock, store, cues):
    for hour in (7, 8):
        store.save(SessionRecord("default", "left_foot", "tapping", 240, START.replace(hour=hour), 3, Status.COMPLETED, active_seconds=240))
    ctl = make_controller(make_config(target=2))
    wait(ctl, clock, 12 * 3600)
    assert Cue.REMINDER not in cues


def test_no_reminder_while_a_session_runs(make_controller, clock, cues):
    ctl = make_controller(make_config(duration=1800, reminders=RemindersConfig(times=(time(9, 10),))))
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT)
    wait(ctl, clock, 20 * 60)
    assert Cue.REMINDER not in cues and ctl.activity.phase is Phase.COUNTDOWN


def test_no_reminder_in_quiet_hours(make_controller, clock, cues):
    config = make_config(reminders=RemindersConfig(times=(time(22, 0),)), quiet_hours=QuietHours(time(21), time(7)))
    ctl = make_controller(config)
    wait(ctl, clock, 14 * 3600)
    assert cues == [] and ctl.asleep


def test_reminders_missed_while_off_are_not_replayed(make_controller, clock, cues):
    clock.advance(8 * 3600)  # "switched on" at 17:00: 08:00, 12:30 and 16:30 have passed
    ctl = make_controller()
    wait(ctl, clock, 60)
    assert cues == []
    wait(ctl, clock, 3 * 3600)
    assert cues == [Cue.REMINDER]  # 19:30 only


def test_an_unanswered_reminder_goes_away(make_controller, clock):
    ctl = make_controller(make_config(reminders=RemindersConfig(times=(time(9, 1),))))
    wait(ctl, clock, 120)
    assert isinstance(ctl.activity, Reminder)
    wait(ctl, clock, 31 * 60)
    assert not isinstance(ctl.activity, Reminder)


# -- profiles -------------------------------------------------------------------------------


def two_profiles():
    base = make_config()
    sam = Profile("Sam", base.areas, base.techniques, SessionConfig(180), 3)
    ana = Profile("Ana", base.areas[:1], base.techniques[1:], SessionConfig(240), 5)
    return make_config(profiles=(sam, ana))


def test_with_several_profiles_the_kiosk_asks_who_first(make_controller, clock, store):
    ctl = make_controller(two_profiles())
    view = ctl.frame().view
    assert isinstance(ctl.activity, ProfilePicker) and [i.label for i in view.items] == ["Sam", "Ana"]
    press(ctl, Key.DOWN, Key.SELECT)
    home = ctl.frame().view
    assert isinstance(home, HomeView) and home.profile == "Ana" and home.target == 5
    press(ctl, Key.SELECT)
    assert [i.label for i in ctl.frame().view.items] == ["Left foot"]  # Ana's own areas
    press(ctl, Key.SELECT)
    assert ctl.frame().view.items[ctl.frame().view.selected].label == "Tapping"
    press(ctl, Key.SELECT, Key.SELECT)
    assert store.sessions()[0].profile == "Ana" and store.sessions()[0].planned_seconds == 240


def test_home_and_counts_are_per_profile(make_controller, clock, store):
    store.save(SessionRecord("Sam", "left_foot", "tapping", 180, START, 3, Status.COMPLETED, active_seconds=240))
    ctl = make_controller(two_profiles())
    press(ctl, Key.SELECT)
    assert ctl.frame().view.done_today == 1
    press(ctl, Key.BACK_HELD)  # hold back on home: someone else practises
    assert isinstance(ctl.activity, ProfilePicker)
    press(ctl, Key.DOWN, Key.SELECT)
    assert ctl.frame().view.done_today == 0


def test_sleep_returns_a_shared_station_to_who_is_practising(make_controller, clock):
    ctl = make_controller(two_profiles())
    press(ctl, Key.SELECT)
    wait(ctl, clock, 121)
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, ProfilePicker)


def test_one_profile_never_asks(make_controller):
    ctl = make_controller()
    assert isinstance(ctl.activity, Home) and ctl.frame().view.profile is None
    press(ctl, Key.BACK_HELD)
    assert isinstance(ctl.activity, History)


# -- history --------------------------------------------------------------------------------


def test_history_shows_two_weeks_from_the_database(make_controller, store):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START - timedelta(days=3), 6,
                             Status.COMPLETED, pain_after=4, active_seconds=240))
    ctl = make_controller()
    press(ctl, Key.BACK)
    view = ctl.frame().view
    assert isinstance(view, HistoryView) and len(view.days) == 14 and view.target == 4
    assert view.days[-1].day == START.date()
    day = view.days[-4]
    assert (day.sessions, day.pain_before, day.pain_after) == (1, 6, 4)
    press(ctl, Key.BACK)
    assert isinstance(ctl.activity, Home)


# -- check-ins ------------------------------------------------------------------------------


def test_up_or_down_on_home_opens_a_check_in_at_the_last_value(make_controller, store):
    ctl = make_controller()
    press(ctl, Key.DOWN)
    view = ctl.frame().view
    assert isinstance(view, RatingView) and view.phase == "checkin" and view.value == 0
    press(ctl, Key.UP, Key.UP, Key.UP, Key.SELECT)  # 3, then "where?"
    view = ctl.frame().view
    assert isinstance(view, ChoiceView) and view.kind == "checkin_area"
    assert [i.label for i in view.items][1:] == ["Left foot", "Right leg"]
    press(ctl, Key.DOWN, Key.DOWN, Key.SELECT)
    saved = ctl.frame().view
    assert isinstance(saved, CheckinSavedView) and (saved.rating, saved.at, saved.area) == (3, "09:00", "Right leg")
    [row] = store.checkins()
    assert (row.rating, row.area, row.prompted, row.status) == (3, "right_leg", False, "saved")
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, Home)
    press(ctl, Key.UP)
    assert ctl.frame().view.value == 3  # opens at the last check-in, unchanged by the opening press


def test_cancel_saves_nothing(make_controller, store):
    ctl = make_controller()
    press(ctl, Key.UP, Key.UP, Key.BACK)
    assert isinstance(ctl.activity, Home) and store.checkins() == []


def test_back_on_saved_undoes_exactly_that_check_in(make_controller, clock, store):
    ctl = make_controller(make_config(checkins=CheckinsConfig(ask_area=False)))
    press(ctl, Key.UP, Key.UP, Key.SELECT)
    wait(ctl, clock, 6)  # the first one is final once "Saved" has gone
    press(ctl, Key.UP, Key.UP, Key.UP, Key.SELECT)  # opens at 1, then 3
    assert [c.rating for c in store.checkins()] == [1, 3]
    press(ctl, Key.BACK)
    assert [c.rating for c in store.checkins()] == [1]
    assert isinstance(ctl.activity, Home)


def test_the_area_question_is_optional(make_controller, store):
    ctl = make_controller(make_config(checkins=CheckinsConfig(ask_area=False)))
    press(ctl, Key.UP, Key.SELECT)
    assert isinstance(ctl.frame().view, CheckinSavedView)
    assert store.checkins()[0].area is None


def test_no_particular_place_stores_no_area(make_controller, store):
    ctl = make_controller()
    press(ctl, Key.UP, Key.SELECT, Key.SELECT)
    assert store.checkins()[0].area is None and ctl.frame().view.area is None


def test_a_rating_left_at_where_is_kept_without_a_place(make_controller, clock, store):
    ctl = make_controller()
    press(ctl, Key.UP, Key.UP, Key.UP, Key.UP, Key.SELECT)  # opens, 3, then "where?" left unanswered
    assert isinstance(ctl.frame().view, ChoiceView) and store.checkins() == []
    wait(ctl, clock, 3 * 60 + 1)  # the screen goes dark
    assert ctl.asleep
    [row] = store.checkins()
    assert (row.rating, row.area, row.status, row.prompted) == (3, None, "saved", False)


def test_a_prompted_rating_left_at_where_is_kept_not_missed(make_controller, clock, store):
    ctl = make_controller(prompting())
    wait(ctl, clock, 31 * 60)
    press(ctl, Key.UP, Key.UP, Key.SELECT)  # 2, then "where?"
    wait(ctl, clock, 3 * 60 + 1)
    [row] = store.checkins()
    assert (row.rating, row.area, row.status, row.prompted) == (2, None, "saved", True)


def prompting(every_hours: float = 2, **changes):
    return make_config(checkins=CheckinsConfig(prompt_every_seconds=every_hours * 3600),
                       reminders=RemindersConfig(times=()), **changes)


def test_a_prompt_opens_the_check_in_by_itself(make_controller, clock, cues, store):
    ctl = make_controller(prompting())  # prompts at 09:30, 11:30, ...
    wait(ctl, clock, 31 * 60)
    assert isinstance(ctl.activity, Checkin) and cues == [Cue.CHECKIN] and ctl.light() == "attention"
    press(ctl, Key.UP, Key.UP, Key.SELECT, Key.SELECT)
    [row] = store.checkins()
    assert row.prompted and row.status == "saved" and row.rating == 2


def test_an_unanswered_prompt_goes_away_and_is_recorded_missed(make_controller, clock, store):
    ctl = make_controller(prompting())
    wait(ctl, clock, 31 * 60)
    wait(ctl, clock, 10 * 60 + 1)
    assert not isinstance(ctl.activity, Checkin)
    [row] = store.checkins()
    assert (row.status, row.rating, row.prompted) == ("missed", None, True)


def test_no_prompt_near_another_rating_or_during_a_session(make_controller, clock, store, cues):
    ctl = make_controller(prompting(1, session=SessionConfig(1800)))  # 08:30, 09:30, 10:30...
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT)  # a 30-minute session from 09:00
    wait(ctl, clock, 31 * 60)
    assert Cue.CHECKIN not in cues  # 09:30: a session runs
    press(ctl, Key.SELECT, Key.SELECT)  # rate after at 09:30, summary, home
    wait(ctl, clock, 65 * 60)
    assert Cue.CHECKIN in cues  # 10:30 is an hour after the rating: asked


def test_no_prompt_within_half_an_hour_of_a_rating(make_controller, clock, store, cues):
    ctl = make_controller(prompting())
    wait(ctl, clock, 15 * 60)
    press(ctl, Key.SELECT)  # wake
    press(ctl, Key.UP, Key.SELECT, Key.SELECT)  # a check-in at 09:15
    wait(ctl, clock, 20 * 60)
    assert Cue.CHECKIN not in cues  # 09:30 was too soon after it
    wait(ctl, clock, 2 * 3600)
    assert cues == [Cue.CHECKIN]  # 11:30


def test_prompts_respect_quiet_hours_and_do_not_burst(make_controller, clock, cues):
    clock.advance(13 * 3600)  # switched on at 22:00
    ctl = make_controller(prompting())
    wait(ctl, clock, 9 * 3600)  # through the night to 07:00
    assert cues == []
    clock.advance(6 * 3600)  # the device was off from 07:00 to 13:00
    wait(ctl, clock, 10)
    assert cues == [Cue.CHECKIN]  # one prompt, not the three it slept through


def test_prompts_are_off_by_default(make_controller, clock, cues):
    ctl = make_controller(make_config(reminders=RemindersConfig(times=())))
    wait(ctl, clock, 12 * 3600)
    assert cues == [] and ctl.prompts is None


# -- the clinician's way in -------------------------------------------------------------------


def test_the_clinician_code_opens_the_menu_and_a_wrong_one_does_not(make_controller):
    ctl = make_controller()
    press(ctl, Key.CLINICIAN)
    assert isinstance(ctl.activity, CodeEntry) and ctl.frame().view == CodeView(0, 6)
    press(ctl, Key.UP, Key.DOWN)
    assert ctl.frame().view == CodeView(2, 6)
    press(ctl, Key.UP, Key.DOWN, Key.SELECT, Key.BACK)
    assert isinstance(ctl.activity, ClinicianMenu)
    press(ctl, Key.BACK, Key.CLINICIAN, Key.UP, Key.DOWN, Key.DOWN, Key.DOWN, Key.SELECT, Key.BACK)
    assert isinstance(ctl.frame().view, MessageView) and not ctl.frame().view.ok
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, Home)


def test_the_chord_does_nothing_during_a_session(make_controller):
    ctl = make_controller()
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT, Key.CLINICIAN)
    assert isinstance(ctl.activity, GuidedSession)


def test_quit_from_the_menu_asks_first_with_keep_running_selected(make_controller):
    ctl = make_controller()
    open_menu(ctl)
    choose(ctl, text.MENU_QUIT)
    view = ctl.frame().view
    assert isinstance(view, ConfirmView) and view.selected == 0 and view.answers[0] == text.QUIT_NO
    press(ctl, Key.SELECT)  # the safe answer
    assert isinstance(ctl.activity, ClinicianMenu) and not ctl.quit_requested
    choose(ctl, text.MENU_QUIT)
    press(ctl, Key.DOWN, Key.SELECT)
    assert ctl.quit_requested


@pytest.mark.parametrize("lines", [1, 2, 3])
def test_the_home_line_rotates_between_visits(make_controller, lines):
    ctl = make_controller()
    seen = []
    for _ in range(lines + 3):
        seen.append(ctl.frame().view.line)
        press(ctl, Key.SELECT, Key.BACK)
    assert len(set(seen)) > 1 and all(seen)


def open_menu(ctl):
    press(ctl, Key.CLINICIAN, Key.UP, Key.DOWN, Key.UP, Key.DOWN, Key.SELECT, Key.BACK)
    assert isinstance(ctl.activity, ClinicianMenu)


def choose(ctl, label: str) -> None:
    """Move the clinician menu's selection to `label` and press select."""
    labels = [item.label for item in ctl.frame().view.items]
    while labels[ctl.frame().view.selected] != label:
        press(ctl, Key.DOWN)
    press(ctl, Key.SELECT)


def export_with(ctl, period: int = 0) -> None:
    """Menu -> export -> the period (0 = the report's 28 days) -> yes, write to the drive."""
    choose(ctl, text.MENU_EXPORT)
    press(ctl, *([Key.DOWN] * period), Key.SELECT)
    if isinstance(ctl.frame().view, ConfirmView):
        press(ctl, Key.DOWN, Key.SELECT)


def test_the_menu_shows_the_report_on_screen(make_controller, store):
    from kiosk.views import ReportView

    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 6, Status.COMPLETED, pain_after=4,
                             active_seconds=240))
    ctl = make_controller()
    open_menu(ctl)
    press(ctl, Key.SELECT)
    view = ctl.frame().view
    assert isinstance(view, ReportView)
    assert view.data.sessions == 1 and view.data.days[-1].day == START.date()
    press(ctl, Key.BACK)
    assert isinstance(ctl.activity, ClinicianMenu)


def finish_export(ctl):
    """Wait (as a test may; the loop never does) for the export job, then take its result."""
    job = ctl.context.worker.current
    assert job is not None and job.wait(30)
    ctl.tick()


def test_the_menu_exports_to_a_usb_drive(make_controller, store, tmp_path):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 6, Status.COMPLETED, pain_after=4, active_seconds=240))
    drive = tmp_path / "STICK"
    drive.mkdir()
    ctl = make_controller()
    ctl.find_drives = lambda: [drive]
    open_menu(ctl)
    choose(ctl, text.MENU_EXPORT)
    press(ctl, Key.SELECT)  # the last 28 days
    ask = ctl.frame().view
    assert isinstance(ask, ConfirmView) and ask.title.startswith("Write to STICK") and ask.selected == 0
    press(ctl, Key.DOWN, Key.SELECT)
    assert "Exporting" in ctl.frame().view.title and ctl.frame().view.working
    finish_export(ctl)
    message = ctl.frame().view
    assert isinstance(message, MessageView) and message.ok
    [folder] = list(drive.iterdir())
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.txt", "checkins.csv", "levels.csv", "report.pdf", "report.png", "sessions.csv"]
    assert "health data" in (folder / "README.txt").read_text()
    assert "tapping" in (folder / "sessions.csv").read_text()
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, ClinicianMenu)


def test_the_menu_says_when_no_drive_or_a_read_only_one(make_controller, tmp_path, monkeypatch):
    ctl = make_controller()
    ctl.find_drives = lambda: []
    open_menu(ctl)
    export_with(ctl)
    message = ctl.frame().view
    assert not message.ok and "No USB drive" in message.title
    press(ctl, Key.SELECT)
    monkeypatch.setattr("kiosk.devices.usb.is_writable", lambda path: False)
    ctl.find_drives = lambda: [tmp_path]
    export_with(ctl)
    finish_export(ctl)
    message = ctl.frame().view
    assert not message.ok and "read-only" in message.title
    assert list(tmp_path.iterdir()) == []


def test_the_clinician_screens_close_by_themselves(make_controller, clock):
    ctl = make_controller()
    open_menu(ctl)
    wait(ctl, clock, 61)
    assert not isinstance(ctl.activity, ClinicianMenu)


def test_reminders_and_prompts_never_interrupt_someone_choosing(make_controller, clock, cues):
    ctl = make_controller(make_config(reminders=RemindersConfig(times=(time(9, 1),)),
                                      checkins=CheckinsConfig(prompt_every_seconds=3600)))
    press(ctl, Key.SELECT)  # choosing an area at 09:00; 09:01 reminder, 08:30/09:30 prompts
    for _ in range(100):  # 100 s of someone pressing now and then
        clock.advance(1)
        ctl.tick()
        if _ % 30 == 0:
            press(ctl, Key.DOWN)
    assert cues == [] and isinstance(ctl.activity, GuidedSession) and ctl.activity.phase is Phase.AREA


# -- found in review ---------------------------------------------------------------------------


def test_a_failed_undo_is_retried_and_does_not_block_later_writes(make_controller, clock, store):
    ctl = make_controller(make_config(checkins=CheckinsConfig(ask_area=False)))
    press(ctl, Key.UP, Key.UP, Key.SELECT)
    store.failing = "the database is locked by another program"
    press(ctl, Key.BACK)  # undo while locked: kept
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT)  # a session, also kept
    store.failing = None
    wait(ctl, clock, 11)
    assert store.checkins() == [] and len(store.sessions()) == 1
    assert ctl.recorder.problem is None


def test_the_level_up_question_goes_away_unanswered(make_controller, clock, store):
    from kiosk.config import GradedConfig, Mode

    ctl = make_controller(make_config(mode=Mode.GRADED, ladder=("tapping", "towel_rub"), duration=60,
                                      graded=GradedConfig(move_up_after=1)))
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.UP, Key.SELECT)
    wait(ctl, clock, 61)
    press(ctl, Key.SELECT)
    assert ctl.activity.phase is Phase.LEVEL_UP
    wait(ctl, clock, 11 * 60)
    assert not isinstance(ctl.activity, GuidedSession) and store.rung("default", "left_foot") == 0


def test_a_press_at_the_deadline_completes_the_session(make_controller, clock, store):
    ctl = make_controller(make_config(duration=60))
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT)
    clock.advance(60.1)  # the loop has not ticked yet when the hold arrives
    press(ctl, Key.BACK_HELD)
    assert store.sessions()[0].status is Status.COMPLETED


def test_leaving_the_report_gives_the_menu_its_full_time_again(make_controller, clock):
    ctl = make_controller()
    open_menu(ctl)
    press(ctl, Key.SELECT)
    wait(ctl, clock, 55)
    press(ctl, Key.BACK)
    wait(ctl, clock, 30)
    assert isinstance(ctl.activity, ClinicianMenu)


def test_a_rating_stamped_in_the_future_does_not_silence_prompts(make_controller, clock, store, cues):
    from kiosk.model import CheckinRecord

    store.add_checkin(CheckinRecord("default", START + timedelta(days=2), 4))  # a clock days ahead
    ctl = make_controller(prompting())
    wait(ctl, clock, 31 * 60)
    assert cues == [Cue.CHECKIN]


def test_a_reminder_that_comes_while_someone_chooses_waits_for_home(make_controller, clock, cues):
    ctl = make_controller(make_config(reminders=RemindersConfig(times=(time(9, 1),))))
    press(ctl, Key.SELECT)
    wait(ctl, clock, 90)
    assert cues == []
    press(ctl, Key.BACK)
    wait(ctl, clock, 1)
    assert cues == [Cue.REMINDER] and isinstance(ctl.activity, Reminder)


def test_a_reminder_on_a_shared_station_asks_who_first(make_controller, clock):
    config = two_profiles()
    from dataclasses import replace

    ctl = make_controller(replace(config, reminders=RemindersConfig(times=(time(9, 1),))))
    wait(ctl, clock, 90)
    assert isinstance(ctl.activity, Reminder)
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, ProfilePicker)


# -- long work off the loop, and the failsafe (issue 11) ----------------------------------
def test_the_export_runs_on_the_worker_while_the_loop_goes_on(make_controller, store, tmp_path):
    import threading

    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 6, Status.COMPLETED, pain_after=4, active_seconds=240))
    drive = tmp_path / "STICK"
    drive.mkdir()
    ctl = make_controller()
    ctl.find_drives = lambda: [drive]
    release, ran_on = threading.Event(), []
    real = ctl.context.usb_export

    def slow_export(ctx, where, now, days):
        work = real(ctx, where, now, days)  # the record is read here, on the loop's thread

        def slow(progress):
            ran_on.append(threading.get_ident())
            assert release.wait(30)
            return work(progress)

        return slow

    ctl.context.usb_export = slow_export
    open_menu(ctl)
    export_with(ctl)
    for _ in range(5):  # the loop turns while the drive is being written
        ctl.tick()
        assert ctl.frame().view.working
        assert ctl.next_change_in() is not None and ctl.next_change_in() <= 0.1
    press(ctl, Key.SELECT)  # presses wait until the export is done
    assert ctl.frame().view.working
    release.set()
    finish_export(ctl)
    assert ran_on and ran_on[0] != threading.get_ident()
    assert ctl.frame().view.ok and len(list(drive.iterdir())) == 1


def test_an_export_that_raises_comes_back_as_a_message(make_controller, tmp_path):
    ctl = make_controller()
    ctl.find_drives = lambda: [tmp_path]

    def broken(ctx, where, now, days):
        def work(progress):
            raise RuntimeError("the drive went away")
        return work

    ctl.context.usb_export = broken
    open_menu(ctl)
    export_with(ctl)
    finish_export(ctl)
    message = ctl.frame().view
    assert isinstance(message, MessageView) and not message.ok and "the drive went away" in message.body
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, ClinicianMenu)


def test_an_activity_that_raises_goes_home_calmly_and_keeps_unsaved_writes(make_controller, store, clock, caplog):
    ctl = make_controller()
    press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT)  # area, technique, pain before: countdown
    session = ctl.activity
    assert isinstance(session, GuidedSession) and session.phase is Phase.COUNTDOWN
    store.failing = "disk full"
    wait(ctl, clock, 12)  # a checkpoint write fails and is kept

    def boom():
        raise ValueError("a bug in the countdown")

    session.tick = boom
    with caplog.at_level("ERROR"):
        ctl.tick()
    assert isinstance(ctl.activity, Home)
    assert "a bug in the countdown" in caplog.text and "Traceback" in caplog.text
    frame = ctl.frame()
    assert ctl.recorder.unsaved  # what could not be written is still queued
    store.failing = None
    wait(ctl, clock, 11)
    assert not ctl.recorder.unsaved
    [row] = store.sessions()
    assert row.status is Status.STOPPED_EARLY  # left cleanly: never stays in progress
    assert frame.notice is not None


def test_a_view_that_raises_shows_home_with_a_notice(make_controller):
    ctl = make_controller()
    press(ctl, Key.BACK)
    assert isinstance(ctl.activity, History)

    def broken_view():
        raise KeyError("missing")

    ctl.activity.view = broken_view
    frame = ctl.frame()
    assert isinstance(ctl.activity, Home) and isinstance(frame.view, HomeView)
    assert frame.notice == text.ACTIVITY_FAILED


def test_each_profile_sees_its_own_language(make_controller):
    from kiosk.config import Language, Profile

    config = make_config()
    people = (Profile("Ana", config.areas, config.techniques, config.session, 4, language=Language.ES),
              Profile("Sam", config.areas, config.techniques, config.session, 4))
    try:
        ctl = make_controller(make_config(profiles=people))
        assert text.language() == "es"  # the first profile's, while choosing
        press(ctl, Key.DOWN, Key.SELECT)  # Sam
        assert text.language() == "en" and ctl.frame().view.profile == "Sam"
        press(ctl, Key.BACK_HELD, Key.UP, Key.SELECT)  # Ana again
        assert text.language() == "es"
        assert ctl.frame().view.line in text.TREATMENT_LINES + text.LOW_PAIN_LINES
    finally:
        text.use("en")
