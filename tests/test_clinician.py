"""The clinician's door (issue 14): no code opens nothing, wrong codes lock for longer and
longer (kept over a restart), confirmations with the safe answer first, the hand-over, the
export period and the drive named, levels set at a visit, and the Problems page."""

from __future__ import annotations

from dataclasses import replace
from conftest import CODE, START, make_config

from kiosk import text
from kiosk.activities.clinician import ClinicianMenu, CodeEntry, lock_minutes
from kiosk.activities.home import Home
from kiosk.config import ClinicianConfig, Mode
from kiosk.events import Key
from kiosk.model import RungReason, SessionRecord, Status
from kiosk.views import ChoiceView, CodeView, ConfirmView, HomeView, InfoView, MessageView

KEYS = {"up": Key.UP, "down": Key.DOWN, "select": Key.SELECT, "back": Key.BACK}
WRONG = (Key.DOWN,) * len(CODE)


def press(ctl, *keys: Key) -> None:
    for key in keys:
        ctl.press(key)


def enter(ctl, presses) -> None:
    press(ctl, Key.CLINICIAN, *presses)


def right(ctl) -> None:
    enter(ctl, [KEYS[name] for name in CODE])


def choose(ctl, label: str) -> None:
    labels = [item.label for item in ctl.frame().view.items]
    while labels[ctl.frame().view.selected] != label:
        press(ctl, Key.DOWN)
    press(ctl, Key.SELECT)


def test_without_a_code_the_chord_opens_nothing(make_controller):
    ctl = make_controller(make_config(clinician=ClinicianConfig(code=())))
    press(ctl, Key.CLINICIAN)
    view = ctl.frame().view
    assert isinstance(view, MessageView) and view.title == text.NO_CODE_TITLE and "README" in view.body
    press(ctl, Key.UP, Key.DOWN, Key.SELECT)
    assert not isinstance(ctl.activity, (ClinicianMenu, CodeEntry))


def test_the_lock_grows_after_each_three_wrong_codes():
    assert [lock_minutes(n) for n in range(1, 13)] == [0, 0, 1, 0, 0, 5, 0, 0, 30, 0, 0, 30]


def test_wrong_codes_lock_the_entry_and_the_lock_survives_a_restart(make_controller, clock, store, caplog):
    ctl = make_controller()
    with caplog.at_level("INFO"):
        for _ in range(3):
            enter(ctl, WRONG)
            press(ctl, Key.SELECT)  # dismiss "wrong code" (the third locks instead)
    view = ctl.frame().view
    assert isinstance(ctl.activity, CodeEntry) and isinstance(view, CodeView) and view.locked_minutes == 1
    assert "wrong clinician code" in caplog.text and "down, down" not in caplog.text  # never the presses
    right_keys = [KEYS[name] for name in CODE]
    press(ctl, *right_keys[:-1])
    assert isinstance(ctl.activity, CodeEntry) and ctl.frame().view.entered == 0  # locked: not counted
    press(ctl, Key.BACK)  # back leaves the locked entry
    assert isinstance(ctl.activity, Home)
    restarted = make_controller()  # same database: the lock is still there
    enter(restarted, right_keys[:-1])
    assert isinstance(restarted.activity, CodeEntry) and restarted.frame().view.locked_minutes == 1
    clock.advance(61)
    press(restarted, Key.BACK)
    for _ in range(3):  # three more wrong: five minutes
        enter(restarted, WRONG)
        press(restarted, Key.SELECT)
    assert restarted.frame().view.locked_minutes == 5
    clock.advance(5 * 60 + 1)
    press(restarted, Key.BACK)
    for _ in range(3):  # and then half an hour
        enter(restarted, WRONG)
        press(restarted, Key.SELECT)
    assert restarted.frame().view.locked_minutes == 30
    clock.advance(30 * 60 + 1)
    press(restarted, Key.BACK)
    right(restarted)  # a right code opens and clears the count
    assert isinstance(restarted.activity, ClinicianMenu)
    assert store.code_lock().failures == 0


def test_hand_over_asks_twice_then_leaves_the_kiosk_as_on_first_boot(make_controller, store):
    store.save(SessionRecord("default", "left_foot", "tapping", 240, START, 6, Status.COMPLETED, pain_after=4,
                             active_seconds=240))
    ctl = make_controller()
    assert ctl.frame().view.done_today == 1
    right(ctl)
    choose(ctl, text.MENU_HAND_OVER)
    first = ctl.frame().view
    assert isinstance(first, ConfirmView) and first.selected == 0 and first.answers[0] == text.HAND_OVER_NO
    press(ctl, Key.SELECT)  # the safe answer: nothing happens
    assert isinstance(ctl.activity, ClinicianMenu) and len(store.sessions()) == 1
    choose(ctl, text.MENU_HAND_OVER)
    press(ctl, Key.DOWN, Key.SELECT)
    second = ctl.frame().view
    assert isinstance(second, ConfirmView) and second.selected == 0 and second.danger
    press(ctl, Key.DOWN, Key.SELECT)
    assert store.sessions() == [] and ctl.frame().view.title == text.HAND_OVER_DONE_TITLE
    press(ctl, Key.SELECT)
    home = ctl.frame().view
    assert isinstance(home, HomeView) and home.done_today == 0 and home.week == (False,) * 7


def test_the_export_names_the_drive_and_lets_the_clinician_choose_the_period(make_controller, tmp_path):
    drive = tmp_path / "KINGSTON"
    drive.mkdir()
    ctl = make_controller()
    ctl.find_drives = lambda: [drive]
    ctl.context.describe_drive = lambda path: ("KINGSTON", 14_200_000_000)
    right(ctl)
    choose(ctl, text.MENU_EXPORT)
    periods = ctl.frame().view
    assert isinstance(periods, ChoiceView) and [i.label for i in periods.items] == [
        text.export_period(28), text.export_period(90), text.export_period(None)]
    asked = []
    ctl.context.usb_export = lambda ctx, where, now, days: asked.append((where, days)) or (lambda progress: None)
    press(ctl, Key.DOWN, Key.SELECT)  # 90 days
    ask = ctl.frame().view
    assert isinstance(ask, ConfirmView) and ask.title == "Write to KINGSTON (14.2 GB)?" and ask.selected == 0
    press(ctl, Key.SELECT)  # "No": nothing is written
    assert asked == [] and isinstance(ctl.activity, ClinicianMenu)


def test_the_clinician_sets_a_level_at_a_visit(make_controller, store):
    ctl = make_controller(make_config(mode=Mode.GRADED, ladder=("tapping", "towel_rub", "ice_rub")))
    right(ctl)
    choose(ctl, text.MENU_SET_LEVEL)
    press(ctl, Key.SELECT)  # the first area
    levels = ctl.frame().view
    assert [i.label for i in levels.items] == ["Tapping", "Towel rub", "Ice rub"] and levels.selected == 0
    press(ctl, Key.DOWN, Key.DOWN, Key.SELECT)
    assert store.rung("default", "left_foot") == 2
    rows = store.db.execute("SELECT from_technique, to_technique, reason FROM rung_changes").fetchall()
    assert [tuple(r) for r in rows] == [("tapping", "ice_rub", RungReason.SET_BY_CLINICIAN.value)]


def test_problems_are_for_the_clinician_not_the_child(make_controller):
    ctl = make_controller()
    ctl.context.problems["config"] = "config.yaml:12: daily_target: 11 is too many (1-10)"
    right(ctl)
    choose(ctl, text.MENU_PROBLEMS)
    page = ctl.frame().view
    assert isinstance(page, InfoView) and not page.ok and "config.yaml:12" in page.lines[0]
    press(ctl, Key.SELECT)
    assert isinstance(ctl.activity, ClinicianMenu)


def test_the_home_check_in_can_be_turned_down(make_controller):
    config = make_config()
    ctl = make_controller(replace(config, checkins=replace(config.checkins, on_home=False)))
    assert ctl.frame().view.checkin_hint is False
    press(ctl, Key.UP)
    assert isinstance(ctl.activity, Home)  # up/down do nothing on home now
    press(ctl, Key.SELECT)
    assert not isinstance(ctl.activity, Home)


def test_after_a_hand_over_the_lock_is_gone_too(make_controller, clock, store):
    ctl = make_controller()
    for _ in range(3):
        enter(ctl, WRONG)
        press(ctl, Key.SELECT)
    assert store.code_lock().failures == 3
    clock.advance(61)
    press(ctl, Key.BACK)
    right(ctl)
    choose(ctl, text.MENU_HAND_OVER)
    press(ctl, Key.DOWN, Key.SELECT, Key.DOWN, Key.SELECT)
    assert store.code_lock().failures == 0 and store.code_lock().locked_until is None


def test_what_is_saved_here_from_the_progress_screen(make_controller):
    from kiosk.activities.home import History

    ctl = make_controller()
    press(ctl, Key.BACK)
    assert isinstance(ctl.activity, History)
    press(ctl, Key.SELECT)
    page = ctl.frame().view
    assert isinstance(page, InfoView) and page.title == text.SAVED_HERE_TITLE
    words = " ".join(page.lines)
    assert "365 days" in words and "only on this kiosk" in words and "therapist" in words
    press(ctl, Key.BACK)
    assert isinstance(ctl.activity, Home)


def test_the_log_carries_no_nickname_and_no_rating(make_controller, clock, caplog):
    from kiosk.config import Profile

    config = make_config()
    people = tuple(Profile(name, config.areas, config.techniques, config.session, 4) for name in ("Zoe", "Quincy"))
    with caplog.at_level("DEBUG"):
        ctl = make_controller(make_config(profiles=people))
        press(ctl, Key.DOWN, Key.SELECT)  # Quincy practises
        press(ctl, Key.SELECT, Key.SELECT, Key.SELECT, *[Key.UP] * 7, Key.SELECT)  # pain before 7
        clock.advance(30)
        ctl.tick()
        press(ctl, Key.BACK_HELD, Key.SELECT, Key.SELECT)  # stopped, rated, home
        press(ctl, Key.UP, *[Key.UP] * 9, Key.SELECT, Key.SELECT)  # a check-in of 9
        right(ctl)
        press(ctl, Key.BACK)
    logged = caplog.text
    assert logged  # it did log (profile switches, the session, the menu)
    assert "Zoe" not in logged and "Quincy" not in logged
    assert not any(word in logged for word in (" 7", " 9", "rating 7", "rating 9"))
