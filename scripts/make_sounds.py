#!/usr/bin/env python3
"""Generate the kiosk's cue chimes into sounds/ (or --out DIR).

    python3 scripts/make_sounds.py [--out DIR]

Standard library only. Each chime is a few soft bell-like notes (a sine plus a gentle
octave overtone, a short raised-cosine attack and an exponential ring-out), 22050 Hz mono
16-bit, under 40 KB, and never startling: peaks at about -6 dBFS or lower, no clicks.

    start  two rising notes (E5 -> A5): "here we go"
    step   one soft ding (G5): the quietest, it is heard most often
    half   two equal notes (E5, E5)
    end    three notes, G5 E5 then a longer C5 that resolves home: clearly "done"
    reminder  three rising notes (C5 E5 G5), unhurried: "time to practise", friendly
              rather than urgent, and no louder than start
    checkin   one low, soft C5, softer than every other cue: "how is your pain?"

The output is byte-identical on every run and every machine: the sine and exponential
are computed here with plain IEEE arithmetic (+ - * /), not libm, whose last bit may differ
between platforms; tests compare a fresh run with the committed files.
"""

from __future__ import annotations

import argparse
import array
import io
import sys
import wave
from pathlib import Path

RATE = 22050
FULL_SCALE = 32767
TWO_PI = 6.283185307179586

# Equal-tempered pitches (A4 = 440 Hz).
C5 = 523.2511306011972
E5 = 659.2551138257398
G5 = 783.9908719634985
A5 = 880.0

# A note: (start s, frequency Hz, length s, relative gain).
Note = tuple[float, float, float, float]

CHIMES: dict[str, dict] = {
    "start": {"peak": 0.45, "notes": [(0.00, E5, 0.40, 0.85), (0.17, A5, 0.45, 1.0)]},
    "step": {"peak": 0.35, "notes": [(0.00, G5, 0.40, 1.0)]},
    "half": {"peak": 0.45, "notes": [(0.00, E5, 0.30, 1.0), (0.24, E5, 0.32, 1.0)]},
    "end": {
        "peak": 0.50,
        "notes": [(0.00, G5, 0.32, 0.9), (0.20, E5, 0.32, 0.9), (0.40, C5, 0.45, 1.0)],
    },
    "reminder": {
        "peak": 0.42,
        "notes": [(0.00, C5, 0.34, 0.8), (0.18, E5, 0.34, 0.85), (0.36, G5, 0.44, 1.0)],
    },
    "checkin": {"peak": 0.28, "notes": [(0.00, C5, 0.50, 1.0)]},
}

ATTACK = 0.012  # s: soft but not sluggish
RELEASE = 0.040  # s: fade to silence at the end of each note (no click)
OVERTONE = 0.22  # gain of the octave partial
DECAY = 0.16  # s: time constant of the fundamental's ring-out (the overtone fades twice as fast)


def _sin_turns(turns: float) -> float:
    """sin(2*pi*turns), by symmetry and a Taylor series on [0, pi/2] (error < 1e-9)."""
    u = turns - int(turns // 1)  # in [0, 1)
    sign = 1.0
    if u >= 0.5:
        u -= 0.5
        sign = -1.0
    if u > 0.25:
        u = 0.5 - u
    x = TWO_PI * u
    x2 = x * x
    term = x
    total = x
    for n in range(1, 8):  # up to x**15
        term = -term * x2 / ((2 * n) * (2 * n + 1))
        total += term
    return sign * total


def _exp(x: float) -> float:
    """e**x for modest x, by halving into the Taylor series' range and squaring back."""
    halvings = 0
    while abs(x) > 0.5:
        x /= 2.0
        halvings += 1
    term = 1.0
    total = 1.0
    for n in range(1, 16):
        term = term * x / n
        total += term
    for _ in range(halvings):
        total *= total
    return total


def _cosine_ramp(t: float, length: float) -> float:
    """0 -> 1 over `length` seconds along half a cosine."""
    if t >= length:
        return 1.0
    return 0.5 - 0.5 * _sin_turns(0.25 + 0.5 * t / length)


def _note(samples: list[float], note: Note) -> None:
    start, freq, length, gain = note
    first = int(round(start * RATE))
    count = int(round(length * RATE))
    for i in range(count):
        t = i / RATE
        envelope = _cosine_ramp(t, ATTACK) * _cosine_ramp(length - t, RELEASE)
        ring = _exp(-t / DECAY)
        value = _sin_turns(freq * t) * ring + OVERTONE * _sin_turns(2.0 * freq * t) * ring * ring
        samples[first + i] += gain * envelope * value


def render(name: str) -> array.array:
    """The 16-bit samples of chime `name`."""
    chime = CHIMES[name]
    end = max(start + length for start, _, length, _ in chime["notes"])
    samples = [0.0] * (int(round(end * RATE)) + 1)
    for note in chime["notes"]:
        _note(samples, note)
    loudest = max(abs(s) for s in samples) or 1.0
    scale = chime["peak"] * FULL_SCALE / loudest
    return array.array("h", (int(round(s * scale)) for s in samples))


def wav_bytes(name: str) -> bytes:
    """Chime `name` as a complete WAV file (22050 Hz, mono, 16-bit little-endian)."""
    pcm = render(name)
    if sys.byteorder == "big":
        pcm.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(__file__).resolve().parent.parent / "sounds"
    parser.add_argument(
        "--out", type=Path, default=default, help=f"folder to write (default {default})"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in CHIMES:
        data = wav_bytes(name)
        path = args.out / f"{name}.wav"
        path.write_bytes(data)
        print(f"{path}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
