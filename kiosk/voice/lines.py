"""The exact sentences the kiosk speaks, built in one place so that what the render process
renders and what the session asks for are the same strings (the cache is keyed by text).

The words themselves come from the config (technique names and prompts) and from the
strings table (the half-time and end lines, passed in), so nothing here is translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

_ENDINGS = (".", "!", "?", "…")


class StepLike(Protocol):
    """A technique's step as the config gives it."""

    prompt: str


class TechniqueLike(Protocol):
    """A technique as the config gives it (kiosk.config.Technique)."""

    name: str
    prompt: str
    steps: Sequence[StepLike]


class AreaLike(Protocol):
    """A body area as the config gives it."""

    name: str


class ProfileLike(Protocol):
    """A profile (kiosk.config.Profile): its techniques and areas."""

    techniques: Sequence[TechniqueLike]
    areas: Sequence[AreaLike]


def sentence(text: str) -> str:
    """`text` as one spoken sentence: spaces tidied, a full stop added when it has no end
    mark (prompts are written without one), so the voice falls at the end."""
    tidy = re.sub(r"\s+", " ", str(text)).strip()
    if tidy and not tidy.endswith(_ENDINGS):
        tidy += "."
    return tidy


def start_line(technique: TechniqueLike) -> str:
    """What is said as the countdown starts: the technique's name, its prompt and, when it
    has steps, the first step's prompt (the words on screen then), e.g.
    "Towel rub. Rub your skin with a towel. Rub up and down." """
    parts = [sentence(technique.name), sentence(technique.prompt)]
    if technique.steps:
        parts.append(sentence(technique.steps[0].prompt))
    return " ".join(part for part in parts if part)


def step_line(technique: TechniqueLike, index: int) -> str:
    """What is said after the chime of step `index` (0-based; step 0 is in the start line)."""
    return sentence(technique.steps[index].prompt)


def spoken_area(name: str) -> str:
    """An area's name inside a sentence: "Left leg" -> "left leg" (an all-capitals word
    such as "TENS site" keeps its capitals)."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return name
    return name[:1].lower() + name[1:]


def end_line(template: str, area_name: str) -> str:
    """The end line for one area, from the strings table's template with {area}."""
    return sentence(template.format(area=spoken_area(area_name)))


def technique_lines(technique: TechniqueLike) -> list[str]:
    """Every sentence one technique can speak: the start line, then each later step's."""
    lines = [start_line(technique)]
    lines += [step_line(technique, index) for index in range(1, len(technique.steps))]
    return lines


def spoken_texts(techniques: Iterable[TechniqueLike], fixed: Iterable[str] = ()) -> list[str]:
    """The sentences to render for `techniques` and the `fixed` lines, once each, in order."""
    texts: list[str] = []
    for technique in techniques:
        texts += technique_lines(technique)
    texts += [sentence(line) for line in fixed]
    return list(dict.fromkeys(text for text in texts if text))


def session_texts(profiles: Iterable[ProfileLike], half_line: str, end_template: str) -> list[str]:
    """Everything a session of any of `profiles` can say: each technique's lines, the
    half-time line, and the end line for every area."""
    profiles = list(profiles)
    techniques = [technique for profile in profiles for technique in profile.techniques]
    ends = [end_line(end_template, area.name) for profile in profiles for area in profile.areas]
    return spoken_texts(techniques, [half_line, *ends])


def voice_volume(sounds_percent: float, offset_percent: float = 0) -> float:
    """The voice's volume, 0.0-1.0: `sounds.volume` moved by `voice.volume` (both in
    percent), so turning the kiosk down turns the voice down with it."""
    try:
        percent = float(sounds_percent) + float(offset_percent)
    except (TypeError, ValueError):
        return 1.0
    return min(100.0, max(0.0, percent)) / 100.0
