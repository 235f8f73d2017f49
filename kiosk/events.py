"""The vocabulary between the edges and the session logic: what the buttons say (`Key`),
which sound the logic asks for (`Cue`), and the queue that carries presses to the loop."""

from __future__ import annotations

import queue
from enum import Enum


class Key(str, Enum):
    """One input the session logic acts on. A back press that became a hold is only
    BACK_HELD, never also BACK."""

    UP = "up"
    DOWN = "down"
    SELECT = "select"
    BACK = "back"
    BACK_HELD = "back_held"
    CLINICIAN = "clinician"  # select and back held together for a few seconds
    NEXT = "next"  # rotary encoder, clockwise: down a list, up the pain scale
    PREVIOUS = "previous"  # rotary encoder, anticlockwise


BUTTON_KEYS = (Key.UP, Key.DOWN, Key.SELECT, Key.BACK)  # the four push buttons, in this order
BUTTONS = tuple(key.value for key in BUTTON_KEYS)  # their names: in the config, the code, the log


class Cue(str, Enum):
    """A sound cue; each has a WAV of the same name in sounds/."""

    START = "start"
    STEP = "step"
    HALF = "half"
    END = "end"
    REMINDER = "reminder"  # time to practise
    CHECKIN = "checkin"  # a soft tone: how is your pain?


class InputQueue:
    """Thread-safe hand-over from button threads to the main loop.

    GPIO callbacks run on gpiozero's threads; they only `put` here (or `wake`). The main
    loop blocks in `get` until a key arrives, a wake comes, or its timeout (the next
    visible change) passes, so a press wakes it at once and an idle kiosk sleeps. `put`
    and `wake` are safe from a signal handler too (a SimpleQueue's put is reentrant).
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Key | None] = queue.SimpleQueue()

    def put(self, key: Key) -> None:
        self._queue.put(key)

    def wake(self) -> None:
        """End the loop's wait without a key: something it waits for has changed (a
        button began a hold, the process was asked to stop)."""
        self._queue.put(None)

    def get(self, timeout: float) -> Key | None:
        """The next key, or None when a wake comes or `timeout` seconds pass first
        (0 = don't wait)."""
        try:
            if timeout <= 0:
                return self._queue.get_nowait()
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def drain(self) -> list[Key]:
        """Every key waiting now, oldest first (wakes are dropped)."""
        keys = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return keys
            if item is not None:
                keys.append(item)
