"""The four push buttons (up, down, select, back) on GPIO, turned into `Key`s.

gpiozero's callbacks run on its own threads; here they only decide which key a press
means and hand it to a sink (the `InputQueue`'s `put`). What they add over bare gpiozero:

- our own debounce (`Debouncer`): MockFactory ignores `bounce_time` and lgpio's is
  unreliable, so the buttons are built with `bounce_time=None` and an edge within
  `bounce_ms` of the previous accepted edge of the same button is ignored. When edges were
  ignored, the pin is read again once the window has passed, so a short tap whose release
  fell inside the window is not left "pressed" (the settle check);
- short against long press on back: BACK_HELD once the button has been held for
  `hold_seconds`, BACK on release only when the press did not become a hold;
- stuck-button safety: a button that is down when the panel starts is not armed until it
  has been seen released (gpiozero never fires `when_pressed` for it, but does fire
  `when_held` and `when_released`);
- the clinician's chord: select and back both down (debounced, armed) without a break for
  `chord_seconds` give CLINICIAN, once per chord. A timer starts when the second of the two
  goes down and is cancelled when either goes up; when it fires it checks again that both
  are still down. The back press of a chord is consumed like a hold: its release gives no
  BACK. What the app sees for a chord: SELECT (select acts on press, before anyone can
  know a chord is coming), then CLINICIAN. Back held while select is down never gives
  BACK_HELD: that would stop a running session;
- an optional rotary encoder (`encoder: [a, b]`): gpiozero's RotaryEncoder decodes the
  quadrature, one NEXT per detent clockwise and one PREVIOUS anticlockwise. The up and down
  buttons stay active, unless the encoder is wired to their very pins: then it replaces
  them;
- callbacks never raise: an exception would end gpiozero's thread and the buttons with it.

Without GPIO (a laptop) `make_pin_factory` falls back to gpiozero's mock pins, and the app
maps the keyboard to `press()` / `release()`, which drive those mock pins: the keyboard
takes exactly the code path of the real buttons.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Callable

from gpiozero import Button, Device, RotaryEncoder
from gpiozero.pins import Factory
from gpiozero.pins.mock import MockFactory

from kiosk.config import ButtonsConfig
from kiosk.events import Key

_log = logging.getLogger(__name__)

NAMES = ("up", "down", "select", "back")
_KEYS = {"up": Key.UP, "down": Key.DOWN, "select": Key.SELECT, "back": Key.BACK}

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


class Debouncer:
    """Accepts an edge unless it comes within `bounce_seconds` of the previous accepted
    edge. Pure: time comes from `clock` (or the `now` passed in), so tests use a fake."""

    def __init__(self, bounce_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.bounce = max(0.0, float(bounce_seconds))
        self._clock = clock
        self._last: float | None = None

    def accept(self, now: float | None = None) -> bool:
        """True (and the edge becomes the new reference) unless it is inside the window."""
        now = self._clock() if now is None else now
        if self._last is not None and now - self._last < self.bounce:
            return False
        self._last = now
        return True

    def mark(self, now: float | None = None) -> None:
        """Record an edge accepted by other means (the settle check) as the reference."""
        self._last = self._clock() if now is None else now

    def remaining(self, now: float | None = None) -> float:
        """Seconds until the window of the last accepted edge closes (0 when open)."""
        if self._last is None:
            return 0.0
        now = self._clock() if now is None else now
        return min(self.bounce, max(0.0, self._last + self.bounce - now))


@dataclass
class _State:
    name: str
    key: Key
    button: Button
    debouncer: Debouncer
    armed: bool  # seen released since the panel started
    down: bool = False  # debounced state
    held: bool = False  # this press became a hold or a chord (back only): no BACK on release
    down_since: float | None = None  # when the pin was last seen going (or being) down
    settle: threading.Timer | None = None


class ButtonPanel:
    """The four buttons on `pin_factory`, each press delivered to `sink` as a `Key`.

    `sink` is called from gpiozero's threads (or, on mock pins, from the thread that drives
    the pin) and must be quick and thread-safe: `InputQueue.put`. Keys are delivered one at
    a time, in order. An exception from `sink` is logged and swallowed.
    """

    def __init__(
        self,
        config: ButtonsConfig,
        sink: Callable[[Key], None],
        pin_factory: Factory,
        clock: Callable[[], float] = time.monotonic,
        log: logging.Logger | None = None,
    ):
        self._sink = sink
        self._clock = clock
        self._log = log or _log
        self._lock = threading.RLock()
        self._closed = False
        self.is_mock = isinstance(pin_factory, MockFactory)
        self._states: dict[str, _State] = {}
        self.encoder: RotaryEncoder | None = None
        self._chord_seconds = float(getattr(config, "chord_seconds", 0) or 0)
        self._chord: threading.Timer | None = None
        encoder_pins = tuple(getattr(config, "encoder", None) or ())
        bounce = max(0, config.bounce_ms) / 1000.0
        try:
            for name in NAMES:
                pin = getattr(config, name)
                if name in ("up", "down") and pin in encoder_pins:
                    self._log.info(
                        "no %s button: GPIO%s belongs to the rotary encoder", name, pin)
                    continue
                if name == "back":
                    button = Button(
                        pin, pull_up=True, bounce_time=None,
                        hold_time=max(0.0, config.hold_seconds), pin_factory=pin_factory,
                    )
                else:
                    # No when_held here; a short hold_time only keeps gpiozero's hold
                    # thread from sleeping a whole second in close() if this one is down.
                    button = Button(
                        pin, pull_up=True, bounce_time=None, hold_time=0.1,
                        pin_factory=pin_factory,
                    )
                self._states[name] = _State(
                    name=name, key=_KEYS[name], button=button,
                    debouncer=Debouncer(bounce, clock), armed=False,
                )
            if encoder_pins:
                a, b = encoder_pins
                self.encoder = RotaryEncoder(a, b, max_steps=0, pin_factory=pin_factory)
        except Exception:
            self.close()
            raise
        # Attach, then read the pins, all under the lock: an edge in between waits for the
        # state, and a release just before the read is not lost (it arms the button).
        with self._lock:
            for name, state in self._states.items():
                state.button.when_pressed = functools.partial(self._on_edge, name, True)
                state.button.when_released = functools.partial(self._on_edge, name, False)
                if name == "back":
                    state.button.when_held = functools.partial(self._on_held, name)
            for name, state in self._states.items():
                state.armed = not state.button.is_pressed
                if not state.armed:
                    state.down_since = clock()
                    self._log.warning(
                        "button %r (GPIO%s) is pressed at start: ignored until released",
                        name, getattr(config, name),
                    )
            if self.encoder is not None:
                self.encoder.when_rotated_clockwise = functools.partial(self._on_rotated, Key.NEXT)
                self.encoder.when_rotated_counter_clockwise = functools.partial(
                    self._on_rotated, Key.PREVIOUS)

    # --- desktop mode: the keyboard drives the mock pins -------------------------------

    def press(self, name: str) -> None:
        """Push button `name` down (mock pins only; a no-op on real GPIO)."""
        self._drive(name, low=True)

    def release(self, name: str) -> None:
        """Let button `name` go (mock pins only; a no-op on real GPIO)."""
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
            self._log.debug("ignoring %s(%r): real GPIO pins", "press" if low else "release", name)
            return
        if self._closed or name not in self._states:
            return
        pin = self._states[name].button.pin
        if low:
            pin.drive_low()
        else:
            pin.drive_high()

    def stuck(self, threshold: float) -> list[str]:
        """Names of the buttons that have been down for `threshold` seconds or more: a
        button jammed or shorted to ground, to be reported on screen."""
        now = self._clock()
        with self._lock:
            return [
                name for name, state in self._states.items()
                if state.down_since is not None and now - state.down_since >= threshold
            ]

    def close(self) -> None:
        """Stop the settle and chord timers and release the pins. Safe to call twice."""
        with self._lock:
            self._closed = True
            states = list(self._states.values())
            for state in states:
                if state.settle is not None:
                    state.settle.cancel()
                    state.settle = None
            self._cancel_chord()
            encoder, self.encoder = self.encoder, None
        for state in states:
            try:
                state.button.close()
            except Exception:
                self._log.debug("closing button %r", state.name, exc_info=True)
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
                state = self._states[name]
                if not state.debouncer.accept():
                    self._schedule_settle(state)
                    return
                self._apply(state, pressed)
        except Exception:
            self._log.exception("button %r: error in the %s callback", name,
                                "press" if pressed else "release")

    def _on_held(self, name: str) -> None:
        try:
            with self._lock:
                if self._closed:
                    return
                state = self._states[name]
                if not state.armed or not state.down or state.held:
                    return
                state.held = True
                select = self._states.get("select")
                if select is not None and select.down:
                    return  # select + back: the clinician's chord in the making, not "stop"
                self._emit(Key.BACK_HELD)
        except Exception:
            self._log.exception("button %r: error in the hold callback", name)

    def _on_rotated(self, key: Key) -> None:
        try:
            with self._lock:
                if not self._closed:
                    self._emit(key)
        except Exception:
            self._log.exception("rotary encoder: error in the %s callback", key.value)

    def _on_chord(self, timer: threading.Timer) -> None:
        """The chord timer fired: CLINICIAN if select and back are still both down."""
        try:
            with self._lock:
                if self._closed or self._chord is not timer:
                    return  # cancelled after it had already started
                self._chord = None
                if not self._chord_down(raw=True):
                    return
                self._states["back"].held = True  # the back press is spent: no BACK on release
                self._emit(Key.CLINICIAN)
        except Exception:
            self._log.exception("error in the chord timer")

    def _settle(self, name: str) -> None:
        """After ignored edges: read the pin now the window is over and catch up with it."""
        try:
            with self._lock:
                if self._closed:
                    return
                state = self._states[name]
                state.settle = None
                remaining = state.debouncer.remaining()
                if remaining > 0:  # a later edge was accepted meanwhile: wait for its window
                    self._schedule_settle(state)
                    return
                pressed = bool(state.button.is_pressed)
                if pressed != state.down or (not state.armed and not pressed):
                    state.debouncer.mark()
                    self._apply(state, pressed)
        except Exception:
            self._log.exception("button %r: error in the settle check", name)

    # --- state (called with the lock held) ----------------------------------------------

    def _schedule_settle(self, state: _State) -> None:
        if state.settle is not None:
            return
        delay = state.debouncer.remaining() + 0.005
        timer = threading.Timer(delay, self._settle, args=(state.name,))
        timer.daemon = True
        state.settle = timer
        timer.start()

    def _chord_down(self, raw: bool = False) -> bool:
        """Select and back both down (debounced and armed; with `raw`, the pins agree)."""
        states = [self._states.get(name) for name in ("select", "back")]
        if any(state is None or not state.armed or not state.down for state in states):
            return False
        return not raw or all(state.button.is_pressed for state in states)

    def _start_chord(self) -> None:
        if self._chord is not None or self._chord_seconds <= 0:
            return
        timer = threading.Timer(self._chord_seconds, self._on_chord)
        timer.args = (timer,)  # so a timer cancelled too late knows it is stale
        timer.daemon = True
        self._chord = timer
        timer.start()

    def _cancel_chord(self) -> None:
        if self._chord is not None:
            self._chord.cancel()
            self._chord = None

    def _apply(self, state: _State, pressed: bool) -> None:
        """One accepted edge: the button went down (`pressed`) or up."""
        self._apply_edge(state, pressed)
        if state.name in ("select", "back"):
            if self._chord_down():
                self._start_chord()
            else:
                self._cancel_chord()

    def _apply_edge(self, state: _State, pressed: bool) -> None:
        if not pressed:
            state.down_since = None
        elif state.down_since is None:
            state.down_since = self._clock()
        if not state.armed:
            if not pressed:
                state.armed = True
                state.down = False
                state.held = False
                self._log.info("button %r released: armed", state.name)
            return
        if pressed:
            if state.down and state.key is Key.BACK and not state.held:
                # A press edge means a release we never saw (it fell in a bounce window
                # and the settle check has not run yet): that press was a click.
                self._emit(Key.BACK)
            state.down = True
            state.held = False
            if state.key is not Key.BACK:
                self._emit(state.key)
        else:
            if not state.down:
                return  # the matching press was ignored as bounce: nothing to end
            state.down = False
            if state.key is Key.BACK and not state.held:
                self._emit(Key.BACK)
            state.held = False

    def _emit(self, key: Key) -> None:
        try:
            self._sink(key)
        except Exception:
            self._log.exception("button sink failed for %s", key.value)
