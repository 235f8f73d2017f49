"""The chimes: one WAV per `Cue`, played through pygame's mixer.

Sound is a help, never a reason to stop: with no audio device (`pygame.mixer.init()`
raises `pygame.error`, common on a Pi with HDMI off or no speaker) the player logs one
warning and stays silent, and `problem` says why so the app can show a notice. A missing or
broken WAV silences that cue alone. `play()` never raises. Runs on pygame >= 2.1.2.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pygame

from kiosk.config import SoundsConfig
from kiosk.events import Cue

_log = logging.getLogger(__name__)

# 44.1 kHz stereo opens on every device we target (HDMI on vc4 refuses odd rates); SDL
# converts the 22.05 kHz mono WAVs once, at load. 1024 frames is ~23 ms: small enough
# for a cue, large enough not to underrun on a Pi Zero.
FREQUENCY = 44100
CHANNELS = 2
BUFFER = 1024


class SoundPlayer:
    """Plays the cue WAVs found in `directory`: one `<cue>.wav` for every `Cue` (start,
    step, half, end, reminder, checkin), all loaded up front.

    `problem` is None when every cue is ready (or sound is off in the config), otherwise
    a short reason for a notice on screen.
    """

    def __init__(self, config: SoundsConfig, directory: Path, log: logging.Logger | None = None):
        self._log = log or _log
        self._directory = Path(directory)
        self._sounds: dict[Cue, pygame.mixer.Sound] = {}
        self._owns_mixer = False
        self._play_failed = False
        self.enabled = bool(config.enabled)
        self.volume = _fraction(config.volume)
        self.problem: str | None = None
        if not self.enabled:
            self._log.info("sounds are off in the config")
            return
        if not self._open_mixer():
            return
        self._load()

    @property
    def ready(self) -> bool:
        """True when at least one cue can be heard."""
        return bool(self._sounds)

    def _open_mixer(self) -> bool:
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=FREQUENCY, size=-16, channels=CHANNELS, buffer=BUFFER)
                self._owns_mixer = True
            return True
        except Exception as exc:  # pygame.error: no audio device opens
            self.problem = "no sound: audio device not available"
            self._log.warning("no audio device, running silently: %s", exc)
            return False

    def _load(self) -> None:
        if not self._directory.is_dir():
            self.problem = "no sound: sound files missing"
            self._log.warning("sound folder %s not found, running silently", self._directory)
            return
        missing = []
        for cue in Cue:
            path = self._directory / f"{cue.value}.wav"
            try:
                sound = pygame.mixer.Sound(str(path))
                sound.set_volume(self.volume)
            except Exception as exc:  # FileNotFoundError, pygame.error (not a WAV)
                missing.append(cue.value)
                self._log.warning("sound %s unusable, that cue is silent: %s", path, exc)
                continue
            self._sounds[cue] = sound
        if missing:
            self.problem = "sound missing: " + ", ".join(missing)

    def play(self, cue: Cue) -> None:
        """Start the chime for `cue` (returns at once). Silent, and never raising, when
        sound is off or unavailable."""
        sound = self._sounds.get(cue)
        if sound is None:
            return
        try:
            # Sound.play() after the mixer is shut (pygame.quit() at exit) is a segfault
            # in pygame 2.1.2 and 2.6.1 alike, not an exception: look first.
            if pygame.mixer.get_init() is None:
                raise RuntimeError("the mixer is shut")
            sound.play()
        except Exception as exc:
            if not self._play_failed:
                self._play_failed = True
                self._log.warning("could not play %s: %s", cue.value, exc)

    def set_volume(self, percent: int | float) -> None:
        """Change the volume, 0-100 (clamped)."""
        self.volume = _fraction(percent)
        if pygame.mixer.get_init() is None:
            return
        for sound in self._sounds.values():
            try:
                sound.set_volume(self.volume)
            except Exception:
                self._log.debug("set_volume failed", exc_info=True)

    def close(self) -> None:
        """Stop and forget the sounds, and shut the mixer if this player opened it."""
        sounds, self._sounds = self._sounds, {}
        if pygame.mixer.get_init() is not None:
            for sound in sounds.values():
                try:
                    sound.stop()
                except Exception:
                    pass
        if self._owns_mixer:
            self._owns_mixer = False
            try:
                pygame.mixer.quit()
            except Exception:
                self._log.debug("mixer quit failed", exc_info=True)


def _fraction(percent: int | float) -> float:
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return 1.0
    return min(100.0, max(0.0, value)) / 100.0
