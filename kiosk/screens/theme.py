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
