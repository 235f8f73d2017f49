"""This machine's IANA time zone name (e.g. "Europe/Berlin"), which the kiosk keeps in its
database so that reports read anywhere count practice days and hours where the child
practised."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ETC = Path("/etc")


def zone(name: str | None) -> tzinfo | None:
    """The zone of an IANA name, or None when there is no name or this machine does not
    know it (no tzdata)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _named(name: str | None) -> str | None:
    name = (name or "").strip().lstrip(":")
    return name if zone(name) is not None else None


def local_zone_name(env: Mapping[str, str] | None = None, etc: Path = ETC) -> str | None:
    """The zone this machine keeps local time in, by name: $TZ when it names a zone, else
    /etc/timezone, else where the /etc/localtime symlink points into a zoneinfo folder;
    None when none of them says."""
    env = os.environ if env is None else env
    if env.get("TZ"):
        return _named(env["TZ"])  # TZ decides local time even when it names no zone we know
    try:
        named = _named((etc / "timezone").read_text(encoding="utf-8").splitlines()[0])
    except (OSError, UnicodeError, IndexError):
        named = None
    if named:
        return named
    try:
        target = os.readlink(etc / "localtime")
    except OSError:
        return None
    _, found, name = target.partition("zoneinfo/")
    return _named(name) if found else None
