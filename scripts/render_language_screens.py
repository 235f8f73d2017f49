#!/usr/bin/env python3
"""Render every sample screen in another language to PNG files, headless, to look at.

    python scripts/render_language_screens.py                      # Spanish, 800x480, into docs/screens-es/
    python scripts/render_language_screens.py --language es --sizes 480x320,800x480,1920x1080 --out /tmp/es
    python scripts/render_language_screens.py --report /tmp/informe.png   # the report page too
    python scripts/render_language_screens.py --only home --report /tmp/r.png --report-sample report_unsynced

The strings table is switched to the language (kiosk.text.use) and the samples' names,
prompts and notes are translated (kiosk.language_samples). With one size the files are named
after the samples; with several, each size gets its own subfolder. Each screen's line says
whether a text was cut short or left the screen, the things to look for in the pictures.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from kiosk import language_samples, text  # noqa: E402


def parse_size(value: str) -> tuple[int, int]:
    width, _, height = value.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size like 800x480: {value!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="es", help="a language with a catalog (default es)")
    parser.add_argument("--sizes", default="800x480", help="comma-separated WxH list (default 800x480)")
    parser.add_argument("--out", type=Path, help="output folder (default docs/screens-LANGUAGE)")
    parser.add_argument("--only", default="", help="comma-separated sample names (default: all)")
    parser.add_argument("--report", type=Path, help="also write the sample report page (PNG) to this path")
    parser.add_argument("--report-sample", default="report_28", help="which sample data (default report_28)")
    args = parser.parse_args(argv)
    text.use(args.language)
    # The drawing code is imported once the table speaks the language: a module that keeps
    # a word from import time (kiosk.render.screens.choice's TITLES) then keeps this one.
    from kiosk.render import Renderer

    frames, reports = language_samples.samples_in(args.language)
    out_root = args.out or ROOT / "docs" / f"screens-{args.language}"
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    names = [n for n in args.only.split(",") if n] or list(frames)

    pygame.display.init()
    pygame.font.init()
    if args.report:
        from kiosk.render.report_page import draw_report

        page = draw_report(reports[args.report_sample], 1654)
        args.report.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(page.surface, str(args.report))
        print(args.report)
    problems = 0
    for size in sizes:
        out = out_root if len(sizes) == 1 else out_root / f"{size[0]}x{size[1]}"
        out.mkdir(parents=True, exist_ok=True)
        renderer = Renderer(size)
        surface = pygame.Surface(size)
        screen = pygame.Rect((0, 0), size)
        for name in names:
            renderer.draw(surface, frames[name])
            path = out / f"{name}.png"
            pygame.image.save(surface, str(path))
            cut = [t for t, _ in renderer.text_boxes if t.endswith(text.ELLIPSIS)]
            outside = [t for t, r in renderer.text_boxes if not screen.contains(r)]
            problems += len(outside)
            notes = "".join(f"  CUT {t!r}" for t in cut) + "".join(f"  OUTSIDE {t!r}" for t in outside)
            print(f"{path}  ({len(renderer.text_boxes)} texts){notes}")
    pygame.quit()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
