"""The `desens-kiosk` command line: `run` (the default), `check-config`, and the clinician's
tools `demo-data`, `export`, `report` and `purge`."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from kiosk import __version__, paths, text
from kiosk.model import REPORT_DAYS

EXIT_CONFIG = 2
MAX_PROBLEMS_SHOWN = 50  # a file full of mistakes should not scroll its first ones away
EXIT_FAILED = 1
CLINIC_COMMANDS = ("demo-data", "export", "report", "purge")
_CONFIG_HELP = ("settings file (default: $DESENS_KIOSK_CONFIG, else /etc/desens-kiosk/config.yaml if present, "
                "else the bundled defaults)")
_DATA_HELP = ("where desens.db lives (default: $DESENS_KIOSK_DATA, else $STATE_DIRECTORY, "
              "else ~/.local/share/desens-kiosk)")


class Failed(Exception):
    """A clinician's command cannot go on: the message is printed as one line, exit 1."""




def _size(value: str) -> tuple[int, int]:
    """--size WxH, checked by the config's own rule for display.size."""
    from kiosk.config import parse_size

    try:
        return parse_size(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _day(value: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2024-03-01")


def _days(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= 3660:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of days from 1 to 3660")
    return int(value)


def _seed(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None


def _add_clinic_commands(commands) -> None:
    """The clinician's tools; each takes --config (names, target, day roll-over) and --data-dir."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", help=_CONFIG_HELP)
    common.add_argument("--data-dir", metavar="DIR", help=_DATA_HELP)

    demo = commands.add_parser("demo-data", parents=[common], help="fill a database with clearly marked sample history")
    demo.add_argument("--days", type=_days, default=REPORT_DAYS,
                      help=f"how many practice days, ending today (default {REPORT_DAYS})")
    demo.add_argument("--profile", default="demo", help="the profile name to use (default: demo)")
    demo.add_argument("--seed", type=_seed, default=0, help="the same seed gives the same history (default 0)")
    demo.add_argument("--force", action="store_true", help="write even into a database that holds real sessions")

    export = commands.add_parser("export", parents=[common],
                                 help="write sessions, check-ins or level changes as CSV or JSON")
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    export.add_argument("--table", choices=("sessions", "checkins", "rung_changes"), default="sessions",
                        help="sessions (default): one per session; checkins: the pain check-ins; "
                             "rung_changes: each change of an area's level (graded practice)")
    export.add_argument("--profile", help="only this profile's rows")
    export.add_argument("--since", type=_day, metavar="DATE", help="only practice days from DATE on (2024-03-01)")
    export.add_argument("--out", metavar="PATH", default="-", help="file to write (default -, the screen / stdout)")

    report = commands.add_parser("report", parents=[common], help="draw the one-page report as a PNG or an A4 PDF")
    report.add_argument("--profile", help="whose report (default: the only profile in the database)")
    report.add_argument("--days", type=_days, default=REPORT_DAYS,
                        help=f"how many practice days, ending today (default {REPORT_DAYS})")
    report.add_argument("--out", metavar="PATH", required=True,
                        help="the file to write: report.png (an image) or report.pdf (one A4 page)")

    purge = commands.add_parser("purge", parents=[common],
                                help="delete sessions, check-ins and level changes before a date, or everything")
    which = purge.add_mutually_exclusive_group(required=True)
    which.add_argument("--before", type=_day, metavar="DATE",
                       help="delete practice days before DATE (2024-03-01); DATE itself is kept")
    which.add_argument("--all", action="store_true",
                       help="the hand-over to a new patient: delete every session, check-in, level, level change, "
                            "the code lock and the damaged copies, leaving no trace in the file")
    purge.add_argument("--profile", help="only this profile's rows (default: everyone's; not with --all)")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="desens-kiosk",
        description="Guided desensitization (DESENS) sessions on a bedside kiosk.",
    )
    top.add_argument("--version", action="version", version=f"desens-kiosk {__version__}")
    commands = top.add_subparsers(dest="command", metavar="{run,check-config,demo-data,export,report,purge,voice}")

    run = commands.add_parser("run", help="start the kiosk (the default)")
    run.add_argument("--config", metavar="PATH", help=_CONFIG_HELP)
    run.add_argument("--data-dir", metavar="DIR", help=_DATA_HELP)
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--windowed", dest="fullscreen", action="store_false", default=None,
                      help="run in a window (the default under a desktop)")
    mode.add_argument("--fullscreen", dest="fullscreen", action="store_true", default=None,
                      help="run fullscreen (the default on the console)")
    run.add_argument("--size", type=_size, metavar="WxH", help="window or screen size, e.g. 800x480")

    check = commands.add_parser("check-config", help="validate a settings file and exit")
    check.add_argument("path", nargs="?", help="the file to check (default: the one `run` would use)")
    _add_clinic_commands(commands)

    voice = commands.add_parser("voice", help="render the spoken prompts ahead of time, or speak one line")
    voice.add_argument("--config", metavar="PATH", help=_CONFIG_HELP)
    what = voice.add_mutually_exclusive_group(required=True)
    what.add_argument("--render", action="store_true", help="render every prompt of the settings into the cache now")
    what.add_argument("--say", metavar="TEXT", help="speak TEXT once through the speaker (to check it)")
    voice.add_argument("--engine", choices=("auto", "piper", "espeak-ng", "off"),
                       help="use this engine instead of voice.engine")
    voice.add_argument("--model", metavar="FILE", help="use this piper voice file instead of voice.model")
    return top


def voice_command(args: argparse.Namespace) -> int:
    """`voice --render`: fill the cache (exit 0 when every line is ready); `voice --say`: speak."""
    from kiosk.config import ConfigError, load
    from kiosk.voice import tools
    from kiosk.voice.lines import session_texts, voice_volume

    try:
        config = load(paths.user_config_path(args.config)).config
    except ConfigError as error:
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(problem, file=sys.stderr)
        return EXIT_CONFIG
    engine = args.engine or getattr(config.voice.engine, "value", config.voice.engine)
    model = args.model or config.voice.model
    if args.render:
        texts = session_texts(config.people(), text.VOICE_HALF, text.VOICE_END)
        outcome = tools.render_all(texts, engine=engine, model=model)
    else:
        outcome = tools.say(args.say, engine=engine, model=model,
                            volume=voice_volume(config.sounds.volume, config.voice.volume))
    print(outcome.message)
    return 0 if outcome.ok else EXIT_FAILED


def check_config(path_arg: str | None) -> int:
    """Print a one-line summary and exit 0, or one line per problem and exit 2."""
    from kiosk.config import ConfigError, load, summary

    path = paths.user_config_path(path_arg)
    try:
        loaded = load(path)
    except ConfigError as error:
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(problem)
        if len(error.problems) > MAX_PROBLEMS_SHOWN:
            print(f"... and {len(error.problems) - MAX_PROBLEMS_SHOWN} more problems")
        return EXIT_CONFIG
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    for warning in _screen_warnings(loaded.config, path or paths.default_config_path()):
        print(warning, file=sys.stderr)
    where = str(path) if path else f"{paths.default_config_path()} (bundled defaults)"
    print(f"{where}: OK: {summary(loaded.config)}")
    return 0


SMALLEST_SCREEN = (480, 320)
MOST_NOTE_PAGES = 2


def _screen_warnings(config, path: Path) -> list[str]:
    """What would look wrong on the screen, said before anyone sees it: characters the
    bundled font cannot draw (they would show as boxes), and safety notes that need more
    than two pages on the smallest screen. Warnings only: the kiosk runs either way."""
    try:
        from kiosk.render import glyphs, pages_needed
    except Exception as err:  # noqa: BLE001 - no pygame here: nothing to measure with
        return [f"{path}: the screen checks were skipped ({err})"]
    lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines() if Path(path).is_file() else []

    def at(value: str) -> str:
        """file:line of the first line that holds the start of `value`, as far as it can be found."""
        start = value.split()[0] if value.split() else value
        number = next((i for i, line in enumerate(lines, 1) if start in line), None)
        return f"{path}:{number}" if number else str(path)

    warnings = []
    seen: set[tuple[str, str]] = set()
    for profile in config.people():
        shown = [(f"profiles[{profile.name}].name", profile.name)] if len(config.people()) > 1 else []
        shown += [(f"areas[{a.id}].name", a.name) for a in profile.areas]
        for t in profile.techniques:
            shown += [(f"techniques[{t.id}].name", t.name), (f"techniques[{t.id}].prompt", t.prompt)]
            shown += [(f"techniques[{t.id}].steps[{i}].prompt", s.prompt) for i, s in enumerate(t.steps)]
            if t.safety:
                shown.append((f"techniques[{t.id}].safety", t.safety))
        for key, value in shown:
            if (key, value) in seen:
                continue
            seen.add((key, value))
            bad = glyphs.missing(value)
            if bad:
                chars = " ".join(f"{c} (U+{ord(c):04X})" for c in bad)
                warnings.append(f"{at(value)}: {key}: has characters the screen's font cannot draw: {chars} "
                                "(they would show as boxes; letters, digits and punctuation of Latin scripts are fine)")
            if key.endswith(".safety"):
                pages = pages_needed(value, SMALLEST_SCREEN)
                if pages > MOST_NOTE_PAGES:
                    warnings.append(f"{at(value)}: {key}: needs {pages} pages on a "
                                    f"{SMALLEST_SCREEN[0]}x{SMALLEST_SCREEN[1]} screen (shorter is kinder: "
                                    f"at most {MOST_NOTE_PAGES} pages)")
    return warnings


def _config(path_arg: str | None, data_dir: Path):
    """The config the kiosk itself would run with: on a broken file, the last settings that
    loaded cleanly (or the bundled defaults), with the problem said on stderr."""
    from kiosk.config import load_or_last_good

    loaded = load_or_last_good(paths.user_config_path(path_arg), data_dir, keep=False)
    if loaded.problems:
        using = "the last settings that worked" if loaded.origin == "last_good" else "the bundled defaults"
        print(f"warning: {loaded.problems[0]} ({len(loaded.problems)} problem(s)); using {using}", file=sys.stderr)
    return loaded.config


def clinic(args: argparse.Namespace) -> int:
    """Run one of the clinician's tools: a failure is one line on stderr and exit 1."""
    from kiosk.storage.store import StoreError

    data_dir = paths.data_dir(args.data_dir)
    config = _config(args.config, data_dir)
    commands = {"demo-data": demo_data, "export": export, "report": report, "purge": purge}
    try:
        return commands[args.command](args, config, data_dir)
    except Failed as err:
        message = str(err)
    except StoreError as err:
        message = text.storage_failure(err.problem, err.path, err.detail)
    except BrokenPipeError:  # `export | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except UnicodeError as err:
        message = f"cannot write the text: {err}"
    except OSError as err:
        message = f"{err.filename or ''}{': ' if err.filename else ''}{err.strerror or err}"
    except KeyboardInterrupt:
        message = "cancelled"
    print(f"desens-kiosk {args.command}: {message}", file=sys.stderr)
    return EXIT_FAILED


def _output(out: str, data_dir: Path, config_arg: str | None) -> Path:
    """Where --out writes, after symlinks and `..`: never the database, its log files or a
    settings file, which writing would destroy."""
    target = Path(os.path.realpath(out))
    for kept in paths.database_files(data_dir):
        if paths.same_file(target, kept):
            raise Failed(f"--out {out}: that is the database ({kept}); choose another file")
    if paths.same_file(target, Path(data_dir) / paths.LOCK_NAME):
        raise Failed(f"--out {out}: that is the data folder's lock file; choose another file")
    settings = (paths.user_config_path(config_arg), paths.SYSTEM_CONFIG, paths.default_config_path())
    for kept in filter(None, settings):
        if paths.same_file(target, kept):
            raise Failed(f"--out {out}: that is the settings file ({kept}); choose another file")
    return target


def _store_options(config) -> dict:
    """How the config says the store counts: the day's roll-over, session.counts_after."""
    from kiosk.storage.queries import store_options

    return store_options(config)


def _writer_lock(data_dir: Path):
    """The data directory's lock, for a command that writes: refused, saying how to stop
    the kiosk, while the kiosk (or another writing command) holds it."""
    from kiosk.storage import DataDirInUse, lock_data_dir

    try:
        return lock_data_dir(data_dir)
    except DataDirInUse as err:
        holder = f"process {err.pid}" if err.pid is not None else "another process"
        raise Failed(f"the kiosk is running on {data_dir} ({holder}): stop it first with "
                     "'sudo systemctl stop desens-kiosk' (start it again after with "
                     "'sudo systemctl start desens-kiosk')") from err


def demo_data(args: argparse.Namespace, config, data_dir: Path) -> int:
    with _writer_lock(data_dir):
        done = _fill_demo(args, config, data_dir)
    print(f"{data_dir / paths.DB_NAME}: sample data for profile '{args.profile}', {done.first_day} to "
          f"{done.last_day}: {done.sessions} sessions, {done.checkins} check-ins (seed {args.seed})")
    return 0


def _fill_demo(args: argparse.Namespace, config, data_dir: Path):
    from kiosk.storage.demo import RealDataError, fill_demo
    from kiosk.storage.store import Store

    store = Store.open(data_dir, **_store_options(config), record_zone=False)
    try:
        if store.moved_aside:
            print(f"note: the damaged database was kept as {store.moved_aside}", file=sys.stderr)
        try:
            done = fill_demo(store, args.days, args.profile, args.seed, config=config, force=args.force)
        except RealDataError as err:
            raise Failed(f"{data_dir / paths.DB_NAME} holds {err.sessions} real session(s) and {err.checkins} "
                         "real check-in(s); sample data would mix with them (use --force to add it anyway)") from err
    finally:
        store.close()
    return done


def export(args: argparse.Namespace, config, data_dir: Path) -> int:
    from kiosk.storage import export as exporting
    from kiosk.storage.queries import is_demo, profiles_in, read_existing

    target = None if args.out == "-" else _output(args.out, data_dir, args.config)

    def read(store):
        columns, rows = exporting.fetch(store, args.table, args.profile, args.since)
        return columns, rows, profiles_in(store), is_demo(store, args.profile)

    columns, rows, known, demo = read_existing(data_dir, read, **_store_options(config))
    if target is None:
        try:  # data files are UTF-8, whatever the terminal's locale
            sys.stdout.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass
        exporting.write(args.format, columns, rows, sys.stdout)
        sys.stdout.flush()
    else:
        try:
            with paths.written_whole(target) as temporary, open(temporary, "w", encoding="utf-8", newline="") as out:
                exporting.write(args.format, columns, rows, out)
        except OSError as err:
            raise Failed(f"cannot write {args.out}: {err.strerror or err}") from err
    if args.profile is not None and args.profile not in known:
        print(f"note: no rows for profile '{args.profile}' (profiles: {', '.join(known) or 'none'})", file=sys.stderr)
    if demo:
        print("note: this database holds sample data written by demo-data", file=sys.stderr)
    if target is not None:
        count = len(rows)
        what = {"sessions": "session", "checkins": "check-in", "rung_changes": "level change"}[args.table]
        print(f"{args.out}: {count} {what}{'' if count == 1 else 's'}", file=sys.stderr)
    return 0


def _profile(store, config, wanted: str | None, data_dir: Path) -> str:
    """The profile asked for, or the only one recorded (or configured, for an empty database)."""
    from kiosk.storage.queries import profiles_in

    recorded = profiles_in(store)
    configured = [p.name for p in config.people()]
    if wanted is not None:
        if wanted not in recorded and wanted not in configured:
            raise Failed(f"no profile '{wanted}' in {data_dir / paths.DB_NAME} or the settings "
                         f"(profiles: {', '.join(recorded or configured)})")
        return wanted
    candidates = recorded or configured
    if len(candidates) != 1:
        raise Failed(f"several profiles: {', '.join(candidates)}; choose one with --profile")
    return candidates[0]


def report(args: argparse.Namespace, config, data_dir: Path) -> int:
    from kiosk.storage.queries import day_range, read_existing, report_for

    kind = Path(args.out).suffix.lower()
    if kind not in (".png", ".pdf"):
        raise Failed(f"--out {args.out}: the report is a PNG image or a PDF; give a file name ending in .png or .pdf")
    target = _output(args.out, data_dir, args.config)

    def read(store):
        profile = _profile(store, config, args.profile, data_dir)
        first, last = day_range(_now(), args.days, store.rollover, store.tz)
        return profile, first, last, report_for(store, config, profile, first, last)

    profile, first, last, data = read_existing(data_dir, read, **_store_options(config))
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # drawn off-screen: no display needed
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        if kind == ".pdf":
            import PIL  # noqa: F401 - Pillow writes the PDF (python3-pil on the Pi)

            from kiosk.render.report_pdf import save_report_pdf as save_report
        else:
            from kiosk.render.report_page import save_report
    except ImportError as err:
        raise Failed(f"the report drawing is not available ({err})") from err
    try:
        with paths.written_whole(target) as temporary:
            save_report(data, temporary)
    except OSError as err:
        raise Failed(f"cannot write {args.out}: {err.strerror or err}") from err
    except Exception as err:  # noqa: BLE001 - pygame.error when the file cannot be written
        raise Failed(f"cannot write {args.out}: {err}") from err
    print(f"{args.out}: profile '{profile}', {first} to {last}: {data.sessions} sessions, "
          f"{round(data.adherence * 100)}% of days at the target of {data.target}"
          + (" (sample data)" if data.demo else ""))
    if data.unsynced_days:
        print(f"note: {len(data.unsynced_days)} day(s) hold sessions started before the kiosk's clock was set, "
              f"so their dates may be wrong: {', '.join(d.isoformat() for d in data.unsynced_days)}", file=sys.stderr)
    return 0


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise Failed("no terminal to ask for confirmation; add --yes to delete without asking")
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def purge(args: argparse.Namespace, config, data_dir: Path) -> int:
    if args.all:
        return purge_all(args, config, data_dir)
    from kiosk.storage.queries import open_existing, read_existing
    from kiosk.storage.retention import purge as purging
    from kiosk.storage.retention import purge_counts, wipe_log

    whose = "everyone's" if args.profile is None else f"profile '{args.profile}'"
    found = read_existing(data_dir, lambda store: purge_counts(store, args.before, args.profile),
                          **_store_options(config))
    if found.total == 0:
        print(f"nothing to delete: no sessions, check-ins or level changes ({whose}) before {args.before}")
        return 0
    with _writer_lock(data_dir):
        question = (f"Delete {found.sessions} session(s), {found.checkins} check-in(s) and {found.rung_changes} "
                    f"level change(s) ({whose}) of practice days before {args.before} from {data_dir / paths.DB_NAME}?")
        if not args.yes and not _confirm(question):
            print("nothing deleted")
            return EXIT_FAILED
        store = open_existing(data_dir, **_store_options(config), write=True)
        try:
            gone = purging(store, args.before, args.profile)
            wiped = wipe_log(store)
        finally:
            store.close()
    print(f"deleted {gone.sessions} session(s), {gone.checkins} check-in(s) and {gone.rung_changes} "
          f"level change(s) before {args.before}")
    if not wiped:
        print("note: another program has the database open, so old copies of the deleted rows stay in "
              "desens.db-wal until it closes (stop it, then run purge again to be sure)", file=sys.stderr)
    return 0


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def purge_all(args: argparse.Namespace, config, data_dir: Path) -> int:
    """The hand-over: with the kiosk stopped, after asking (or --yes), every record and
    every damaged copy deleted, the file rebuilt so that no trace of them is left."""
    from kiosk.storage.queries import open_existing, read_existing
    from kiosk.storage.store import damaged_copies, remove_damaged_copies

    if args.profile is not None:
        raise Failed("--all deletes everyone's records (the hand-over); it takes no --profile")
    database = data_dir / paths.DB_NAME
    with _writer_lock(data_dir):
        copies = [p for p in damaged_copies(data_dir) if not p.name.endswith(("-wal", "-shm"))]
        counts = None
        if database.exists():
            counts = read_existing(data_dir, lambda store: tuple(
                store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("sessions", "pain_checkins", "rung_changes")), **_store_options(config))
        elif not copies:
            print(f"nothing to delete: no database at {database} and no damaged copies")
            return 0
        what = [] if counts is None else [_plural(counts[0], "session"), _plural(counts[1], "check-in"),
                                          _plural(counts[2], "level change")]
        what.append(_plural(len(copies), "damaged copy", "damaged copies"))
        question = (f"Delete every session ({counts[0]}), check-in ({counts[1]}), level and level change "
                    f"({counts[2]}) and the code lock from {database}, and {what[-1]}? " if counts is not None
                    else f"Delete {what[-1]} from {data_dir}? ")
        if not args.yes and not _confirm(question + "This is the hand-over to a new patient and cannot be undone."):
            print("nothing deleted")
            return EXIT_FAILED
        if counts is None:
            remove_damaged_copies(data_dir)
        else:
            store = open_existing(data_dir, **_store_options(config), write=True)
            try:
                store.wipe()
            finally:
                store.close()
    print(f"deleted everything: {', '.join(what)}"
          + ("" if counts is None else f"; {database} holds no trace of them"))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "run")
    args = parser().parse_args(argv)
    if args.command == "check-config":
        return check_config(args.path)
    if args.command in CLINIC_COMMANDS:
        return clinic(args)
    if args.command == "voice":
        return voice_command(args)

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from kiosk.app import Options, run

    return run(Options(config=args.config, data_dir=args.data_dir, fullscreen=args.fullscreen, size=args.size))


if __name__ == "__main__":
    sys.exit(main())
