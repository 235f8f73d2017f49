"""The words played through pygame's mixer, on a channel of their own.

The voice takes mixer channel 0 and reserves it (`pygame.mixer.set_reserved(1)`), so a
chime's `Sound.play()` never lands on it: a chime never cuts the words, and the words never
take a chime's channel. The mixer is the one the chimes use (kiosk.devices.sound), which
may shut the device when quiet and open it again: so the reservation is made again and the
WAV read afresh at every sentence (a Sound made before the mixer was shut must never be
played), and `prepare` (the chimes' player's) is called first to have the device open and
keep it open while the words play. Never raises. pygame >= 2.1.2.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pygame

VOICE_CHANNEL = 0
_log = logging.getLogger(__name__)


class ChannelPlayer:
    """Plays one WAV at a time on the reserved voice channel (a `kiosk.voice.speaker.Player`).
    `prepare`, when given, opens the audio device if it is shut (SoundPlayer.prepare)."""

    def __init__(self, prepare: Callable[[], None] | None = None, log: logging.Logger | None = None):
        self._prepare = prepare
        self._log = log or _log
        self._failed = False
        self._sound: pygame.mixer.Sound | None = None  # the sentence playing, kept while it plays
        try:
            if pygame.mixer.get_init() is not None:
                _voice_channel()  # reserved from the start, so no chime is playing on it later
        except Exception:
            self._log.debug("voice channel not reserved yet", exc_info=True)

    def play_wav(self, path: Path, volume: float) -> None:
        """Start `path` on the voice channel (cutting whatever it was saying) at `volume`."""
        try:
            if self._prepare is not None:
                self._prepare()
            # Playing after the mixer is shut is a segfault in pygame, not an exception.
            if pygame.mixer.get_init() is None:
                raise RuntimeError("the audio device is shut")
            channel = _voice_channel()
            sound = pygame.mixer.Sound(str(path))
            channel.play(sound)
            channel.set_volume(min(1.0, max(0.0, float(volume))))  # after play, which may reset it
            self._sound = sound
        except Exception as error:  # a missing or broken WAV: silence, once in the log
            if not self._failed:
                self._failed = True
                self._log.warning("could not play the voice (%s): %s", Path(path).name, error)

    def stop(self) -> None:
        """Cut the words short (nothing happens when none are playing)."""
        self._sound = None
        try:
            if pygame.mixer.get_init() is not None:
                pygame.mixer.Channel(VOICE_CHANNEL).stop()
        except Exception:
            self._log.debug("voice stop failed", exc_info=True)

    def busy(self) -> bool:
        """True while words are playing."""
        try:
            return pygame.mixer.get_init() is not None and bool(pygame.mixer.Channel(VOICE_CHANNEL).get_busy())
        except Exception:
            return False

    def close(self) -> None:
        """Stop, and give the channel back to the chimes."""
        self.stop()
        try:
            if pygame.mixer.get_init() is not None:
                pygame.mixer.set_reserved(0)
        except Exception:  # the mixer shutting under us: nothing left to give back
            pass


def _voice_channel() -> pygame.mixer.Channel:
    """Channel 0, reserved for the voice (again: a mixer opened anew forgets it)."""
    if pygame.mixer.get_num_channels() < 2:
        pygame.mixer.set_num_channels(8)
    pygame.mixer.set_reserved(VOICE_CHANNEL + 1)
    return pygame.mixer.Channel(VOICE_CHANNEL)
