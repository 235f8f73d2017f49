"""Sample frames of every screen and its variants, with made-up data in the bundled
configuration's names and prompts (config/default.yaml): used by scripts/render_screens.py
for the pictures in docs/screens/ and by tests/test_screens.py.
Also sample `ReportData` (empty, one session, N days of made-up practice) for the report's
tests and pictures, worked out from made-up sessions the way the database would."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from kiosk import text
from kiosk.model import REPORT_DAYS, AreaPain, DayStat, PainWindow, Prescription, ReportData, Status
from kiosk.views import (
    CheckinSavedView,
    ChoiceView,
    CodeView,
    ConfirmView,
    CountdownView,
    Frame,
    HistoryView,
    HomeView,
    InfoView,
    LevelUpView,
    ListItem,
    MessageView,
    RatingView,
    ReminderView,
    ReportView,
    SafetyView,
    SleepView,
    SummaryView,
)

AREAS = (
    "Left foot",
    "Right foot",
    "Left leg",
    "Right leg",
    "Left hand",
    "Right hand",
    "Left arm",
    "Right arm",
    "Back",
    "Tummy",
)

TECHNIQUES = (
    ("texture", ("Soft touch", "Smooth cloth", "Towel rub", "Soft brush", "Rough fabric", "Texture bin")),
    ("pressure", ("Lotion massage", "Firm squeeze", "Tapping", "Vibration")),
    ("temperature", ("Ice rub", "Cool cloth", "Warm cloth")),
)
# As the bundled config: the techniques with a safety note (temperature, and all rubbed on the skin).
FLAGGED = {"Smooth cloth", "Towel rub", "Soft brush", "Rough fabric", "Texture bin", "Lotion massage",
           "Ice rub", "Cool cloth", "Warm cloth"}

ICE_NOTE = (
    "Put a towel under the area. Keep the ice moving all the time. "
    "Stop if your skin turns white, goes numb or breaks. Never on broken skin."
)
# A long note, and its two pages as the safety screen splits it on the smallest screen,
# 480x320 (tests check that split and that each page fits every size whole).
WARM_NOTE = (
    "A grown-up tests the cloth first, on the inside of their wrist: in a sore area your own sense of warm "
    "and hot can be wrong. Warm, not hot: about as warm as a nice bath, never hotter. Do not use it on "
    "broken skin, a rash or a burn. Take the cloth off at once if it feels too hot, if your skin turns red "
    "or blotchy, or if it starts to sting. Tell a grown-up if your skin still looks red after a few minutes."
)
WARM_NOTE_PAGES = (
    "A grown-up tests the cloth first, on the inside of their wrist: in a sore area your own sense of warm "
    "and hot can be wrong. Warm, not hot: about as warm as a nice bath, never hotter. Do not use it on "
    "broken skin, a rash or a burn.",
    "Take the cloth off at once if it feels too hot, if your skin turns red or blotchy, or if it starts to "
    "sting. Tell a grown-up if your skin still looks red after a few minutes.",
)
LONG_TECHNIQUE = "Textured fabric and velcro rub"  # 30 characters
LONG_AREA = "Back of the right lower leg"
LONG_PROMPT = "Rub the rough side of the velcro slowly up and down the leg."  # 60 characters


def area_items() -> tuple[ListItem, ...]:
    return tuple(ListItem(a) for a in AREAS)


def technique_items(extra: tuple[str, ...] = ()) -> tuple[ListItem, ...]:
    items: list[ListItem] = []
    for group, names in TECHNIQUES:
        items.append(ListItem(text.GROUP_NAMES[group], header=True))
        items.extend(ListItem(n, flagged=n in FLAGGED) for n in names + (extra if group == "texture" else ()))
    return tuple(items)


def _index(items: tuple[ListItem, ...], label: str) -> int:
    return next(i for i, it in enumerate(items) if it.label == label and not it.header)


_TECH = technique_items()
_TECH_LONG = technique_items((LONG_TECHNIQUE,))
STORAGE_NOTICE = text.storage_problem("the disk is full")
CONFIG_NOTICE = text.config_problem(
    3, "/etc/desens-kiosk/config.yaml:14: techniques.ice.duration: must be a number of seconds (60-900)"
)

TODAY = date(2025, 3, 27)  # a Thursday, like the home samples' today


def history_days() -> tuple[DayStat, ...]:
    """Fourteen days ending TODAY: some below the target, some above it, days without any
    practice (gaps in the lines), check-ins on some days, one day with only check-ins."""
    sessions = (3, 4, 2, 0, 4, 5, 3, 0, 0, 2, 4, 4, 3, 2)
    before = (7, 7, 6.5, None, 6, 6, 5.5, None, None, 6, 5, 4.5, 5, 4)
    after = (5, 4.5, 5, None, 4, 3.5, 4, None, None, 4.5, 3, 3, 2.5, 2)
    checkins = {1: (8,), 3: (7, 6), 5: (4,), 8: (6,), 11: (3, 5, 2), 13: (3,)}
    first = TODAY - timedelta(days=len(sessions) - 1)
    return tuple(
        DayStat(first + timedelta(days=i), n, before[i], after[i], checkins.get(i, ()))
        for i, n in enumerate(sessions)
    )


# The bundled config's ladder (graded practice), least irritating first.
LADDER = (
    "Soft touch", "Smooth cloth", "Soft brush", "Towel rub", "Lotion massage", "Tapping", "Rough fabric",
    "Texture bin", "Vibration", "Firm squeeze", "Cool cloth", "Ice rub",
)
SAMPLE_DURATION = 240  # seconds: the bundled config's session.duration, 4m
SAMPLE_COUNTS_AFTER = 180  # session.counts_after, 3m
WINDOW_DAYS = 7  # as kiosk.storage.queries: an area's first and last practice days compared


def report_data(days: int = REPORT_DAYS, seed: int = 7, demo: bool = True, sessions: int | None = None,
                profile: str = "Sam", prompts: bool = True, target: int = 4, last: date = TODAY,
                mode: str = "firm", prescribed: bool = True) -> ReportData:
    """ReportData for `days` days ending on `last`, from made-up sessions and check-ins
    (`sessions=0` for an empty period, `sessions=1` for a single session), worked out as
    kiosk.storage.queries does. `mode="graded"`: each area climbs the bundled ladder (its
    sessions use its level's technique) and the levels over the period are filled in;
    `prescribed=False`: the prescription is not known (a report made without the config)."""
    rng = random.Random(seed)
    first = last - timedelta(days=days - 1)
    techniques = [t for _, names in TECHNIQUES for t in names]
    areas = AREAS[:4]  # the profile's areas: the feet and the legs
    rung = {area: rng.randint(0, 2) for area in areas}
    changes: dict[str, list[tuple[date, str]]] = {area: [] for area in areas}
    start_rung = dict(rung)
    good = {area: 0 for area in areas}  # good sessions in a row on the area's level
    rows = []  # (day, technique, area, minutes, before, after, status, hour)
    for i in range(days):
        day = first + timedelta(days=i)
        drift = 2.0 * i / max(1, days)  # pain drifting down over the period
        n = 0 if rng.random() < 0.12 else rng.choice((2, 3, 4, 4, 5, 5, 5))
        for k in range(n):
            status = rng.choices(
                (Status.COMPLETED, Status.STOPPED_EARLY, Status.INTERRUPTED), weights=(85, 10, 5)
            )[0]
            before = max(0, min(10, round(rng.gauss(6.5 - drift, 1.2))))
            after = None if status is Status.INTERRUPTED else max(0, min(10, before - rng.choice((0, 1, 1, 2, 2, 3, -1))))
            minutes = 4.0 if status is Status.COMPLETED else round(rng.uniform(0.5, 3.5), 1)
            tech = rng.choice(techniques[:9] + ["Towel rub"] * 4 + ["Ice rub"] * 2)
            area = rng.choice(areas + ("Left leg",) * 3)
            if mode == "graded":  # two good sessions in a row on a level, then "Yes, next level" at times
                tech = LADDER[rung[area]]
                good[area] = good[area] + 1 if status is Status.COMPLETED and after is not None and after <= before else 0
                if good[area] >= 2 and rng.random() < 0.08 and rung[area] + 1 < len(LADDER):
                    rung[area], good[area] = rung[area] + 1, 0
                    changes[area].append((day, LADDER[rung[area]]))
            rows.append((day, tech, area, minutes, before, after, status, 8 + 3 * k + rng.randint(0, 2)))
    if sessions is not None:
        rows = rows[:sessions] if sessions else []
        if sessions == 1 and rows:
            day, tech, area, _, before, after, _, hour = rows[0]
            rows = [(day, tech, area, 4.0, before, before if after is None else after, Status.COMPLETED, hour)]
    checkins = []  # (day, rating, hour)
    prompt_count = answered = 0
    if sessions is None:
        for i in range(days):
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                checkins.append((first + timedelta(days=i), max(0, min(10, round(rng.gauss(5, 2)))), rng.randint(7, 21)))
        if prompts:
            prompt_count = 6 * days
            answered = round(prompt_count * 0.62)

    def counts(r) -> bool:  # long enough to count: session.counts_after
        return r[3] * 60 >= SAMPLE_COUNTS_AFTER

    by_day = defaultdict(list)
    for r in rows:
        by_day[r[0]].append(r)
    checkins_by_day = defaultdict(list)
    for day, rating, _ in checkins:
        checkins_by_day[day].append(rating)

    def mean(values):
        values = [v for v in values if v is not None]
        return round(sum(values) / len(values), 2) if values else None

    range_days = [first + timedelta(days=i) for i in range(days)]
    stats = tuple(
        DayStat(
            day,
            sum(1 for r in by_day[day] if counts(r)),
            mean([r[4] for r in by_day[day]]),
            mean([r[5] for r in by_day[day]]),
            tuple(checkins_by_day[day]),
        )
        for day in range_days
    )
    minutes_t, minutes_a, minutes_ta, changes_t = defaultdict(float), defaultdict(float), defaultdict(float), defaultdict(list)
    for _, tech, area, minutes, before, after, _, _ in rows:
        minutes_t[tech] += minutes
        minutes_a[area] += minutes
        minutes_ta[(tech, area)] += minutes
        if after is not None:
            changes_t[tech].append(after - before)
    hours, counted_hours = defaultdict(list), defaultdict(int)
    for r in rows:
        _, _, _, _, before, after, _, hour = r
        hours[hour].append(before)
        if after is not None:
            hours[hour].append(after)
        if counts(r):
            counted_hours[hour] += 1
    for _, rating, hour in checkins:
        hours[hour].append(rating)
    by_minutes = sorted(((k, round(v, 1)) for k, v in minutes_a.items()), key=lambda kv: -kv[1])

    def window(area: str, window_days: list[date]) -> PainWindow:
        if not window_days:
            return PainWindow()
        inside = [r for r in rows if r[2] == area and window_days[0] <= r[0] <= window_days[-1]]
        befores = [r[4] for r in inside if r[4] is not None]
        afters = [r[5] for r in inside if r[5] is not None]
        return PainWindow(len(window_days), window_days[0], window_days[-1], mean(befores), len(befores),
                          mean(afters), len(afters))

    pain_by_area = []
    for area, _ in by_minutes:
        practised = sorted({r[0] for r in rows if r[2] == area})
        early = practised[:min(WINDOW_DAYS, (len(practised) + 1) // 2)]
        late = practised[max(len(early), len(practised) - WINDOW_DAYS):]
        pain_by_area.append(AreaPain(area, window(area, early), window(area, late)))
    levels = ()
    if mode == "graded":
        levels = tuple(
            (area, ((first, LADDER[start_rung[area]]),) + tuple((d, t) for d, t in changes[area] if d <= last))
            for area in areas
        )
    prescription = Prescription(mode, SAMPLE_DURATION, SAMPLE_COUNTS_AFTER, target, areas) if prescribed else None
    return ReportData(
        profile=profile,
        first_day=first,
        last_day=last,
        target=target,
        days=stats,
        adherence=sum(1 for d in stats if d.sessions >= target) / days,
        sessions=len(rows),
        counted=sum(1 for r in rows if counts(r)),
        completed=sum(1 for r in rows if r[6] is Status.COMPLETED),
        stopped_early=sum(1 for r in rows if r[6] is Status.STOPPED_EARLY),
        interrupted=sum(1 for r in rows if r[6] is Status.INTERRUPTED),
        minutes_by_technique=tuple(sorted(((k, round(v, 1)) for k, v in minutes_t.items()), key=lambda kv: -kv[1])),
        minutes_by_area=tuple(by_minutes),
        change_by_technique=tuple(
            sorted(((k, round(sum(v) / len(v), 2), len(v)) for k, v in changes_t.items()), key=lambda t: (-t[2], t[0]))
        ),
        pain_by_hour=tuple(sorted((h, round(sum(v) / len(v), 2), len(v)) for h, v in hours.items())),
        prompts=prompt_count,
        prompts_answered=answered,
        demo=demo,
        prescription=prescription,
        minutes_by_day=tuple((day, round(sum(r[3] for r in by_day[day]), 1)) for day in range_days),
        prescribed_minutes=target * SAMPLE_DURATION / 60 if prescribed else 0.0,
        pain_by_area=tuple(pain_by_area),
        minutes_by_technique_area=tuple(
            sorted(((t, a, round(m, 1)) for (t, a), m in minutes_ta.items()), key=lambda x: (-x[2], x[0], x[1]))
        ),
        counted_by_hour=tuple(sorted(counted_hours.items())),
        levels=levels,
    )


REPORT_SAMPLES: dict[str, ReportData] = {
    "report_28": report_data(REPORT_DAYS, mode="graded"),
    "report_empty": report_data(REPORT_DAYS, sessions=0, demo=False),
    "report_one": report_data(REPORT_DAYS, sessions=1, demo=False),
    "report_90": report_data(90, seed=11),
    "report_14_real": report_data(14, seed=5, demo=False, prompts=False),
    "report_new_year": report_data(REPORT_DAYS, seed=3, demo=False, last=date(2026, 1, 16)),
}
# Days practised before the clock was set (a Pi without network): their dates may be wrong.
REPORT_SAMPLES["report_unsynced"] = replace(
    report_data(REPORT_DAYS, seed=13, demo=False),
    unsynced_days=(TODAY - timedelta(days=25), TODAY - timedelta(days=24), TODAY - timedelta(days=12)),
)


def graded_items() -> tuple[ListItem, ...]:
    """One area's ladder in graded practice, the current rung marked."""
    ladder = ("Soft touch", "Smooth cloth", "Soft brush", "Towel rub", "Lotion massage", "Tapping")
    return tuple(ListItem(name, note=text.YOUR_LEVEL if i == 2 else text.level(i + 1)) for i, name in enumerate(ladder))


HAND_OVER = (
    "Hand over to a new patient?",
    "Every session, check-in and level on this kiosk is deleted. This cannot be undone.",
    ("No, keep everything", "Yes, delete everything"),
)
SAVED_HERE = (
    "When you practise: the time, the area, the technique and your pain before and after.",
    "Your pain check-ins, and the check-in questions that were missed.",
    "Only on this kiosk. Nothing is sent anywhere.",
    "For 365 days, then it is deleted by itself.",
    "Your therapist can see it, with the clinician code.",
)
PROBLEMS = (
    "/etc/desens-kiosk/config.yaml:14: techniques.ice_rub.duration: must be a time such as 4m (5s to 30m)",
    "/etc/desens-kiosk/config.yaml:31: daily_target: 11 is more than 10 (running on the last good settings)",
    "Sound: no sound device found (ALSA: cannot open default)",
    "Voice: piper is not installed.",
    "The clock is not set: dates of new sessions may be wrong.",
    "USB: the drive KINGSTON is read-only.",
    "The database file was replaced while the kiosk ran; a new one was started at /var/lib/desens-kiosk/desens.db",
)
PROFILES = ("Sam", "Alex", "Mia", "Noah")
_HISTORY = history_days()
_GRADED = graded_items()

SAMPLES: dict[str, Frame] = {
    "home": Frame(HomeView(done_today=2, target=4, week=(True, True, False, True, False, False, False), today_index=3)),
    "home_done": Frame(HomeView(done_today=4, target=4, week=(True, True, True, True, True, False, False), today_index=4)),
    "area": Frame(ChoiceView("area", area_items(), selected=2)),
    "area_end": Frame(ChoiceView("area", area_items(), selected=len(AREAS) - 1)),
    "technique": Frame(ChoiceView("technique", _TECH, selected=_index(_TECH, "Towel rub"), subtitle="Left leg")),
    "technique_end": Frame(
        ChoiceView("technique", _TECH, selected=len(_TECH) - 1, subtitle="Left leg")
    ),
    "technique_long": Frame(
        ChoiceView("technique", _TECH_LONG, selected=_index(_TECH_LONG, LONG_TECHNIQUE), subtitle=LONG_AREA)
    ),
    "safety": Frame(SafetyView("Ice rub", ICE_NOTE)),
    "pain_before": Frame(RatingView("before", 6, "Left leg", "Towel rub")),
    "countdown": Frame(
        CountdownView(
            technique="Towel rub",
            area="Left leg",
            prompt="Firm rubs in circles",
            step=2,
            steps=3,
            remaining=151,
            total=240,
            paused=False,
        )
    ),
    "countdown_start": Frame(
        CountdownView("Smooth cloth", "Left foot", "Quick rubs up and down", 1, 2, 240, 240, False)
    ),
    "countdown_paused": Frame(
        CountdownView(
            "Towel rub", "Left leg", "Firm rubs in circles", 2, 3, 95, 240, True
        )
    ),
    "countdown_hint": Frame(
        CountdownView(
            "Towel rub", "Left leg", "Firm rubs in circles", 2, 3, 151, 240, False, hint=True
        )
    ),
    "countdown_long": Frame(
        CountdownView(LONG_TECHNIQUE, LONG_AREA, LONG_PROMPT, 3, 4, 37, 300, False)
    ),
    "pain_after": Frame(RatingView("after", 3, "Left leg", "Towel rub")),
    "pain_after_early": Frame(RatingView("after", 10, LONG_AREA, LONG_TECHNIQUE, stopped_early=True)),
    "summary": Frame(SummaryView("Towel rub", "Left leg", 6, 3, Status.COMPLETED, 240, saved=True)),
    "summary_stopped": Frame(SummaryView("Ice rub", "Right foot", 7, 5, Status.STOPPED_EARLY, 95, saved=True)),
    "summary_interrupted": Frame(SummaryView("Tapping", "Left knee", 4, None, Status.INTERRUPTED, 130, saved=True)),
    "summary_not_saved": Frame(
        SummaryView(LONG_TECHNIQUE, LONG_AREA, 0, 10, Status.COMPLETED, 300, saved=False), notice=STORAGE_NOTICE
    ),
    "notice": Frame(
        HomeView(done_today=0, target=4, week=(False,) * 7, today_index=0), notice=STORAGE_NOTICE
    ),
    "notice_countdown": Frame(
        CountdownView("Towel rub", "Left leg", LONG_PROMPT, 1, 2, 200, 240, False, hint=True),
        notice=CONFIG_NOTICE,
    ),
    "notice_technique": Frame(
        ChoiceView("technique", _TECH, selected=_index(_TECH, "Ice rub"), subtitle="Right foot"), notice=CONFIG_NOTICE
    ),
    "notice_pain": Frame(RatingView("before", 0, "Left leg", "Towel rub"), notice=text.NO_SOUND),
    # -- daily life, check-ins and the clinician (issues 3, 4, 8) --
    "home_profile": Frame(
        HomeView(
            done_today=1, target=4, week=(True, False, True, True, False, False, False), today_index=3,
            profile="Sam", line="Keep it up on good days too: practise even when the pain is lower.",
        )
    ),
    "sleep": Frame(SleepView()),
    "reminder": Frame(ReminderView(done_today=1, target=4)),
    "reminder_profile": Frame(ReminderView(done_today=0, target=5, profile="Alex")),
    "profile": Frame(ChoiceView("profile", tuple(ListItem(p) for p in PROFILES), selected=1)),
    "technique_graded": Frame(ChoiceView("technique", _GRADED, selected=2, subtitle="Left leg")),
    "checkin": Frame(RatingView("checkin", 5, "", "")),
    "checkin_area": Frame(
        ChoiceView("checkin_area", (ListItem(text.NO_PARTICULAR_PLACE),) + area_items(), selected=0)
    ),
    "checkin_saved": Frame(CheckinSavedView(5, "14:02", "Left leg")),
    "checkin_saved_nowhere": Frame(CheckinSavedView(8, "07:45", None)),
    "level_up": Frame(LevelUpView("Left leg", "Smooth cloth", "Soft brush", 3, 12)),
    "level_up_long": Frame(LevelUpView(LONG_AREA, LONG_TECHNIQUE, "Rough fabric and velcro strips", 6, 6)),
    "history": Frame(HistoryView(_HISTORY, target=4)),
    "history_profile": Frame(HistoryView(_HISTORY, target=4, profile="Mia")),
    "history_empty": Frame(HistoryView(tuple(DayStat(d.day, 0, None, None) for d in _HISTORY), target=4)),
    "clinician": Frame(
        ChoiceView(
            "clinician",
            tuple(ListItem(words) for words in (text.MENU_REPORT, text.MENU_EXPORT, text.MENU_QUIT, text.MENU_CLOSE)),
            selected=0,
        )
    ),
    "code": Frame(CodeView(entered=2, length=6)),
    "message_ok": Frame(
        MessageView("Export done", "3 files in the folder desens-kiosk/2025-03-27. You can remove the drive now.", ok=True)
    ),
    "message_error": Frame(MessageView(text.NO_USB_TITLE, text.NO_USB_BODY, ok=False)),
    "message_working": Frame(MessageView(text.EXPORTING_TITLE, text.EXPORTING_BODY, working=True)),
    "report": Frame(ReportView(REPORT_SAMPLES["report_28"])),
    "report_empty": Frame(ReportView(REPORT_SAMPLES["report_empty"])),
    "report_90": Frame(ReportView(REPORT_SAMPLES["report_90"])),
    "report_new_year": Frame(ReportView(REPORT_SAMPLES["report_new_year"])),
    # -- paged safety notes, questions, plain pages, honest counts (issues 12, 13, 14, 17) --
    "safety_page_1": Frame(SafetyView("Warm cloth", WARM_NOTE_PAGES[0], page=1, pages=2)),
    "safety_page_2": Frame(SafetyView("Warm cloth", WARM_NOTE_PAGES[1], page=2, pages=2)),
    "confirm_hand_over": Frame(ConfirmView(*HAND_OVER, selected=0, danger=True)),
    "confirm_hand_over_yes": Frame(ConfirmView(*HAND_OVER, selected=1, danger=True)),
    "confirm_quit": Frame(
        ConfirmView("Quit to the desktop?", "The kiosk stops until it is started again.", ("No, stay here", "Yes, quit"))
    ),
    "info_saved": Frame(InfoView("What is saved here?", SAVED_HERE)),
    "info_problems": Frame(InfoView("Problems", PROBLEMS, ok=False)),
    "home_clock_unset": Frame(
        HomeView(done_today=2, target=4, week=(True, True, False, True, False, False, False), today_index=3, clock_unset=True)
    ),
    "home_no_checkin": Frame(
        HomeView(done_today=1, target=4, week=(True, False, False, True, False, False, False), today_index=3, checkin_hint=False)
    ),
    "code_locked": Frame(CodeView(entered=0, length=6, locked_minutes=5)),
    "summary_short": Frame(SummaryView("Towel rub", "Left leg", 6, 7, Status.STOPPED_EARLY, 40, saved=True, counted=False)),
    "report_unsynced": Frame(ReportView(REPORT_SAMPLES["report_unsynced"])),
}
