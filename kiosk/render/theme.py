"""Colours: a dark, calm background for a bedside at night, light text, one accent colour
(teal), amber for warnings, and our own green -> yellow -> orange -> red pain ramp."""

from __future__ import annotations

Color = tuple[int, int, int]

BG: Color = (14, 18, 26)
PANEL: Color = (30, 37, 50)
TRACK: Color = (40, 48, 64)
TEXT: Color = (238, 241, 246)
DIM: Color = (160, 170, 188)
GREY: Color = (100, 108, 124)
ACCENT: Color = (64, 201, 188)
ON_ACCENT: Color = (8, 26, 28)
WARN: Color = (255, 193, 64)
ON_WARN: Color = (34, 24, 0)
ON_CELL: Color = (16, 16, 20)

# Stops of the 0..10 pain ramp; values in between are interpolated.
_RAMP: tuple[tuple[int, Color], ...] = (
    (0, (62, 178, 98)),
    (3, (168, 204, 62)),
    (5, (244, 206, 58)),
    (7, (246, 146, 44)),
    (10, (222, 62, 52)),
)


def _mix(a: Color, b: Color, t: float) -> Color:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def pain_color(value: int) -> Color:
    """The colour of a pain rating's cell, 0 (green) to 10 (red)."""
    value = max(0, min(10, int(value)))
    for (v0, c0), (v1, c1) in zip(_RAMP, _RAMP[1:]):
        if v0 <= value <= v1:
            return _mix(c0, c1, (value - v0) / (v1 - v0))
    return _RAMP[-1][1]


PAIN_COLORS: tuple[Color, ...] = tuple(pain_color(v) for v in range(11))


# -- charts (history screen, report) ------------------------------------------------------
# Before and after are told apart by colour and by marker shape (circle / square), so the
# charts still read in black and white or with colour blindness; check-ins are diamonds.
BEFORE: Color = (246, 146, 44)  # warm orange
AFTER: Color = ACCENT
CHECKIN: Color = (186, 160, 255)  # soft violet
BAR: Color = (96, 112, 140)  # a day below the target
BAR_MET: Color = ACCENT  # a day that reached the target
GRID: Color = (52, 61, 80)

# The printed report: white paper, dark ink, the same meanings in darker tones.
PAPER: Color = (255, 255, 255)
INK: Color = (20, 24, 32)
INK_DIM: Color = (88, 96, 110)
PAPER_GRID: Color = (222, 226, 232)
PAPER_PANEL: Color = (242, 244, 247)
PAPER_BEFORE: Color = (214, 106, 0)
PAPER_AFTER: Color = (0, 128, 118)
PAPER_CHECKIN: Color = (112, 76, 204)
PAPER_BAR: Color = (150, 162, 182)
PAPER_BAR_MET: Color = (0, 128, 118)
PAPER_WARN: Color = (255, 214, 102)
