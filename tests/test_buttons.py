"""The buttons on gpiozero's mock pins: the wiring from pins to the press interpreter
(kiosk.devices.presses, tested on its own in test_presses.py) and on to the keys, the loop's
side of timed things (`due`, `next_due_in`, `wake`), the keyboard's mock pins, stuck
buttons, and the rotary encoder."""

from __future__ import annotations

import logging
import threading

import pytest
from gpiozero import Device
from gpiozero.exc import BadPinFactory, PinFactoryFallback
from gpiozero.pins.mock import MockFactory, MockPin

from kiosk.config import ButtonsConfig
from kiosk.devices import buttons, presses
from kiosk.devices.buttons import MOCK_NOTICE, ButtonPanel, make_pin_factory
from kiosk.events import Key

PINS = {"up": 17, "down": 27, "select": 22, "back": 23}


class FakeClock:
    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Sink:
    """Collects keys."""

    def __init__(self):
        self.keys: list[Key] = []

    def __call__(self, key: Key) -> None:
        self.keys.append(key)


class StuckLowPin(MockPin):
    """A mock pin whose button is held down: the pull-up does not lift it."""

    def _set_pull(self, value):
        super()._set_pull(value)
        self.drive_low()


@pytest.fixture
def factory():
    factory = MockFactory()
    yield factory
    factory.reset()
    factory.close()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_panel(factory, clock):
    panels = []

    def make(sink, hold_seconds=2.0, bounce_ms=50, use_clock=True, chord_seconds=3.0,
             encoder=None, wake=None):
        config = ButtonsConfig(
            hold_seconds=hold_seconds, bounce_ms=bounce_ms, chord_seconds=chord_seconds,
            encoder=encoder, **PINS,
        )
        kwargs = {"clock": clock} if use_clock else {}
        panel = ButtonPanel(config, sink, factory, wake=wake, **kwargs)
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        panel.close()


def pin(factory, name):
    return factory.pin(PINS[name])


def tap(factory, clock, name, gap=0.2):
    """A clean press and release, each edge well apart from the previous one."""
    clock.advance(gap)
    pin(factory, name).drive_low()
    clock.advance(gap)
    pin(factory, name).drive_high()


def wait_as_the_loop_does(panel, clock):
    """The loop sleeps until the panel says something is due, then asks for it."""
    wait = panel.next_due_in()
    assert wait is not None, "nothing is due"
    clock.advance(wait)
    panel.due()


# --- keys --------------------------------------------------------------------------------


def test_up_and_down_act_on_press_and_select_on_release(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    assert panel.chord_possible  # until the loop says otherwise
    clock.advance(1)
    pin(factory, "select").drive_low()
    assert sink.keys == []
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    assert sink.keys == [Key.SELECT]
    tap(factory, clock, "up")
    tap(factory, clock, "down")
    tap(factory, clock, "up")
    assert sink.keys == [Key.SELECT, Key.UP, Key.DOWN, Key.UP]


def test_select_acts_on_press_where_no_chord_can_start(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    panel.chord_possible = False  # as the loop sets it during a countdown
    clock.advance(1)
    pin(factory, "select").drive_low()
    assert sink.keys == [Key.SELECT]
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    assert sink.keys == [Key.SELECT]  # release adds nothing


def test_buttons_are_debounced_independently(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink)
    clock.advance(1)
    pin(factory, "up").drive_low()
    pin(factory, "down").drive_low()  # same instant, another button: not bounce
    assert sink.keys == [Key.UP, Key.DOWN]


def test_back_short_press_emits_back_on_release_only(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink)
    clock.advance(1)
    pin(factory, "back").drive_low()
    assert sink.keys == []
    clock.advance(0.3)
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.BACK]


def test_back_held_emits_back_held_when_the_loop_asks_and_no_back(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink, hold_seconds=2.0)
    assert panel.next_due_in() is None
    clock.advance(1)
    pin(factory, "back").drive_low()
    assert panel.next_due_in() == pytest.approx(2.0)
    clock.advance(1.9)
    panel.due()
    assert sink.keys == []
    wait_as_the_loop_does(panel, clock)
    assert sink.keys == [Key.BACK_HELD]
    clock.advance(0.5)
    pin(factory, "back").drive_high()
    panel.due()
    assert sink.keys == [Key.BACK_HELD]


def test_back_short_press_on_the_real_clock(factory, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, bounce_ms=0, use_clock=False)
    pin(factory, "back").drive_low()
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.BACK]


def test_an_edge_that_starts_something_timed_wakes_the_loop(factory, clock, make_panel):
    sink, wakes = Sink(), []
    make_panel(sink, wake=lambda: wakes.append(clock()))
    tap(factory, clock, "up")  # a key wakes the loop by itself
    assert wakes == []
    clock.advance(0.2)
    pin(factory, "back").drive_low()  # no key yet, but a hold to wait for
    assert len(wakes) == 1
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    assert len(wakes) == 1 and sink.keys == [Key.UP, Key.BACK]


def test_no_thread_runs_for_the_buttons(factory, clock, make_panel):
    """gpiozero's Button polls in a thread per button; the panel uses none."""
    before = threading.active_count()
    panel = make_panel(Sink())
    clock.advance(1)
    pin(factory, "back").drive_low()
    pin(factory, "select").drive_low()
    assert threading.active_count() == before
    panel.close()


# --- bounce ------------------------------------------------------------------------------


def test_bounce_storm_gives_one_key(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    panel.chord_possible = False
    select = pin(factory, "select")
    clock.advance(1)
    for _ in range(10):  # contact chatter, all within the 50 ms window
        select.drive_low()
        clock.advance(0.002)
        select.drive_high()
        clock.advance(0.002)
    select.drive_low()  # and it settles pressed
    assert sink.keys == [Key.SELECT]
    wait_as_the_loop_does(panel, clock)  # the settle check finds it down, as it is
    clock.advance(0.3)
    select.drive_high()
    assert panel.next_due_in() is None
    tap(factory, clock, "select")
    assert sink.keys == [Key.SELECT, Key.SELECT]
    assert not panel.presses.is_down("select")


def test_tap_whose_release_fell_in_the_window_is_not_left_pressed(factory, clock, make_panel):
    """A very short back tap: the release edge is ignored as bounce, the settle check
    reads the pin once the window is over and delivers the click."""
    sink = Sink()
    panel = make_panel(sink)
    back = pin(factory, "back")
    clock.advance(1)
    for _ in range(5):
        back.drive_low()
        clock.advance(0.003)
        back.drive_high()
        clock.advance(0.003)
    assert sink.keys == []
    wait_as_the_loop_does(panel, clock)
    assert sink.keys == [Key.BACK]
    assert panel.next_due_in() is None


def test_bounce_storm_on_back_release_gives_one_back(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    back = pin(factory, "back")
    clock.advance(1)
    back.drive_low()
    clock.advance(0.3)
    for _ in range(6):  # release chatter
        back.drive_high()
        clock.advance(0.002)
        back.drive_low()
        clock.advance(0.002)
    back.drive_high()
    wait_as_the_loop_does(panel, clock)
    assert sink.keys == [Key.BACK]


# --- stuck buttons -----------------------------------------------------------------------


def test_button_held_at_start_is_ignored_until_released(factory, clock, make_panel, caplog):
    factory.pin(PINS["select"], pin_class=StuckLowPin)
    sink = Sink()
    with caplog.at_level(logging.WARNING, logger="kiosk.devices.buttons"):
        make_panel(sink)
    assert "'select'" in caplog.text and "pressed at start" in caplog.text
    select = pin(factory, "select")
    assert select.state == 0
    clock.advance(1)
    select.drive_high()  # first release: arms, emits nothing
    assert sink.keys == []
    tap(factory, clock, "select")
    assert sink.keys == [Key.SELECT]


def test_back_held_at_start_neither_holds_nor_clicks(factory, clock, make_panel):
    factory.pin(PINS["back"], pin_class=StuckLowPin)
    sink = Sink()
    panel = make_panel(sink, hold_seconds=0.02)
    assert panel.next_due_in() is None
    clock.advance(0.15)
    panel.due()
    pin(factory, "back").drive_high()
    assert sink.keys == []
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    wait_as_the_loop_does(panel, clock)
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.BACK_HELD]


def test_other_buttons_work_while_one_is_stuck(factory, clock, make_panel):
    factory.pin(PINS["down"], pin_class=StuckLowPin)
    sink = Sink()
    make_panel(sink)
    tap(factory, clock, "up")
    tap(factory, clock, "select")
    assert sink.keys == [Key.UP, Key.SELECT]


def test_a_button_down_for_long_is_reported_stuck(factory, clock, make_panel):
    factory.pin(PINS["select"], pin_class=StuckLowPin)  # down before the kiosk starts
    sink = Sink()
    panel = make_panel(sink)
    assert panel.stuck(60) == []
    clock.advance(61)
    assert panel.stuck(60) == ["select"]
    pin(factory, "up").drive_low()  # up goes down now: not stuck yet
    clock.advance(30)
    assert panel.stuck(60) == ["select"]
    clock.advance(31)
    assert sorted(panel.stuck(60)) == ["select", "up"]
    clock.advance(1)
    pin(factory, "select").drive_high()
    pin(factory, "up").drive_high()
    assert panel.stuck(60) == []
    assert sink.keys == [Key.UP]  # the stuck select never acted


# --- desktop mode ------------------------------------------------------------------------


def test_press_and_release_drive_the_mock_pins(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    assert panel.is_mock
    clock.advance(1)
    panel.press("select")
    assert pin(factory, "select").state == 0  # pulled low = pressed
    clock.advance(0.2)
    panel.release("select")
    assert pin(factory, "select").state == 1
    assert sink.keys == [Key.SELECT]
    clock.advance(0.2)
    panel.press("back")
    clock.advance(0.2)
    panel.release("back")
    assert sink.keys == [Key.SELECT, Key.BACK]


def test_keyboard_autorepeat_does_not_repeat_keys(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    clock.advance(1)
    for _ in range(3):
        panel.press("down")  # already low: no edge
        clock.advance(0.2)
    assert sink.keys == [Key.DOWN]


def test_press_unknown_button_is_an_error(make_panel):
    panel = make_panel(Sink())
    with pytest.raises(ValueError):
        panel.press("left")


def test_on_real_pins_the_keyboard_gives_the_presses_without_touching_the_pins(factory, clock, make_panel):
    """A USB keypad beside wired buttons: its keys go through an interpreter of their own."""
    sink, wakes = Sink(), []
    panel = make_panel(sink, hold_seconds=2.0, chord_seconds=3.0, wake=lambda: wakes.append(clock()))
    panel.is_mock = False  # as on an lgpio factory
    clock.advance(1)
    panel.press("select")
    assert pin(factory, "select").state == 1  # the pin is not driven
    assert panel.is_down("select") and not panel.presses.is_down("select")
    panel.press("select")  # the key repeating: nothing more
    clock.advance(0.1)
    panel.release("select")
    panel.release("select")
    panel.press("up")
    panel.release("up")
    assert sink.keys == [Key.SELECT, Key.UP]
    clock.advance(0.2)
    panel.press("back")
    assert wakes  # the loop is woken to wait for the hold
    assert panel.next_due_in() == pytest.approx(2.0)
    wait_as_the_loop_does(panel, clock)
    panel.release("back")
    assert sink.keys == [Key.SELECT, Key.UP, Key.BACK_HELD]


def test_a_key_and_a_wired_button_make_the_chord_each_on_their_own(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink, hold_seconds=5.0, chord_seconds=3.0)
    panel.is_mock = False
    clock.advance(1)
    panel.press("select")  # Enter on the keypad...
    clock.advance(0.2)
    pin(factory, "back").drive_low()  # ...and the wired back button: not a chord
    clock.advance(3.5)
    panel.due()
    assert Key.CLINICIAN not in sink.keys
    pin(factory, "back").drive_high()
    panel.release("select")
    panel.press("select")
    panel.press("back")  # Enter + 0 on the keypad: the chord
    wait_as_the_loop_does(panel, clock)
    panel.release("back")
    panel.release("select")
    assert sink.keys == [Key.BACK, Key.SELECT, Key.CLINICIAN]


def test_a_key_held_down_is_reported_stuck(factory, clock, make_panel):
    panel = make_panel(Sink())
    panel.is_mock = False
    panel.press("down")
    clock.advance(61)
    assert panel.stuck(60) == ["down"]
    panel.release("down")
    assert panel.stuck(60) == []


# --- robustness --------------------------------------------------------------------------


def test_a_failing_sink_does_not_break_later_presses(factory, clock, make_panel, caplog):
    calls = []

    def sink(key):
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("queue gone")

    make_panel(sink)
    with caplog.at_level(logging.ERROR, logger="kiosk.devices.buttons"):
        tap(factory, clock, "select")  # must not raise into the pin driver
    assert "queue gone" in caplog.text
    tap(factory, clock, "up")
    tap(factory, clock, "back")
    assert calls == [Key.SELECT, Key.UP, Key.BACK]


def test_close_releases_pins_and_silences_callbacks(factory, clock):
    sink = Sink()
    config = ButtonsConfig(**PINS)
    panel = ButtonPanel(config, sink, factory, clock=clock)
    panel.close()
    panel.close()  # twice is fine
    panel.press("select")  # after close: nothing, no error
    assert sink.keys == []
    again = ButtonPanel(config, sink, factory, clock=clock)  # pins are free again
    tap(factory, clock, "select")
    assert sink.keys == [Key.SELECT]
    again.close()


def test_panel_creation_failure_releases_the_pins(factory, clock):
    config = ButtonsConfig(up=17, down=27, select=17, back=23)  # two buttons on one pin
    with pytest.raises(Exception):
        ButtonPanel(config, Sink(), factory, clock=clock)
    ButtonPanel(ButtonsConfig(**PINS), Sink(), factory, clock=clock).close()


# --- pin factory -------------------------------------------------------------------------


def test_pin_factory_from_environment_is_mock():
    # conftest sets GPIOZERO_PIN_FACTORY=mock
    factory, is_mock = make_pin_factory(logging.getLogger("test"))
    try:
        assert isinstance(factory, MockFactory)
        assert is_mock
    finally:
        factory.close()


def test_named_pin_factory_that_fails_is_loud(monkeypatch):
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "nosuchfactory")
    with pytest.raises(BadPinFactory):
        make_pin_factory(logging.getLogger("test"))


def test_no_gpio_falls_back_to_mock_quietly(monkeypatch, caplog, recwarn):
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)

    def no_gpio():
        import warnings

        warnings.warn(PinFactoryFallback("Falling back from lgpio: No module named 'lgpio'"))
        raise BadPinFactory("Unable to load any default pin factory!")

    monkeypatch.setattr(Device, "_default_pin_factory", staticmethod(no_gpio))
    with caplog.at_level(logging.DEBUG, logger="test"):
        factory, is_mock = make_pin_factory(logging.getLogger("test"))
    try:
        assert isinstance(factory, MockFactory) and is_mock
        infos = [r for r in caplog.records if r.levelno == logging.INFO]
        assert [r.getMessage() for r in infos] == [MOCK_NOTICE]
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(recwarn) == 0  # gpiozero's fallback warnings are not printed
    finally:
        factory.close()


def test_default_pin_factory_is_used_when_it_works(monkeypatch, caplog):
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    real = object()
    monkeypatch.setattr(Device, "_default_pin_factory", staticmethod(lambda: real))
    with caplog.at_level(logging.INFO, logger="test"):
        factory, is_mock = make_pin_factory(logging.getLogger("test"))
    assert factory is real and not is_mock
    assert MOCK_NOTICE not in caplog.text


def test_module_does_not_import_pygame():
    import ast
    import inspect

    imported = set()
    for node in ast.walk(ast.parse(inspect.getsource(buttons))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert "gpiozero" in imported
    assert "pygame" not in imported


def test_modules_import_what_they_should():
    """The wiring imports gpiozero and no pygame; the interpreter imports neither, nor threads."""
    import ast
    import inspect

    def imports(module):
        found = set()
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                found.add((node.module or "").split(".")[0])
        return found

    assert "gpiozero" in imports(buttons) and "pygame" not in imports(buttons)
    assert not {"gpiozero", "pygame", "threading"} & imports(presses)


# --- the clinician's chord on the pins -----------------------------------------------------


def test_a_chord_on_the_pins_gives_clinician_and_nothing_else(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink, hold_seconds=2.0, chord_seconds=3.0)
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    clock.advance(2.0)
    panel.due()  # back's hold time: the chord in the making, not a stop
    assert sink.keys == []
    wait_as_the_loop_does(panel, clock)
    assert sink.keys == [Key.CLINICIAN]
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    panel.due()
    assert sink.keys == [Key.CLINICIAN]
    tap(factory, clock, "back")  # the next back press is an ordinary click again
    assert sink.keys == [Key.CLINICIAN, Key.BACK]


def test_during_a_countdown_the_chord_comes_after_the_select(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink, hold_seconds=5.0, chord_seconds=3.0)
    panel.chord_possible = False
    clock.advance(1)
    pin(factory, "back").drive_low()
    clock.advance(0.2)
    pin(factory, "select").drive_low()
    wait_as_the_loop_does(panel, clock)
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.SELECT, Key.CLINICIAN]


def test_chord_reads_the_pins_again_when_it_fires(factory, clock, make_panel):
    """Back let go within the bounce window: the debounced state still says down, the pin
    says up; the chord must not fire, and the settle check delivers the click."""
    sink = Sink()
    panel = make_panel(sink, hold_seconds=5.0, chord_seconds=0.02)
    panel.chord_possible = False
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    clock.advance(0.01)
    pin(factory, "back").drive_high()  # ignored as bounce
    wait_as_the_loop_does(panel, clock)  # the chord's time
    assert Key.CLINICIAN not in sink.keys
    wait_as_the_loop_does(panel, clock)  # the settle check
    assert sink.keys == [Key.SELECT, Key.BACK]


def test_close_cancels_a_pending_chord(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink, hold_seconds=0.3, chord_seconds=0.2)
    panel.chord_possible = False
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    panel.close()
    assert panel.next_due_in() is None
    clock.advance(1)
    panel.due()
    assert sink.keys == [Key.SELECT]


def test_the_default_chord_is_three_seconds():
    assert ButtonsConfig().chord_seconds == 3.0
    assert ButtonsConfig().hold_seconds < ButtonsConfig().chord_seconds  # BACK_HELD comes first


# --- rotary encoder ----------------------------------------------------------------------

ENCODER = (5, 6)


def quadrature(factory, a, b, clockwise=True):
    """One detent by hand, as gpiozero's RotaryEncoder expects it: from rest (both pins
    pulled high) the leading pin goes low, then the other, then the leading one comes back
    up, then the other (codes 0, 2, 3, 1, 0 clockwise with A as the high bit)."""
    first, second = (a, b) if clockwise else (b, a)
    factory.pin(first).drive_low()
    factory.pin(second).drive_low()
    factory.pin(first).drive_high()
    factory.pin(second).drive_high()


def test_encoder_clockwise_is_next_and_anticlockwise_previous(factory, make_panel):
    sink = Sink()
    panel = make_panel(sink, encoder=ENCODER)
    assert panel.encoder is not None
    quadrature(factory, *ENCODER, clockwise=True)
    assert sink.keys == [Key.NEXT]
    quadrature(factory, *ENCODER, clockwise=True)
    quadrature(factory, *ENCODER, clockwise=False)
    assert sink.keys == [Key.NEXT, Key.NEXT, Key.PREVIOUS]


def test_encoder_half_a_detent_and_back_gives_nothing(factory, make_panel):
    sink = Sink()
    make_panel(sink, encoder=ENCODER)
    a, b = (factory.pin(p) for p in ENCODER)
    a.drive_low()  # starts clockwise...
    b.drive_low()
    b.drive_high()  # ...wobbles...
    a.drive_high()  # ...and settles back where it was
    assert sink.keys == []
    quadrature(factory, *ENCODER, clockwise=False)
    assert sink.keys == [Key.PREVIOUS]


def test_turn_drives_the_mock_encoder(factory, make_panel):
    sink = Sink()
    panel = make_panel(sink, encoder=ENCODER)
    panel.turn(3)
    panel.turn(-2)
    panel.turn(0)
    assert sink.keys == [Key.NEXT] * 3 + [Key.PREVIOUS] * 2
    assert all(factory.pin(p).state for p in ENCODER)  # back at rest


def test_up_and_down_buttons_still_work_with_an_encoder(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink, encoder=ENCODER)
    tap(factory, clock, "up")
    quadrature(factory, *ENCODER)
    tap(factory, clock, "down")
    assert sink.keys == [Key.UP, Key.NEXT, Key.DOWN]


def test_encoder_on_the_up_down_pins_replaces_those_buttons(factory, clock, make_panel, caplog):
    sink = Sink()
    with caplog.at_level(logging.INFO, logger="kiosk.devices.buttons"):
        panel = make_panel(sink, encoder=(PINS["up"], PINS["down"]))
    assert "rotary encoder" in caplog.text
    assert sorted(panel.presses.names) == ["back", "select"]
    panel.press("up")  # no up button any more: nothing, no error
    panel.turn(1)
    tap(factory, clock, "select")
    assert sink.keys == [Key.NEXT, Key.SELECT]


def test_no_encoder_by_default(factory, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    assert panel.encoder is None
    panel.turn(2)  # a no-op
    assert sink.keys == []


def test_turn_is_a_noop_on_real_pins(factory, make_panel):
    sink = Sink()
    panel = make_panel(sink, encoder=ENCODER)
    panel.is_mock = False
    panel.turn(1)
    assert sink.keys == []


def test_close_releases_the_encoder(factory, clock):
    sink = Sink()
    config = ButtonsConfig(encoder=ENCODER, **PINS)
    panel = ButtonPanel(config, sink, factory, clock=clock)
    encoder = panel.encoder
    panel.close()
    assert encoder.closed
    quadrature(factory, *ENCODER)
    assert sink.keys == []
    again = ButtonPanel(config, sink, factory, clock=clock)  # the pins are free again
    quadrature(factory, *ENCODER)
    assert sink.keys == [Key.NEXT]
    again.close()


def test_encoder_on_a_button_pin_fails_and_releases_the_pins(factory, clock):
    config = ButtonsConfig(encoder=(PINS["select"], 6), **PINS)
    with pytest.raises(Exception):
        ButtonPanel(config, Sink(), factory, clock=clock)
    ButtonPanel(ButtonsConfig(encoder=ENCODER, **PINS), Sink(), factory, clock=clock).close()


def test_a_failing_sink_does_not_break_the_encoder(factory, make_panel, caplog):
    calls = []

    def sink(key):
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("queue gone")

    panel = make_panel(sink, encoder=ENCODER)
    with caplog.at_level(logging.ERROR, logger="kiosk.devices.buttons"):
        panel.turn(1)
    assert "queue gone" in caplog.text
    panel.turn(-1)
    assert calls == [Key.NEXT, Key.PREVIOUS]
