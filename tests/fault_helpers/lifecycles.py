"""Child process for tests/test_faults.py: runs guided-session lifecycles against a real
database file, as fast as the fake clock allows, until it is killed.

    python lifecycles.py DATA_DIR CONFIG LOG SEED [SELF_KILL_AT]

The kiosk's own start path opens the database (kiosk.app.open_store: Store.open and the
recovery of interrupted sessions); the controller drives each session with its keys, on a
fake clock. Every fact the parent checks afterwards is appended to LOG and fsync'd only
after the write it describes has returned, so a line in the log means the row was
committed:

    begin N                      lifecycle N starts (home, before any key)
    start ID PAIN_BEFORE         the session row was inserted (the countdown runs)
    checkpoint ID ACTIVE         a checkpoint wrote ACTIVE seconds
    ended ID STATUS ACTIVE       the countdown ended (completed / stopped_early)
    rated ID PAIN_AFTER          the pain-after rating was written
    home                         back on the home screen

With SELF_KILL_AT = K > 0 the process sends itself SIGKILL from SQLite's progress handler
at the K-th virtual-machine step taken inside a session write: a kill guaranteed to land
in the middle of an INSERT / UPDATE / COMMIT, not between them. Without it the parent
kills the process at a random moment.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiosk.activities.home import Home
from kiosk.activities.session import GuidedSession, Phase
from kiosk.app import open_store
from kiosk.config import load
from kiosk.controller import Controller
from kiosk.events import Key

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self, t0: float) -> None:
        self.t = t0

    def __call__(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return START + timedelta(seconds=self.t)


def main() -> None:
    data_dir, config_path, log_path, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    self_kill_at = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    rng = random.Random(seed)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def log(*words) -> None:
        os.write(log_fd, (" ".join(str(w) for w in words) + "\n").encode())
        os.fsync(log_fd)

    config = load(Path(config_path)).config
    store, problem = open_store(Path(data_dir), config)
    if problem:
        raise SystemExit(f"cannot open the store: {problem}")
    # Each child starts its fake clock later than the last one ended, so started_at
    # values never collide between children sharing one database.
    clock = FakeClock(seed * 100_000.0)
    controller = Controller(config, store, clock=clock, now=clock.wall, tz=timezone.utc)

    if self_kill_at:
        writing = [False]
        steps = [0]

        def progress() -> int:
            if writing[0]:
                steps[0] += 1
                if steps[0] >= self_kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
            return 0

        store.db.conn.set_progress_handler(progress, 1)
        real_save = store.save

        def save(record):
            writing[0] = True
            try:
                return real_save(record)
            finally:
                writing[0] = False

        store.save = save  # the recorder calls store.save: every session write is counted

    def press(key: Key) -> None:
        controller.press(key)
        controller.tick()

    def session() -> GuidedSession:
        activity = controller.activity
        assert isinstance(activity, GuidedSession), activity
        return activity

    log("ready")
    for n in range(1_000_000):
        log("begin", n)
        assert isinstance(controller.activity, Home)
        press(Key.SELECT)  # home -> area
        for _ in range(rng.randrange(4)):
            press(Key.DOWN)
        press(Key.SELECT)  # area -> technique
        for _ in range(rng.randrange(5)):
            press(Key.DOWN)
        press(Key.SELECT)  # technique -> (safety) -> pain before
        if session().phase is Phase.SAFETY:
            press(Key.SELECT)
        assert session().phase is Phase.PAIN_BEFORE
        wanted = rng.randint(0, 10)
        while session().rating != wanted:
            press(Key.UP if session().rating < wanted else Key.DOWN)
        press(Key.SELECT)  # the row is inserted: in progress, with the pain before
        s = session()
        assert s.phase is Phase.COUNTDOWN and not controller.recorder.unsaved
        row_id = controller.recorder.id_of(s.record)
        log("start", row_id, wanted)

        stop_at = rng.uniform(5, 55) if rng.random() < 0.25 else None
        written = s.record.active_seconds
        while s.phase is Phase.COUNTDOWN:
            clock.t += rng.uniform(0.3, 4.0)
            controller.tick()
            if s.phase is Phase.COUNTDOWN and rng.random() < 0.05:
                press(Key.SELECT)  # pause (writes a checkpoint)
                clock.t += rng.uniform(1, 30)
                press(Key.SELECT)  # resume
            if s.phase is Phase.COUNTDOWN and stop_at is not None and s.countdown.active() >= stop_at:
                press(Key.BACK_HELD)  # stop early
            if s.phase is Phase.COUNTDOWN and s.record.active_seconds != written:
                written = s.record.active_seconds
                log("checkpoint", row_id, repr(written))
        assert s.phase is Phase.PAIN_AFTER and not controller.recorder.unsaved
        log("ended", row_id, s.record.status.value, repr(s.record.active_seconds))
        if rng.random() < 0.85:
            wanted = rng.randint(0, 10)
            while s.rating != wanted:
                press(Key.UP if s.rating < wanted else Key.DOWN)
            press(Key.SELECT)
            assert not controller.recorder.unsaved
            log("rated", row_id, wanted)
            if s.phase is Phase.LEVEL_UP:
                press(Key.BACK)
            press(Key.SELECT)  # summary -> home
        else:
            clock.t += 11 * 60  # the rating is never given: home by itself
            controller.tick()
        assert isinstance(controller.activity, Home), controller.activity
        log("home")


if __name__ == "__main__":
    main()
