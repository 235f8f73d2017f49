"""A worker thread for long work (an export, drawing a report): the loop starts a job,
keeps drawing and feeding systemd's watchdog, and polls the job until it is done.

Jobs get plain data, never the store: the sqlite3 connection belongs to the loop's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

Outcome = TypeVar("Outcome")
POLL_SECONDS = 0.1  # how often the loop looks at a running job


class Job(Generic[Outcome]):
    """One job: its progress while it runs, then its outcome or the exception it raised."""

    def __init__(self, name: str):
        self.name = name
        self.done_steps = 0
        self.total_steps = 0
        self.outcome: Outcome | None = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self._finished = threading.Event()

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def progress(self, done: int, total: int) -> None:
        """Called by the job itself from the worker thread."""
        self.total_steps, self.done_steps = total, done

    def wait(self, timeout: float | None = None) -> bool:
        """For tests and shutdown only: the loop never waits for a job."""
        return self._finished.wait(timeout)

    def _run(self, work: Callable[[Job[Outcome]], Outcome]) -> None:
        try:
            self.outcome = work(self)
        except BaseException as exc:  # noqa: BLE001 - handed back to the loop as a result
            log.exception("%s failed", self.name)
            self.error = exc
        finally:
            self._finished.set()


class Worker:
    """Runs jobs on daemon threads, one at a time; a job started while another runs waits
    for nothing: the caller is told the worker is busy."""

    def __init__(self) -> None:
        self.current: Job | None = None

    @property
    def busy(self) -> bool:
        return self.current is not None and not self.current.finished

    def start(self, name: str, work: Callable[[Job[Outcome]], Outcome]) -> Job[Outcome]:
        if self.busy:
            raise RuntimeError(f"{self.current.name} is still running")
        job: Job[Outcome] = Job(name)
        job.thread = threading.Thread(target=job._run, args=(work,), name=f"desens-{name}", daemon=True)
        self.current = job
        job.thread.start()
        return job
