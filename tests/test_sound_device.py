"""sounds.device (issue 17): the ALSA device is chosen before the mixer opens, and a device
that would not open is tried again every minute, so a USB speaker plugged in later works."""

from __future__ import annotations

import os

import pygame
import pytest

from kiosk.config import SoundsConfig
from kiosk.devices import alsa, sound
from kiosk.paths import sounds_dir


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_chosen_device_is_set_before_the_mixer_opens(monkeypatch):
    seen = []
    monkeypatch.setattr(alsa, "sound_env", lambda environ, setting, log=None: {"AUDIODEV": "plughw:CARD=Device,DEV=0"})
    real_init = pygame.mixer.init

    def init(*args, **kwargs):
        seen.append(os.environ.get("AUDIODEV"))
        return real_init(*args, **kwargs)

    monkeypatch.setattr(pygame.mixer, "init", init)
    monkeypatch.delenv("AUDIODEV", raising=False)
    player = sound.SoundPlayer(SoundsConfig(device="auto"), sounds_dir(), clock=Clock())
    try:
        assert seen and seen[0] == "plughw:CARD=Device,DEV=0"
    finally:
        player.close()
        os.environ.pop("AUDIODEV", None)


def test_no_device_at_start_is_tried_again_each_minute(monkeypatch):
    clock = Clock()
    real_init = pygame.mixer.init
    plugged = {"in": False}

    def init(*args, **kwargs):
        if not plugged["in"]:
            raise pygame.error("no audio device")
        return real_init(*args, **kwargs)

    monkeypatch.setattr(pygame.mixer, "init", init)
    if pygame.mixer.get_init():
        pygame.mixer.quit()
    player = sound.SoundPlayer(SoundsConfig(), sounds_dir(), clock=clock)
    try:
        assert player.problem and not player.ready
        assert player.next_due_in() == pytest.approx(60.0)
        clock.now = 61.0
        assert not player.retry()  # still nothing
        plugged["in"] = True
        assert not player.retry()  # not before the next minute
        clock.now = 122.0
        assert player.retry() and player.problem is None and player.ready
    finally:
        player.close()
