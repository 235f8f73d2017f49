"""When the kiosk speaks: the speaker on its own (time passed in, a list for a player), and
driven by a real guided session on the fake clock, the way the session hooks will drive it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone
from pathlib import Path

import pytest
from conftest import make_config

from kiosk.activities.session import Phase
from kiosk.controller import Controller
from kiosk.events import Cue, Key
from kiosk.voice import lines
from kiosk.voice.cache import VoiceCache
from kiosk.voice.speaker import BREATH_SECONDS, Speaker, cue_lengths
from kiosk.voice.worker import render_texts

HALF = "Half way. Keep going."
END = "All done. How much does your {area} hurt now?"
CUES = {Cue.START: 1.0, Cue.STEP: 0.4, Cue.HALF: 0.6, Cue.END: 1.2, Cue.REMINDER: 1.5, Cue.CHECKIN: 0.8}


@dataclass(frozen=True)
class TechniqueStep:
    prompt: str


@dataclass(frozen=True)
class Technique:
    name: str
    prompt: str
    steps: tuple[TechniqueStep, ...] = ()


TOWEL = Technique("Towel rub", "Rub your skin with a towel",
                  (TechniqueStep("Rub up and down"), TechniqueStep("Rub in small circles"), TechniqueStep("Rub side to side")))
TAPPING = Technique("Tapping", "Tap with your fingertips")


class ListPlayer:
    def __init__(self):
        self.calls = []

    def play_wav(self, path, volume):
        self.calls.append(("play", Path(path).name, volume))

    def stop(self):
        self.calls.append(("stop",))

    def played(self):
        return [call[1] for call in self.calls if call[0] == "play"]


def rendered(*texts):
    """A lookup where each text's WAV is '<text>.wav' (the cache's job, faked)."""
    known = {text: Path(f"/cache/{text}.wav") for text in texts}
    return known.get


@pytest.fixture
def player():
    return ListPlayer()


def speaker_for(player, lookup, volume=0.5):
    return Speaker(player, lookup, CUES, volume)


# -- the sentences --------------------------------------------------------------------------
def test_the_sentences_spoken():
    assert lines.start_line(TOWEL) == "Towel rub. Rub your skin with a towel. Rub up and down."
    assert lines.start_line(TAPPING) == "Tapping. Tap with your fingertips."
    assert lines.step_line(TOWEL, 2) == "Rub side to side."
    assert lines.sentence("  Keep   going!  ") == "Keep going!"
    assert lines.end_line(END, "Left leg") == "All done. How much does your left leg hurt now?"
    assert lines.spoken_area("TENS site") == "TENS site"
    assert lines.technique_lines(TOWEL) == [lines.start_line(TOWEL), "Rub in small circles.", "Rub side to side."]


def test_session_texts_cover_every_technique_step_and_area_once():
    @dataclass
    class Area:
        name: str

    @dataclass
    class Profile:
        techniques: tuple
        areas: tuple

    one = Profile((TOWEL, TAPPING), (Area("Left leg"), Area("Back")))
    two = Profile((TAPPING,), (Area("Back"),))
    assert lines.session_texts([one, two], HALF, END) == [
        "Towel rub. Rub your skin with a towel. Rub up and down.",
        "Rub in small circles.",
        "Rub side to side.",
        "Tapping. Tap with your fingertips.",
        HALF,
        "All done. How much does your left leg hurt now?",
        "All done. How much does your back hurt now?",
    ]


def test_volume_follows_sounds_with_the_voice_offset():
    assert lines.voice_volume(80) == pytest.approx(0.8)
    assert lines.voice_volume(80, -30) == pytest.approx(0.5)
    assert lines.voice_volume(90, 25) == 1.0
    assert lines.voice_volume(10, -40) == 0.0


# -- the speaker alone ----------------------------------------------------------------------
def test_start_speaks_name_and_prompt_after_the_start_chime(player):
    start = lines.start_line(TOWEL)
    speaker = speaker_for(player, rendered(start))
    speaker.start(100.0, TOWEL)
    assert speaker.due_in(100.0) == pytest.approx(CUES[Cue.START] + BREATH_SECONDS)
    speaker.tick(100.0 + CUES[Cue.START])  # the chime is still ringing out
    assert player.calls == []
    assert speaker.tick(100.0 + CUES[Cue.START] + BREATH_SECONDS) == Path(f"/cache/{start}.wav")
    assert player.calls == [("play", f"{start}.wav", 0.5)]
    assert speaker.due_in(200.0) is None
    speaker.tick(300.0)
    assert len(player.calls) == 1  # said once


def test_a_new_step_cuts_the_words_short_then_speaks_after_its_chime(player):
    speaker = speaker_for(player, rendered(lines.start_line(TOWEL), "Rub in small circles."))
    speaker.start(0.0, TOWEL)
    speaker.tick(5.0)
    speaker.mark(6.0, Cue.STEP, TOWEL, 1, HALF)
    assert player.calls[-1] == ("stop",)  # the chime is not talked over
    speaker.tick(6.0 + CUES[Cue.STEP])
    assert player.played() == [f"{lines.start_line(TOWEL)}.wav"]
    speaker.tick(6.0 + CUES[Cue.STEP] + BREATH_SECONDS)
    assert player.played()[-1] == "Rub in small circles..wav"


def test_a_cue_before_the_words_began_replaces_them(player):
    speaker = speaker_for(player, rendered(lines.start_line(TOWEL), HALF))
    speaker.start(0.0, TOWEL)
    speaker.mark(0.5, Cue.HALF, TOWEL, 0, HALF)  # a 1-second session: half time inside the start chime
    speaker.tick(10.0)
    assert player.calls == [("play", f"{HALF}.wav", 0.5)]  # no stop: nothing was playing


def test_pause_silences_and_resume_does_not_repeat(player):
    start = lines.start_line(TOWEL)
    speaker = speaker_for(player, rendered(start, "Rub in small circles."))
    speaker.start(0.0, TOWEL)
    speaker.tick(2.0)
    speaker.pause()
    assert player.calls == [("play", f"{start}.wav", 0.5), ("stop",)]
    speaker.resume()
    speaker.tick(3.0)
    speaker.tick(100.0)
    assert len(player.calls) == 2 and speaker.due_in(100.0) is None

    speaker.start(200.0, TOWEL)  # paused while the chime rings: the words never come
    speaker.pause()
    speaker.mark(201.0, Cue.STEP, TOWEL, 1, HALF)  # nothing is marked during a pause, but if it were
    speaker.resume()
    speaker.tick(300.0)
    assert len(player.calls) == 2
    speaker.mark(400.0, Cue.STEP, TOWEL, 1, HALF)  # the next moment after resume speaks again
    speaker.tick(401.0)
    assert player.played()[-1] == "Rub in small circles..wav"


def test_a_sentence_not_rendered_yet_is_skipped(player):
    speaker = speaker_for(player, rendered())
    speaker.start(0.0, TAPPING)
    assert speaker.tick(5.0) is None
    assert player.calls == [] and speaker.due_in(5.0) is None


def test_step_one_and_unknown_steps_say_nothing_half_and_end_say_their_lines(player):
    end = lines.end_line(END, "Back")
    speaker = speaker_for(player, rendered(HALF, end, lines.step_line(TOWEL, 1)))
    speaker.mark(0.0, Cue.STEP, TOWEL, 0, HALF)
    speaker.mark(0.0, Cue.STEP, TAPPING, 1, HALF)
    assert speaker.due_in(0.0) is None
    speaker.mark(10.0, Cue.HALF, TOWEL, 1, HALF)
    speaker.tick(11.0)
    speaker.end(20.0, end)
    speaker.tick(20.0 + CUES[Cue.END] + BREATH_SECONDS)
    assert player.played() == [f"{HALF}.wav", f"{end}.wav"]


def test_without_a_voice_every_call_is_nothing():
    speaker = Speaker(None, None, CUES)
    speaker.start(0.0, TOWEL)
    speaker.mark(1.0, Cue.HALF, TOWEL, 0, HALF)
    speaker.pause()
    speaker.resume()
    speaker.silence()
    assert (speaker.active, speaker.due_in(0.0), speaker.tick(100.0)) == (False, None, None)


def test_cue_lengths_are_read_from_the_chimes(tmp_path):
    from kiosk import paths

    lengths = cue_lengths(paths.sounds_dir())
    assert set(lengths) == set(Cue)
    assert all(0.2 < seconds < 3.0 for seconds in lengths.values())
    assert cue_lengths(tmp_path) == {cue: 0.0 for cue in Cue}


# -- driven by a real guided session ---------------------------------------------------------
class SessionVoice:
    """A session wired as the app wires it: the controller's context holds the speaker, and
    the session itself says each line after its cue (kiosk.activities.session)."""

    def __init__(self, speaker: Speaker, clock):
        self.speaker, self.clock = speaker, clock
        self.controller: Controller | None = None
        self.cues: list[Cue] = []

    def play(self, cue: Cue) -> None:
        self.cues.append(cue)

    def press(self, key: Key) -> None:
        self.controller.press(key)


@pytest.fixture
def session(tmp_path, clock, store):
    """A controller on the standard test config, with a voice whose WAVs were rendered by
    a fake engine (the cache is real)."""
    import test_voice

    config = make_config()
    texts = lines.session_texts(config.people(), HALF, END)
    cache = VoiceCache(tmp_path, "tone", {"label": "a"})
    assert render_texts(test_voice.ToneEngine(), cache, texts).rendered == len(texts)
    player = ListPlayer()
    voice = SessionVoice(Speaker(player, cache.path_for, CUES, 0.7), clock)
    voice.controller = Controller(config, store, clock=clock, now=clock.wall, play=voice.play, tz=timezone.utc,
                                  speaker=voice.speaker)
    return voice, player, cache


def turn(voice: SessionVoice, clock, until: float) -> list[float]:
    """Turn the loop as the app will: sleep until the session or the voice is due, tick both.
    Returns the times words started."""
    started = []
    while clock() < until:
        waits = [w for w in (voice.controller.next_change_in(), voice.speaker.due_in(clock())) if w is not None]
        clock.advance(max(0.001, min(waits + [until - clock()])))
        voice.controller.tick()
        if voice.speaker.tick(clock()) is not None:
            started.append(clock())
    return started


def test_a_whole_session_queues_the_right_words_at_the_right_moments(session, clock):
    voice, player, cache = session
    for key in (Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT):  # home, area, technique, pain 0
        voice.press(key)
    assert voice.controller.activity.phase is Phase.COUNTDOWN
    begun = clock()
    started = turn(voice, clock, begun + 250.0)
    assert voice.cues == [Cue.START, Cue.STEP, Cue.HALF, Cue.END]  # step at 60 s, half at 120 s, end at 240 s
    expected = [
        "Towel rub. Rub with the towel. Up and down.",
        "Small circles.",
        HALF,
        "All done. How much does your left foot hurt now?",
    ]
    assert [call for call in player.calls if call[0] == "play"] == [
        ("play", cache.path_for(text).name, 0.7) for text in expected
    ]
    assert [round(t - begun, 3) for t in started] == [
        round(CUES[Cue.START] + BREATH_SECONDS, 3),
        round(60 + CUES[Cue.STEP] + BREATH_SECONDS, 3),
        round(120 + CUES[Cue.HALF] + BREATH_SECONDS, 3),
        round(240 + CUES[Cue.END] + BREATH_SECONDS, 3),
    ]
    assert player.calls.count(("stop",)) == 3  # each new moment cut the words before it


def test_no_words_while_paused_and_none_repeated_on_resume(session, clock):
    voice, player, cache = session
    for key in (Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT):
        voice.press(key)
    begun = clock()
    turn(voice, clock, begun + 59.0)
    assert len(player.played()) == 1
    voice.press(Key.SELECT)  # pause at 59 s of 240
    assert player.calls[-1] == ("stop",)
    before = list(player.calls)
    turn(voice, clock, clock() + 600.0)  # ten minutes paused
    assert player.calls == before and voice.cues == [Cue.START]
    voice.press(Key.SELECT)  # resume: nothing is said again
    turn(voice, clock, clock() + 0.5)
    assert player.calls == before
    turn(voice, clock, clock() + 2.0)  # the step change at 60 s of counting, then its words
    assert voice.cues == [Cue.START, Cue.STEP]
    assert player.played()[-1] == cache.path_for("Small circles.").name


def test_stopping_early_silences_the_voice(session, clock):
    voice, player, _ = session
    for key in (Key.SELECT, Key.SELECT, Key.SELECT, Key.SELECT):
        voice.press(key)
    turn(voice, clock, clock() + 30.0)
    voice.press(Key.BACK_HELD)
    assert voice.cues[-1] is Cue.END and player.calls[-1] == ("stop",)
    turn(voice, clock, clock() + 30.0)
    assert len(player.played()) == 1  # no "All done" after stopping early
