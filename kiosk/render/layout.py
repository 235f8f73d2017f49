"""Scaling, fonts and text fitting.

Everything is sized from one scale factor, `min(w / 800, h / 480)`, with floors so text
stays readable on a 480x320 panel. Text is fitted into a rectangle by wrapping at word
boundaries, then shrinking the font down to the style's minimum, and only as a last resort
cutting it short with an ellipsis. Fonts and rendered lines are cached per renderer, so a
redraw of an unchanged screen creates no fonts and renders almost no text.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import pygame

from kiosk import text

# Below this Font(None, px) size nothing is drawn, even to avoid an overlap.
ABSOLUTE_MIN_PX = 12


@dataclass(frozen=True)
class Style:
    """A text size: `px` preferred (a `pygame.font.Font(None, px)` size), shrinking down to
    `min_px` before the text is cut short."""

    px: int
    min_px: int


class Metrics:
    """Sizes for one screen size. Base values are for 800x480 (480x800 when the screen is
    portrait); `floor` keeps small screens readable (body text on 480x320 has capitals
    about 16 px tall)."""

    def __init__(self, size: tuple[int, int]):
        self.w, self.h = int(size[0]), int(size[1])
        self.s = s = min(max(self.w, self.h) / 800, min(self.w, self.h) / 480)
        self.margin = max(8, round(20 * s))
        self.gap = max(4, round(10 * s))
        self.radius = max(4, round(12 * s))
        self.line = max(2, round(3 * s))  # outline thickness

        def style(base: int, floor: int, minimum: int) -> Style:
            px = max(floor, round(base * s))
            return Style(px, min(px, max(minimum, round(minimum * s))))

        self.hint = style(28, 22, 22)  # key hints
        self.far_hint = style(40, 30, 26)  # key hints read from the bed (the countdown)
        self.small = style(30, 24, 22)  # treatment note, labels under things
        self.label = style(34, 26, 24)  # secondary lines (step line, area · technique)
        self.body = style(42, 32, 30)  # list items, summary lines
        self.prompt = style(54, 36, 30)  # safety note, a message's body
        self.instruction = style(80, 48, 40)  # the countdown's prompt: capitals ~40 px at 800x480
        self.title = style(58, 40, 32)  # screen titles
        self.big = style(112, 66, 44)  # "Today 2 of 4", the chosen pain number
        self.notice = style(32, 22, 22)  # the notice banner


class Fonts:
    """pygame's bundled font (freesansbold) by size, created once per size."""

    def __init__(self) -> None:
        self._fonts: dict[int, pygame.font.Font] = {}

    def get(self, px: int) -> pygame.font.Font:
        font = self._fonts.get(px)
        if font is None:
            if not pygame.font.get_init():
                pygame.font.init()
            font = self._fonts[px] = pygame.font.Font(None, px)
        return font


@dataclass(frozen=True)
class Fitted:
    px: int
    lines: tuple[str, ...]
    line_step: int  # distance between the tops of two lines
    line_height: int  # height of one rendered line
    width: int  # widest line

    @property
    def height(self) -> int:
        return self.line_step * (len(self.lines) - 1) + self.line_height if self.lines else 0


@dataclass(frozen=True)
class FittedList:
    """Paragraphs fitted one under another: each paragraph's lines, at one size; `more`
    paragraphs did not fit and are left out (the caller says how many)."""

    px: int
    paragraphs: tuple[tuple[str, ...], ...]
    more: int
    line_step: int
    line_height: int


def _list_height(wrapped: list[list[str]], step: int, line_height: int, gap: int) -> int:
    lines = sum(len(w) for w in wrapped)
    return (lines - 1) * step + line_height + gap * max(0, len(wrapped) - 1) if lines else 0


class _LRU(OrderedDict):
    """Least recently used first out, bounded by a count and, when `weigh` is given, by a
    total weight (bytes of rendered surfaces: a countdown makes a new big one every second)."""

    def __init__(self, limit: int, budget: int | None = None, weigh=None):
        super().__init__()
        self.limit = limit
        self.budget = budget
        self.weigh = weigh
        self.weight = 0

    def put(self, key, value):
        if key in self:
            self.weight -= self._weight(self[key])
        self[key] = value
        self.move_to_end(key)
        self.weight += self._weight(value)
        while len(self) > self.limit or (self.budget is not None and self.weight > self.budget and len(self) > 1):
            _, old = self.popitem(last=False)
            self.weight -= self._weight(old)
        return value

    def _weight(self, value) -> int:
        return self.weigh(value) if self.weigh else 0

    def hit(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value


RENDER_BUDGET = 16 * 1024 * 1024  # bytes of rendered text kept: a few screens' worth at 1080p


def _surface_bytes(surface: pygame.Surface) -> int:
    return surface.get_width() * surface.get_height() * surface.get_bytesize()


def sizes(style: Style):
    """The sizes to try for `style`, largest first: its preferred size down to its least
    in steps of about 6%."""
    px = style.px
    while px > style.min_px:
        yield px
        px -= max(1, round(px * 0.06))
    yield style.min_px


def _split_word(word: str, font: pygame.font.Font, width: int) -> list[str]:
    """Break one over-long word into pieces that each fit `width`."""
    pieces, piece = [], ""
    for ch in word:
        if piece and font.size(piece + ch)[0] > width:
            pieces.append(piece)
            piece = ch
        else:
            piece += ch
    if piece:
        pieces.append(piece)
    return pieces


def wrap(words: str, font: pygame.font.Font, width: int, break_words: bool = False) -> list[str] | None:
    """Greedy word wrap. Returns None when a word is wider than `width` (unless
    `break_words`, which splits it)."""
    lines: list[str] = []
    for paragraph in words.split("\n"):
        if font.size(paragraph)[0] <= width:
            lines.append(paragraph)  # fits whole: keep its spacing (key hints use wide gaps)
            continue
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.size(candidate)[0] <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            if font.size(word)[0] <= width:
                line = word
            elif break_words:
                pieces = _split_word(word, font, width)
                lines.extend(pieces[:-1])
                line = pieces[-1]
            else:
                return None
        lines.append(line)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def ellipsize(line: str, font: pygame.font.Font, width: int) -> str:
    """`line` cut short so that it plus the ellipsis fits `width`."""
    ell = text.ELLIPSIS
    line = line.rstrip(" .,;:")
    while line and font.size(line + ell)[0] > width:
        cut = line.rstrip().rfind(" ")
        # Prefer cutting at a word boundary while the line stays reasonably long.
        if cut > len(line) * 0.6:
            line = line[:cut].rstrip(" .,;:")
        else:
            line = line[:-1].rstrip(" .,;:")
    return line + ell if font.size(line + ell)[0] <= width else ""


def cut_to_width(line: str, font: pygame.font.Font, width: int) -> str:
    """`line` as it is when it fits `width`, else cut short with an ellipsis."""
    return line if font.size(line)[0] <= width else ellipsize(line, font, width)


class Typesetter:
    """Fits text into rectangles and renders lines, with caches for both."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self._fits: _LRU = _LRU(512)
        self._renders: _LRU = _LRU(384, RENDER_BUDGET, _surface_bytes)

    def fit(
        self, words: str, width: int, height: int, style: Style, max_lines: int | None = None, balance: bool = True
    ) -> Fitted:
        """Fit `words` into width x height: wrap, then shrink, then cut with an ellipsis.
        `balance` evens out the lines' lengths (good for centred text)."""
        key = (words, width, height, style, max_lines, balance)
        cached = self._fits.hit(key)
        if cached is not None:
            return cached
        return self._fits.put(key, self._fit(words, max(1, width), max(1, height), style, max_lines, balance))

    def _make(self, font: pygame.font.Font, px: int, lines: list[str]) -> Fitted:
        step = max(font.get_linesize(), font.get_height())
        widest = max((font.size(line)[0] for line in lines), default=0)
        return Fitted(px, tuple(lines), step, font.get_height(), widest)

    @staticmethod
    def _balance(words: str, font: pygame.font.Font, width: int, lines: list[str]) -> list[str]:
        """The same number of lines, but as even as possible (no lone last word): the
        narrowest width that still wraps into that many lines."""
        if len(lines) < 2:
            return lines
        lo, hi, best = width // 2, width, lines
        while lo <= hi:
            mid = (lo + hi) // 2
            trial = wrap(words, font, mid)
            if trial is not None and len(trial) <= len(lines):
                best, hi = trial, mid - 1
            else:
                lo = mid + 1
        return best

    @staticmethod
    def _room(font: pygame.font.Font, height: int, max_lines: int | None) -> int:
        step = max(font.get_linesize(), font.get_height())
        n = (height - font.get_height()) // step + 1 if height >= font.get_height() else 0
        return n if max_lines is None else min(n, max_lines)

    def _fit(self, words: str, width: int, height: int, style: Style, max_lines: int | None, balance: bool) -> Fitted:
        words = words.strip()
        if not words:
            return Fitted(style.px, (), 0, 0, 0)
        for px in sizes(style):
            font = self.fonts.get(px)
            room = self._room(font, height, max_lines)
            if room < 1:
                continue
            lines = wrap(words, font, width)
            if lines is not None and len(lines) <= room:
                return self._make(font, px, self._balance(words, font, width, lines) if balance else lines)
        # Last resort: the smallest size that leaves room for one line, words broken,
        # the last line that fits ended with an ellipsis.
        px = style.min_px
        font = self.fonts.get(px)
        while self._room(font, height, max_lines) < 1 and px > ABSOLUTE_MIN_PX:
            px -= 1
            font = self.fonts.get(px)
        room = max(1, self._room(font, height, max_lines))
        lines = wrap(words, font, width, break_words=True) or [""]
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = ellipsize(lines[-1], font, width)
        lines = [cut_to_width(line, font, width) for line in lines]
        return self._make(font, px, lines)

    def fit_list(self, paragraphs: tuple[str, ...], width: int, height: int, style: Style, gap: int) -> FittedList:
        """Fit `paragraphs` (each wrapped on its own, `gap` px between two) into width x
        height: the largest size down to the style's minimum at which all are shown whole;
        else, at the minimum, as many whole paragraphs as fit with room left for a last line
        saying how many more there are (`FittedList.more`)."""
        key = (FittedList, paragraphs, width, height, style, gap)
        cached = self._fits.hit(key)
        if cached is None:
            cached = self._fits.put(key, self._fit_list(paragraphs, max(1, width), max(1, height), style, gap))
        return cached

    def _fit_list(self, paragraphs: tuple[str, ...], width: int, height: int, style: Style, gap: int) -> FittedList:
        paragraphs = tuple(p.strip() for p in paragraphs if p.strip())
        # Words kept whole if any size allows it; else a word too wide (a path) is broken.
        for break_words in (False, True):
            for px in sizes(style):
                font = self.fonts.get(px)
                step = max(font.get_linesize(), font.get_height())
                wrapped = [wrap(p, font, width, break_words) for p in paragraphs]
                if any(w is None for w in wrapped):
                    continue
                if _list_height(wrapped, step, font.get_height(), gap) <= height:
                    return FittedList(px, tuple(tuple(w) for w in wrapped), 0, step, font.get_height())
        wrapped = [wrap(p, font, width, break_words=True) or [""] for p in paragraphs]
        # At the smallest size: the first paragraphs that fit with a line for "and N more".
        # The first is always kept (cut with an ellipsis if even it is too tall).
        kept = 1
        while kept < len(wrapped) and _list_height(wrapped[: kept + 1] + [[""]], step, font.get_height(), gap) <= height:
            kept += 1
        shown, more = wrapped[:kept], len(wrapped) - kept
        reserve = gap + font.get_height() if more else 0
        room = max(1, (height - reserve - font.get_height()) // step + 1)
        if len(shown) == 1 and len(shown[0]) > room:
            shown = [shown[0][:room]]
            shown[0][-1] = ellipsize(shown[0][-1], font, width)
        return FittedList(px, tuple(tuple(w) for w in shown), more, step, font.get_height())

    def largest_px(self, sample: str, width: int, height: int, lo: int, hi: int) -> int:
        """The largest size (lo..hi) at which one line of `sample` fits width x height."""
        key = ("largest", sample, width, height, lo, hi)
        cached = self._fits.hit(key)
        if cached is not None:
            return cached
        best = lo
        while lo <= hi:
            mid = (lo + hi) // 2
            # Probe fonts are not kept: only the size finally used joins the cache.
            w, h = pygame.font.Font(None, mid).size(sample)
            if w <= width and h <= height:
                best, lo = mid, mid + 1
            else:
                hi = mid - 1
        return self._fits.put(key, best)

    def render(self, line: str, px: int, color) -> pygame.Surface:
        key = (line, px, tuple(color))
        surf = self._renders.hit(key)
        if surf is None:
            surf = self._renders.put(key, self.fonts.get(px).render(line, True, color))
        return surf


def column(rect: pygame.Rect, parts: list[tuple[int, int, float]], gap: int, spread: bool = False) -> list[pygame.Rect]:
    """Split `rect` top to bottom. Each part is (wanted height, minimum height, grow weight);
    a part wanting 0 gets an empty rect and no gap. Spare room goes to growing parts, or
    else centres the block (`spread`: shares it out evenly above, between and below the
    parts); missing room is taken from the parts down to their minimums, then from
    everything proportionally."""
    heights = _share([(w, m, g) for w, m, g in parts], rect.h, gap)
    active = sum(1 for h in heights if h > 0)
    total = sum(heights) + gap * max(0, active - 1)
    spare = rect.h - total if not any(g > 0 for w, _, g in parts if w > 0) else 0
    # Spread at most to a few gaps' worth between parts; beyond that, centre the block.
    step = min(spare // (active + 1), 3 * gap) if spread and spare > 0 else 0
    y = rect.y + max(0, spare - step * max(0, active - 1)) // 2
    rects = []
    for h in heights:
        rects.append(pygame.Rect(rect.x, y, rect.w, h))
        if h > 0:
            y += h + gap + step
    return rects


def fits(parts: list[tuple[int, int, float]], length: int, gap: int) -> bool:
    """Whether `parts` (as for `column`) fit `length` at their minimum sizes."""
    active = [least for want, least, _ in parts if want > 0]
    return sum(active) + gap * max(0, len(active) - 1) <= length


def row(rect: pygame.Rect, parts: list[tuple[int, int, float]], gap: int) -> list[pygame.Rect]:
    """Split `rect` left to right; like `column`."""
    widths = _share(parts, rect.w, gap)
    rects, x = [], rect.x
    total = sum(widths) + gap * max(0, sum(1 for w in widths if w > 0) - 1)
    if not any(g > 0 for _, _, g in parts) and total < rect.w:
        x += (rect.w - total) // 2
    for w in widths:
        rects.append(pygame.Rect(x, rect.y, w, rect.h))
        if w > 0:
            x += w + gap
    return rects


def _share(parts: list[tuple[int, int, float]], length: int, gap: int) -> list[int]:
    active = [p for p in parts if p[0] > 0]
    avail = max(0, length - gap * max(0, len(active) - 1))
    want = sum(p[0] for p in parts)
    least = sum(min(p[1], p[0]) for p in parts)
    if want <= avail:
        spare = avail - want
        weights = sum(p[2] for p in parts if p[0] > 0)
        sizes = [p[0] + (int(spare * p[2] / weights) if weights and p[0] > 0 else 0) for p in parts]
    elif least <= avail:
        t = (avail - least) / (want - least) if want > least else 0
        sizes = [int(min(m, w) + (w - min(m, w)) * t) for w, m, _ in parts]
    else:
        t = avail / least if least else 0
        sizes = [int(min(m, w) * t) for w, m, _ in parts]
    return sizes


def place(size: tuple[int, int], rect: pygame.Rect, align: str = "center", valign: str = "center") -> pygame.Rect:
    """A rect of `size` aligned inside `rect`."""
    r = pygame.Rect((0, 0), size)
    if align == "left":
        r.left = rect.left
    elif align == "right":
        r.right = rect.right
    else:
        r.centerx = rect.centerx
    if valign == "top":
        r.top = rect.top
    elif valign == "bottom":
        r.bottom = rect.bottom
    else:
        r.centery = rect.centery
    return r
