#!/usr/bin/env python3
"""The kiosk's benchmark: runs the real kiosk in a real X window (its own Xvfb), measures,
and writes docs/PERFORMANCE.md. Run by hand, not part of the tests:

    /work/venv/bin/python bench/run.py                 # the full run, about 30 minutes
    /work/venv/bin/python bench/run.py --quick         # a smoke test of every part, ~4 minutes
    /work/venv/bin/python bench/run.py --out /tmp/p.md # write somewhere else
    /work/venv/bin/python bench/run.py --before REV    # also the kiosk as it was at git REV, side by side
    /work/venv/bin/python bench/run.py --from-raw docs/PERFORMANCE.md --out /tmp/p.md
                                                      # tables again from the raw data of a report

Needs Xvfb and xdotool on $PATH; with espeak-ng too, it also measures the kiosk with its
voice on and its cache warm (the rows are left out, saying why, without it). To measure a
commit rather than the working copy, extract it (`git archive REV | tar -x -C /tmp/REV`)
and run /tmp/REV/bench/run.py: the report names the folder (or the commit, inside a git
checkout). Which kiosk runs and how each number is taken
is written into the report itself (section "How it was measured").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SIZES = ("800x480", "1920x1080")
SCREENS = ("home", "asleep", "countdown")
CONFIG = "session:\n  duration: 30m\nreminders: []\ndisplay:\n  sleep_after: never\n"
ASLEEP_AFTER = 10  # seconds: the shortest sleep_after a config may ask for
CONFIG_ASLEEP = f"session:\n  duration: 30m\nreminders: []\ndisplay:\n  sleep_after: {ASLEEP_AFTER}s\n"
# The loops measured side by side, in the order of the report's columns: (title, what it is).
LOOPS = {
    "before": ("Before", "the kiosk as it was at git `{before}`, `python -m kiosk run --windowed`"),
    "window": ("Now, window", "the kiosk in a desktop window, `python -m kiosk run --windowed`: mock pins, "
                              "the keyboard stands in for the buttons, SDL looked at every 50 ms"),
    "console": ("Now (console)", "the kiosk as on the Pi's console with GPIO buttons: bench/driver.py idle "
                                 "--console, the real `Kiosk` and `run()`, SDL looked at once a second"),
    "voice": ("Now + voice", "the kiosk on the console setting as *Now*, with `voice: {{engine: espeak-ng}}`: "
                             "every spoken line rendered beforehand (`python -m kiosk voice --render`), "
                             "so the cache is warm"),
    "textbook": ("Textbook", "bench/textbook.py"),
}
VOICE = "voice:\n  engine: espeak-ng\n"
VOICE_SAME = 1.2  # "unchanged": within the run-to-run spread of a 0.1 %-of-a-core figure
VOICE_SCREENS = ("home", "countdown")  # the voice changes nothing asleep (no session, no words)


# -- processes and what they cost ----------------------------------------------------------


def threads(pid: int) -> dict[str, tuple[str, int, int]]:
    """Each live thread of `pid`: (name, CPU time in ns, times it was scheduled in), from
    schedstat: exact, not in 10 ms ticks."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "schedstat").read_text().split()
            out[task.name] = ((task / "comm").read_text().strip(), int(fields[0]), int(fields[2]))
        except (OSError, ValueError, IndexError):
            pass
    return out


def thread_kind(pid: int, tid: str, name: str) -> str:
    if tid == str(pid):
        return "main thread (the loop)"
    if name.startswith("SDLAudio"):
        return "SDL audio thread (mixer)"
    if name.startswith("llvmpipe"):
        return "Mesa llvmpipe (software GL)"
    if name == "python":
        return "other Python threads (gpiozero's button hold threads)"
    return "other threads"


def cpu_ticks(pid: int) -> int:
    """utime + stime of the whole process (dead threads included), in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


class CpuWindow:
    """CPU used by some processes between start() and stop(), as a share of one core."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.before = {k: threads(p) for k, p in self.pids.items()}
        self.ticks0 = {k: cpu_ticks(p) for k, p in self.pids.items()}

    def stop(self) -> dict[str, float]:
        elapsed = time.monotonic() - self.t0
        out = {"seconds": elapsed}
        hz = os.sysconf("SC_CLK_TCK")
        for key, pid in self.pids.items():
            now = threads(pid)
            kinds: dict[str, list[float]] = {}
            for tid, (name, ns, runs) in now.items():
                _, ns0, runs0 = self.before[key].get(tid, (name, 0, 0))
                kind = kinds.setdefault(thread_kind(pid, tid, name), [0.0, 0.0, 0])
                kind[0] += (ns - ns0) / 1e9 / elapsed
                kind[1] += (runs - runs0) / elapsed
                kind[2] += 1
            out[key] = sum(k[0] for k in kinds.values())
            out[key + "_ticks"] = (cpu_ticks(pid) - self.ticks0[key]) / hz / elapsed
            if key == "process":
                out["threads"] = {kind: {"cpu": v[0], "wakeups_per_s": v[1], "count": v[2]}
                                  for kind, v in kinds.items()}
        return out


def memory(pid: int) -> dict[str, int]:
    """Peak and current resident memory of `pid`, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
            values[key] = int(rest.split()[0])
    return values


@contextmanager
def xvfb():
    """A private X server at the first free display from :91, 1920x1080x24, removed after."""
    for number in range(91, 100):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    else:
        raise SystemExit("no free X display between :91 and :99")
    proc = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            if proc.poll() is not None:
                raise SystemExit(f"Xvfb :{number} failed to start")
            time.sleep(0.05)
        time.sleep(0.2)
        yield f":{number}", proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Notify:
    """A datagram socket standing in for systemd's $NOTIFY_SOCKET: READY=1 comes after the
    first frame is on the screen (kiosk.app.Kiosk.run: draw, then notify)."""

    def __init__(self, work: Path):
        self.path = str(work / f"notify-{time.monotonic_ns()}.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)

    def ready(self, timeout: float) -> float:
        """Waits for READY=1; returns time.monotonic() when it arrived."""
        self.sock.settimeout(timeout)
        while True:
            message = self.sock.recv(4096).decode()
            if message.startswith("READY=1"):
                return time.monotonic()

    def close(self) -> None:
        self.sock.close()
        Path(self.path).unlink(missing_ok=True)


def env_for(display: str, notify: str | None = None, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    for key in ("SDL_VIDEODRIVER", "GPIOZERO_PIN_FACTORY", "DESENS_KIOSK_CONFIG", "DESENS_KIOSK_DATA",
                "NOTIFY_SOCKET", "WATCHDOG_USEC"):
        env.pop(key, None)
    env.update(DISPLAY=display, PYTHONPATH=str(REPO), PYGAME_HIDE_SUPPORT_PROMPT="1",
               # a speaker on the Pi: the mixer and its thread run, as they would there
               SDL_AUDIODRIVER="dummy")
    if notify:
        env["NOTIFY_SOCKET"] = notify
    env.update(extra or {})
    return env


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sessions_in_progress(data: Path) -> int:
    db = data / "desens.db"
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM sessions WHERE status = 'in_progress'").fetchone()[0]


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# -- the measurements --------------------------------------------------------------------


def before_tree(rev: str, work: Path) -> Path:
    """The kiosk's files at git `rev`, extracted (read-only use of the repository); `rev` may
    also be a folder that holds them already (a tree extracted by hand, named after its rev)."""
    if Path(rev, "kiosk", "__main__.py").is_file():
        return Path(rev).resolve()
    tree = work / "before"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "kiosk", "config", "sounds"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def cpu_run(python: str, display: str, xvfb_pid: int, work: Path, loop: str, screen: str, size: str,
            seconds: float, warmup: float, extra_env: dict | None = None, before: Path | None = None) -> dict:
    """One process, `loop` (see LOOPS), on `screen` = home, asleep (dark after ASLEEP_AFTER s
    alone) or countdown, CPU over `seconds` after `warmup`."""
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=work))
    config = run_dir / "config.yaml"
    config.write_text((CONFIG_ASLEEP if screen == "asleep" else CONFIG) + (VOICE if loop == "voice" else ""))
    data = run_dir / "data"
    notify = Notify(run_dir)
    env = dict(extra_env or {})
    if loop == "voice":
        env["XDG_CACHE_HOME"] = str(work / "voice-cache")  # warmed by warm_voice_cache()
    if loop in ("before", "window"):
        cmd = [python, "-m", "kiosk", "run", "--config", str(config), "--data-dir", str(data),
               "--windowed", "--size", size]
        if loop == "before":
            env["PYTHONPATH"] = str(before)
    elif loop in ("console", "voice"):
        cmd = [python, str(BENCH / "driver.py"), "idle", "--console", "--screen", screen, "--size", size,
               "--config", str(config), "--data-dir", str(data)]
    else:
        cmd = [python, str(BENCH / "textbook.py"), "--screen", screen, "--size", size,
               "--config", str(config), "--data-dir", str(data), "--stats", str(run_dir / "frames.txt")]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env_for(display, notify.path, env), cwd=run_dir,
                            stdout=subprocess.DEVNULL, stderr=open(run_dir / "stderr.txt", "w"))
    try:
        ready = notify.ready(30) - started
        if screen == "countdown" and loop != "textbook":
            if loop not in ("console", "voice"):  # (the driver presses the mock pins itself)
                # The pointer in the middle of the screen gives the window the keyboard (no window
                # manager on Xvfb); Return is select: home -> area -> technique -> pain -> countdown.
                xdotool(display, "mousemove", "960", "540")
                for _ in range(4):
                    time.sleep(0.3)
                    xdotool(display, "key", "Return")
            for _ in range(50):
                if sessions_in_progress(data) == 1:
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"the kiosk ({loop}) did not reach the countdown: "
                                   + (run_dir / "stderr.txt").read_text()[-2000:])
        time.sleep(max(warmup, ASLEEP_AFTER + 2 - (time.monotonic() - started - ready))
                   if screen == "asleep" else warmup)
        window = CpuWindow({"process": proc.pid, "xserver": xvfb_pid})
        window.start()
        if loop == "textbook":
            proc.send_signal(signal.SIGUSR1)
        time.sleep(seconds)
        result = window.stop()
        if loop == "textbook":
            proc.send_signal(signal.SIGUSR1)
            time.sleep(0.2)
            marks = [line.split() for line in (run_dir / "frames.txt").read_text().splitlines()]
            if len(marks) == 2:
                (f0, t0), (f1, t1) = [(int(f), float(t)) for f, t in marks]
                result["fps"] = (f1 - f0) / (t1 - t0)
        if screen == "countdown" and loop != "textbook" and sessions_in_progress(data) != 1:
            raise RuntimeError("the countdown was not running all along")
        if proc.poll() is not None:
            raise RuntimeError(f"{loop} ended early: " + (run_dir / "stderr.txt").read_text()[-2000:])
        result.update(memory(proc.pid), ready=ready, **children_cpu(proc.pid))
        if loop == "voice":
            log = (run_dir / "stderr.txt").read_text()
            if "voice: espeak-ng" not in log or "0 rendered now" not in log:
                raise RuntimeError("the voice was not on with a warm cache: " + log[-2000:])
        return result
    finally:
        stop(proc)
        notify.close()
        shutil.rmtree(run_dir, ignore_errors=True)


def children_cpu(pid: int) -> dict:
    """CPU time of `pid`'s children that ended and were waited for (the voice's render
    process), in seconds, over the whole life of `pid`."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return {"children_seconds": (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")}


def warm_voice_cache(python: str, work: Path) -> str | None:
    """Renders every line the voice loop's kiosk will say (the very config it runs), as an
    image build does; None when it worked, else why the voice loop is left out."""
    if not shutil.which("espeak-ng"):
        return "espeak-ng is not installed (apt install espeak-ng)"
    config = work / "voice.yaml"
    config.write_text(CONFIG + VOICE)
    done = subprocess.run([python, "-m", "kiosk", "voice", "--render", "--config", str(config)],
                          env={**env_for(""), "XDG_CACHE_HOME": str(work / "voice-cache")}, cwd=work,
                          capture_output=True, text=True, timeout=600)
    return None if done.returncode == 0 else f"voice --render failed: {(done.stdout + done.stderr)[-500:]}"


def cue_run(python: str, work: Path, audio: dict, runs: int) -> dict | None:
    """bench/driver.py cue on the SDL audio driver (and ALSA device) in `audio`; None when
    that driver opens no device here."""
    out = work / f"cue-{time.monotonic_ns()}.json"
    env = {**env_for("", None, audio), "SDL_VIDEODRIVER": "dummy"}
    done = subprocess.run([python, str(BENCH / "driver.py"), "cue", "--runs", str(runs), "--out", str(out)],
                          env=env, cwd=work, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.exists():
        return None
    result = json.loads(out.read_text())
    return None if "error" in result else result


def startup_run(python: str, display: str, work: Path, data: Path) -> dict:
    """Process start (fork/exec) to the first frame presented (READY=1)."""
    config = work / "startup.yaml"
    config.write_text(CONFIG)
    notify = Notify(work)
    started = time.monotonic()
    proc = subprocess.Popen([python, "-m", "kiosk", "run", "--config", str(config), "--data-dir", str(data),
                             "--windowed", "--size", "800x480"], env=env_for(display, notify.path), cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = notify.ready(30) - started
        return {"ready": ready, **memory(proc.pid)}
    finally:
        stop(proc)
        notify.close()


def driver_run(python: str, display: str, work: Path, *args: str, tree: Path | None = None) -> subprocess.Popen:
    """bench/driver.py with `args`, on the kiosk in `tree` (the one beside the bench by default)."""
    out = work / f"driver-{time.monotonic_ns()}.json"
    proc = subprocess.Popen([python, str(BENCH / "driver.py"), *args, "--out", str(out)],
                            env=env_for(display, None, {"PYTHONPATH": str(tree)} if tree else None), cwd=work,
                            stdout=subprocess.DEVNULL,
                            stderr=open(str(out) + ".err", "w"))
    proc.out = out  # type: ignore[attr-defined]
    return proc


def driver_result(proc: subprocess.Popen, timeout: float) -> dict:
    proc.wait(timeout)
    if proc.returncode != 0 or not proc.out.exists():
        raise RuntimeError(f"driver failed: {Path(str(proc.out) + '.err').read_text()[-3000:]}")
    result = json.loads(proc.out.read_text())
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# -- the report ----------------------------------------------------------------------------


def spread(values: list[float], fmt: str) -> str:
    """median (min-max) of several runs."""
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def machine(python: str) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    probe = subprocess.run(
        [python, "-c", "import sys, pygame; print(sys.version.split()[0]); print(pygame.version.ver); "
                       "print('.'.join(map(str, pygame.get_sdl_version())))"],
        capture_output=True, text=True, env={**os.environ, "PYGAME_HIDE_SUPPORT_PROMPT": "1"}, check=True)
    py, pg, sdl = probe.stdout.split()
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() if (REPO / ".git").exists() else REPO.name
    meminfo = Path("/proc/meminfo").read_text()
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(), "python": py, "pygame": pg, "sdl": sdl,
        "interpreter": python, "kiosk": commit,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": Path("/proc/loadavg").read_text().split()[:3],
        "virtualised": "hypervisor" in Path("/proc/cpuinfo").read_text(),
    }


def write_report(path: Path, m: dict, r: dict, p: dict, total_seconds: float) -> None:
    before = p.get("before")
    lines = [
        "# Performance",
        "",
        "Measured by `bench/run.py` (run by hand, not part of the tests). To measure again:",
        "",
        "```sh",
        "/work/venv/bin/python bench/run.py             # full run, about 30 minutes; rewrites this file",
        "/work/venv/bin/python bench/run.py --quick     # smoke test of every part (short windows, few runs)",
        "/work/venv/bin/python bench/run.py --before REV  # also the kiosk as it was at git REV, side by side",
        "/work/venv/bin/python bench/run.py --out FILE  # write the report elsewhere",
        "/work/venv/bin/python bench/run.py --python /tmp/venv212/bin/python  # the kiosk on another pygame",
        "/work/venv/bin/python bench/run.py --from-raw docs/PERFORMANCE.md --out FILE  # re-tabulate, no measuring",
        "```",
        "",
        "It needs `Xvfb` and `xdotool`, starts its own X server (`:91`-`:99`, 1920x1080x24) and removes it",
        "afterwards. Every figure is the **median over several runs, with the lowest and highest run in",
        "brackets** (median (min–max)); where a row had a single run it says so.",
        "",
        "**This is not a Raspberry Pi.** It is a shared, virtualised x86 machine (other people's jobs may",
        "run at the same time: the load averages at the start and the end are below), rendering through",
        "Xvfb and Mesa's software OpenGL. A Pi's cores are several times slower: read the ratios and the",
        "limits, and the before/now comparisons made in the same run, not the absolute CPU figures, as",
        "what carries over.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m['cpu']}, {m['cores']} cores{' (virtual machine)' if m['virtualised'] else ''} |",
        f"| Memory | {m['memory_gb']} GB |",
        f"| Kernel | Linux {m['kernel']} |",
        f"| Kiosk measured | `{m.get('kiosk', '?')}`" + (f"; before: `{before}`" if before else "") + " |",
        f"| Python | {m['python']} (`{m['interpreter']}`) |",
        f"| pygame / SDL | pygame {m['pygame']}, SDL {m['sdl']} |",
        "| Display | Xvfb 1920x1080x24, SDL's x11 driver; `SDL_AUDIODRIVER=dummy` (the mixer runs, as with a speaker) |",
        f"| Date | {m['date']}; load average at the start {' '.join(m['load'])} |",
        f"| Bench | {p['label']}, {total_seconds / 60:.1f} minutes in all; load average at the end "
        f"{' '.join(m.get('load_at_end', ['?']))} |",
        "",
        "## Results against the goals",
        "",
        "*Now* is the kiosk as it runs on the Pi: fullscreen on the console with GPIO buttons, where",
        "nothing SDL delivers is needed and the loop looks at SDL's events once a second (GPIO edges",
        "wake it at once). Xvfb is necessarily a desktop, so bench/driver.py runs the real `Kiosk` and",
        "its own `run()` with that setting (`--console`); the same kiosk in a desktop window, where",
        "the keyboard stands in for the buttons and SDL is looked at every 50 ms, is measured too.",
        "",
        "| What | Goal | Measured | |",
        "|---|---|---|---|",
    ]
    for row in r["goals"]:
        verdict = "—" if row[3] is None else ("met" if row[3] else "**not met**")
        lines.append(f"| {row[0]} | {row[1]} | {row[2]} | {verdict} |")
    lines += [
        "",
        "## CPU: share of one core",
        "",
        f"Each run: one process, {p['cpu_seconds']:.0f} s (kiosk) or {p['textbook_seconds']:.0f} s (textbook)"
        f" of CPU time after {p['warmup']:.0f} s of warm-up ({ASLEEP_AFTER + 2} s for *asleep*: the screen",
        f"goes dark {ASLEEP_AFTER} s after the last press), {p['cpu_runs']} run(s) each, every loop interleaved",
        "run by run. The loops:",
        "",
    ]
    for loop in r["loops"]:
        title, what = LOOPS[loop]
        lines.append(f"- *{title}*: {what.format(before=before)}")
    lines += [
        "",
        "The kiosks that are not driven by the bench itself are taken into the countdown by X key events",
        "(Return x4, through SDL, the keyboard-to-mock-pin path); on the console the driver presses the",
        "mock pins. *Textbook* is the same controller, database and Renderer in the loop every pygame",
        "tutorial teaches (`pygame.init()`, events, update, full redraw, `flip()`, `clock.tick(60)`).",
        "*+ X* adds what Xvfb spent in the same window (it receives every presented frame).",
        "*Textbook fps* is the frame rate the textbook loop reached in its window: below 60 it was short",
        "of CPU (its full redraw at 1920x1080 needs about a core here; other jobs on the machine take",
        "their share), and its CPU, so the ratio, is lower than a free core would give. *Textbook at 60",
        "fps / now* scales its CPU to 60 frames a second: an estimate, not a measurement.",
        "",
        "| Screen | Size | " + " | ".join(r["loop_titles"])
        + " | Textbook fps | Textbook / now | Textbook at 60 fps / now | Before / now | Now + X |",
        "|---|---|" + "---|" * (len(r["loop_titles"]) + 5),
    ]
    for row in r["cpu_rows"]:
        lines.append("| " + " | ".join(row) + " |")
    if r.get("thread_rows"):
        lines += [
            "",
            "Where the kiosk's own CPU goes, by thread, 800x480 (median over the runs; wake-ups are the",
            "times a thread was scheduled in, per second), before and now (on the console):",
            "",
            "| Screen | Thread(s) | " + " | ".join(f"{t}: CPU | wake-ups/s" for t in r["thread_titles"]) + " |",
            "|---|---|" + "---|---|" * len(r["thread_titles"]),
        ]
        for row in r["thread_rows"]:
            lines.append("| " + " | ".join(row) + " |")
    if r.get("voice_rows") or r["raw"].get("voice_left_out"):
        lines += [
            "",
            "### The voice, with its cache warm",
            "",
            "The kiosk never synthesises in the loop: every line is rendered to a WAV ahead of time (here by",
            "`python -m kiosk voice --render` with the very config the kiosk runs, as an image build does),",
            "and at start the kiosk's render process finds them all cached and ends. *Without* is *Now*",
            "above; *with* is the same kiosk with `voice: {engine: espeak-ng}`, run by run beside it. In the",
            "countdown the start line (the technique's name and prompt) is spoken as the window begins, so",
            "the mixer plays words during part of it. *Render process* is the CPU the start-up's render",
            "process took in all (it ended before the window; 0 where it took less than a clock tick).",
            "",
        ]
        if r["raw"].get("voice_left_out"):
            lines.append(f"Not measured in this run: {r['raw']['voice_left_out']}.")
        else:
            lines += [
                "| Screen | Size | Without voice | With voice | With / without, run by run "
                "| Peak RSS without | Peak RSS with | Render process |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for row in r["voice_rows"]:
                lines.append("| " + " | ".join(row) + " |")
    if r.get("variant_rows"):
        lines += [
            "",
            "### Without OpenGL for the window surface",
            "",
            "Under X11, SDL 2 presents the window surface through an OpenGL texture by default",
            "(`SDL_FRAMEBUFFER_ACCELERATION` unset); on Xvfb that is Mesa's llvmpipe, in software, which",
            "maps libLLVM (about 55 MB of RSS) and starts render threads. On a Pi, kmsdrm presents",
            "through the GPU (GLES) instead. The same measurements with `SDL_FRAMEBUFFER_ACCELERATION=0`",
            f"(plain X11 shared-memory images), the kiosk on the console setting, 800x480, {p['variant_runs']} run(s) each:",
            "",
            "| Screen | Kiosk | Textbook loop | Textbook / kiosk | Kiosk peak RSS |",
            "|---|---|---|---|---|",
        ]
        for row in r["variant_rows"]:
            lines.append("| " + " | ".join(row) + " |")
    if r.get("cue_rows"):
        lines += [
            "",
            "## The first cue after a quiet time",
            "",
            "The audio device is shut after a minute without a cue or a press (an open device costs SDL's",
            "audio thread, ~43 wake-ups a second even in silence) and opened again by the next press (after",
            "the frame is drawn) or by a cue itself. bench/driver.py cue times `SoundPlayer.play()` on a",
            f"shut device (open it, make that cue's sound, start it) against `play()` on an open one, {p.get('cue_runs', '?')}",
            "times each, and SDL's device open alone. ALSA's `null` device runs ALSA's library and SDL's",
            "ALSA code without a sound card; it has no clock, so its audio thread spins and its play()",
            "figures mean little: only its device open is shown. A Pi's HDMI or USB device adds its own",
            "open time, which this machine cannot show.",
            "",
            "| Audio | play() on a shut device | play() on an open device | device open alone |",
            "|---|---|---|---|",
        ]
        for row in r["cue_rows"]:
            lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "## Press to pixel",
        "",
        "bench/driver.py runs the real `Kiosk` and its own `run()` loop in a real X window, on the console",
        "setting (SDL looked at once a second); a second thread drives the mock GPIO pin low (the same",
        "call chain a GPIO edge takes on the Pi: ButtonPanel -> press interpreter -> InputQueue -> the",
        "blocked loop wakes) and the time is taken from just before that until `pygame.display.flip()`",
        "has returned for the first frame that shows the press.",
        f"{p['presses']} presses per run; each held 60 ms, then 60-120 ms apart (more than the 50 ms",
        "debounce). *Rating*: up / down on the pain-before screen. *Pause*: select during a running",
        "countdown (select acts on its press there; pause writes a checkpoint to the database first, so",
        "an fsync is in that path). *Before*: the same driver on the kiosk at `--before` (which looked at",
        "SDL every 50 ms), run by run beside it. Not included: the GPIO library's own edge detection on a",
        "Pi, and the display's scan-out.",
        "",
        "| Screen | Size | Kiosk | Runs | p50 | p99 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in r["latency_rows"]:
        lines.append("| " + " | ".join(row) + " |")
    if r.get("part_rows"):
        lines += [
            "",
            "Where a press's time goes (p50 / p99, median over the runs): *wake*, from the edge until the",
            "logic has the key (pin callback, press interpreter, queue, the loop's wait ending); *logic*,",
            "until drawing starts; *draw*, drawing and the flip that shows the press.",
            "",
            "| Screen | Size | Kiosk | wake | logic | draw |",
            "|---|---|---|---|---|---|",
        ]
        for row in r["part_rows"]:
            lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "## Timer accuracy under a stalled loop",
        "",
        f"{p['timer_runs']} sessions of {p['timer_seconds']} s, each the real `Kiosk` in its own window on the "
        "console setting (all run side by side: they mostly sleep),",
        f"with the main loop stalled at random: before each turn's `controller.tick()`, with probability "
        f"{p['stall_chance']}, a sleep of 0-300 ms",
        "(uniform). And the worst case for the end, in every run: the turn that ends the session is",
        "stalled too (by the random stall that straddles the deadline, or else by one of 100-300 ms",
        "forced on the first turn that finds the deadline passed). The countdown is a deadline on the",
        "monotonic clock, so the stalls must not move the recorded end; they only make the loop",
        "*notice* the end late (the end chime and the pain-after screen come late by the stall).",
        "",
        "| What | Median (min–max) over runs |",
        "|---|---|",
    ]
    for row in r["timer_rows"]:
        lines.append(f"| {row[0]} | {row[1]} |")
    lines += [
        "",
        "## Start-up and memory",
        "",
        "Start: from `Popen` (fork and exec of `python -m kiosk run --windowed --size 800x480`) until",
        "the kiosk's READY=1 arrives on a stand-in for systemd's `$NOTIFY_SOCKET`, which it sends right",
        "after its first frame is presented. Warm file cache (the same files were just read by earlier",
        "runs); an existing database. Peak RSS is the kernel's high-water mark (`VmHWM`), read at the end",
        "of each 800x480 CPU run of the kiosk in a window above.",
        "",
        "| What | Median (min–max) |",
        "|---|---|",
    ]
    for row in r["startup_rows"]:
        lines.append(f"| {row[0]} | {row[1]} |")
    lines += [
        "",
        "## How it was measured",
        "",
        "- CPU: the sum over the process's threads of `/proc/PID/task/TID/schedstat` (ns) between the",
        "  start and the end of the window, divided by the window's length; the X server's the same way.",
        "  (The ticks of `/proc/PID/stat`, which also count threads that ended, agree within their 10 ms",
        "  resolution; both are in the raw data.) 100 % is one core.",
        "- The kiosk waits on its input queue with a timeout of the first of: the next visible change,",
        "  a button's hold or chord, the watchdog ping, the sound device's quiet close, and the next look",
        "  at SDL's events (50 ms with the keyboard as the buttons, 250 ms asleep or in a desktop window",
        "  with GPIO buttons, 1 s on the console with GPIO buttons). The buttons have no thread (gpiozero's",
        "  Button polls every 100 ms in one per button: the *before* kiosk has them).",
        "- Config for every run: the bundled defaults with a 30-minute session (so no countdown ends",
        f"  during a window), no reminders and no screen sleep (*asleep*: `sleep_after: {ASLEEP_AFTER}s`). The",
        "  timer runs use a 5-minute session.",
        "",
        "<details><summary>Raw data of this run</summary>",
        "",
        "```json",
        compact_json(r["raw"]),
        "```",
        "",
        "</details>",
        "",
    ]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short windows and few runs: a smoke test")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs the kiosk")
    parser.add_argument("--out", default=str(REPO / "docs" / "PERFORMANCE.md"))
    parser.add_argument("--skip-timer", action="store_true", help="leave out the 5-minute sessions")
    parser.add_argument("--before", metavar="REV", help="also measure the kiosk as it was at git REV "
                        "(or in the folder REV), side by side with the kiosk now")
    parser.add_argument("--keep-raw", action="store_true", help="also write the raw data next to --out (.raw.json)")
    parser.add_argument("--from-raw", metavar="JSON", help="measure nothing: write the report from raw data "
                        "(a .raw.json, or the raw block of an earlier report)")
    args = parser.parse_args()
    if args.from_raw:
        text = Path(args.from_raw).read_text()
        if "```json" in text:
            text = text[text.index("```json") + 7:text.rindex("```")]
        report(json.loads(text), Path(args.out))
        print(f"wrote {args.out} from {args.from_raw}")
        return
    for tool in ("Xvfb", "xdotool"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (apt install xvfb xdotool)")
    if args.quick:
        p = dict(label="quick run (--quick)", cpu_runs=1, cpu_seconds=4.0, textbook_seconds=3.0, warmup=1.0,
                 presses=40, latency_runs=1, timer_runs=2, timer_seconds=20, stall_chance=0.1, startup_runs=2,
                 variant_runs=1, cue_runs=5)
    else:
        p = dict(label="full run", cpu_runs=3, cpu_seconds=12.0, textbook_seconds=6.0, warmup=2.0,
                 presses=200, latency_runs=2, timer_runs=5, timer_seconds=300, stall_chance=0.1, startup_runs=5,
                 variant_runs=1, cue_runs=20)
    p["before"] = Path(args.before).name if args.before and Path(args.before).is_dir() else args.before
    began = time.monotonic()
    m = machine(args.python)
    raw: dict = {"machine": m, "parameters": p, "cpu": [], "variant": [], "latency": [], "timer": [],
                 "startup": [], "cue": []}
    work = Path(tempfile.mkdtemp(prefix="desens-bench-"))
    before = before_tree(args.before, work) if args.before else None
    loops = [loop for loop in LOOPS if loop != "before" or before is not None]
    raw["voice_left_out"] = warm_voice_cache(args.python, work)
    if raw["voice_left_out"]:
        loops.remove("voice")
        print(f"no voice rows: {raw['voice_left_out']}", flush=True)
    try:
        with xvfb() as (display, xpid):
            def log(message: str) -> None:
                print(f"[{time.monotonic() - began:6.0f} s] {message}", flush=True)

            # Start-up first, while nothing else of ours runs.
            data = work / "startup-data"
            startup_run(args.python, display, work, data)  # creates the database; not counted
            for i in range(p["startup_runs"]):
                raw["startup"].append(startup_run(args.python, display, work, data))
                log(f"start-up {i + 1}: {raw['startup'][-1]['ready']:.3f} s")

            # CPU: every loop, interleaved run by run so drift in the machine's load touches
            # them alike. The textbook loop has no dark screen worth measuring.
            for run in range(p["cpu_runs"]):
                for size in SIZES:
                    for screen in SCREENS:
                        for loop in loops:
                            if (loop == "textbook" and screen == "asleep") or (
                                    loop == "voice" and screen not in VOICE_SCREENS):
                                continue
                            seconds = p["textbook_seconds"] if loop == "textbook" else p["cpu_seconds"]
                            result = cpu_run(args.python, display, xpid, work, loop, screen, size, seconds,
                                             p["warmup"], before=before)
                            result.update(loop=loop, screen=screen, size=size, run=run)
                            raw["cpu"].append(result)
                            log(f"cpu {loop} {screen} {size}: {100 * result['process']:.2f} % "
                                f"(+X {100 * result['xserver']:.2f} %)")
            for run in range(p["variant_runs"]):
                for screen in ("countdown", "home"):
                    for loop in ("console", "textbook"):
                        seconds = p["textbook_seconds"] if loop == "textbook" else p["cpu_seconds"]
                        result = cpu_run(args.python, display, xpid, work, loop, screen, "800x480", seconds,
                                         p["warmup"], {"SDL_FRAMEBUFFER_ACCELERATION": "0"})
                        result.update(loop=loop, screen=screen, size="800x480", run=run, variant="no-gl")
                        raw["variant"].append(result)
                        log(f"cpu (no GL) {loop} {screen}: {100 * result['process']:.2f} %, "
                            f"peak RSS {result['VmHWM'] / 1024:.0f} MB")

            # The first cue after a quiet time, on SDL's dummy driver and on ALSA's null device.
            for audio in ({"SDL_AUDIODRIVER": "dummy"}, {"SDL_AUDIODRIVER": "alsa", "AUDIODEV": "null"}):
                result = cue_run(args.python, work, audio, p["cue_runs"])
                if result is not None:
                    raw["cue"].append(result)
                    log(f"cue on {result['driver']}: from shut {1e3 * statistics.median(result['from_shut']):.1f} ms, "
                        f"open {1e3 * statistics.median(result['on_open']):.2f} ms")

            # Press to pixel, one run at a time, looking at SDL as on the console; the kiosk
            # before (if asked for) run by run beside it, on the same presses.
            for size, screen in (("800x480", "rating"), ("1920x1080", "rating"), ("800x480", "countdown")):
                for run in range(p["latency_runs"] if screen == "rating" else 1):
                    for loop in ("console", "before"):
                        if loop == "before" and before is None:
                            continue
                        flags = ["--console"] if loop == "console" else []
                        proc = driver_run(args.python, display, work, "latency", *flags, "--size", size,
                                          "--screen", screen, "--presses", str(p["presses"]), "--seed", str(run + 1),
                                          tree=before if loop == "before" else None)
                        result = driver_result(proc, 600)
                        values = result["latencies"]
                        summary = {"size": size, "screen": screen, "run": run, "n": len(values), "loop": loop,
                                   "p50": percentile(values, 50), "p99": percentile(values, 99), "max": max(values),
                                   "maxrss_kb": result["maxrss_kb"]}
                        for part in ("wake", "logic", "draw"):
                            if result.get(part):
                                summary[part] = [percentile(result[part], 50), percentile(result[part], 99)]
                        raw["latency"].append(summary)
                        log(f"latency {loop} {screen} {size}: p50 {1e3 * summary['p50']:.1f} ms, "
                            f"p99 {1e3 * summary['p99']:.1f} ms")

            # Timer: the sessions side by side.
            if not args.skip_timer:
                procs = [driver_run(args.python, display, work, "timer", "--console",
                                    "--seconds", str(p["timer_seconds"]),
                                    "--stall-chance", str(p["stall_chance"]), "--seed", str(run + 1))
                         for run in range(p["timer_runs"])]
                log(f"timer: {len(procs)} sessions of {p['timer_seconds']} s started")
                for proc in procs:
                    raw["timer"].append(driver_result(proc, p["timer_seconds"] + 120))
                log("timer: done")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    raw["total_seconds"] = time.monotonic() - began
    raw["machine"]["load_at_end"] = Path("/proc/loadavg").read_text().split()[:3]
    Path(args.out).with_suffix(".raw.json").write_text(compact_json(raw)) if args.keep_raw else None
    report(raw, Path(args.out))
    print(f"wrote {args.out} after {raw['total_seconds'] / 60:.1f} minutes")


def compact_json(raw: dict) -> str:
    """The raw data, one line per run."""
    parts = []
    for key, value in raw.items():
        if isinstance(value, list):
            inner = ",\n".join("  " + json.dumps(item, default=str) for item in value)
            parts.append(f" {json.dumps(key)}: [\n{inner}\n ]")
        else:
            parts.append(f" {json.dumps(key)}: {json.dumps(value, default=str)}")
    return "{\n" + ",\n".join(parts) + "\n}"


def report(raw: dict, out: Path) -> None:
    """Works the tables out of the raw data and writes the report."""
    p, m = raw["parameters"], raw["machine"]
    goals: list[tuple] = []
    cpu: dict[tuple, list[dict]] = {}
    for result in raw["cpu"]:
        cpu.setdefault((result["loop"], result["screen"], result["size"]), []).append(result)
    loops = [loop for loop in LOOPS if any(key[0] == loop for key in cpu)]
    titles = {loop: title for loop, (title, _) in LOOPS.items()}

    def values(loop, screen, size, key="process"):
        return [x[key] for x in cpu.get((loop, screen, size), [])]

    def ratios(over, under, screen, size):
        """Run by run (the same moment's load): `over` / `under`."""
        return [b / a for a, b in zip(values(under, screen, size), values(over, screen, size)) if a > 0]

    cpu_rows = []
    for size in SIZES:
        for screen in SCREENS:
            row = [{"home": "home, idle"}.get(screen, screen), size]
            for loop in loops:
                v = values(loop, screen, size)
                row.append(spread([100 * x for x in v], "{:.2f} %") if v else "—")
            book, was = ratios("textbook", "console", screen, size), ratios("before", "console", screen, size)
            now_x = [a + b for a, b in zip(values("console", screen, size), values("console", screen, size, "xserver"))]
            fps = [x.get("fps") for x in cpu.get(("textbook", screen, size), [])]
            at_60 = [b * 60 / f / a for a, b, f in zip(values("console", screen, size), values("textbook", screen, size), fps)
                     if f and a > 0]
            row += [spread([f for f in fps if f], "{:.0f}") if any(fps) else "—",
                    spread(book, "{:.0f}x") if book else "—", spread(at_60, "{:.0f}x") if at_60 else "—",
                    spread(was, "{:.1f}x") if was else "—",
                    spread([100 * x for x in now_x], "{:.2f} %") if now_x else "—"]
            cpu_rows.append(row)
            now = values("console", screen, size)
            if not now:
                continue
            if screen == "home":
                goals.append((f"CPU at home, idle, {size}", "≤ 0.5 % of a core",
                              spread([100 * v for v in now], "{:.2f} %"), max(now) <= 0.005))
            elif screen == "asleep":
                goals.append((f"CPU asleep (screen dark), {size}", "≤ 0.3 % of a core",
                              spread([100 * v for v in now], "{:.2f} %"), max(now) <= 0.003))
            elif book:
                want = 30 if size == "1920x1080" else 15
                reached = [f for f in fps if f]
                goals.append((f"CPU during the countdown, {size}", f"≥ {want}x less than the textbook loop",
                              spread(book, "{:.0f}x") + " less"
                              + (f" (the textbook loop reached {spread(reached, '{:.0f}')} fps)" if reached else ""),
                              min(book) >= want))
            if was:
                goals.append((f"{({'home': 'Idle home', 'asleep': 'Asleep', 'countdown': 'Countdown'})[screen]}, "
                              f"{size}: before / now, same run", "no goal", spread(was, "{:.1f}x") + " less", None))

    voice_rows = []
    for size in SIZES:
        for screen in VOICE_SCREENS:
            on, off = values("voice", screen, size), values("console", screen, size)
            if not on:
                continue
            by_run = ratios("voice", "console", screen, size)
            rss_on = [x["VmHWM"] / 1024 for x in cpu[("voice", screen, size)]]
            rss_off = [x["VmHWM"] / 1024 for x in cpu.get(("console", screen, size), [])]
            render = [x.get("children_seconds", 0.0) for x in cpu[("voice", screen, size)]]
            voice_rows.append([{"home": "home, idle"}.get(screen, screen), size,
                               spread([100 * x for x in off], "{:.2f} %"), spread([100 * x for x in on], "{:.2f} %"),
                               spread(by_run, "{:.2f}x"), spread(rss_off, "{:.0f} MB"), spread(rss_on, "{:.0f} MB"),
                               spread([1e3 * x for x in render], "{:.0f} ms")])
            goals.append((f"{({'home': 'CPU at home, idle', 'countdown': 'CPU during the countdown'})[screen]}, "
                          f"{size}, with the voice (cache warm) / without, same run",
                          f"unchanged (≤ {VOICE_SAME:.1f}x, median of the runs)",
                          spread(by_run, "{:.2f}x"), statistics.median(by_run) <= VOICE_SAME))

    thread_rows = []
    thread_loops = [loop for loop in ("before", "console") if loop in loops]
    for screen in SCREENS:
        runs = {loop: cpu.get((loop, screen, "800x480"), []) for loop in thread_loops}
        kinds = sorted({kind for loop in thread_loops for x in runs[loop] for kind in x["threads"]})
        for kind in kinds:
            row = [{"home": "home, idle"}.get(screen, screen), kind]
            for loop in thread_loops:
                seen = [x["threads"].get(kind, {"cpu": 0.0, "wakeups_per_s": 0.0}) for x in runs[loop]]
                row += [spread([100 * v["cpu"] for v in seen], "{:.2f} %") if seen else "—",
                        spread([v["wakeups_per_s"] for v in seen], "{:.0f}") if seen else "—"]
            if any(cell not in ("0.00 %", "0", "0.00 % (0.00 %–0.00 %)", "0 (0–0)") for cell in row[2:]):
                thread_rows.append(row)

    variant_rows = []
    for screen in ("countdown", "home"):
        k = [x for x in raw["variant"] if x["loop"] in ("console", "kiosk") and x["screen"] == screen]
        b = [x for x in raw["variant"] if x["loop"] == "textbook" and x["screen"] == screen]
        if k and b:
            variant_rows.append([
                "countdown" if screen == "countdown" else "home, idle",
                spread([100 * x["process"] for x in k], "{:.2f} %"), spread([100 * x["process"] for x in b], "{:.1f} %"),
                spread([y["process"] / x["process"] for x, y in zip(k, b)], "{:.0f}x"),
                spread([x["VmHWM"] / 1024 for x in k], "{:.0f} MB"),
            ])

    cue_rows = []
    for result in raw.get("cue", []):
        name = {"dummy": "SDL dummy driver", "alsa": f"ALSA `{result.get('device') or 'default'}` device"}.get(
            result["driver"], result["driver"])
        spread_ms = lambda key, fmt: spread([1e3 * v for v in result[key]], fmt)  # noqa: E731
        alsa = result["driver"] == "alsa"
        cue_rows.append([name, "—" if alsa else spread_ms("from_shut", "{:.1f} ms"),
                         "—" if alsa else spread_ms("on_open", "{:.2f} ms"), spread_ms("device_open", "{:.1f} ms")])
        if not alsa:
            goals.append(("First cue after a quiet time: play() on a shut device (SDL dummy driver)",
                          "no goal (written down)", spread_ms("from_shut", "{:.1f} ms"), None))

    latency_rows = []
    for size, screen in (("800x480", "rating"), ("1920x1080", "rating"), ("800x480", "countdown")):
        for loop in ("console", "before"):
            runs = [x for x in raw["latency"]
                    if x["size"] == size and x["screen"] == screen and x.get("loop", "console") == loop]
            if not runs:
                continue
            latency_rows.append([
                "rating (up/down)" if screen == "rating" else "pause/resume (countdown)", size,
                "now (console)" if loop == "console" else "before",
                f"{len(runs)} x {runs[0]['n']}",
                spread([1e3 * x["p50"] for x in runs], "{:.1f} ms"),
                spread([1e3 * x["p99"] for x in runs], "{:.1f} ms"),
                spread([1e3 * x["max"] for x in runs], "{:.1f} ms"),
            ])
    part_rows = []
    for size, screen in (("800x480", "rating"), ("1920x1080", "rating"), ("800x480", "countdown")):
        for loop in ("console", "before"):
            runs = [x for x in raw["latency"] if x["size"] == size and x["screen"] == screen
                    and x.get("loop", "console") == loop and "wake" in x]
            if not runs:
                continue
            part_rows.append(["rating (up/down)" if screen == "rating" else "pause/resume (countdown)", size,
                              "now (console)" if loop == "console" else "before"] + [
                f"{1e3 * statistics.median(x[part][0] for x in runs):.2f} / "
                f"{1e3 * statistics.median(x[part][1] for x in runs):.2f} ms" for part in ("wake", "logic", "draw")])
    now_runs = [x for x in raw["latency"] if x.get("loop", "console") == "console"]
    worst_p99 = max(x["p99"] for x in now_runs)
    goals.append(("Press to pixel, p99", "≤ 50 ms", f"{1e3 * worst_p99:.1f} ms (worst run of all)", worst_p99 <= 0.05))
    was_runs = [x for x in raw["latency"] if x.get("loop") == "before"]
    if was_runs:
        worst_was = max(x["p99"] for x in was_runs)
        goals.append(("Press to pixel, p99, the kiosk before (same run, same presses)", "no change",
                      f"before {1e3 * worst_was:.1f} ms, now {1e3 * worst_p99:.1f} ms (worst run of each)", None))

    timer_rows = []
    if raw["timer"]:
        t = raw["timer"]
        ms = "{:+.3f} ms"
        timer_rows = [
            ("Recorded end − deadline (`ended_at − started_at − planned`, in memory, µs resolution)",
             spread([1e3 * x["recorded_end_error"] for x in t], ms)),
            ("Stored `active_seconds` − planned (the database row)", spread([1e3 * x["stored_active_error"] for x in t], ms)),
            ("Stored status", ", ".join(sorted({x["stored_status"] for x in t}))),
            ("When the loop noticed the end (end cue, pain-after screen) − deadline",
             spread([1e3 * x["noticed_late_by"] for x in t], "{:.1f} ms")),
            ("Stalls per session", spread([x["stalls"] for x in t], "{:.0f}")),
            ("Time stalled per session", spread([x["stalled_seconds"] for x in t], "{:.1f} s")),
            ("Longest stall", spread([1e3 * x["longest_stall"] for x in t], "{:.0f} ms")),
        ]
        worst = max(abs(x["recorded_end_error"]) for x in t)
        goals.append((f"Timer: recorded end of a {p['timer_seconds']} s session vs its deadline, loop stalled",
                      "within 20 ms", f"{1e3 * worst:.3f} ms (worst of {len(t)})", worst < 0.02))
        late = max(x["noticed_late_by"] for x in t)
        goals.append(("Timer: end chime and screen vs the deadline (same runs)", "no goal (late by the stall)",
                      f"{1e3 * late:.1f} ms late (worst of {len(t)})", None))

    ready = [x["ready"] for x in raw["startup"]]
    hwm = [x["VmHWM"] for x in raw["cpu"] if x["size"] == "800x480" and x["loop"] in ("window", "kiosk")]
    anon = [x["RssAnon"] for x in raw["cpu"] if x["size"] == "800x480" and x["loop"] in ("window", "kiosk")]
    startup_rows = [
        ("Process start to first frame (800x480)", spread(ready, "{:.2f} s")),
        ("Peak RSS (`VmHWM`), 800x480", spread([v / 1024 for v in hwm], "{:.0f} MB")),
        ("  of which anonymous (`RssAnon`, at the end)", spread([v / 1024 for v in anon], "{:.0f} MB")),
    ]
    goals.append(("Process start to first frame", "< 1.5 s", spread(ready, "{:.2f} s"), max(ready) < 1.5))
    goals.append(("Peak RSS at 800x480", "< 80 MB", spread([v / 1024 for v in hwm], "{:.0f} MB"),
                  max(hwm) / 1024 < 80))
    for screen in ("countdown",):
        k = [x["process"] for x in raw["variant"] if x["loop"] in ("console", "kiosk") and x["screen"] == screen]
        b = [x["process"] for x in raw["variant"] if x["loop"] == "textbook" and x["screen"] == screen]
        if k and b:
            ratios = [y / x for x, y in zip(k, b)]
            goals.append(("CPU during the countdown, 800x480, without GL for the window surface",
                          "≥ 10x less than the textbook loop", spread(ratios, "{:.0f}x") + " less", min(ratios) >= 10))
    no_gl = [x["VmHWM"] for x in raw["variant"] if x["loop"] in ("console", "kiosk")]
    if no_gl:
        goals.append(("Peak RSS at 800x480 without GL for the window surface", "< 80 MB",
                      spread([v / 1024 for v in no_gl], "{:.0f} MB"), max(no_gl) / 1024 < 80))

    results = {"goals": goals, "cpu_rows": cpu_rows, "thread_rows": thread_rows, "variant_rows": variant_rows,
               "latency_rows": latency_rows, "timer_rows": timer_rows, "startup_rows": startup_rows, "raw": raw,
               "cue_rows": cue_rows, "part_rows": part_rows, "loops": loops, "loop_titles": [titles[loop] for loop in loops],
               "thread_titles": [titles[loop] for loop in thread_loops],
               "voice_rows": voice_rows}
    write_report(out, m, results, p, raw["total_seconds"])


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    main()
