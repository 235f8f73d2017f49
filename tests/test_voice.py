"""The voice's engines, cache, render process, service and command-line helpers, with a fake
engine that writes a tone (and with the real espeak-ng and piper when they are here)."""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import struct
import sys
import wave
from pathlib import Path

import pytest

from kiosk.events import Cue
from kiosk.voice import tools
from kiosk.voice.cache import STALE_TEMP_SECONDS, VoiceCache, voice_cache_dir
from kiosk.voice.engines import (
    EngineChoice,
    EngineError,
    EspeakEngine,
    PiperEngine,
    Why,
    choose_engine,
)
from kiosk.voice.lines import sentence
from kiosk.voice.service import Voice
from kiosk.voice.wav import wav_seconds
from kiosk.voice.worker import (
    FAILURES_IN_A_ROW,
    WORKER_NICE,
    render_texts,
    start_rendering,
)

MODEL_ENV = "DESENS_KIOSK_TEST_VOICE_MODEL"  # a piper .onnx (with its .onnx.json) to test piper with
TEXTS = ["Towel rub. Rub with the towel. Up and down.", "Small circles.", "Half way. Keep going."]
WAIT = 120.0  # the longest a test waits for a render process (it never takes near this)


def write_tone(path: Path, seconds: float, rate: int = 22050) -> None:
    """A 441 Hz tone (one period is 50 samples at 22.05 kHz, repeated)."""
    period = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * n / 50))) for n in range(50))
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as wav_file:
        wav_file.setnchannels(1)
        wav_file.setsampwidth(2)
        wav_file.setframerate(rate)
        wav_file.writeframes((period * (frames // 50 + 1))[: frames * 2])


class ToneEngine:
    """A fake engine: a short tone per sentence. It can fail, stall, or note where it ran
    (a JSON line per render in `journal`). Module-level, so it travels into the render process."""

    name = "tone"

    def __init__(self, journal: Path | None = None, *, label: str = "a", fail_on: tuple[str, ...] = (),
                 fail_all: bool = False, stall: float = 0.0, garbage: bool = False, crash: bool = False):
        self.journal, self.label, self.fail_on, self.fail_all = journal, label, fail_on, fail_all
        self.stall, self.garbage, self.crash = stall, garbage, crash

    def identity(self):
        return {"label": self.label}

    def render(self, text: str, wav_path: Path) -> None:
        if self.crash:
            os._exit(3)
        if self.journal is not None:
            record = {"text": text, "pid": os.getpid(), "ppid": os.getppid(), "nice": os.nice(0)}
            with open(self.journal, "a") as journal:
                journal.write(json.dumps(record) + "\n")
        if self.stall:
            import time

            time.sleep(self.stall)
        if self.fail_all or text in self.fail_on:
            raise EngineError(f"tone engine refuses {text!r}")
        if self.garbage:
            Path(wav_path).write_bytes(b"not a wav")
            return
        write_tone(Path(wav_path), 0.05)


def journal_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def model_files(folder: Path, name: str = "voice.onnx", content: bytes = b"onnx") -> Path:
    model = folder / name
    model.write_bytes(content)
    Path(f"{model}.json").write_text("{}")
    return model


# -- choosing an engine ---------------------------------------------------------------------
def never_found(name):
    return None


def always_found(name):
    return object()


def test_off_and_auto_without_a_model_are_no_voice_but_no_problem():
    for engine in ("off", "OFF "):
        choice = choose_engine(engine, "/some/voice.onnx")
        assert (choice.engine, choice.why, choice.problem) == (None, Why.OFF, False)
    choice = choose_engine("auto", None, find_module=always_found)
    assert (choice.engine, choice.why, choice.problem) == (None, Why.NO_MODEL, False)
    assert "voice.model" in choice.reason


def test_the_engine_may_be_given_as_the_config_enum():
    from enum import Enum

    class VoiceEngine(str, Enum):
        ESPEAK = "espeak-ng"
        OFF = "off"

    assert choose_engine(VoiceEngine.OFF).why is Why.OFF
    assert isinstance(choose_engine(VoiceEngine.ESPEAK, which=lambda name: "/bin/espeak-ng").engine, EspeakEngine)


def test_piper_named_without_a_model_is_a_problem():
    choice = choose_engine("piper", "  ", find_module=always_found)
    assert (choice.engine, choice.why, choice.problem) == (None, Why.NO_MODEL, True)


def test_missing_model_file_and_missing_settings_file(tmp_path):
    missing = choose_engine("auto", tmp_path / "nowhere.onnx", find_module=always_found)
    assert (missing.why, missing.problem) == (Why.MODEL_MISSING, True)
    assert str(tmp_path / "nowhere.onnx") in missing.reason
    model = tmp_path / "lonely.onnx"
    model.write_bytes(b"onnx")
    no_json = choose_engine("piper", model, find_module=always_found)
    assert (no_json.why, no_json.problem) == (Why.MODEL_CONFIG_MISSING, True)
    assert "lonely.onnx.json" in no_json.reason


def test_piper_not_installed_says_how_to_install(tmp_path):
    choice = choose_engine("auto", model_files(tmp_path), find_module=never_found)
    assert (choice.engine, choice.why, choice.problem) == (None, Why.PIPER_MISSING, True)
    assert "pip install 'desens-kiosk[voice]'" in choice.reason


def test_piper_with_a_model_is_chosen_without_importing_it(tmp_path):
    looked_for = []
    model = model_files(tmp_path)
    imported_before = "piper" in sys.modules
    choice = choose_engine("auto", model, find_module=lambda name: looked_for.append(name) or object())
    assert ("piper" in sys.modules) == imported_before  # looked for, not imported in the kiosk
    assert isinstance(choice.engine, PiperEngine) and choice.reason is None
    assert choice.engine.model == model and choice.engine.model_config == Path(f"{model}.json")
    assert looked_for == ["piper", "onnxruntime"]


def test_espeak_only_when_named_and_installed(tmp_path):
    assert choose_engine("auto", None, which=lambda name: "/usr/bin/espeak-ng").engine is None
    missing = choose_engine("espeak-ng", which=lambda name: None)
    assert (missing.why, missing.problem) == (Why.ESPEAK_MISSING, True)
    assert "apt install espeak-ng" in missing.reason
    found = choose_engine("espeak-ng", which=lambda name: "/usr/bin/espeak-ng")
    assert isinstance(found.engine, EspeakEngine) and found.engine.binary == Path("/usr/bin/espeak-ng")


def test_unknown_engine_and_surprises_are_one_line_reasons_never_exceptions(tmp_path):
    unknown = choose_engine("festival")
    assert (unknown.why, unknown.problem) == (Why.UNKNOWN_ENGINE, True)
    assert "auto, piper, espeak-ng or off" in unknown.reason

    def explode(name):
        raise ValueError("a broken import system\nwith a second line")

    broken = choose_engine("auto", model_files(tmp_path), find_module=explode)
    assert broken.engine is None and broken.problem
    for choice in (unknown, broken, choose_engine("piper", tmp_path / "x.onnx")):
        assert "\n" not in choice.reason and choice.reason.startswith("no voice")


def test_espeak_failure_is_one_line(tmp_path):
    failing = tmp_path / "espeak-ng"
    failing.write_text("#!/bin/sh\necho 'Error: voice not found' >&2\necho 'more' >&2\nexit 1\n")
    failing.chmod(0o755)
    with pytest.raises(EngineError) as error:
        EspeakEngine(failing).render("Hello.", tmp_path / "out.wav")
    assert str(error.value) == "espeak-ng failed (exit 1): Error: voice not found"
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\nexit 0\n")
    silent.chmod(0o755)
    with pytest.raises(EngineError, match="wrote no sound"):
        EspeakEngine(silent).render("Hello.", tmp_path / "out.wav")


def test_piper_that_cannot_load_is_one_line_and_remembered(tmp_path):
    engine = PiperEngine(model_files(tmp_path, content=b"not an onnx model"))
    with pytest.raises(EngineError) as first:
        engine.render("Hello.", tmp_path / "out.wav")
    assert "\n" not in str(first.value)
    assert "does not import" in str(first.value) or "cannot load the voice model" in str(first.value)
    with pytest.raises(EngineError) as second:
        engine.render("Again.", tmp_path / "out.wav")
    assert second.value is first.value  # loaded (or failed) once, not once per sentence
    assert not (tmp_path / "out.wav").exists() or wav_seconds(tmp_path / "out.wav") is None


# -- the cache ------------------------------------------------------------------------------
def test_cache_dir_follows_systemd_then_xdg_then_home(tmp_path):
    assert voice_cache_dir({"CACHE_DIRECTORY": "/var/cache/desens-kiosk:/var/cache/other",
                            "XDG_CACHE_HOME": "/x"}) == Path("/var/cache/desens-kiosk/voice")
    assert voice_cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/desens-kiosk/voice")
    assert voice_cache_dir({}) == Path.home() / ".cache" / "desens-kiosk" / "voice"


def test_key_changes_with_text_engine_and_model(tmp_path):
    model = model_files(tmp_path, content=b"voice one")
    piper = VoiceCache.for_engine(tmp_path, PiperEngine(model))
    same = VoiceCache.for_engine(tmp_path, PiperEngine(model))
    assert piper.key("Rub up and down.") == same.key("Rub up and down.")  # stable
    assert piper.key("Rub up and down.") != piper.key("Rub side to side.")  # text
    assert piper.key("Hello.") != VoiceCache(tmp_path, "tone", {"label": "a"}).key("Hello.")  # engine

    keys = {piper.key("Hello.")}
    model.write_bytes(b"voice one, retrained")  # the same file, another size
    keys.add(VoiceCache.for_engine(tmp_path, PiperEngine(model)).key("Hello."))
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # same size, newer
    keys.add(VoiceCache.for_engine(tmp_path, PiperEngine(model)).key("Hello."))
    other = model_files(tmp_path, name="other.onnx", content=b"voice one, retrained")
    keys.add(VoiceCache.for_engine(tmp_path, PiperEngine(other)).key("Hello."))  # another file
    keys.add(VoiceCache.for_engine(tmp_path, PiperEngine(other, length_scale=1.2)).key("Hello."))  # pace
    keys.add(VoiceCache.for_engine(tmp_path, PiperEngine(other, speaker=2)).key("Hello."))
    assert len(keys) == 6

    binary = tmp_path / "espeak-ng"
    binary.write_bytes(b"binary")
    english = VoiceCache.for_engine(tmp_path, EspeakEngine(binary)).key("Hello.")
    assert english != VoiceCache.for_engine(tmp_path, EspeakEngine(binary, voice="en-gb")).key("Hello.")
    assert english != VoiceCache.for_engine(tmp_path, EspeakEngine(binary, words_per_minute=120)).key("Hello.")


def test_render_is_found_afterwards_and_a_failure_leaves_nothing(tmp_path):
    cache = VoiceCache(tmp_path / "voice", "tone", {"label": "a"})
    assert cache.path_for("Hello.") is None
    path = cache.render(ToneEngine(), "Hello.")
    assert path == cache.path_for("Hello.") == cache.wav_path("Hello.")
    assert wav_seconds(path) == pytest.approx(0.05, abs=0.01)

    for engine in (ToneEngine(fail_all=True), ToneEngine(garbage=True)):
        with pytest.raises(EngineError):
            cache.render(engine, "Goodbye.")
    assert sorted(p.name for p in cache.directory.iterdir()) == [path.name]  # no half file, no temp


def test_an_engine_surprise_becomes_an_engine_error(tmp_path):
    class Surprising(ToneEngine):
        def render(self, text, wav_path):
            raise ZeroDivisionError("inside the engine")

    cache = VoiceCache(tmp_path, "tone", {})
    with pytest.raises(EngineError, match="ZeroDivisionError: inside the engine"):
        cache.render(Surprising(), "Hello.")


def test_prune_keeps_what_is_wanted_and_fresh_work(tmp_path):
    cache = VoiceCache(tmp_path, "tone", {"label": "a"})
    old_voice = VoiceCache(tmp_path, "tone", {"label": "b"})
    kept = cache.render(ToneEngine(), "Kept.")
    dropped = cache.render(ToneEngine(), "Old wording.")
    other_voice = old_voice.render(ToneEngine(), "Kept.")
    fresh_temp = tmp_path / f"{'0' * 64}.123.part.wav"
    stale_temp = tmp_path / f"{'1' * 64}.456.part.wav"
    for temp in (fresh_temp, stale_temp):
        temp.write_bytes(b"partial")
    os.utime(stale_temp, (0, 0))
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not ours")
    assert cache.prune(["Kept."], now=STALE_TEMP_SECONDS + 10) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([kept.name, fresh_temp.name, stranger.name])
    assert not dropped.exists() and not other_voice.exists()


# -- the render process ---------------------------------------------------------------------
def test_render_runs_in_another_low_priority_process(tmp_path):
    journal = tmp_path / "journal.jsonl"
    cache = VoiceCache(tmp_path / "voice", "tone", {"label": "a"})
    job = start_rendering(ToneEngine(journal), cache, TEXTS + [TEXTS[0]])
    assert job.pid is not None and job.pid != os.getpid()
    status = job.wait(WAIT)
    assert (status.finished, status.total, status.rendered, status.failed, status.problem) == (True, 3, 3, 0, None)
    records = journal_of(journal)
    assert [r["text"] for r in records] == TEXTS  # each sentence once
    assert {r["pid"] for r in records} == {job.pid}
    assert all(r["pid"] != os.getpid() and r["ppid"] == os.getpid() for r in records)
    assert all(r["nice"] == max(WORKER_NICE, os.nice(0)) for r in records)
    assert all(cache.path_for(text) is not None for text in TEXTS)

    again = start_rendering(ToneEngine(journal), cache, TEXTS).wait(WAIT)
    assert (again.cached, again.rendered) == (3, 0)
    assert len(journal_of(journal)) == 3  # nothing rendered twice


def test_start_returns_at_once_and_stop_ends_the_process(tmp_path):
    journal = tmp_path / "journal.jsonl"
    job = start_rendering(ToneEngine(journal, stall=600.0), VoiceCache(tmp_path, "tone", {}), TEXTS)
    status = job.poll()
    assert not status.finished and status.ready == 0
    job.stop()
    assert job.poll().finished and not job.running
    with pytest.raises(ProcessLookupError):
        os.kill(job.pid, 0)  # gone and reaped
    assert not list(tmp_path.glob("*.wav"))


def test_an_engine_that_always_fails_stops_after_a_few_tries(tmp_path):
    journal = tmp_path / "journal.jsonl"
    texts = [f"Sentence {n}." for n in range(10)]
    status = start_rendering(ToneEngine(journal, fail_all=True), VoiceCache(tmp_path, "tone", {}), texts).wait(WAIT)
    assert (status.finished, status.failed, status.rendered) == (True, FAILURES_IN_A_ROW, 0)
    assert status.problem == "tone engine refuses 'Sentence 0.'"
    assert len(journal_of(journal)) == FAILURES_IN_A_ROW
    assert not list(tmp_path.glob("*.wav"))


def test_one_failing_sentence_does_not_stop_the_others(tmp_path):
    cache = VoiceCache(tmp_path, "tone", {})
    status = render_texts(ToneEngine(fail_on=(TEXTS[1],)), cache, TEXTS, prune=True)
    assert (status.rendered, status.failed) == (2, 1)
    assert cache.path_for(TEXTS[1]) is None and cache.path_for(TEXTS[2]) is not None
    assert "1 failed: tone engine refuses" in status.summary()


def test_a_render_process_that_dies_or_cannot_start_is_a_problem_not_a_crash(tmp_path):
    died = start_rendering(ToneEngine(crash=True), VoiceCache(tmp_path, "tone", {}), TEXTS).wait(WAIT)
    assert died.finished and died.problem == "the voice render process ended early (exit 3)"

    class Unpicklable(ToneEngine):
        def __init__(self):
            super().__init__()
            self.callback = lambda: None

    refused = start_rendering(Unpicklable(), VoiceCache(tmp_path, "tone", {}), TEXTS)
    assert refused.status.finished and refused.status.problem.startswith("the voice render process did not start")
    nowhere = start_rendering(ToneEngine(), VoiceCache(tmp_path, "tone", {}), TEXTS, python=str(tmp_path / "none"))
    assert nowhere.status.finished and "did not start" in nowhere.status.problem


# -- the voice as the app opens it ----------------------------------------------------------
class ListPlayer:
    def __init__(self):
        self.calls = []

    def play_wav(self, path, volume):
        self.calls.append(("play", Path(path), volume))

    def stop(self):
        self.calls.append(("stop",))


CUES = {cue: 0.5 for cue in Cue}


def voice_records(caplog):
    return [r for r in caplog.records if r.name == "test.voice"]


def open_voice(tmp_path, **changes):
    settings = dict(engine="auto", model=None, texts=TEXTS, player=ListPlayer(), cue_seconds=CUES, volume=0.8,
                    cache_dir=tmp_path / "voice", log=logging.getLogger("test.voice"))
    settings.update(changes)
    return Voice.open(**settings)


def test_missing_model_is_one_log_line_and_a_silent_voice(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    player = ListPlayer()
    voice = open_voice(tmp_path, model=tmp_path / "gone.onnx", player=player)
    [record] = voice_records(caplog)
    assert record.levelno == logging.WARNING and "gone.onnx is not there" in record.getMessage()
    assert (voice.active, voice.why, voice.job) == (False, Why.MODEL_MISSING, None)
    assert voice.problem == record.getMessage()
    voice.speaker.after_cue(0.0, Cue.START, TEXTS[0])
    voice.tick(10.0)
    voice.poll()
    assert player.calls == [] and voice.due_in(0.0) is None
    voice.close()


def test_no_model_sounds_off_and_no_audio_each_say_why_once(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    quiet = open_voice(tmp_path)
    off = open_voice(tmp_path, engine="espeak-ng", sounds_enabled=False)
    deaf = open_voice(tmp_path, choice=EngineChoice(ToneEngine()), player=None)
    records = voice_records(caplog)
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("INFO", "no voice: no voice model is configured (voice.model)"),
        ("INFO", "no voice: sounds are off in the config"),
        ("WARNING", "no voice: no audio device"),
    ]
    assert (quiet.problem, off.problem, deaf.why) == (None, None, Why.NO_AUDIO)
    assert not (quiet.active or off.active or deaf.active)


def test_failing_engine_is_one_warning_and_no_crash(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    player = ListPlayer()
    voice = open_voice(tmp_path, choice=EngineChoice(ToneEngine(fail_all=True)), player=player)
    assert voice.active
    voice.job.wait(WAIT)
    voice.poll()
    voice.poll()
    warnings = [r for r in voice_records(caplog) if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [f"voice: tone engine refuses {TEXTS[0]!r}"]
    assert (voice.why, voice.problem, voice.job) == (Why.RENDER_FAILED, warnings[0].getMessage(), None)
    voice.speaker.after_cue(0.0, Cue.HALF, TEXTS[2])
    voice.tick(5.0)
    assert player.calls == []  # nothing rendered: the chime alone
    voice.close()


def test_a_working_voice_renders_in_the_background_then_speaks(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    player = ListPlayer()
    voice = open_voice(tmp_path, choice=EngineChoice(ToneEngine()), player=player)
    voice.job.wait(WAIT)
    voice.poll()
    assert voice.job is None and voice.problem is None
    assert "3 of 3 spoken lines ready (3 rendered now, 0 cached)" in voice_records(caplog)[-1].getMessage()
    voice.speaker.after_cue(100.0, Cue.HALF, TEXTS[2])
    assert voice.due_in(100.0) == pytest.approx(0.5 + 0.3)
    voice.tick(100.5)
    assert player.calls == []  # the chime is still sounding
    voice.tick(100.8)
    assert player.calls == [("play", voice.cache.path_for(TEXTS[2]), 0.8)]
    voice.close()
    assert player.calls[-1] == ("stop",)


def test_close_stops_a_render_still_running(tmp_path):
    voice = open_voice(tmp_path, choice=EngineChoice(ToneEngine(stall=600.0)))
    job = voice.job
    assert job is not None and job.running
    voice.close()
    assert not job.running and voice.job is None


# -- the command line's helpers -------------------------------------------------------------
def test_render_all_renders_once_and_reports(tmp_path):
    seen = []
    outcome = tools.render_all(TEXTS, cache_dir=tmp_path, choice=EngineChoice(ToneEngine()),
                               progress=lambda done, total: seen.append((done, total)))
    assert outcome.ok and "3 of 3 spoken lines ready (3 rendered now, 0 cached)" in outcome.message
    assert seen == [(1, 3), (2, 3), (3, 3)]
    again = tools.render_all(TEXTS, cache_dir=tmp_path, choice=EngineChoice(ToneEngine()))
    assert again.ok and "(0 rendered now, 3 cached)" in again.message
    failed = tools.render_all(["New."], cache_dir=tmp_path, choice=EngineChoice(ToneEngine(fail_all=True)))
    assert not failed.ok and "1 failed: tone engine refuses 'New.'" in failed.message
    none = tools.render_all(TEXTS, engine="off", cache_dir=tmp_path)
    assert (none.ok, none.message) == (False, "no voice: voice.engine is off")


def test_say_renders_plays_and_waits_for_the_words(tmp_path):
    player, waits = ListPlayer(), []
    outcome = tools.say("  testing the speaker ", cache_dir=tmp_path, volume=0.6, player=player,
                        wait=waits.append, choice=EngineChoice(ToneEngine()))
    assert outcome.ok and "said 'testing the speaker.'" in outcome.message
    path = VoiceCache(tmp_path, "tone", {"label": "a"}).path_for(sentence("testing the speaker"))
    assert player.calls == [("play", path, 0.6)]
    assert waits == [pytest.approx(0.05 + tools.SAY_MARGIN_SECONDS, abs=0.01)]
    failed = tools.say("Hello", cache_dir=tmp_path, player=player, choice=EngineChoice(ToneEngine(fail_all=True)))
    assert not failed.ok and failed.message == "no voice: tone engine refuses 'Hello.'"
    assert tools.say("   ", choice=EngineChoice(ToneEngine()), player=player).message == "nothing to say"


# -- the real engines, when they are installed ----------------------------------------------
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt install espeak-ng)")
def test_real_espeak_ng_renders_in_the_render_process(tmp_path):
    choice = choose_engine("espeak-ng")
    cache = VoiceCache.for_engine(tmp_path, choice.engine)
    texts = ["Towel rub. Rub your skin with a towel. Rub up and down.", "-s 900 is read, not obeyed."]
    status = start_rendering(choice.engine, cache, texts).wait(WAIT)
    assert (status.rendered, status.failed) == (2, 0), status.problem
    assert wav_seconds(cache.path_for(texts[0])) > 2.0  # words, not a click
    assert wav_seconds(cache.path_for(texts[1])) > 1.0


@pytest.mark.skipif(not os.environ.get(MODEL_ENV), reason=f"set {MODEL_ENV} to a piper voice model to test piper")
def test_real_piper_voice_renders_in_the_render_process(tmp_path):
    choice = choose_engine("auto", os.environ[MODEL_ENV])
    assert isinstance(choice.engine, PiperEngine), choice.reason
    cache = VoiceCache.for_engine(tmp_path, choice.engine)
    status = start_rendering(choice.engine, cache, ["Half way. Keep going."]).wait(WAIT)
    assert (status.rendered, status.failed) == (1, 0), status.problem
    assert wav_seconds(cache.path_for("Half way. Keep going.")) > 0.8
