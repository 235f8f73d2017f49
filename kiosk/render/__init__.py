"""Everything drawn with pygame: the screens, the charts, the report page, and the theme
and layout they share. Nothing outside this package draws.

`note_pages(note, size)` splits a safety note into the pages the safety screen shows (also
bound to a renderer's size as `Renderer.note_pages`); `pages_needed(note, size)` counts
them, for the configuration check."""

from kiosk.render.renderer import Renderer
from kiosk.render.screens.safety import note_pages, pages_needed

__all__ = ["Renderer", "note_pages", "pages_needed"]
