"""The rendered prompts on disk: one WAV per sentence, named by a hash of the engine, its
model file (path, size, mtime), its settings and the text, so any change of voice or of
wording renders anew and a stale WAV is never played.

Writes are atomic (a temporary file, checked, then renamed): a power cut mid-render leaves
a stray temporary file, never a half WAV under a real name. Looking a sentence up
(`path_for`) is a hash and one stat, cheap enough for the loop.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kiosk.voice.engines import Engine, EngineError
from kiosk.voice.wav import wav_seconds

KEY_VERSION = 1  # bump when the key's recipe changes, so old files are never mistaken for new
STALE_TEMP_SECONDS = 3600.0  # a temporary file this old belongs to a render that died
_TEMP_SUFFIX = ".part.wav"


def voice_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """$CACHE_DIRECTORY/voice under systemd (CacheDirectory=desens-kiosk), else
    $XDG_CACHE_HOME/desens-kiosk/voice (~/.cache/desens-kiosk/voice)."""
    env = os.environ if env is None else env
    if env.get("CACHE_DIRECTORY"):
        # systemd may pass several directories separated by colons; the first is ours.
        return Path(env["CACHE_DIRECTORY"].split(":")[0]) / "voice"
    xdg = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "desens-kiosk" / "voice"


class VoiceCache:
    """WAVs of one engine (with its model and settings) in `directory`."""

    def __init__(self, directory: str | Path, engine_name: str, identity: Mapping[str, Any]):
        self.directory = Path(directory)
        self.engine_name = engine_name
        # The engine part of every key, fixed once: the loop never stats the model file.
        self._voice = json.dumps({"v": KEY_VERSION, "engine": engine_name, "identity": identity},
                                 sort_keys=True, default=str)

    @classmethod
    def for_engine(cls, directory: str | Path, engine: Engine) -> VoiceCache:
        """The cache of `engine` as it is now (raises OSError when its model file vanished)."""
        return cls(directory, engine.name, engine.identity())

    def key(self, text: str) -> str:
        digest = hashlib.sha256()
        digest.update(self._voice.encode("utf-8"))
        digest.update(b"\0")
        digest.update(text.encode("utf-8"))
        return digest.hexdigest()

    def wav_path(self, text: str) -> Path:
        """Where the WAV of `text` is (or will be) kept."""
        return self.directory / f"{self.key(text)}.wav"

    def path_for(self, text: str) -> Path | None:
        """The rendered WAV of `text`, or None when it is not rendered (yet)."""
        path = self.wav_path(text)
        try:
            return path if path.stat().st_size > 0 else None
        except OSError:
            return None

    def render(self, engine: Engine, text: str) -> Path:
        """Render `text` with `engine` into the cache (atomically) and return its path.
        Raises EngineError when the engine fails or writes something that is not a WAV."""
        final = self.wav_path(text)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise EngineError(f"cannot make the voice cache {self.directory}: {error}") from error
        temporary = self.directory / f"{final.stem}.{os.getpid()}{_TEMP_SUFFIX}"
        try:
            engine.render(text, temporary)
            if wav_seconds(temporary) is None:
                raise EngineError(f"{engine.name} wrote no usable WAV for {text[:40]!r}")
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())  # the data is on disk before the name is
            os.replace(temporary, final)
        except EngineError:
            raise
        except Exception as error:  # an engine's own surprise is still one line
            raise EngineError(f"{engine.name} failed on {text[:40]!r}: {type(error).__name__}: {error}") from error
        finally:
            try:
                temporary.unlink()  # gone already after the rename; left only by a failure
            except OSError:
                pass
        return final

    def prune(self, keep: Iterable[str], *, now: float | None = None) -> int:
        """Delete this cache's WAVs of any sentence not in `keep` (old wordings, old voices)
        and temporary files left by a render that died. Returns how many went."""
        wanted = {f"{self.key(text)}.wav" for text in keep}
        now = time.time() if now is None else now
        removed = 0
        try:
            entries = list(os.scandir(self.directory))
        except OSError:
            return 0
        for entry in entries:
            name = entry.name
            try:
                if name.endswith(_TEMP_SUFFIX):
                    if now - entry.stat().st_mtime < STALE_TEMP_SECONDS:
                        continue  # another render may be writing it right now
                elif not (_is_key_name(name) and name not in wanted):
                    continue
                os.unlink(entry.path)
                removed += 1
            except OSError:
                continue
        return removed


def _is_key_name(name: str) -> bool:
    stem, _, extension = name.partition(".")
    return extension == "wav" and len(stem) == 64 and all(c in "0123456789abcdef" for c in stem)
