"""The four push buttons (up, down, select, back) and the optional rotary encoder on GPIO,
turned into `Key`s.

What a press means (debounce, hold, chord, arming, stuck, select on release) is worked
out by the pure interpreter in kiosk.devices.presses; this module only wires gpiozero to it:

- each button is a gpiozero DigitalInputDevice built with `bounce_time=None` (MockFactory
  ignores `bounce_time` and lgpio's is unreliable: the interpreter debounces). Unlike
  gpiozero's Button it has no hold thread: a Button polls every 100 ms, four of them cost
  as much as the kiosk's whole idle loop. Holds and chords come from the interpreter's
  `due()`, which the main loop calls when `next_due_in()` says (an edge that starts a
  timed thing wakes the loop through `wake`);
- gpiozero's callbacks run on its own threads (on mock pins, in the thread that drives
  the pin): they hand edges to the interpreter under a lock and the keys to `sink` (the
  `InputQueue`'s `put`); they never raise: an exception would end gpiozero's thread;
- an optional rotary encoder (`encoder: [a, b]`): gpiozero's RotaryEncoder decodes the
  quadrature (no thread either), one NEXT per detent clockwise and one PREVIOUS
  anticlockwise. The up and down buttons stay active, unless the encoder is wired to their
  very pins: then it replaces them.

The app maps the keyboard (or a USB keypad) to `press()` / `release()`. Without GPIO (a
laptop) `make_pin_factory` falls back to gpiozero's mock pins and those calls drive them: the
keyboard takes exactly the code path of the real buttons. With real pins they feed an
interpreter of their own (the pins' state is not touched), so a keypad works beside wired
buttons: the same presses, holds and chord, from either.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
import warnings
from typing import Callable

from gpiozero import Device, DigitalInputDevice, RotaryEncoder
from gpiozero.pins import Factory
from gpiozero.pins.mock import MockFactory

from kiosk.config import ButtonsConfig
from kiosk.devices.presses import NAMES, Presses
from kiosk.events import Key

_log = logging.getLogger(__name__)

# Pin levels (A, B) through one detent of the encoder, clockwise, from rest (both high,
# pulled up) back to rest: gpiozero's RotaryEncoder reads A as the high bit of an "active"
# (low) code and counts a step on the sequence 0, 2, 3, 1, 0 (A low first, then B).
# Anticlockwise is the same with the pins swapped.
ENCODER_DETENT = ((False, True), (False, False), (True, False), (True, True))

MOCK_NOTICE = "no GPIO found: using mock pins (keyboard stands in for the buttons)"


def make_pin_factory(log: logging.Logger | None = None) -> tuple[Factory, bool]:
    """The pin factory to build the buttons on, and whether it is gpiozero's mock.

    With $GPIOZERO_PIN_FACTORY set, gpiozero builds the named factory ("mock" gives
    MockFactory); if that fails the error is raised, so a misconfigured Pi fails loudly.
    Otherwise gpiozero's default order (lgpio, RPi.GPIO, pigpio, native) is tried and on any
    failure (no library, no GPIO chip, not a Pi) mock pins are used, announced by one INFO
    line. gpiozero's per-library fallback warnings go to the DEBUG log, not to stderr.
    """
    log = log or _log
    name = os.environ.get("GPIOZERO_PIN_FACTORY")
    if name:
        factory = Device._default_pin_factory()
        is_mock = isinstance(factory, MockFactory)
        log.debug("pin factory %s from $GPIOZERO_PIN_FACTORY=%s", type(factory).__name__, name)
        return factory, is_mock
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            factory = Device._default_pin_factory()
        except Exception as exc:  # BadPinFactory, or anything a driver raises
            factory = None
            reason = f"{type(exc).__name__}: {exc}"
    for warning in caught:
        log.debug("gpiozero: %s", warning.message)
    if factory is None:
        log.debug("no default pin factory (%s)", reason)
        log.info(MOCK_NOTICE)
        return MockFactory(), True
    log.debug("pin factory %s", type(factory).__name__)
    return factory, isinstance(factory, MockFactory)


class ButtonPanel:
    """The buttons on `pin_factory`, each press delivered to `sink` as a `Key`.

    `sink` is called from gpiozero's threads (or, on mock pins, from the thread that drives
    the pin, and from the loop's `due()`) and must be quick and thread-safe:
    `InputQueue.put`. Keys are delivered one at a time, in order; an exception from `sink`
    is logged and swallowed. `wake` (the queue's `wake`) is called when an edge starts
    something timed (a hold, a chord, a settle check), so the loop asks `next_due_in()` again.
    """

    def __init__(
        self,
        config: ButtonsConfig,
        sink: Callable[[Key], None],
        pin_factory: Factory,
        clock: Callable[[], float] = time.monotonic,
        log: logging.Logger | None = None,
        wake: Callable[[], None] | None = None,
    ):
        self._sink = sink
        self._wake = wake
        self._clock = clock
        self._log = log or _log
        self._lock = threading.RLock()
        self._closed = False
        self.is_mock = isinstance(pin_factory, MockFactory)
        self._devices: dict[str, DigitalInputDevice] = {}
        self.encoder: RotaryEncoder | None = None
        encoder_pins = tuple(getattr(config, "encoder", None) or ())
        try:
            for name in NAMES:
                pin = getattr(config, name)
                if name in ("up", "down") and pin in encoder_pins:
                    self._log.info(
                        "no %s button: GPIO%s belongs to the rotary encoder", name, pin)
                    continue
                self._devices[name] = DigitalInputDevice(
                    pin, pull_up=True, bounce_time=None, pin_factory=pin_factory)
            if encoder_pins:
                a, b = encoder_pins
                self.encoder = RotaryEncoder(a, b, max_steps=0, pin_factory=pin_factory)
        except Exception:
            self.close()
            raise
        # Attach, then read the pins, all under the lock: an edge in between waits for the
        # interpreter, and a release just before the read is not lost (it arms the button).
        with self._lock:
            for name, device in self._devices.items():
                device.when_activated = functools.partial(self._on_edge, name, True)
                device.when_deactivated = functools.partial(self._on_edge, name, False)
            down = [name for name, device in self._devices.items() if device.is_active]
            timing = dict(hold_seconds=config.hold_seconds, chord_seconds=getattr(config, "chord_seconds", 0),
                          log=self._log)
            self.presses = Presses(self._devices, now=clock(), bounce_seconds=max(0, config.bounce_ms) / 1000.0,
                                   down_at_start=down, **timing)
            # The keyboard's keys on real pins: they do not bounce, and start up.
            self.keys = Presses(NAMES, now=clock(), bounce_seconds=0, **timing)
            for name in down:
                self._log.warning(
                    "button %r (GPIO%s) is pressed at start: ignored until released",
                    name, getattr(config, name),
                )
            if self.encoder is not None:
                self.encoder.when_rotated_clockwise = functools.partial(self._on_rotated, Key.NEXT)
                self.encoder.when_rotated_counter_clockwise = functools.partial(
                    self._on_rotated, Key.PREVIOUS)

    # --- what the loop asks -------------------------------------------------------------

    @property
    def chord_possible(self) -> bool:
        """Whether the clinician's chord may start now: select then acts on its release.
        The loop sets it every turn (False during a running countdown: select pauses at once)."""
        return self.presses.chord_possible

    @chord_possible.setter
    def chord_possible(self, value: bool) -> None:
        with self._lock:
            self.presses.chord_possible = self.keys.chord_possible = bool(value)

    def due(self) -> None:
        """Deliver what time has made due (a hold, a chord, a settle check) to `sink`."""
        with self._lock:
            if self._closed:
                return
            now = self._clock()
            for key in self.presses.due(now, read=self._read) + self.keys.due(now):
                self._emit(key)

    def next_due_in(self) -> float | None:
        """Seconds until `due()` may deliver something; None when only an edge can."""
        with self._lock:
            if self._closed:
                return None
            now = self._clock()
            waits = [w for w in (self.presses.next_due(now), self.keys.next_due(now)) if w is not None]
            return min(waits, default=None)

    def is_down(self, name: str) -> bool:
        """Button `name` is down now, on its pin or as a key (debounced)."""
        with self._lock:
            return (name in self.presses.names and self.presses.is_down(name)) or self.keys.is_down(name)

    def stuck(self, threshold: float) -> list[str]:
        """Names of the buttons that have been down for `threshold` seconds or more: a
        button jammed or shorted to ground (or a key held down), to be reported on screen."""
        with self._lock:
            now = self._clock()
            pins = self.presses.stuck(threshold, now)
            return pins + [name for name in self.keys.stuck(threshold, now) if name not in pins]

    # --- desktop mode: the keyboard drives the mock pins -------------------------------

    def press(self, name: str) -> None:
        """The key for button `name` went down: its mock pin is driven low, or with real
        pins the keys' own interpreter is told."""
        self._drive(name, low=True)

    def release(self, name: str) -> None:
        """The key for button `name` came up (see `press`)."""
        self._drive(name, low=False)

    def turn(self, steps: int) -> None:
        """Turn the encoder `steps` detents, clockwise when positive (mock pins only; a
        no-op on real GPIO or without an encoder)."""
        if not self.is_mock or self.encoder is None or self._closed:
            self._log.debug("ignoring turn(%d): no mock encoder", steps)
            return
        first, second = self.encoder.a.pin, self.encoder.b.pin
        if steps < 0:
            first, second = second, first
        for _ in range(abs(steps)):
            for level_first, level_second in ENCODER_DETENT:
                for pin, high in ((first, level_first), (second, level_second)):
                    if bool(pin.state) == high:
                        continue
                    if high:
                        pin.drive_high()
                    else:
                        pin.drive_low()

    def _drive(self, name: str, low: bool) -> None:
        if name not in NAMES:
            raise ValueError(f"unknown button {name!r} (one of {', '.join(NAMES)})")
        if not self.is_mock:
            self._on_key(name, low)
            return
        if self._closed or name not in self._devices:
            return
        pin = self._devices[name].pin
        if low:
            pin.drive_low()
        else:
            pin.drive_high()

    def close(self) -> None:
        """Release the pins; no key comes after this. Safe to call twice."""
        with self._lock:
            self._closed = True
            devices = list(self._devices.items())
            encoder, self.encoder = self.encoder, None
        for name, device in devices:
            try:
                device.close()
            except Exception:
                self._log.debug("closing button %r", name, exc_info=True)
        if encoder is not None:
            try:
                encoder.close()
            except Exception:
                self._log.debug("closing the rotary encoder", exc_info=True)

    def __enter__(self) -> ButtonPanel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- callbacks (gpiozero threads): never raise ---------------------------------------

    def _on_edge(self, name: str, pressed: bool) -> None:
        try:
            with self._lock:
                if self._closed:
                    return
                now = self._clock()
                keys = self.presses.edge(name, pressed, now)
                for key in keys:
                    self._emit(key)
                timed = self.presses.next_due(now) is not None
            if timed and not keys and self._wake is not None:
                self._wake()
        except Exception:
            self._log.exception("button %r: error in the %s callback", name,
                                "press" if pressed else "release")

    def _on_key(self, name: str, down: bool) -> None:
        """A key standing in for button `name` on real pins (the loop's thread)."""
        with self._lock:
            if self._closed or self.keys.is_down(name) == down:
                return  # a key repeating, or a release with no press: no edge
            now = self._clock()
            keys = self.keys.edge(name, down, now)
            for key in keys:
                self._emit(key)
            timed = self.keys.next_due(now) is not None
        if timed and not keys and self._wake is not None:
            self._wake()

    def _on_rotated(self, key: Key) -> None:
        try:
            with self._lock:
                if not self._closed:
                    self._emit(key)
        except Exception:
            self._log.exception("rotary encoder: error in the %s callback", key.value)

    def _read(self, name: str) -> bool:
        """Button `name`'s pin now (True = down). Called with the lock held."""
        return bool(self._devices[name].is_active)

    def _emit(self, key: Key) -> None:
        try:
            self._sink(key)
        except Exception:
            self._log.exception("button sink failed for %s", key.value)
