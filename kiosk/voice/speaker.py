"""When the kiosk speaks during a session: a plain object the session logic drives, with the
time passed in (no clock of its own, no pygame), so tests run a whole session in an instant.

The rules it keeps: words come after the chime that marks the moment (the cue's length
plus a breath), never over it; any new cue cuts the words before it short; pause silences
the words and resume does not repeat them; a sentence not rendered yet is skipped (the
chime alone is heard). Sound goes out through a `Player`: the kiosk's is a pygame mixer
channel (kiosk.voice.pygame_player), the tests' a list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.events import Cue
from kiosk.voice import lines
from kiosk.voice.wav import wav_seconds

BREATH_SECONDS = 0.3  # silence between the end of a chime and the first word
_log = logging.getLogger(__name__)


class Player(Protocol):
    """Where the words are heard. Neither call may raise or wait."""

    def play_wav(self, path: Path, volume: float) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Pending:
    """A sentence waiting for its chime to end."""

    text: str
    due: float  # on the caller's clock


def cue_lengths(directory: str | Path) -> dict[Cue, float]:
    """Each cue's length in seconds from its `<cue>.wav` in `directory` (0 for a missing
    one: no chime to wait for). Read once at start-up, with the standard library."""
    folder = Path(directory)
    return {cue: wav_seconds(folder / f"{cue.value}.wav") or 0.0 for cue in Cue}


class Speaker:
    """Says a session's sentences at the right moments. With no player or no lookup (no
    voice set up) every call does nothing, so the session calls it unconditionally.

    `lookup(text)` gives the rendered WAV of a sentence or None (the cache's `path_for`);
    `cue_seconds` is each chime's length; `volume` is 0.0-1.0."""

    def __init__(
        self,
        player: Player | None,
        lookup: Callable[[str], Path | None] | None,
        cue_seconds: Mapping[Cue, float],
        volume: float = 1.0,
        *,
        breath: float = BREATH_SECONDS,
        log: logging.Logger | None = None,
    ):
        self._player = player
        self._lookup = lookup
        self._cue_seconds = dict(cue_seconds)
        self._breath = breath
        self._log = log or _log
        self.volume = min(1.0, max(0.0, float(volume)))
        self.pending: Pending | None = None
        self.speaking = False  # words were started and not cut since (they may have ended)
        self.paused = False

    @property
    def active(self) -> bool:
        return self._player is not None and self._lookup is not None

    # -- the session's moments ---------------------------------------------------------
    def start(self, now: float, technique: lines.TechniqueLike) -> None:
        """The countdown started (its chime is playing): name, prompt, first step's prompt."""
        self.paused = False
        self.after_cue(now, Cue.START, lines.start_line(technique))

    def step(self, now: float, technique: lines.TechniqueLike, index: int) -> None:
        """Step `index` (0-based) began with its chime: that step's prompt."""
        self.after_cue(now, Cue.STEP, lines.step_line(technique, index))

    def half(self, now: float, line: str) -> None:
        """Half time, with its chime: the strings table's half-time line."""
        self.after_cue(now, Cue.HALF, lines.sentence(line))

    def end(self, now: float, line: str) -> None:
        """The countdown ended, with its chime: the end line (see lines.end_line)."""
        self.paused = False
        self.after_cue(now, Cue.END, lines.sentence(line))

    def mark(self, now: float, cue: Cue, technique: lines.TechniqueLike, step_index: int, half_line: str) -> None:
        """A countdown mark was just chimed (kiosk.activities.session.Countdown.marks): a
        step change says step `step_index`'s prompt, half time says `half_line`."""
        if cue is Cue.STEP and 0 < step_index < len(technique.steps):
            self.step(now, technique, step_index)
        elif cue is Cue.HALF:
            self.half(now, half_line)

    def after_cue(self, now: float, cue: Cue, text: str) -> None:
        """`cue` is starting now: cut any words, then say `text` once the chime is over."""
        if not self.active:
            return
        self._cut()
        if self.paused:
            self.pending = None
            return
        self.pending = Pending(text, now + self._cue_seconds.get(cue, 0.0) + self._breath)

    def pause(self) -> None:
        """Paused: words stop now and what was waiting is dropped (resume does not repeat it)."""
        self.paused = True
        self.pending = None
        self._cut()

    def resume(self) -> None:
        """Counting again: nothing is said until the next moment."""
        self.paused = False

    def silence(self) -> None:
        """The session is over or left: stop the words and forget what was waiting."""
        self.pending = None
        self.paused = False
        self._cut()

    def set_volume(self, volume: float) -> None:
        """For the next words (0.0-1.0)."""
        self.volume = min(1.0, max(0.0, float(volume)))

    # -- the loop ----------------------------------------------------------------------
    def tick(self, now: float) -> Path | None:
        """Say what is due by `now`; returns the WAV started, if any. Never waits: the WAV
        is looked up in the cache, and a sentence not rendered yet is skipped."""
        pending = self.pending
        if pending is None or now < pending.due or self._player is None or self._lookup is None:
            return None
        self.pending = None
        path = self._lookup(pending.text)
        if path is None:
            self._log.debug("not rendered yet, not spoken: %r", pending.text)
            return None
        self._player.play_wav(path, self.volume)
        self.speaking = True
        return path

    def due_in(self, now: float) -> float | None:
        """Seconds until words are due (for the loop's sleep), or None when nothing waits."""
        if self.pending is None:
            return None
        return max(0.0, self.pending.due - now)

    def _cut(self) -> None:
        if self.speaking and self._player is not None:
            self._player.stop()
        self.speaking = False
