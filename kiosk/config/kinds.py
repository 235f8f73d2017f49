"""The kinds of value a setting can hold, each with the words it uses when a value is
wrong. A kind reads one written value (with its file and line) and either returns what
the kiosk uses or raises Invalid; kinds that read lists report each bad item at its own
line. The table (kiosk.config.fields) gives every setting its kind and allowed text."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Any

from kiosk.config.checker import At
from kiosk.config.problems import Invalid
from kiosk.config.settings import QuietHours
from kiosk.config.values import (
    hhmm,
    parse_duration,
    parse_size,
    span,
    time_of_day,
    time_span,
)
from kiosk.config.yamltree import Located
from kiosk.events import BUTTONS

TEXT_HINT = "put it in quotes if it looks like a number or yes/no"
_ID = re.compile(r"[a-z0-9_]+")
_WORDS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_NEVER = ("never", "off", "no", "none")
_NOT_ALLOWED = object()


def not_fitted(value: Any) -> bool:
    """null, no or off: an optional part that is not fitted."""
    return value is None or value is False


@dataclass(frozen=True)
class Whole:
    """A whole number from low to high (4.0 counts as 4; yes/no and "4" do not)."""

    low: int
    high: int

    def read(self, v: Located, at: At) -> int:
        x = v.value
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        if isinstance(x, bool) or not isinstance(x, int):
            raise Invalid("must be a whole number")
        if not self.low <= x <= self.high:
            raise Invalid(f"{x} is out of range")
        return x


@dataclass(frozen=True)
class Number:
    """A number from low to high; `positive` also refuses 0; `optional`: null is not given."""

    low: float
    high: float
    positive: bool = False
    optional: bool = False

    def read(self, v: Located, at: At) -> float | None:
        x = v.value
        if self.optional and x is None:
            return None
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise Invalid("must be a number")
        if not self.low <= x <= self.high:  # also refuses .nan
            raise Invalid(f"{x} is out of range")
        if self.positive and x == 0:
            raise Invalid("must be more than 0")
        return float(x)


@dataclass(frozen=True)
class Pin:
    """A BCM GPIO pin, 2-27, that no other button, encoder pin or output may use;
    `optional`: null or no means none is fitted."""

    optional: bool = False

    def read(self, v: Located, at: At) -> int | None:
        if self.optional and not_fitted(v.value):
            return None
        pin = Whole(2, 27).read(v, at)
        at.claim("pin", pin, v)
        return pin


@dataclass(frozen=True)
class Encoder:
    """A rotary encoder's two pins [A, B], or null for none."""

    def read(self, v: Located, at: At) -> tuple[int, int] | None:
        if not_fitted(v.value):
            return None
        if not isinstance(v.value, list) or len(v.value) != 2:
            raise Invalid("must be a pair of pins")
        pins: list[int | None] = []
        for i, item in enumerate(v.value):
            path = f"{at.path}[{i}]"
            try:
                pin = Whole(2, 27).read(item, at)
            except Invalid as invalid:
                at.problem(item, invalid.what, path=path)
                pin = None
            else:
                at.claim("pin", pin, item, path)
            pins.append(pin)
        a, b = pins
        return None if a is None or b is None else (a, b)


@dataclass(frozen=True)
class Switch:
    """yes/no (true/false, on/off, quoted or not); with `auto`, also "auto" or empty -> None."""

    auto: bool = False

    def read(self, v: Located, at: At) -> bool | None:
        x = v.value
        if isinstance(x, bool):
            return x
        if self.auto and (x is None or (isinstance(x, str) and x.strip().lower() == "auto")):
            return None
        if isinstance(x, str) and x.strip().lower() in _WORDS:
            return _WORDS[x.strip().lower()]
        raise Invalid("must be a choice")


@dataclass(frozen=True)
class Choice:
    """One of an Enum's values, in any case: "must be a {noun}" otherwise."""

    options: type[Enum]
    noun: str = "choice"

    def read(self, v: Located, at: At) -> Enum:
        word = v.value.strip().lower() if isinstance(v.value, str) else None
        found = next((o for o in self.options if o.value == word), None)
        if found is None:
            raise Invalid(f"must be a {self.noun}")
        return found


@dataclass(frozen=True)
class Text:
    """Text with its white space tidied to single spaces. Longer than `fit`: a warning that
    it may not fit on the screen. `optional`: null or empty means none."""

    fit: int | None = None
    optional: bool = False

    def read(self, v: Located, at: At) -> str | None:
        x = v.value
        if isinstance(x, str) and x.strip():
            text = " ".join(x.split())
        elif self.optional and (x is None or isinstance(x, str)):
            return None
        elif isinstance(x, str) or x is None:
            raise Invalid("must not be empty")
        else:
            raise Invalid("must be text", f"{at.allowed}; {TEXT_HINT}")
        if self.fit and len(text) > self.fit:
            at.problem(v, f"is {len(text)} characters long and may not fit on the screen",
                       f"up to {self.fit} fit well", warning=True)
        return text


@dataclass(frozen=True)
class Ident:
    """An id for the records: lowercase letters, digits and _."""

    def read(self, v: Located, at: At) -> str:
        if not isinstance(v.value, str) or not _ID.fullmatch(v.value):
            raise Invalid("must be an id")
        return v.value


@dataclass(frozen=True)
class Duration:
    """Seconds written as 4m, 90s, 1m30s, 2h or a number, from low to high. With `never`,
    never/off/null are allowed and read as that value. `spell` words the limits."""

    low: float
    high: float
    never: Any = _NOT_ALLOWED
    spell: Any = span

    def read(self, v: Located, at: At) -> float | None:
        x = v.value
        if self.never is not _NOT_ALLOWED and (
                x is None or x is False or (isinstance(x, str) and x.strip().lower() in _NEVER)):
            return self.never
        try:
            seconds = parse_duration(x)
        except ValueError:
            raise Invalid("must be a time") from None
        if seconds > self.high:
            raise Invalid(f"is longer than {self.spell(self.high)}")
        if seconds < self.low:
            raise Invalid(f"is shorter than {self.spell(self.low)}")
        return seconds


@dataclass(frozen=True)
class Size:
    """auto (None) or a screen size WIDTHxHEIGHT, by the command line's rule (parse_size)."""

    def read(self, v: Located, at: At) -> tuple[int, int] | None:
        x = v.value
        if x is None or (isinstance(x, str) and x.strip().lower() == "auto"):
            return None
        try:
            return parse_size(x)
        except Invalid as invalid:
            raise Invalid(invalid.what) from None  # with the setting's text, which adds auto


@dataclass(frozen=True)
class TimeOfDay:
    """A time of day written HH:MM, quoted or not."""

    def read(self, v: Located, at: At) -> Any:
        moment = time_of_day(v.value, v.text)
        if moment is None:
            raise Invalid("must be a time of day")
        return moment


@dataclass(frozen=True)
class Hours:
    """Two different times of day, HH:MM-HH:MM, that may span midnight."""

    def read(self, v: Located, at: At) -> QuietHours:
        found = time_span(v.value)
        if found is None:
            raise Invalid("must be two times of day")
        start, end = found
        if start == end:
            raise Invalid(f"starts and ends at {hhmm(start)}", f"two different times, {at.allowed}")
        return QuietHours(start, end)


TIME_WHAT = "HH:MM, 00:00-23:59, e.g. 08:00"


@dataclass(frozen=True)
class ReminderTimes:
    """Up to `most` times of day, each once, sorted; one in the quiet hours (looked up at
    "quiet_hours") is a warning, since that reminder never comes."""

    most: int

    def read(self, v: Located, at: At) -> tuple[Any, ...]:
        if not isinstance(v.value, list):
            raise Invalid("must be a list of times")
        if len(v.value) > self.most:
            at.problem(v, f"has {len(v.value)} times")
        quiet: QuietHours = at.lookup("quiet_hours").value
        quiet_text = f"{hhmm(quiet.start)}-{hhmm(quiet.end)}"
        found: dict[Any, str] = {}
        for i, item in enumerate(v.value):
            path = f"{at.path}[{i}]"
            moment = time_of_day(item.value, item.text)
            if moment is None:
                at.problem(item, "must be a time of day", TIME_WHAT, path=path)
                continue
            if moment in found:
                at.problem(item, f"{hhmm(moment)} is also {found[moment]}",
                           "each reminder time once", path=path)
                continue
            found[moment] = path
            if moment in quiet:
                at.problem(item, f"{hhmm(moment)} is in the quiet hours {quiet_text}, so this "
                           "reminder never comes", "allowed; move it or change quiet_hours",
                           path=path, warning=True)
        return tuple(sorted(found))


@dataclass(frozen=True)
class ButtonPresses:
    """A sequence of button names, shortest to longest presses; also written as one line
    of words ("up up down select")."""

    shortest: int
    longest: int

    def read(self, v: Located, at: At) -> tuple[str, ...] | None:
        items = v.value
        if isinstance(items, str):
            items = [Located(word, v.file, v.line, column=v.column)
                     for word in re.split(r"[\s,]+", items.strip()) if word]
        if not isinstance(items, list):
            raise Invalid("must be a list of button presses")
        if not self.shortest <= len(items) <= self.longest:
            raise Invalid(f"has {len(items)} presses")
        code = []
        for i, item in enumerate(items):
            word = item.value.strip().lower() if isinstance(item.value, str) else None
            if word not in BUTTONS:
                at.problem(item, "must be a button", path=f"{at.path}[{i}]")
                return None
            code.append(word)
        return tuple(code)


@dataclass(frozen=True)
class Ladder:
    """Technique ids, least to most irritating, each once. The ids are checked against the
    techniques in scope (looked up at "techniques"; skipped when that list has its own
    errors). An id that is not a technique is an error in a ladder the user wrote; in one
    taken from the defaults (the user replaced the techniques) it is left out quietly."""

    def read(self, v: Located, at: At) -> tuple[str, ...]:
        if v.value is None:
            return ()
        if not isinstance(v.value, list):
            raise Invalid("must be a list of technique ids")
        techniques = at.lookup("techniques")
        known = tuple(t.id for t in techniques.value) if techniques.clean else None
        strict = v.file == at.user_file
        rungs: list[str] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(v.value):
            path = f"{at.path}[{i}]"
            x = item.value
            if not isinstance(x, str) or not _ID.fullmatch(x):
                at.problem(item, "must be a technique id", path=path)
                continue
            if known is not None and x not in known:
                if strict:
                    at.problem(item, f"'{x}' is not a technique", did_you_mean(x, known), path=path)
                continue
            if x in seen:
                at.problem(item, f"'{x}' is also {seen[x]}", "each technique once on a ladder",
                           path=path)
                continue
            seen[x] = path
            rungs.append(x)
        return tuple(rungs)


@dataclass(frozen=True)
class Nickname:
    """A profile's short name, up to `fit` characters. Kept in NFKC form, so names that look
    the same are the same (full-width letters, an accent typed as a separate mark); a name
    with a character that cannot be seen (control or format, such as a zero-width space) is
    refused. A name with a space looks like a full name, which never belongs on screen: a
    warning."""

    fit: int

    def read(self, v: Located, at: At) -> str:
        name = " ".join(unicodedata.normalize("NFKC", Text().read(v, at)).split())
        unseen = list(dict.fromkeys(c for c in name if unicodedata.category(c) in ("Cc", "Cf")))
        if unseen:
            what = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'a control character')}"
                             for c in unseen)
            seen = "".join(c for c in name if c not in unseen)
            raise Invalid(f"'{seen}' has a character that cannot be seen: {what}",
                          f"retype the name; {at.allowed}")
        if len(name) > self.fit:
            at.problem(v, f"is {len(name)} characters long")
        if " " in name:
            at.problem(v, f"'{name}' looks like a full name; use a short nickname",
                       f"never a full name on screen, e.g. {name.split()[0]}", warning=True)
        return name


def did_you_mean(word: str, known: tuple[str, ...]) -> str:
    """ "did you mean 'vibration'?", or the list of known ids if none is close."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"the techniques are: {', '.join(known)}"

