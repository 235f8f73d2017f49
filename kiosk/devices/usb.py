"""The clinician menu's export to a USB drive: find mounted drives under /media and
/run/media, write the CSVs and the report PNG into a dated folder, and say plainly what
went wrong (no drive, read-only, full) in words the screen can show."""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk import text
from kiosk.config import Config, Profile
from kiosk.storage.export import export
from kiosk.storage.queries import day_range, profiles_in, report_for
from kiosk.storage.store import Store, StoreError

ROOTS = (Path("/media"), Path("/run/media"))
REPORT_DAYS = 28



@dataclass(frozen=True)
class ExportResult:
    ok: bool
    message_title: str
    message_body: str
    files: tuple[Path, ...] = ()


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


def _subdirs(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:  # missing, or not ours to read
        return []


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _failure(err: OSError) -> ExportResult:
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ExportResult(False, text.USB_READ_ONLY_TITLE, text.USB_READ_ONLY_BODY)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportResult(False, text.USB_FULL_TITLE, text.USB_FULL_BODY)
    return ExportResult(False, text.EXPORT_FAILED_TITLE, text.USB_FAILED_BODY.format(reason=err.strerror or err))


def _folder(drive: Path, now: datetime, tz) -> Path:
    """desens-export-YYYYMMDD-HHMM (local time), with -2, -3... if it is taken."""
    name = f"desens-export-{now.astimezone(tz):%Y%m%d-%H%M}"
    folder, count = drive / name, 1
    while folder.exists():
        count += 1
        folder = drive / f"{name}-{count}"
    return folder


def export_to_drive(store: Store, drive: Path | None, config: Config, profile: str | Profile | None, now: datetime,
                    is_writable: Callable[[Path], bool] | None = None) -> ExportResult:
    """Write sessions.csv, checkins.csv and the report PNG (one per profile when `profile` is
    None and several are recorded) into a new folder on `drive`."""
    if isinstance(profile, Profile):
        profile = profile.name
    if drive is None or not Path(drive).is_dir():
        return ExportResult(False, text.NO_USB_TITLE, text.NO_USB_BODY)
    drive = Path(drive)
    if not (is_writable or _writable)(drive):
        return ExportResult(False, text.USB_READ_ONLY_TITLE, text.USB_READ_ONLY_BODY)
    try:  # reports are drawn here first, so a drive error is an OSError that says which
        scratch = tempfile.TemporaryDirectory(prefix="desens-report-")
    except OSError as err:
        return ExportResult(False, text.EXPORT_FAILED_TITLE, text.USB_FAILED_BODY.format(reason=f"no room to draw: {err.strerror or err}"))
    with scratch:
        return _write(store, drive, config, profile, now, Path(scratch.name))


def _write(store: Store, drive: Path, config: Config, profile: str | None, now: datetime, scratch: Path) -> ExportResult:
    folder = _folder(drive, now, store.tz)
    files: list[Path] = []
    try:
        folder.mkdir()
        for table, name in (("sessions", "sessions.csv"), ("checkins", "checkins.csv")):
            files.append(folder / name)
            with open(files[-1], "w", encoding="utf-8", newline="") as out:
                export(store, out, "csv", table, profile)
                out.flush()
                os.fsync(out.fileno())
        files.extend(_reports(store, folder, config, profile, now, scratch))
        os.sync()  # a stick pulled right after the message must hold every byte
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        return _failure(err)
    except StoreError as err:
        shutil.rmtree(folder, ignore_errors=True)
        return ExportResult(False, text.EXPORT_FAILED_TITLE, text.USB_FAILED_BODY.format(reason=err.reason))
    except Exception as err:  # noqa: BLE001 - drawing failed (pygame.error...): say so, keep running
        shutil.rmtree(folder, ignore_errors=True)
        return ExportResult(False, text.EXPORT_FAILED_TITLE, text.USB_FAILED_BODY.format(reason=str(err) or type(err).__name__))
    return ExportResult(True, text.USB_DONE_TITLE, text.USB_DONE_BODY.format(count=len(files), folder=folder.name), tuple(files))


def _reports(store: Store, folder: Path, config: Config, profile: str | None, now: datetime, scratch: Path) -> list[Path]:
    """Draw each report (28 days to today) in `scratch`, then copy it to `folder`."""
    from kiosk.render.report_page import save_report  # pygame drawing: loaded only when needed

    first, last = day_range(now, REPORT_DAYS, store.rollover, store.tz)
    people = [profile] if profile is not None else (profiles_in(store) or [config.people()[0].name])
    written = []
    for person in people:
        name = "report.png" if len(people) == 1 else f"report-{re.sub(r'[^A-Za-z0-9_.-]', '_', person)}.png"
        save_report(report_for(store, config, person, first, last), scratch / name)
        written.append(folder / name)
        shutil.copyfile(scratch / name, written[-1])
    return written
