"""desens-kiosk: a bedside kiosk that guides desensitization sessions and records them."""

import os

__version__ = "0.1.0"

# pygame greets on import; the kiosk's output is its log, so keep it out.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
