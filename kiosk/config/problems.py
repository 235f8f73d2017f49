"""What the loader says about a settings file: one Problem per thing wrong (or worth a
warning), always read as `file:line: key.path: what is wrong (what is allowed)`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a config file."""

    file: str
    line: int
    key: str
    message: str
    warning: bool = False
    column: int = field(default=0, compare=False, repr=False)  # orders problems on one line

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {self.key}: {kind}{self.message}"


class ConfigError(Exception):
    """Raised by `load` with every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Invalid(ValueError):
    """A value that cannot be used: `what` is wrong with it, `allowed` says what would do.
    Read as "what (allowed)"; the checker fills in the setting's own allowed text when a
    value reader leaves it out."""

    def __init__(self, what: str, allowed: str | None = None):
        self.what = what
        self.allowed = allowed
        super().__init__(f"{what} ({allowed})" if allowed else what)


def in_order(problems: list[Problem], user_file: str) -> list[Problem]:
    """The user file's problems first, each file's from top to bottom, left to right."""
    return sorted(problems, key=lambda p: (p.file != user_file, p.file, p.line, p.column))
