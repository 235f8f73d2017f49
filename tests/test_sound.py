"""The cue player (on SDL's dummy audio driver) and the chime generator."""

from __future__ import annotations

import importlib.util
import logging
import shutil
import wave
from pathlib import Path

import pygame
import pytest

from kiosk.config import SoundsConfig
from kiosk.devices.sound import SoundPlayer
from kiosk.events import Cue
from kiosk.paths import sounds_dir

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "make_sounds.py"
COMMITTED = REPO / "sounds"


@pytest.fixture
def player_factory():
    players = []

    def make(config=SoundsConfig(), directory=COMMITTED, log=None, clock=None):
        kwargs = {"clock": clock} if clock is not None else {}
        player = SoundPlayer(config, directory, log or logging.getLogger("test.sound"), **kwargs)
        players.append(player)
        return player

    yield make
    for player in players:
        player.close()
    pygame.mixer.quit()


def warnings_in(caplog):
    return [r for r in caplog.records if r.levelno == logging.WARNING]


def test_plays_every_cue_on_the_dummy_driver(player_factory, caplog):
    with caplog.at_level(logging.WARNING):
        player = player_factory()
    assert player.problem is None
    assert player.ready
    assert player.cues == set(Cue)  # every cue, the new ones too
    assert pygame.mixer.get_init() is None  # checked at start, then shut until needed
    for cue in Cue:
        player.play(cue)
    assert pygame.mixer.get_init() is not None and player.device_open
    assert not warnings_in(caplog)


def test_volume_maps_percent_to_fraction(player_factory):
    player = player_factory(SoundsConfig(volume=40))
    assert player.volume == pytest.approx(0.4)
    player.prepare()
    assert player._sounds[Cue.START].get_volume() == pytest.approx(0.4, abs=0.01)
    player.set_volume(150)
    assert player.volume == 1.0
    player.set_volume(-5)
    assert player.volume == 0.0


def test_disabled_does_not_open_the_mixer(player_factory, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("mixer opened although sounds are off")

    monkeypatch.setattr(pygame.mixer, "init", boom)
    player = player_factory(SoundsConfig(enabled=False))
    assert player.problem is None
    assert not player.ready
    player.play(Cue.END)


def test_no_audio_device_runs_silently_with_one_warning(player_factory, monkeypatch, caplog):
    def no_device(*args, **kwargs):
        raise pygame.error("ALSA: Couldn't open audio device: No such file or directory")

    monkeypatch.setattr(pygame.mixer, "init", no_device)
    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    with caplog.at_level(logging.WARNING):
        player = player_factory()
        for cue in Cue:
            player.play(cue)  # silent, never raises
        player.play(Cue.START)
    assert player.problem
    assert not player.ready
    assert len(warnings_in(caplog)) == 1
    player.close()


def test_missing_sound_folder_warns_once(player_factory, tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        player = player_factory(directory=tmp_path / "nowhere")
        player.play(Cue.STEP)
    assert player.problem
    assert len(warnings_in(caplog)) == 1


def test_one_missing_or_broken_wav_silences_that_cue_only(player_factory, tmp_path, caplog):
    for name in ("start", "step", "half", "reminder", "checkin"):
        shutil.copy(COMMITTED / f"{name}.wav", tmp_path)
    (tmp_path / "half.wav").write_bytes(b"RIFF not really a wave file")
    with caplog.at_level(logging.WARNING):
        player = player_factory(directory=tmp_path)
        for cue in Cue:
            player.play(cue)
    assert player.cues == {Cue.START, Cue.STEP, Cue.REMINDER, Cue.CHECKIN}
    assert "half" in player.problem and "end" in player.problem
    assert len(warnings_in(caplog)) == 2  # one per unusable cue, none from play()


def test_play_after_the_mixer_is_gone_never_raises(player_factory, caplog):
    player = player_factory()
    player.prepare()
    pygame.mixer.quit()  # e.g. pygame.quit() during shutdown
    with caplog.at_level(logging.WARNING):
        player.play(Cue.START)
        player.play(Cue.END)
    assert len(warnings_in(caplog)) == 1  # warned once, and no segfault
    player.close()


def test_does_not_close_a_mixer_it_did_not_open(player_factory):
    pygame.mixer.init()
    player = player_factory()
    player.close()
    assert pygame.mixer.get_init() is not None


class Clock:
    def __init__(self):
        self.now = 500.0

    def __call__(self):
        return self.now


def test_the_device_is_shut_after_a_quiet_minute_and_opens_again_for_a_cue(player_factory, monkeypatch):
    monkeypatch.setattr(pygame.mixer, "get_busy", lambda: False)  # the fake minute passes in no time
    clock = Clock()
    player = player_factory(clock=clock)
    assert not player.device_open and player.next_due_in() is None  # nothing to shut
    player.prepare()  # someone pressed a button
    assert player.device_open and pygame.mixer.get_init() is not None
    assert player.next_due_in() == pytest.approx(60.0)
    clock.now += 59
    player.play(Cue.STEP)  # a cue starts the quiet time again
    clock.now += 59.5
    player.rest()
    assert player.device_open
    assert player.next_due_in() == pytest.approx(0.5)
    clock.now += 0.5
    player.rest()
    assert not player.device_open and pygame.mixer.get_init() is None
    assert player.next_due_in() is None
    player.play(Cue.END)  # opens again, making only the sound it plays
    assert player.device_open and pygame.mixer.get_init() is not None
    assert set(player._sounds) == {Cue.END}
    player.prepare()  # someone is here: every sound is made, off the cue's path
    assert set(player._sounds) == set(Cue)


def test_the_device_is_not_shut_while_a_cue_sounds(player_factory, monkeypatch):
    clock = Clock()
    player = player_factory(clock=clock)
    player.play(Cue.END)
    clock.now += 61
    monkeypatch.setattr(pygame.mixer, "get_busy", lambda: True)
    player.rest()
    assert player.device_open
    monkeypatch.setattr(pygame.mixer, "get_busy", lambda: False)
    player.rest()
    assert not player.device_open


def test_a_mixer_it_did_not_open_is_never_shut_for_quiet(player_factory):
    clock = Clock()
    pygame.mixer.init()
    player = player_factory(clock=clock)
    player.play(Cue.START)
    clock.now += 3600
    assert player.next_due_in() is None
    player.rest()
    assert pygame.mixer.get_init() is not None and player.device_open


def test_a_device_that_does_not_open_again_is_one_warning_and_silence(player_factory, monkeypatch, caplog):
    player = player_factory()
    real_init = pygame.mixer.init

    def no_device(*args, **kwargs):
        raise pygame.error("ALSA: Couldn't open audio device: Device or resource busy")

    monkeypatch.setattr(pygame.mixer, "init", no_device)
    with caplog.at_level(logging.WARNING):
        player.prepare()
        player.play(Cue.START)
        player.play(Cue.STEP)
    assert len(warnings_in(caplog)) == 1 and "does not open again" in caplog.text
    assert not player.device_open
    monkeypatch.setattr(pygame.mixer, "init", real_init)
    player.play(Cue.END)  # the device is back: so is the sound
    assert player.device_open


def test_after_close_nothing_opens_the_device_again(player_factory):
    player = player_factory()
    player.play(Cue.START)
    player.close()
    assert pygame.mixer.get_init() is None
    player.prepare()
    player.play(Cue.END)
    assert pygame.mixer.get_init() is None and not player.device_open


def test_bundled_sounds_folder_is_the_committed_one():
    assert sounds_dir().resolve() == COMMITTED.resolve()


# --- the generator -----------------------------------------------------------------------


def load_script():
    spec = importlib.util.spec_from_file_location("make_sounds", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic_and_matches_the_committed_wavs(tmp_path, capsys):
    script = load_script()
    assert script.main(["--out", str(tmp_path / "a")]) == 0
    assert script.main(["--out", str(tmp_path / "b")]) == 0
    for cue in Cue:
        first = (tmp_path / "a" / f"{cue.value}.wav").read_bytes()
        assert first == (tmp_path / "b" / f"{cue.value}.wav").read_bytes()
        committed = COMMITTED / f"{cue.value}.wav"
        assert committed.is_file(), f"{committed} missing: run scripts/make_sounds.py"
        assert first == committed.read_bytes(), (
            f"{committed} differs from the generator: run scripts/make_sounds.py"
        )


@pytest.mark.parametrize("cue", list(Cue), ids=lambda c: c.value)
def test_committed_wav_is_small_valid_and_soft(cue):
    path = COMMITTED / f"{cue.value}.wav"
    assert path.stat().st_size < 40_000
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getframerate() == 22050
        frames = wav.getnframes()
        data = wav.readframes(frames)
    assert 0.2 < frames / 22050 < 1.0
    import array
    import sys

    samples = array.array("h", data)
    if sys.byteorder == "big":
        samples.byteswap()
    assert samples[0] == 0 and samples[-1] == 0  # no click at either end
    assert max(abs(s) for s in samples) <= 0.55 * 32767  # about -6 dBFS at most


def test_committed_wavs_are_distinct_and_end_is_longest():
    data = {cue: (COMMITTED / f"{cue.value}.wav").read_bytes() for cue in Cue}
    assert len(set(data.values())) == len(Cue)
    assert max(data, key=lambda cue: len(data[cue])) is Cue.END


def read_samples(cue):
    import array
    import sys

    with wave.open(str(COMMITTED / f"{cue.value}.wav"), "rb") as wav:
        samples = array.array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def rms(samples):
    return (sum(s * s for s in samples) / len(samples)) ** 0.5


def test_checkin_is_the_softest_cue_and_reminder_is_not_alarming():
    peaks = {cue: max(abs(s) for s in read_samples(cue)) for cue in Cue}
    loudness = {cue: rms(read_samples(cue)) for cue in Cue}
    # check-in: softer than the reminder and than every other cue, by peak and by energy
    assert min(peaks, key=peaks.get) is Cue.CHECKIN
    assert min(loudness, key=loudness.get) is Cue.CHECKIN
    assert peaks[Cue.CHECKIN] < 0.8 * peaks[Cue.REMINDER]
    # the reminder must be heard, but never louder than the session's own chimes
    assert peaks[Cue.REMINDER] <= peaks[Cue.START]
    assert loudness[Cue.REMINDER] <= max(loudness[c] for c in (Cue.START, Cue.HALF, Cue.END))


def test_reminder_has_two_or_three_notes_and_checkin_one():
    script = load_script()
    assert 2 <= len(script.CHIMES["reminder"]["notes"]) <= 3
    assert len(script.CHIMES["checkin"]["notes"]) == 1
    assert set(script.CHIMES) == {cue.value for cue in Cue}
