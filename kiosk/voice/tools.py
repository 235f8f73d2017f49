"""The voice on the command line: `desens-kiosk voice --render` fills the cache ahead of time
(install-pi.sh, image builds), `desens-kiosk voice --say "text"` speaks one line to check
the speaker. Both run in the foreground and answer with one line (`Outcome`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.voice.cache import VoiceCache, voice_cache_dir
from kiosk.voice.engines import EngineChoice, EngineError, choose_engine, describe
from kiosk.voice.lines import sentence
from kiosk.voice.speaker import Player
from kiosk.voice.wav import wav_seconds
from kiosk.voice.worker import render_texts

SAY_MARGIN_SECONDS = 0.5  # the mixer's buffer drains after the last sample is handed over


@dataclass(frozen=True)
class Outcome:
    """How a voice command went: `ok` for the exit status, `message` to print."""

    ok: bool
    message: str


def render_all(
    texts: Iterable[str],
    *,
    engine: str = "auto",
    model: str | Path | None = None,
    cache_dir: str | Path | None = None,
    prune: bool = True,
    progress: Callable[[int, int], None] | None = None,
    choice: EngineChoice | None = None,
) -> Outcome:
    """Render every sentence of `texts` not yet cached, here and now; `progress(done, total)`
    after each. With `prune`, WAVs of sentences no longer configured are deleted."""
    choice = choice or choose_engine(engine, model)
    if choice.engine is None:
        return Outcome(False, choice.reason or "no voice")
    directory = Path(cache_dir) if cache_dir is not None else voice_cache_dir()
    try:
        cache = VoiceCache.for_engine(directory, choice.engine)
    except OSError as error:
        return Outcome(False, f"no voice: {error}")
    texts = list(dict.fromkeys(texts))
    done = 0

    def count(event: dict) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(texts))

    started = time.monotonic()
    status = render_texts(choice.engine, cache, texts, prune=prune, on_event=count)
    took = time.monotonic() - started
    line = f"{describe(choice.engine)}: {status.summary()} in {took:.1f} s, in {directory}"
    return Outcome(status.failed == 0, line)


def say(
    text: str,
    *,
    engine: str = "auto",
    model: str | Path | None = None,
    cache_dir: str | Path | None = None,
    volume: float = 1.0,
    player: Player | None = None,
    wait: Callable[[float], None] = time.sleep,
    choice: EngineChoice | None = None,
) -> Outcome:
    """Speak `text` once through the speaker (rendering it into the cache first if needed)
    and return when it has been heard. Without `player`, pygame's mixer is opened here."""
    choice = choice or choose_engine(engine, model)
    if choice.engine is None:
        return Outcome(False, choice.reason or "no voice")
    spoken = sentence(text)
    if not spoken:
        return Outcome(False, "nothing to say")
    directory = Path(cache_dir) if cache_dir is not None else voice_cache_dir()
    try:
        cache = VoiceCache.for_engine(directory, choice.engine)
        started = time.monotonic()
        path = cache.path_for(spoken) or cache.render(choice.engine, spoken)
        took = time.monotonic() - started
    except (OSError, EngineError) as error:
        return Outcome(False, f"no voice: {error}")
    seconds = wav_seconds(path) or 0.0
    close = None
    if player is None:
        player, close, problem = _open_player()
        if problem:
            return Outcome(False, problem)
    assert player is not None
    try:
        player.play_wav(path, volume)
        wait(seconds + SAY_MARGIN_SECONDS)
    finally:
        if close is not None:
            close()
    said = f"said {spoken!r} ({seconds:.1f} s of speech, ready in {took:.2f} s)"
    return Outcome(True, f"{describe(choice.engine)}: {said}")


def _open_player():
    """A mixer and a voice channel for the command line, as the kiosk opens them."""
    import pygame

    from kiosk.devices.sound import BUFFER, CHANNELS, FREQUENCY
    from kiosk.voice.pygame_player import ChannelPlayer

    try:
        pygame.mixer.init(frequency=FREQUENCY, size=-16, channels=CHANNELS, buffer=BUFFER)
    except Exception as error:  # pygame.error: no audio device
        return None, None, f"no voice: no audio device ({error})"
    player = ChannelPlayer()

    def close() -> None:
        player.close()
        pygame.mixer.quit()

    return player, close, None
