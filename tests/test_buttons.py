"""The buttons on gpiozero's mock pins: keys, debounce, short/long back, stuck buttons,
the clinician's chord (select + back held) and the rotary encoder."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from gpiozero import Device
from gpiozero.exc import BadPinFactory, PinFactoryFallback
from gpiozero.pins.mock import MockFactory, MockPin

from kiosk.config import ButtonsConfig
from kiosk.devices import buttons
from kiosk.devices.buttons import MOCK_NOTICE, ButtonPanel, Debouncer, make_pin_factory
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
    """Collects keys; `wait_for` blocks (bounded) until a given key arrives."""

    def __init__(self):
        self.keys: list[Key] = []
        self._changed = threading.Condition()

    def __call__(self, key: Key) -> None:
        with self._changed:
            self.keys.append(key)
            self._changed.notify_all()

    def wait_for(self, key: Key, timeout: float = 2.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: key in self.keys, timeout)


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
             encoder=None):
        config = ButtonsConfig(
            hold_seconds=hold_seconds, bounce_ms=bounce_ms, chord_seconds=chord_seconds,
            encoder=encoder, **PINS,
        )
        kwargs = {"clock": clock} if use_clock else {}
        panel = ButtonPanel(config, sink, factory, **kwargs)
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


def wait_until(predicate, timeout=2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


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


def test_select_up_down_emit_on_press(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink)
    clock.advance(1)
    pin(factory, "select").drive_low()
    assert sink.keys == [Key.SELECT]
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    assert sink.keys == [Key.SELECT]  # release adds nothing
    tap(factory, clock, "up")
    tap(factory, clock, "down")
    tap(factory, clock, "up")
    assert sink.keys == [Key.SELECT, Key.UP, Key.DOWN, Key.UP]


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


def test_back_held_emits_back_held_and_no_back(factory, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=0.05, use_clock=False)
    pin(factory, "back").drive_low()
    assert sink.wait_for(Key.BACK_HELD), "BACK_HELD never came"
    pin(factory, "back").drive_high()
    time.sleep(0.1)  # give a wrong BACK (or a second hold) a chance to show up
    assert sink.keys == [Key.BACK_HELD]


def test_back_short_press_with_real_clock(factory, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, use_clock=False)
    pin(factory, "back").drive_low()
    time.sleep(0.08)
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.BACK]


# --- bounce ------------------------------------------------------------------------------


def test_bounce_storm_gives_one_key(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    select = pin(factory, "select")
    clock.advance(1)
    for _ in range(10):  # contact chatter, all within the 50 ms window
        select.drive_low()
        clock.advance(0.002)
        select.drive_high()
        clock.advance(0.002)
    select.drive_low()  # and it settles pressed
    assert sink.keys == [Key.SELECT]
    clock.advance(0.3)
    select.drive_high()
    time.sleep(0.1)  # the settle check runs and finds nothing to catch up with
    assert sink.keys == [Key.SELECT]
    tap(factory, clock, "select")
    assert sink.keys == [Key.SELECT, Key.SELECT]
    assert panel._states["select"].down is False


def test_tap_whose_release_fell_in_the_window_is_not_left_pressed(factory, clock, make_panel):
    """A very short back tap: the release edge is ignored as bounce, the settle check
    reads the pin once the window is over and delivers the click."""
    sink = Sink()
    make_panel(sink)
    back = pin(factory, "back")
    clock.advance(1)
    for _ in range(5):
        back.drive_low()
        clock.advance(0.003)
        back.drive_high()
        clock.advance(0.003)
    assert sink.keys == []
    clock.advance(0.1)  # the window is over by the time the settle timer fires
    assert wait_until(lambda: sink.keys == [Key.BACK])
    time.sleep(0.08)
    assert sink.keys == [Key.BACK]


def test_bounce_storm_on_back_release_gives_one_back(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink)
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
    time.sleep(0.1)
    assert sink.keys == [Key.BACK]


# --- stuck buttons -----------------------------------------------------------------------


def test_button_held_at_start_is_ignored_until_released(factory, clock, make_panel, caplog):
    factory.pin(PINS["select"], pin_class=StuckLowPin)
    sink = Sink()
    with caplog.at_level(logging.WARNING, logger="kiosk.devices.buttons"):
        panel = make_panel(sink)
    assert "'select'" in caplog.text and "pressed at start" in caplog.text
    select = pin(factory, "select")
    assert panel._states["select"].button.is_pressed
    clock.advance(1)
    select.drive_high()  # first release: arms, emits nothing
    assert sink.keys == []
    tap(factory, clock, "select")
    assert sink.keys == [Key.SELECT]


def test_back_held_at_start_neither_holds_nor_clicks(factory, make_panel):
    factory.pin(PINS["back"], pin_class=StuckLowPin)
    sink = Sink()
    make_panel(sink, hold_seconds=0.02, use_clock=False)
    time.sleep(0.15)  # gpiozero may fire when_held for it: ignored
    pin(factory, "back").drive_high()
    time.sleep(0.06)
    assert sink.keys == []
    pin(factory, "back").drive_low()
    assert sink.wait_for(Key.BACK_HELD)
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.BACK_HELD]


def test_other_buttons_work_while_one_is_stuck(factory, clock, make_panel):
    factory.pin(PINS["down"], pin_class=StuckLowPin)
    sink = Sink()
    make_panel(sink)
    tap(factory, clock, "up")
    tap(factory, clock, "select")
    assert sink.keys == [Key.UP, Key.SELECT]


# --- desktop mode ------------------------------------------------------------------------


def test_press_and_release_drive_the_mock_pins(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    assert panel.is_mock
    clock.advance(1)
    panel.press("select")
    assert pin(factory, "select").state == 0  # pulled low = pressed
    assert sink.keys == [Key.SELECT]
    clock.advance(0.2)
    panel.release("select")
    assert pin(factory, "select").state == 1
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


def test_press_is_a_noop_on_real_pins(factory, clock, make_panel):
    sink = Sink()
    panel = make_panel(sink)
    panel.is_mock = False  # as on an lgpio factory
    clock.advance(1)
    panel.press("select")
    assert pin(factory, "select").state == 1
    assert sink.keys == []


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


# --- the clinician's chord: select + back held together -----------------------------------

CHORD = 0.05  # seconds: tiny, so the tests stay fast


def test_chord_emits_clinician_once_and_the_back_release_is_consumed(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, chord_seconds=CHORD)
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    assert sink.wait_for(Key.CLINICIAN), "CLINICIAN never came"
    time.sleep(CHORD * 3)  # held on: no second CLINICIAN
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    time.sleep(0.05)
    assert sink.keys == [Key.SELECT, Key.CLINICIAN]  # select acts on press; no BACK after
    tap(factory, clock, "back")  # the next back press is an ordinary click again
    assert sink.keys == [Key.SELECT, Key.CLINICIAN, Key.BACK]


def test_chord_with_back_pressed_first(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, chord_seconds=CHORD)
    clock.advance(1)
    pin(factory, "back").drive_low()
    clock.advance(0.2)
    pin(factory, "select").drive_low()
    assert sink.wait_for(Key.CLINICIAN)
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    time.sleep(0.05)
    assert sink.keys == [Key.SELECT, Key.CLINICIAN]


def test_back_held_during_a_chord_is_not_a_stop(factory, make_panel):
    """With the defaults (hold 2 s, chord 3 s) back's hold comes first; with select down it
    is the chord in the making, so no BACK_HELD (it would stop a running session).
    Real clock: both timers run in real time here."""
    sink = Sink()
    make_panel(sink, hold_seconds=0.05, chord_seconds=0.25, use_clock=False)
    pin(factory, "select").drive_low()
    time.sleep(0.06)  # past the bounce window of the real clock
    pin(factory, "back").drive_low()
    assert sink.wait_for(Key.CLINICIAN)
    pin(factory, "back").drive_high()
    pin(factory, "select").drive_high()
    time.sleep(0.05)
    assert sink.keys == [Key.SELECT, Key.CLINICIAN]


def test_chord_shorter_than_the_hold_swallows_back_held(factory, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=0.3, chord_seconds=CHORD, use_clock=False)
    pin(factory, "select").drive_low()
    time.sleep(0.06)
    pin(factory, "back").drive_low()
    assert sink.wait_for(Key.CLINICIAN)
    time.sleep(0.4)  # gpiozero's hold fires meanwhile: the back press is already spent
    pin(factory, "back").drive_high()
    pin(factory, "select").drive_high()
    assert sink.keys == [Key.SELECT, Key.CLINICIAN]


def test_letting_go_before_the_chord_time_cancels_it(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, chord_seconds=0.15)
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_high()  # a normal back click while select is down
    time.sleep(0.3)  # well past the chord time
    assert sink.keys == [Key.SELECT, Key.BACK]
    clock.advance(0.2)
    pin(factory, "back").drive_low()  # again, still holding select: a fresh chord
    assert sink.wait_for(Key.CLINICIAN)
    clock.advance(0.2)
    pin(factory, "select").drive_high()
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    time.sleep(0.05)
    assert sink.keys == [Key.SELECT, Key.BACK, Key.CLINICIAN]


def test_each_chord_fires_once(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, chord_seconds=CHORD)
    for _ in range(2):
        clock.advance(0.2)
        pin(factory, "select").drive_low()
        clock.advance(0.2)
        pin(factory, "back").drive_low()
        assert wait_until(lambda: sink.keys.count(Key.CLINICIAN) == _ + 1)
        time.sleep(CHORD * 2)
        clock.advance(0.2)
        pin(factory, "select").drive_high()
        clock.advance(0.2)
        pin(factory, "back").drive_high()
    assert sink.keys == [Key.SELECT, Key.CLINICIAN] * 2


def test_chord_needs_both_buttons_armed(factory, clock, make_panel):
    factory.pin(PINS["select"], pin_class=StuckLowPin)  # jammed since before the start
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, chord_seconds=CHORD)
    clock.advance(1)
    pin(factory, "back").drive_low()
    time.sleep(CHORD * 3)
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.BACK]


def test_chord_checks_the_pins_again_when_it_fires(factory, clock, make_panel):
    """Back let go within the bounce window: the debounced state still says down, the pin
    says up; the chord must not fire, and the settle check delivers the click."""
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, chord_seconds=0.02)
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    clock.advance(0.01)
    pin(factory, "back").drive_high()  # ignored as bounce (the fake clock stands still)
    time.sleep(0.1)  # the chord timer fires meanwhile
    assert Key.CLINICIAN not in sink.keys
    clock.advance(0.1)  # now the settle check may act
    assert wait_until(lambda: Key.BACK in sink.keys)
    assert sink.keys == [Key.SELECT, Key.BACK]


def test_close_cancels_a_pending_chord(factory, clock, make_panel):
    sink = Sink()
    # (gpiozero's close() waits out the hold time of a button that is down: keep it short)
    panel = make_panel(sink, hold_seconds=0.3, chord_seconds=0.2)
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    panel.close()
    time.sleep(0.3)
    assert sink.keys == [Key.SELECT]


def test_chord_seconds_zero_disables_the_chord(factory, clock, make_panel):
    sink = Sink()
    make_panel(sink, hold_seconds=5.0, chord_seconds=0)
    clock.advance(1)
    pin(factory, "select").drive_low()
    clock.advance(0.2)
    pin(factory, "back").drive_low()
    time.sleep(0.05)
    clock.advance(0.2)
    pin(factory, "back").drive_high()
    assert sink.keys == [Key.SELECT, Key.BACK]


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
    assert sorted(panel._states) == ["back", "select"]
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
