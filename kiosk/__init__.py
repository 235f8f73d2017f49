"""desens-kiosk: a bedside kiosk that guides desensitization sessions and records them."""

__version__ = "0.1.0"
