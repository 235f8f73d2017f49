"""The clinician's export to a USB drive, in two halves: a snapshot of what to write, read
from the store on the loop's thread (quick SQL), then the slow part on the worker: the
CSVs written and synced, the report pages drawn and copied, the drive synced. Failures
come back as a result with plain words (no drive, read-only, full), never as a crash."""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk import text
from kiosk.config import Config, Profile
from kiosk.devices import usb
from kiosk.model import REPORT_DAYS, ReportData
from kiosk.storage.export import fetch, write_csv
from kiosk.storage.queries import day_range, profiles_in, report_for
from kiosk.storage.store import Store, StoreError

Progress = Callable[[int, int], None]
CSV_TABLES = (("sessions", "sessions.csv"), ("checkins", "checkins.csv"), ("rung_changes", "levels.csv"))
README_NAME = "README.txt"


@dataclass(frozen=True)
class ExportResult:
    ok: bool
    message_title: str
    message_body: str
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """Everything the export writes, as plain data a worker thread may hold."""

    folder_name: str
    tables: tuple[tuple[str, list[str], list[tuple]], ...]  # (file name, columns, rows)
    reports: tuple[tuple[str, ReportData], ...]  # (file name, figures)
    readme: str = ""  # what the files are, and that they hold health data

    @property
    def steps(self) -> int:
        """Files to write: the tables, a PNG and a PDF for each report, the README."""
        return len(self.tables) + 2 * len(self.reports) + 1


def snapshot(store: Store, config: Config, profile: str | Profile | None, now: datetime,
             days: int | None = REPORT_DAYS) -> Snapshot:
    """Read what to export (raises StoreError): the tables of the last `days` practice days
    (None: everything recorded) and one report per profile (the one asked for, or everyone
    recorded when `profile` is None) over that period (28 days when everything is asked)."""
    if isinstance(profile, Profile):
        profile = profile.name
    first, last = day_range(now, days or REPORT_DAYS, store.rollover, store.tz)
    since = first if days else None
    tables = tuple((name, *fetch(store, table, profile, since)) for table, name in CSV_TABLES)
    people = [profile] if profile is not None else (profiles_in(store) or [config.people()[0].name])
    reports = tuple(
        ("report.png" if len(people) == 1 else f"report-{re.sub(r'[^A-Za-z0-9_.-]', '_', person)}.png",
         report_for(store, config, person, first, last))
        for person in people
    )
    readme = text.usb_readme(first if days else None, last, [name for name, *_ in tables],
                             [name for name, _ in reports])
    return Snapshot(f"desens-export-{now.astimezone(store.tz):%Y%m%d-%H%M}", tables, reports, readme)


def write(drive: Path | None, plan: Snapshot, progress: Progress = lambda done, total: None,
          writable: Callable[[Path], bool] | None = None) -> ExportResult:
    """Write `plan` into a new folder on `drive` (the worker's half); on any failure the
    half-written folder is removed and the result says why."""
    if drive is None or not Path(drive).is_dir():
        return ExportResult(False, text.NO_USB_TITLE, text.NO_USB_BODY)
    drive = Path(drive)
    if not (writable or usb.is_writable)(drive):
        return ExportResult(False, text.USB_READ_ONLY_TITLE, text.USB_READ_ONLY_BODY)
    try:  # reports are drawn here first, so a drive error is an OSError that says which
        scratch = tempfile.TemporaryDirectory(prefix="desens-report-")
    except OSError as err:
        return _failed(f"no room to draw: {err.strerror or err}")
    with scratch:
        return _write(drive, plan, Path(scratch.name), progress)


def export_to_drive(store: Store, drive: Path | None, config: Config, profile: str | Profile | None,
                    now: datetime, is_writable: Callable[[Path], bool] | None = None,
                    days: int | None = REPORT_DAYS) -> ExportResult:
    """Both halves in one call (tools and tests; the kiosk runs `write` on its worker)."""
    try:
        plan = snapshot(store, config, profile, now, days)
    except StoreError as err:
        return _failed(text.storage_reason(err.problem))
    return write(drive, plan, writable=is_writable)


def _write(drive: Path, plan: Snapshot, scratch: Path, progress: Progress) -> ExportResult:
    folder = usb.export_folder(drive, plan.folder_name)
    files: list[Path] = []
    try:
        folder.mkdir()
        files.append(folder / README_NAME)
        with open(files[-1], "w", encoding="utf-8", newline="\r\n") as out:  # CRLF: Notepad reads it too
            out.write(plan.readme)
            out.flush()
            os.fsync(out.fileno())
        progress(len(files), plan.steps)
        for name, columns, rows in plan.tables:
            files.append(folder / name)
            with open(files[-1], "w", encoding="utf-8", newline="") as out:
                write_csv(columns, rows, out)
                out.flush()
                os.fsync(out.fileno())
            progress(len(files), plan.steps)
        from kiosk.render.report_page import save_report  # pygame drawing: loaded only when needed
        from kiosk.render.report_pdf import pdf_from_png

        for name, data in plan.reports:
            pdf = Path(name).with_suffix(".pdf").name
            save_report(data, scratch / name)
            pdf_from_png(scratch / name, scratch / pdf, data)
            for drawn in (name, pdf):
                files.append(folder / drawn)
                shutil.copyfile(scratch / drawn, files[-1])
            progress(len(files), plan.steps)
        os.sync()  # a stick pulled right after the message must hold every byte
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ExportResult(False, text.USB_READ_ONLY_TITLE, text.USB_READ_ONLY_BODY)
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            return ExportResult(False, text.USB_FULL_TITLE, text.USB_FULL_BODY)
        return _failed(err.strerror or str(err))
    except Exception as err:  # noqa: BLE001 - drawing failed (pygame.error...): say so, keep running
        shutil.rmtree(folder, ignore_errors=True)
        return _failed(str(err) or type(err).__name__)
    return ExportResult(True, text.USB_DONE_TITLE, text.USB_DONE_BODY.format(count=len(files), folder=folder.name),
                        tuple(files))


def _failed(reason: str) -> ExportResult:
    return ExportResult(False, text.EXPORT_FAILED_TITLE, text.USB_FAILED_BODY.format(reason=reason))


def prepare(store: Store, config: Config, profile: str | Profile | None, drive: Path | None,
            now: datetime, days: int | None = REPORT_DAYS) -> Callable[[Progress], ExportResult]:
    """Read the snapshot now (on the loop's thread) and return the worker's half."""
    plan = snapshot(store, config, profile, now, days)
    return lambda progress: write(drive, plan, progress)
