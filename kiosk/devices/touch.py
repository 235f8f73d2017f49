"""What fingers on the touchscreen (and a mouse in a window) mean, worked out from contacts
and time alone: no pygame, no threads.

`Touches` is fed contacts (a finger id, a point in canvas pixels, the time in seconds) as
they go down, move and go up, and asked `due(now)` for what time alone brings. It gives
gestures, never keys: which key a point means is the screen's business
(kiosk.render.targets). What it decides:

- a tap: one finger down and up without moving more than `slop` pixels, with no other
  finger on the glass meanwhile, down for less than `longest_tap` seconds;
- a hold: a finger that went down on a hold target (the countdown's "Stop") and stays,
  alone and still, for `hold_seconds`; its release then gives nothing;
- the clinician's chord: one finger in the top-left corner and one in the bottom-right,
  both still, for `chord_seconds`; a child does not find it by chance;
- nothing at all for a swipe (a finger that moved), a palm (several fingers at once, not
  the chord) or a finger left down: none of them rates pain or chooses anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.config import ButtonsConfig

HOLD_SECONDS = ButtonsConfig.hold_seconds  # the countdown's "Stop", as the back button's hold
CHORD_SECONDS = ButtonsConfig.chord_seconds  # both corners held: the clinician's code entry
LONGEST_TAP = 10.0  # a finger down longer than this chooses nothing (a leaning arm, a stuck contact)


@dataclass(frozen=True)
class Tap:
    x: float
    y: float


@dataclass(frozen=True)
class Hold:
    x: float
    y: float


@dataclass(frozen=True)
class Chord:
    """The two corners held together: the touch equivalent of the buttons' chord."""


Gesture = Tap | Hold | Chord


@dataclass
class _Contact:
    x0: float
    y0: float
    x: float
    y: float
    at: float
    holdable: bool
    spoilt: bool = False  # moved, shared the glass, or used up: its release gives nothing


@dataclass
class Touches:
    """The gesture interpreter for a canvas of `size` pixels (after rotation). `slop` is
    how far a tap may wander; `corner` the side of the two chord corners (both default
    to a share of the shorter side)."""

    size: tuple[int, int]
    hold_seconds: float = HOLD_SECONDS
    chord_seconds: float = CHORD_SECONDS
    longest_tap: float = LONGEST_TAP
    slop: float | None = None
    corner: float | None = None
    _down: dict[object, _Contact] = field(default_factory=dict)
    _chord_at: float | None = None

    def __post_init__(self) -> None:
        short = min(self.size)
        if self.slop is None:
            self.slop = max(10.0, short * 0.04)
        if self.corner is None:
            self.corner = max(48.0, short * 0.2)

    @property
    def touching(self) -> int:
        """How many fingers are on the glass."""
        return len(self._down)

    def is_down(self, finger: object) -> bool:
        """Is `finger` on the glass (as far as this interpreter has been told)?"""
        return finger in self._down

    # --- what comes in ------------------------------------------------------------------

    def down(self, finger: object, x: float, y: float, now: float, holdable: bool = False) -> list[Gesture]:
        """`finger` touched at (x, y). `holdable`: the point is on a hold target."""
        gestures = self.due(now)
        self._down[finger] = contact = _Contact(x, y, x, y, now, holdable)
        if len(self._down) > 1:
            for each in self._down.values():
                each.spoilt = True  # a palm, or the chord: no finger of it taps
            contact.spoilt = True
        self._chord_at = now + self.chord_seconds if self._corners() else None
        return gestures

    def move(self, finger: object, x: float, y: float, now: float) -> list[Gesture]:
        gestures = self.due(now)
        contact = self._down.get(finger)
        if contact is None:
            return gestures
        contact.x, contact.y = x, y
        if abs(x - contact.x0) > self.slop or abs(y - contact.y0) > self.slop:
            contact.spoilt = True  # a swipe
            if self._chord_at is not None and not self._corners():
                self._chord_at = None
        return gestures

    def up(self, finger: object, x: float, y: float, now: float) -> list[Gesture]:
        gestures = self.move(finger, x, y, now)
        contact = self._down.pop(finger, None)
        if contact is None:
            return gestures
        self._chord_at = None if not self._corners() else self._chord_at
        if not contact.spoilt and now - contact.at < self.longest_tap:
            gestures.append(Tap(contact.x0, contact.y0))
        return gestures

    def cancel(self) -> None:
        """Forget every contact (the screen went away, touch was turned off)."""
        self._down.clear()
        self._chord_at = None

    # --- time ---------------------------------------------------------------------------

    def due(self, now: float) -> list[Gesture]:
        """What time has brought by `now`: a hold, the chord."""
        gestures: list[Gesture] = []
        held = self._holding()
        if held is not None and now - held.at >= self.hold_seconds:
            held.spoilt = True
            gestures.append(Hold(held.x0, held.y0))
        if self._chord_at is not None and now >= self._chord_at:
            self._chord_at = None
            for contact in self._down.values():
                contact.spoilt = True
            gestures.append(Chord())
        return gestures

    def next_due(self, now: float) -> float | None:
        """Seconds from `now` until `due` may give something; None when only a contact can."""
        times = []
        held = self._holding()
        if held is not None:
            times.append(held.at + self.hold_seconds)
        if self._chord_at is not None:
            times.append(self._chord_at)
        return max(0.0, min(times) - now) if times else None

    def hold_progress(self, now: float) -> tuple[float, float, float] | None:
        """(x, y, 0..1) of a hold under way, for the filling ring; None when none is."""
        held = self._holding()
        if held is None or self.hold_seconds <= 0:
            return None
        return held.x0, held.y0, min(1.0, (now - held.at) / self.hold_seconds)

    # --- inside -------------------------------------------------------------------------

    def _holding(self) -> _Contact | None:
        """The one finger down on a hold target, still and alone, not yet used."""
        if len(self._down) != 1:
            return None
        contact = next(iter(self._down.values()))
        return contact if contact.holdable and not contact.spoilt else None

    def _corners(self) -> bool:
        """Exactly two fingers, one still in each chord corner."""
        if len(self._down) != 2:
            return False
        w, h = self.size
        corner = self.corner
        top_left = bottom_right = False
        for c in self._down.values():
            still = abs(c.x - c.x0) <= self.slop * 2 and abs(c.y - c.y0) <= self.slop * 2
            if still and c.x0 <= corner and c.y0 <= corner:
                top_left = True
            elif still and c.x0 >= w - corner and c.y0 >= h - corner:
                bottom_right = True
        return top_left and bottom_right


def to_canvas(u: float, v: float, rotate: int, canvas: tuple[int, int]) -> tuple[float, float]:
    """A point on the screen as fractions (0..1, as SDL gives a finger) -> canvas pixels.
    The canvas is turned clockwise by `rotate` degrees onto the screen (kiosk.app), so the
    point is turned back."""
    u, v = min(1.0, max(0.0, u)), min(1.0, max(0.0, v))
    if rotate == 90:
        cu, cv = v, 1.0 - u
    elif rotate == 180:
        cu, cv = 1.0 - u, 1.0 - v
    elif rotate == 270:
        cu, cv = 1.0 - v, u
    else:
        cu, cv = u, v
    w, h = canvas
    return min(w - 1.0, cu * w), min(h - 1.0, cv * h)
