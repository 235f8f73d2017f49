"""A pain check-in outside a session: rate 0-10, say where (optional), saved, with a few
seconds to undo a press made by mistake. Opened from home with one press, or by a prompt."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from kiosk import text
from kiosk.activities.base import HOME, MOVES, Activity, step_list, step_rating
from kiosk.events import Key
from kiosk.model import CheckinRecord
from kiosk.views import CheckinSavedView, ChoiceView, ListItem, RatingView, View

if TYPE_CHECKING:
    from kiosk.activities.context import Context

SAVED_SECONDS = 5.0  # how long "Saved" (and its undo) stays before going home
UNDO_GRACE_SECONDS = 3.0  # back held at the end of that: wait this long more for its release


class Stage(Enum):
    """Where a check-in is: rating, then (maybe) where, then saved with its undo."""

    RATING = "rating"
    WHERE = "where"
    SAVED = "saved"


class Checkin(Activity):
    """One check-in. A prompted one that is not answered (timeout, back, or left for any
    other reason) is recorded as missed, so a clinician sees prompt compliance."""

    def __init__(self, ctx: Context, prompted: bool = False):
        super().__init__(ctx)
        self.prompted = prompted
        self.stage = Stage.RATING
        last = ctx.practice.last_checkin_rating(ctx.profile.name)
        self.rating = last if last is not None else 0
        self.where = 0  # 0 = no particular place, else 1 + index into the areas
        self.record: CheckinRecord | None = None
        self._since = ctx.clock()
        self._touched = False

    @property
    def attention(self) -> bool:  # type: ignore[override]
        return self.prompted and not self._touched

    def press(self, key: Key) -> Activity | None:
        self._touched = True
        if self.stage is Stage.RATING:
            if key in MOVES:
                self.rating = step_rating(self.rating, key)
            elif key is Key.SELECT:
                if self.ctx.config.checkins.ask_area:
                    self._go(Stage.WHERE)
                else:
                    self._save()
            elif key in (Key.BACK, Key.BACK_HELD):
                self.leave()
                return HOME
        elif self.stage is Stage.WHERE:
            if key in MOVES:
                self.where = step_list(self.where, key, len(self.ctx.profile.areas) + 1)
            elif key is Key.SELECT:
                self._save()
            elif key in (Key.BACK, Key.BACK_HELD):
                self._go(Stage.RATING)
        elif key in (Key.BACK, Key.BACK_HELD):
            assert self.record is not None
            self.ctx.practice.undo(self.record)
            self.record = None
            return HOME
        else:
            return HOME
        return None

    def tick(self) -> Activity | None:
        now = self.ctx.clock()
        if self.stage is Stage.SAVED and now - self._since >= SAVED_SECONDS:
            if self._undo_pressed() and now - self._since < SAVED_SECONDS + UNDO_GRACE_SECONDS:
                return None  # back went down in time: its release (or hold) is the undo
            return HOME
        if self.attention and now - self._since >= self.ctx.config.checkins.prompt_timeout_seconds:
            self.leave()
            return HOME
        return None

    def next_change_in(self) -> float | None:
        now = self.ctx.clock()
        if self.stage is Stage.SAVED:
            end = SAVED_SECONDS + (UNDO_GRACE_SECONDS if self._undo_pressed() else 0.0)
            return max(0.0, self._since + end - now)
        if self.attention:
            return max(0.0, self._since + self.ctx.config.checkins.prompt_timeout_seconds - now)
        return None

    def _undo_pressed(self) -> bool:
        """Back is down on the "Saved" screen: a press made while undo was offered counts,
        even when it is let go just after (back acts on its release)."""
        return self.record is not None and self.ctx.button_down("back")

    def leave(self) -> None:
        """Switched away (sleep, a reminder, a timeout): a rating already given with select
        is kept, without a place when "where?" was not answered; a prompt never answered is
        recorded as missed."""
        if self.record is None and self.stage is Stage.WHERE:
            self.where = 0
            self._save()
            return
        if self.prompted and self.record is None and self.stage is not Stage.SAVED:
            self.ctx.practice.record(CheckinRecord(self.ctx.profile.name, self.ctx.now(), None, prompted=True,
                                                 status="missed"))
            self.stage = Stage.SAVED  # recorded once, whatever happens next

    def view(self) -> View:
        if self.stage is Stage.RATING:
            return RatingView("checkin", self.rating, "", "")
        areas = self.ctx.profile.areas
        if self.stage is Stage.WHERE:
            items = (ListItem(text.NO_PARTICULAR_PLACE),) + tuple(ListItem(a.name) for a in areas)
            return ChoiceView("checkin_area", items, self.where)
        assert self.record is not None
        area = areas[self.where - 1].name if self.where else None
        local = self.record.at.astimezone(self.ctx.tz)
        return CheckinSavedView(self.record.rating or 0, local.strftime("%H:%M"), area)

    def _go(self, stage: Stage) -> None:
        self.stage = stage
        self._since = self.ctx.clock()

    def _save(self) -> None:
        areas = self.ctx.profile.areas
        self.record = CheckinRecord(
            profile=self.ctx.profile.name,
            at=self.ctx.now(),
            rating=self.rating,
            area=areas[self.where - 1].id if self.where else None,
            prompted=self.prompted,
        )
        self.ctx.practice.record(self.record)
        self._go(Stage.SAVED)
