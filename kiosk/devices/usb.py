"""USB drives for the clinician's export: the drives mounted under /media and /run/media,
whether one can be written, and a new folder name on it that takes nothing over."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

ROOTS = (Path("/media"), Path("/run/media"))


def find_usb_drives(roots: Iterable[Path] = ROOTS, is_mount: Callable[[Path], bool] = os.path.ismount) -> list[Path]:
    """Mounted drives: ROOT/<label> or ROOT/<user>/<label>, only real mount points."""
    drives: list[Path] = []
    for root in roots:
        for child in _subdirs(Path(root)):
            if is_mount(child):
                drives.append(child)
            else:
                drives.extend(d for d in _subdirs(child) if is_mount(d))
    return drives


def is_writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def export_folder(drive: Path, name: str) -> Path:
    """drive/name, or name-2, name-3... when it is taken."""
    folder, count = drive / name, 1
    while folder.exists():
        count += 1
        folder = drive / f"{name}-{count}"
    return folder


def _subdirs(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:  # missing, or not ours to read
        return []


def describe_drive(drive: Path) -> tuple[str, int | None]:
    """The drive's label (its mount folder's name, e.g. KINGSTON) and its size in bytes, to
    name it on screen before anything is written; None when the size cannot be read."""
    try:
        stats = os.statvfs(drive)
    except OSError:
        return drive.name, None
    return drive.name, stats.f_frsize * stats.f_blocks
