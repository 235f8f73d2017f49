"""The kiosk's logic as a whole: which activity runs (home, a session, a check-in, the
history, a reminder...), sleep and wake, reminders and check-in prompts, profiles, and the
notices shown on screen. Plain Python; the app feeds it keys and time and draws `frame()`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, tzinfo
from typing import Callable, TypeVar

from kiosk import text
from kiosk.activities.base import HOME, MOVES, Activity, step_list
from kiosk.activities.checkin import Checkin
from kiosk.activities.clinician import CodeEntry
from kiosk.activities.session import GuidedSession
from kiosk.config import Config, Profile
from kiosk.days import day_start, practice_day, week
from kiosk.events import Cue, Key
from kiosk.model import RungRecord
from kiosk.schedule import Schedule, prompt_times
from kiosk.storage.recorder import Recorder
from kiosk.views import ChoiceView, Frame, HistoryView, HomeView, ListItem, ReminderView, SleepView, View

log = logging.getLogger(__name__)

T = TypeVar("T")
SYNC_CHECK_SECONDS = 30.0  # how often home looks whether the wall clock got synchronised
REMINDER_SECONDS = 30 * 60.0  # an unanswered reminder goes away after this
RECENT_RATING = timedelta(minutes=30)  # no check-in prompt this soon after another rating
LOW_PAIN = 3  # a latest rating at or below this is a good day: encourage
HISTORY_DAYS = 14


def _find_drives():
    from kiosk.devices.usb import find_usb_drives

    return find_usb_drives()


class Home(Activity):
    """Select starts a session; up or down opens a pain check-in at once; back shows the
    history; holding back lets another profile practise (with several profiles)."""

    interruptible = True

    def press(self, key: Key) -> Activity | None:
        ctx = self.ctx
        if key is Key.SELECT:
            return GuidedSession(ctx)
        if key in MOVES:
            return Checkin(ctx)
        if key is Key.BACK_HELD and len(ctx.people) > 1:
            return ProfilePicker(ctx)
        if key in (Key.BACK, Key.BACK_HELD):
            return History(ctx)
        return None

    def next_change_in(self) -> float | None:
        return self.ctx.seconds_to_next_day()

    def view(self) -> View:
        return self.ctx.home_view()


class ProfilePicker(Activity):
    """"Who is practising?" at a clinic station shared by several patients."""

    interruptible = True

    def __init__(self, ctx: Controller):
        super().__init__(ctx)
        self.selected = ctx.people.index(ctx.profile)

    def press(self, key: Key) -> Activity | None:
        if key in MOVES:
            self.selected = step_list(self.selected, key, len(self.ctx.people))
        elif key is Key.SELECT:
            self.ctx.profile = self.ctx.people[self.selected]
            log.info("profile %s", self.ctx.profile.name)
            return HOME
        return None

    def view(self) -> View:
        return ChoiceView("profile", tuple(ListItem(p.name) for p in self.ctx.people), self.selected)


class History(Activity):
    """The last two weeks: sessions a day against the target, pain before and after."""

    interruptible = True

    def __init__(self, ctx: Controller):
        super().__init__(ctx)
        from kiosk.storage.queries import history_days

        profile = ctx.profile
        days = ctx.read(lambda store: history_days(store, profile.name, ctx.today(), HISTORY_DAYS)) or ()
        self._view = HistoryView(tuple(days), profile.daily_target, ctx.profile_label())

    def press(self, key: Key) -> Activity | None:
        return HOME

    def view(self) -> View:
        return self._view


class Reminder(Activity):
    """Time to practise: select starts a session, back snoozes."""

    attention = True

    def __init__(self, ctx: Controller):
        super().__init__(ctx)
        self._since = ctx.clock()

    def press(self, key: Key) -> Activity | None:
        if key is Key.SELECT:
            # A shared station asks who is practising before anyone's session starts.
            return ProfilePicker(self.ctx) if len(self.ctx.people) > 1 else GuidedSession(self.ctx)
        if key in (Key.BACK, Key.BACK_HELD):
            self.ctx.reminders.snooze(self.ctx.now(), self.ctx.config.reminders.snooze_seconds)
            return HOME
        return None

    def tick(self) -> Activity | None:
        return HOME if self.ctx.clock() - self._since >= REMINDER_SECONDS else None

    def next_change_in(self) -> float | None:
        return max(0.0, self._since + REMINDER_SECONDS - self.ctx.clock())

    def view(self) -> View:
        home = self.ctx.home_view()
        return ReminderView(home.done_today, home.target, self.ctx.profile_label())


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
        volatile: str | None = None,
    ):
        """`volatile` is why the store is only in memory (the data folder cannot be used):
        sessions then never show as saved."""
        self.config = config
        self.store = store
        self.clock = clock
        self.now = now
        self.play = play
        self.tz = tz
        self.clock_synced = clock_synced
        self.volatile = volatile
        self.recorder = Recorder(store, clock, recover=True)
        self.people = config.people()
        self.profile: Profile = self.people[0]
        self.notices = notices  # standing problems shown on home (bad config, no sound)
        self.alerts: dict[str, str] = {}  # problems the edges report while they last (a stuck button)
        self.announcement: str | None = None  # shown until the next press
        self.read_problem: str | None = None
        self.quit_requested = False
        self.find_drives = _find_drives  # where the clinician's export looks for a USB drive
        self.asleep = False
        self._memory: dict[str, dict] = {}
        self._last_input = clock()
        self._home: tuple[tuple, HomeView] | None = None
        self._line = 0
        self._synced = clock_synced()
        self._next_sync_check = clock() + SYNC_CHECK_SECONDS
        start = now()
        self.reminders = Schedule(config.reminders.times, config.quiet_hours, start, tz)
        every = config.checkins.prompt_every_seconds
        self.prompts = Schedule(prompt_times(every, config.quiet_hours), config.quiet_hours, start, tz) if every else None
        self.activity: Activity = self._first()

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
                self._switch(CodeEntry(self))
            return
        self._switch(self.activity.press(key))

    def tick(self) -> None:
        """Carry out whatever time has made due: the activity's own timers, reminders,
        check-in prompts, sleep, and writes that failed before."""
        self.recorder.tick()
        self._switch(self.activity.tick())
        if self.clock() >= self._next_sync_check:
            self._next_sync_check = self.clock() + SYNC_CHECK_SECONDS
            self._synced = self.clock_synced()
        now = self.now()
        free = not self.activity.busy and not self.activity.attention
        idle = self.asleep or self.activity.interruptible  # nobody in the middle of something
        # A slot that comes during a session is dropped; one that comes while someone is
        # choosing or rating waits until they are back home (or the screen is dark).
        if idle or self.activity.busy:
            if self.reminders.due(now, allowed=lambda: idle and not self._target_met()):
                log.info("reminder")
                self._ask(Reminder(self), Cue.REMINDER)
            elif self.prompts is not None and self.prompts.due(
                now, allowed=lambda: idle and len(self.people) == 1 and not self._rated_recently(now)
            ):
                log.info("check-in prompt")
                self._ask(Checkin(self, prompted=True), Cue.CHECKIN)
        if not self.asleep and free and self.clock() - self._last_input >= self.config.display.sleep_after_seconds:
            self._switch(self._first())
            self.asleep = True
            log.info("screen off after %d s without input", self.config.display.sleep_after_seconds)

    def next_change_in(self) -> float | None:
        """Seconds until `tick` may change what is seen or heard; None = only input will."""
        now = self.now()
        waits = [self.activity.next_change_in(), self.recorder.next_change_in(),
                 self.reminders.seconds_until(now)]
        if self.prompts is not None:
            waits.append(self.prompts.seconds_until(now))
        if not self.asleep and not self.activity.busy and not self.activity.attention:
            waits.append(max(0.0, self._last_input + self.config.display.sleep_after_seconds - self.clock()))
        if self._synced is False:
            waits.append(max(0.0, self._next_sync_check - self.clock()))
        waits = [w for w in waits if w is not None]
        return min(waits) if waits else None

    def frame(self) -> Frame:
        if self.asleep:
            return Frame(SleepView())
        return Frame(self.activity.view(), self._notice())

    def light(self) -> str:
        """What the status LED should do: "attention", "session" or "off"."""
        if self.asleep:
            return "off"
        if self.activity.attention:
            return "attention"
        return "session" if self.activity.busy else "off"

    def saved(self) -> bool:
        """Is everything the person did safely in the database file?"""
        return self.volatile is None and not self.recorder.unsaved

    def request_quit(self) -> None:
        self.quit_requested = True

    # -- what activities use ----------------------------------------------------------
    def today(self) -> date:
        return practice_day(self.now(), self.config.day_starts_at, self.tz)

    def seconds_to_next_day(self) -> float:
        start = day_start(self.today() + timedelta(days=1), self.config.day_starts_at, self.tz)
        return max(1.0, (start - self.now()).total_seconds())

    def read(self, query: Callable[[object], T]) -> T | None:
        """A read from the store; a failure is logged and gives None (the screen still works)."""
        try:
            result = query(self.store)
        except Exception as exc:  # noqa: BLE001 - a broken store must not stop the kiosk
            self.read_problem = getattr(exc, "reason", None) or str(exc)
            log.error("could not read the database: %s", self.read_problem)
            return None
        self.read_problem = None
        return result

    def rung(self, area_id: str) -> int:
        return self.read(lambda store: store.rung(self.profile.name, area_id)) or 0

    def set_rung(self, area_id: str, rung: int) -> None:
        """Through the recorder, so a level change is retried like any other write."""
        self.recorder.save(RungRecord(self.profile.name, area_id, rung, self.now()))

    def memory(self) -> dict:
        """What this profile chose last time (area, technique), to offer it first."""
        return self._memory.setdefault(self.profile.name, {})

    def remember(self, **choices) -> None:
        self.memory().update(choices)

    def profile_label(self) -> str | None:
        return self.profile.name if len(self.people) > 1 else None

    def names(self) -> dict[str, str]:
        """Display names of this profile's areas and techniques, by id."""
        return {**{a.id: a.name for a in self.profile.areas}, **{t.id: t.name for t in self.profile.techniques}}

    def home_view(self) -> HomeView:
        """Today's count, this week's days and the rotating line, read once per change."""
        today = self.today()
        key = (self.profile.name, today, self.recorder.written, self._synced, self._line)
        if self._home is None or self._home[0] != key:
            days = week(today)
            counts = self.read(lambda store: store.day_counts(self.profile.name, days[0], days[-1]))
            view = HomeView(
                done_today=(counts or {}).get(today, 0),
                target=self.profile.daily_target,
                week=tuple((counts or {}).get(day, 0) > 0 for day in days),
                today_index=today.weekday(),
                profile=self.profile_label(),
                line=self._line_text(),
            )
            if counts is None:
                return view  # a failed read is not kept: the next frame reads again
            self._home = (key, view)
        return self._home[1]

    # -- inside -----------------------------------------------------------------------
    def _first(self) -> Activity:
        return ProfilePicker(self) if len(self.people) > 1 else Home(self)

    def _switch(self, target: Activity | None) -> None:
        if target is None or target is self.activity:
            return
        self.activity.leave()
        if target is HOME:
            self._line += 1  # a new visit home shows the next line
            target = Home(self)
        self.activity = target

    def _ask(self, activity: Activity, cue: Cue) -> None:
        """A reminder or prompt: the screen wakes, a chime plays, the activity opens."""
        self.asleep = False
        self._last_input = self.clock()
        self._switch(activity)
        self.play(cue)

    def _target_met(self) -> bool:
        home = self.home_view()
        return home.done_today >= home.target

    def _rated_recently(self, now: datetime) -> bool:
        last = self.read(lambda store: store.last_reading_at(self.profile.name))
        return last is not None and timedelta(0) <= now - last < RECENT_RATING

    def _line_text(self) -> str:
        """The treatment reminder, taking turns with encouragement when pain is low."""
        last = self.read(lambda store: store.last_reading(self.profile.name))
        low = last is not None and practice_day(last[0], self.config.day_starts_at, self.tz) == self.today() \
            and last[1] <= LOW_PAIN
        lines = text.TREATMENT_LINES + (text.LOW_PAIN_LINES if low else ())
        return lines[self._line % len(lines)]

    def _notice(self) -> str | None:
        if self.recorder.problem or self.volatile:
            return text.storage_problem(self.recorder.problem or self.volatile)
        if self.alerts:
            return next(iter(self.alerts.values()))
        if self.announcement:
            return self.announcement
        if isinstance(self.activity, Home) and self.notices:
            return self.notices[0]
        return None
