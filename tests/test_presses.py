"""The press interpreter on plain timestamps: debounce and the settle check, short and long
back, select on release (or on press where no chord can start), the clinician's chord,
arming, stuck buttons. No pins, no threads, no waiting."""

from __future__ import annotations

import logging

import pytest

from kiosk.devices.presses import NAMES, STUCK_SECONDS, Debouncer, Presses
from kiosk.events import Key


class FakeClock:
    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Panel:
    """A Presses driven on a fake timeline, collecting every key it gives."""

    def __init__(self, hold=2.0, bounce=0.05, chord=3.0, down_at_start=(), names=NAMES, start=100.0):
        self.t = start
        self.presses = Presses(names, now=start, bounce_seconds=bounce, hold_seconds=hold, chord_seconds=chord,
                               down_at_start=down_at_start)
        self.keys: list[Key] = []

    def at(self, seconds: float) -> Panel:
        """Move the time on (nothing is asked of the interpreter)."""
        self.t += seconds
        return self

    def down(self, name: str, after: float = 0.2) -> list[Key]:
        return self._edge(name, True, after)

    def up(self, name: str, after: float = 0.2) -> list[Key]:
        return self._edge(name, False, after)

    def tap(self, name: str) -> list[Key]:
        return self.down(name) + self.up(name)

    def due(self, after: float = 0.0, read=None) -> list[Key]:
        self.t += after
        keys = self.presses.due(self.t, read)
        self.keys += keys
        return keys

    def wait_for_next(self) -> list[Key]:
        """Sleep as the loop does, until the interpreter says something is due, then ask."""
        wait = self.presses.next_due(self.t)
        assert wait is not None, "nothing is due"
        return self.due(wait)

    def _edge(self, name: str, down: bool, after: float) -> list[Key]:
        self.t += after
        keys = self.presses.edge(name, down, self.t)
        self.keys += keys
        return keys


# --- Debouncer --------------------------------------------------------------------------


def test_debouncer_ignores_edges_inside_the_window():
    clock = FakeClock(10.0)
    debouncer = Debouncer(0.05, clock)
    assert debouncer.accept()  # the first edge always counts
    clock.advance(0.01)
    assert not debouncer.accept()
    clock.advance(0.03)  # 0.04 after the accepted edge: still inside
    assert not debouncer.accept()
    clock.advance(0.02)  # 0.06 after it: ignored edges did not extend the window
    assert debouncer.accept()
    clock.advance(0.049)
    assert not debouncer.accept()
    clock.advance(0.002)  # just past the window: accepted
    assert debouncer.accept()


def test_debouncer_remaining_and_mark():
    clock = FakeClock(0.0)
    debouncer = Debouncer(0.05, clock)
    assert debouncer.remaining() == 0.0
    debouncer.mark()
    clock.advance(0.02)
    assert debouncer.remaining() == pytest.approx(0.03)
    assert not debouncer.accept()
    clock.advance(1.0)
    assert debouncer.remaining() == 0.0


def test_debouncer_with_zero_window_accepts_everything():
    debouncer = Debouncer(0, FakeClock())
    assert all(debouncer.accept() for _ in range(5))


def test_debouncer_accepts_explicit_times():
    debouncer = Debouncer(0.05)
    assert debouncer.accept(now=1.0)
    assert not debouncer.accept(now=1.02)
    assert debouncer.accept(now=1.06)


# --- keys --------------------------------------------------------------------------------


def test_up_and_down_act_on_press():
    panel = Panel()
    assert panel.down("up") == [Key.UP]
    assert panel.up("up") == []
    panel.tap("down")
    assert panel.keys == [Key.UP, Key.DOWN]


def test_select_acts_on_release_where_a_chord_may_start():
    panel = Panel()
    assert panel.presses.chord_possible  # the safe default
    assert panel.down("select") == []
    assert panel.up("select") == [Key.SELECT]


def test_select_acts_on_press_where_no_chord_can_start():
    panel = Panel()
    panel.presses.chord_possible = False  # a running countdown: select pauses at once
    assert panel.down("select") == [Key.SELECT]
    assert panel.up("select") == []  # the release adds nothing


def test_the_mode_of_a_press_is_the_one_when_it_went_down():
    panel = Panel()
    panel.down("select")
    panel.presses.chord_possible = False  # the screen changed while select was down
    assert panel.up("select") == [Key.SELECT]
    panel.down("select")
    panel.presses.chord_possible = True
    assert panel.up("select") == []
    assert panel.keys == [Key.SELECT, Key.SELECT]


def test_buttons_are_debounced_independently():
    panel = Panel()
    panel.down("up")
    panel.down("down", after=0)  # same instant, another button: not bounce
    assert panel.keys == [Key.UP, Key.DOWN]


def test_back_short_press_gives_back_on_release_only():
    panel = Panel()
    assert panel.down("back") == []
    assert panel.up("back", after=0.3) == [Key.BACK]


def test_back_held_gives_back_held_once_and_no_back():
    panel = Panel(hold=2.0)
    panel.down("back")
    assert panel.presses.next_due(panel.t) == pytest.approx(2.0)
    assert panel.due(1.9) == []
    assert panel.due(0.1) == [Key.BACK_HELD]
    assert panel.presses.next_due(panel.t) is None  # one hold per press
    assert panel.due(10) == []
    assert panel.up("back") == []
    assert panel.keys == [Key.BACK_HELD]


def test_a_hold_that_nobody_asked_about_counts_at_the_release():
    """The loop was busy past the hold time: the release edge finds the hold due first."""
    panel = Panel(hold=0.6)
    panel.down("back")
    assert panel.up("back", after=0.8) == [Key.BACK_HELD]


def test_nothing_is_due_while_nothing_is_pressed():
    panel = Panel()
    assert panel.presses.next_due(panel.t) is None
    panel.tap("up")
    panel.tap("select")
    assert panel.presses.next_due(panel.t) is None


# --- bounce ------------------------------------------------------------------------------


def test_bounce_storm_gives_one_key():
    panel = Panel()
    panel.presses.chord_possible = False
    for _ in range(10):  # contact chatter, all within the 50 ms window
        panel.down("select", after=0.002)
        panel.up("select", after=0.002)
    panel.down("select", after=0.002)  # and it settles pressed
    assert panel.keys == [Key.SELECT]
    panel.wait_for_next()  # the settle check finds it down, as it is
    panel.up("select", after=0.3)
    assert panel.due(0.1) == []  # nothing to catch up with
    panel.tap("select")
    assert panel.keys == [Key.SELECT, Key.SELECT]
    assert not panel.presses.is_down("select")


def test_tap_whose_release_fell_in_the_window_is_not_left_pressed():
    """A very short back tap: the release edge is ignored as bounce, the settle check
    looks at the pin once the window is over and delivers the click."""
    panel = Panel()
    for _ in range(5):
        panel.down("back", after=0.003)
        panel.up("back", after=0.003)
    assert panel.keys == []
    assert panel.presses.next_due(panel.t) == pytest.approx(0.05 - 0.003 * 9 + 0.005)
    assert panel.wait_for_next() == [Key.BACK]
    assert panel.due(1.0) == []


def test_the_settle_check_believes_the_pin_over_the_last_edge():
    panel = Panel()
    panel.down("back")
    panel.up("back", after=0.01)  # ignored as bounce
    wait = panel.presses.next_due(panel.t)
    assert panel.due(wait, read=lambda name: True) == []  # the pin says still down: a press goes on
    assert panel.presses.is_down("back")
    assert panel.up("back", after=0.3) == [Key.BACK]


def test_bounce_storm_on_back_release_gives_one_back():
    panel = Panel()
    panel.down("back")
    panel.at(0.3)
    for _ in range(6):  # release chatter
        panel.up("back", after=0.002)
        panel.down("back", after=0.002)
    panel.up("back", after=0)
    panel.due(0.1)
    assert panel.keys == [Key.BACK]


def test_a_press_edge_while_down_ends_the_press_nobody_saw_end():
    panel = Panel()
    panel.down("back")
    panel.up("back", after=0.01)  # ignored; the settle check has not run
    assert panel.down("back", after=0.2) == [Key.BACK]  # the click we missed, then a new press
    assert panel.up("back") == [Key.BACK]


# --- arming and stuck buttons -------------------------------------------------------------


def test_button_down_at_start_is_ignored_until_released():
    panel = Panel(down_at_start=["select"])
    assert not panel.presses.is_down("select")
    panel.up("select", after=1)  # first release: arms, gives nothing
    assert panel.keys == []
    panel.tap("select")
    assert panel.keys == [Key.SELECT]


def test_back_down_at_start_neither_holds_nor_clicks():
    panel = Panel(hold=0.02, down_at_start=["back"])
    assert panel.presses.next_due(panel.t) is None  # no hold for a button not armed
    panel.up("back", after=0.15)
    assert panel.keys == []
    panel.down("back")
    assert panel.wait_for_next() == [Key.BACK_HELD]
    panel.up("back")
    assert panel.keys == [Key.BACK_HELD]


def test_a_button_down_for_long_is_reported_stuck():
    panel = Panel(down_at_start=["select"])
    assert panel.presses.stuck(60, panel.t) == []
    panel.at(61)
    assert panel.presses.stuck(60, panel.t) == ["select"]
    panel.down("up", after=0)  # up goes down now: not stuck yet
    panel.at(30)
    assert panel.presses.stuck(60, panel.t) == ["select"]
    panel.at(31)
    assert sorted(panel.presses.stuck(60, panel.t)) == ["select", "up"]
    panel.up("select", after=1)
    panel.up("up", after=0)
    assert panel.presses.stuck(60, panel.t) == []
    assert panel.keys == [Key.UP]  # the stuck select never acted


def test_a_select_freed_after_being_stuck_is_not_a_choice(caplog):
    panel = Panel()
    panel.down("select")
    with caplog.at_level(logging.INFO, logger="kiosk.devices.presses"):
        assert panel.up("select", after=STUCK_SECONDS + 0.1) == []
    assert "not a choice" in caplog.text
    panel.down("select")
    assert panel.up("select", after=STUCK_SECONDS - 1) == [Key.SELECT]  # a long press is still a press


def test_unknown_button_is_an_error():
    with pytest.raises(ValueError):
        Presses(["left"], now=0, bounce_seconds=0, hold_seconds=1, chord_seconds=1)


def test_an_encoder_may_take_the_place_of_up_and_down():
    panel = Panel(names=("select", "back"))
    assert panel.presses.names == ("select", "back")
    panel.tap("select")
    assert panel.keys == [Key.SELECT]


# --- the clinician's chord: select + back held together -----------------------------------


@pytest.mark.parametrize("first", ["select", "back"])
def test_a_chord_gives_clinician_only(first):
    """Where a chord may start, neither button acts: not the select, not the back."""
    panel = Panel(hold=5.0, chord=3.0)
    second = "back" if first == "select" else "select"
    panel.down(first)
    panel.down(second)
    assert panel.presses.next_due(panel.t) == pytest.approx(3.0)
    assert panel.wait_for_next() == [Key.CLINICIAN]
    assert panel.due(10) == []  # held on: no second CLINICIAN, no hold
    panel.up("back")
    panel.up("select")
    assert panel.keys == [Key.CLINICIAN]
    panel.tap("back")  # the next presses are ordinary clicks again
    panel.tap("select")
    assert panel.keys == [Key.CLINICIAN, Key.BACK, Key.SELECT]


def test_a_chord_given_up_early_gives_nothing_either():
    """Select and back down together, let go before the chord time: a release that ends
    a chord (or its start) does nothing."""
    panel = Panel(hold=5.0, chord=3.0)
    panel.down("select")
    panel.down("back")
    panel.up("select", after=1.0)
    panel.up("back")
    assert panel.due(10) == []
    assert panel.keys == []


def test_during_a_countdown_select_acts_at_once_and_the_chord_still_comes():
    panel = Panel(hold=5.0, chord=3.0)
    panel.presses.chord_possible = False
    panel.down("select")
    panel.down("back")
    assert panel.wait_for_next() == [Key.CLINICIAN]
    panel.up("back")
    panel.up("select")
    assert panel.keys == [Key.SELECT, Key.CLINICIAN]  # select on press; no BACK after the chord


def test_during_a_countdown_a_back_click_with_select_down_is_back():
    panel = Panel(hold=5.0, chord=0.15)
    panel.presses.chord_possible = False
    panel.down("select")
    panel.down("back")
    panel.up("back", after=0.1)  # let go before the chord time: a normal click
    assert panel.due(1.0) == []
    panel.down("back")  # again, select still down: a fresh chord
    assert panel.wait_for_next() == [Key.CLINICIAN]
    panel.up("select")
    panel.up("back")
    assert panel.keys == [Key.SELECT, Key.BACK, Key.CLINICIAN]


def test_back_held_during_a_chord_is_not_a_stop():
    """With the defaults (hold 2 s, chord 3 s) back's hold comes first; with select down it
    is the chord in the making, so no BACK_HELD (it would stop a running session)."""
    panel = Panel(hold=2.0, chord=3.0)
    panel.presses.chord_possible = False
    panel.down("select")
    panel.down("back")
    assert panel.due(2.0) == []  # the hold's time: swallowed
    assert panel.wait_for_next() == [Key.CLINICIAN]
    panel.up("back")
    panel.up("select")
    assert panel.keys == [Key.SELECT, Key.CLINICIAN]


def test_chord_shorter_than_the_hold_swallows_back_held():
    panel = Panel(hold=0.3, chord=0.05)
    panel.down("select")
    panel.down("back")
    assert panel.wait_for_next() == [Key.CLINICIAN]
    assert panel.due(0.4) == []  # the back press is already spent
    panel.up("back")
    panel.up("select")
    assert panel.keys == [Key.CLINICIAN]


def test_each_chord_fires_once():
    panel = Panel(hold=5.0, chord=0.05)
    for _ in range(2):
        panel.down("select")
        panel.down("back")
        panel.wait_for_next()
        panel.due(0.1)
        panel.up("select")
        panel.up("back")
    assert panel.keys == [Key.CLINICIAN] * 2


def test_chord_needs_both_buttons_armed():
    panel = Panel(hold=5.0, chord=0.05, down_at_start=["select"])  # jammed since before the start
    panel.down("back", after=1)
    assert panel.presses.next_due(panel.t) == pytest.approx(5.0)  # the hold only
    panel.up("back", after=0.2)
    assert panel.keys == [Key.BACK]


def test_chord_checks_the_pins_again_when_it_fires():
    """Back let go within the bounce window: the debounced state still says down, the pin
    says up; the chord must not fire, and the settle check delivers the click."""
    panel = Panel(hold=5.0, chord=0.02)
    panel.presses.chord_possible = False
    panel.down("select")
    panel.down("back")
    panel.up("back", after=0.01)  # ignored as bounce
    assert panel.due(0.01, read=lambda name: name == "select") == []  # the chord's time: pins disagree
    assert panel.wait_for_next() == [Key.BACK]  # the settle check
    assert panel.keys == [Key.SELECT, Key.BACK]


def test_chord_seconds_zero_disables_the_chord():
    panel = Panel(hold=5.0, chord=0)
    panel.presses.chord_possible = False
    panel.down("select")
    panel.down("back")
    assert panel.presses.next_due(panel.t) == pytest.approx(5.0)  # the hold, swallowed by select
    panel.up("back")
    assert panel.keys == [Key.SELECT, Key.BACK]


def test_things_fall_due_in_time_order():
    panel = Panel(hold=1.0, chord=3.0, bounce=0.05)
    panel.down("back")
    panel.down("up", after=0.9)
    panel.up("up", after=0.01)  # ignored: its settle check is due at 0.965, the hold at 1.0
    panel.down("down", after=0)
    assert panel.due(5) == [Key.BACK_HELD]
    assert panel.keys == [Key.UP, Key.DOWN, Key.BACK_HELD]
    assert not panel.presses.is_down("up")  # the settle check caught the release
