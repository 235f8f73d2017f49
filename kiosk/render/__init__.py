"""Everything drawn with pygame: the screens, the charts, the report page, and the theme
and layout they share. Nothing outside this package draws."""

from kiosk.render.renderer import Renderer

__all__ = ["Renderer"]
