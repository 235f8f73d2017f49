"""Drawing helpers shared by the screens: fitted text (recorded for tests), shapes of our
own design (ring, pause bars, warning sign, check mark, clock face, padlock, arrows), the
key-hint line, the notice banner and key choices drawn as buttons."""

from __future__ import annotations

import pygame

from kiosk.render import shapes, theme
from kiosk.render.layout import Fitted, Metrics, Style, Typesetter, place, row


class Canvas:
    """One draw call's target: the surface, the sizes, and the list of text boxes drawn."""

    def __init__(self, surface: pygame.Surface, metrics: Metrics, typesetter: Typesetter):
        self.surface = surface
        self.m = metrics
        self.ts = typesetter
        self.boxes: list[tuple[str, pygame.Rect]] = []

    # -- text -------------------------------------------------------------------------
    def fit(self, text: str, rect: pygame.Rect, style: Style, max_lines: int | None = None, balance: bool = True) -> Fitted:
        return self.ts.fit(text, rect.w, rect.h, style, max_lines, balance)

    def text(
        self,
        text: str,
        rect: pygame.Rect,
        style: Style,
        color=theme.TEXT,
        align: str = "center",
        valign: str = "center",
        max_lines: int | None = None,
        balance: bool | None = None,
    ) -> pygame.Rect:
        """Draw `text` fitted into `rect`; returns the rect the lines cover. Lines are
        balanced when centred unless `balance` says otherwise."""
        fitted = self.fit(text, rect, style, max_lines, align == "center" if balance is None else balance)
        return self.draw_fitted(fitted, rect, color, align, valign)

    def draw_fitted(self, fitted: Fitted, rect: pygame.Rect, color, align="center", valign="center") -> pygame.Rect:
        if not fitted.lines:
            return pygame.Rect(rect.x, rect.y, 0, 0)
        block = place((fitted.width, fitted.height), rect, align, valign)
        covered = None
        y = block.y
        for line in fitted.lines:
            if line:
                surf = self.ts.render(line, fitted.px, color)
                r = place(surf.get_size(), pygame.Rect(block.x, y, block.w, surf.get_height()), align, "top")
                self.surface.blit(surf, r)
                self.boxes.append((line, r))
                covered = r.copy() if covered is None else covered.union(r)
            y += fitted.line_step
        return covered or pygame.Rect(block.x, block.y, 0, 0)

    def line_height(self, style: Style, lines: int = 1) -> int:
        font = self.ts.fonts.get(style.px)
        step = max(font.get_linesize(), font.get_height())
        return font.get_height() + step * (lines - 1)

    def wanted_height(self, text: str, width: int, style: Style, max_lines: int) -> int:
        """Height `text` takes at `width`, wrapped to at most `max_lines` lines at the
        style's preferred size (less if it fits only by shrinking)."""
        return self.ts.fit(text, width, self.line_height(style, max_lines), style, max_lines).height

    def least_height(self, words: str, width: int, style: Style, max_lines: int) -> int:
        """Height `words` need to be shown whole at `width`: wrapped at the style's smallest
        size to at most `max_lines` lines (a message's minimum: it wraps, it is not cut)."""
        smallest = Style(style.min_px, style.min_px)
        return self.ts.fit(words, width, self.line_height(smallest, max_lines), smallest, max_lines).height

    def message_part(self, words: str, width: int, style: Style, lines: int = 2, most: int = 3) -> tuple[int, int, float]:
        """A `column` part for a message: wants `lines` lines at the style's size, needs
        room to be shown whole in up to `most` lines at its smallest (0, 0 for no words)."""
        least = self.least_height(words, width, style, most)
        return max(least, self.wanted_height(words, width, style, lines)), least, 0

    def min_line_height(self, style: Style) -> int:
        return self.ts.fonts.get(style.min_px).get_height()

    # -- shapes -----------------------------------------------------------------------
    def box(self, rect: pygame.Rect, color, radius: int | None = None, width: int = 0) -> None:
        r = self.m.radius if radius is None else radius
        r = max(0, min(r, rect.w // 2, rect.h // 2))
        pygame.draw.rect(self.surface, color, rect, width, border_radius=r)

    def disc(self, center: tuple[int, int], radius: int, color) -> None:
        shapes.disc(self.surface, center, radius, color)

    def circle(self, center: tuple[int, int], radius: int, color, width: int) -> None:
        """An anti-aliased circle outline `width` pixels thick (drawn inward)."""
        shapes.ring(self.surface, center, radius, radius - width, color)

    def polygon(self, points, color) -> None:
        shapes.polygon(self.surface, points, color)

    def ring(self, center, r_out: float, r_in: float, fraction: float, color, start: float = 0.0) -> None:
        """A ring sector: `fraction` of a full turn, clockwise from `start` (a fraction of
        a turn, 0 = 12 o'clock)."""
        shapes.ring(self.surface, center, r_out, r_in, color, fraction, start)

    def pause_bars(self, rect: pygame.Rect, color) -> None:
        """Two upright bars, the universal pause symbol, centred in `rect`."""
        h = rect.h
        bar_w = max(3, round(h * 0.28))
        gap = max(3, round(h * 0.22))
        total = 2 * bar_w + gap
        x = rect.centerx - total // 2
        for bx in (x, x + bar_w + gap):
            self.box(pygame.Rect(bx, rect.y, bar_w, h), color, radius=max(1, bar_w // 4))

    def warning_sign(self, rect: pygame.Rect) -> None:
        """An amber triangle with an exclamation mark made of shapes, fitted in `rect`."""
        side = min(rect.w, rect.h / 0.87)
        h = side * 0.87
        cx, top = rect.centerx, rect.centery - h / 2
        self.polygon([(cx, top), (cx + side / 2, top + h), (cx - side / 2, top + h)], theme.WARN)
        bar_w = max(2, round(side * 0.11))
        bar = pygame.Rect(0, 0, bar_w, round(h * 0.38))
        bar.midtop = (round(cx), round(top + h * 0.32))
        self.box(bar, theme.ON_WARN, radius=bar_w // 2)
        dot = max(1, round(bar_w * 0.6))
        self.disc((round(cx), round(top + h * 0.83)), dot, theme.ON_WARN)

    def check_mark(self, rect: pygame.Rect, color) -> None:
        s = min(rect.w, rect.h)
        x0, y0 = rect.centerx - s / 2, rect.centery - s / 2
        t = max(2.0, s * 0.14)
        a, b, c = (x0 + s * 0.08, y0 + s * 0.55), (x0 + s * 0.38, y0 + s * 0.84), (x0 + s * 0.94, y0 + s * 0.2)
        shapes.thick_line(self.surface, a, b, t, color)
        shapes.thick_line(self.surface, b, c, t, color)
        self.disc((round(b[0]), round(b[1])), round(t / 2), color)

    def clock_face(self, rect: pygame.Rect, color) -> None:
        """A small clock: a ring with two hands, fitted in `rect`."""
        s = min(rect.w, rect.h)
        r = s / 2
        cx, cy = rect.centerx, rect.centery
        t = max(1.5, s * 0.11)
        shapes.ring(self.surface, (cx, cy), r, r - t, color)
        shapes.thick_line(self.surface, (cx, cy), (cx, cy - r * 0.62), t, color, round_ends=True)
        shapes.thick_line(self.surface, (cx, cy), (cx + r * 0.45, cy), t, color, round_ends=True)

    def padlock(self, rect: pygame.Rect, color) -> None:
        """A closed padlock fitted in `rect`: a shackle over a body with a keyhole."""
        h = min(rect.h, rect.w * 1.25)
        w = h * 0.8
        x0, y0 = rect.centerx - w / 2, rect.centery - h / 2
        body = pygame.Rect(round(x0), round(y0 + h * 0.42), round(w), round(h * 0.58))
        t = max(2.0, w * 0.14)
        r_out = w * 0.36
        center = (rect.centerx, body.top)
        shapes.ring(self.surface, center, r_out, r_out - t, color, fraction=0.5, start=0.75)
        for side in (-1, 1):
            x = rect.centerx + side * (r_out - t / 2)
            shapes.thick_line(self.surface, (x, body.top - 1), (x, body.top + t), t, color)
        self.box(body, color, radius=max(2, body.w // 6))
        hole = max(2, round(w * 0.1))
        self.disc((body.centerx, body.centery - hole // 2), hole, theme.BG)
        shapes.thick_line(self.surface, (body.centerx, body.centery), (body.centerx, body.centery + hole * 2), hole, theme.BG)

    def arrow_right(self, rect: pygame.Rect, color) -> None:
        s = min(rect.w, rect.h * 1.4)
        h = s * 0.7
        x0, cy = rect.centerx - s / 2, rect.centery
        shaft = h * 0.3
        head = s * 0.45
        self.polygon(
            [
                (x0, cy - shaft / 2),
                (x0 + s - head, cy - shaft / 2),
                (x0 + s - head, cy - h / 2),
                (x0 + s, cy),
                (x0 + s - head, cy + h / 2),
                (x0 + s - head, cy + shaft / 2),
                (x0, cy + shaft / 2),
            ],
            color,
        )

    def triangle(self, rect: pygame.Rect, color, up: bool) -> None:
        s = min(rect.w, rect.h * 1.6)
        h = s * 0.6
        cx, cy = rect.centerx, rect.centery
        if up:
            pts = [(cx, cy - h / 2), (cx + s / 2, cy + h / 2), (cx - s / 2, cy + h / 2)]
        else:
            pts = [(cx - s / 2, cy - h / 2), (cx + s / 2, cy - h / 2), (cx, cy + h / 2)]
        self.polygon(pts, color)


# -- pieces used on several screens -------------------------------------------------------
def keys_height(c: Canvas) -> int:
    return c.line_height(c.m.hint)


def draw_keys(c: Canvas, rect: pygame.Rect, words: str) -> None:
    c.text(words, rect, c.m.hint, theme.DIM, max_lines=1)


def title_with_side(c: Canvas, rect: pygame.Rect, title: str, side: str, side_color) -> None:
    """A screen's title at the left and a short word at the right (who, which days), the
    side word given at most a third of the line."""
    m = c.m
    side_fit = c.fit(side, pygame.Rect(0, 0, rect.w // 3, rect.h), m.label, max_lines=1)
    left, right = row(rect, [(rect.w - side_fit.width - m.margin, 1, 1), (side_fit.width, side_fit.width, 0)], m.margin)
    c.text(title, left, m.title, theme.TEXT, align="left", max_lines=1)
    c.draw_fitted(side_fit, right, side_color, align="right")


def edged_panel(c: Canvas, rect: pygame.Rect, color) -> pygame.Rect:
    """A panel with a rounded edge in `color` down its left side (a safety note, a
    message's body); returns the room inside it for the words."""
    c.box(rect, theme.PANEL)
    edge = pygame.Rect(rect.x, rect.y, _panel_edge(c.m), rect.h)
    c.box(edge, color, radius=edge.w // 2)
    return panel_inner(c.m, rect)


def _panel_edge(m: Metrics) -> int:
    return max(4, round(8 * m.s))


def panel_inner(m: Metrics, rect: pygame.Rect) -> pygame.Rect:
    """The room `edged_panel` leaves for words inside `rect` (to measure before drawing)."""
    edge = _panel_edge(m)
    pad = max(8, round(18 * m.s))
    return pygame.Rect(rect.x + edge + pad, rect.y + pad // 2, rect.w - edge - 2 * pad, rect.h - pad)


def notice_height(c: Canvas, notice: str) -> tuple[int, Fitted]:
    """Height of the banner for `notice`: at most ~40% of the screen, in at most 3 lines
    on a landscape screen and 5 on a portrait one (narrow, so a notice takes more lines)."""
    m = c.m
    pad = max(6, round(10 * m.s))
    width = m.w - 2 * m.margin
    cap = int(m.h * 0.4) - 2 * pad
    fitted = c.ts.fit(notice, width, cap, m.notice, max_lines=3 if m.w >= m.h else 5)
    return fitted.height + 2 * pad, fitted


def draw_notice(c: Canvas, rect: pygame.Rect, fitted: Fitted) -> None:
    pygame.draw.rect(c.surface, theme.WARN, rect)
    inner = rect.inflate(-2 * c.m.margin, 0)
    c.draw_fitted(fitted, inner, theme.ON_WARN, align="center", valign="center")


# -- key choices drawn as buttons ---------------------------------------------------------------
# A pill's look: FILL = the accent button (the main choice), OUTLINE = a secondary choice,
# WARN = a choice to notice (undo).
FILL, OUTLINE, WARN = range(3)


def pill_height(c: Canvas, style: Style | None = None) -> int:
    return round(c.line_height(style or c.m.body) * 1.6)


def pills_height(c: Canvas, width: int, pills: list[tuple[int, str]], style: Style | None = None) -> int:
    """Height the pills want at `width`: one row when they fit side by side, else stacked."""
    m = c.m
    style = style or m.body
    h = pill_height(c, style)
    pad = 2 * m.margin
    font = c.ts.fonts.get(style.px)
    total = sum(font.size(words)[0] + 2 * pad for _, words in pills) + 2 * m.margin * (len(pills) - 1)
    if total <= width:
        return h
    return len(pills) * h + (len(pills) - 1) * m.gap


def draw_pills(c: Canvas, rect: pygame.Rect, pills: list[tuple[int, str]], style: Style | None = None) -> list[pygame.Rect]:
    """Key choices as rounded buttons with their words: side by side when they fit at
    the `style` size (default body), else one under the other, each as wide as the widest."""
    m = c.m
    style = style or m.body
    pad = 2 * m.margin
    space = 2 * m.margin
    h = min(pill_height(c, style), rect.h)
    font = c.ts.fonts.get(style.px)
    widths = [font.size(words)[0] + 2 * pad for _, words in pills]
    if sum(widths) + space * (len(pills) - 1) <= rect.w and h <= rect.h:
        x = rect.centerx - (sum(widths) + space * (len(pills) - 1)) // 2
        boxes = []
        for w in widths:
            boxes.append(pygame.Rect(x, rect.centery - h // 2, w, h))
            x += w + space
    else:
        n = len(pills)
        h = min(pill_height(c, style), (rect.h - (n - 1) * m.gap) // max(1, n))
        w = min(rect.w, max(widths))
        y = rect.centery - (n * h + (n - 1) * m.gap) // 2
        boxes = [pygame.Rect(rect.centerx - w // 2, y + i * (h + m.gap), w, h) for i in range(n)]
    edge = max(2, m.line)
    for (look, words), box in zip(pills, boxes):
        radius = box.h // 2
        if look == FILL:
            c.box(box, theme.ACCENT, radius=radius)
            color = theme.ON_ACCENT
        elif look == WARN:
            c.box(box, theme.WARN, radius=radius)
            color = theme.ON_WARN
        else:
            c.box(box, theme.TEXT, radius=radius, width=edge)
            color = theme.TEXT
        inner = box.inflate(-max(2 * edge + 2, min(pad, box.h // 2) * 2), -2 * edge - 2)
        c.text(words, inner, style, color, max_lines=1)
    return boxes
