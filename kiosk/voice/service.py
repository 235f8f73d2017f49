"""The kiosk's voice in one object for the app: the engine chosen from the config, its cache,
the background render and the speaker the session drives.

`Voice.open` never raises: with no engine, no model, no audio device or a render process
that cannot start, the voice is silent, the log has one line saying why, and `problem`
holds that line for the clinician's list of problems (`why` names the reason for text.py).
The loop calls `poll` (takes in the render's news without waiting) and the speaker's
`tick`/`due_in`; once the render is done `poll` does nothing at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from kiosk.events import Cue
from kiosk.voice.cache import VoiceCache, voice_cache_dir
from kiosk.voice.engines import Engine, EngineChoice, Why, choose_engine, describe
from kiosk.voice.speaker import Player, Speaker
from kiosk.voice.worker import RenderJob, start_rendering

_log = logging.getLogger(__name__)


class Voice:
    """The engine, cache, render job and speaker of one running kiosk."""

    def __init__(
        self,
        speaker: Speaker,
        *,
        engine: Engine | None = None,
        cache: VoiceCache | None = None,
        why: Why | None = None,
        problem: str | None = None,
        log: logging.Logger | None = None,
    ):
        self.speaker = speaker
        self.engine = engine
        self.cache = cache
        self.why = why
        self.problem = problem
        self._log = log or _log
        self.job: RenderJob | None = None

    @classmethod
    def open(
        cls,
        *,
        engine: str,
        model: str | Path | None,
        texts: Iterable[str],
        player: Player | None,
        cue_seconds: Mapping[Cue, float],
        volume: float,
        sounds_enabled: bool = True,
        cache_dir: str | Path | None = None,
        log: logging.Logger | None = None,
        choice: EngineChoice | None = None,
    ) -> Voice:
        """Choose the engine, start rendering `texts` in the background, and return the voice
        (silent, with the reason logged once, when any part is missing)."""
        log = log or _log

        def silent(why: Why | None, reason: str | None, problem: bool) -> Voice:
            if reason:
                (log.warning if problem else log.info)("%s", reason)
            return cls(Speaker(None, None, cue_seconds), why=why, problem=reason if problem else None, log=log)

        if not sounds_enabled:
            return silent(Why.SOUNDS_OFF, "no voice: sounds are off in the config", False)
        choice = choice or choose_engine(engine, model)
        if choice.engine is None:
            return silent(choice.why, choice.reason, choice.problem)
        player_problem = getattr(player, "problem", None)
        if player is None or player_problem:
            return silent(Why.NO_AUDIO, player_problem or "no voice: no audio device", True)
        directory = Path(cache_dir) if cache_dir is not None else voice_cache_dir()
        try:
            cache = VoiceCache.for_engine(directory, choice.engine)
        except OSError as error:  # the model vanished between the choice and here
            return silent(Why.MODEL_MISSING, f"no voice: {error}", True)
        voice = cls(Speaker(player, cache.path_for, cue_seconds, volume, log=log),
                    engine=choice.engine, cache=cache, log=log)
        voice.render(texts)
        log.info("voice: %s, cache %s", describe(choice.engine), directory)
        return voice

    @property
    def active(self) -> bool:
        """True when words can be heard (an engine, a player and no failed render)."""
        return self.speaker.active

    def render(self, texts: Iterable[str]) -> None:
        """(Re)start the background render of `texts`: at start-up, and after a config
        change gives new prompts. A render still running is stopped first; what it
        finished stays cached."""
        if self.engine is None or self.cache is None:
            return
        if self.job is not None:
            self.job.stop()
        self.job = start_rendering(self.engine, self.cache, texts)
        if self.job.status.finished and self.job.status.problem:
            self._failed(self.job.status.problem)

    def poll(self) -> None:
        """Take in the render's news without waiting; log its end (or its failure) once."""
        job = self.job
        if job is None:
            return
        status = job.poll()
        if not status.finished:
            return
        self.job = None
        if status.problem:
            self._failed(status.problem if status.ready == 0 else status.summary())
        else:
            self._log.info("voice: %s", status.summary())

    def _failed(self, reason: str) -> None:
        """The engine does not render: one log line, shown as a problem. WAVs already in the
        cache are still spoken; a sentence that failed is just not said."""
        line = reason if reason.startswith("no voice") else f"voice: {reason}"
        self._log.warning("%s", line)
        self.why = Why.RENDER_FAILED
        self.problem = line

    def due_in(self, now: float) -> float | None:
        return self.speaker.due_in(now)

    def tick(self, now: float) -> None:
        self.speaker.tick(now)

    def close(self) -> None:
        """Stop the words and the render (the kiosk is closing)."""
        self.speaker.silence()
        if self.job is not None:
            self.job.stop()
            self.job = None
