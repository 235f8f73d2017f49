"""Loading: the bundled defaults with the user's file merged over them, checked once by the
table; and keeping the last settings that loaded cleanly, so one bad line never sends a
shared station back to the bundled defaults."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import paths
from kiosk.config.checker import Checker, Table
from kiosk.config.fields import FIELDS, RULES
from kiosk.config.problems import ConfigError, Problem, in_order
from kiosk.config.settings import Config, Mode
from kiosk.config.values import clock
from kiosk.config.yamltree import expand_lists, merge, parse, read, read_bytes
from kiosk.language_content import config_in_languages

TABLE = Table(FIELDS, Config)
LAST_GOOD_NAME = "config.last-good.yaml"  # in the data directory

# Which settings the kiosk runs on (Loaded.origin).
USER = "user"  # the user's file (or the bundled defaults when there is no user file)
LAST_GOOD = "last_good"  # the copy of the last user file that loaded cleanly
DEFAULTS = "defaults"  # the bundled defaults alone


@dataclass(frozen=True)
class Loaded:
    """Settings ready to run on, with their warnings. From `load_or_last_good` also where
    they came from, the problems of the user's file when it could not be used, and notes
    for the log (e.g. the copy could not be kept)."""

    config: Config
    warnings: tuple[Problem, ...] = field(default=())
    origin: str = USER
    problems: tuple[Problem, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())


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
    # The bundled areas and techniques in each profile's language (a clinician's own words stay).
    config = config_in_languages(config)
    return Loaded(config, tuple(in_order(warnings, tree.file)),
                  origin=USER if path is not None else DEFAULTS)


def load_or_last_good(path: Path | str | None, data_dir: Path | str,
                      keep: bool = True) -> Loaded:
    """The settings to run on, never raising for the user's file: the user's file when it
    loads (a copy then kept in `data_dir` as config.last-good.yaml, unless `keep` is off);
    else that copy; else the bundled defaults. Without a user file: the bundled defaults.
    `problems` holds what is wrong with the user's file (and with the copy, if it failed
    too); `origin` says which settings are in use; `config.source` names their file."""
    if path is None:
        return load(None)
    path = Path(path)
    problems: list[Problem] = []
    data = read_bytes(path, problems)
    try:
        if data is None:
            raise ConfigError(problems)
        loaded = _load(path, data, source=path)
    except ConfigError as error:
        refused = tuple(error.problems)
    else:
        notes = _keep_copy(data, Path(data_dir)) if keep else ()
        return Loaded(loaded.config, loaded.warnings, USER, (), notes)
    copy = Path(data_dir) / LAST_GOOD_NAME
    if copy.is_file():
        try:
            kept = load(copy)
        except ConfigError as error:
            refused += tuple(error.problems)
        else:
            return Loaded(kept.config, kept.warnings, LAST_GOOD, refused)
    return Loaded(load_defaults(), (), DEFAULTS, refused)


def _keep_copy(data: bytes, data_dir: Path) -> tuple[str, ...]:
    """Writes `data` as the last good settings (temporary file, then renamed over the old
    copy; readable by the kiosk's user only). Skipped when the copy already holds it.
    Returns a note for the log when the copy cannot be written."""
    copy = data_dir / LAST_GOOD_NAME
    try:
        if copy.is_file() and copy.stat().st_size == len(data) and copy.read_bytes() == data:
            return ()  # unchanged: no write at every start
        data_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".config.", suffix=".tmp", dir=data_dir)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, copy)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(data_dir)
    except OSError as error:
        reason = error.strerror or str(error)
        return (f"could not keep a copy of the settings as {copy}: {reason}",)
    return ()


def _sync_folder(folder: Path) -> None:
    """Makes a rename in `folder` survive a power cut (where the system allows it)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


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
