"""systemd's notify protocol (sd_notify) in a few lines, without a C library.

Under `Type=notify` systemd passes a datagram socket in $NOTIFY_SOCKET; the kiosk writes
READY=1 once its first frame is on screen, STATUS=... lines for `systemctl status`, and,
with `WatchdogSec=`, WATCHDOG=1 from the main loop: a loop that stops turning stops the
pings and systemd restarts the kiosk. Outside systemd every call does nothing.
"""

from __future__ import annotations

import logging
import math
import os
import socket
from typing import Mapping

_log = logging.getLogger(__name__)


class Notifier:
    """Talks to systemd through $NOTIFY_SOCKET. Never raises: a failing socket is logged
    once and the kiosk carries on. Use from one thread (the main loop)."""

    def __init__(self, env: Mapping[str, str] | None = None, log: logging.Logger | None = None):
        env = os.environ if env is None else env
        self._log = log or _log
        self._where = env.get("NOTIFY_SOCKET", "")
        self._address = _address(self._where)
        self._socket: socket.socket | None = None
        self._failed = False  # a send error was logged already
        self._ready = False
        self._last_ping: float | None = None
        self.interval = _watchdog_interval(env) if self._address else None
        """Seconds of systemd's watchdog (WatchdogSec=), or None when no watchdog is on."""

    @property
    def enabled(self) -> bool:
        """True when running under systemd with a notify socket."""
        return self._address is not None

    def ready(self, status: str | None = None) -> None:
        """READY=1 (with an optional STATUS line), the first time only."""
        if self._ready or not self.enabled:
            return
        self._ready = True
        self._send("READY=1" + (f"\nSTATUS={_one_line(status)}" if status else ""))

    def status(self, text: str) -> None:
        """STATUS=text: the line `systemctl status desens-kiosk` shows."""
        if self.enabled:
            self._send(f"STATUS={_one_line(text)}")

    def watchdog(self, now: float) -> bool:
        """Call on every turn of the main loop with time.monotonic(): sends WATCHDOG=1 when
        half the interval has passed since the last ping. True when it sent one."""
        if self.interval is None:
            return False
        if self._last_ping is not None and now - self._last_ping < self.interval / 2:
            return False
        self._last_ping = now
        self._send("WATCHDOG=1")
        return True

    def due_in(self, now: float) -> float:
        """Seconds until `watchdog` should be called again (0 when due now; math.inf without
        a watchdog), so the main loop can cap its sleep with it."""
        if self.interval is None:
            return math.inf
        if self._last_ping is None:
            return 0.0
        return max(0.0, self._last_ping + self.interval / 2 - now)

    def stopping(self) -> None:
        """STOPPING=1: the kiosk is shutting down on purpose."""
        if self.enabled:
            self._send("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _send(self, message: str) -> None:
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self._socket.setblocking(False)  # a full queue drops a message, never stalls the loop
            self._socket.sendto(message.encode("utf-8"), self._address)
        except OSError as error:
            if not self._failed:
                self._failed = True
                self._log.warning("cannot notify systemd at %s (%s); carrying on", self._where, error)
            else:
                self._log.debug("notify %r failed: %s", message, error)


def _address(value: str) -> str | None:
    """$NOTIFY_SOCKET as a socket address: a path, or '@name' for an abstract socket."""
    if value.startswith("@") and len(value) > 1:
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    if value:
        _log.warning("ignoring unsupported NOTIFY_SOCKET=%r", value)
    return None


def _watchdog_interval(env: Mapping[str, str]) -> float | None:
    """$WATCHDOG_USEC in seconds, unless $WATCHDOG_PID says the watchdog is another
    process's (e.g. a child that inherited the environment)."""
    pid = env.get("WATCHDOG_PID", "")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 1_000_000 if usec > 0 else None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
