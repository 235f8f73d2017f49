"""The kiosk's logic as a whole: which activity runs (home, a session, a check-in, the
history, a reminder...), sleep and wake, reminders and check-in prompts, and the notices
shown on screen. Activities get a small context; the controller only switches between
them. An activity that raises never ends the kiosk: it is logged, the unsaved writes stay
queued, and the kiosk goes home with a calm notice (a failsafe). Plain Python; the app
feeds it keys and time and draws `frame()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from kiosk import text
from kiosk.activities.base import HOME, Activity
from kiosk.activities.checkin import Checkin
from kiosk.activities.clinician import open_code_entry
from kiosk.activities.context import Context
from kiosk.activities.home import Home, HomeBoard, ProfilePicker, Reminder
from kiosk.config import Config, Profile
from kiosk.events import Cue, Key
from kiosk.jobs import Worker
from kiosk.practice import Practice
from kiosk.schedule import Schedule, prompt_times
from kiosk.storage.recorder import Recorder
from kiosk.views import Frame, SleepView
from kiosk.voice.speaker import Speaker

log = logging.getLogger(__name__)

SYNC_CHECK_SECONDS = 30.0  # how often home looks whether the wall clock got synchronised
RECENT_RATING = timedelta(minutes=30)  # no check-in prompt this soon after another rating


def _find_drives() -> list[Path]:
    from kiosk.devices.usb import find_usb_drives

    return find_usb_drives()


def _describe_drive(drive: Path) -> tuple[str, int | None]:
    from kiosk.devices.usb import describe_drive

    return describe_drive(drive)


def _usb_export(ctx: Context, drive: Path | None, now: datetime, days: int | None):
    from kiosk.jobs.usb_export import prepare

    return prepare(ctx.practice.store, ctx.config, ctx.profile, drive, now, days)


class Controller:
    """Owns the running activity and everything around it. Single-threaded: the app
    calls `press` for each key and `tick` on every turn of its loop."""

    def __init__(
        self,
        config: Config,
        store,
        *,
        clock: Callable[[], float],
        now: Callable[[], datetime],
        play: Callable[[Cue], None] = lambda cue: None,
        tz: tzinfo | None = None,
        notices: tuple[str, ...] = (),
        clock_synced: Callable[[], bool | None] = lambda: None,
        volatile: object | None = None,
        speaker: Speaker | None = None,
    ):
        """`volatile` is why the store is only in memory (the data folder cannot be used):
        sessions then never show as saved."""
        self.config = config
        self.clock = clock
        self.now = now
        self.practice = Practice(store, clock, volatile=volatile)
        self.context = Context(
            config=config, practice=self.practice, clock=clock, now=now, tz=tz, play=play,
            clock_synced=clock_synced, find_drives=_find_drives, usb_export=_usb_export, worker=Worker(),
            describe_drive=_describe_drive,
        )
        if speaker is not None:
            self.context.speaker = speaker
        self.board = HomeBoard(self.context)
        self.notices = notices  # standing problems shown on home (bad config, no sound)
        self.alerts: dict[str, str] = {}  # problems the edges report while they last (a stuck button)
        self.announcement: str | None = None  # shown until the next press
        self.touch = False  # the screen is an input (display.touch): frames carry their touch targets
        self.asleep = False
        self._last_input = clock()
        self._next_sync_check = clock() + SYNC_CHECK_SECONDS
        start = now()
        self.reminders = Schedule(config.reminders.times, config.quiet_hours, start, tz)
        every = config.checkins.prompt_every_seconds
        self.prompts = Schedule(prompt_times(every, config.quiet_hours), config.quiet_hours, start, tz) if every else None
        self.activity: Activity = self._first()
        self._follow_language()

    # -- what the app and tools look at ------------------------------------------------
    @property
    def recorder(self) -> Recorder:
        return self.practice.recorder

    @property
    def profile(self) -> Profile:
        return self.context.profile

    @property
    def people(self) -> tuple[Profile, ...]:
        return self.context.people

    @property
    def find_drives(self) -> Callable[[], list[Path]]:
        return self.context.find_drives

    @find_drives.setter
    def find_drives(self, finder: Callable[[], list[Path]]) -> None:
        self.context.find_drives = finder

    @property
    def quit_requested(self) -> bool:
        return self.context.quit_requested

    def play(self, cue: Cue) -> None:
        self.context.play(cue)

    # -- input and time ---------------------------------------------------------------
    def press(self, key: Key) -> None:
        """Act on one key. A press on a dark screen only wakes it."""
        self._last_input = self.clock()
        self.announcement = None
        if self.asleep:
            self.asleep = False
            log.info("woken by a press")
            return
        if key is Key.CLINICIAN:
            if not self.activity.busy:
                self._switch(open_code_entry(self.context))
            return
        self._switch(self._safely(lambda: self.activity.press(key)))

    def tick(self) -> None:
        """Carry out whatever time has made due: the activity's own timers, reminders,
        check-in prompts, sleep, and writes that failed before."""
        self.practice.tick()
        self._switch(self._safely(self.activity.tick))
        if self.clock() >= self._next_sync_check:
            self._next_sync_check = self.clock() + SYNC_CHECK_SECONDS
            self.board.synced = self.context.clock_synced()
        now = self.now()
        free = not self.activity.busy and not self.activity.attention
        idle = self.asleep or self.activity.interruptible  # nobody in the middle of something
        # A slot that comes during a session is dropped; one that comes while someone is
        # choosing or rating waits until they are back home (or the screen is dark).
        if idle or self.activity.busy:
            if self.reminders.due(now, allowed=lambda: idle and not self.board.target_met()):
                log.info("reminder")
                self._ask(Reminder(self.context, self.board, self.reminders.snooze), Cue.REMINDER)
            elif self.prompts is not None and self.prompts.due(
                now, allowed=lambda: idle and not self.context.shared
                and not self.practice.rated_within(self.profile.name, now, RECENT_RATING)
            ):
                log.info("check-in prompt")
                self._ask(Checkin(self.context, prompted=True), Cue.CHECKIN)
        if not self.asleep and free and self.clock() - self._last_input >= self.config.display.sleep_after_seconds:
            self._switch(self._first())
            self.asleep = True
            log.info("screen off after %d s without input", self.config.display.sleep_after_seconds)

    def next_change_in(self) -> float | None:
        """Seconds until `tick` may change what is seen or heard; None = only input will."""
        now = self.now()
        waits = [self._safely(self.activity.next_change_in, fallback=0.0), self.practice.next_change_in(),
                 self.reminders.seconds_until(now)]
        if self.prompts is not None:
            waits.append(self.prompts.seconds_until(now))
        if not self.asleep and not self.activity.busy and not self.activity.attention:
            waits.append(max(0.0, self._last_input + self.config.display.sleep_after_seconds - self.clock()))
        if self.board.synced is False:
            waits.append(max(0.0, self._next_sync_check - self.clock()))
        waits = [w for w in waits if w is not None]
        return min(waits) if waits else None

    def frame(self) -> Frame:
        if self.asleep:
            return Frame(SleepView())
        view = self._safely(self.activity.view)
        if view is None:  # the activity could not say what to show: home instead
            view = self.activity.view()
        return Frame(view, self._notice(), touch=self.touch)

    def light(self) -> str:
        """What the status LED should do: "attention", "session" or "off"."""
        if self.asleep:
            return "off"
        if self.activity.attention:
            return "attention"
        return "session" if self.activity.busy else "off"

    def saved(self) -> bool:
        """Is everything the person did safely in the database file?"""
        return self.practice.saved

    def request_quit(self) -> None:
        self.context.request_quit()

    # -- inside -----------------------------------------------------------------------
    def _first(self) -> Activity:
        return ProfilePicker(self.context) if self.context.shared else Home(self.context, self.board)

    def _switch(self, target: Activity | None) -> None:
        if target is None or target is self.activity:
            return
        self._safely(self.activity.leave)
        if target is HOME:
            self.board.next_line()
            target = Home(self.context, self.board)
        self.activity = target
        self._follow_language()

    def _follow_language(self) -> None:
        """The screens speak the current profile's language (a clinic station may have
        patients in two); switched only when it changes."""
        wanted = getattr(self.profile.language, "value", self.profile.language) or "en"
        if wanted != text.language():
            text.use(wanted)
            log.info("language %s", wanted)

    def _safely(self, call, fallback=None):
        """Run one call into the current activity. If it raises, the kiosk does not end:
        the error is logged with its traceback, the activity is left (what it did not save
        stays queued in the recorder), and home comes back with a calm notice."""
        try:
            return call()
        except Exception:  # noqa: BLE001 - the failsafe: nothing an activity does ends the kiosk
            failed = self.activity
            log.exception("%s failed; going home", type(failed).__name__)
            self.activity = Home(self.context, self.board)
            try:
                failed.leave()
            except Exception:  # noqa: BLE001
                log.exception("%s could not be left cleanly", type(failed).__name__)
            self.announcement = text.ACTIVITY_FAILED
            return fallback

    def _ask(self, activity: Activity, cue: Cue) -> None:
        """A reminder or prompt: the screen wakes, a chime plays, the activity opens."""
        self.asleep = False
        self._last_input = self.clock()
        self._switch(activity)
        self.play(cue)

    def _notice(self) -> str | None:
        problem = self.practice.write_problem
        if problem:
            # The child reads plain words; the clinician's Problems page says why.
            self.context.problems["saving"] = text.storage_reason(problem)
            return text.storage_problem(problem)
        self.context.problems.pop("saving", None)
        if self.alerts:
            return next(iter(self.alerts.values()))
        if self.announcement:
            return self.announcement
        if isinstance(self.activity, Home) and self.notices:
            return self.notices[0]
        return None
