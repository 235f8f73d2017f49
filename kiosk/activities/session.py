"""One guided DESENS session: area -> technique -> (safety note) -> pain before ->
countdown -> pain after -> (graded: move up a level?) -> summary -> home.

Plain Python: no pygame, no GPIO. Time comes from the context's clocks, so tests drive
hours in milliseconds; every write goes through the practice record (its recorder).
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from datetime import timedelta
from enum import Enum
from typing import TYPE_CHECKING, Callable

from kiosk import text
from kiosk.activities.base import HOME, MOVES, Activity, step_list, step_rating
from kiosk.config import Group, Mode, Technique, TechniqueStep
from kiosk.events import Cue, Key
from kiosk.model import RungReason, SessionRecord, Status
from kiosk.views import (
    ChoiceView,
    ConfirmView,
    CountdownView,
    LevelUpView,
    ListItem,
    RatingView,
    SafetyView,
    SummaryView,
    View,
)
from kiosk.voice import lines as voice_lines

if TYPE_CHECKING:
    from kiosk.activities.context import Context

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 10.0  # a kill -9 mid-countdown loses at most this much active time
HINT_SECONDS = 4.0  # how long "hold back to stop" stays up after a short back press
SUMMARY_SECONDS = 20.0  # the summary goes home by itself after this
PAUSE_LIMIT_SECONDS = 30 * 60.0  # a session paused this long is ended (stopped early)
RATING_LIMIT_SECONDS = 10 * 60.0  # the pain-after question waits this long, then goes home


class Phase(Enum):
    AREA = "area"
    TECHNIQUE = "technique"
    SAFETY = "safety"
    PAIN_BEFORE = "pain_before"
    COUNTDOWN = "countdown"
    PAIN_AFTER = "pain_after"
    STEP_DOWN = "step_down"  # graded: a lower level was chosen; stay there?
    LEVEL_UP = "level_up"
    SUMMARY = "summary"


class Countdown:
    """A deadline on the monotonic clock, with pauses excluded and the technique's steps
    laid over it. Never a sum of frame times: a stalled loop changes nothing."""

    def __init__(self, planned: float, steps: tuple[TechniqueStep, ...], clock: Callable[[], float]):
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

    def paused_for(self) -> float:
        return 0.0 if self._paused_at is None else self._clock() - self._paused_at

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


class GuidedSession(Activity):
    """The whole guided session for the controller's current profile."""

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.profile = ctx.profile
        memory = ctx.memory()
        self.area_index = min(memory.get("area", 0), len(self.profile.areas) - 1)
        self.technique_id = memory.get("technique") or self.profile.techniques[0].id
        self.phase = Phase.AREA
        self.rating = 0
        self.record: SessionRecord | None = None
        self.countdown: Countdown | None = None
        self._heard = 0  # how many countdown marks have been heard
        self._next_checkpoint = 0.0
        self._hint_until = 0.0
        self._phase_since = ctx.clock()
        self._rungs: dict[str, int] = {}
        self._safety_page = 0  # 0-based page of the safety note on screen
        self._step_down_choice = 0  # 0 = just this time (selected first), 1 = stay lower
        self._handlers: dict[Phase, Callable[[Key], Activity | None]] = {
            Phase.AREA: self._on_area,
            Phase.TECHNIQUE: self._on_technique,
            Phase.SAFETY: self._on_safety,
            Phase.PAIN_BEFORE: self._on_pain_before,
            Phase.COUNTDOWN: self._on_countdown,
            Phase.PAIN_AFTER: self._on_pain_after,
            Phase.STEP_DOWN: self._on_step_down,
            Phase.LEVEL_UP: self._on_level_up,
            Phase.SUMMARY: self._on_summary,
        }

    @property
    def busy(self) -> bool:  # type: ignore[override]
        return self.phase in (Phase.COUNTDOWN, Phase.PAIN_AFTER, Phase.LEVEL_UP)

    # -- input ------------------------------------------------------------------------
    def press(self, key: Key) -> Activity | None:
        if key is Key.BACK_HELD and self.phase is not Phase.COUNTDOWN:
            key = Key.BACK  # a long press outside the countdown is just "back"
        return self._handlers[self.phase](key)

    def _on_area(self, key: Key) -> Activity | None:
        if key in MOVES:
            self.area_index = step_list(self.area_index, key, len(self.profile.areas))
        elif key is Key.SELECT:
            self._go(Phase.TECHNIQUE)
            if self.graded:
                rungs = self.ladder()
                self.technique_id = rungs[min(self.current_rung(), len(rungs) - 1)]
        elif key is Key.BACK:
            return HOME
        return None

    def _on_technique(self, key: Key) -> Activity | None:
        choices = self.technique_choices()
        index = choices.index(self.technique_id) if self.technique_id in choices else 0
        if key in MOVES:
            self.technique_id = choices[step_list(index, key, len(choices))]
        elif key is Key.SELECT:
            self.technique_id = choices[index]
            if self._below_level():
                self._step_down_choice = 0
                self._go(Phase.STEP_DOWN)
            else:
                self._after_technique()
        elif key is Key.BACK:
            self._go(Phase.AREA)
        return None

    def _after_technique(self) -> None:
        if self.technique.safety:
            self._safety_page = 0
            self._go(Phase.SAFETY)
        else:
            self._ask_pain_before()

    def _on_step_down(self, key: Key) -> Activity | None:
        """"Stay on the lower level?": the first answer (selected) is "just this time"; a
        single easier session never changes the level by itself."""
        if key in MOVES:
            self._step_down_choice = 1 - self._step_down_choice
        elif key is Key.SELECT:
            if self._step_down_choice == 1:
                self._set_rung(self.ladder().index(self.technique_id), RungReason.STEPPED_DOWN)
            self._after_technique()
        elif key is Key.BACK:
            self._go(Phase.TECHNIQUE)
        return None

    def _below_level(self) -> bool:
        ladder = self.ladder() if self.graded else ()
        return self.technique_id in ladder and ladder.index(self.technique_id) < self.current_rung()

    def _on_safety(self, key: Key) -> Activity | None:
        pages = self._note_pages()
        if key is Key.SELECT:
            if self._safety_page + 1 < len(pages):
                self._safety_page += 1  # the whole note is read before "I understand"
            else:
                self._ask_pain_before()
        elif key is Key.BACK:
            if self._safety_page > 0:
                self._safety_page -= 1
            else:
                self._go(Phase.TECHNIQUE)
        return None

    def _note_pages(self) -> tuple[str, ...]:
        note = self.technique.safety or ""
        return self.ctx.note_pages(note) or (note,)

    def _on_pain_before(self, key: Key) -> Activity | None:
        if key in MOVES:
            self.rating = step_rating(self.rating, key)
        elif key is Key.SELECT:
            self._start_countdown()
        elif key is Key.BACK:
            self._go(Phase.TECHNIQUE)
        return None

    def _on_countdown(self, key: Key) -> Activity | None:
        assert self.countdown is not None
        if self.countdown.finished():
            self._end_countdown(Status.COMPLETED)  # a press at the deadline: it was complete
            return None
        if key is Key.SELECT:
            if self.countdown.paused:
                self.countdown.resume()
                self.ctx.speaker.resume()
            else:
                self.countdown.pause()
                self.ctx.speaker.pause()
                self._checkpoint()
        elif key is Key.BACK:
            self._hint_until = self.ctx.clock() + HINT_SECONDS
        elif key is Key.BACK_HELD:
            self._end_countdown(Status.STOPPED_EARLY)
        return None

    def _on_pain_after(self, key: Key) -> Activity | None:
        # Back does nothing here: the countdown is over and the rating is what is left.
        if key in MOVES:
            self.rating = step_rating(self.rating, key)
        elif key is Key.SELECT:
            assert self.record is not None
            self._save(replace(self.record, pain_after=self.rating))
            self._go(Phase.LEVEL_UP if self._may_move_up() else Phase.SUMMARY)
        return None

    def _on_level_up(self, key: Key) -> Activity | None:
        if key is Key.SELECT:
            self._set_rung(self.current_rung() + 1, RungReason.MOVED_UP)
            self._go(Phase.SUMMARY)
        elif key is Key.BACK:
            self._go(Phase.SUMMARY)
        return None

    def _on_summary(self, key: Key) -> Activity | None:
        return HOME

    # -- time -------------------------------------------------------------------------
    def tick(self) -> Activity | None:
        now = self.ctx.clock()
        if self.phase is Phase.COUNTDOWN:
            return self._countdown_tick(now)
        if self.phase is Phase.SUMMARY and now - self._phase_since >= SUMMARY_SECONDS:
            return HOME
        if self.phase is Phase.PAIN_AFTER and now - self._phase_since >= RATING_LIMIT_SECONDS:
            log.info("no pain-after rating given: the session stays saved without it")
            return HOME
        if self.phase is Phase.LEVEL_UP and now - self._phase_since >= RATING_LIMIT_SECONDS:
            return HOME  # no answer: stay at this level
        return None

    def _countdown_tick(self, now: float) -> Activity | None:
        countdown = self.countdown
        assert countdown is not None
        if countdown.finished():
            self._end_countdown(Status.COMPLETED)
            return None
        if countdown.paused_for() >= PAUSE_LIMIT_SECONDS:
            log.info("session paused for %d min: ended as stopped early", PAUSE_LIMIT_SECONDS // 60)
            self._end_countdown(Status.STOPPED_EARLY)
            return HOME
        active = countdown.active()
        marks = countdown.marks()
        heard = sum(1 for mark, _ in marks if active >= mark)
        if heard > self._heard:
            # After a stall only the latest mark is played: one cue, never a burst.
            offset, cue = marks[heard - 1]
            self.ctx.play(cue)
            self.ctx.speaker.mark(now, cue, self.technique, countdown.step_at(offset), text.VOICE_HALF)
            self._heard = heard
        if now >= self._next_checkpoint and not countdown.paused:
            self._checkpoint()
        return None

    def next_change_in(self) -> float | None:
        now = self.ctx.clock()
        waits: list[float] = []
        if self.phase is Phase.COUNTDOWN and self.countdown is not None:
            until = self.countdown.until_next_change()
            if until is None:
                waits.append(PAUSE_LIMIT_SECONDS - self.countdown.paused_for())
            else:
                waits += [until, self._next_checkpoint - now]
            if self._hint_until > now:
                waits.append(self._hint_until - now)
        elif self.phase is Phase.SUMMARY:
            waits.append(self._phase_since + SUMMARY_SECONDS - now)
        elif self.phase in (Phase.PAIN_AFTER, Phase.LEVEL_UP):
            waits.append(self._phase_since + RATING_LIMIT_SECONDS - now)
        return max(0.0, min(waits)) if waits else None

    def leave(self) -> None:
        """Switched away mid-countdown (never by the controller today, but safe): the
        session ends as stopped early rather than staying in progress."""
        if self.phase is Phase.COUNTDOWN:
            self._end_countdown(Status.STOPPED_EARLY)
        self.ctx.speaker.silence()

    # -- what to show -----------------------------------------------------------------
    def view(self) -> View:
        phase = self.phase
        if phase is Phase.AREA:
            items = tuple(ListItem(a.name) for a in self.profile.areas)
            return ChoiceView("area", items, self.area_index)
        if phase is Phase.TECHNIQUE:
            return self._technique_view()
        if phase is Phase.SAFETY:
            pages = self._note_pages()
            page = min(self._safety_page, len(pages) - 1)
            return SafetyView(self.technique.name, pages[page], page + 1, len(pages))
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
            return self._countdown_view()
        if phase is Phase.STEP_DOWN:
            return ConfirmView(text.STEP_DOWN_TITLE, text.step_down_body(self.technique.name, self.area.name),
                               (text.STEP_DOWN_ONCE, text.STEP_DOWN_STAY), self._step_down_choice)
        if phase is Phase.LEVEL_UP:
            rungs = self.ladder()
            step = self.current_rung() + 1
            return LevelUpView(
                self.area.name, self.technique.name, self.profile.technique(rungs[step]).name, step + 1, len(rungs)
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
            saved=self.ctx.practice.saved,
            counted=bool(record.counted),
            capped=self.capped and record.status is Status.COMPLETED,
        )

    def _technique_view(self) -> ChoiceView:
        items: list[ListItem] = []
        selected = 0
        if self.graded:
            current = self.current_rung()
            for rung, technique_id in enumerate(self.technique_choices()):
                technique = self.profile.technique(technique_id)
                note = text.YOUR_LEVEL if rung == current else text.level(rung + 1)
                if technique_id == self.technique_id:
                    selected = len(items)
                items.append(ListItem(technique.name, flagged=bool(technique.safety), note=note))
        else:
            for header, technique in self._grouped():
                if header:
                    items.append(ListItem(text.GROUP_NAMES[header.value], header=True))
                if technique.id == self.technique_id:
                    selected = len(items)
                items.append(ListItem(technique.name, flagged=bool(technique.safety)))
        return ChoiceView("technique", tuple(items), selected, subtitle=self.area.name)

    def _countdown_view(self) -> CountdownView:
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
            hint=self._hint_until > self.ctx.clock(),
        )

    # -- the prescription -------------------------------------------------------------
    @property
    def graded(self) -> bool:
        return self.profile.mode is Mode.GRADED

    @property
    def area(self):
        return self.profile.areas[self.area_index]

    @property
    def technique(self) -> Technique:
        return self.profile.technique(self.technique_id)

    def planned_seconds(self) -> float:
        """The prescribed duration, ended early by the technique's own cap (the ice rub's
        five minutes): safety before the prescription."""
        planned = self.profile.session.duration_seconds
        cap = self.technique.max_duration_seconds
        return min(planned, cap) if cap else planned

    def counts_after(self) -> float:
        """Active seconds a session needs to count: session.counts_after, capped at the
        planned duration (a 2-minute prescription counts at 2 minutes)."""
        return min(self.profile.session.counts_after_seconds, self.planned_seconds())

    @property
    def capped(self) -> bool:
        return self.planned_seconds() < self.profile.session.duration_seconds

    def ladder(self) -> tuple[str, ...]:
        return self.profile.ladder_for(self.area.id)

    def current_rung(self) -> int:
        """The area's rung, read once per area (views are built on every turn of the loop)."""
        area = self.area.id
        if area not in self._rungs:
            self._rungs[area] = self.ctx.rung(area)
        return min(self._rungs[area], len(self.ladder()) - 1)

    def _set_rung(self, rung: int, reason: RungReason) -> None:
        self.ctx.move_rung(self.area.id, rung, reason)
        self._rungs[self.area.id] = rung

    def technique_choices(self) -> list[str]:
        """Technique ids offered: every one, grouped (firm), or the ladder up to the
        current rung (graded: the patient can always step down)."""
        if self.graded:
            return list(self.ladder()[: self.current_rung() + 1])
        return [t.id for _, t in self._grouped()]

    def _grouped(self) -> list[tuple[Group | None, Technique]]:
        """Techniques in list order, grouped; each group's first carries its heading."""
        items: list[tuple[Group | None, Technique]] = []
        for group in Group:
            members = [t for t in self.profile.techniques if t.group is group]
            items += [(group if i == 0 else None, t) for i, t in enumerate(members)]
        return items

    def _may_move_up(self) -> bool:
        """Graded: the clinician's rule, not one lucky session: the last `move_up_after`
        sessions on this area were all on the current rung, completed, counted, and the
        pain after was not above the pain before."""
        record = self.record
        if not self.graded or record is None:
            return False
        ladder = self.ladder()
        rung = self.current_rung()
        if rung + 1 >= len(ladder) or ladder[rung] != record.technique:
            return False
        needed = self.ctx.config.graded.move_up_after
        recent = self.ctx.practice.recent_sessions(self.profile.name, self.area.id, needed)
        recent = [record] + [r for r in recent if r.started_at != record.started_at][: needed - 1]
        return len(recent) >= needed and all(_went_well(r, ladder[rung]) for r in recent)

    # -- steps ------------------------------------------------------------------------
    def _go(self, phase: Phase) -> None:
        self.phase = phase
        self._phase_since = self.ctx.clock()

    def _ask_pain_before(self) -> None:
        last = self.ctx.practice.last_rating(self.profile.name, self.area.id)
        self.rating = last if last is not None else 0
        self._go(Phase.PAIN_BEFORE)

    def _start_countdown(self) -> None:
        technique = self.technique
        self.ctx.remember(area=self.area_index, technique=technique.id)
        planned = self.planned_seconds()
        self.countdown = Countdown(planned, technique.steps, self.ctx.clock)
        self._heard = 0
        self._hint_until = 0.0
        self._next_checkpoint = self.ctx.clock() + CHECKPOINT_SECONDS
        self._save(
            SessionRecord(
                profile=self.profile.name,
                area=self.area.id,
                technique=technique.id,
                planned_seconds=round(planned),
                started_at=self.ctx.now(),
                pain_before=self.rating,
                clock_synced=self.ctx.clock_synced(),
            )
        )
        self._go(Phase.COUNTDOWN)
        self.ctx.play(Cue.START)
        self.ctx.speaker.start(self.ctx.clock(), technique)

    def _checkpoint(self) -> None:
        assert self.countdown is not None and self.record is not None
        self._next_checkpoint = self.ctx.clock() + CHECKPOINT_SECONDS
        self._save(replace(self.record, active_seconds=self.countdown.active()))

    def _end_countdown(self, status: Status) -> None:
        countdown, record = self.countdown, self.record
        assert countdown is not None and record is not None
        ended_at = self.ctx.now()
        if status is Status.COMPLETED:
            # The loop may wake after the deadline; the session ended at the deadline.
            overshoot = max(0.0, self.ctx.clock() - countdown.deadline)
            ended_at = ended_at - timedelta(seconds=overshoot)
        active = countdown.active()
        counted = active >= self.counts_after() - 1e-6
        self._save(replace(record, status=status, ended_at=ended_at, active_seconds=active, counted=counted))
        self.ctx.play(Cue.END)
        if status is Status.COMPLETED:
            self.ctx.speaker.end(self.ctx.clock(), voice_lines.end_line(text.VOICE_END, self.area.name))
        else:
            self.ctx.speaker.silence()  # stopped early or paused too long: no "All done"
        self.rating = record.pain_before if record.pain_before is not None else 0
        self._go(Phase.PAIN_AFTER)

    def _save(self, record: SessionRecord) -> None:
        self.record = record
        self.ctx.practice.record(record)


def _went_well(record: SessionRecord, technique: str) -> bool:
    """One session that speaks for moving up: on that rung, completed, counted, and the
    pain after not above the pain before."""
    return (
        record.technique == technique
        and record.status is Status.COMPLETED
        and bool(record.counted)
        and record.pain_before is not None
        and record.pain_after is not None
        and record.pain_after <= record.pain_before
    )
