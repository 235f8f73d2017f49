"""The clinician's corner of the kiosk: a button code, then a menu to see the report on
screen, export it with the session log to a USB drive (on the worker, with progress on
screen), or quit for maintenance."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk import text
from kiosk.activities.base import HOME, MOVES, Activity, step_list
from kiosk.events import Key
from kiosk.jobs import Job
from kiosk.model import REPORT_DAYS
from kiosk.views import ChoiceView, CodeView, ListItem, MessageView, ReportView, View

if TYPE_CHECKING:
    from kiosk.activities.context import Context

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0  # the clinician's screens close by themselves after this without a press
POLL_SECONDS = 0.1  # how often a running export is looked at
_NAMES = {Key.UP: "up", Key.DOWN: "down", Key.SELECT: "select", Key.BACK: "back"}


class ExportOutcome(Protocol):
    ok: bool
    message_title: str
    message_body: str


class UsbExport(Protocol):
    """The export to a drive, in two halves: `prepare` reads the record on the loop's thread
    (quick) and returns the slow half, which the worker runs with a progress callback."""

    def __call__(self, ctx: Context, drive: Path | None, now: datetime
                 ) -> Callable[[Callable[[int, int], None]], ExportOutcome]: ...


class _Timed(Activity):
    """Goes home after IDLE_SECONDS without a press: nobody stays in the clinician's menu."""

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self._since = ctx.clock()

    def touch(self) -> None:
        self._since = self.ctx.clock()

    def tick(self) -> Activity | None:
        return HOME if self.ctx.clock() - self._since >= IDLE_SECONDS else None

    def next_change_in(self) -> float | None:
        return max(0.0, self._since + IDLE_SECONDS - self.ctx.clock())


class CodeEntry(_Timed):
    """The configured button sequence; the screen shows only how many presses so far."""

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.code = ctx.config.clinician.code
        self.entered: list[str] = []

    def press(self, key: Key) -> Activity | None:
        self.touch()
        name = _NAMES.get(Key.BACK if key is Key.BACK_HELD else key)
        if name is None:
            return None
        self.entered.append(name)
        if len(self.entered) < len(self.code):
            return None
        if tuple(self.entered) == self.code:
            log.info("clinician menu opened")
            return ClinicianMenu(self.ctx)
        log.info("wrong clinician code entered")
        return Message(self.ctx, text.CODE_WRONG_TITLE, text.CODE_WRONG_BODY, ok=False)

    def view(self) -> View:
        return CodeView(len(self.entered), len(self.code))


class ClinicianMenu(_Timed):
    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.items = (
            (text.MENU_REPORT, self._report),
            (text.MENU_EXPORT, lambda: Exporting(self.ctx, self)),
            (text.MENU_QUIT, self._quit),
            (text.MENU_CLOSE, lambda: HOME),
        )
        self.selected = 0

    def press(self, key: Key) -> Activity | None:
        self.touch()
        if key in MOVES:
            self.selected = step_list(self.selected, key, len(self.items))
        elif key is Key.SELECT:
            return self.items[self.selected][1]()
        elif key in (Key.BACK, Key.BACK_HELD):
            return HOME
        return None

    def view(self) -> View:
        return ChoiceView("clinician", tuple(ListItem(label) for label, _ in self.items), self.selected,
                          subtitle=self.ctx.profile_label())

    def _report(self) -> Activity:
        last = self.ctx.today()
        profile = self.ctx.profile
        data = self.ctx.practice.report(profile.name, last - timedelta(days=REPORT_DAYS - 1), last,
                                        profile.daily_target, self.ctx.names())
        if data is None:
            problem = self.ctx.practice.read_problem
            return Message(self.ctx, text.REPORT_FAILED_TITLE, text.storage_problem(problem) if problem else "",
                           ok=False, back_to=self)
        return Report(self.ctx, data, back_to=self)

    def _quit(self) -> Activity:
        self.ctx.request_quit()
        return HOME


class Exporting(Activity):
    """The export to a USB drive: the record is read here (quick), the writing runs on the
    worker while the screen shows progress and the loop keeps feeding the watchdog; the
    result (or a failure) comes back as a message. Presses wait until it is done."""

    def __init__(self, ctx: Context, menu: ClinicianMenu):
        super().__init__(ctx)
        self.menu = menu
        self.job: Job | None = None
        self._failure: Activity | None = None
        drives = ctx.find_drives()
        self.drive = drives[0] if drives else None
        try:
            work = ctx.usb_export(ctx, self.drive, ctx.now())
            self.job = ctx.worker.start("usb-export", lambda job: work(job.progress))
        except Exception as exc:  # noqa: BLE001 - the menu must report, never crash
            log.exception("export to %s could not start", self.drive)
            reason = getattr(exc, "reason", None)
            self._failure = Message(ctx, text.EXPORT_FAILED_TITLE,
                                    text.storage_problem(reason) if reason else str(exc), ok=False, back_to=menu)

    def tick(self) -> Activity | None:
        if self._failure is not None:
            return self._failure
        job = self.job
        if job is None or not job.finished:
            return None
        self.menu.touch()
        if job.error is not None:
            return Message(self.ctx, text.EXPORT_FAILED_TITLE, str(job.error) or type(job.error).__name__,
                           ok=False, back_to=self.menu)
        result = job.outcome
        log.info("export to %s: %s", self.drive, "done" if result.ok else result.message_title)
        return Message(self.ctx, result.message_title, result.message_body, ok=result.ok, back_to=self.menu)

    def next_change_in(self) -> float | None:
        return 0.0 if self._failure is not None else POLL_SECONDS

    def view(self) -> View:
        job = self.job
        body = text.EXPORTING_BODY
        if job is not None and job.total_steps:
            body = text.export_progress(job.done_steps, job.total_steps)
        return MessageView(text.EXPORTING_TITLE, body, working=True)


class Report(_Timed):
    def __init__(self, ctx: Context, data, back_to: Activity):
        super().__init__(ctx)
        self.data = data
        self.back_to = back_to

    def press(self, key: Key) -> Activity | None:
        self.touch()
        if key in (Key.BACK, Key.BACK_HELD, Key.SELECT):
            self.back_to.touch()
            return self.back_to
        return None

    def view(self) -> View:
        return ReportView(self.data)


class Message(_Timed):
    """A result card; any press goes back (to the menu, or home)."""

    def __init__(self, ctx: Context, title: str, body: str, ok: bool = True, back_to: Activity | None = None):
        super().__init__(ctx)
        self.message = MessageView(title, body, ok)
        self.back_to = back_to

    def press(self, key: Key) -> Activity | None:
        if self.back_to is not None:
            self.back_to.touch()
            return self.back_to
        return HOME

    def view(self) -> View:
        return self.message
