"""The baseline the kiosk's loop is measured against: the textbook pygame loop.

    python bench/textbook.py --screen home|countdown --size 800x480 --config C --data-dir D

The same logic (kiosk.controller.Controller on the same config and a real database file)
and the same drawing code (kiosk.render.Renderer) as the kiosk, but the loop every pygame
tutorial teaches: `pygame.init()`, then 60 times a second handle events, update, redraw
the whole screen and `display.flip()`, paced by `clock.tick(60)`. Only the loop differs.

With --screen countdown it presses select four times on the controller first (home ->
area -> technique -> pain before -> countdown). It says READY=1 on $NOTIFY_SOCKET after
its first frame, like the kiosk, and stops on SIGINT or SIGTERM. With --stats FILE, each
SIGUSR1 appends "frames seconds" (frames drawn so far, time.monotonic()) to FILE, so the bench
can tell the frame rate it reached over its CPU window (at 1920x1080 on a busy machine it
falls short of 60, and its CPU with it).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from kiosk import text  # noqa: E402
from kiosk.config import load  # noqa: E402
from kiosk.controller import Controller  # noqa: E402
from kiosk.events import Key  # noqa: E402
from kiosk.render import Renderer  # noqa: E402
from kiosk.storage.store import Store  # noqa: E402


def notify(message: str) -> None:
    where = os.environ.get("NOTIFY_SOCKET")
    if where:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), where)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screen", choices=("home", "countdown"), required=True)
    parser.add_argument("--size", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--stats", help="on SIGUSR1, append 'frames seconds' to this file")
    args = parser.parse_args()
    size = tuple(int(x) for x in args.size.split("x"))

    running = [True]

    def stop(*_):
        running[0] = False

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    frames = [0]

    def stats(*_):
        if args.stats:
            with open(args.stats, "a") as out:
                out.write(f"{frames[0]} {time.monotonic()}\n")

    signal.signal(signal.SIGUSR1, stats)

    config = load(Path(args.config)).config
    store = Store.open(Path(args.data_dir), rollover=config.day_starts_at)
    controller = Controller(config, store, clock=time.monotonic, now=lambda: datetime.now(timezone.utc))
    if args.screen == "countdown":
        for _ in range(4):
            controller.press(Key.SELECT)

    pygame.init()  # the textbook way: every module, the mixer included
    pygame.display.set_caption(text.APP_TITLE + " (textbook loop)")
    screen = pygame.display.set_mode(size)
    renderer = Renderer(screen.get_size())
    clock = pygame.time.Clock()
    first = True
    while running[0]:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running[0] = False
        controller.tick()
        renderer.draw(screen, controller.frame())
        pygame.display.flip()
        frames[0] += 1
        if first:
            notify("READY=1")
            first = False
        clock.tick(60)
    store.close()
    pygame.quit()


if __name__ == "__main__":
    main()
