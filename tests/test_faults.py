"""The fault suite: the kiosk under kill -9, broken config files, button abuse and a
hostile environment (no sound, no writable data folder, a locked database).

Bounded and fast: the whole file runs in well under a minute on two cores. Each part says
what it does to the kiosk and what must still hold afterwards.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pygame
import pytest

from kiosk import text
from kiosk.activities.clinician import CodeEntry
from kiosk.activities.home import Home
from kiosk.activities.session import GuidedSession, Phase
from kiosk.app import Kiosk, Options, open_store
from kiosk.config import ConfigError, load
from kiosk.controller import Controller
from kiosk.events import Key
from kiosk.model import Status
from kiosk.storage.recorder import Recorder
from kiosk.storage.store import Store
from kiosk.views import Frame

REPO = Path(__file__).resolve().parent.parent
HELPERS = Path(__file__).resolve().parent / "fault_helpers"
DEFAULTS = REPO / "config" / "default.yaml"
PROBLEM_LINE = re.compile(r"^.+:\d+: \S+: .+$")


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", GPIOZERO_PIN_FACTORY="mock",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    env.pop("DESENS_KIOSK_CONFIG", None)
    return env


class FakeClock:
    def __init__(self) -> None:
        self.t = 500.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def phase_of(kiosk: Kiosk):
    activity = kiosk.controller.activity
    return activity.phase if isinstance(activity, GuidedSession) else type(activity).__name__


def session_rows(db: Path) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM sessions ORDER BY id")]


# =========================================================================================
# 1. kill -9 at random moments across 200 session lifecycles
# =========================================================================================
#
# A child process (fault_helpers/lifecycles.py) runs whole sessions through the controller
# on a fake clock against a real database file, many a second, logging (fsync'd) each fact
# once the write behind it has returned. It dies by SIGKILL: either from here after a random
# delay (anywhere: start-up, between writes, in an fsync), or from inside SQLite's progress
# handler at a random virtual-machine step of a session write (in the middle of an INSERT,
# an UPDATE or its COMMIT). After every kill the next start-up's recovery runs (the kiosk's
# own kiosk.app.open_store, then the recorder's first write: recover_interrupted) and the database is compared
# with the log. Two chains of children, each on its own database, run side by side.

LIFECYCLES = 200
KILLS_PER_CHAIN = 16  # half from outside at a random moment, half from inside a write
LIFECYCLE_CONFIG = "session:\n  duration: 60s\nreminders: []\ndisplay:\n  sleep_after: never\n"


@dataclass
class Expected:
    """What the log says about one session row."""

    pain_before: int
    checkpoint: float = 0.0  # the latest active seconds a checkpoint wrote
    ended: tuple[str, float] | None = None  # (status, active seconds)
    rated: int | None = None


@dataclass
class ChainReport:
    lifecycles: int = 0
    kills: int = 0
    inside_write_kills: int = 0
    interrupted: int = 0
    interrupted_with_time: int = 0
    completed_rows: int = 0
    problems: list[str] = field(default_factory=list)


def _parse(lines: list[str]) -> tuple[int, dict[int, Expected], list[int]]:
    """Lifecycles begun, facts per row id, and the row ids in the order they started."""
    begun, facts, order = 0, {}, []
    for line in lines:
        word, *rest = line.split()
        if word == "begin":
            begun += 1
        elif word == "start":
            row_id = int(rest[0])
            facts[row_id] = Expected(pain_before=int(rest[1]))
            order.append(row_id)
        elif word == "checkpoint":
            facts[int(rest[0])].checkpoint = float(rest[1])
        elif word == "ended":
            facts[int(rest[0])].ended = (rest[1], float(rest[2]))
        elif word == "rated":
            facts[int(rest[0])].rated = int(rest[1])
    return begun, facts, order


def _check_after_kill(db: Path, config, facts: dict[int, Expected], order: list[int],
                      before: dict[int, dict], report: ChainReport) -> dict[int, dict]:
    """The next start-up: recovery, then the database against the log. Returns the rows."""
    problems = report.problems
    if db.exists():  # (a child killed while starting may not have created it yet)
        with sqlite3.connect(db) as conn:
            check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            problems.append(f"integrity_check: {check}")
    store, problem = open_store(db.parent, config)  # what the kiosk does at start-up...
    try:
        if problem or store.moved_aside:
            problems.append(f"start-up could not use the database: {problem} {store.moved_aside}")
            return before
        recorder = Recorder(store, time.monotonic, recover=True)  # ...and its first write
        if recorder.problem:
            problems.append(f"start-up could not recover: {recorder.problem}")
    finally:
        store.close()
    rows = {r["id"]: r for r in session_rows(db)}
    if any(r["status"] == Status.IN_PROGRESS.value for r in rows.values()):
        problems.append("a session is still in progress after the recovery")
    # Rows from earlier children are never touched again: nothing completed is ever lost.
    for row_id, row in before.items():
        if rows.get(row_id) != row:
            problems.append(f"row {row_id} changed or vanished after a later kill: {row} -> {rows.get(row_id)}")
    last = order[-1] if order else None
    for row_id in order:
        fact, row = facts[row_id], rows.get(row_id)
        if row is None:
            problems.append(f"row {row_id} was logged as started but is missing")
            continue
        if row["pain_before"] != fact.pain_before:
            problems.append(f"row {row_id}: pain_before {row['pain_before']} != {fact.pain_before}")
        if fact.ended is not None:
            status, active = fact.ended
            if (row["status"], row["active_seconds"]) != (status, active):
                problems.append(f"row {row_id}: ended {status} {active} but stored {row['status']} "
                                f"{row['active_seconds']}")
            if fact.rated is not None and row["pain_after"] != fact.rated:
                problems.append(f"row {row_id}: rated {fact.rated} but stored {row['pain_after']}")
            if fact.rated is None and row["pain_after"] is not None and row_id != last:
                problems.append(f"row {row_id}: a pain_after nobody gave")
            report.completed_rows += 1
        elif row_id != last:
            problems.append(f"row {row_id}: only the last session of a killed run can be unfinished")
        elif row["status"] == Status.INTERRUPTED.value:
            report.interrupted += 1
            if row["active_seconds"] < fact.checkpoint or row["ended_at"] is not None:
                problems.append(f"row {row_id}: interrupted with {row['active_seconds']} s, "
                                f"but {fact.checkpoint} s were checkpointed")
            if fact.checkpoint > 0:
                report.interrupted_with_time += 1
        elif row["status"] not in (Status.COMPLETED.value, Status.STOPPED_EARLY.value):
            problems.append(f"row {row_id}: killed in the countdown but {row['status']}")
    # A row inserted just before the kill, before the child could log it.
    unlogged = sorted(set(rows) - set(before) - set(order))
    if len(unlogged) > 1 or (unlogged and order and unlogged[0] < max(order)):
        problems.append(f"rows nobody logged: {unlogged}")
    for row_id in unlogged:
        row = rows[row_id]
        if (row["status"], row["active_seconds"], row["ended_at"]) != (Status.INTERRUPTED.value, 0.0, None) \
                or row["pain_before"] is None:
            problems.append(f"unlogged row {row_id} is not a fresh interrupted session: {row}")
        else:
            report.interrupted += 1
    return rows


def _kill_chain(workdir: Path, seed: int, config) -> ChainReport:
    rng = random.Random(seed)
    report = ChainReport()
    data, log_path = workdir / "data", workdir / "facts.log"
    config_path = workdir / "config.yaml"
    config_path.write_text(LIFECYCLE_CONFIG)
    rows: dict[int, dict] = {}
    child = 0
    while child < KILLS_PER_CHAIN or report.lifecycles * 2 < LIFECYCLES + 20:
        if child >= 4 * KILLS_PER_CHAIN:
            report.problems.append(f"too few lifecycles: {report.lifecycles}")
            break
        inside = child % 2 == 1
        offset = log_path.stat().st_size if log_path.exists() else 0
        args = [sys.executable, str(HELPERS / "lifecycles.py"), str(data), str(config_path), str(log_path),
                str(seed * 1000 + child)]
        if inside:
            args.append(str(rng.randint(1, 60_000)))  # ~3,700 steps per lifecycle's writes
        proc = subprocess.Popen(args, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if not inside:
            time.sleep(rng.uniform(0.05, 0.6))
            proc.kill()
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if proc.returncode != -signal.SIGKILL:
            report.problems.append(f"child {child} ended with {proc.returncode}: {err.decode()[-2000:]}")
            break
        child += 1
        report.kills += 1
        report.inside_write_kills += inside
        lines = []  # a child killed while starting may not have written anything yet
        if log_path.exists():
            with open(log_path, "rb") as file:
                file.seek(offset)
                lines = [x for x in file.read().decode().split("\n")[:-1] if x]  # a torn last line is dropped
        begun, facts, order = _parse(lines)
        report.lifecycles += begun
        rows = _check_after_kill(data / "desens.db", config, facts, order, rows, report)
        if report.problems:
            break
    return report


def test_kill_9_at_random_moments_never_loses_a_session(tmp_path):
    config = load(None).config
    chains = [tmp_path / "a", tmp_path / "b"]
    for chain in chains:
        chain.mkdir()
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda args: _kill_chain(*args, config), [(chains[0], 1), (chains[1], 2)]))
    for report in reports:
        assert not report.problems, report.problems
    lifecycles = sum(r.lifecycles for r in reports)
    print(f"{lifecycles} lifecycles, {sum(r.kills for r in reports)} kills "
          f"({sum(r.inside_write_kills for r in reports)} inside a write), "
          f"{sum(r.interrupted for r in reports)} sessions found interrupted "
          f"({sum(r.interrupted_with_time for r in reports)} with checkpointed time), "
          f"{sum(r.completed_rows for r in reports)} ended sessions checked after kills")
    assert lifecycles >= LIFECYCLES
    assert sum(r.kills for r in reports) >= 2 * KILLS_PER_CHAIN
    assert sum(r.inside_write_kills for r in reports) >= KILLS_PER_CHAIN
    assert sum(r.completed_rows for r in reports) > 0
    # The kills land in sessions often enough that recovery is exercised, with time kept.
    assert sum(r.interrupted for r in reports) >= 3
    assert sum(r.interrupted_with_time for r in reports) >= 1


# =========================================================================================
# 2. A corpus of broken configs, generated by mutating the bundled defaults
# =========================================================================================
#
# Every case is the whole of config/default.yaml with one thing broken (or a whole file of
# garbage). Each must be refused by kiosk.config.load with a ConfigError whose problems all
# read `file:line: key: problem`, never any other exception, within TIME_BOUND seconds.

TIME_BOUND = 5.0  # seconds per file; the slowest here take about 1 s on a shared x86 core
_LINES = DEFAULTS.read_text(encoding="utf-8").splitlines()


def _replace(old: str, new: str, nth: int = 0) -> bytes:
    """The defaults with the nth line equal to `old` replaced by `new` (None deletes it)."""
    lines = list(_LINES)
    found = [i for i, line in enumerate(lines) if line == old]
    assert len(found) > nth, f"config/default.yaml no longer has the line {old!r}: update this corpus"
    index = found[nth]
    lines[index:index + 1] = [] if new is None else new.split("\n")
    return ("\n".join(lines) + "\n").encode()


def _append(extra: str) -> bytes:
    return ("\n".join(_LINES) + "\n" + extra + "\n").encode()


def _defaults() -> bytes:
    return ("\n".join(_LINES) + "\n").encode()


def _corpus() -> dict[str, callable]:
    cases: dict[str, callable] = {}

    def add(name: str, build) -> None:
        assert name not in cases, name
        cases[name] = build

    # -- wrong types and out-of-range values: one setting at a time ----------------------
    values = {
        "  duration: 4m": ["0s", "4s", "31m", "-4m", "4x", "[4m]", "{m: 4}", "yes", "''", "1e400", ".nan"],
        "daily_target: 4": ["0", "11", "-1", "4.5", "four", "[4]", "'4'", "1e400", "yes", "10000000000000000000"],
        "mode: firm": ["strict", "3", "[firm]", "''"],
        'day_starts_at: "03:00"': ['"25:00"', "3 o'clock", "[3]", '"-1:00"', '"03:60"'],
        "  snooze: 15m": ["0s", "5h", "soon", "[15m]"],
        'quiet_hours: "21:00-07:30"': ['"21:00-21:00"', '"21:00"', "nine to five", "5", '"21:00-25:00"'],
        "  ask_area: yes": ["maybe", "3", "[yes]"],
        "  prompt_every: never": ["5s", "13h", "often"],
        "  prompt_timeout: 10m": ["5s", "3h", "soon"],
        "  up: 17": ["1", "28", "99", "-3", "seventeen", "22", "17.5", "[17]"],
        "  hold_seconds: 2": ["0.1", "11", "long", "-2"],
        "  bounce_ms: 50": ["-1", "501", "fast", "[50]"],
        "  chord_seconds: 3": ["0", "11", "x"],
        "  encoder: null": ["[5]", "[5, 5]", "[5, 6, 7]", "[1, 2]", "[22, 23]", "five"],
        "  led: null": ["17", "40", "on"],
        "  buzzer: null": ["23", "0"],
        "  buzzer_tonal: yes": ["loud"],
        "  code: []": ["[up]", "[up, left, down, up, up, up]", "[up, up, up, up, up, up, up, up, up, up, up]",
                       "1234", "{up: 1}", "[up, down, up, down, select, back]"],
        "  keep_days: 365": ["7", "forever", "-1"],
        "  move_up_after: 2": ["0", "11", "two"],
        "  counts_after: 3m": ["1s", "2h", "soon"],
        "  rotate: 0": ["45", "yes"],
        "  engine: auto": ["loud"],
        "  size: auto": ["10x10", "99999x480", "big", "[800, 480]", "800x"],
        "  fullscreen: auto": ["sometimes", "2"],
        "  sleep_after: 2m": ["1s", "2h", "soon"],
        "  enabled: yes": ["loud", "5"],
        "  volume: 80": ["-1", "101", "loud", ".nan", "[80]"],
        '  times: ["08:00", "12:30", "16:30", "19:30"]': [
            '["25:00"]', '["08:00", "08:00"]', "[" + ", ".join(f'"{h:02d}:05"' for h in range(8, 21)) + "]",
            "[8.5]", "{at: 8}"],
        "profiles: []": ["[{name: ''}]", "[{name: Sam}, {name: Sam}]", "[{name: A, mode: strict}]", "5",
                         "[{name: A, daily_target: 0}]", "[{name: A, colour: red}]"],
    }
    for line, bad in values.items():
        key, _, _ = line.partition(":")
        for value in bad:
            add(f"value {key.strip()}: {value}", lambda line=line, key=key, value=value: _replace(line, f"{key}: {value}"))

    # -- list items and missing pieces -----------------------------------------------------
    area = "  - {id: left_foot, name: Left foot}"
    for item in ["{id: Left Foot, name: x}", "{id: left_foot}", "{name: Left foot}", "{id: right_foot, name: R}",
                 "{id: left_foot, name: ''}", "{id: left_foot, name: [x]}", "left_foot",
                 "{id: left_foot, name: L, ladder: [feather]}"]:
        add(f"area {item}", lambda item=item: _replace(area, f"  - {item}"))
    add("areas: []", _only_areas_empty)
    add("techniques: []", _only_techniques_empty)
    for ladder_item in ["  - feather", "  - smooth_cloth", "  - [x]"]:
        add(f"ladder item {ladder_item.strip()}", lambda item=ladder_item: _replace("  - soft_touch", item))
    add("ladder: 5", lambda: _replace("ladder:", "ladder: 5"))
    add("technique without a name", lambda: _replace("    name: Soft touch", None))
    add("technique without a prompt", lambda: _replace("    prompt: Stroke gently with a feather or cotton ball", None))
    add("technique without a group", lambda: _replace("    group: texture", None))
    add("technique group wood", lambda: _replace("    group: texture", "    group: wood"))
    add("technique id with spaces", lambda: _replace("  - id: soft_touch", "  - id: Soft Touch!"))
    add("technique id twice", lambda: _replace("  - id: smooth_cloth", "  - id: soft_touch"))
    add("technique unknown key", lambda: _replace("    name: Soft touch", "    name: Soft touch\n    colour: red"))
    add("step without a prompt", lambda: _replace("      - prompt: Slow, soft strokes along your skin", "      - share: 1"))
    add("step with a negative share", lambda: _replace("      - prompt: Firm rubs up and down",
                                                       "      - {prompt: Firm rubs up and down, share: -1}"))
    add("steps as text", lambda: _replace("    steps:", "    steps: two", 0).replace(
        b"      - prompt: Slow, soft strokes along your skin\n      - prompt: Tiny circles, nice and slow\n", b""))
    add("safety as a list", lambda: _replace("    safety: >-", "    safety: [a]\n    x: >-"))
    add("buttons: 5 above its own keys", lambda: _replace("buttons:", "buttons: 5"))
    add("session: [1] above its own keys", lambda: _replace("session:", "session: [1]"))

    # -- unknown keys, odd keys, not a mapping --------------------------------------------
    add("top-level typo", lambda: _replace("session:", "sesion:"))
    add("nested typo", lambda: _replace("  duration: 4m", "  durration: 4m"))
    add("buttons typo", lambda: _replace("  select: 22", "  slect: 22"))
    add("key with spaces", lambda: _append("my setting: 1"))
    add("empty key", lambda: _append("'': 1"))
    add("numeric key", lambda: _append("1: 2"))
    add("list as a key", lambda: _append("? [a, b]\n: 1"))
    add("duplicate key", lambda: _append("daily_target: 5"))
    add("a list instead of settings", lambda: ("\n".join("- " + x for x in _LINES if x and not x.startswith("#"))
                                               + "\n").encode())
    add("a bare word", lambda: b"hello\n")
    add("a number", lambda: b"42\n")
    add("an empty list", lambda: b"[]\n")

    # -- bad YAML ----------------------------------------------------------------------------
    add("tab indent", lambda: _replace("  duration: 4m", "\tduration: 4m"))
    add("unclosed bracket", lambda: _replace('  times: ["08:00", "12:30", "16:30", "19:30"]', '  times: ["08:00", "12:30"'))
    add("unclosed quote", lambda: _replace('quiet_hours: "21:00-07:30"', 'quiet_hours: "21:00-07:30'))
    add("bad dedent", lambda: _replace("  up: 17", "   up: 17"))
    add("value: value: value", lambda: _replace("daily_target: 4", "daily_target: 4: 5"))
    add("stray bracket", lambda: _append("]"))
    add("undefined alias", lambda: _replace("daily_target: 4", "daily_target: *nowhere"))
    add("python object tag", lambda: _replace("daily_target: 4", "daily_target: !!python/object/apply:os.system ['true']"))
    add("custom tag", lambda: _replace("mode: firm", "mode: !firm firm"))
    add("second document", lambda: _append("---\nx: 1"))
    add("control character", lambda: _replace("daily_target: 4", "daily_target: 4\x07"))
    add("NUL byte", lambda: _defaults().replace(b"mode: firm", b"mode: fi\x00rm"))
    add("list item in a mapping", lambda: _replace("  up: 17", "  - up: 17"))
    add("only an opening bracket", lambda: b"[\n")
    add("flow mapping never closed", lambda: _replace("  - {id: left_foot, name: Left foot}", "  - {id: left_foot, name: Left"))

    # -- not UTF-8 -----------------------------------------------------------------------------
    rng = random.Random(5)
    size = len(_defaults())
    for n in range(5):
        at = rng.randrange(size)
        add(f"0xff at byte {at}", lambda at=at: _defaults()[:at] + b"\xff" + _defaults()[at:])
    add("latin-1 name", lambda: _defaults().replace(b"name: Tummy}", b"name: Bauch\xe9}"))
    add("utf-16", lambda: _defaults().decode().encode("utf-16"))
    add("lone continuation byte first", lambda: b"\x80" + _defaults())
    add("truncated multibyte", lambda: _defaults().replace(b"name: Back}", "name: Back\u20ac".encode()[:-1] + b"}"))

    # -- huge files ----------------------------------------------------------------------------
    add("over 1 MB of comments", lambda: _defaults() + b"# padding padding padding padding\n" * 32_000)
    add("1 MB duration text", lambda: _replace("  duration: 4m", "  duration: '" + "9" * 1_000_000 + "'"))
    add("a million-digit number", lambda: _replace("daily_target: 4", "daily_target: " + "9" * 1_000_000))
    add("20,000 reminder times", lambda: _replace('  times: ["08:00", "12:30", "16:30", "19:30"]',
                                                  "  times:\n" + "    - '08:00'\n" * 20_000))
    add("alias bomb", lambda: _append("\n".join(
        [f"a0: &a0 [{', '.join(['x'] * 10)}]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)])))

    # -- deep nesting --------------------------------------------------------------------------
    add("flow list 3,000 deep", lambda: _replace("daily_target: 4", "daily_target: " + "[" * 3000 + "]" * 3000))
    add("flow mapping 2,000 deep", lambda: _replace("daily_target: 4", "daily_target: " + "{a: " * 2000 + "1" + "}" * 2000))
    add("block mapping 60 deep", lambda: _append("".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "x: 1"))
    add("self-referencing alias", lambda: _append("loop: &loop [*loop]"))
    add("nested 45 deep in sounds", lambda: _replace("  volume: 80", "  volume: " + "[" * 45 + "80" + "]" * 45))
    return cases


def _only_areas_empty() -> bytes:
    lines, out, skipping = list(_LINES), [], False
    for line in lines:
        if line == "areas:":
            out.append("areas: []")
            skipping = True
            continue
        if skipping and line.startswith("  - {id:"):
            continue
        skipping = False
        out.append(line)
    return ("\n".join(out) + "\n").encode()


def _only_techniques_empty() -> bytes:
    out, skipping = [], False
    for line in _LINES:
        if line == "techniques:":
            out.append("techniques: []")
            skipping = True
            continue
        if skipping and (line.startswith("  ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return ("\n".join(out) + "\n").encode()


CORPUS = _corpus()


class Hung(BaseException):
    """Raised by the alarm: not an Exception, so no `except Exception` in load can eat it."""


def _alarm(signum, frame):
    raise Hung()


def test_the_corpus_is_large_and_the_defaults_themselves_load():
    assert len(CORPUS) >= 100
    load(None)  # the file every case mutates is fine as it is


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_broken_config_is_refused_with_file_line_key_problem(tmp_path, name):
    data = CORPUS[name]()
    assert data != _defaults()
    path = tmp_path / "config.yaml"
    path.write_bytes(data)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 2 * TIME_BOUND)
    started = time.perf_counter()
    try:
        with pytest.raises(ConfigError) as caught:
            load(path)
    except Hung:
        pytest.fail(f"load() still busy after {2 * TIME_BOUND} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    took = time.perf_counter() - started
    assert took < TIME_BOUND, f"{took:.1f} s"
    problems = caught.value.problems
    assert problems
    for problem in problems:
        assert PROBLEM_LINE.fullmatch(str(problem)), repr(str(problem))
    assert any(p.file == str(path) for p in problems), "the user's file is blamed"


CLI_SAMPLE = [name for name in CORPUS if name.startswith("0xff")][:1] + [
    "utf-16", "over 1 MB of comments", "a million-digit number", "tab indent", "python object tag",
    "flow list 3,000 deep", "self-referencing alias", "top-level typo", "value daily_target: four",
    "technique without a name", "value up: 22",
]


def test_check_config_cli_exits_2_without_a_traceback(tmp_path):
    assert all(name in CORPUS for name in CLI_SAMPLE), [n for n in CLI_SAMPLE if n not in CORPUS]

    def check(index_name):
        index, name = index_name
        path = tmp_path / f"case{index}.yaml"
        path.write_bytes(CORPUS[name]())
        done = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(path)], env=child_env(),
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
        return name, done

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(check, enumerate(CLI_SAMPLE)))
    for name, done in results:
        assert done.returncode == 2, (name, done.stdout[-500:], done.stderr[-2000:])
        assert "Traceback" not in done.stdout + done.stderr, (name, done.stderr[-2000:])
        lines = done.stdout.splitlines()
        assert lines and all(PROBLEM_LINE.fullmatch(line) for line in lines), (name, lines[:5])


# =========================================================================================
# 3. Button abuse on mock pins: the whole kiosk, headless, on the real clock
# =========================================================================================
#
# gpiozero's MockFactory calls the callbacks in the thread that drives the pin and ignores
# bounce_time, so bounce is made here by driving the pins with timed sequences; the kiosk's
# own ButtonPanel debounce, InputQueue and loop (Kiosk.step, which draws every changed
# frame with the Renderer) take it from there.

ABUSE_CONFIG = ("session:\n  duration: 5s\nreminders: []\ndisplay:\n  sleep_after: never\n"
                "buttons:\n  hold_seconds: 0.6\n  chord_seconds: 1\n"
                "clinician:\n  code: [up, down, down, up, select, select]\n")


@pytest.fixture
def real_time_kiosk(tmp_path, monkeypatch):
    monkeypatch.delenv("DESENS_KIOSK_CONFIG", raising=False)
    made = []

    def make(config_text: str = ABUSE_CONFIG, speed: float = 1.0) -> Kiosk:
        """`speed` > 1 runs the kiosk's clock that many times faster than real time."""
        config = tmp_path / "config.yaml"
        config.write_text(config_text)
        clock = time.monotonic if speed == 1.0 else (lambda: time.monotonic() * speed)
        kiosk = Kiosk(Options(config=str(config), data_dir=str(tmp_path / "data"), fullscreen=False, size=(800, 480)),
                      clock=clock)
        made.append(kiosk)
        kiosk.draw()
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


def _chatter(pin, rng: random.Random, seconds: float, end_low: bool) -> None:
    """Contact bounce: the pin flips every 0.2-3 ms for `seconds`, then settles."""
    until = time.perf_counter() + seconds
    low = not end_low
    while time.perf_counter() < until:
        pin.drive_low() if low else pin.drive_high()
        low = not low
        time.sleep(rng.uniform(0.0002, 0.003))
    pin.drive_low() if end_low else pin.drive_high()


def bouncy_press(kiosk: Kiosk, name: str, rng: random.Random, hold: float = 0.08) -> None:
    """One press with up to 30 ms of bounce on the way down and on the way up (well inside the
    50 ms debounce window), then the loop turns until everything settled."""
    pin = kiosk.panel_pin(name)
    _chatter(pin, rng, rng.uniform(0.005, 0.03), end_low=True)
    time.sleep(hold)
    _chatter(pin, rng, rng.uniform(0.005, 0.03), end_low=False)
    settle(kiosk)


def settle(kiosk: Kiosk, seconds: float = 0.12) -> None:
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        kiosk.step(0.01)


def test_bounce_storms_give_one_key_per_press_and_never_a_double_rating(real_time_kiosk, tmp_path):
    kiosk = real_time_kiosk()
    rng = random.Random(7)
    keys: list[Key] = []
    real_press = kiosk.controller.press
    kiosk.controller.press = lambda key: (keys.append(key), real_press(key))[1]
    for name in ("select", "select", "select"):
        bouncy_press(kiosk, name, rng)
    assert phase_of(kiosk) is Phase.PAIN_BEFORE
    for _ in range(3):
        bouncy_press(kiosk, "up", rng)
    assert kiosk.controller.activity.rating == 3
    bouncy_press(kiosk, "select", rng)  # one press, one session row
    assert phase_of(kiosk) is Phase.COUNTDOWN
    db = tmp_path / "data" / "desens.db"
    assert [(r["status"], r["pain_before"]) for r in session_rows(db)] == [("in_progress", 3)]
    bouncy_press(kiosk, "select", rng)
    assert kiosk.controller.activity.countdown.paused
    bouncy_press(kiosk, "select", rng)
    assert not kiosk.controller.activity.countdown.paused
    bouncy_press(kiosk, "back", rng, hold=0.8)  # a bouncy hold: stopped early, exactly once
    assert phase_of(kiosk) is Phase.PAIN_AFTER
    bouncy_press(kiosk, "down", rng)
    bouncy_press(kiosk, "select", rng)  # one rating: the summary, not straight home
    assert phase_of(kiosk) is Phase.SUMMARY
    [row] = session_rows(db)
    assert (row["status"], row["pain_before"], row["pain_after"]) == ("stopped_early", 3, 2)
    assert keys == [Key.SELECT] * 3 + [Key.UP] * 3 + [Key.SELECT] * 3 + [Key.BACK_HELD, Key.DOWN, Key.SELECT]


def test_two_buttons_at_once(real_time_kiosk):
    kiosk = real_time_kiosk()
    rng = random.Random(8)
    for name in ("select", "select", "select"):
        bouncy_press(kiosk, name, rng)
    assert phase_of(kiosk) is Phase.PAIN_BEFORE
    for _ in range(5):
        kiosk.controller.press(Key.UP)
    rating = kiosk.controller.activity.rating
    up, down = kiosk.panel_pin("up"), kiosk.panel_pin("down")
    for _ in range(10):  # up and down together: one step each way, never lost, never doubled
        up.drive_low()
        down.drive_low()
        time.sleep(0.06)
        down.drive_high()
        up.drive_high()
        settle(kiosk, 0.08)
        assert kiosk.controller.activity.rating == rating
    # select and back together for longer than chord_seconds: the clinician's code entry
    # (select acts on its press first, as ButtonPanel documents), and no BACK on release.
    kiosk.controller.press(Key.BACK)  # back to the technique list, where select is harmless to repeat
    kiosk.controller.press(Key.BACK)
    kiosk.controller.press(Key.BACK)
    assert isinstance(kiosk.controller.activity, Home)
    kiosk.step(0)
    select, back = kiosk.panel_pin("select"), kiosk.panel_pin("back")
    back.drive_low()
    select.drive_low()
    settle(kiosk, 1.3)
    back.drive_high()
    select.drive_high()
    settle(kiosk)
    assert isinstance(kiosk.controller.activity, CodeEntry)
    assert kiosk.controller.activity.entered == []
    assert kiosk.panel.stuck(0) == []


def _consistent(kiosk: Kiosk) -> str | None:
    """Why the kiosk's state is not consistent, or None."""
    controller: Controller = kiosk.controller
    frame = controller.frame()
    if not isinstance(frame, Frame):
        return f"frame() gave {frame!r}"
    activity = controller.activity
    if isinstance(activity, GuidedSession):
        if not isinstance(activity.phase, Phase):
            return f"phase {activity.phase!r}"
        started = activity.phase in (Phase.COUNTDOWN, Phase.PAIN_AFTER, Phase.LEVEL_UP, Phase.SUMMARY)
        if started != (activity.record is not None):
            return f"{activity.phase} with record {activity.record}"
        if activity.phase is Phase.COUNTDOWN and activity.record.status is not Status.IN_PROGRESS:
            return f"counting down a {activity.record.status} session"
        if not 0 <= activity.rating <= 10:
            return f"rating {activity.rating}"
    return None


@pytest.mark.parametrize("bounce_ms, speed", [(50, 1.0), (0, 20.0)], ids=["debounced", "every-edge-a-key"])
def test_a_thousand_presses_a_second_for_three_seconds(real_time_kiosk, tmp_path, caplog, bounce_ms, speed):
    """Random buttons flip every 0.5 ms (both or all at once, too). With the default 50 ms
    debounce the storm is mostly filtered out; with bounce_ms 0 and the kiosk's clock 20
    times faster (5 s sessions last 0.25 s) every press reaches the state machine, which
    goes through whole sessions many times over."""
    kiosk = real_time_kiosk(ABUSE_CONFIG.replace("buttons:\n", f"buttons:\n  bounce_ms: {bounce_ms}\n"), speed)
    rng = random.Random(9)
    names = ("up", "down", "select", "back")
    weights = (2, 2, 5, 1)  # select most: the storm gets through whole sessions, not just back out
    pins = {name: kiosk.panel_pin(name) for name in names}
    transitions: list[tuple] = []  # (session, phase before, key, phase after, rating before)
    real_press = kiosk.controller.press

    def press(key: Key) -> None:
        before = kiosk.controller.activity
        phase = before.phase if isinstance(before, GuidedSession) else None
        rating = getattr(before, "rating", None)
        real_press(key)
        after = kiosk.controller.activity
        transitions.append((before, phase, key, after.phase if isinstance(after, GuidedSession) else None, rating))

    kiosk.controller.press = press
    stop = threading.Event()
    edges = [0]

    def hammer() -> None:
        started = time.perf_counter()
        n = 0
        while not stop.is_set():
            pin = pins[rng.choices(names, weights)[0]]
            pin.drive_high() if pin.state == 0 else pin.drive_low()
            n += 1
            edges[0] = n
            lag = started + n / 2000 - time.perf_counter()  # 2,000 edges a second = 1,000 presses
            if lag > 0:
                time.sleep(lag)

    thread = threading.Thread(target=hammer)
    problems: list[str] = []
    with caplog.at_level(logging.WARNING):
        thread.start()
        started = time.perf_counter()
        while time.perf_counter() - started < 3.0:
            kiosk.step(0.002)  # the real loop: keys in, tick, draw the frame if it changed
            why = _consistent(kiosk)
            if why:
                problems.append(why)
                break
        stop.set()
        thread.join()
        hammered = time.perf_counter() - started
        for pin in pins.values():
            pin.drive_high()
        settle(kiosk, 0.3)
    assert not problems, problems
    presses = edges[0] / 2
    assert presses / hammered >= 600, f"only {presses / hammered:.0f} presses a second"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert kiosk.panel.stuck(0) == []  # every button is known to be up again
    assert len(transitions) > 50

    # The state machine: one row per start, each with the rating shown when select was
    # pressed; a rating after the session is taken at most once per session.
    starts = [t for t in transitions if t[1] is Phase.PAIN_BEFORE and t[2] is Key.SELECT]
    assert all(t[3] is Phase.COUNTDOWN for t in starts)
    rated = [t for t in transitions if t[1] is Phase.PAIN_AFTER and t[2] is Key.SELECT]
    assert len({id(t[0]) for t in rated}) == len(rated), "a session rated twice"
    assert all(t[3] in (Phase.SUMMARY, Phase.LEVEL_UP) for t in rated)
    rows = session_rows(tmp_path / "data" / "desens.db")
    assert len(rows) == len(starts)
    print(f"{presses / hammered:.0f} presses a second for {hammered:.1f} s: {len(transitions)} keys acted on, "
          f"{len(rows)} sessions started, {len(rated)} rated")
    assert [r["pain_before"] for r in rows] == [t[4] for t in starts]
    assert sum(r["status"] == "in_progress" for r in rows) <= 1
    # Still at its post: a clean press now is exactly one key.
    kiosk.inputs.drain()
    pins["up"].drive_low()
    time.sleep(0.06)
    pins["up"].drive_high()
    time.sleep(0.1)
    assert kiosk.inputs.drain() == [Key.UP]


# =========================================================================================
# 4. A hostile environment: no sound, no writable data folder, a locked database
# =========================================================================================


@pytest.fixture
def fake_time_kiosk(tmp_path, monkeypatch):
    monkeypatch.delenv("DESENS_KIOSK_CONFIG", raising=False)
    clock = FakeClock()
    made = []

    def make(data_dir: Path | None = None) -> Kiosk:
        config = tmp_path / "config.yaml"
        config.write_text("session:\n  duration: 30s\nreminders: []\n")
        kiosk = Kiosk(Options(config=str(config), data_dir=str(data_dir or tmp_path / "data"), fullscreen=False,
                              size=(800, 480)), clock=clock)
        made.append(kiosk)
        kiosk.draw()
        return kiosk

    make.clock = clock
    yield make
    for kiosk in made:
        kiosk.close()


def tap(kiosk: Kiosk, clock: FakeClock, name: str) -> None:
    pin = kiosk.panel_pin(name)
    clock.advance(0.2)
    pin.drive_low()
    clock.advance(0.2)
    pin.drive_high()
    kiosk.step(0)


def do_a_session(kiosk: Kiosk, clock: FakeClock) -> None:
    """Home -> pain before 2 -> the whole countdown -> pain after 1 -> the summary."""
    for name in ("select", "select", "select", "up", "up", "select"):
        tap(kiosk, clock, name)
    assert phase_of(kiosk) is Phase.COUNTDOWN
    for _ in range(1000):
        if phase_of(kiosk) is not Phase.COUNTDOWN:
            break
        clock.advance(max(kiosk.next_timeout(), 0.01))
        kiosk.step(0)
    assert phase_of(kiosk) is Phase.PAIN_AFTER
    tap(kiosk, clock, "down")
    tap(kiosk, clock, "select")
    assert phase_of(kiosk) is Phase.SUMMARY


def test_no_audio_device(fake_time_kiosk, monkeypatch, caplog, tmp_path):
    def no_device(*args, **kwargs):
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "init", no_device)
    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    with caplog.at_level(logging.WARNING):
        kiosk = fake_time_kiosk()
    assert kiosk.controller.frame().notice == text.NO_SOUND
    assert "no audio device" in caplog.text
    do_a_session(kiosk, fake_time_kiosk.clock)  # every cue asked for is silently skipped
    [row] = session_rows(tmp_path / "data" / "desens.db")
    assert (row["status"], row["pain_before"], row["pain_after"]) == ("completed", 2, 1)


def test_a_data_folder_that_cannot_be_made(fake_time_kiosk, caplog, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the data folder's parent should be")
    with caplog.at_level(logging.ERROR):
        kiosk = fake_time_kiosk(blocker / "data")
    notice = kiosk.controller.frame().notice
    assert notice == text.SESSIONS_NOT_SAVED
    assert "cannot use the database" in caplog.text
    do_a_session(kiosk, fake_time_kiosk.clock)
    assert kiosk.controller.frame().notice == notice  # still said: the session lives in memory only


def _without_dac_override() -> None:
    """preexec_fn: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so the
    exec'd child, even as root, is bound by a folder's permission bits."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_read_only_data_folder(tmp_path):
    # Inside a folder anyone may read, as the child may not be able to read tmp_path.
    base = Path(tempfile.mkdtemp(prefix="desens-ro-"))
    try:
        base.chmod(0o755)
        (base / "config.yaml").write_text("session:\n  duration: 30s\nreminders: []\n")
        data = base / "data"
        data.mkdir(mode=0o555)
        data.chmod(0o555)
        done = subprocess.run(
            [sys.executable, str(HELPERS / "headless_session.py"), str(base / "config.yaml"), str(data)],
            env=child_env(), capture_output=True, text=True, timeout=60,
            preexec_fn=_without_dac_override if os.geteuid() == 0 else None,
        )
    finally:
        (base / "data").chmod(0o755)
        for path in sorted(base.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        base.rmdir()
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    said = text.storage_problem(text.READ_ONLY)
    assert result["notice_at_start"] == said and result["notice_at_end"] == said
    assert any(line.startswith("ERROR cannot use the database") and text.READ_ONLY in line for line in result["log"])
    assert result["summary_phase"] == "summary"
    assert (result["summary_before"], result["summary_after"]) == (2, 3)
    assert result["summary_saved"] is False  # never "Saved" when only memory holds it
    assert result["database_file"] == ""  # kept in memory: nothing could be written into the folder


def _lock(db: Path) -> subprocess.Popen:
    """Another process holding BEGIN EXCLUSIVE on the database until its stdin closes."""
    code = ("import sqlite3, sys\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def _unlock(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(timeout=10)


def test_a_database_locked_by_another_process(fake_time_kiosk, caplog, tmp_path):
    """Locked at start-up (a kiosk process started while another holds the lock, run in the
    background) and while running (this process): both at once. A write in the loop waits
    at most the store's short busy timeout, then the recorder keeps it for later."""
    said = text.storage_problem(text.DB_LOCKED)
    at_start = tmp_path / "at-start"
    Store.open(at_start / "data").close()  # a database in WAL mode, as the kiosk leaves it
    (at_start / "config.yaml").write_text("session:\n  duration: 30s\nreminders: []\n")
    start_locker = _lock(at_start / "data" / "desens.db")
    starting = subprocess.Popen(
        [sys.executable, str(HELPERS / "headless_session.py"), str(at_start / "config.yaml"), str(at_start / "data")],
        env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        kiosk = fake_time_kiosk()
        clock = fake_time_kiosk.clock
        db = tmp_path / "data" / "desens.db"
        for name in ("select", "select", "select", "up", "up"):
            tap(kiosk, clock, name)
        locker = _lock(db)
        try:
            with caplog.at_level(logging.ERROR):
                started = time.perf_counter()
                tap(kiosk, clock, "select")  # the session's first write waits BUSY_MS, then gives up
                froze = time.perf_counter() - started
            assert phase_of(kiosk) is Phase.COUNTDOWN  # the countdown runs all the same
            assert kiosk.controller.frame().notice == said
            assert text.DB_LOCKED in caplog.text
            assert froze < 2.0  # BUSY_MS is 250 ms: the screen never freezes for long
            print(f"a write to the locked database held the loop {froze:.2f} s")
            # The rest of the session with the lock still held.
            for _ in range(1000):
                if phase_of(kiosk) is not Phase.COUNTDOWN:
                    break
                clock.advance(max(kiosk.next_timeout(), 0.01))
                kiosk.step(0)
            tap(kiosk, clock, "up")
            tap(kiosk, clock, "select")
            assert phase_of(kiosk) is Phase.SUMMARY
            assert kiosk.controller.frame().view.saved is False
            assert kiosk.controller.frame().notice == said
            assert session_rows(db) == []  # nothing got through (WAL: a reader still reads)
        finally:
            _unlock(locker)
        clock.advance(11)  # the recorder tries again every 10 s
        kiosk.step(0)
        assert kiosk.controller.frame().notice is None
        [row] = session_rows(db)
        assert (row["status"], row["pain_before"], row["pain_after"]) == ("completed", 2, 3)
    finally:
        out, err = starting.communicate(timeout=60)
        _unlock(start_locker)
    assert starting.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["notice_at_start"] == said and result["notice_at_end"] == said
    assert any(line.startswith("ERROR could not save") and text.DB_LOCKED in line for line in result["log"])
    assert result["summary_phase"] == "summary" and result["summary_saved"] is False  # a whole session
    # The file stays the store: what waits in memory is written once the lock goes.
    assert result["database_file"].endswith("desens.db")
