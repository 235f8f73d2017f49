"""Which characters the bundled font can draw, read from the font file's own character map
(its `cmap` table), so check-config can warn about a name or prompt that would show as boxes
(emoji, scripts the font lacks) before anyone sees it on screen."""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path


def font_path() -> Path:
    """pygame's bundled font, the one the screens draw with (kiosk.render.layout.Fonts)."""
    import pygame

    return Path(pygame.font.get_default_font()) if Path(pygame.font.get_default_font()).is_absolute() \
        else Path(pygame.__file__).parent / pygame.font.get_default_font()


@cache
def covered(path: Path | None = None) -> frozenset[int]:
    """Every code point the font maps to a glyph (Unicode cmap subtables, formats 4 and 12)."""
    data = Path(path or font_path()).read_bytes()
    tables = struct.unpack_from(">H", data, 4)[0]
    cmap = next((offset for tag, _, offset, _ in
                 (struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(tables)) if tag == b"cmap"), None)
    if cmap is None:
        return frozenset()
    points: set[int] = set()
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4)):
            continue
        at = cmap + offset
        kind = struct.unpack_from(">H", data, at)[0]
        if kind == 4:
            points |= _format4(data, at)
        elif kind == 12:
            groups = struct.unpack_from(">I", data, at + 12)[0]
            for g in range(groups):
                first, last, _ = struct.unpack_from(">III", data, at + 16 + 12 * g)
                points.update(range(first, last + 1))
    return frozenset(points)


def _format4(data: bytes, at: int) -> set[int]:
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    offsets_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, offsets_at)
    points = set()
    for i, (start, end) in enumerate(zip(starts, ends)):
        for point in range(start, min(end, 0xFFFE) + 1):
            if offsets[i] == 0:
                glyph = (point + deltas[i]) & 0xFFFF
            else:
                where = offsets_at + 2 * i + offsets[i] + 2 * (point - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(point)
    return points


def missing(text: str) -> list[str]:
    """The characters of `text` the bundled font cannot draw, each once, in order."""
    have = covered()
    seen: list[str] = []
    for char in text:
        if not char.isspace() and ord(char) not in have and char not in seen:
            seen.append(char)
    return seen
