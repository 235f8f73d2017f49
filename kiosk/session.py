"""The guided session as a state machine: home -> area -> technique -> (safety note) ->
pain before -> countdown -> pain after -> summary -> home.

Plain Python: no pygame, no GPIO. Time comes in as parameters (a monotonic `clock` for
durations, a UTC `now` for the stored times), so tests drive hours in milliseconds. The
edges feed it keys (`press`) and wake it for time (`tick`, at `next_change_in`), and
draw whatever `frame()` returns.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from datetime import datetime, timedelta, timezone, tzinfo
from enum import Enum
from typing import Callable, Protocol

from kiosk import text
from kiosk.config import Config, Group, Step, Technique
from kiosk.events import Cue, Key
from kiosk.records import DEFAULT_PROFILE, SessionRecord
from kiosk.views import (
    ChoiceView,
    CountdownView,
    Frame,
    HomeView,
    ListItem,
    RatingView,
    SafetyView,
    Status,
    SummaryView,
    View,
)

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 10.0  # a kill -9 mid-countdown loses at most this much active time
HINT_SECONDS = 4.0  # how long "hold back to stop" stays up after a short back press
SUMMARY_SECONDS = 20.0  # the summary goes home by itself after this
RETRY_SECONDS = 10.0  # a failed write is tried again this often
SYNC_CHECK_SECONDS = 30.0  # how often home looks whether the wall clock got synchronised


class Phase(Enum):
    HOME = "home"
    AREA = "area"
    TECHNIQUE = "technique"
    SAFETY = "safety"
    PAIN_BEFORE = "pain_before"
    COUNTDOWN = "countdown"
    PAIN_AFTER = "pain_after"
    SUMMARY = "summary"


class SessionStore(Protocol):
    """What the session logic needs from storage (kiosk.store.Store provides it)."""

    def save(self, record: SessionRecord) -> int: ...

    def last_rating(self, profile: str, area: str) -> int | None: ...

    def finished_start_times(self, profile: str, since: datetime, until: datetime) -> list[datetime]: ...


class Countdown:
    """A deadline on the monotonic clock, with pauses excluded and the technique's steps
    laid over it. Never a sum of frame times: a stalled loop changes nothing."""

    def __init__(self, planned: float, steps: tuple[Step, ...], clock: Callable[[], float]):
        self.planned = planned
        self._clock = clock
        self._started = clock()
        self._paused_total = 0.0
        self._paused_at: float | None = None
        # Active-time offsets where each step after the first begins.
        bounds, acc = [], 0.0
        for step in steps[:-1]:
            acc += step.share
            bounds.append(acc * planned)
        self._step_starts = tuple(bounds)

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def deadline(self) -> float:
        """Monotonic time at which the countdown ends if not paused again."""
        return self._started + self._paused_total + self.planned

    def active(self) -> float:
        """Seconds counted so far, pauses excluded, never beyond the plan."""
        now = self._paused_at if self._paused_at is not None else self._clock()
        return min(self.planned, max(0.0, now - self._started - self._paused_total))

    def remaining(self) -> float:
        return self.planned - self.active()

    def finished(self) -> bool:
        return self.active() >= self.planned

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._clock()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused_total += self._clock() - self._paused_at
            self._paused_at = None

    def step_at(self, active: float) -> int:
        """0-based index of the step running at `active` seconds."""
        return sum(1 for start in self._step_starts if active >= start)

    def marks(self) -> tuple[tuple[float, Cue], ...]:
        """(active-time offset, cue) of everything heard during the countdown, in order:
        each step change, and half time (a step change at half time is heard as a step)."""
        marks = {self.planned / 2: Cue.HALF}
        marks.update((start, Cue.STEP) for start in self._step_starts)
        return tuple(sorted(marks.items()))

    def until_next_change(self) -> float | None:
        """Seconds until the shown mm:ss ticks over or a cue is due; None while paused."""
        if self.paused:
            return None
        active = self.active()
        remaining = self.planned - active
        shown = math.ceil(remaining)
        waits = [remaining - (shown - 1) if shown > 0 else 0.0]
        waits += [mark - active for mark, _ in self.marks() if mark > active]
        return max(0.0, min(waits))


class Flow:
    """The whole guided session for one profile, driven by keys and by time."""

    def __init__(
        self,
        config: Config,
        store: SessionStore,
        *,
        clock: Callable[[], float],
        now: Callable[[], datetime],
        play: Callable[[Cue], None] = lambda cue: None,
        tz: tzinfo | None = None,
        profile: str = DEFAULT_PROFILE,
        notices: tuple[str, ...] = (),
        clock_synced: Callable[[], bool | None] = lambda: None,
    ):
        self.config = config
        self.store = store
        self.clock = clock
        self.now = now
        self.play = play
        self.tz = tz
        self.profile = profile
        self.clock_synced = clock_synced
        self.notices = notices  # standing problems shown on home (bad config, no sound)
        self.alerts: dict[str, str] = {}  # problems the edges report while they last (a stuck button)
        self.announcement: str | None = None  # shown until the next press
        self.storage_problem: str | None = None

        self.phase = Phase.HOME
        self.area_index = 0
        self.technique_id = self._technique_items()[0][1].id
        self.rating = 0
        self.record: SessionRecord | None = None
        self.countdown: Countdown | None = None
        self._unsaved = False  # the record holds changes the store has not taken yet
        self._backlog: list[SessionRecord] = []  # earlier sessions still to be written
        self._next_retry = 0.0
        self._next_checkpoint = 0.0
        self._heard = 0  # how many countdown marks have been heard
        self._hint_until = 0.0
        self._summary_until = 0.0
        self._home: HomeView | None = None
        self._home_day = None
        self._home_synced: bool | None = None
        self._next_sync_check = 0.0

    # -- input ------------------------------------------------------------------------
    def press(self, key: Key) -> None:
        """Act on one key. Unknown combinations are ignored; nothing here blocks."""
        self.announcement = None
        if key is Key.BACK_HELD and self.phase is not Phase.COUNTDOWN:
            key = Key.BACK  # a long press outside the countdown is just "back"
        handler = getattr(self, f"_on_{self.phase.value}")
        handler(key)

    def _on_home(self, key: Key) -> None:
        if key is Key.SELECT:
            self.phase = Phase.AREA

    def _on_area(self, key: Key) -> None:
        if key in (Key.UP, Key.DOWN):
            step = -1 if key is Key.UP else 1
            self.area_index = (self.area_index + step) % len(self.config.areas)
        elif key is Key.SELECT:
            self.phase = Phase.TECHNIQUE
        elif key is Key.BACK:
            self._go_home()

    def _on_technique(self, key: Key) -> None:
        techniques = [t for _, t in self._technique_items()]
        index = techniques.index(self.technique)
        if key in (Key.UP, Key.DOWN):
            step = -1 if key is Key.UP else 1
            self.technique_id = techniques[(index + step) % len(techniques)].id
        elif key is Key.SELECT:
            if self.technique.safety:
                self.phase = Phase.SAFETY
            else:
                self._ask_pain_before()
        elif key is Key.BACK:
            self.phase = Phase.AREA

    def _on_safety(self, key: Key) -> None:
        if key is Key.SELECT:
            self._ask_pain_before()
        elif key is Key.BACK:
            self.phase = Phase.TECHNIQUE

    def _on_pain_before(self, key: Key) -> None:
        if key in (Key.UP, Key.DOWN):
            self._change_rating(key)
        elif key is Key.SELECT:
            self._start_countdown()
        elif key is Key.BACK:
            self.phase = Phase.TECHNIQUE

    def _on_countdown(self, key: Key) -> None:
        assert self.countdown is not None
        if key is Key.SELECT:
            if self.countdown.paused:
                self.countdown.resume()
            else:
                self.countdown.pause()
                self._checkpoint()
        elif key is Key.BACK:
            self._hint_until = self.clock() + HINT_SECONDS
        elif key is Key.BACK_HELD:
            self._end_countdown(Status.STOPPED_EARLY)

    def _on_pain_after(self, key: Key) -> None:
        # Back does nothing here: the countdown is over and the rating is what is left.
        if key in (Key.UP, Key.DOWN):
            self._change_rating(key)
        elif key is Key.SELECT:
            assert self.record is not None
            self._save(replace(self.record, pain_after=self.rating))
            self.phase = Phase.SUMMARY
            self._summary_until = self.clock() + SUMMARY_SECONDS

    def _on_summary(self, key: Key) -> None:
        self._go_home()

    # -- time -------------------------------------------------------------------------
    def tick(self) -> None:
        """Carry out whatever time has made due: cues, the end of the countdown,
        checkpoints, the summary's return home, retrying a failed write."""
        now = self.clock()
        if self.phase is Phase.COUNTDOWN and self.countdown is not None:
            self._countdown_tick(now)
        elif self.phase is Phase.SUMMARY and now >= self._summary_until:
            self._go_home()
        elif self.phase is Phase.HOME:
            if now >= self._next_sync_check:
                self._next_sync_check = now + SYNC_CHECK_SECONDS
                if self.clock_synced() != self._home_synced:
                    self._home = None  # the wall clock was just set: the days may have moved
            if self._home_day != self._today():
                self._home = None  # a new day: recount
        if self._unsaved and now >= self._next_retry:
            self._write()

    def _countdown_tick(self, now: float) -> None:
        countdown = self.countdown
        assert countdown is not None
        if countdown.finished():
            self._end_countdown(Status.COMPLETED)
            return
        active = countdown.active()
        marks = countdown.marks()
        heard = sum(1 for mark, _ in marks if active >= mark)
        if heard > self._heard:
            # After a stall only the latest mark is played: one cue, never a burst.
            self.play(marks[heard - 1][1])
            self._heard = heard
        if now >= self._next_checkpoint and not countdown.paused:
            self._checkpoint()

    def next_change_in(self) -> float | None:
        """Seconds until `tick` may change what is seen or heard; None = only input will."""
        now = self.clock()
        waits: list[float] = []
        if self.phase is Phase.COUNTDOWN and self.countdown is not None:
            until = self.countdown.until_next_change()
            if until is not None:
                waits += [until, self._next_checkpoint - now]
            if self._hint_until > now:
                waits.append(self._hint_until - now)
        elif self.phase is Phase.SUMMARY:
            waits.append(self._summary_until - now)
        elif self.phase is Phase.HOME:
            waits.append(self._seconds_to_midnight())
            if self._home_synced is False:
                waits.append(self._next_sync_check - now)
        if self._unsaved:
            waits.append(self._next_retry - now)
        return max(0.0, min(waits)) if waits else None

    # -- what to show -----------------------------------------------------------------
    def frame(self) -> Frame:
        return Frame(self._view(), self._notice())

    def _notice(self) -> str | None:
        if self.storage_problem:
            return text.storage_problem(self.storage_problem)
        if self.alerts:
            return next(iter(self.alerts.values()))
        if self.announcement:
            return self.announcement
        if self.phase is Phase.HOME and self.notices:
            return self.notices[0]
        return None

    def _view(self) -> View:
        phase = self.phase
        if phase is Phase.HOME:
            return self._home_view()
        if phase is Phase.AREA:
            items = tuple(ListItem(a.name) for a in self.config.areas)
            return ChoiceView("area", items, self.area_index)
        if phase is Phase.TECHNIQUE:
            items, selected = [], 0
            for header, technique in self._technique_items():
                if header:
                    items.append(ListItem(text.GROUP_NAMES[header.value], header=True))
                if technique.id == self.technique_id:
                    selected = len(items)
                items.append(ListItem(technique.name, flagged=bool(technique.safety)))
            return ChoiceView("technique", tuple(items), selected, subtitle=self.area.name)
        if phase is Phase.SAFETY:
            return SafetyView(self.technique.name, self.technique.safety or "")
        if phase in (Phase.PAIN_BEFORE, Phase.PAIN_AFTER):
            stopped = self.record is not None and self.record.status is Status.STOPPED_EARLY
            return RatingView(
                "before" if phase is Phase.PAIN_BEFORE else "after",
                self.rating,
                self.area.name,
                self.technique.name,
                stopped_early=stopped and phase is Phase.PAIN_AFTER,
            )
        if phase is Phase.COUNTDOWN:
            countdown = self.countdown
            assert countdown is not None
            steps = self.technique.steps
            index = countdown.step_at(countdown.active())
            return CountdownView(
                technique=self.technique.name,
                area=self.area.name,
                prompt=steps[index].prompt if steps else self.technique.prompt,
                step=index + 1,
                steps=max(1, len(steps)),
                remaining=math.ceil(countdown.remaining()),
                total=round(countdown.planned),
                paused=countdown.paused,
                hint=self._hint_until > self.clock(),
            )
        record = self.record
        assert record is not None
        return SummaryView(
            technique=self.technique.name,
            area=self.area.name,
            before=record.pain_before if record.pain_before is not None else 0,
            after=record.pain_after,
            status=record.status,
            active_seconds=round(record.active_seconds),
            saved=not self._unsaved,
        )

    def _home_view(self) -> HomeView:
        """Today's count and this week's days, read from the store once per visit."""
        if self._home is None:
            local_now = self.now().astimezone(self.tz)
            today = local_now.date()
            monday = today - timedelta(days=today.weekday())
            start = datetime.combine(monday, datetime.min.time(), local_now.tzinfo)
            try:
                times = self.store.finished_start_times(
                    self.profile, start.astimezone(timezone.utc), (start + timedelta(days=7)).astimezone(timezone.utc)
                )
            except Exception as exc:  # noqa: BLE001 - a broken store must not blank home
                log.error("could not read this week's sessions: %s", exc)
                times = []
            days = [t.astimezone(local_now.tzinfo).date() for t in times]
            week = tuple(monday + timedelta(days=i) in days for i in range(7))
            self._home = HomeView(days.count(today), self.config.daily_target, week, today.weekday())
            self._home_day = today
            self._home_synced = self.clock_synced()
        return self._home

    # -- helpers ----------------------------------------------------------------------
    @property
    def area(self):
        return self.config.areas[self.area_index]

    @property
    def technique(self) -> Technique:
        return self.config.technique(self.technique_id)

    def _technique_items(self) -> list[tuple[Group | None, Technique]]:
        """Techniques in list order, grouped; each group's first carries its heading."""
        items: list[tuple[Group | None, Technique]] = []
        for group in Group:
            members = [t for t in self.config.techniques if t.group is group]
            items += [(group if i == 0 else None, t) for i, t in enumerate(members)]
        return items

    def _change_rating(self, key: Key) -> None:
        self.rating = min(10, self.rating + 1) if key is Key.UP else max(0, self.rating - 1)

    def _ask_pain_before(self) -> None:
        try:
            last = self.store.last_rating(self.profile, self.area.id)
        except Exception as exc:  # noqa: BLE001
            log.error("could not read the last rating: %s", exc)
            last = None
        self.rating = last if last is not None else 0
        self.phase = Phase.PAIN_BEFORE

    def _start_countdown(self) -> None:
        technique = self.technique
        planned = self.config.session.duration_seconds
        self.countdown = Countdown(planned, technique.steps, self.clock)
        self._heard = 0
        self._hint_until = 0.0
        self._next_checkpoint = self.clock() + CHECKPOINT_SECONDS
        if self._unsaved and self.record is not None:
            self._backlog.append(self.record)  # never dropped: written with the next save
        self.record = None
        self._save(
            SessionRecord(
                profile=self.profile,
                area=self.area.id,
                technique=technique.id,
                planned_seconds=round(planned),
                started_at=self.now(),
                pain_before=self.rating,
                clock_synced=self.clock_synced(),
            )
        )
        self.phase = Phase.COUNTDOWN
        self.play(Cue.START)

    def _checkpoint(self) -> None:
        assert self.countdown is not None and self.record is not None
        self._next_checkpoint = self.clock() + CHECKPOINT_SECONDS
        self._save(replace(self.record, active_seconds=self.countdown.active()))

    def _end_countdown(self, status: Status) -> None:
        countdown, record = self.countdown, self.record
        assert countdown is not None and record is not None
        ended_at = self.now()
        if status is Status.COMPLETED:
            # The loop may wake after the deadline; the session ended at the deadline.
            ended_at -= timedelta(seconds=max(0.0, self.clock() - countdown.deadline))
        self._save(replace(record, status=status, ended_at=ended_at, active_seconds=countdown.active()))
        self.play(Cue.END)
        self.rating = record.pain_before if record.pain_before is not None else 0
        self.phase = Phase.PAIN_AFTER

    def _save(self, record: SessionRecord) -> None:
        """Keep the record and write it; on failure keep it anyway and try again later."""
        self.record = record
        self._unsaved = True
        self._write()

    def _write(self) -> None:
        """Write what the store has not taken yet: older sessions first, then this one."""
        try:
            while self._backlog:
                self.store.save(self._backlog[0])
                self._backlog.pop(0)
            if self.record is not None:
                self.record = replace(self.record, id=self.store.save(self.record))
        except Exception as exc:  # noqa: BLE001 - any storage failure must not stop the session
            reason = getattr(exc, "reason", None) or str(exc)
            if reason != self.storage_problem:
                log.error("could not save session: %s", reason)
            self.storage_problem = reason
            self._next_retry = self.clock() + RETRY_SECONDS
            return
        if self.storage_problem:
            log.info("sessions saved again after an earlier failure")
        self._unsaved = False
        self.storage_problem = None
        self._home = None  # counts may have changed

    def _go_home(self) -> None:
        self.phase = Phase.HOME
        self._home = None

    def _today(self):
        return self.now().astimezone(self.tz).date()

    def _seconds_to_midnight(self) -> float:
        local = self.now().astimezone(self.tz)
        midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo)
        return max(1.0, (midnight - local).total_seconds())
