"""Which screen draws which view: one table for the renderer and for the touch layout."""

from __future__ import annotations

import pygame

from kiosk.render.screens import (
    checkin,
    choice,
    code,
    confirm,
    countdown,
    history,
    home,
    info,
    levelup,
    message,
    rating,
    reminder,
    report_view,
    safety,
    summary,
)
from kiosk.render.widgets import Canvas
from kiosk.views import (
    CheckinSavedView,
    ChoiceView,
    CodeView,
    ConfirmView,
    CountdownView,
    HistoryView,
    HomeView,
    InfoView,
    LevelUpView,
    MessageView,
    RatingView,
    ReminderView,
    ReportView,
    SafetyView,
    SummaryView,
    View,
)

SCREENS = {
    HomeView: home.draw,
    ChoiceView: choice.draw,
    SafetyView: safety.draw,
    RatingView: rating.draw,
    CountdownView: countdown.draw,
    SummaryView: summary.draw,
    ReminderView: reminder.draw,
    CheckinSavedView: checkin.draw,
    LevelUpView: levelup.draw,
    HistoryView: history.draw,
    CodeView: code.draw,
    MessageView: message.draw,
    ReportView: report_view.draw,
    ConfirmView: confirm.draw,
    InfoView: info.draw,
}
TOUCH_ROWS = (ChoiceView, ConfirmView)  # screens whose rows grow to a finger's height when touched


def draw_view(c: Canvas, rect: pygame.Rect, view: View, touch: bool = False) -> None:
    """Draw `view` into `rect` with its own screen; nothing for a view without one."""
    draw = SCREENS.get(type(view))
    if draw is None or rect.h <= 0:
        return
    if touch and isinstance(view, TOUCH_ROWS):
        draw(c, rect, view, touch=True)
    else:
        draw(c, rect, view)
