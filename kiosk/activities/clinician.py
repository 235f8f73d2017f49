"""The clinician's corner of the kiosk: a button code, then a menu to see the report on
screen, export it with the session log to a USB drive (on the worker, with progress on
screen), or quit for maintenance."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk import text
from kiosk.activities.base import HOME, MOVES, Activity, step_list
from kiosk.config import Mode
from kiosk.events import BUTTON_KEYS, Key
from kiosk.jobs import Job
from kiosk.model import REPORT_DAYS, CodeLock, RungReason
from kiosk.views import (
    ChoiceView,
    CodeView,
    ConfirmView,
    InfoView,
    ListItem,
    MessageView,
    ReportView,
    View,
)

if TYPE_CHECKING:
    from kiosk.activities.context import Context

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0  # the clinician's screens close by themselves after this without a press
POLL_SECONDS = 0.1  # how often a running export is looked at


class ExportOutcome(Protocol):
    ok: bool
    message_title: str
    message_body: str


class UsbExport(Protocol):
    """The export to a drive, in two halves: `prepare` reads the record on the loop's thread
    (quick) and returns the slow half, which the worker runs with a progress callback."""

    def __call__(self, ctx: Context, drive: Path | None, now: datetime, days: int | None
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


LOCK_AFTER = 3  # wrong codes in a row before the entry locks
LOCK_MINUTES = (1, 5, 30)  # each lock longer than the last, then 30 minutes each time
EXPORT_PERIODS = (28, 90, None)  # days of the USB export the clinician may choose; None = everything


def lock_minutes(failures: int) -> int:
    """How long the entry locks after `failures` wrong codes in a row (0 = not locked)."""
    if failures < LOCK_AFTER or failures % LOCK_AFTER:
        return 0
    return LOCK_MINUTES[min(failures // LOCK_AFTER, len(LOCK_MINUTES)) - 1]


class CodeEntry(_Timed):
    """The configured button sequence; the screen shows only how many presses so far.
    Wrong codes lock the entry for longer and longer, kept in the database so a restart
    does not reset it; a right code clears it. The log says a wrong code was entered,
    never which presses."""

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.code = ctx.config.clinician.code
        self.entered: list[str] = []
        self.lock: CodeLock = ctx.practice.code_lock()

    def locked_for(self) -> float:
        """Seconds the entry stays locked (0 when open). A clock set back never makes a
        lock longer than its own length."""
        until = self.lock.locked_until
        if until is None:
            return 0.0
        left = (until - self.ctx.now()).total_seconds()
        return max(0.0, min(left, LOCK_MINUTES[-1] * 60.0))

    def press(self, key: Key) -> Activity | None:
        self.touch()
        if self.locked_for() > 0:
            return HOME if key in (Key.BACK, Key.BACK_HELD) else None
        key = Key.BACK if key is Key.BACK_HELD else key
        if key not in BUTTON_KEYS:
            return None  # an encoder's turn is not a code press
        name = key.value
        self.entered.append(name)
        if len(self.entered) < len(self.code):
            return None
        if tuple(self.entered) == self.code:
            log.info("clinician menu opened")
            if self.lock.failures:
                self.ctx.practice.set_code_lock(CodeLock(0, None))
            return ClinicianMenu(self.ctx)
        failures = self.lock.failures + 1
        minutes = lock_minutes(failures)
        until = self.ctx.now() + timedelta(minutes=minutes) if minutes else None
        self.lock = CodeLock(failures, until)
        self.ctx.practice.set_code_lock(self.lock)
        self.entered = []
        if minutes:
            log.warning("wrong clinician code entered (%d in a row): code entry locked for %d min", failures, minutes)
            return None  # the screen now says it is locked, and for how long
        log.info("wrong clinician code entered")
        return Message(self.ctx, text.CODE_WRONG_TITLE, text.CODE_WRONG_BODY, ok=False)

    def next_change_in(self) -> float | None:
        locked = self.locked_for()
        idle = super().next_change_in()
        if locked <= 0:
            return idle
        return min(idle, locked % 60.0 or 60.0)  # the minutes shown tick down

    def view(self) -> View:
        locked = self.locked_for()
        return CodeView(len(self.entered), len(self.code), locked_minutes=math.ceil(locked / 60.0) if locked else 0)


def open_code_entry(ctx: Context) -> Activity:
    """The clinician's chord: the code entry, or a plain message when no code is set (the
    menu then stays shut; the command-line tools still work for whoever has the machine)."""
    if not ctx.config.clinician.code:
        log.info("clinician chord, but no clinician code is set")
        return Message(ctx, text.NO_CODE_TITLE, text.NO_CODE_BODY, ok=False)
    return CodeEntry(ctx)


class Confirm(_Timed):
    """A question whose safe answer comes first and is selected; only choosing the other
    answer with select goes on."""

    def __init__(self, ctx: Context, title: str, body: str, safe: str, go: str,
                 then: Callable[[], Activity], back_to: Activity, danger: bool = False):
        super().__init__(ctx)
        self.title, self.body, self.answers, self.danger = title, body, (safe, go), danger
        self.then = then
        self.back_to = back_to
        self.selected = 0

    def press(self, key: Key) -> Activity | None:
        self.touch()
        if key in MOVES:
            self.selected = step_list(self.selected, key, len(self.answers))
        elif key is Key.SELECT and self.selected == 1:
            return self.then()
        elif key in (Key.SELECT, Key.BACK, Key.BACK_HELD):
            return self._back()
        return None

    def _back(self) -> Activity:
        if isinstance(self.back_to, _Timed):
            self.back_to.touch()
        return self.back_to

    def view(self) -> View:
        return ConfirmView(self.title, self.body, self.answers, self.selected, self.danger)


class ClinicianMenu(_Timed):
    def __init__(self, ctx: Context):
        super().__init__(ctx)
        items: list[tuple[str, Callable[[], Activity]]] = [
            (text.MENU_REPORT, self._report),
            (text.MENU_EXPORT, lambda: ExportPeriod(self.ctx, self)),
        ]
        if any(profile.mode is Mode.GRADED for profile in ctx.people):
            items.append((text.MENU_SET_LEVEL, lambda: LevelArea(self.ctx, self)))
        items += [
            (text.MENU_PROBLEMS, lambda: Problems(self.ctx, self)),
            (text.MENU_HAND_OVER, self._hand_over),
            (text.MENU_QUIT, lambda: Confirm(self.ctx, text.QUIT_TITLE, text.QUIT_BODY, text.QUIT_NO,
                                             text.QUIT_YES, self._quit, back_to=self)),
            (text.MENU_CLOSE, lambda: HOME),
        ]
        self.items = tuple(items)
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
        data = self.ctx.practice.report(self.ctx.config, profile.name, last - timedelta(days=REPORT_DAYS - 1), last)
        if data is None:
            problem = self.ctx.practice.read_problem
            return Message(self.ctx, text.REPORT_FAILED_TITLE, text.storage_reason(problem) if problem else "",
                           ok=False, back_to=self)
        return Report(self.ctx, data, back_to=self)

    def _hand_over(self) -> Activity:
        """Two questions, each with "keep" selected, before everything is deleted."""
        def second() -> Activity:
            return Confirm(self.ctx, text.HAND_OVER_TITLE_2, text.HAND_OVER_BODY_2, text.HAND_OVER_NO,
                           text.HAND_OVER_YES_2, self._wipe, back_to=self, danger=True)

        return Confirm(self.ctx, text.HAND_OVER_TITLE, text.HAND_OVER_BODY, text.HAND_OVER_NO, text.HAND_OVER_YES,
                       second, back_to=self, danger=True)

    def _wipe(self) -> Activity:
        problem = self.ctx.hand_over()
        if problem is not None:
            return Message(self.ctx, text.HAND_OVER_FAILED_TITLE, text.storage_reason(problem), ok=False,
                           back_to=self)
        log.info("handed over: every session, check-in and level deleted")
        return Message(self.ctx, text.HAND_OVER_DONE_TITLE, text.HAND_OVER_DONE_BODY)

    def _quit(self) -> Activity:
        self.ctx.request_quit()
        return HOME


class ExportPeriod(_Timed):
    """Which days go on the drive (the report period by default), then which drive."""

    def __init__(self, ctx: Context, menu: ClinicianMenu):
        super().__init__(ctx)
        self.menu = menu
        self.selected = 0

    def press(self, key: Key) -> Activity | None:
        self.touch()
        if key in MOVES:
            self.selected = step_list(self.selected, key, len(EXPORT_PERIODS))
        elif key is Key.SELECT:
            return self._ask_drive(EXPORT_PERIODS[self.selected])
        elif key in (Key.BACK, Key.BACK_HELD):
            self.menu.touch()
            return self.menu
        return None

    def _ask_drive(self, days: int | None) -> Activity:
        drives = self.ctx.find_drives()
        if not drives:
            return Message(self.ctx, text.NO_USB_TITLE, text.NO_USB_BODY, ok=False, back_to=self.menu)
        drive = drives[0]
        label, size = self.ctx.describe_drive(drive)
        return Confirm(self.ctx, text.export_to(label, size), text.EXPORT_HEALTH_DATA, text.EXPORT_NO,
                       text.EXPORT_YES, lambda: Exporting(self.ctx, self.menu, drive, days), back_to=self.menu)

    def view(self) -> View:
        items = tuple(ListItem(text.export_period(days)) for days in EXPORT_PERIODS)
        return ChoiceView("export_period", items, self.selected, subtitle=text.EXPORT_PERIOD_TITLE)


class Problems(_Timed):
    """What is wrong, in the clinician's words (file names, config lines, reasons): the
    child's screen only says to tell a parent or the therapist."""

    def __init__(self, ctx: Context, menu: ClinicianMenu):
        super().__init__(ctx)
        self.menu = menu

    def press(self, key: Key) -> Activity | None:
        self.menu.touch()
        return self.menu

    def view(self) -> View:
        lines = tuple(self.ctx.problems.values())
        return InfoView(text.PROBLEMS_TITLE, lines or (text.NO_PROBLEMS,), ok=not lines)


class LevelArea(_Timed):
    """Graded practice: the clinician sets an area's level for the current profile, as at
    a visit (recorded as set by the clinician)."""

    def __init__(self, ctx: Context, menu: ClinicianMenu):
        super().__init__(ctx)
        self.menu = menu
        self.areas = [a for a in ctx.profile.areas if ctx.profile.ladder_for(a.id)]
        self.selected = 0

    def press(self, key: Key) -> Activity | None:
        self.touch()
        if not self.areas or key in (Key.BACK, Key.BACK_HELD):
            self.menu.touch()
            return self.menu
        if key in MOVES:
            self.selected = step_list(self.selected, key, len(self.areas))
        elif key is Key.SELECT:
            return LevelChoice(self.ctx, self, self.areas[self.selected])
        return None

    def view(self) -> View:
        items = tuple(ListItem(a.name) for a in self.areas) or (ListItem(text.NO_LADDERS, header=True),)
        return ChoiceView("level_area", items, self.selected, subtitle=text.SET_LEVEL_TITLE)


class LevelChoice(_Timed):
    def __init__(self, ctx: Context, areas: LevelArea, area):
        super().__init__(ctx)
        self.areas = areas
        self.area = area
        self.ladder = ctx.profile.ladder_for(area.id)
        self.current = min(ctx.rung(area.id), len(self.ladder) - 1)
        self.selected = self.current

    def press(self, key: Key) -> Activity | None:
        self.touch()
        if key in MOVES:
            self.selected = step_list(self.selected, key, len(self.ladder))
        elif key is Key.SELECT:
            if self.selected != self.current:
                self.ctx.move_rung(self.area.id, self.selected, RungReason.SET_BY_CLINICIAN)
                log.info("level set by the clinician: %d of %d", self.selected + 1, len(self.ladder))
            self.areas.touch()
            return self.areas
        elif key in (Key.BACK, Key.BACK_HELD):
            self.areas.touch()
            return self.areas
        return None

    def view(self) -> View:
        items = tuple(
            ListItem(self.ctx.profile.technique(t).name,
                     note=text.YOUR_LEVEL if i == self.current else text.level(i + 1))
            for i, t in enumerate(self.ladder)
        )
        return ChoiceView("level_choice", items, self.selected, subtitle=self.area.name)


class Exporting(Activity):
    """The export to a USB drive: the record is read here (quick), the writing runs on the
    worker while the screen shows progress and the loop keeps feeding the watchdog; the
    result (or a failure) comes back as a message. Presses wait until it is done."""

    busy = True  # no sleep and no reminder while the drive is written

    def __init__(self, ctx: Context, menu: ClinicianMenu, drive: Path | None, days: int | None = REPORT_DAYS):
        super().__init__(ctx)
        self.menu = menu
        self.job: Job | None = None
        self._failure: Activity | None = None
        self.drive = drive
        try:
            work = ctx.usb_export(ctx, drive, ctx.now(), days)
            self.job = ctx.worker.start("usb-export", lambda job: work(job.progress))
        except Exception as exc:  # noqa: BLE001 - the menu must report, never crash
            log.exception("export to %s could not start", self.drive)
            reason = getattr(exc, "reason", None)
            self._failure = Message(ctx, text.EXPORT_FAILED_TITLE,
                                    text.storage_reason(reason) if reason else str(exc), ok=False, back_to=menu)

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
