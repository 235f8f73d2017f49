"""Safety note for a technique that carries one (e.g. the ice rub), before it starts. A note
is never cut: one too long for the screen is split into pages at sentence (else word)
boundaries by `note_pages`, and the screen shows "page N of M" and which key goes on."""

from __future__ import annotations

import re

import pygame

from kiosk import text
from kiosk.render import theme
from kiosk.render.layout import Fonts, Metrics, Style, Typesetter, column, row, sizes, wrap
from kiosk.render.widgets import Canvas, draw_keys, edged_panel, keys_height, panel_inner
from kiosk.views import SafetyView

# Where a note may be split: after a sentence's end (. ! ? or an ellipsis, with any closing
# quote or bracket), or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\s*\n\s*")


def note_style(c: Canvas) -> Style:
    """The note's size: larger than a message's body, never smaller than a prompt's least."""
    m = c.m
    return Style(max(m.prompt.px, round(m.title.px * 1.1)), m.prompt.min_px)


def _rects(c: Canvas, rect: pygame.Rect) -> list[pygame.Rect]:
    """Title, technique line, note panel and keys, top to bottom."""
    m = c.m
    parts = [
        (c.line_height(m.title), c.min_line_height(m.title), 0),
        (c.line_height(m.label), c.min_line_height(m.label), 0),
        (c.line_height(m.prompt, 3), c.min_line_height(m.prompt) * 2, 1),
        (keys_height(c), c.min_line_height(m.hint), 0),
    ]
    return column(rect, parts, m.gap)


def draw(c: Canvas, rect: pygame.Rect, v: SafetyView) -> None:
    m = c.m
    title_r, tech_r, note_r, keys_r = _rects(c, rect)

    # Title with the warning sign in front of it.
    sign = title_r.h
    fitted = c.fit(text.SAFETY_TITLE, pygame.Rect(0, 0, title_r.w - sign - m.gap, title_r.h), m.title, max_lines=1)
    sign_r = pygame.Rect(title_r.x, title_r.y, sign, sign)
    c.warning_sign(sign_r.inflate(-max(2, sign // 8), -max(2, sign // 8)))
    c.draw_fitted(fitted, pygame.Rect(sign_r.right + m.gap, title_r.y, title_r.w - sign - m.gap, title_r.h), theme.WARN, align="left")

    # The technique at the left, "page 1 of 2" at the right when the note has pages.
    if v.pages > 1:
        page = c.fit(text.page_of(v.page, v.pages), tech_r, m.label, max_lines=1)
        tech_r, page_r = row(tech_r, [(tech_r.w - page.width - m.margin, 1, 1), (page.width, page.width, 0)], m.margin)
        c.draw_fitted(page, page_r, theme.TEXT, align="right")
    c.text(v.technique, tech_r, m.label, theme.ACCENT, align="left", max_lines=1)

    # The note in a panel with an amber edge. A notice banner takes room the pages were not
    # measured with: the note may then shrink to the size of a label rather than be cut.
    inner = edged_panel(c, note_r, theme.WARN)
    style = note_style(c)
    if not _fits(c.ts, v.note, inner.size, style.min_px):
        style = Style(style.px, min(style.min_px, m.label.min_px))
    c.text(v.note, inner, style, theme.TEXT, align="left")

    draw_keys(c, keys_r, safety_keys(v.page, v.pages))


def safety_keys(page: int, pages: int) -> str:
    """What select and back do on this page: next page until the last, then "I understand";
    back chooses another technique from the first page, else goes a page back."""
    if page >= pages:
        return text.SAFETY_KEYS if pages <= 1 else text.SAFETY_LAST_KEYS
    return text.SAFETY_FIRST_PAGE_KEYS if page <= 1 else text.SAFETY_NEXT_KEYS


# -- paging ------------------------------------------------------------------------------
def note_box(c: Canvas) -> tuple[int, int]:
    """The room for the note's words on a screen of `c`'s size without a notice."""
    m = c.m
    content = pygame.Rect(m.margin, m.margin, m.w - 2 * m.margin, m.h - 2 * m.margin)
    return panel_inner(m, _rects(c, content)[2]).size


def _fits(ts: Typesetter, words: str, box: tuple[int, int], px: int) -> bool:
    """Whether `words` are shown whole in `box` at size `px`, wrapped between words (what
    `Typesetter.fit` then draws, at that size or larger, without cutting)."""
    font = ts.fonts.get(px)
    width, height = box
    lines = wrap(words, font, max(1, width))
    if lines is None:
        return False
    step = max(font.get_linesize(), font.get_height())
    return font.get_height() + step * (len(lines) - 1) <= height


def _sentences(note: str) -> list[str]:
    return [s for s in (" ".join(part.split()) for part in _SENTENCE_END.split(note.strip())) if s]


def split_note(ts: Typesetter, note: str, box: tuple[int, int], style: Style) -> tuple[str, ...]:
    """`note` as pages that each fit `box` at `style` (down to its smallest size): as few
    pages as at the smallest size, and of those splits the one whose pages all fit the
    largest size, so the words are as big as the page count allows."""
    sentences = _sentences(note)
    pages = _pack(ts, sentences, box, style.min_px)
    if len(pages) > 1:
        for px in sizes(style):
            trial = _pack(ts, sentences, box, px)
            if len(trial) <= len(pages):
                return trial
    return pages


def _pack(ts: Typesetter, sentences: list[str], box: tuple[int, int], px: int) -> tuple[str, ...]:
    """As many whole sentences a page as fit at `px`; a sentence too long for a page is
    split between words. A single word wider than the box gets a page of its own (the
    fitting then breaks it)."""
    pages: list[str] = []
    page = ""
    for sentence in sentences:
        candidate = f"{page} {sentence}" if page else sentence
        if _fits(ts, candidate, box, px):
            page = candidate
            continue
        if page:
            pages.append(page)
            page = ""
        if _fits(ts, sentence, box, px):
            page = sentence
            continue
        for word in sentence.split():
            candidate = f"{page} {word}" if page else word
            if page and not _fits(ts, candidate, box, px):
                pages.append(page)
                page = word
            else:
                page = candidate
    if page or not pages:
        pages.append(page)
    return tuple(pages)


def pages_for(ts: Typesetter, note: str, size: tuple[int, int]) -> tuple[str, ...]:
    """The pages of `note` on the safety screen of a `size` screen, measured with `ts`."""
    c = Canvas(pygame.Surface((1, 1)), Metrics(size), ts)
    return split_note(ts, note, note_box(c), note_style(c))


def note_pages(note: str, size: tuple[int, int]) -> tuple[str, ...]:
    """`note` split into the pages the safety screen shows at `size` (width, height): each
    fits the note's box at a readable size, whole, never cut and never with an ellipsis;
    split at sentence boundaries, else between words. A note that fits is one page."""
    if not pygame.font.get_init():
        pygame.font.init()
    return pages_for(Typesetter(Fonts()), note, size)


def pages_needed(note: str, size: tuple[int, int] = (480, 320)) -> int:
    """How many pages `note` takes on the safety screen at `size` (check-config warns above
    two at 480x320, the smallest screen)."""
    return len(note_pages(note, size))
