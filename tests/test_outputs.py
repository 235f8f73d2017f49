"""The status LED and the buzzer on gpiozero's mock pins: every wait is bounded and short."""

from __future__ import annotations

import logging
import time

import pytest
from gpiozero import Button
from gpiozero.pins.mock import MockFactory, MockPin, MockPWMPin
from gpiozero.tones import Tone

from kiosk.config import OutputsConfig
from kiosk.devices import outputs
from kiosk.devices.outputs import PATTERNS, TUNES, Beeper, StatusLight, make_outputs
from kiosk.events import Cue

LED = 12
BUZZER = 13


class RecordingPWMPin(MockPWMPin):
    """A PWM mock pin that keeps every (time, frequency, duty) it is set to."""

    def __init__(self, factory, info):
        self.log: list[tuple[float, float | None, float]] = []
        super().__init__(factory, info)

    def _set_frequency(self, value):
        super()._set_frequency(value)
        self.log.append((time.monotonic(), value, self._state))

    def _change_state(self, value):
        changed = super()._change_state(value)
        self.log.append((time.monotonic(), getattr(self, "_frequency", None), value))
        return changed

    def frequencies(self) -> list[float | None]:
        """The tones in the order they sounded (None = silence), repeats collapsed."""
        heard: list[float | None] = []
        for _, frequency, duty in list(self.log):
            tone = frequency if frequency is not None and duty > 0 else None
            if not heard or heard[-1] != tone:
                heard.append(tone)
        return heard


@pytest.fixture
def factory():
    factory = MockFactory()
    yield factory
    factory.reset()
    factory.close()


@pytest.fixture
def closing():
    """Close whatever a test made, even when it fails."""
    things = []
    yield things.append
    for thing in things:
        thing.close()


def wait_until(predicate, timeout=2.0, step=0.005):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def sample(read, seconds, step=0.02):
    values = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        values.append(read())
        time.sleep(step)
    return values


def hz(note: str) -> float:
    return Tone(note).frequency


def in_order(heard, wanted):
    """`wanted` appears in `heard` as a subsequence."""
    it = iter(heard)
    return all(any(h is not None and abs(h - w) < 0.5 for h in it) for w in wanted)


# --- the status light --------------------------------------------------------------------


def test_light_starts_dark_and_off_stays_dark(factory, closing):
    light = StatusLight(LED, factory)
    closing(light)
    assert light.mode == "off"
    assert light.value == 0
    light.set("off")
    assert max(sample(lambda: light.value, 0.1)) == 0
    assert factory.pin_class is MockPin  # the PWM pin class was only borrowed
    assert isinstance(factory.pin(LED, pin_class=MockPWMPin), MockPWMPin)


def test_session_is_a_slow_pulse(factory, closing):
    light = StatusLight(LED, factory)
    closing(light)
    light.set("session")
    values = sample(lambda: light.value, 0.4)
    assert len(set(values)) >= 3, values  # it moves...
    assert values[-1] > values[0]  # ...fading in...
    assert max(values) < 0.5  # ...slowly: 1.5 s to full brightness


def test_attention_is_a_fast_pulse(factory, closing):
    light = StatusLight(LED, factory)
    closing(light)
    light.set("attention")
    assert wait_until(lambda: light.value > 0.8, timeout=1.0), "never got bright"
    assert wait_until(lambda: light.value < 0.2, timeout=1.0), "never faded out again"
    assert wait_until(lambda: light.value > 0.8, timeout=1.0), "did not pulse again"


def test_off_after_a_pulse_is_dark_at_once(factory, closing):
    light = StatusLight(LED, factory)
    closing(light)
    light.set("attention")
    assert wait_until(lambda: light.value > 0.3, timeout=1.0)
    light.set("off")
    assert light.mode == "off"
    assert max(sample(lambda: light.value, 0.1)) == 0


def test_setting_the_mode_it_shows_does_not_restart_the_pulse(factory, closing, monkeypatch):
    light = StatusLight(LED, factory)
    closing(light)
    calls = []
    real_pulse = light._led.pulse
    monkeypatch.setattr(light._led, "pulse", lambda **kw: (calls.append(kw), real_pulse(**kw)))
    light.set("session")
    time.sleep(0.2)
    before = light.value
    for _ in range(20):  # the app calls set() on every turn of its loop
        light.set("session")
    time.sleep(0.05)
    assert len(calls) == 1
    assert light.value >= before > 0  # still fading in, not back at 0
    light.set("attention")
    light.set("attention")
    assert len(calls) == 2
    assert calls[1] == {"fade_in_time": 0.3, "fade_out_time": 0.3, "background": True}


def test_unknown_mode_is_an_error(factory, closing):
    light = StatusLight(LED, factory)
    closing(light)
    with pytest.raises(ValueError):
        light.set("disco")


def test_light_close_releases_the_pin_and_later_sets_do_nothing(factory):
    light = StatusLight(LED, factory)
    light.set("session")
    light.close()
    light.close()  # twice is fine
    assert light.value == 0
    light.set("attention")  # after close: no exception, no pulse thread on a closed pin
    light.set("session")
    assert light.mode == "off"
    StatusLight(LED, factory).close()  # the pin is free again


def test_a_gpio_failure_in_set_is_logged_once(factory, closing, monkeypatch, caplog):
    light = StatusLight(LED, factory)
    closing(light)

    def broken(**kwargs):
        raise RuntimeError("PWM gone")

    monkeypatch.setattr(light._led, "pulse", broken)
    with caplog.at_level(logging.WARNING, logger="kiosk.devices.outputs"):
        light.set("session")
        light.set("attention")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "PWM gone" in warnings[0]
    assert light.mode == "off"  # it never showed


def test_light_on_a_pwm_mock_factory(closing):
    factory = MockFactory(pin_class=MockPWMPin)
    try:
        light = StatusLight(LED, factory)
        closing(light)
        light.set("attention")
        assert wait_until(lambda: light.value > 0.3, timeout=1.0)
        assert factory.pin_class is MockPWMPin
    finally:
        light.close()
        factory.reset()
        factory.close()


# --- the tonal buzzer --------------------------------------------------------------------


@pytest.fixture
def tonal(factory, closing):
    pin = factory.pin(BUZZER, pin_class=RecordingPWMPin)
    beeper = Beeper(BUZZER, factory, tonal=True)
    closing(beeper)
    return beeper, pin


def test_tonal_end_plays_three_descending_notes_without_blocking(tonal):
    beeper, pin = tonal
    started = time.monotonic()
    beeper.play(Cue.END)
    assert time.monotonic() - started < 0.05  # returns at once
    wanted = [hz("G5"), hz("E5"), hz("C5")]
    assert wait_until(lambda: pin.frequency is not None, timeout=0.5), "no tone started"
    assert wait_until(lambda: in_order(pin.frequencies(), wanted) and pin.frequency is None,
                      timeout=2.0), pin.frequencies()
    assert pin.frequencies()[-1] is None  # silent at the end


def test_a_new_cue_cuts_the_playing_one_short(tonal):
    beeper, pin = tonal
    beeper.play(Cue.END)
    beeper.play(Cue.STEP)
    assert wait_until(lambda: pin.frequency is None and hz("G5") in pin.frequencies(),
                      timeout=1.0)
    time.sleep(0.3)  # END's later notes would have come by now
    heard = pin.frequencies()
    assert hz("E5") not in heard and hz("C5") not in heard, heard


def test_soft_cues_use_a_smaller_duty(tonal):
    beeper, pin = tonal
    beeper.play(Cue.CHECKIN)
    assert wait_until(lambda: any(f == hz("C5") for _, f, _ in pin.log), timeout=0.5)
    assert wait_until(lambda: pin.frequency is None, timeout=1.0)
    duties = {duty for _, f, duty in pin.log if f is not None and duty > 0}
    assert duties and max(duties) < 0.5


def test_every_cue_has_a_tune_the_buzzer_can_play(tonal):
    beeper, _ = tonal
    assert set(TUNES) == set(Cue)
    low, high = beeper._device.min_tone.frequency, beeper._device.max_tone.frequency
    for cue, tune in TUNES.items():
        notes = [note for note, seconds, _ in tune if note is not None]
        assert notes, cue
        assert all(low <= hz(n) <= high for n in notes), cue
        assert sum(seconds for _, seconds, _ in tune) < 1.0, cue  # short


def test_tunes_follow_the_chimes():
    def pitches(cue):
        return [hz(note) for note, _, _ in TUNES[cue] if note is not None]

    start, step, half, end = (pitches(c) for c in (Cue.START, Cue.STEP, Cue.HALF, Cue.END))
    assert len(start) == 2 and start[0] < start[1]  # two rising
    assert len(step) == 1
    assert len(half) == 2 and half[0] == half[1]  # two equal
    assert len(end) == 3 and end[0] > end[1] > end[2]  # three descending
    assert 2 <= len(pitches(Cue.REMINDER)) <= 3
    assert len(pitches(Cue.CHECKIN)) == 1


def test_tonal_play_never_raises(tonal, monkeypatch, caplog):
    beeper, pin = tonal

    def broken(value):
        raise RuntimeError("PWM gone")

    monkeypatch.setattr(pin, "_set_frequency", broken)
    with caplog.at_level(logging.WARNING, logger="kiosk.devices.outputs"):
        beeper.play(Cue.START)
        beeper.play(Cue.END)
        time.sleep(0.1)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "PWM gone" in warnings[0].getMessage()
    monkeypatch.undo()
    beeper.play(Cue.STEP)  # the thread survived
    assert wait_until(lambda: hz("G5") in pin.frequencies(), timeout=0.5)


def test_close_silences_and_stops_the_thread(factory):
    pin = factory.pin(BUZZER, pin_class=RecordingPWMPin)
    beeper = Beeper(BUZZER, factory, tonal=True)
    beeper.play(Cue.END)
    assert wait_until(lambda: pin.frequency is not None, timeout=0.5)
    started = time.monotonic()
    beeper.close()
    assert time.monotonic() - started < 0.5
    assert pin.frequency is None
    assert not beeper._thread.is_alive()
    beeper.play(Cue.START)  # after close: nothing, no error
    beeper.close()
    Beeper(BUZZER, factory, tonal=True).close()  # the pin is free again


# --- the plain buzzer --------------------------------------------------------------------


def test_plain_buzzer_pattern_per_cue(factory, closing, monkeypatch):
    beeper = Beeper(BUZZER, factory, tonal=False)
    closing(beeper)
    calls = []
    monkeypatch.setattr(beeper._device, "blink",
                        lambda *args, **kwargs: calls.append((args, kwargs)))
    for cue in Cue:
        beeper.play(cue)
    assert [args for args, _ in calls] == [PATTERNS[cue] for cue in Cue]
    assert all(kwargs == {"background": True} for _, kwargs in calls)
    counts = {cue: PATTERNS[cue][2] for cue in Cue}
    assert counts == {Cue.START: 1, Cue.STEP: 1, Cue.HALF: 2, Cue.END: 3,
                      Cue.REMINDER: 3, Cue.CHECKIN: 1}
    assert len(set(PATTERNS.values())) == len(Cue)  # each cue its own pattern


def test_plain_buzzer_beeps_on_the_pin_in_the_background(factory, closing):
    beeper = Beeper(BUZZER, factory, tonal=False)
    closing(beeper)
    pin = factory.pin(BUZZER)
    pin.clear_states()
    started = time.monotonic()
    beeper.play(Cue.HALF)
    assert time.monotonic() - started < 0.05
    on, off, count = PATTERNS[Cue.HALF]
    assert wait_until(lambda: sum(1 for s in pin.states if s.state) == count and not pin.state,
                      timeout=(on + off) * count + 1.0)
    time.sleep(off + 0.05)
    assert sum(1 for s in pin.states if s.state) == count  # and no more


def test_plain_buzzer_play_never_raises(factory, monkeypatch, caplog):
    beeper = Beeper(BUZZER, factory, tonal=False)

    def broken(*args, **kwargs):
        raise RuntimeError("pin gone")

    monkeypatch.setattr(beeper._device, "blink", broken)
    with caplog.at_level(logging.WARNING, logger="kiosk.devices.outputs"):
        beeper.play(Cue.END)
        beeper.play(Cue.END)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    beeper.close()
    beeper.play(Cue.END)


# --- make_outputs ------------------------------------------------------------------------


def test_make_outputs_without_pins_makes_nothing(factory):
    assert make_outputs(OutputsConfig(), factory, logging.getLogger("test")) == (None, None)


def test_make_outputs_builds_what_is_configured(factory, closing):
    light, beeper = make_outputs(OutputsConfig(led=LED, buzzer=BUZZER), factory)
    closing(light)
    closing(beeper)
    assert isinstance(light, StatusLight)
    assert isinstance(beeper, Beeper) and beeper.tonal
    light.set("session")
    beeper.play(Cue.STEP)


def test_make_outputs_plain_buzzer(factory, closing):
    light, beeper = make_outputs(OutputsConfig(buzzer=BUZZER, buzzer_tonal=False), factory)
    closing(beeper)
    assert light is None
    assert beeper is not None and not beeper.tonal


def test_a_pin_in_use_gives_a_warning_and_none(factory, closing, caplog):
    button = Button(LED, pin_factory=factory)  # someone else has the LED's pin
    closing(button)
    with caplog.at_level(logging.WARNING, logger="test"):
        light, beeper = make_outputs(
            OutputsConfig(led=LED, buzzer=BUZZER), factory, logging.getLogger("test"))
    closing(beeper)
    assert light is None
    assert beeper is not None  # the other output is unaffected
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and f"GPIO{LED}" in warnings[0]
    assert factory.pin_class is MockPin


def test_a_pin_without_pwm_gives_a_warning_and_none(factory, caplog):
    factory.pin(BUZZER)  # already made as a plain (non-PWM) mock pin
    with caplog.at_level(logging.WARNING, logger="test"):
        light, beeper = make_outputs(OutputsConfig(buzzer=BUZZER), factory,
                                     logging.getLogger("test"))
    assert (light, beeper) == (None, None)
    assert f"GPIO{BUZZER}" in caplog.text
    assert factory.pin_class is MockPin


def test_module_does_not_import_pygame():
    import ast
    import inspect

    imported = set()
    for node in ast.walk(ast.parse(inspect.getsource(outputs))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert "gpiozero" in imported
    assert "pygame" not in imported
