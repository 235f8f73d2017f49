#!/usr/bin/env python3
"""Render every sample screen (kiosk/screens/samples.py) to PNG files, headless.

    python scripts/render_screens.py                      # 800x480 into docs/screens/
    python scripts/render_screens.py --sizes 480x320,800x480,1920x1080 --out /tmp/shots

With one size the files are named after the samples (home.png, countdown.png, ...); with
several, each size gets its own subfolder (480x320/home.png, ...).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from kiosk.screens import Renderer  # noqa: E402
from kiosk.screens.samples import SAMPLES  # noqa: E402


def parse_size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    try:
        size = int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size like 800x480: {text!r}") from None
    if size[0] < 1 or size[1] < 1:
        raise argparse.ArgumentTypeError(f"not a size like 800x480: {text!r}")
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="800x480", help="comma-separated WxH list (default 800x480)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens", help="output folder")
    parser.add_argument("--only", default="", help="comma-separated sample names (default: all)")
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    names = [n for n in args.only.split(",") if n] or list(SAMPLES)
    unknown = [n for n in names if n not in SAMPLES]
    if unknown:
        parser.error(f"unknown samples: {', '.join(unknown)} (known: {', '.join(SAMPLES)})")

    pygame.display.init()
    pygame.font.init()
    for size in sizes:
        out = args.out if len(sizes) == 1 else args.out / f"{size[0]}x{size[1]}"
        out.mkdir(parents=True, exist_ok=True)
        renderer = Renderer(size)
        surface = pygame.Surface(size)
        for name in names:
            start = time.perf_counter()
            renderer.draw(surface, SAMPLES[name])
            ms = (time.perf_counter() - start) * 1000
            path = out / f"{name}.png"
            pygame.image.save(surface, str(path))
            print(f"{path}  ({ms:.1f} ms, {len(renderer.text_boxes)} texts)")
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
