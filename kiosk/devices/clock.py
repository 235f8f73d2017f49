"""Whether the wall clock can be trusted: a Pi without a real-time clock boots with a
wrong date until NTP sets it, so each session records whether time was synchronised."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from pathlib import Path

TIMESYNC_FLAG = Path("/run/systemd/timesync/synchronized")
_TIME_ERROR = 5  # adjtimex(2): the kernel's clock is not synchronised


@functools.lru_cache(maxsize=1)
def _libc():
    """The C library, loaded once (find_library runs ldconfig: not every 30 s)."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _kernel_says_synced() -> bool | None:
    """adjtimex(2) in read-only mode, as timedatectl's NTPSynchronized does; None if unknown."""
    try:
        timex = ctypes.create_string_buffer(512)  # struct timex, zeroed: modes = 0 (read only)
        state = _libc().adjtimex(timex)
    except (OSError, AttributeError):
        return None
    if state < 0:
        return None
    return state != _TIME_ERROR


def wall_clock_synced() -> bool | None:
    """True once systemd-timesyncd (or any NTP daemon) has set the clock, False while it
    has not, None when this machine cannot tell."""
    if TIMESYNC_FLAG.exists():
        return True
    return _kernel_says_synced()
