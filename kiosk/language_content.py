"""The bundled areas and techniques in another language (config/default.LANG.yaml, e.g.
default.es.yaml): names, prompts, step prompts and safety notes by id.

A word is replaced only where the settings still hold the bundled English word for that id
(default.yaml), so the defaults speak the profile's language while a clinician's own names,
prompts and safety notes are shown exactly as written, in whatever language they wrote them.
Works on the loaded settings (kiosk.config's Config, Profile, Area, Technique, compared by
field name), so the config package can apply it after checking, and a clinic station with
profiles in two languages gets each profile in its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kiosk import paths

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class TechniqueWords:
    """The words of one technique: what the screen shows and the voice says."""

    name: str
    prompt: str
    steps: tuple[str, ...] = ()
    safety: str | None = None


@dataclass(frozen=True)
class ContentWords:
    """The words of the bundled areas and techniques in one language, by id; `source` is the
    fingerprint of the English words they were translated from (see `fingerprint`)."""

    areas: dict[str, str]
    techniques: dict[str, TechniqueWords]
    source: str | None = None


def fingerprint(words: ContentWords) -> str:
    """A short sum of every word (ids included): an overlay records the English one it was
    translated from, so a change to default.yaml's words shows it needs translating again."""
    parts = [f"area {i} {n}" for i, n in sorted(words.areas.items())]
    for ident, t in sorted(words.techniques.items()):
        parts += [f"technique {ident} {t.name}", t.prompt, *t.steps, t.safety or ""]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]


def overlay_path(language: str) -> Path:
    """Where the bundled words in `language` are (they may not exist)."""
    return paths.default_config_path().with_name(f"default.{language}.yaml")


def languages() -> tuple[str, ...]:
    """English and every language with bundled words, e.g. ("en", "es")."""
    found = sorted(p.name[len("default."):-len(".yaml")] for p in paths.default_config_path().parent.glob("default.*.yaml"))
    return (SOURCE_LANGUAGE,) + tuple(found)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: must be words (text)")
    return " ".join(value.split())


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: must be entries written as id: ...")
    return value


def read_words(path: Path) -> ContentWords:
    """An overlay file (`source: FINGERPRINT`, `areas: {id: name}`, `techniques: {id: {name,
    prompt, steps, safety}}`) as ContentWords. Raises ValueError naming the file and key of anything malformed."""
    tree = _mapping(yaml.safe_load(Path(path).read_text(encoding="utf-8")), str(path))
    areas = {str(i): _text(n, f"{path}: areas.{i}") for i, n in _mapping(tree.get("areas") or {}, f"{path}: areas").items()}
    techniques = {}
    for ident, words in _mapping(tree.get("techniques") or {}, f"{path}: techniques").items():
        where = f"{path}: techniques.{ident}"
        words = _mapping(words, where)
        unknown = set(words) - {"name", "prompt", "steps", "safety"}
        if unknown:
            raise ValueError(f"{where}: only name, prompt, steps and safety are words ({', '.join(sorted(unknown))})")
        steps = words.get("steps") or []
        if not isinstance(steps, list):
            raise ValueError(f"{where}.steps: must be a list of prompts")
        techniques[str(ident)] = TechniqueWords(
            name=_text(words.get("name"), f"{where}.name"),
            prompt=_text(words.get("prompt"), f"{where}.prompt"),
            steps=tuple(_text(s.get("prompt") if isinstance(s, dict) else s, f"{where}.steps[{n}]")
                        for n, s in enumerate(steps)),
            safety=_text(words["safety"], f"{where}.safety") if words.get("safety") is not None else None,
        )
    source = tree.get("source")
    return ContentWords(areas, techniques, str(source) if source is not None else None)


def _english() -> ContentWords:
    """The bundled English words, read from default.yaml the way the config reads them."""
    tree = yaml.safe_load(paths.default_config_path().read_text(encoding="utf-8"))
    areas = {a["id"]: " ".join(a["name"].split()) for a in tree.get("areas") or []}
    techniques = {
        t["id"]: TechniqueWords(
            name=" ".join(t["name"].split()),
            prompt=" ".join(t["prompt"].split()),
            steps=tuple(" ".join((s["prompt"] if isinstance(s, dict) else s).split()) for s in t.get("steps") or []),
            safety=" ".join(t["safety"].split()) if t.get("safety") else None,
        )
        for t in tree.get("techniques") or []
    }
    return ContentWords(areas, techniques)


@cache
def bundled_words(language: str) -> ContentWords | None:
    """The bundled words in `language` ("en": default.yaml's own), None when there are none."""
    if language == SOURCE_LANGUAGE:
        return _english()
    path = overlay_path(language)
    return read_words(path) if path.is_file() else None


def _same(shown: str | None, bundled: str | None) -> bool:
    return shown is not None and bundled is not None and " ".join(shown.split()) == bundled


def area_in(area, language: str):
    """`area` with the bundled name in `language`, if it still has the English one."""
    words = bundled_words(language)
    english = bundled_words(SOURCE_LANGUAGE)
    if words is None or area.id not in words.areas or not _same(area.name, english.areas.get(area.id)):
        return area
    return replace(area, name=words.areas[area.id])


def technique_in(technique, language: str):
    """`technique` with each of its words that is still the bundled English one (name,
    prompt, each step's prompt, safety note) in `language`; anything else as it was."""
    words = bundled_words(language)
    english = bundled_words(SOURCE_LANGUAGE).techniques.get(technique.id)
    ours = words.techniques.get(technique.id) if words is not None else None
    if ours is None or english is None:
        return technique
    changes = {}
    if _same(technique.name, english.name):
        changes["name"] = ours.name
    if _same(technique.prompt, english.prompt):
        changes["prompt"] = ours.prompt
    if _same(technique.safety, english.safety) and ours.safety:
        changes["safety"] = ours.safety
    steps = technique.steps
    if steps and len(steps) == len(english.steps) == len(ours.steps):
        changes["steps"] = tuple(
            replace(step, prompt=ours.steps[n]) if _same(step.prompt, english.steps[n]) else step
            for n, step in enumerate(steps)
        )
    return replace(technique, **changes) if changes else technique


def profile_in(profile, language: str):
    """A profile (or the Config itself) with its areas and techniques in `language`."""
    if language == SOURCE_LANGUAGE or bundled_words(language) is None:
        return profile
    return replace(
        profile,
        areas=tuple(area_in(a, language) for a in profile.areas),
        techniques=tuple(technique_in(t, language) for t in profile.techniques),
    )


def config_in_languages(config):
    """The loaded Config with its top-level areas and techniques in `config.language`, and
    each profile's in its own `language` (when profiles have one) or else the config's."""
    language = _code(getattr(config, "language", None)) or SOURCE_LANGUAGE
    profiles = tuple(profile_in(p, _code(getattr(p, "language", None)) or language) for p in config.profiles)
    return replace(profile_in(config, language), profiles=profiles)


def _code(language) -> str | None:
    """"es" for "es" or the settings' Language.ES."""
    return getattr(language, "value", language)
