#!/usr/bin/env python3
"""Render every sample screen (kiosk/render/samples.py) to PNG files, headless.

    python scripts/render_screens.py                      # 800x480 into docs/screens/
    python scripts/render_screens.py --sizes 480x320,800x480,1920x1080 --out /tmp/shots
    python scripts/render_screens.py --report /tmp/report.png     # a sample report page
    python scripts/render_screens.py --report /tmp/r.png --report-sample report_90

With one size the files are named after the samples (home.png, countdown.png, ...); with
several, each size gets its own subfolder (480x320/home.png, ...). With --report only the
report page is written (unless --sizes or --only are given too).
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

from kiosk.render import Renderer  # noqa: E402
from kiosk.render.samples import REPORT_SAMPLES, SAMPLES  # noqa: E402


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
    parser.add_argument("--report", type=Path, help="write a sample report page (PNG) to this path")
    parser.add_argument(
        "--report-sample", default="report_28", choices=list(REPORT_SAMPLES), help="which sample data (default report_28)"
    )
    parser.add_argument("--report-width", type=int, default=1654, help="report page width in px (default 1654)")
    args = parser.parse_args(argv)
    screens_too = not args.report or args.only or "--sizes" in (argv if argv is not None else sys.argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    names = [n for n in args.only.split(",") if n] or list(SAMPLES)
    unknown = [n for n in names if n not in SAMPLES]
    if unknown:
        parser.error(f"unknown samples: {', '.join(unknown)} (known: {', '.join(SAMPLES)})")

    pygame.display.init()
    pygame.font.init()
    if args.report:
        from kiosk.render.report_page import draw_report

        start = time.perf_counter()
        page = draw_report(REPORT_SAMPLES[args.report_sample], args.report_width)
        args.report.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(page.surface, str(args.report))
        ms = (time.perf_counter() - start) * 1000
        print(f"{args.report}  {page.surface.get_width()}x{page.surface.get_height()} ({ms:.0f} ms, {len(page.texts)} texts)")
    for size in sizes if screens_too else []:
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
