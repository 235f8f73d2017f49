"""Every word the kiosk shows, in one table marked for gettext so clinics can translate it.

Drawing code and session logic take their words from here and nowhere else, as `text.NAME`
or `text.function(...)` read when they are needed. `use("es")` switches the whole table to
another language at run time (a clinic station may have profiles in both): the definitions
below run again with that language's catalog. Catalogs are kiosk/locale/LANG/LC_MESSAGES/
desens-kiosk.mo (the wheel) or .po (a checkout, compiled in memory), see kiosk.i18n; a
string without a translation, and English itself, use the English below.
"""

from __future__ import annotations

import importlib
import sys

from kiosk import i18n
from kiosk.model import StorageProblem

DOMAIN = i18n.DOMAIN
_translation = i18n.translation()
_ = _translation.gettext
ngettext = _translation.ngettext


def use(language: str) -> None:
    """Speak `language` ("en", "es", "es_US"...) from now on: every constant of this table is
    defined again in it and every function answers in it. Raises ValueError for a language
    without a catalog (kiosk.i18n.available())."""
    if i18n.set_current(language):
        importlib.reload(sys.modules[__name__])


def language() -> str:
    """The language the table speaks now ("en" until `use` says otherwise)."""
    return i18n.current()


def languages() -> tuple[str, ...]:
    """English and every language with a catalog, e.g. ("en", "es")."""
    return i18n.available()


# -- home -------------------------------------------------------------------------------
APP_TITLE = _("DESENS practice")
PRESS_SELECT_TO_START = _("Press select to start")
TREATMENT_NOTE = _("DESENS is one part of your treatment. When in doubt, ask your therapist.")
WEEKDAYS = (_("Mo"), _("Tu"), _("We"), _("Th"), _("Fr"), _("Sa"), _("Su"))
ALL_DONE_TODAY = _("All done for today. Well done!")


# The keys home offers besides select (one press each: a check-in must be one press away).
HOME_CHECKIN_KEYS = _("up/down: how is your pain?")
HOME_HISTORY_KEYS = _("back: your progress")
# Small, on home, while the wall clock has not been set (no network, no RTC battery).
CLOCK_NOT_SET = _("clock not set")

# -- touch buttons (display.touch): short words on buttons a finger presses ---------------
TOUCH_START = _("Start")
TOUCH_BACK = _("Back")
TOUCH_SAVE = _("Save")
TOUCH_PAUSE = _("Pause")
TOUCH_GO_ON = _("Go on")
TOUCH_STOP = _("Hold to stop")
TOUCH_OK = _("OK")
TOUCH_NEXT = _("Next")
TOUCH_UNDERSTAND = _("I understand")
TOUCH_LATER = _("Later")
TOUCH_YES = _("Yes, move up")
TOUCH_NOT_YET = _("Not yet")
TOUCH_PAIN = _("My pain")
TOUCH_PROGRESS = _("My progress")
TOUCH_SAVED_HERE = _("What is saved?")
TOUCH_HOME = _("Home")
TOUCH_UNDO = _("Undo")
TOUCH_UP = _("Up")
TOUCH_DOWN = _("Down")


def profile_title(name: str) -> str:
    """Home's top line when several people share the kiosk: the nickname, never a full name."""
    return _("{name} · DESENS practice").format(name=name)


def today_count(done: int, target: int) -> str:
    return _("Today {done} of {target}").format(done=done, target=target)


def days_this_week(days: int) -> str:
    return ngettext("{n} day practised this week", "{n} days practised this week", days).format(n=days)


# -- choosing ---------------------------------------------------------------------------
CHOOSE_AREA = _("Where does it hurt most today?")
CHOOSE_TECHNIQUE = _("Which technique?")
GROUP_NAMES = {
    "texture": _("Texture"),
    "pressure": _("Pressure"),
    "temperature": _("Temperature"),
}
CHOOSE_PROFILE = _("Who is practising?")
CHOOSE_CHECKIN_AREA = _("Where does it hurt?")
LIST_KEYS = _("up/down: choose   select: OK   back: go back")
SAFETY_TITLE = _("Safety first")
SAFETY_KEYS = _("select: I understand   back: choose another")
# A safety note too long for one screen is shown a page at a time, read whole before
# "I understand"; back goes a page back (from the first page: choose another technique).
SAFETY_FIRST_PAGE_KEYS = _("select: next   back: choose another")
SAFETY_NEXT_KEYS = _("select: next   back: go back")
SAFETY_LAST_KEYS = _("select: I understand   back: go back")


def page_of(page: int, pages: int) -> str:
    return _("page {page} of {pages}").format(page=page, pages=pages)


# -- rating -----------------------------------------------------------------------------
PAIN_BEFORE_STEP = _("Before you start")
PAIN_AFTER_STEP = _("After the session")
# The 0-10 numeric rating scale as validated: the numbers and these two end anchors, no
# category words ("mild", "severe"...); the same anchors on every screen and in the report.
NO_PAIN = _("no pain")
WORST_PAIN = _("worst pain you can imagine")
RATING_KEYS = _("up/down: change   select: save")
RATING_KEYS_BACK = _("up/down: change   select: save   back: go back")


def in_sentence(name: str) -> str:
    """A name inside a sentence: "Left leg" -> "left leg" (a first word in capitals, such
    as "TENS site", keeps them)."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return name
    return name[:1].lower() + name[1:]


def pain_question(area: str = "") -> str:
    """The one question of a session's ratings, before and after, naming the area:
    "How much does your left leg hurt right now?"."""
    if not area:
        return _("How much does it hurt right now?")
    return _("How much does your {area} hurt right now?").format(area=in_sentence(area))


# A pain check-in outside a session.
CHECKIN_STEP = _("Pain check-in")
CHECKIN_TITLE = _("How much pain do you have right now?")
CHECKIN_KEYS = _("up/down: change   select: save   back: cancel")
CHECKIN_UNDO_KEYS = _("back: undo")


def checkin_saved(rating: int, at: str) -> str:
    """E.g. "Saved: 5 at 14:02" (`at` is the local time of day, already formatted)."""
    return _("Saved: {rating} at {at}").format(rating=rating, at=at)


# -- countdown --------------------------------------------------------------------------
PAUSED = _("Paused")
PAUSE_KEYS = _("select: pause   hold back: stop")
RESUME_KEYS = _("select: go on   hold back: stop")
# Shown after a short press of back, when a child may be tempted to stop: how to stop
# (always easy), and, calmly, that pain rising at first is expected and harmless.
HOLD_BACK_TO_STOP = _("Hold back to stop. Pain can rise at first: that's your nerves retraining, and it does no harm.")


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
STOPPED_EARLY = _("Stopped early. That's OK: this one counts.")
INTERRUPTED = _("The session was interrupted.")
# A session shorter than session.counts_after: the truth, kindly; never "it still counts".
NOT_COUNTED = _("It was too short to be counted for today.")
PAIN_MAY_RISE = _("Pain can rise at first: that's your nerves retraining, and it does no harm.")


def stopped_short(seconds: int) -> str:
    """How a session stopped before it counted ended, with the time done."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return _("You stopped after {m}:{s:02d}. That's OK. A short one like this is not counted for today.").format(
        m=minutes, s=secs
    )


NOT_RATED = _("not rated")
BEFORE = _("before")
AFTER = _("after")
SUMMARY_KEYS = _("press any button to go home")
# Ends a text that had to be cut short to fit the screen (the last resort).
ELLIPSIS = _("…")


def minutes_done(seconds: int) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return _("{m}:{s:02d} practised").format(m=minutes, s=secs)


# -- reminders ------------------------------------------------------------------------
REMINDER_TITLE = _("Time for your DESENS practice")
REMINDER_START_KEYS = _("select: start")
REMINDER_LATER_KEYS = _("back: remind me later")

# -- graded practice: moving up the ladder ------------------------------------------------
LEVEL_UP_TITLE = _("That felt OK!")
LEVEL_UP_QUESTION = _("Move up to the next level?")
LEVEL_UP_YES_KEYS = _("select: yes, move up")
LEVEL_UP_NO_KEYS = _("back: not yet")


def level_of(level: int, levels: int) -> str:
    return _("level {level} of {levels}").format(level=level, levels=levels)


# -- history (progress) -------------------------------------------------------------------
HISTORY_TITLE = _("Your progress")
HISTORY_KEYS = _("select: what is saved here   back: home")
SAVED_HERE_TITLE = _("What is saved here?")


def saved_here(keep_days: int | None) -> tuple[str, ...]:
    """The plain lines of "What is saved here?", for a child and a parent."""
    kept = (ngettext("Each day is kept for {n} day, then deleted.", "Each day is kept for {n} days, then deleted.",
                     keep_days).format(n=keep_days) if keep_days else _("It is kept until your therapist deletes it."))
    return (
        _("What you do: when you practised, which area, which technique, your pain numbers, and prompts you missed."),
        _("Where: only on this kiosk. Nothing is sent anywhere: it has no internet."),
        kept,
        _("Who can see it: your therapist, with a code, to see how practice is going."),
    )
SESSIONS_A_DAY = _("Sessions a day")
PAIN_CHART_TITLE = _("Pain 0-10")
TARGET = _("target")
TARGET_MET = _("target reached")
TARGET_NOT_MET = _("below target")
CHECKIN = _("check-in")
# The report's mark under a day whose sessions were started before the clock was set.
UNSYNCED_DAY = _("date may be wrong: the kiosk's clock was not set")
# Short month names for dates on charts and the report.
MONTHS = (
    _("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"),
    _("Jul"), _("Aug"), _("Sep"), _("Oct"), _("Nov"), _("Dec"),
)


def short_date(day) -> str:
    """E.g. "3 Mar" (a chart's x axis)."""
    return _("{day} {month}").format(day=day.day, month=MONTHS[day.month - 1])


def long_date(day) -> str:
    """E.g. "3 Mar 2025" (the report's date range)."""
    return _("{day} {month} {year}").format(day=day.day, month=MONTHS[day.month - 1], year=day.year)


def date_time(moment) -> str:
    """E.g. "3 Mar 2025 14:02"."""
    return _("{day} {time}").format(day=long_date(moment), time=moment.strftime("%H:%M"))


def last_days(n: int) -> str:
    return ngettext("last {n} day", "last {n} days", n).format(n=n)


# -- the clinician's menu -------------------------------------------------------------------
CLINICIAN_TITLE = _("Clinician")
CODE_TITLE = _("Clinician code")
CODE_HINT = _("Enter the code with the buttons")
CODE_LOCKED_BODY = _("Too many wrong codes. Presses are not counted until then.")
MESSAGE_KEYS = _("press any button to go back")
# A question with the safe answer selected first (back is the same as the safe answer).
CONFIRM_KEYS = _("up/down: choose   select: OK   back: cancel")


def code_locked(minutes: int) -> str:
    """The code entry after too many wrong codes, e.g. "Locked for 5 more minutes"."""
    return ngettext("Locked for {n} more minute", "Locked for {n} more minutes", minutes).format(n=minutes)

REPORT_KEYS = _("back: close")

# -- the clinician's report -------------------------------------------------------------
REPORT_TITLE = _("DESENS practice report")
SAMPLE_DATA = _("Sample data: not a real patient's record")
SAMPLE_DATA_SHORT = _("sample data")
NO_SESSIONS = _("No sessions in this period")
NO_PAIN_RATINGS = _("No pain ratings in this period")
SESSIONS = _("Sessions")
COMPLETED_COUNT = _("Completed")
STOPPED_EARLY_COUNT = _("Stopped early")
INTERRUPTED_COUNT = _("Interrupted")
ADHERENCE = _("Adherence")
PAIN_OVER_TIME = _("Pain before and after sessions (mean per day, 0-10)")
PRESCRIPTION = _("Prescription")
NO_PRESCRIPTION = _("Not known: the report was made without the kiosk's settings.")
MODE_FIRM = _("Firm practice: every technique offered for every area")
MODE_GRADED = _("Graded practice: a ladder of techniques for each area")
MODE_FIRM_SHORT = _("Firm practice")
MODE_GRADED_SHORT = _("Graded practice")
COUNTED = _("Counted")
COUNTED_SESSIONS_A_DAY = _("Counted sessions a day")
MINUTES_A_DAY = _("Minutes practised a day")
MINUTES_PRACTISED = _("minutes practised")
# The per-area table: an area's first practice days of the period against its last.
PAIN_BY_AREA = _("Pain by area: its first practice days against its last (mean 0-10, number of ratings in brackets)")
FIRST = _("first")
LAST = _("last")
AREA = _("Area")
TECHNIQUE = _("Technique")
DAYS_COLUMN = _("days")
ALL_TECHNIQUES = _("All techniques")  # the technique x area table's row of totals
ALL_AREAS = _("All areas")  # and its column of totals
OTHER_AREAS = _("other areas")
LEVEL_OVER_PERIOD = _("Level over the period")
MINUTES_BY_TECHNIQUE_AND_AREA = _("Minutes by technique and area")
# The change per technique, in neutral words: a rise can be a technique that challenges.
CHANGE_AFTER_MINUS_BEFORE = _("Pain after minus before, mean per technique")
CHANGE_LOWER = _("after lower than before")
CHANGE_HIGHER = _("after higher than before")
COUNTED_BY_HOUR = _("Counted sessions by the hour they started")
PAIN_BY_HOUR = _("Pain over the day (every rating, mean per hour)")
HOUR_OF_DAY = _("hour of the day")
REPORT_FOOTER = _(
    "DESENS is one part of treatment, next to counselling and aerobic exercise or physical therapy. "
    "Ratings are the patient's own, on the 0-10 numeric scale (0 = no pain, 10 = worst pain you can imagine)."
)


def profile_line(name: str) -> str:
    return _("Profile: {name}").format(name=name)


def date_span(first, last) -> str:
    """E.g. "1 Mar 2025 to 28 Mar 2025"."""
    return _("{first} to {last}").format(first=long_date(first), last=long_date(last))


def date_range(first, last, days: int) -> str:
    return ngettext("{first} to {last} ({n} day)", "{first} to {last} ({n} days)", days).format(
        first=long_date(first), last=long_date(last), n=days
    )


def percent(value: float) -> str:
    """A share 0..1 as a whole percentage, e.g. "86%"."""
    return _("{pct}%").format(pct=round(max(0.0, value) * 100))


def adherence_note(target: int) -> str:
    return ngettext(
        "of days reached the target of {n} counted session",
        "of days reached the target of {n} counted sessions",
        target,
    ).format(n=target)


def days_practised(days: int, total: int) -> str:
    return ngettext("{n} of {total} day with a session", "{n} of {total} days with a session", total).format(
        n=days, total=total
    )


def minutes_value(minutes: float) -> str:
    return _("{m} min").format(m=round(minutes))


def signed(value: float) -> str:
    """A mean change with its sign, e.g. "-1.4", "+0.3", "0.0"."""
    value = round(value, 1) + 0.0  # no "-0.0"
    return _("{v:+.1f}").format(v=value) if value else _("{v:.1f}").format(v=value)


def sessions_count(n: int) -> str:
    return ngettext("{n} session", "{n} sessions", n).format(n=n)


def and_more(n: int) -> str:
    return ngettext("and {n} more", "and {n} more", n).format(n=n)


def prompt_compliance(answered: int, prompts: int) -> str:
    pct = round(100 * answered / prompts) if prompts else 0
    return ngettext(
        "Answered {n} of {m} check-in prompt ({pct}%)",
        "Answered {n} of {m} check-in prompts ({pct}%)",
        prompts,
    ).format(n=answered, m=prompts, pct=pct)


def hour_label(hour: int) -> str:
    return _("{h}:00").format(h=hour)


def generated_note(when: str) -> str:
    return _("Made by desens-kiosk on {when}. Nicknames only, no full names.").format(when=when)


def mode_name(mode: str, short: bool = False) -> str:
    """The practice the clinician chose (config `mode`), as the report's prescription says it."""
    names = {"firm": (MODE_FIRM, MODE_FIRM_SHORT), "graded": (MODE_GRADED, MODE_GRADED_SHORT)}
    return names[mode][1 if short else 0] if mode in names else mode


def duration_words(seconds: float) -> str:
    """A session's length, e.g. "4 min", "2 min 30 s", "45 s"."""
    minutes, secs = divmod(max(0, round(seconds)), 60)
    if not secs:
        return _("{m} min").format(m=minutes)
    return _("{m} min {s} s").format(m=minutes, s=secs) if minutes else _("{s} s").format(s=secs)


def session_rule(duration_seconds: float, counts_after_seconds: float) -> str:
    return _("{duration} a session, counted from {counts_after}").format(
        duration=duration_words(duration_seconds), counts_after=duration_words(counts_after_seconds)
    )


def daily_rule(target: int, minutes: float) -> str:
    return ngettext("{n} session a day ({m} min)", "{n} sessions a day ({m} min)", target).format(
        n=target, m=round(minutes)
    )


def areas_line(names) -> str:
    return _("Areas: {areas}").format(areas=", ".join(names))


def prescription_line(mode: str, duration_seconds: float, counts_after_seconds: float, target: int) -> str:
    """The prescription on one line (the report on the kiosk's screen), e.g. "Firm practice
    · 4 min, counted from 3 min · 4 a day"."""
    return ngettext(
        "{mode} · {duration}, counted from {counts_after} · {n} a day",
        "{mode} · {duration}, counted from {counts_after} · {n} a day",
        target,
    ).format(
        mode=mode_name(mode, short=True), duration=duration_words(duration_seconds),
        counts_after=duration_words(counts_after_seconds), n=target,
    )


def pain_by_area_short(n: int) -> str:
    """The heading of the per-area table on the kiosk's screen."""
    return ngettext(
        "Pain by area: first and last {n} practice day (mean 0-10)",
        "Pain by area: first and last {n} practice days (mean 0-10)",
        n,
    ).format(n=n)


def counted_label(seconds: float) -> str:
    """The report's count of sessions long enough to count, e.g. "Counted (3 min or more)"."""
    return _("Counted ({time} or more)").format(time=duration_words(seconds))


def prescribed_minutes(minutes: float) -> str:
    return _("prescribed: {m} min a day").format(m=round(minutes))


def first_practice_days(n: int) -> str:
    return ngettext("First {n} practice day", "First {n} practice days", n).format(n=n)


def last_practice_days(n: int) -> str:
    return ngettext("Last {n} practice day", "Last {n} practice days", n).format(n=n)


def one_decimal(value: float) -> str:
    return _("{v:.1f}").format(v=round(value, 1) + 0.0)


def mean_and_count(mean: float, n: int) -> str:
    """A mean rating and how many ratings it is of, e.g. "6.4 (14)"."""
    return _("{mean} ({n})").format(mean=one_decimal(mean), n=n)


def level_change(earlier: str, level: str, day) -> str:
    """An area's levels over the report's period, one change added, e.g. "Soft touch, then
    Smooth cloth from 10 Mar"."""
    return _("{earlier}, then {level} from {day}").format(earlier=earlier, level=level, day=short_date(day))


def level_changes_left_out(earlier: str, n: int) -> str:
    """Changes of level not named (the report's room is short), e.g. "Soft touch, then 3 other changes"."""
    return ngettext("{earlier}, then {n} other change", "{earlier}, then {n} other changes", n).format(
        earlier=earlier, n=n
    )


# -- notices (problems the person or a parent should know about) -------------------------
def config_problem(count: int, first: str) -> str:
    return ngettext(
        "Settings file has a problem, using the standard settings: {first}",
        "Settings file has {n} problems, using the standard settings. First: {first}",
        count,
    ).format(n=count, first=first)


def storage_problem(problem: StorageProblem | str) -> str:
    """The notice on the child's screen while sessions cannot be saved: plain words for a
    parent; the reason goes to the log and the clinician's Problems page."""
    return SESSIONS_NOT_SAVED


SESSIONS_NOT_SAVED = _("Sessions aren't being saved. Please tell a parent or your therapist.")
SETTINGS_PROBLEM = _("The settings have a problem, so the kiosk uses the last ones that worked. "
                     "Please tell your therapist.")


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


def buttons_problem(reason: str) -> str:
    return _("The buttons cannot be used ({reason}). Please tell a grown-up or your therapist.").format(
        reason=reason
    )


# Why the session file cannot be used: the words for each StorageProblem code storage raises.
DISK_FULL = _("the disk is full")
DB_LOCKED = _("the database is locked by another program")
READ_ONLY = _("the data folder is read-only")
DB_DAMAGED = _("the database file is damaged")
DB_NEWER = _("the database was written by a newer desens-kiosk")
STORAGE_REASONS = {
    StorageProblem.DISK_FULL: DISK_FULL,
    StorageProblem.LOCKED: DB_LOCKED,
    StorageProblem.READ_ONLY: READ_ONLY,
    StorageProblem.DAMAGED: DB_DAMAGED,
    StorageProblem.NEWER_SCHEMA: DB_NEWER,
    StorageProblem.NO_FOLDER: _("the data folder cannot be created"),
    StorageProblem.CANNOT_MOVE_ASIDE: _("the database file is damaged and cannot be moved aside"),
    StorageProblem.MISSING: _("there is no database file"),
    StorageProblem.NOT_A_FILE: _("the database path is not a file"),
    StorageProblem.UNREADABLE: _("the database file cannot be read"),
    StorageProblem.IN_USE: _("another program is writing to the data folder"),
    StorageProblem.FAILED: _("the database reported an error"),
}


def _storage_code(problem: StorageProblem | str) -> StorageProblem | None:
    try:
        return StorageProblem(problem)
    except ValueError:
        return None


def storage_reason(problem: StorageProblem | str) -> str:
    """The words for a StorageProblem code (or its value); other text is shown as given."""
    code = _storage_code(problem)
    return STORAGE_REASONS[code] if code is not None else str(problem)


def storage_failure(problem: StorageProblem | str, path=None, detail: str = "") -> str:
    """One line for the command line: why the database cannot be used, naming `path` when
    the failure was in opening it, e.g. "no database at /var/lib/desens-kiosk/desens.db"."""
    code = _storage_code(problem)
    if path is None:
        line = storage_reason(problem)
    elif code is StorageProblem.MISSING:
        line = _("no database at {path}").format(path=path)
    elif code is StorageProblem.NOT_A_FILE:
        line = _("{path} is not a database file").format(path=path)
    elif code is StorageProblem.UNREADABLE:
        line = _("cannot read {path}: {detail}").format(path=path, detail=detail or storage_reason(problem))
    else:
        line = _("cannot open {path}: {reason}").format(path=path, reason=storage_reason(problem))
    if code is StorageProblem.FAILED and detail:
        line = _("{line}: {detail}").format(line=line, detail=detail)
    return line


# -- daily life, check-ins, graded practice, the clinician's menu ------------------------
TREATMENT_LINES = (
    _("DESENS is one part of your treatment, with counselling and exercise."),
    _("When in doubt, ask your therapist."),
    _("Moving your body every day helps DESENS work."),
)
LOW_PAIN_LINES = (
    _("A good day? Keep it up on good days too."),
    _("Practising on easy days makes the hard days easier."),
)
YOUR_LEVEL = _("your level")


def level(number: int) -> str:
    return _("level {n}").format(n=number)


NO_PARTICULAR_PLACE = _("No particular place")
CODE_WRONG_TITLE = _("Wrong code")
CODE_WRONG_BODY = _("That was not the clinician code.")
MENU_REPORT = _("Show the report")
MENU_EXPORT = _("Export to a USB drive")
MENU_QUIT = _("Quit to the desktop")
MENU_CLOSE = _("Close")
MENU_SET_LEVEL = _("Set a level")
MENU_PROBLEMS = _("Problems")
MENU_HAND_OVER = _("Hand over to a new patient")
NO_CODE_TITLE = _("No clinician code is set")
NO_CODE_BODY = _("The clinician's menu stays shut until a code is set: see the README.")
QUIT_TITLE = _("Quit to the desktop?")
QUIT_BODY = _("The kiosk stops until it is started again or the Pi restarts.")
QUIT_NO = _("No, keep the kiosk running")
QUIT_YES = _("Yes, quit")
HAND_OVER_TITLE = _("Hand over to a new patient?")
HAND_OVER_BODY = _("Every session, check-in and level on this kiosk will be deleted.")
HAND_OVER_NO = _("No, keep everything")
HAND_OVER_YES = _("Yes, delete everything")
HAND_OVER_TITLE_2 = _("Are you sure?")
HAND_OVER_BODY_2 = _("This cannot be undone. Export first if the record is still needed.")
HAND_OVER_YES_2 = _("Yes, delete it all now")
HAND_OVER_DONE_TITLE = _("Ready for a new patient")
HAND_OVER_DONE_BODY = _("Everything recorded was deleted.")
HAND_OVER_FAILED_TITLE = _("Nothing was deleted")
EXPORT_PERIOD_TITLE = _("Which days?")
EXPORT_HEALTH_DATA = _("The files hold a patient's health data. Use the clinic's drive, not the family's.")
EXPORT_NO = _("No, don't write")
EXPORT_YES = _("Yes, write the files")
PROBLEMS_TITLE = _("Problems")
NO_PROBLEMS = _("Nothing is wrong.")
SET_LEVEL_TITLE = _("Set a level: which area?")
NO_LADDERS = _("No area has a ladder of levels.")
STEP_DOWN_TITLE = _("Stay on the lower level?")
STEP_DOWN_ONCE = _("No, just this time")
STEP_DOWN_STAY = _("Yes, stay on it")


def usb_readme(first, last, tables: list[str], reports: list[str]) -> str:
    """README.txt on the clinician's drive: what the files are, and that they are health data."""
    period = (_("from {first} to {last}").format(first=long_date(first), last=long_date(last)) if first
              else _("everything recorded up to {last}").format(last=long_date(last)))
    lines = [
        _("DESENS practice: an export from a desens-kiosk"),
        "",
        _("These files hold a patient's health data: desensitization sessions and pain ratings,"),
        _("{period}. Keep them as you keep other patient records; delete them from this drive"),
        _("once they are filed."),
        "",
        _("Files:"),
    ]
    lines[3] = lines[3].format(period=period)
    names = {
        "sessions.csv": _("every session: area, technique, minutes, pain before and after (times in UTC)"),
        "checkins.csv": _("pain ratings given outside sessions, and check-in prompts left unanswered"),
        "levels.csv": _("graded practice: each change of level, and why"),
    }
    for name in tables:
        lines.append(f"- {name}: {names.get(name, '')}")
    for name in reports:
        lines.append("- " + _("{png} and {pdf}: the one-page report").format(png=name, pdf=name[:-4] + ".pdf"))
    lines += ["", _("The CSV files open in any spreadsheet; a cell that starts with ' was written so that"),
              _("no spreadsheet runs it as a formula.")]
    return "\n".join(lines) + "\n"


def export_period(days: int | None) -> str:
    if days is None:
        return _("Everything recorded")
    return ngettext("The last {n} day", "The last {n} days", days).format(n=days)


def export_to(label: str, size_bytes: int | None) -> str:
    """ "Write to KINGSTON (14.2 GB)?": the drive named, so the family's stick is not used by mistake."""
    if size_bytes is None:
        return _("Write to {drive}?").format(drive=label)
    return _("Write to {drive} ({size} GB)?").format(drive=label, size=f"{size_bytes / 1e9:.1f}")


def step_down_body(technique: str, area: str) -> str:
    return _("{technique} is below your level for {area}. Make it your level from now on?").format(
        technique=technique, area=area)
REPORT_FAILED_TITLE = _("The report could not be made")
NO_USB_TITLE = _("No USB drive found")
NO_USB_BODY = _("Plug in a USB drive, wait a few seconds, then try again.")
EXPORT_FAILED_TITLE = _("Export failed")
EXPORTING_TITLE = _("Exporting...")
EXPORTING_BODY = _("Writing the sessions and the report to the USB drive. Do not remove it.")


def export_progress(done: int, total: int) -> str:
    return _("Written {done} of {total} files. Do not remove the USB drive.").format(done=done, total=total)


ACTIVITY_FAILED = _("Something went wrong, so we came back home. Your sessions are kept.")
USB_READ_ONLY_TITLE = _("The USB drive is read-only")
USB_READ_ONLY_BODY = _("Check the drive's lock switch, or use another drive.")
USB_FULL_TITLE = _("The USB drive is full")
USB_FULL_BODY = _("Make some room on the drive, or use another drive.")
USB_FAILED_BODY = _("Could not write to the drive: {reason}")
USB_DONE_TITLE = _("Export done")
USB_DONE_BODY = _("{count} files in the folder {folder}. You can remove the drive now.")


# -- the voice: spoken, not shown. Short sentences; {area} is the area's name, which the
# voice says in lower case ("your left leg"). kiosk.voice renders them ahead of time.
VOICE_HALF = _("Half way. Keep going.")
VOICE_END = _("All done. How much does your {area} hurt now?")

# Why there is no voice, for the clinician menu's Problems (keys: kiosk.voice.engines.Why
# values; "off", "sounds_off" and a missing "no_model" under engine auto are not problems).
VOICE_PROBLEMS = {
    "no_model": _("Voice: no voice file is set (voice.model)."),
    "model_missing": _("Voice: the voice file is missing."),
    "model_config_missing": _("Voice: the voice file's .onnx.json is missing."),
    "piper_missing": _("Voice: piper is not installed."),
    "piper_broken": _("Voice: piper does not work with this voice file."),
    "espeak_missing": _("Voice: espeak-ng is not installed."),
    "unknown_engine": _("Voice: the voice engine in the settings is unknown."),
    "no_audio": _("Voice: no sound device."),
    "render_failed": _("Voice: the prompts could not be made. See the log."),
}
