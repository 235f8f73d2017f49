"""The clinician's corner of the kiosk: a button code, then a menu to see the report on
screen, export it with the session log to a USB drive, or quit for maintenance."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from kiosk import text
from kiosk.activities.base import HOME, MOVES, Activity, step_list
from kiosk.events import Key
from kiosk.views import ChoiceView, CodeView, ListItem, MessageView, ReportView, View

if TYPE_CHECKING:
    from kiosk.controller import Controller

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0  # the clinician's screens close by themselves after this without a press
REPORT_DAYS = 28
_NAMES = {Key.UP: "up", Key.DOWN: "down", Key.SELECT: "select", Key.BACK: "back"}


class _Timed(Activity):
    """Goes home after IDLE_SECONDS without a press: nobody stays in the clinician's menu."""

    def __init__(self, ctx: Controller):
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

    def __init__(self, ctx: Controller):
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
    def __init__(self, ctx: Controller):
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
        from kiosk.storage.queries import report_data

        last = self.ctx.today()
        data = self.ctx.read(
            lambda store: report_data(
                store, self.ctx.profile.name, last - timedelta(days=REPORT_DAYS - 1), last,
                self.ctx.profile.daily_target, self.ctx.names(),
            )
        )
        if data is None:
            return Message(self.ctx, text.REPORT_FAILED_TITLE, self.ctx.read_problem or "", ok=False, back_to=self)
        return Report(self.ctx, data, back_to=self)

    def export(self) -> Activity:
        from kiosk.devices.usb import export_to_drive

        drives = self.ctx.find_drives()
        drive = drives[0] if drives else None
        try:
            result = export_to_drive(self.ctx.store, drive, self.ctx.config, self.ctx.profile, self.ctx.now())
        except Exception as exc:  # noqa: BLE001 - the menu must report, never crash
            log.exception("export to %s failed", drive)
            return Message(self.ctx, text.EXPORT_FAILED_TITLE, str(exc), ok=False, back_to=self)
        log.info("export to %s: %s", drive, result.message_body)
        return Message(self.ctx, result.message_title, result.message_body, ok=result.ok, back_to=self)

    def _quit(self) -> Activity:
        self.ctx.request_quit()
        return HOME


class Exporting(_Timed):
    """"Exporting..." on screen first, then the export (it blocks the loop for a moment:
    drawing the report, writing and syncing the drive)."""

    def __init__(self, ctx: Controller, menu: ClinicianMenu):
        super().__init__(ctx)
        self.menu = menu
        self._shown = False

    def tick(self) -> Activity | None:
        if not self._shown:
            self._shown = True  # this turn draws the message; the next one does the work
            return None
        return self.menu.export()

    def next_change_in(self) -> float | None:
        return 0.0

    def view(self) -> View:
        return MessageView(text.EXPORTING_TITLE, text.EXPORTING_BODY, working=True)


class Report(_Timed):
    def __init__(self, ctx: Controller, data, back_to: Activity):
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

    def __init__(self, ctx: Controller, title: str, body: str, ok: bool = True, back_to: Activity | None = None):
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
