"""The one generic checker: it walks the table of settings (kiosk.config.fields) over the
merged tree, reads every value with its kind, collects every Problem at once and builds
the frozen dataclasses. Nothing here knows a particular setting; the table does.

The table has three kinds of entry, named by key path:
- Section("buttons", ButtonsConfig, ...): a mapping of settings built into one dataclass;
- Setting("buttons.up", Pin(), "a BCM pin number, 2-27"): one value, read by its kind;
- Records("areas", Area, ...): a list of mappings; its fields are keyed "areas[].id".
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.config.problems import Invalid, Problem
from kiosk.config.yamltree import Located, join


class Kind(Protocol):
    """How one setting's written value is read. `read` returns the value the kiosk uses, or
    raises Invalid (one problem at the value, the setting's allowed text added), or reports
    problems about parts of the value through `at` and returns what it could read."""

    def read(self, v: Located, at: At) -> Any: ...


@dataclass(frozen=True)
class Setting:
    """One value. `allowed` ends every message about it: "(what is allowed)". The default is
    the dataclass field's default (`attr`, else the key's last word) in the class that holds
    it: the section's, the record's, or Config for a top-level setting."""

    key: str
    kind: Kind
    allowed: str
    attr: str | None = None
    required: bool = False  # in a record: missing is an error (no default exists)
    advice: Callable[[Any, At], str | None] | None = None  # a warning for a usable but odd value
    content: bool = False  # the real default is the bundled file's list, not the dataclass's


@dataclass(frozen=True)
class Section:
    """A mapping of settings read into one dataclass; its settings are keyed "key.name"."""

    key: str
    build: type
    example: str  # "must be settings (such as {example})"
    what: str | None = None  # the whole "must be ..." text, when more needs saying
    list_means: str | None = None  # a list written for the section means this setting


@dataclass(frozen=True)
class Unique:
    """No two records share this field's value (after `same`): reported at the second one."""

    field: str
    message: str  # formatted with value (as written) and other (the first record's path)
    same: Callable[[Any], Any] = lambda value: value


@dataclass(frozen=True)
class Records:
    """A list of mappings, each read into `build` from its fields (keyed "key[].name")."""

    key: str
    build: Callable[..., Any]
    kind: str  # "area": "must be a list of areas (each ...)"
    each: str  # "with id and name"
    item: str  # "must be {item}" when one entry is not a mapping
    at_least_one: bool = True
    text_means: str | None = None  # an entry written as plain text means this field
    unique: Unique | None = None
    finish: Callable[[list[Item], Located, At], Any] | None = None  # builds the whole list
    overrides: tuple[str, ...] = ()  # top-level keys an entry may set for itself (profiles)


Entry = Setting | Section | Records


@dataclass
class Evaluated:
    """A setting, section or list as read: the value (the default when it was not given or
    not usable), where it was written (None: not given) and whether it read cleanly."""

    value: Any
    node: Located | None
    clean: bool = True


@dataclass
class Item:
    """One record of a list as read: its fields' values by attribute, the mapping, its path."""

    values: dict[str, Any]
    node: Located
    path: str
    scope: Scope


class Table:
    """The entries by key, with the structure the checker walks."""

    def __init__(self, entries: Iterable[Entry], root: type):
        self.root = root  # the dataclass the top-level entries build (Config)
        self.entries: dict[str, Entry] = {}
        for entry in entries:
            if entry.key in self.entries:
                raise ValueError(f"{entry.key} is in the table twice")
            parent = _parent(entry.key).removesuffix("[]")
            if parent and parent not in self.entries:
                raise ValueError(f"{entry.key} comes before its section or list {parent}")
            self.entries[entry.key] = entry

    def children(self, key: str) -> list[Entry]:
        """The entries directly under a section ("buttons"), a list's records ("areas") or,
        for "", the top level."""
        inner = key + "[]" if isinstance(self.entries.get(key), Records) else key
        return [e for k, e in self.entries.items() if _parent(k) == inner]

    def top(self) -> list[Entry]:
        return self.children("")

    def list_shorthands(self) -> dict[str, str]:
        return {e.key: e.list_means for e in self.entries.values()
                if isinstance(e, Section) and e.list_means}

    def default(self, entry: Setting) -> Any:
        """The dataclass default of a setting (None where the dataclass has none)."""
        parent = _parent(entry.key)
        holder = self.entries[parent.removesuffix("[]")].build if parent else self.root
        return field_default(holder, attr(entry))


def _parent(key: str) -> str:
    """"buttons" for "buttons.up", "areas[]" for "areas[].id", "" for "daily_target"."""
    return key.rsplit(".", 1)[0] if "." in key else ""


def _name(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def attr(entry: Entry) -> str:
    """The dataclass field an entry fills."""
    return (entry.attr if isinstance(entry, Setting) else None) or _name(entry.key)


def field_default(cls: Any, name: str) -> Any:
    """A dataclass field's default, or None when it has none."""
    if not dataclasses.is_dataclass(cls):
        return None
    for f in dataclasses.fields(cls):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
    return None


class At:
    """Where a kind is reading: the value's path and allowed text, the checker to report to,
    and the scope to look up settings this one depends on."""

    def __init__(self, checker: Checker, scope: Scope, path: str, allowed: str):
        self.checker = checker
        self.scope = scope
        self.path = path
        self.allowed = allowed

    @property
    def user_file(self) -> str:
        return self.checker.user_file

    def problem(self, node: Located, what: str, allowed: str | None = None,
                path: str | None = None, warning: bool = False) -> None:
        """Reports "what (allowed)" at `node` (the setting's own allowed text by default)."""
        self.checker.report(node, path or self.path, f"{what} ({allowed or self.allowed})",
                            warning)

    def lookup(self, key: str) -> Evaluated:
        """Another setting this one depends on, as this scope sees it (a profile's own
        techniques, else the top level's)."""
        return self.scope.lookup(key)

    def claim(self, what: str, value: Any, node: Located, path: str | None = None) -> None:
        """Records a value that must not be used twice across settings (e.g. a GPIO pin);
        the table's rules check the claims once everything is read."""
        self.checker.claims.setdefault(what, []).append((path or self.path, value, node))


class Scope:
    """What one mapping's settings read to: the top level, a profile (its own settings,
    the rest looked up at the top level) or one record of a list."""

    def __init__(self, checker: Checker, node: Located, path: str, owns: Callable[[str], bool],
                 parent: Scope | None = None, record: str = ""):
        self.checker = checker
        self.node = node  # a mapping
        self.path = path
        self.owns = owns  # the table keys read in this scope
        self.parent = parent
        self.record = record  # "areas[]" in a record's scope
        self.memo: dict[str, Evaluated] = {}
        self.busy: set[str] = set()

    def lookup(self, key: str) -> Evaluated:
        if key in self.memo:
            return self.memo[key]
        if not self.owns(key):
            if self.parent is None:
                raise KeyError(f"{key} is not in the table")
            return self.parent.lookup(key)
        if key in self.busy:
            raise RuntimeError(f"the table's {key} depends on itself")
        self.busy.add(key)
        try:
            self.memo[key] = self.checker.evaluate(self.checker.table.entries[key], self)
        finally:
            self.busy.discard(key)
        return self.memo[key]

    def locate(self, key: str) -> tuple[Located | None, Located | None, str]:
        """(the value's node, the mapping holding it, its path); nodes None when absent or
        when the holding section is not a mapping."""
        if self.record and key.startswith(self.record + "."):
            key = key.removeprefix(self.record + ".")
        node, path = self.node, self.path
        holder: Located | None = None
        for part in key.split("."):
            if node is None or not isinstance(node.value, dict):
                return None, None, join(path, part)
            holder, node, path = node, node.value.get(part), join(path, part)
        return node, holder, path


class Checker:
    """Reads the merged tree by the table, collecting every Problem, and builds the Config
    (with defaults where something is wrong: such a Config is never handed out)."""

    def __init__(self, table: Table, user_file: str) -> None:
        self.table = table
        self.user_file = user_file  # values from any other file come from the defaults
        self.problems: list[Problem] = []
        self.claims: dict[str, list[tuple[str, Any, Located]]] = {}

    def errors(self) -> int:
        return sum(1 for p in self.problems if not p.warning)

    def report(self, at: Located, path: str, message: str, warning: bool = False) -> None:
        self.problems.append(Problem(at.file, at.line, path or "(top)", message, warning,
                                     column=at.column))

    def mapping(self, v: Located, path: str, keys: list[str], what: str) -> bool:
        """Whether `v` is a mapping; reports it if not, and every key not in `keys`."""
        if not isinstance(v.value, dict):
            self.report(v, path, f"must be {what}")
            return False
        for key, child in v.value.items():
            if key not in keys:
                self.report(child, join(path, key), unknown_key(key, keys))
        return True

    def check(self, root: Located, rules: Iterable[Callable[[Checker, Scope], None]],
              **extra: Any) -> Any:
        """The top-level dataclass read from `root` (with `extra` fields such as the source),
        after the rules that span several settings; its defaults alone if `root` is not a
        mapping at all."""
        keys = [_name(e.key) for e in self.table.top()]
        if not self.mapping(root, "", keys, "settings (written as key: value)"):
            return self.table.root(**extra)
        top = Scope(self, root, "", lambda key: key in self.table.entries)
        values = {attr(e): top.lookup(e.key).value for e in self.table.top()}
        for rule in rules:
            rule(self, top)
        return self.table.root(**values, **extra)

    # - one entry -

    def evaluate(self, entry: Entry, scope: Scope) -> Evaluated:
        node, holder, path = scope.locate(entry.key)
        if isinstance(entry, Setting):
            return self.setting(entry, node, holder, path, scope)
        if node is None:  # not given: its parts' defaults, or no records
            if isinstance(entry, Section):
                return Evaluated(self.section(entry, None, path, scope), None)
            if entry.at_least_one and holder is not None:
                self.report(holder, path, f"is missing (a list of {entry.kind}s, each {entry.each})")
                return Evaluated((), None, clean=False)
            return Evaluated((), None)
        before = self.errors()
        if isinstance(entry, Section):
            value = self.section(entry, node, path, scope)
        else:
            value = self.records(entry, node, path, scope)
        return Evaluated(value, node, self.errors() == before)

    def setting(self, entry: Setting, node: Located | None, holder: Located | None, path: str,
                scope: Scope) -> Evaluated:
        default = self.table.default(entry)
        if node is None:
            if entry.required and holder is not None:
                self.report(holder, path, f"is missing ({entry.allowed})")
                return Evaluated(None, None, clean=False)
            return Evaluated(default, None)
        at = At(self, scope, path, entry.allowed)
        before = self.errors()
        try:
            value = entry.kind.read(node, at)
        except Invalid as invalid:
            at.problem(node, invalid.what, invalid.allowed)
            return Evaluated(None if entry.required else default, node, clean=False)
        clean = self.errors() == before
        if clean and entry.advice is not None and (advice := entry.advice(value, at)):
            self.report(node, path, advice, warning=True)
        return Evaluated(value, node, clean)

    def section(self, entry: Section, node: Located | None, path: str, scope: Scope) -> Any:
        children = self.table.children(entry.key)
        if node is not None:
            what = entry.what or f"settings (such as {entry.example})"
            if not self.mapping(node, path, [_name(c.key) for c in children], what):
                return entry.build()
        return entry.build(**{attr(c): scope.lookup(c.key).value for c in children})

    def records(self, entry: Records, node: Located, path: str, scope: Scope) -> Any:
        at = At(self, scope, path, f"each {entry.each}")
        if node.value is None and not entry.at_least_one:
            return ()
        if not isinstance(node.value, list):
            at.problem(node, f"must be a list of {entry.kind}s")
            return ()
        if not node.value and entry.at_least_one:
            at.problem(node, f"needs at least one {entry.kind}")
        children = self.table.children(entry.key)
        keys = [_name(c.key) for c in children] + list(entry.overrides)
        items: list[Item] = []
        for i, item in enumerate(node.value):
            item_path = f"{path}[{i}]"
            if entry.text_means and isinstance(item.value, str):
                item = Located({entry.text_means: item}, item.file, item.line, column=item.column)
            if not self.mapping(item, item_path, keys, entry.item):
                continue
            record = entry.key + "[]"
            own = {c.key for c in children}
            owns = (lambda key, own=own: key in own)
            if entry.overrides:  # the record's own settings, read as at the top level
                owns = (lambda key, own=own, item=item, overrides=entry.overrides:
                        key in own or _overridden(item, key, overrides))
            item_scope = Scope(self, item, item_path, owns, scope, record)
            values = {attr(c): item_scope.lookup(c.key).value for c in children}
            items.append(Item(values, item, item_path, item_scope))
        if entry.unique is not None:
            self.unique(entry.unique, items)
        if entry.finish is not None:
            return entry.finish(items, node, at)
        return tuple(entry.build(**item.values) for item in items)

    def unique(self, rule: Unique, items: list[Item]) -> None:
        seen: dict[Any, str] = {}
        for item in items:
            value = item.values.get(rule.field)
            if value is None or value == "":
                continue
            same = rule.same(value)
            if same in seen:
                self.report(item.node.value[rule.field], f"{item.path}.{rule.field}",
                            rule.message.format(value=value, other=seen[same]))
            else:
                seen[same] = item.path


def _overridden(item: Located, key: str, overrides: tuple[str, ...]) -> bool:
    """Whether a record (a profile) sets `key` itself: a top-level key it gives, not null,
    or a setting written inside a section it gives; anything else comes from the top."""
    parts = key.split(".")
    if parts[0] not in overrides:
        return False
    node = item
    for part in parts:
        if not isinstance(node.value, dict) or part not in node.value:
            return False
        node = node.value[part]
    return len(parts) > 1 or node.value is not None


def unknown_key(key: str, known: list[str]) -> str:
    """ "unknown key (did you mean 'session'?)", or the list of known keys if none is close."""
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean '{close[0]}'?)"
    return f"unknown key (known keys here: {', '.join(known)})"
