"""Every test runs headless: SDL's dummy video and audio drivers, gpiozero's mock pins."""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["GPIOZERO_PIN_FACTORY"] = "mock"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
