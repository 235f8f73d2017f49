"""The chimes: one WAV per `Cue`, played through pygame's mixer.

Sound is a help, never a reason to stop: with no audio device (`pygame.mixer.init()`
raises `pygame.error`, common on a Pi with HDMI off or no speaker) the player logs one
warning and stays silent, and `problem` says why so the app can show a notice. A missing or
broken WAV silences that cue alone. `play()` never raises. Runs on pygame >= 2.1.2.

An open audio device costs a thread that wakes every buffer (~43 times a second) even in
silence, so the device is open only while it may be needed: opened at start to check it
and the WAVs, shut again at once, reopened by the loop when someone presses a button (a
cue may follow) or by a cue itself, and shut after `quiet_seconds` without a cue or a
press (`rest()`, called by the loop every turn; `next_due_in()` says when).
"""

from __future__ import annotations

import io
import logging
import os
import time
from pathlib import Path
from typing import Callable

import pygame

from kiosk.config import SoundsConfig
from kiosk.devices import alsa
from kiosk.events import Cue

_log = logging.getLogger(__name__)

# 44.1 kHz stereo opens on every device we target (HDMI on vc4 refuses odd rates); SDL
# converts the 22.05 kHz mono WAVs once, at load. 1024 frames is ~23 ms: small enough
# for a cue, large enough not to underrun on a Pi Zero.
FREQUENCY = 44100
CHANNELS = 2
BUFFER = 1024
QUIET_SECONDS = 60.0  # the device is shut after this long without a cue or a press


RETRY_SECONDS = 60.0  # an audio device that would not open is tried again this often


class SoundPlayer:
    """Plays the cue WAVs found in `directory`: one `<cue>.wav` for every `Cue` (start,
    step, half, end, reminder, checkin), read and checked up front.

    `problem` is None when every cue is ready (or sound is off in the config), otherwise
    a short reason for a notice on screen.
    """

    def __init__(
        self,
        config: SoundsConfig,
        directory: Path,
        log: logging.Logger | None = None,
        clock: Callable[[], float] = time.monotonic,
        quiet_seconds: float = QUIET_SECONDS,
    ):
        self._log = log or _log
        self._directory = Path(directory)
        self._clock = clock
        self.quiet_seconds = quiet_seconds
        self._wavs: dict[Cue, bytes] = {}  # every usable cue's file, kept to reopen without the disk
        self._sounds: dict[Cue, pygame.mixer.Sound] = {}  # made from them while the device is open
        self._owns_mixer = False
        self._open = False  # this player opened the device and made its sounds
        self._last_use = 0.0
        self._play_failed = False
        self._closed = False
        self.enabled = bool(config.enabled)
        self.volume = _fraction(config.volume)
        self.problem: str | None = None
        self._device = getattr(config, "device", "auto") or "auto"  # sounds.device
        self._startup_env = dict(os.environ)  # AUDIODEV chosen again from this at every try
        self._said_device: dict[str, str] | None = None
        self._retry_at: float | None = None  # no device opened: try again then (a USB speaker plugged in later)
        if not self.enabled:
            self._log.info("sounds are off in the config")
            return
        self._start()

    def _start(self) -> bool:
        """Choose the device, open it, check every cue, shut it until someone is here."""
        if not self._open_mixer():
            self._retry_at = self._clock() + RETRY_SECONDS
            return False
        self._retry_at = None
        self.problem = None
        self._load()
        self._shut()  # checked; nobody needs it until someone is here
        return True

    @property
    def ready(self) -> bool:
        """True when at least one cue can be heard."""
        return bool(self._wavs)

    @property
    def cues(self) -> set[Cue]:
        """The cues that have a usable WAV."""
        return set(self._wavs)

    @property
    def device_open(self) -> bool:
        """True while this player holds the audio device open."""
        return self._open

    def _choose_device(self) -> None:
        """sounds.device (auto: a USB speaker, else the connected HDMI screen, else the jack)
        as AUDIODEV for SDL's ALSA driver, before the mixer opens; said in the log when it
        changes."""
        chosen = alsa.sound_env(self._startup_env, self._device)
        if chosen != self._said_device:
            alsa.sound_env(self._startup_env, self._device, log=self._log)  # the one line that says why
            self._said_device = chosen
        for name in (alsa.DEVICE_VARIABLE, alsa.DRIVER_VARIABLE):
            if name in chosen:
                os.environ[name] = chosen[name]
            elif name not in self._startup_env:
                os.environ.pop(name, None)

    def _open_mixer(self) -> bool:
        self._choose_device()
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=FREQUENCY, size=-16, channels=CHANNELS, buffer=BUFFER)
                self._owns_mixer = True
            self._open = True
            self._last_use = self._clock()
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
                data = path.read_bytes()
                sound = _make_sound(data, self.volume)
            except Exception as exc:  # FileNotFoundError, pygame.error (not a WAV)
                missing.append(cue.value)
                self._log.warning("sound %s unusable, that cue is silent: %s", path, exc)
                continue
            self._wavs[cue] = data
            self._sounds[cue] = sound
        if missing:
            self.problem = "sound missing: " + ", ".join(missing)

    def prepare(self) -> None:
        """Open the device now if it is shut, with every cue's sound made (someone is here:
        a cue may follow), and start its quiet time again. Never raises."""
        if not self._wavs or self._closed or not self._reopen():
            return
        self._last_use = self._clock()
        try:
            for cue in self._wavs:
                self._sound(cue)
        except Exception as exc:  # pygame.error: the next play() says it, once
            self._log.debug("making the sounds: %s", exc)

    def play(self, cue: Cue) -> None:
        """Start the chime for `cue` (returns at once, after opening the device if it was
        shut). Silent, and never raising, when sound is off or unavailable."""
        if cue not in self._wavs or self._closed:
            return
        try:
            if not self._reopen():
                raise RuntimeError("the audio device does not open")
            # Sound.play() after the mixer is shut (pygame.quit() at exit) is a segfault
            # in pygame 2.1.2 and 2.6.1 alike, not an exception: look first.
            if pygame.mixer.get_init() is None:
                raise RuntimeError("the mixer is shut")
            self._sound(cue).play()
            self._last_use = self._clock()
        except Exception as exc:
            if not self._play_failed:
                self._play_failed = True
                self._log.warning("could not play %s: %s", cue.value, exc)

    def rest(self) -> None:
        """Shut the device once it has been quiet for `quiet_seconds` (no cue, no press,
        nothing playing). Only a device this player opened is shut."""
        if not self._open or not self._owns_mixer:
            return
        if self._clock() - self._last_use < self.quiet_seconds:
            return
        try:
            if pygame.mixer.get_init() is not None and pygame.mixer.get_busy():
                return  # a cue is still sounding: look again next turn
        except Exception:
            self._log.debug("mixer busy check failed", exc_info=True)
        self._shut()
        self._log.debug("sound device shut after %.0f s of quiet", self.quiet_seconds)

    def next_due_in(self) -> float | None:
        """Seconds until `rest()` may shut the device (or try again to open one that would
        not open); None while there is nothing to do."""
        if self._retry_at is not None and not self._closed:
            return max(0.0, self._retry_at - self._clock())
        if not self._open or not self._owns_mixer:
            return None
        return max(0.0, self._last_use + self.quiet_seconds - self._clock())

    def retry(self) -> bool:
        """No device opened at start: once a minute, choose and open again (a USB speaker
        plugged in later works). True when sound has just come back."""
        if self._retry_at is None or self._closed or self._clock() < self._retry_at:
            return False
        if self._start():
            self._log.info("sound device open now")
            return True
        return False

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
        self._closed = True
        self._shut()
        self._wavs = {}

    def _reopen(self) -> bool:
        """The device open (True at once when it already is); sounds are made as asked for."""
        if self._open:
            return True
        if pygame.mixer.get_init() is None:
            started = time.perf_counter()
            try:
                pygame.mixer.init(frequency=FREQUENCY, size=-16, channels=CHANNELS, buffer=BUFFER)
            except Exception as exc:
                if not self._play_failed:
                    self._play_failed = True
                    self._log.warning("the audio device does not open again: %s", exc)
                return False
            self._owns_mixer = True
            self._log.debug("sound device opened in %.1f ms", 1e3 * (time.perf_counter() - started))
        self._open = True
        return True

    def _sound(self, cue: Cue) -> pygame.mixer.Sound:
        """`cue`'s sound on the open device, made from its WAV the first time it is asked
        for (making all six takes ~10 ms: the first cue after a quiet time waits for one)."""
        sound = self._sounds.get(cue)
        if sound is None:
            sound = self._sounds[cue] = _make_sound(self._wavs[cue], self.volume)
        return sound

    def _shut(self) -> None:
        """Stop and forget the sounds; shut the mixer if this player opened it."""
        sounds, self._sounds = self._sounds, {}
        self._open = False
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


def _make_sound(data: bytes, volume: float) -> pygame.mixer.Sound:
    sound = pygame.mixer.Sound(file=io.BytesIO(data))
    sound.set_volume(volume)
    return sound


def _fraction(percent: int | float) -> float:
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return 1.0
    return min(100.0, max(0.0, value)) / 100.0
