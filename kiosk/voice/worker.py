"""Rendering the prompts: in this process (`render_texts`, for the command line) or in a
separate, low-priority process (`start_rendering`, for the kiosk), so the loop never
synthesises and never waits for an engine.

The render process is a fresh Python (not a fork of the kiosk, whose pygame and GPIO
threads must not be copied), started at the lowest priority. It is told its work as two
pickles on standard input (the kiosk's import path, then the engine, the cache and the
texts) and reports each sentence as a JSON line on a pipe that the kiosk reads without
waiting (`RenderJob.poll`). Anything the engine prints goes to standard error, the log.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.voice.cache import VoiceCache
from kiosk.voice.engines import Engine, EngineError

WORKER_NICE = 19  # the lowest priority: the loop, the display and the chimes always come first
FAILURES_IN_A_ROW = 3  # this many failures and no success between: the engine does not work, stop
STOP_WAIT_SECONDS = 1.0  # how long `stop` waits for the process to go after SIGTERM, then SIGKILL
_BOOTSTRAP = (
    "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
    "from kiosk.voice.worker import child_main; sys.exit(child_main())"
)


@dataclass
class RenderStatus:
    """How far a render has got. `problem` is the first failure, as one line."""

    total: int
    rendered: int = 0  # rendered now
    cached: int = 0  # already in the cache
    failed: int = 0
    finished: bool = False
    problem: str | None = None

    @property
    def ready(self) -> int:
        return self.rendered + self.cached

    def summary(self) -> str:
        """One line for the log or the terminal."""
        line = f"{self.ready} of {self.total} spoken lines ready ({self.rendered} rendered now, {self.cached} cached)"
        if self.failed:
            line += f", {self.failed} failed: {self.problem}"
        return line


def render_texts(
    engine: Engine,
    cache: VoiceCache,
    texts: Sequence[str],
    *,
    prune: bool = False,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> RenderStatus:
    """Render every text not yet in `cache`, in this process, and return how it went.
    After FAILURES_IN_A_ROW failures with no success between, the rest is left undone.
    `prune` then deletes the cache's WAVs of sentences no longer in `texts`."""
    texts = list(dict.fromkeys(texts))
    status = RenderStatus(total=len(texts))
    emit = on_event or (lambda event: None)
    in_a_row = 0
    for index, text in enumerate(texts):
        if cache.path_for(text) is not None:
            status.cached += 1
            emit({"event": "cached", "index": index})
            continue
        try:
            cache.render(engine, text)
        except EngineError as error:
            status.failed += 1
            status.problem = status.problem or str(error)
            emit({"event": "failed", "index": index, "reason": str(error)})
            in_a_row += 1
            if in_a_row >= FAILURES_IN_A_ROW:
                break
            continue
        in_a_row = 0
        status.rendered += 1
        emit({"event": "rendered", "index": index})
    if prune and status.failed == 0:
        cache.prune(texts)
    status.finished = True
    return status


class RenderJob:
    """A render running in its own process. `poll` never waits; `stop` ends it."""

    def __init__(self, process: subprocess.Popen | None, total: int, problem: str | None = None):
        self._process = process
        self._buffer = b""
        self.status = RenderStatus(total=total, finished=process is None, problem=problem)
        if process is not None and process.stdout is not None:
            os.set_blocking(process.stdout.fileno(), False)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return not self.status.finished

    def poll(self) -> RenderStatus:
        """Take in what the process has reported so far, without waiting."""
        process = self._process
        if process is None or self.status.finished:
            return self.status
        assert process.stdout is not None
        ended = False
        while True:
            try:
                chunk = os.read(process.stdout.fileno(), 65536)
            except BlockingIOError:
                break
            except OSError:
                ended = True
                break
            if not chunk:
                ended = True
                break
            self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._take(line)
        if ended and not self.status.finished:
            code = process.poll()  # closed its end: exited, or exiting (reaped later, never waited for)
            self.status.finished = True
            how = "" if code is None else f" (exit {code})"
            self.status.problem = self.status.problem or f"the voice render process ended early{how}"
            self._close()
        return self.status

    def _take(self, line: bytes) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            return
        kind, status = event.get("event"), self.status
        if kind == "cached":
            status.cached += 1
        elif kind == "rendered":
            status.rendered += 1
        elif kind == "failed":
            status.failed += 1
            status.problem = status.problem or str(event.get("reason"))
        elif kind == "done":
            status.finished = True
            assert self._process is not None
            self._process.poll()  # it exits right after this line; never waited for in the loop
            self._close()

    def wait(self, timeout: float | None = None) -> RenderStatus:
        """Block until the process ends (for tests and the command line, never the loop)."""
        if self._process is not None and not self.status.finished:
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                return self.poll()
            os.set_blocking(self._process.stdout.fileno(), True)  # type: ignore[union-attr]
        return self.poll()

    def stop(self) -> None:
        """End the process (a config change, the kiosk closing). What it finished stays cached."""
        process = self._process
        if process is None or self.status.finished:
            return
        process.terminate()
        try:
            process.wait(STOP_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.status.finished = True
        self._close()

    def _close(self) -> None:
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()


def start_rendering(
    engine: Engine, cache: VoiceCache, texts: Iterable[str], *, prune: bool = True,
    python: str = sys.executable,
) -> RenderJob:
    """Start rendering `texts` in a separate low-priority process and return at once.
    A process that cannot start is a finished job with the reason as its problem."""
    texts = list(dict.fromkeys(texts))
    try:
        process = subprocess.Popen(
            [python, "-c", _BOOTSTRAP],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, close_fds=True,
        )
    except (OSError, ValueError, TypeError) as error:  # no interpreter to run (sys.executable empty)
        return RenderJob(None, len(texts), f"the voice render process did not start: {error}")
    assert process.stdin is not None
    try:
        # Two pickles: the import path first, so the second (which names the engine's
        # class) can be read. A job far below the pipe's 64 KiB never waits here.
        process.stdin.write(pickle.dumps(list(sys.path)))
        process.stdin.write(pickle.dumps({"engine": engine, "cache": cache, "texts": texts, "prune": prune}))
        process.stdin.close()
    except Exception as error:  # OSError, or an engine that does not pickle
        process.kill()
        process.wait()
        return RenderJob(None, len(texts), f"the voice render process did not start: {error}")
    return RenderJob(process, len(texts))


def lower_priority() -> None:
    """This process to the back of the queue: niceness 19 and, on Linux, SCHED_IDLE (runs
    only when a core would otherwise idle). Best effort: either may be refused."""
    try:
        os.nice(max(0, WORKER_NICE - os.nice(0)))
    except OSError:
        pass
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except OSError:
            pass


def child_main() -> int:
    """The render process: read the job from standard input, render, report as JSON lines."""
    report = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # an engine's prints go to the log, not the pipe
    lower_priority()

    def emit(event: dict[str, Any]) -> None:
        report.write(json.dumps(event) + "\n")

    try:
        job = pickle.load(sys.stdin.buffer)
        status = render_texts(job["engine"], job["cache"], job["texts"], prune=job["prune"], on_event=emit)
        emit({"event": "done", "rendered": status.rendered, "cached": status.cached, "failed": status.failed})
    except (BrokenPipeError, KeyboardInterrupt):
        return 0  # the kiosk went away or was stopped: nothing to report to
    except Exception as error:  # reported as one line, never a traceback in the log
        try:
            emit({"event": "failed", "index": -1, "reason": f"voice render process: {type(error).__name__}: {error}"})
            emit({"event": "done"})
        except OSError:
            pass
        return 1
    return 0
