"""Loading: the bundled defaults with the user's file merged over them, checked once by the
table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk import paths
from kiosk.config.checker import Checker, Table
from kiosk.config.fields import FIELDS, RULES
from kiosk.config.problems import ConfigError, Problem, in_order
from kiosk.config.settings import Config, Mode
from kiosk.config.values import clock
from kiosk.config.yamltree import expand_lists, merge, parse, read, read_bytes

TABLE = Table(FIELDS, Config)


@dataclass(frozen=True)
class Loaded:
    """Settings ready to run on, with their warnings."""

    config: Config
    warnings: tuple[Problem, ...] = field(default=())


def load_defaults() -> Config:
    """The bundled defaults alone (what the kiosk falls back to when a user file is broken)."""
    return load(None).config


def load(path: Path | str | None) -> Loaded:
    """The bundled defaults with the user file at `path` merged over them, validated.

    Raises ConfigError listing every error found (warnings ride along in Loaded.warnings)."""
    return _load(Path(path) if path is not None else None, None, source=path)


def _load(path: Path | None, data: bytes | None, source: Path | str | None) -> Loaded:
    """`load` with the user file's bytes when they were read already."""
    defaults_path = paths.default_config_path()
    problems: list[Problem] = []
    tree = read(defaults_path, problems)
    user = None
    if path is not None:
        if data is None:
            data = read_bytes(path, problems)
        user = parse(data, str(path), problems) if data is not None else None
    if user is not None and not isinstance(user.value, dict):
        problems.append(Problem(user.file, user.line, "(top)",
                                "must be settings written as key: value (e.g. daily_target: 4)"))
    if problems or tree is None:
        raise ConfigError(problems)
    shorthands = TABLE.list_shorthands()
    tree = expand_lists(tree, shorthands)
    if user is not None:
        tree = merge(tree, expand_lists(user, shorthands), top=True)
    checker = Checker(TABLE, tree.file)
    config = checker.check(tree, RULES, source=str(source if source is not None else defaults_path))
    errors = [p for p in checker.problems if not p.warning]
    if errors:
        raise ConfigError(in_order(errors, tree.file))
    warnings = [p for p in checker.problems if p.warning]
    return Loaded(config, tuple(in_order(warnings, tree.file)))


def summary(config: Config) -> str:
    """One line for `check-config`, e.g. "4:00 sessions, 4 a day, 10 areas, 13 techniques";
    with more than one profile and graded practice, e.g. "..., 2 profiles, graded"."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    line = (f"{clock(config.session.duration_seconds)} sessions, {config.daily_target} a day, "
            f"{count(len(config.areas), 'area')}, {count(len(config.techniques), 'technique')}")
    if len(config.profiles) > 1:
        line += f", {count(len(config.profiles), 'profile')}"
    modes = {person.mode for person in config.people()}
    if modes == {Mode.GRADED}:
        line += ", graded"
    elif Mode.GRADED in modes:
        line += ", firm and graded"
    return line
