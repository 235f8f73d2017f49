"""Anti-aliased shapes drawn straight onto a surface: discs, polygons, thick lines and rings.
The screens' widgets and the charts both draw with these, so a shape looks the same on the
kiosk and on the printed report."""

from __future__ import annotations

import math

import pygame
import pygame.gfxdraw


def disc(surface: pygame.Surface, center, radius: float, color) -> None:
    """A filled circle with a smooth edge (at least 1 px)."""
    x, y, r = round(center[0]), round(center[1]), max(1, round(radius))
    pygame.gfxdraw.filled_circle(surface, x, y, r, color)
    pygame.gfxdraw.aacircle(surface, x, y, r, color)


def polygon(surface: pygame.Surface, points, color) -> None:
    """A filled polygon with a smooth outline."""
    pts = [(round(x), round(y)) for x, y in points]
    pygame.gfxdraw.filled_polygon(surface, pts, color)
    pygame.gfxdraw.aapolygon(surface, pts, color)


def thick_line(surface: pygame.Surface, p, q, width: float, color, round_ends: bool = False) -> None:
    """A line `width` thick from p to q, as one polygon; `round_ends` caps both ends with a
    disc (lines that join at an angle, as in a chart's series)."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy)
    if length < 0.5:
        disc(surface, p, width / 2, color)
        return
    nx, ny = -dy / length * width / 2, dx / length * width / 2
    polygon(surface, [(p[0] + nx, p[1] + ny), (q[0] + nx, q[1] + ny), (q[0] - nx, q[1] - ny), (p[0] - nx, p[1] - ny)], color)
    if round_ends and width >= 3:
        disc(surface, p, width / 2, color)
        disc(surface, q, width / 2, color)


def ring(surface: pygame.Surface, center, r_out: float, r_in: float, color, fraction: float = 1.0, start: float = 0.0) -> None:
    """A ring (r_out - r_in thick), or the sector of it that covers `fraction` of a turn
    clockwise from `start` (a fraction of a turn, 0 = 12 o'clock). A ring with no hole is
    a disc."""
    fraction = max(0.0, min(1.0, fraction))
    if fraction <= 0 or r_out <= 0:
        return
    if r_in <= 0.5 and fraction >= 1.0:
        disc(surface, center, r_out, color)
        return
    cx, cy = center
    # Enough corners that the edge looks round at this size, never fewer than a few.
    n = max(2, round(max(24.0, min(160.0, r_out * 1.5)) * fraction) + 1)
    a0 = 2 * math.pi * start
    span = 2 * math.pi * fraction
    outer, inner = [], []
    for i in range(n + 1):
        a = a0 + span * i / n
        sa, ca = math.sin(a), math.cos(a)
        outer.append((cx + r_out * sa, cy - r_out * ca))
        inner.append((cx + r_in * sa, cy - r_in * ca))
    if fraction >= 1.0:
        # Two halves, so the polygon never folds onto its own seam.
        half = n // 2
        polygon(surface, outer[: half + 1] + inner[: half + 1][::-1], color)
        polygon(surface, outer[half:] + inner[half:][::-1], color)
    else:
        polygon(surface, outer + inner[::-1], color)
