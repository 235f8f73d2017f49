"""What every screen's logic has in common: it takes keys and time, says what to show,
and hands over to the next activity (or home) by returning it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.events import Key
from kiosk.views import View

if TYPE_CHECKING:  # typing only: the context module imports nothing of the activities
    from kiosk.activities.context import Context


class Activity:
    """One thing the kiosk is doing (a session, a check-in, the history...).

    `press` and `tick` return the activity to switch to, `HOME` to go home, or None to
    stay. Activities never block and never read the real clock: time comes from `ctx`, and
    the record is read and written only through `ctx.practice`.
    """

    busy = False  # True while a session runs: no sleep, no reminders, no prompts
    attention = False  # True while asking for the person's attention (reminder, prompt)
    interruptible = False  # a reminder or prompt may take over (nobody is in the middle of something)

    def __init__(self, ctx: Context | None):
        self.ctx = ctx

    def press(self, key: Key) -> Activity | None:
        return None

    def tick(self) -> Activity | None:
        return None

    def next_change_in(self) -> float | None:
        """Seconds until `tick` may change something; None = only a press will."""
        return None

    def view(self) -> View:
        raise NotImplementedError

    def leave(self) -> None:
        """Called when the kiosk switches away from this activity for any reason (a
        sleep, a reminder...): finish whatever must not be left half done."""


class _Home(Activity):
    """Marker returned by an activity to go back to the home screen."""

    def view(self) -> View:  # never shown: the controller replaces it with its home
        raise NotImplementedError


HOME = _Home(None)


def step_list(index: int, key: Key, size: int, selectable=lambda i: True) -> int:
    """Move a list selection up or down (NEXT/PREVIOUS from an encoder count as down/up),
    wrapping around and skipping entries that cannot be selected."""
    step = -1 if key in (Key.UP, Key.PREVIOUS) else 1
    for _ in range(size):
        index = (index + step) % size
        if selectable(index):
            return index
    return index


def step_rating(value: int, key: Key) -> int:
    """Up (or an encoder turned clockwise) adds one; the scale clamps at 0 and 10."""
    if key in (Key.UP, Key.NEXT):
        return min(10, value + 1)
    if key in (Key.DOWN, Key.PREVIOUS):
        return max(0, value - 1)
    return value


MOVES = (Key.UP, Key.DOWN, Key.NEXT, Key.PREVIOUS)
