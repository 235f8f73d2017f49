"""The outputs for when nobody looks at the screen: a status LED and a buzzer on GPIO.

- `StatusLight`: a gpiozero PWMLED. `set("session")` pulses it slowly while a session
  runs, `set("attention")` pulses it fast (a reminder waiting for a press), `set("off")`
  darkens it. `set` with the mode already showing does nothing, so the app may call it on
  every turn of its loop without restarting the pulse.
- `Beeper`: the sound cues as tones, for a Pi with no speaker. A passive piezo
  (`tonal=True`, gpiozero TonalBuzzer) plays a short tune per `Cue` from a background
  thread; an active buzzer (gpiozero Buzzer) beeps a pattern (count and length) per cue
  through gpiozero's own background blink. `play()` returns at once, a new cue cuts short
  the one playing, and it never raises.
- `make_outputs(config, pin_factory, log)`: both from `OutputsConfig`, None for a pin that
  is not set, and None (with one warning) for one that cannot be made: the kiosk runs on.

PWM on gpiozero's mock pins needs `MockPWMPin`; a MockFactory hands out plain `MockPin`s
unless told otherwise, so the PWM devices here are built with the factory's `pin_class`
switched to MockPWMPin for the moment of construction (desktop mode and tests). On a Pi
(lgpio) PWM is software PWM on any pin.

No pygame here: this module runs in the same process as the display but needs none of it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Iterator

from gpiozero import PWMLED, Buzzer, TonalBuzzer
from gpiozero.pins import Factory
from gpiozero.pins.mock import MockFactory, MockPWMPin
from gpiozero.tones import Tone

from kiosk.config import OutputsConfig
from kiosk.events import Cue

_log = logging.getLogger(__name__)

# --- the status light ----------------------------------------------------------------------

MODES = ("off", "session", "attention")

# (fade in, fade out) seconds of one pulse: a slow breath during a session, a quicker
# blink-like pulse when something waits for a press (still a fade, never a hard flash).
PULSES = {"session": (1.5, 1.5), "attention": (0.3, 0.3)}


class StatusLight:
    """A PWM LED on `pin` showing one of `MODES`."""

    def __init__(self, pin: int, pin_factory: Factory, log: logging.Logger | None = None):
        self._log = log or _log
        self._lock = threading.Lock()
        self._mode = "off"
        self._failed = False
        self._closed = False
        with _pwm_pins(pin_factory):
            self._led = PWMLED(pin, initial_value=0, pin_factory=pin_factory)

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def value(self) -> float:
        """The LED's brightness now, 0..1 (0 once closed)."""
        try:
            return float(self._led.value)
        except Exception:
            return 0.0

    def set(self, mode: str) -> None:
        """Show `mode` ("off", "session" or "attention"); nothing happens when it already
        shows, or after `close()`. An unknown mode is a ValueError (a bug); a GPIO failure
        is logged once."""
        if mode not in MODES:
            raise ValueError(f"unknown light mode {mode!r} (one of {', '.join(MODES)})")
        with self._lock:
            # (gpiozero's pulse() on a closed LED does not raise: its thread would.)
            if mode == self._mode or self._closed:
                return
            try:
                if mode == "off":
                    self._led.off()
                else:
                    fade_in, fade_out = PULSES[mode]
                    self._led.pulse(fade_in_time=fade_in, fade_out_time=fade_out, background=True)
            except Exception as exc:  # closed device, pin error: the light is a help only
                if not self._failed:
                    self._failed = True
                    self._log.warning("status light: could not show %s: %s", mode, exc)
                return
            self._mode = mode

    def close(self) -> None:
        """Darken the LED and release its pin. Safe to call twice."""
        with self._lock:
            self._mode = "off"
            self._closed = True
            try:
                self._led.close()  # stops the pulse thread and frees the pin
            except Exception:
                self._log.debug("closing the status light", exc_info=True)

    def __enter__(self) -> StatusLight:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- the buzzer ----------------------------------------------------------------------------

# A tune is a list of (note or None for a rest, seconds, duty). Duty 0.5 is a piezo's
# fullest tone, less is softer; every note ends with a short rest so two equal notes are
# heard as two. The pitches follow the WAV chimes (scripts/make_sounds.py).
LOUD = 0.5
SOFT = 0.15
GAP = 0.04
Note = tuple[str | None, float, float]

TUNES: dict[Cue, tuple[Note, ...]] = {
    Cue.START: (("E5", 0.12, LOUD), (None, GAP, 0), ("A5", 0.20, LOUD)),  # two rising
    Cue.STEP: (("G5", 0.08, SOFT),),  # one short, the most frequent: soft
    Cue.HALF: (("E5", 0.12, LOUD), (None, 0.10, 0), ("E5", 0.12, LOUD)),  # two equal
    Cue.END: (  # three descending, the last one longer: "done"
        ("G5", 0.15, LOUD), (None, GAP, 0), ("E5", 0.15, LOUD), (None, GAP, 0),
        ("C5", 0.35, LOUD),
    ),
    Cue.REMINDER: (  # a friendly rising arpeggio, unhurried
        ("C5", 0.12, LOUD), (None, 0.06, 0), ("E5", 0.12, LOUD), (None, 0.06, 0),
        ("G5", 0.22, LOUD),
    ),
    Cue.CHECKIN: (("C5", 0.15, SOFT),),  # one soft low tone
}

# The range a TonalBuzzer accepts: mid_tone +/- octaves (440 Hz - 1760 Hz), which holds
# every note above with room to spare.
MID_TONE = "A5"
OCTAVES = 1

# An active buzzer has one pitch: (on seconds, off seconds, count) per cue. Told apart by
# count and length: one long = start, one short = step, one blip = check-in, two short =
# half, three short = reminder, three long = end.
PATTERNS: dict[Cue, tuple[float, float, int]] = {
    Cue.START: (0.35, 0.10, 1),
    Cue.STEP: (0.08, 0.10, 1),
    Cue.HALF: (0.08, 0.15, 2),
    Cue.END: (0.30, 0.15, 3),
    Cue.REMINDER: (0.08, 0.12, 3),
    Cue.CHECKIN: (0.03, 0.10, 1),
}


class Beeper:
    """The cues on a buzzer on `pin`: a TonalBuzzer when `tonal`, else a plain Buzzer."""

    def __init__(
        self,
        pin: int,
        pin_factory: Factory,
        tonal: bool = True,
        log: logging.Logger | None = None,
    ):
        self._log = log or _log
        self.tonal = bool(tonal)
        self._cond = threading.Condition()
        self._tune: tuple[Note, ...] | None = None  # waiting to be played
        self._generation = 0  # bumped by every play(): the tune playing stops when it changes
        self._closed = False
        self._failed = False
        self._thread: threading.Thread | None = None
        if self.tonal:
            with _pwm_pins(pin_factory):
                self._device = TonalBuzzer(
                    pin, mid_tone=Tone(MID_TONE), octaves=OCTAVES, pin_factory=pin_factory)
        else:
            self._device = Buzzer(pin, pin_factory=pin_factory)

    def play(self, cue: Cue) -> None:
        """Start the tune (or pattern) for `cue` and return at once; it replaces one that
        is playing. Never raises."""
        try:
            if self._closed:
                return
            if self.tonal:
                self._queue(TUNES[cue])
            else:
                on_time, off_time, count = PATTERNS[cue]
                self._device.blink(on_time, off_time, count, background=True)
        except Exception as exc:
            self._warn(f"could not play {getattr(cue, 'value', cue)}: {exc}")

    def close(self) -> None:
        """Silence the buzzer, stop the tune thread and release the pin. Safe to call twice."""
        with self._cond:
            self._closed = True
            self._tune = None
            self._generation += 1
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=1.0)
        try:
            self._device.close()
        except Exception:
            self._log.debug("closing the buzzer", exc_info=True)

    def __enter__(self) -> Beeper:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the tune thread (TonalBuzzer) ----------------------------------------------------

    def _queue(self, tune: tuple[Note, ...]) -> None:
        with self._cond:
            if self._closed:
                return
            self._tune = tune
            self._generation += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="kiosk-beeper", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        with self._cond:
            while True:
                self._cond.wait_for(lambda: self._closed or self._tune is not None)
                if self._closed:
                    return
                tune, self._tune = self._tune, None
                generation = self._generation
                for note, seconds, duty in tune:
                    self._sound(note, duty)
                    # Waiting on the condition lets play() and close() in, and wakes at once
                    # when they change the generation.
                    if self._cond.wait_for(
                        lambda: self._closed or self._generation != generation, seconds
                    ):
                        break
                if self._tune is None and not self._closed:
                    self._sound(None, 0)

    def _sound(self, note: str | None, duty: float) -> None:
        """One note (or silence) now. Called with the lock held; never raises."""
        try:
            if note is None or duty <= 0:
                self._device.stop()
            else:
                # TonalBuzzer.play(), with our own duty instead of its fixed 0.5 (the
                # range is checked once, by the tests, for every note in TUNES).
                pwm = self._device.pwm_device
                pwm.pin.frequency = Tone(note).frequency
                pwm.value = duty
        except Exception as exc:
            self._warn(f"buzzer failed: {exc}")

    def _warn(self, message: str) -> None:
        if not self._failed:
            self._failed = True
            self._log.warning("%s", message)


# --- both, from the config -----------------------------------------------------------------


def make_outputs(
    config: OutputsConfig, pin_factory: Factory, log: logging.Logger | None = None
) -> tuple[StatusLight | None, Beeper | None]:
    """The status light and the beeper of `config`: None for an unset pin, and None with a
    warning for one that cannot be made (pin in use, no PWM, a GPIO error)."""
    log = log or _log
    light = beeper = None
    if config.led is not None:
        try:
            light = StatusLight(config.led, pin_factory, log=log)
        except Exception as exc:
            log.warning("no status light on GPIO%s: %s: %s", config.led, type(exc).__name__, exc)
    if config.buzzer is not None:
        kind = "tonal buzzer" if config.buzzer_tonal else "buzzer"
        try:
            beeper = Beeper(config.buzzer, pin_factory, tonal=config.buzzer_tonal, log=log)
        except Exception as exc:
            log.warning("no %s on GPIO%s: %s: %s", kind, config.buzzer, type(exc).__name__, exc)
    return light, beeper


_pin_class_lock = threading.Lock()


@contextlib.contextmanager
def _pwm_pins(pin_factory: Factory) -> Iterator[None]:
    """While building a PWM device on a MockFactory, have it hand out MockPWMPins (a pin
    it already made keeps its class: a plain MockPin then fails as "already in use as a
    MockPin", which the caller reports). Any other factory is left alone."""
    if not isinstance(pin_factory, MockFactory) or issubclass(pin_factory.pin_class, MockPWMPin):
        yield
        return
    with _pin_class_lock:
        previous = pin_factory.pin_class
        pin_factory.pin_class = MockPWMPin
        try:
            yield
        finally:
            pin_factory.pin_class = previous
