"""What the voice needs to know of a WAV file, read with the standard library alone."""

from __future__ import annotations

import wave
from pathlib import Path


def wav_seconds(path: str | Path) -> float | None:
    """The length of the WAV at `path` in seconds, or None when it is missing, empty or not
    a WAV (a file cut short by a power cut, an engine that wrote nothing)."""
    try:
        with wave.open(str(path), "rb") as wav_file:
            frames, rate = wav_file.getnframes(), wav_file.getframerate()
    except (OSError, EOFError, wave.Error):
        return None
    if frames <= 0 or rate <= 0:
        return None
    return frames / rate
