"""The `desens-kiosk` command line: `run` (the default) and `check-config`."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

from kiosk import __version__, paths

EXIT_CONFIG = 2


def _size(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", value)
    if not match:
        raise argparse.ArgumentTypeError(f"'{value}' is not a size like 800x480")
    width, height = int(match[1]), int(match[2])
    if width < 320 or height < 240:
        raise argparse.ArgumentTypeError(f"'{value}' is too small (at least 320x240)")
    return width, height


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="desens-kiosk",
        description="Guided desensitization (DESENS) sessions on a bedside kiosk.",
    )
    top.add_argument("--version", action="version", version=f"desens-kiosk {__version__}")
    commands = top.add_subparsers(dest="command", metavar="{run,check-config}")

    run = commands.add_parser("run", help="start the kiosk (the default)")
    run.add_argument("--config", metavar="PATH", help="settings file (default: $DESENS_KIOSK_CONFIG, "
                     "else /etc/desens-kiosk/config.yaml if present, else the bundled defaults)")
    run.add_argument("--data-dir", metavar="DIR", help="where desens.db lives (default: $DESENS_KIOSK_DATA, "
                     "else $STATE_DIRECTORY, else ~/.local/share/desens-kiosk)")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--windowed", dest="fullscreen", action="store_false", default=None,
                      help="run in a window (the default under a desktop)")
    mode.add_argument("--fullscreen", dest="fullscreen", action="store_true", default=None,
                      help="run fullscreen (the default on the console)")
    run.add_argument("--size", type=_size, metavar="WxH", help="window or screen size, e.g. 800x480")

    check = commands.add_parser("check-config", help="validate a settings file and exit")
    check.add_argument("path", nargs="?", help="the file to check (default: the one `run` would use)")
    return top


def check_config(path_arg: str | None) -> int:
    """Print a one-line summary and exit 0, or one line per problem and exit 2."""
    from kiosk.config import ConfigError, load, summary

    path = paths.user_config_path(path_arg)
    try:
        loaded = load(path)
    except ConfigError as error:
        for problem in error.problems:
            print(problem)
        return EXIT_CONFIG
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    where = str(path) if path else f"{paths.default_config_path()} (bundled defaults)"
    print(f"{where}: OK: {summary(loaded.config)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "run")
    args = parser().parse_args(argv)
    if args.command == "check-config":
        return check_config(args.path)

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from kiosk.app import Options, run

    return run(Options(config=args.config, data_dir=args.data_dir, fullscreen=args.fullscreen, size=args.size))


if __name__ == "__main__":
    sys.exit(main())
