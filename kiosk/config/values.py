"""Turning one written value into what the kiosk uses: durations, screen sizes, times of
day, quiet hours. Plain functions with no file or line in sight, so the command line can
check `run --size` by the same rule as the settings file."""

from __future__ import annotations

import math
import re
from datetime import time
from typing import Any

from kiosk.config.problems import Invalid

MIN_SIZE, MAX_SIZE = (320, 240), (7680, 4320)
SIZE_ALLOWED = (f"WIDTHxHEIGHT, e.g. 800x480, from {MIN_SIZE[0]}x{MIN_SIZE[1]} "
                f"to {MAX_SIZE[0]}x{MAX_SIZE[1]}")

_NUMBER = r"(\d+(?:\.\d+)?)"
_DURATION = re.compile(rf"(?:{_NUMBER}\s*h)?\s*(?:{_NUMBER}\s*m)?\s*(?:{_NUMBER}\s*s)?")
_SECONDS = re.compile(r"\d+(?:\.\d+)?")
_SIZE = re.compile(r"(\d{1,5})\s*[x×]\s*(\d{1,5})")
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
_HOURS = re.compile(r"(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})")


def parse_duration(value: Any) -> float:
    """Seconds from "4m", "90s", "1m30s", "2.5m", "2h", "1h30m", "240" or a number of seconds;
    ValueError for anything else (booleans, negative or endless numbers, other words)."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        try:
            seconds = float(value)
        except OverflowError:
            raise ValueError(f"not a duration: {value!r}") from None
    elif isinstance(value, str):
        text = value.strip().lower()
        match = _DURATION.fullmatch(text)
        if _SECONDS.fullmatch(text):  # "240": seconds, like a bare number
            seconds = float(text)
        elif match and any(match.groups()):
            hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
            seconds = hours * 3600 + minutes * 60 + secs
        else:
            raise ValueError(f"not a duration: {value!r}")
    else:
        raise ValueError(f"not a duration: {value!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"not a duration: {value!r}")
    return seconds


def parse_size(text: str) -> tuple[int, int]:
    """(width, height) from "800x480" (also "800 x 480", "800X480", "800×480"), from 320x240
    to 7680x4320. Raises Invalid, a ValueError that reads "what is wrong (what is allowed)",
    e.g. "99999x99999 is out of range (WIDTHxHEIGHT, e.g. 800x480, from 320x240 to
    7680x4320)"."""
    match = _SIZE.fullmatch(text.strip().lower()) if isinstance(text, str) else None
    if not match:
        raise Invalid("must be a screen size", SIZE_ALLOWED)
    width, height = int(match[1]), int(match[2])
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise Invalid(f"{width}x{height} is out of range", SIZE_ALLOWED)
    return (width, height)


def time_of_day(value: Any, text: str | None = None) -> time | None:
    """A time from "21:00" or "7:30"; None for anything else. YAML 1.1 reads an unquoted 21:00
    as the base-60 number 1260: that is turned back into 21:00, but only when it was written
    with a colon (`text`), so a bare 8 is not taken for 00:08."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not (text and ":" in text):
            return None
        hours, minutes = divmod(value, 60)
    elif isinstance(value, str) and (match := _HHMM.fullmatch(value.strip())):
        hours, minutes = int(match[1]), int(match[2])
    else:
        return None
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None
    return time(hours, minutes)


def time_span(value: Any) -> tuple[time, time] | None:
    """(start, end) from "21:00-07:30" (or with an en dash); None for anything else."""
    match = _HOURS.fullmatch(value.strip()) if isinstance(value, str) else None
    start = time_of_day(match[1]) if match else None
    end = time_of_day(match[2]) if match else None
    return None if start is None or end is None else (start, end)


def span(seconds: float) -> str:
    """A limit as the config writes it: 3600 -> "1h", 1800 -> "30m", 10 -> "10s"."""
    whole = round(seconds)
    if whole and whole % 3600 == 0:
        return f"{whole // 3600}h"
    if whole and whole % 60 == 0:
        return f"{whole // 60}m"
    return f"{whole}s"


def span_in_words(seconds: float) -> str:
    """A limit in words: 1800 -> "30 minutes", 5 -> "5 seconds"."""
    whole = round(seconds)
    if whole and whole % 60 == 0:
        minutes = whole // 60
        return f"{minutes} minute" + ("" if minutes == 1 else "s")
    return f"{whole} second" + ("" if whole == 1 else "s")


def hhmm(moment: time) -> str:
    """A time of day as the config writes it, e.g. "07:30"."""
    return moment.strftime("%H:%M")


def clock(seconds: float) -> str:
    """Seconds as m:ss, e.g. 240 -> "4:00", as the kiosk and the messages show durations."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"
