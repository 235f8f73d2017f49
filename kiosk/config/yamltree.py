"""Reading one YAML settings file into a tree of values that remember where they were
written (file, line, column), so every message can point at its line. The YAML is composed
into nodes rather than loaded, which also lets this refuse what plain loading would accept
silently (a key given twice) or take forever on (huge files, alias bombs, deep nesting)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.config.problems import Problem

# The bundled defaults, comments and all, are about 11 kB. Anything over 128 kB is refused
# before YAML parsing, which would take a Pi Zero many seconds on a huge list.
MAX_FILE_BYTES = 128 * 1024
MAX_VALUES = 100_000  # stops alias "billion laughs" expansions
MAX_DEPTH = 40  # a config needs about five levels


@dataclass
class Located:
    """A value from a YAML file with where it was written: dicts hold Located values, lists
    Located items. A mapping's value is located at its key."""

    value: Any
    file: str
    line: int
    text: str | None = None  # a scalar as written, e.g. "21:00" where YAML 1.1 reads 1260
    column: int = 0


class _Abort(Exception):
    """The file's YAML cannot be turned into settings at all; carries the one Problem."""


def read_bytes(path: Path, problems: list[Problem]) -> bytes | None:
    """The file's bytes (at most MAX_FILE_BYTES), or None after adding the reason to
    `problems`. Never raises for a bad path."""
    file = str(path)

    def fail(message: str) -> None:
        problems.append(Problem(file, 1, "(file)", message))

    try:
        if path.is_dir():
            return fail("is a folder, not a file (give the path of a YAML settings file)")
        if not path.exists():
            return fail("does not exist (give the path of a YAML settings file)")
        if not path.is_file():
            return fail("is not a regular file (give the path of a YAML settings file)")
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return fail(f"cannot be read: {reason} (the kiosk needs to be able to read it)")
    if len(data) > MAX_FILE_BYTES:
        return fail("is larger than 128 kB (a settings file is a few kB of YAML)")
    return data


def parse(data: bytes, file: str, problems: list[Problem]) -> Located | None:
    """The text as a Located tree (an empty file is an empty mapping), or None after adding
    the reason to `problems`."""

    def fail(message: str, line: int = 1, key: str = "(file)") -> None:
        problems.append(Problem(file, line, key, message))

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return fail("is not UTF-8 text (save it as UTF-8 in the editor)", line)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return fail(*_yaml_error(error, text), key="(yaml)")
    except RecursionError:
        return fail("is nested too deeply (a settings file needs only a few levels)",
                    _deepest_line(text), key="(yaml)")
    if node is None:
        return Located({}, file, 1)
    local: list[Problem] = []
    try:
        tree = _Converter(file, local).convert(node, node.start_mark, "", 0)
    except _Abort as abort:
        local.append(abort.args[0])
    problems.extend(local)
    if local:
        return None
    return Located({}, file, 1) if tree.value is None else tree  # a document of only "---"


def read(path: Path, problems: list[Problem]) -> Located | None:
    """The file as a Located tree, or None after adding the reason to `problems`."""
    data = read_bytes(path, problems)
    return None if data is None else parse(data, str(path), problems)


def _yaml_error(error: yaml.YAMLError, text: str) -> tuple[str, int]:
    """The message and 1-based line of a YAML syntax (or reader) error."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    else:  # a ReaderError (a control character) knows only its position
        line = text[: getattr(error, "position", 0)].count("\n") + 1
    what = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    context = getattr(error, "context", None)
    what = f"{context}, {what}" if context else what
    return f"YAML syntax: {what} (write key: value, lists with '- ', spaces not tabs)", line


def _deepest_line(text: str) -> int:
    """The first line where the nesting (indentation plus open brackets) is deepest."""
    best, best_line, open_brackets = -1, 1, 0
    for number, line in enumerate(text.splitlines(), 1):
        depth = (len(line) - len(line.lstrip(" "))) // 2 + open_brackets
        for char in line:
            if char in "[{":
                open_brackets += 1
                depth = max(depth, (len(line) - len(line.lstrip(" "))) // 2 + open_brackets)
            elif char in "]}":
                open_brackets = max(0, open_brackets - 1)
        if depth > best:
            best, best_line = depth, number
    return best_line


class _Converter:
    """Turns a composed YAML node tree into Located values, refusing cycles, deep nesting,
    alias explosions and duplicate keys (which plain YAML loading silently accepts)."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        self.loader = yaml.SafeLoader("")  # only to construct scalars (ints, bools, ...)
        self.count = 0
        self.open: set[int] = set()

    def convert(self, node: yaml.Node, mark: yaml.Mark, path: str, depth: int) -> Located:
        key = path or "(top)"
        line, column = mark.line + 1, mark.column
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Abort(Problem(self.file, line, key, f"holds over {MAX_VALUES} values "
                                 "(a settings file has a few hundred; check for aliases)"))
        if depth > MAX_DEPTH or id(node) in self.open:
            raise _Abort(Problem(self.file, line, key, "is nested too deeply or refers to "
                                 "itself (a settings file needs only a few levels)"))
        if isinstance(node, yaml.ScalarNode):
            try:
                value = self.loader.construct_object(node)
            except Exception as error:  # PyYAML's constructors raise assorted errors for bad tags
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise _Abort(Problem(self.file, line, key, f"cannot be read: {reason} "
                                     "(plain text, numbers or yes/no, no !tags)")) from None
            return Located(value, self.file, line, node.value, column)
        self.open.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            value: Any = [self.convert(item, item.start_mark, f"{path}[{i}]", depth + 1)
                          for i, item in enumerate(node.value)]
        else:
            value = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem(self.file, key_line, key, "has a key that is "
                                                 "not a plain word (keys are words such as "
                                                 "duration)", column=key_node.start_mark.column))
                    continue
                name = key_node.value
                child_path = join(path, name)
                if name in value:
                    other = value[name].line
                    self.problems.append(Problem(self.file, key_line, child_path, "is given "
                                                 f"twice (keep one; the other is on line {other})",
                                                 column=key_node.start_mark.column))
                    continue
                value[name] = self.convert(value_node, key_node.start_mark, child_path, depth + 1)
        self.open.discard(id(node))
        return Located(value, self.file, line, column=column)


def join(path: str, key: str) -> str:
    """`path.key`, with a key that is empty, long or has spaces made printable as one word."""
    if not re.fullmatch(r"\S{1,40}", key):
        key = '"' + re.sub(r"\s", "␣", key[:40]) + ("…" if len(key) > 40 else "") + '"'
    return f"{path}.{key}" if path else key


def expand_lists(tree: Located, list_means: dict[str, str]) -> Located:
    """Short forms written out before merging, so the rest comes from the defaults: with
    {"reminders": "times"}, `reminders: [08:00]` means `reminders: {times: [08:00]}`."""
    if not isinstance(tree.value, dict):
        return tree
    value = dict(tree.value)
    for section, key in list_means.items():
        given = value.get(section)
        if given is not None and isinstance(given.value, list):
            value[section] = Located({key: given}, given.file, given.line, column=given.column)
    return Located(value, tree.file, tree.line, column=tree.column)


def merge(base: Located, over: Located, top: bool = False) -> Located:
    """Mappings merge key by key; anything else in `over` replaces `base` wholesale. At the
    top level a null section (e.g. `sounds:` with everything under it commented out) means
    the defaults."""
    if not (isinstance(base.value, dict) and isinstance(over.value, dict)):
        return over
    merged = dict(base.value)
    for key, value in over.value.items():
        if key in merged:
            if not (top and value.value is None):
                merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return Located(merged, over.file, over.line, column=over.column)
