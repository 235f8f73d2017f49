"""Sample frames of every screen and its variants, with made-up data: used by
scripts/render_screens.py for the pictures in docs/screens/ and by tests/test_screens.py."""

from __future__ import annotations

from kiosk import text as T
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
)

AREAS = (
    "Left foot",
    "Right foot",
    "Left lower leg",
    "Right lower leg",
    "Left knee",
    "Right knee",
    "Left thigh",
    "Right thigh",
    "Left arm",
    "Right arm",
)

TECHNIQUES = (
    ("texture", ("Soft touch", "Smooth cloth", "Towel rub", "Soft brush", "Rough fabric", "Texture bin")),
    ("pressure", ("Lotion massage", "Firm squeeze", "Tapping", "Vibration")),
    ("temperature", ("Ice cup rub", "Cool cloth", "Warm cloth")),
)
FLAGGED = {"Ice cup rub"}

ICE_NOTE = (
    "Put a towel under the area. Keep the ice cup moving all the time. "
    "Stop if the skin turns white, goes numb or breaks."
)
LONG_TECHNIQUE = "Textured fabric and velcro rub"  # 30 characters
LONG_AREA = "Back of the right lower leg"
LONG_PROMPT = "Rub the rough side of the velcro slowly up and down the leg."  # 60 characters


def area_items() -> tuple[ListItem, ...]:
    return tuple(ListItem(a) for a in AREAS)


def technique_items(extra: tuple[str, ...] = ()) -> tuple[ListItem, ...]:
    items: list[ListItem] = []
    for group, names in TECHNIQUES:
        items.append(ListItem(T.GROUP_NAMES[group], header=True))
        items.extend(ListItem(n, flagged=n in FLAGGED) for n in names + (extra if group == "texture" else ()))
    return tuple(items)


def _index(items: tuple[ListItem, ...], label: str) -> int:
    return next(i for i, it in enumerate(items) if it.label == label and not it.header)


_TECH = technique_items()
_TECH_LONG = technique_items((LONG_TECHNIQUE,))
STORAGE_NOTICE = T.storage_problem("the disk is full")
CONFIG_NOTICE = T.config_problem(
    3, "/etc/desens-kiosk/config.yaml:14: techniques.ice.duration: must be a number of seconds (60-900)"
)

SAMPLES: dict[str, Frame] = {
    "home": Frame(HomeView(done_today=2, target=4, week=(True, True, False, True, False, False, False), today_index=3)),
    "home_done": Frame(HomeView(done_today=4, target=4, week=(True, True, True, True, True, False, False), today_index=4)),
    "area": Frame(ChoiceView("area", area_items(), selected=2)),
    "area_end": Frame(ChoiceView("area", area_items(), selected=len(AREAS) - 1)),
    "technique": Frame(ChoiceView("technique", _TECH, selected=_index(_TECH, "Towel rub"), subtitle="Left lower leg")),
    "technique_end": Frame(
        ChoiceView("technique", _TECH, selected=len(_TECH) - 1, subtitle="Left lower leg")
    ),
    "technique_long": Frame(
        ChoiceView("technique", _TECH_LONG, selected=_index(_TECH_LONG, LONG_TECHNIQUE), subtitle=LONG_AREA)
    ),
    "safety": Frame(SafetyView("Ice cup rub", ICE_NOTE)),
    "pain_before": Frame(RatingView("before", 6, "Left lower leg", "Towel rub")),
    "countdown": Frame(
        CountdownView(
            technique="Towel rub",
            area="Left lower leg",
            prompt="Rub the towel up and down your leg, firmly.",
            step=2,
            steps=3,
            remaining=151,
            total=240,
            paused=False,
        )
    ),
    "countdown_start": Frame(
        CountdownView("Soft touch", "Left foot", "Stroke the feather over your foot.", 1, 1, 240, 240, False)
    ),
    "countdown_paused": Frame(
        CountdownView(
            "Towel rub", "Left lower leg", "Rub the towel up and down your leg, firmly.", 2, 3, 95, 240, True
        )
    ),
    "countdown_hint": Frame(
        CountdownView(
            "Towel rub", "Left lower leg", "Rub the towel up and down your leg, firmly.", 2, 3, 151, 240, False, hint=True
        )
    ),
    "countdown_long": Frame(
        CountdownView(LONG_TECHNIQUE, LONG_AREA, LONG_PROMPT, 3, 4, 37, 300, False)
    ),
    "pain_after": Frame(RatingView("after", 3, "Left lower leg", "Towel rub")),
    "pain_after_early": Frame(RatingView("after", 10, LONG_AREA, LONG_TECHNIQUE, stopped_early=True)),
    "summary": Frame(SummaryView("Towel rub", "Left lower leg", 6, 3, Status.COMPLETED, 240, saved=True)),
    "summary_stopped": Frame(SummaryView("Ice cup rub", "Right foot", 7, 5, Status.STOPPED_EARLY, 95, saved=True)),
    "summary_interrupted": Frame(SummaryView("Tapping", "Left knee", 4, None, Status.INTERRUPTED, 130, saved=True)),
    "summary_not_saved": Frame(
        SummaryView(LONG_TECHNIQUE, LONG_AREA, 0, 10, Status.COMPLETED, 300, saved=False), notice=STORAGE_NOTICE
    ),
    "notice": Frame(
        HomeView(done_today=0, target=4, week=(False,) * 7, today_index=0), notice=STORAGE_NOTICE
    ),
    "notice_countdown": Frame(
        CountdownView("Towel rub", "Left lower leg", LONG_PROMPT, 1, 2, 200, 240, False, hint=True),
        notice=CONFIG_NOTICE,
    ),
    "notice_technique": Frame(
        ChoiceView("technique", _TECH, selected=_index(_TECH, "Ice cup rub"), subtitle="Right foot"), notice=CONFIG_NOTICE
    ),
    "notice_pain": Frame(RatingView("before", 0, "Left lower leg", "Towel rub"), notice=T.NO_SOUND),
}
