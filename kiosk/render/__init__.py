"""Everything drawn with pygame: the screens, the charts, the report page, and the theme
and layout they share. Nothing outside this package draws.

`note_pages(note, size)` splits a safety note into the pages the safety screen shows (also
bound to a renderer's size as `Renderer.note_pages`); `pages_needed(note, size)` counts
them, for the configuration check. With display.touch on, `targets_for(frame, size)` says
where a finger may press and what it means (kiosk.render.targets)."""

from kiosk.render.renderer import Renderer
from kiosk.render.screens.safety import note_pages, pages_needed
# Re-exported for kiosk.app: where a finger may press on a frame, and the hold's ring.
from kiosk.render.targets import draw_hold_progress as draw_hold_progress, hit as hit, targets_for as targets_for

__all__ = ["Renderer", "note_pages", "pages_needed"]
