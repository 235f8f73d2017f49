"""Home and what opens from it: the home screen (today's count, the week, a rotating line),
the profile picker of a shared station, the two-week history, and the reminder to practise."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk import text
from kiosk.activities.base import HOME, MOVES, Activity, step_list
from kiosk.activities.checkin import Checkin
from kiosk.activities.session import GuidedSession
from kiosk.days import practice_day, week
from kiosk.events import Key
from kiosk.views import ChoiceView, HistoryView, HomeView, InfoView, ListItem, ReminderView, View

if TYPE_CHECKING:
    from kiosk.activities.context import Context

log = logging.getLogger(__name__)

REMINDER_SECONDS = 30 * 60.0  # an unanswered reminder goes away after this
LOW_PAIN = 3  # a latest rating at or below this is a good day: encourage
HISTORY_DAYS = 14


class HomeBoard:
    """What home shows, read from the record once per change (a write, a new day, another
    profile, the next line), not on every turn of the loop."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.synced: bool | None = ctx.clock_synced()
        self._line = 0
        self._cached: tuple[tuple, HomeView] | None = None

    def next_line(self) -> None:
        """A new visit home shows the next line."""
        self._line += 1

    def target_met(self) -> bool:
        view = self.view()
        return view.done_today >= view.target

    def view(self) -> HomeView:
        ctx = self.ctx
        today = ctx.today()
        key = (ctx.profile.name, today, ctx.practice.written, self.synced, self._line)
        if self._cached is None or self._cached[0] != key:
            days = week(today)
            counts = ctx.practice.day_counts(ctx.profile.name, days[0], days[-1])
            view = HomeView(
                done_today=(counts or {}).get(today, 0),
                target=ctx.profile.daily_target,
                week=tuple((counts or {}).get(day, 0) > 0 for day in days),
                today_index=today.weekday(),
                profile=ctx.profile_label(),
                line=self._line_text(),
                checkin_hint=ctx.config.checkins.on_home,
                clock_unset=self.synced is False,
            )
            if counts is None:
                return view  # a failed read is not kept: the next frame reads again
            self._cached = (key, view)
        return self._cached[1]

    def _line_text(self) -> str:
        """The treatment reminder, taking turns with encouragement when pain is low."""
        ctx = self.ctx
        last = ctx.practice.last_reading(ctx.profile.name)
        low = last is not None and practice_day(last[0], ctx.config.day_starts_at, ctx.tz) == ctx.today() \
            and last[1] <= LOW_PAIN
        lines = text.TREATMENT_LINES + (text.LOW_PAIN_LINES if low else ())
        return lines[self._line % len(lines)]


class Home(Activity):
    """Select starts a session; up or down opens a pain check-in at once; back shows the
    history; holding back lets another profile practise (with several profiles)."""

    interruptible = True

    def __init__(self, ctx: Context, board: HomeBoard):
        super().__init__(ctx)
        self.board = board

    def press(self, key: Key) -> Activity | None:
        ctx = self.ctx
        if key is Key.SELECT:
            return GuidedSession(ctx)
        if key in MOVES:
            # The clinician can turn the focus on pain down (checkins.on_home: no).
            return Checkin(ctx) if ctx.config.checkins.on_home else None
        if key is Key.BACK_HELD and ctx.shared:
            return ProfilePicker(ctx)
        if key in (Key.BACK, Key.BACK_HELD):
            return History(ctx)
        return None

    def next_change_in(self) -> float | None:
        return self.ctx.seconds_to_next_day()

    def view(self) -> View:
        return self.board.view()


class ProfilePicker(Activity):
    """"Who is practising?" at a clinic station shared by several patients."""

    interruptible = True

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.selected = ctx.people.index(ctx.profile)

    def press(self, key: Key) -> Activity | None:
        if key in MOVES:
            self.selected = step_list(self.selected, key, len(self.ctx.people))
        elif key is Key.SELECT:
            self.ctx.profile = self.ctx.people[self.selected]
            # By position, never by name: the journal carries no nickname.
            log.info("profile %d of %d", self.selected + 1, len(self.ctx.people))
            return HOME
        return None

    def view(self) -> View:
        return ChoiceView("profile", tuple(ListItem(p.name) for p in self.ctx.people), self.selected)


class History(Activity):
    """The last two weeks: sessions a day against the target, pain before and after."""

    interruptible = True

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        profile = ctx.profile
        days = ctx.practice.history(profile.name, ctx.today(), HISTORY_DAYS)
        self._view = HistoryView(tuple(days), profile.daily_target, ctx.profile_label())

    def press(self, key: Key) -> Activity | None:
        if key is Key.SELECT:
            return SavedHere(self.ctx)
        return HOME

    def view(self) -> View:
        return self._view


class SavedHere(Activity):
    """"What is saved here?": what is kept, where, for how long, who sees it; any press
    goes home."""

    interruptible = True

    def press(self, key: Key) -> Activity | None:
        return HOME

    def view(self) -> View:
        return InfoView(text.SAVED_HERE_TITLE, text.saved_here(self.ctx.config.retention.keep_days))


class Reminder(Activity):
    """Time to practise: select starts a session, back snoozes."""

    attention = True

    def __init__(self, ctx: Context, board: HomeBoard, snooze):
        """`snooze(now, seconds)` puts the reminder off (the controller's schedule)."""
        super().__init__(ctx)
        self.board = board
        self.snooze = snooze
        self._since = ctx.clock()

    def press(self, key: Key) -> Activity | None:
        if key is Key.SELECT:
            # A shared station asks who is practising before anyone's session starts.
            return ProfilePicker(self.ctx) if self.ctx.shared else GuidedSession(self.ctx)
        if key in (Key.BACK, Key.BACK_HELD):
            self.snooze(self.ctx.now(), self.ctx.config.reminders.snooze_seconds)
            return HOME
        return None

    def tick(self) -> Activity | None:
        return HOME if self.ctx.clock() - self._since >= REMINDER_SECONDS else None

    def next_change_in(self) -> float | None:
        return max(0.0, self._since + REMINDER_SECONDS - self.ctx.clock())

    def view(self) -> View:
        home = self.board.view()
        return ReminderView(home.done_today, home.target, self.ctx.profile_label())
