"""Every word the kiosk shows, in one table marked for gettext so clinics can translate it.

Drawing code and session logic take their words from here and nowhere else. Translations
are looked up as `desens-kiosk.mo` catalogs under `$DESENS_KIOSK_LOCALEDIR` (or the
package's `locale/` folder) for the language in `$LANGUAGE`/`$LANG`; without a catalog the
English below is used.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "desens-kiosk"
_localedir = os.environ.get("DESENS_KIOSK_LOCALEDIR") or str(Path(__file__).parent / "locale")
_translation = gettext.translation(DOMAIN, _localedir, fallback=True)
_ = _translation.gettext
ngettext = _translation.ngettext

# -- home -------------------------------------------------------------------------------
APP_TITLE = _("DESENS practice")
PRESS_SELECT_TO_START = _("Press select to start")
TREATMENT_NOTE = _("DESENS is one part of your treatment. When in doubt, ask your therapist.")
WEEKDAYS = (_("Mo"), _("Tu"), _("We"), _("Th"), _("Fr"), _("Sa"), _("Su"))
ALL_DONE_TODAY = _("All done for today. Well done!")


def today_count(done: int, target: int) -> str:
    return _("Today {done} of {target}").format(done=done, target=target)


def days_this_week(days: int) -> str:
    return ngettext("{n} day practised this week", "{n} days practised this week", days).format(n=days)


# -- choosing ---------------------------------------------------------------------------
CHOOSE_AREA = _("Where will you practise?")
CHOOSE_TECHNIQUE = _("Which technique?")
GROUP_NAMES = {
    "texture": _("Texture"),
    "pressure": _("Pressure"),
    "temperature": _("Temperature"),
}
LIST_KEYS = _("up/down: choose   select: OK   back: go back")
SAFETY_TITLE = _("Safety first")
SAFETY_KEYS = _("select: I understand   back: choose another")

# -- rating -----------------------------------------------------------------------------
PAIN_BEFORE_TITLE = _("How much does it hurt now?")
PAIN_AFTER_TITLE = _("How much does it hurt now?")
PAIN_BEFORE_STEP = _("Before you start")
PAIN_AFTER_STEP = _("After the session")
NO_PAIN = _("no pain")
WORST_PAIN = _("worst pain")
RATING_KEYS = _("up/down: change   select: save")
RATING_KEYS_BACK = _("up/down: change   select: save   back: go back")
# A word for each pain level 0..10, shown under the number.
PAIN_WORDS = (
    _("no pain"),
    _("very mild"),
    _("mild"),
    _("mild"),
    _("moderate"),
    _("moderate"),
    _("moderate"),
    _("severe"),
    _("severe"),
    _("very severe"),
    _("worst pain"),
)

# -- countdown --------------------------------------------------------------------------
PAUSED = _("Paused")
PAUSE_KEYS = _("select: pause   hold back: stop")
RESUME_KEYS = _("select: go on   hold back: stop")
HOLD_BACK_TO_STOP = _("Hold back to stop early")


def step_of(step: int, steps: int) -> str:
    return _("Step {step} of {steps}").format(step=step, steps=steps)


def session_line(area: str, technique: str) -> str:
    """The chosen area and technique on one line, e.g. "Left leg · Towel rub"."""
    return _("{area} · {technique}").format(area=area, technique=technique)


# Shown on the pain-after screen when the session was stopped with the back button.
STOPPED_EARLY_NOTE = _("You stopped early. That's OK.")


# -- summary ----------------------------------------------------------------------------
SAVED = _("Saved")
NOT_SAVED = _("Not saved: see the message below")
COMPLETED = _("Well done! Session complete.")
STOPPED_EARLY = _("Stopped early. That's OK, it still counts.")
INTERRUPTED = _("The session was interrupted.")
NOT_RATED = _("not rated")
BEFORE = _("before")
AFTER = _("after")
SUMMARY_KEYS = _("press any button to go home")
# Ends a text that had to be cut short to fit the screen (the last resort).
ELLIPSIS = _("…")


def minutes_done(seconds: int) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return _("{m}:{s:02d} practised").format(m=minutes, s=secs)


# -- notices (problems the person or a parent should know about) -------------------------
def config_problem(count: int, first: str) -> str:
    return ngettext(
        "Settings file has a problem, using the standard settings: {first}",
        "Settings file has {n} problems, using the standard settings. First: {first}",
        count,
    ).format(n=count, first=first)


def storage_problem(reason: str) -> str:
    return _("Sessions cannot be saved right now ({reason}). Please tell a grown-up or your therapist.").format(
        reason=reason
    )


NO_SOUND = _("No sound device found: sound cues are off.")


def database_moved(name: str) -> str:
    return _("The session file was damaged. It was kept as {name} and a new one started.").format(name=name)


BUTTON_NAMES = {"up": _("up"), "down": _("down"), "select": _("select"), "back": _("back")}


def stuck_button(names: list[str]) -> str:
    shown = ", ".join(BUTTON_NAMES.get(n, n) for n in names)
    return ngettext(
        "The {names} button seems stuck down. Check it or its cable.",
        "These buttons seem stuck down: {names}. Check them or their cables.",
        len(names),
    ).format(names=shown)


# Why the session file cannot be used (kiosk.store gives these as reasons).
DISK_FULL = _("the disk is full")
DB_LOCKED = _("the database is locked by another program")
READ_ONLY = _("the data folder is read-only")
DB_DAMAGED = _("the database file is damaged")
DB_NEWER = _("the database was written by a newer desens-kiosk")
