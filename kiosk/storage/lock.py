"""One writer per data directory: an exclusive lock (flock) on DIR/.lock, taken by the
kiosk at start and by the commands that write (purge, demo-data), so two kiosks, or a
kiosk and a purge, never write one database at once. The kernel lets go of it when the
process ends, however it ends."""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

from kiosk.model import StorageProblem
from kiosk.paths import LOCK_NAME
from kiosk.storage.store import StoreError


class DataDirInUse(StoreError):
    """Another process (a running kiosk, a purge) holds the data directory; `.pid` is it,
    when it could be read."""

    def __init__(self, directory: Path, pid: int | None) -> None:
        holder = f"process {pid}" if pid is not None else "another process"
        super().__init__(StorageProblem.IN_USE, f"held by {holder}", directory)
        self.pid = pid


class DataDirLock:
    """The held lock; `release()` (or the end of the process) lets go of it."""

    def __init__(self, directory: Path, handle: int) -> None:
        self.directory, self._handle = directory, handle

    def release(self) -> None:
        if self._handle >= 0:
            os.close(self._handle)  # closing the file lets go of the flock
            self._handle = -1

    def __enter__(self) -> DataDirLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _holder(handle: int) -> int | None:
    try:
        text = os.pread(handle, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeError):
        return None
    return int(text) if text.isdigit() else None


def lock_data_dir(directory: Path, *, create: bool = True) -> DataDirLock:
    """Take the data directory's lock without waiting, making the directory first when
    `create`. Raises DataDirInUse while another process holds it, StoreError when the lock
    file cannot be made (a read-only folder; with `create` False, a missing one)."""
    directory = Path(directory)
    try:
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        handle = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except FileNotFoundError as err:
        raise StoreError(StorageProblem.NO_FOLDER, err.strerror or str(err), directory) from err
    except OSError as err:
        problem = StorageProblem.READ_ONLY if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM) \
            else StorageProblem.NO_FOLDER
        raise StoreError(problem, err.strerror or str(err), directory) from err
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        pid = _holder(handle)
        os.close(handle)
        if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise DataDirInUse(directory, pid) from err
        raise StoreError(StorageProblem.FAILED, f"cannot lock {directory / LOCK_NAME}: {err.strerror or err}",
                         directory) from err
    try:  # who holds it, for the message a second kiosk or a purge shows
        if os.fstat(handle).st_mode & 0o077:  # the data directory's files are its user's alone
            os.fchmod(handle, 0o600)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
    except OSError:
        pass  # the lock itself is what counts
    return DataDirLock(directory, handle)
