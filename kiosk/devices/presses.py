"""What the buttons mean, worked out from edges and time alone: no threads, no GPIO.

`Presses` is fed plain edges (button name, down or up, the time in seconds) and asked
`due(now)` for what time alone brings; `next_due(now)` says when to ask next, so the main
loop can sleep exactly until then. kiosk.devices.buttons wires it to gpiozero. What it
decides:

- debounce (`Debouncer`): an edge within `bounce_seconds` of the button's previous accepted
  edge is ignored; once the window has passed, the pin is looked at again (the settle
  check), so a short tap whose release fell inside the window is not left "pressed";
- up and down act on press; back acts on release (BACK), or once held for `hold_seconds`
  (BACK_HELD, and then no BACK on release);
- select acts on release while `chord_possible` (set by the loop every turn), so the
  select of a chord never acts; otherwise (a running countdown, where select pauses, or a
  dark screen, where a press only wakes it) it acts on press, at once. The mode is the one
  when the press began. Once select and back have been down together in release mode (a
  chord, or the start of one), neither release acts;
- the chord: select and back both down (debounced, armed) without a break for
  `chord_seconds` give CLINICIAN, once, if the pins still say both are down. Back held
  while select is down never gives BACK_HELD: that would stop a running session;
- arming: a button down when the panel starts is ignored until it has been seen released;
- stuck: `stuck(threshold, now)` names the buttons down for that long, and a select let go
  after `stuck_seconds` down does not act (a button freed from a jam is nobody's choice).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Iterable

from kiosk.events import BUTTON_KEYS, BUTTONS, Key

_log = logging.getLogger(__name__)

NAMES = BUTTONS
KEYS = {key.value: key for key in BUTTON_KEYS}
STUCK_SECONDS = 60.0  # a button down this long is reported on screen
SETTLE_MARGIN = 0.005  # the settle check looks this long after the bounce window closes


class Debouncer:
    """Accepts an edge unless it comes within `bounce_seconds` of the previous accepted
    edge. Pure: time comes from `clock` (or the `now` passed in), so tests use a fake."""

    def __init__(self, bounce_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.bounce = max(0.0, float(bounce_seconds))
        self._clock = clock
        self._last: float | None = None

    @property
    def last(self) -> float | None:
        """When the last accepted (or marked) edge came; None before the first."""
        return self._last

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
class _Button:
    name: str
    debouncer: Debouncer
    armed: bool  # seen released since the start
    level: bool  # the pin as the last edge left it (accepted or not)
    down: bool = False  # debounced
    pressed_at: float = 0.0  # when the debounced press began
    since: float | None = None  # down since (for `stuck`), also while not armed
    spent: bool = False  # this press has given all it will: its release (and hold) give nothing
    on_release: bool = False  # select only: this press acts on its release
    settle_at: float | None = None  # when to look at the pin again after ignored edges


class Presses:
    """The press interpreter for the buttons `names` (a subset of NAMES: an encoder may
    take the place of up and down). `down_at_start` names those down at time `now`: they
    stay unarmed until released. Every method returns the keys it produced, in order."""

    def __init__(
        self,
        names: Iterable[str],
        *,
        now: float,
        bounce_seconds: float,
        hold_seconds: float,
        chord_seconds: float,
        down_at_start: Iterable[str] = (),
        stuck_seconds: float = STUCK_SECONDS,
        log: logging.Logger | None = None,
    ):
        self._log = log or _log
        self.hold_seconds = max(0.0, float(hold_seconds))
        self.chord_seconds = max(0.0, float(chord_seconds or 0))
        self.stuck_seconds = stuck_seconds
        self.chord_possible = True  # the loop says whether a chord may start (select acts on release)
        self._chord_at: float | None = None
        self._buttons: dict[str, _Button] = {}
        held = set(down_at_start)
        for name in names:
            if name not in KEYS:
                raise ValueError(f"unknown button {name!r} (one of {', '.join(NAMES)})")
            button = _Button(name, Debouncer(bounce_seconds), armed=name not in held, level=name in held)
            if name in held:
                button.since = now
            self._buttons[name] = button

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._buttons)

    def is_down(self, name: str) -> bool:
        """The debounced state of button `name` (False while it is not armed)."""
        return self._buttons[name].down

    # --- what comes in ------------------------------------------------------------------

    def edge(self, name: str, down: bool, now: float) -> list[Key]:
        """Button `name` went down (`down`) or up at `now`. Whatever was due before `now`
        happens first (a back held past the hold time before its release was a hold)."""
        keys = self.due(now)
        button = self._buttons[name]
        button.level = down
        if not button.debouncer.accept(now):
            if button.settle_at is None:
                button.settle_at = self._settle_time(button)
            return keys
        return keys + self._apply(button, down, now)

    def due(self, now: float, read: Callable[[str], bool] | None = None) -> list[Key]:
        """Whatever time has made due by `now`, in the order it fell due, each at its own
        time: holds, chords and settle checks. `read(name)` is the pin's level now (True =
        down); without it, the level the last edge left."""
        keys: list[Key] = []
        while (next_event := self._next_event()) is not None and next_event[0] <= now:
            at, what, button = next_event
            if what == "settle":
                keys += self._settle(button, at, read)
            elif what == "hold":
                keys += self._hold(button)
            else:
                keys += self._chord(read)
        return keys

    def next_due(self, now: float) -> float | None:
        """Seconds from `now` until `due` may give something (0 when already due); None
        when only an edge can."""
        next_event = self._next_event()
        return None if next_event is None else max(0.0, next_event[0] - now)

    def stuck(self, threshold: float, now: float) -> list[str]:
        """Names of the buttons down for `threshold` seconds or more: a button jammed or
        shorted to ground, to be reported on screen."""
        return [b.name for b in self._buttons.values() if b.since is not None and now - b.since >= threshold]

    # --- time ---------------------------------------------------------------------------

    def _next_event(self) -> tuple[float, str, _Button | None] | None:
        events: list[tuple[float, str, _Button | None]] = []
        for button in self._buttons.values():
            if button.settle_at is not None:
                events.append((button.settle_at, "settle", button))
        back = self._buttons.get("back")
        if back is not None and back.armed and back.down and not back.spent:
            events.append((back.pressed_at + self.hold_seconds, "hold", back))
        if self._chord_at is not None:
            events.append((self._chord_at, "chord", None))
        return min(events, key=lambda event: event[0], default=None)

    def _settle_time(self, button: _Button) -> float:
        last = button.debouncer.last or 0.0
        return last + button.debouncer.bounce + SETTLE_MARGIN

    def _settle(self, button: _Button, at: float, read: Callable[[str], bool] | None) -> list[Key]:
        """After ignored edges: the window is over, catch up with the pin."""
        button.settle_at = None
        if button.debouncer.remaining(at) > 0:  # a later edge was accepted: wait for its window
            button.settle_at = self._settle_time(button)
            return []
        level = read(button.name) if read is not None else button.level
        button.level = level
        if level != button.down or (not button.armed and not level):
            button.debouncer.mark(at)
            return self._apply(button, level, at)
        return []

    def _hold(self, back: _Button) -> list[Key]:
        back.spent = True
        select = self._buttons.get("select")
        if select is not None and select.down:
            return []  # select + back: the clinician's chord in the making, not "stop"
        return [Key.BACK_HELD]

    def _chord(self, read: Callable[[str], bool] | None) -> list[Key]:
        """The chord's time has come: CLINICIAN if select and back are still both down."""
        self._chord_at = None
        pair = self._pair()
        if pair is None:
            return []
        levels = [read(b.name) if read is not None else b.level for b in pair]
        if not all(levels):
            return []
        for button in pair:
            button.spent = True  # neither release acts, and back's hold is used up
        return [Key.CLINICIAN]

    # --- accepted edges -----------------------------------------------------------------

    def _pair(self) -> tuple[_Button, _Button] | None:
        """Select and back, when both are armed and down."""
        select, back = self._buttons.get("select"), self._buttons.get("back")
        if select is None or back is None:
            return None
        if not (select.armed and back.armed and select.down and back.down):
            return None
        return select, back

    def _apply(self, button: _Button, down: bool, at: float) -> list[Key]:
        """One accepted edge: `button` went down (`down`) or up at `at`."""
        if not down:
            button.since = None
        elif button.since is None:
            button.since = at
        if not button.armed:
            if not down:
                button.armed = True
                button.down = False
                button.spent = False
                self._log.info("button %r released: armed", button.name)
            return []
        keys: list[Key] = []
        if down:
            if button.down:
                # A press edge means a release we never saw (it fell in a bounce window
                # and the settle check has not run yet): end that press first.
                keys += self._release(button, at)
            keys += self._press(button, at)
        elif button.down:
            keys += self._release(button, at)
        # else: the matching press was ignored as bounce: nothing to end
        if button.name in ("select", "back"):
            pair = self._pair()
            if pair is None:
                self._chord_at = None
            else:
                select, back = pair
                if select.on_release:  # a chord, or the start of one: no release acts
                    select.spent = back.spent = True
                if self._chord_at is None and self.chord_seconds > 0:
                    self._chord_at = at + self.chord_seconds
        return keys

    def _press(self, button: _Button, at: float) -> list[Key]:
        button.down = True
        button.pressed_at = at
        button.spent = False
        button.on_release = False
        if button.name == "back":
            return []  # back acts on release, or as a hold
        if button.name == "select" and self.chord_possible:
            button.on_release = True
            return []
        button.spent = True
        return [KEYS[button.name]]

    def _release(self, button: _Button, at: float) -> list[Key]:
        button.down = False
        spent, button.spent = button.spent, False
        if spent:
            return []
        if button.name == "back":
            return [Key.BACK]
        if button.name == "select":
            if at - button.pressed_at >= self.stuck_seconds:
                self._log.info("select let go after %.0f s down: not a choice", at - button.pressed_at)
                return []
            return [Key.SELECT]
        return []
