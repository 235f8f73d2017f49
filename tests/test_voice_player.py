"""The voice's pygame player on SDL's dummy audio driver: its own reserved channel, volume,
cutting short, and never an exception (no mixer, a broken WAV, a mixer opened anew)."""

from __future__ import annotations

import logging

import pygame
import pytest
from test_voice import write_tone

from kiosk.devices.sound import BUFFER, CHANNELS, FREQUENCY
from kiosk.voice.pygame_player import VOICE_CHANNEL, ChannelPlayer


def open_mixer():
    pygame.mixer.init(frequency=FREQUENCY, size=-16, channels=CHANNELS, buffer=BUFFER)


@pytest.fixture
def mixer():
    open_mixer()
    yield
    pygame.mixer.set_reserved(0)
    pygame.mixer.quit()


@pytest.fixture
def words(tmp_path):
    path = tmp_path / "words.wav"
    write_tone(path, 20.0)  # far longer than any test: still playing whenever it is looked at
    return path


def voice_channel():
    return pygame.mixer.Channel(VOICE_CHANNEL)


def test_words_play_on_the_voice_channel_at_their_volume(mixer, words):
    prepared = []
    player = ChannelPlayer(prepare=lambda: prepared.append(True))
    player.play_wav(words, 0.4)
    assert prepared == [True]  # the chimes' player was asked to have the device open
    assert player.busy() and voice_channel().get_busy()
    assert voice_channel().get_volume() == pytest.approx(0.4, abs=0.01)
    player.play_wav(words, 1.7)
    assert voice_channel().get_volume() == pytest.approx(1.0, abs=0.01)
    player.stop()
    assert not player.busy()
    player.close()


def fill_with_chimes(chime) -> None:
    for _ in range(pygame.mixer.get_num_channels() + 2):
        chime.play()  # the first free channel each time, until none is free (no stealing)


def test_chimes_never_take_the_voice_channel(mixer, words):
    chime = pygame.mixer.Sound(str(words))
    player = ChannelPlayer()  # reserves the channel at once, before any word is said
    fill_with_chimes(chime)
    assert not voice_channel().get_busy()  # kept free, so words never cut a chime
    player.play_wav(words, 0.8)
    speaking = voice_channel().get_sound()
    assert speaking is not chime and voice_channel().get_busy()
    busy = [pygame.mixer.Channel(n).get_busy() for n in range(pygame.mixer.get_num_channels())]
    assert all(busy)  # the chimes play on, beside the words
    player.close()  # the reservation is given back: the chimes may use every channel again
    pygame.mixer.stop()
    fill_with_chimes(chime)
    assert voice_channel().get_sound() is chime


def test_the_reservation_holds_when_the_mixer_is_opened_again(mixer, words):
    player = ChannelPlayer()
    pygame.mixer.quit()  # the chimes' player shut the device when the kiosk was quiet
    open_mixer()
    player.play_wav(words, 0.5)
    player.stop()
    fill_with_chimes(pygame.mixer.Sound(str(words)))
    assert not voice_channel().get_busy()


def test_a_shut_mixer_or_a_broken_wav_is_one_warning_never_an_exception(tmp_path, words, caplog):
    log = logging.getLogger("test.voice.player")
    assert pygame.mixer.get_init() is None
    player = ChannelPlayer(log=log)
    with caplog.at_level(logging.WARNING):
        player.play_wav(words, 0.5)
        player.stop()
        assert not player.busy()
        open_mixer()
        try:
            broken = tmp_path / "broken.wav"
            broken.write_bytes(b"RIFF but not really")
            player.play_wav(broken, 0.5)
            player.play_wav(tmp_path / "missing.wav", 0.5)
            assert not player.busy()
        finally:
            pygame.mixer.quit()
    warnings = [r.getMessage() for r in caplog.records if r.name == "test.voice.player"]
    assert len(warnings) == 1 and "the audio device is shut" in warnings[0]
