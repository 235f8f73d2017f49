"""Speech engines behind one call, `render(text, wav_path)`, and the choice between them.

`PiperEngine` is the natural voice (the `piper-tts` package, a local neural voice run by
onnxruntime, with a voice model file the clinic installs); `EspeakEngine` is Debian's
`espeak-ng`, robotic but tiny, used only when the config names it. `choose_engine` never
raises: when there is no voice it says why in one line (`EngineChoice.reason`).

The piper package is only looked for here (`find_spec`), never imported: importing it
loads onnxruntime and numpy, tens of megabytes the kiosk's loop process does not need.
The render process imports it on first use.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import wave
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from kiosk.voice.wav import wav_seconds

ENGINE_NAMES = ("auto", "piper", "espeak-ng", "off")
ESPEAK_BINARY = "espeak-ng"
ESPEAK_VOICE = "en"  # espeak-ng's English; the clinic's language when text.py is translated
ESPEAK_WORDS_PER_MINUTE = 150  # a little slower than espeak's 175: calm, clear for a child
ESPEAK_TIMEOUT_SECONDS = 60.0  # one sentence takes well under a second; a hung binary is cut off
PIPER_DIST = "piper-tts"
PIPER_MIN_VERSION = "1.3.0"  # PiperVoice.synthesize_wav and SynthesisConfig arrived in 1.3.0


class EngineError(Exception):
    """An engine could not render: the message is one line, fit for the log."""


class Engine(Protocol):
    """A speech engine. `render` writes a WAV of `text` at `wav_path` or raises EngineError;
    `identity` is everything that changes the sound (engine, model file, settings), for the
    cache key. Engines are pickled into the render process, so they hold no open resources
    until their first render."""

    name: str

    def identity(self) -> dict[str, Any]: ...

    def render(self, text: str, wav_path: Path) -> None: ...


class Why(str, Enum):
    """Why there is no voice (the log says it in words; text.py can say it on screen)."""

    OFF = "off"  # voice.engine: off
    SOUNDS_OFF = "sounds_off"  # sounds.enabled: no, so the voice is silent too
    NO_MODEL = "no_model"  # no voice.model configured
    MODEL_MISSING = "model_missing"  # voice.model names a file that is not there
    MODEL_CONFIG_MISSING = "model_config_missing"  # the .onnx.json beside the model is not there
    PIPER_MISSING = "piper_missing"  # piper-tts is not installed
    PIPER_BROKEN = "piper_broken"  # piper-tts is installed but does not import or load the model
    ESPEAK_MISSING = "espeak_missing"  # voice.engine: espeak-ng, but the binary is not installed
    UNKNOWN_ENGINE = "unknown_engine"
    NO_AUDIO = "no_audio"  # no audio device: nothing to speak through
    RENDER_FAILED = "render_failed"  # the engine runs but its WAVs fail


@dataclass(frozen=True)
class EngineChoice:
    """The engine to use, or None with the reason (one line) and whether that reason is a
    problem to show (a model that is missing) or just how the kiosk is set up (voice off)."""

    engine: Engine | None
    why: Why | None = None
    reason: str | None = None
    problem: bool = False


def _file_identity(path: Path) -> dict[str, Any]:
    """A file as the cache sees it: replacing or editing it changes its size or mtime."""
    stat = path.stat()
    return {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


class EspeakEngine:
    """Debian's espeak-ng binary: `espeak-ng -w FILE`, the text on standard input (so a
    prompt starting with '-' is never read as an option)."""

    name = "espeak-ng"

    def __init__(self, binary: str | Path, voice: str = ESPEAK_VOICE, words_per_minute: int = ESPEAK_WORDS_PER_MINUTE):
        self.binary = Path(binary)
        self.voice = voice
        self.words_per_minute = words_per_minute

    def identity(self) -> dict[str, Any]:
        # The binary's size and mtime stand for its version: an apt upgrade renders anew.
        return {"binary": _file_identity(self.binary), "voice": self.voice, "wpm": self.words_per_minute}

    def render(self, text: str, wav_path: Path) -> None:
        command = [str(self.binary), "-v", self.voice, "-s", str(self.words_per_minute), "-b", "1",
                   "-w", str(wav_path), "--stdin"]
        try:
            result = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                                    timeout=ESPEAK_TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineError(f"espeak-ng did not run: {error}") from error
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        if result.returncode != 0:
            raise EngineError(f"espeak-ng failed (exit {result.returncode}): {message[0] if message else 'no message'}")
        if wav_seconds(wav_path) is None:
            raise EngineError("espeak-ng wrote no sound" + (f": {message[0]}" if message else ""))


class PiperEngine:
    """A piper voice: `model` is the `.onnx` file, its settings in `model + '.json'`.
    piper-tts is imported and the model loaded on the first render (in the render process)."""

    name = "piper"

    def __init__(self, model: str | Path, speaker: int | None = None, length_scale: float | None = None):
        self.model = Path(model)
        self.model_config = Path(f"{self.model}.json")
        self.speaker = speaker
        self.length_scale = length_scale  # None: the voice's own pace; above 1 is slower
        self._voice: Any = None
        self._load_error: EngineError | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_voice"] = None  # a loaded onnxruntime session does not travel between processes
        state["_load_error"] = None
        return state

    def identity(self) -> dict[str, Any]:
        return {
            "model": _file_identity(self.model),
            "model_config": _file_identity(self.model_config),
            "piper": _version(PIPER_DIST),
            "speaker": self.speaker,
            "length_scale": self.length_scale,
        }

    def load(self) -> None:
        """Import piper and load the model (once); a failure is kept and raised again."""
        if self._voice is not None:
            return
        if self._load_error is not None:
            raise self._load_error
        try:
            from piper import PiperVoice, SynthesisConfig
        except Exception as error:  # ImportError, or onnxruntime failing to load its library
            self._load_error = EngineError(f"piper-tts {PIPER_MIN_VERSION} or newer does not import: {_one_line(error)}")
            raise self._load_error from error
        try:
            self._voice = PiperVoice.load(self.model, config_path=self.model_config)
        except Exception as error:  # a truncated or foreign .onnx, a broken .onnx.json
            self._load_error = EngineError(f"piper cannot load the voice model {self.model}: {_one_line(error)}")
            raise self._load_error from error

    def render(self, text: str, wav_path: Path) -> None:
        self.load()
        from piper import SynthesisConfig

        settings = SynthesisConfig(speaker_id=self.speaker, length_scale=self.length_scale)
        try:
            with wave.open(str(wav_path), "wb") as wav_file:
                self._voice.synthesize_wav(text, wav_file, syn_config=settings)
        except Exception as error:
            raise EngineError(f"piper failed on {text[:40]!r}: {_one_line(error)}") from error


def choose_engine(
    engine: object = "auto",
    model: str | Path | None = None,
    *,
    find_module: Callable[[str], object] = importlib.util.find_spec,
    which: Callable[[str], str | None] = shutil.which,
) -> EngineChoice:
    """The engine for `voice.engine` and `voice.model`, or no engine and why.

    auto: piper when a model is configured and piper-tts is installed, else no voice (not
    a problem when no model is configured: that is a kiosk without a voice). piper: the
    same, and every missing part is a problem. espeak-ng: the binary, when installed.
    off: no voice. Never raises."""
    try:
        name = getattr(engine, "value", engine) or "auto"  # a plain string or the config's enum
        return _choose(str(name).strip().lower(), model, find_module, which)
    except Exception as error:  # a voice is never a reason to stop the kiosk
        return EngineChoice(None, Why.PIPER_BROKEN, f"no voice: {_one_line(error)}", problem=True)


def _choose(engine: str, model: str | Path | None, find_module, which) -> EngineChoice:
    if engine == "off":
        return EngineChoice(None, Why.OFF, "no voice: voice.engine is off")
    if engine == "espeak-ng":
        binary = which(ESPEAK_BINARY)
        if binary is None:
            return EngineChoice(None, Why.ESPEAK_MISSING,
                                "no voice: espeak-ng is not installed (apt install espeak-ng)", problem=True)
        return EngineChoice(EspeakEngine(binary))
    if engine not in ("auto", "piper"):
        return EngineChoice(None, Why.UNKNOWN_ENGINE,
                            f"no voice: unknown voice.engine '{engine}' (auto, piper, espeak-ng or off)", problem=True)
    named = engine == "piper"
    if model is None or not str(model).strip():
        return EngineChoice(None, Why.NO_MODEL, "no voice: no voice model is configured (voice.model)", problem=named)
    path = Path(str(model).strip()).expanduser()
    if not path.is_file():
        return EngineChoice(None, Why.MODEL_MISSING, f"no voice: the voice model {path} is not there", problem=True)
    if not Path(f"{path}.json").is_file():
        return EngineChoice(None, Why.MODEL_CONFIG_MISSING,
                            f"no voice: {path}.json (the voice model's settings) is not there", problem=True)
    if find_module("piper") is None or find_module("onnxruntime") is None:
        return EngineChoice(None, Why.PIPER_MISSING,
                            "no voice: piper-tts is not installed (pip install 'desens-kiosk[voice]')", problem=True)
    version = _version(PIPER_DIST)
    if version is not None and _older(version, PIPER_MIN_VERSION):
        reason = f"no voice: piper-tts {version} is too old (needs {PIPER_MIN_VERSION} or newer)"
        return EngineChoice(None, Why.PIPER_BROKEN, reason, problem=True)
    return EngineChoice(PiperEngine(path))


def _version(distribution: str) -> str | None:
    """An installed package's version from its metadata (the package itself is not imported;
    importlib.metadata is, only here, as it costs the kiosk a tenth of a second)."""
    import importlib.metadata

    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _older(version: str, minimum: str) -> bool:
    def numbers(text: str) -> tuple[int, ...]:
        parts = []
        for part in text.split(".")[:3]:
            digits = "".join(c for c in part if c.isdigit())
            parts.append(int(digits) if digits else 0)
        return tuple(parts)

    return numbers(version) < numbers(minimum)


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def describe(engine: Engine) -> str:
    """The engine in a few words for the log: 'piper (en_US-joe-medium.onnx)'."""
    if isinstance(engine, PiperEngine):
        return f"piper ({engine.model.name})"
    return engine.name


__all__ = [
    "ENGINE_NAMES", "Engine", "EngineChoice", "EngineError", "EspeakEngine", "PiperEngine", "Why",
    "choose_engine", "describe",
]
