"""`Renderer`: draws a `Frame` (a view plus an optional notice) onto a surface."""

from __future__ import annotations

import pygame

from kiosk.render import theme
from kiosk.render.dispatch import draw_view
from kiosk.render.layout import Fonts, Metrics, Typesetter
from kiosk.render.screens import safety
from kiosk.render.targets import draw_touch_frame
from kiosk.render.widgets import Canvas, draw_notice, notice_height
from kiosk.views import Frame, SleepView

BLACK = (0, 0, 0)


class Renderer:
    """Draws frames for one screen size. Sizes and fonts are worked out once per size and
    fitted text and rendered lines are cached, so redrawing is cheap.

    After each `draw`, `text_boxes` lists every piece of text blitted as (text, rect).
    A `SleepView` is an all-black screen and nothing else (not even a notice).
    """

    def __init__(self, size: tuple[int, int]):
        if not pygame.font.get_init():
            pygame.font.init()
        self.fonts = Fonts()
        self.typesetter = Typesetter(self.fonts)
        self._resize(size)
        self.text_boxes: list[tuple[str, pygame.Rect]] = []
        self._note_pages: dict[tuple[str, tuple[int, int]], tuple[str, ...]] = {}

    def _resize(self, size: tuple[int, int]) -> None:
        self.size = (int(size[0]), int(size[1]))
        self.metrics = Metrics(self.size)

    def note_pages(self, note: str) -> tuple[str, ...]:
        """`note` split into the safety screen's pages at this renderer's size (see
        `kiosk.render.screens.safety.note_pages`); the session logic shows one at a time."""
        key = (note, self.size)
        pages = self._note_pages.get(key)
        if pages is None:
            if len(self._note_pages) > 64:
                self._note_pages.clear()
            pages = self._note_pages[key] = safety.pages_for(self.typesetter, note, self.size)
        return pages

    def draw(self, surface: pygame.Surface, frame: Frame) -> None:
        if isinstance(frame.view, SleepView):
            surface.fill(BLACK)
            self.text_boxes = []
            return
        if surface.get_size() != self.size:
            self._resize(surface.get_size())
        m = self.metrics
        c = Canvas(surface, m, self.typesetter)
        surface.fill(theme.BG)
        if frame.touch:  # the screen above a bar of touch buttons, its rows and cells targets
            draw_touch_frame(c, frame)
            self.text_boxes = c.boxes
            return
        screen = pygame.Rect(0, 0, m.w, m.h)
        bottom = m.h
        if frame.notice:
            banner_h, fitted = notice_height(c, frame.notice)
            banner = pygame.Rect(0, m.h - banner_h, m.w, banner_h)
            draw_notice(c, banner, fitted)
            bottom = banner.top
        content = pygame.Rect(m.margin, m.margin, m.w - 2 * m.margin, bottom - 2 * m.margin)
        draw_view(c, content.clip(screen), frame.view)
        self.text_boxes = c.boxes
