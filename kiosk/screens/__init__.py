"""Drawing the kiosk's screens with pygame: `Renderer(size).draw(surface, frame)`."""

from kiosk.screens.renderer import Renderer

__all__ = ["Renderer"]
