"""Which screen is plugged in, read from the kernel's DRM connectors in sysfs.

Every display output the kernel drives appears as /sys/class/drm/card<N>-<connector>
(card1-HDMI-A-1, card2-DSI-1...) with a `status` file: connected, disconnected or unknown.
Reading it opens no device, needs no privilege and costs a few microseconds, so the kiosk
can look for a screen every few seconds while it has none, instead of letting SDL fail
("kmsdrm not available") and systemd restart it forever.

It also tells SDL which card to use: Bookworm's SDL 2.26 takes the last DRM card that has
connectors, connected or not, which on a Pi 5 with a DSI panel is the wrong one (black
screen). SDL_KMSDRM_DEVICE_INDEX=N makes it open /dev/dri/cardN, the same N as in the sysfs
name. Card numbers can change from one boot to the next, so they are looked up each time.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

_log = logging.getLogger(__name__)

SYSFS_DRM = Path("/sys/class/drm")
CHECK_SECONDS = 5.0  # how often a kiosk without a screen looks for one
DEVICE_INDEX_VARIABLE = "SDL_KMSDRM_DEVICE_INDEX"

_CARD = re.compile(r"^card(\d+)$")
_CONNECTOR = re.compile(r"^card(\d+)-(.+)$")
# When several screens are connected: a panel fitted to the kiosk (DSI, DPI, an SPI panel)
# before a monitor, HDMI-A-1 before HDMI-A-2. By name, not by card number, which changes
# between boots on a Pi 5.
_PREFERENCE = ("DSI", "DPI", "SPI", "HDMI-A-1", "HDMI-A-2", "HDMI")


@dataclass(frozen=True)
class Connector:
    """One display output: card 1's `HDMI-A-1`, with the status the kernel reports."""

    card: int
    name: str
    status: str

    @property
    def connected(self) -> bool:
        return self.status == "connected"

    def __str__(self) -> str:
        return f"card{self.card}-{self.name}"


def cards(root: Path = SYSFS_DRM) -> list[int]:
    """The DRM card numbers present, with or without connectors (a Pi's v3d card has none)."""
    return sorted(int(m.group(1)) for m in (_CARD.match(p.name) for p in _entries(root)) if m)


def connectors(root: Path = SYSFS_DRM) -> list[Connector]:
    """Every connector of every card, by card then name. A status that cannot be read is
    `unknown` (the connector vanished while being read, or sysfs is not ours to read)."""
    found = []
    for path in _entries(root):
        match = _CONNECTOR.match(path.name)
        if match:
            found.append(Connector(int(match.group(1)), match.group(2), _status(path)))
    return sorted(found, key=lambda c: (c.card, c.name))


def connected_connector(root: Path = SYSFS_DRM) -> Connector | None:
    """The screen to use: the preferred connected connector, None when nothing is connected.
    Only `connected` counts: SDL itself uses nothing else (a writeback or composite
    connector reports `unknown`)."""
    connected = [c for c in connectors(root) if c.connected]
    return min(connected, key=_rank) if connected else None


def connected_card(root: Path = SYSFS_DRM) -> int | None:
    """The N of /dev/dri/cardN whose connector is connected (what SDL_KMSDRM_DEVICE_INDEX
    wants), or None when no screen is connected."""
    connector = connected_connector(root)
    return None if connector is None else connector.card


def uses_kms(environ: Mapping[str, str]) -> bool:
    """True when SDL will draw through kmsdrm (the unit sets SDL_VIDEODRIVER=kmsdrm): the
    only case where connectors decide whether there is a screen. Under a desktop, or with
    the dummy driver in tests, they do not."""
    drivers = [d.strip() for d in environ.get("SDL_VIDEODRIVER", "").split(",") if d.strip()]
    return "kmsdrm" in drivers


def kmsdrm_env(environ: Mapping[str, str], root: Path = SYSFS_DRM) -> dict[str, str]:
    """What to add to the environment before SDL opens the display: the card of the connected
    screen as SDL_KMSDRM_DEVICE_INDEX. Nothing when the user set that variable already,
    when SDL will not use kmsdrm, or when no screen is connected."""
    if environ.get(DEVICE_INDEX_VARIABLE) or not uses_kms(environ):
        return {}
    card = connected_card(root)
    return {} if card is None else {DEVICE_INDEX_VARIABLE: str(card)}


def describe(root: Path = SYSFS_DRM) -> str:
    """One line for the log: every connector and its status, or why there are none."""
    if not root.is_dir():
        return f"no {root}: this system has no DRM display driver"
    found = connectors(root)
    if found:
        return ", ".join(f"{c} {c.status}" for c in found)
    if cards(root):
        return "no display connectors (only render devices): the KMS driver is off (dtoverlay=vc4-kms-v3d)"
    return "no DRM cards: the KMS driver is off (dtoverlay=vc4-kms-v3d)"


class ScreenWatcher:
    """Says when a screen turns up, without a thread: whoever runs the loop calls `poll()`
    on every turn, and the connectors are read at most every `interval` seconds.

    `poll()` returns the connector once, on the check that first finds it connected (also
    the very first check, if a screen is there from the start), and None otherwise. Waiting
    and finding are logged once each, not on every check.
    """

    def __init__(self, root: Path = SYSFS_DRM, clock: Callable[[], float] = time.monotonic,
                 interval: float = CHECK_SECONDS, log: logging.Logger | None = None):
        self._root = Path(root)
        self._clock = clock
        self.interval = interval
        self._log = log or _log
        self._next_check: float | None = None  # None: check at the next poll
        self._seen: Connector | None = None
        self._said_waiting = False
        self.connector: Connector | None = None
        """The connected screen as of the last check, None while there is none."""

    def due_in(self) -> float:
        """Seconds until the next check (0 when it is due): a cap for the loop's sleep."""
        if self._next_check is None:
            return 0.0
        return max(0.0, self._next_check - self._clock())

    def poll(self) -> Connector | None:
        """The newly connected screen, when this call's check found one; else None."""
        now = self._clock()
        if self._next_check is not None and now < self._next_check:
            return None
        self._next_check = now + self.interval
        self.connector = connected_connector(self._root)
        if self.connector is None:
            if self._seen is not None:
                self._log.warning("screen %s disconnected: waiting for a screen", self._seen)
            elif not self._said_waiting:
                self._log.warning("no screen connected (%s): waiting for one, looking every %g s;"
                                  " buttons, LED and buzzer keep working", describe(self._root),
                                  self.interval)
            self._said_waiting = True
            self._seen = None
            return None
        if self.connector == self._seen:
            return None
        self._seen = self.connector
        if self._said_waiting:
            self._log.info("screen connected: %s", self.connector)
        return self.connector

    def retry_later(self, seconds: float | None = None) -> None:
        """Forget the screen seen last, so that a later check reports it again: for a screen
        that is connected but could not be opened. The next check is `seconds` away
        (default: the usual interval)."""
        self._seen = None
        self._next_check = self._clock() + (self.interval if seconds is None else seconds)


def _entries(root: Path) -> list[Path]:
    try:
        return list(Path(root).iterdir())
    except OSError:  # no /sys/class/drm: no DRM at all (a container, a desktop without KMS)
        return []


def _status(path: Path) -> str:
    try:
        return (path / "status").read_text().strip() or "unknown"
    except OSError:
        return "unknown"


def _rank(connector: Connector) -> tuple[int, str, int]:
    for position, prefix in enumerate(_PREFERENCE):
        if connector.name.startswith(prefix):
            return position, connector.name, connector.card
    return len(_PREFERENCE), connector.name, connector.card
