"""The real kiosk (kiosk.app.Kiosk and its own run() loop) in a real X window, with a
second thread that presses the mock GPIO pins the way gpiozero's callback thread does on
a Pi, and a little instrumentation around it. Used by bench/run.py for what cannot be
seen from outside the process:

    python bench/driver.py latency --size 800x480 --screen rating|countdown --presses 200 --out F
    python bench/driver.py timer   --size 800x480 --seconds 300 --stall-chance 0.1 --out F
    python bench/driver.py idle    --size 800x480 --screen home|asleep|countdown --config C --data-dir D
    python bench/driver.py cue     --runs 20 --out F

--console: the loop looks at SDL's events as it does fullscreen on a Pi's console with GPIO
  buttons (`Pump(keyboard=False, window=False)`), not as in a desktop window on mock pins
  (the keyboard standing in for the buttons, which is what Xvfb alone would give). The
  GPIO path is the same either way: the mock pins are driven from another thread.

latency: `pygame.display.flip` is wrapped to note the moment each flip returned (the
  frame is presented). The presser takes the time, drives a mock pin low (the very
  callback path of a GPIO edge: ButtonPanel -> InputQueue -> the loop wakes), waits for
  the first flip whose frame shows the press, holds the button 60 ms, lets go, and waits
  60-120 ms (more than the 50 ms debounce) before the next press. `rating` alternates up
  and down on the pain-before screen; `countdown` pauses and resumes a running countdown
  (each pause also writes a checkpoint to the database, as in real use).

timer: a session of --seconds, with the main loop stalled at random: before each turn's
  `controller.tick()`, with probability --stall-chance, a sleep of 0-300 ms (a slow SD
  card, a long GC pause...); and the first turn that finds the deadline passed always
  stalls 100-300 ms (the worst case for the end). Cue.END is timestamped when the loop
  plays it. Reports the recorded end against the deadline and how late the loop noticed it.

idle: the kiosk left alone (home, or dark after `sleep_after`), or in a running countdown
  (select pressed four times on the mock pins), until SIGTERM; bench/run.py measures its
  CPU from outside. READY=1 on $NOTIFY_SOCKET after the first frame, as the kiosk sends.

cue: how long the first cue takes to start when the sound device has been shut for quiet
  (open the device, make the sounds, play) against a cue on an open device, with the
  kiosk's SoundPlayer on whatever $SDL_AUDIODRIVER says; and SDL's device open alone.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import signal
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")

import pygame  # noqa: E402

from kiosk.activities.session import GuidedSession, Phase  # noqa: E402
from kiosk import paths  # noqa: E402
from kiosk.app import Kiosk, Options  # noqa: E402

try:  # (bench/run.py --before runs this driver on an older kiosk, which looked at SDL one way only)
    from kiosk.app import Pump  # noqa: E402
except ImportError:
    Pump = None
from kiosk.config import SoundsConfig  # noqa: E402
from kiosk.devices.sound import BUFFER, CHANNELS, FREQUENCY, SoundPlayer  # noqa: E402
from kiosk.events import Cue  # noqa: E402
from kiosk.views import CountdownView, RatingView  # noqa: E402

HOLD = 0.06
GAP = (0.06, 0.12)


class Flips:
    """Every presented frame: (perf_counter when flip() returned, the frame's view)."""

    def __init__(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        self.seen: list[tuple[float, object]] = []
        self.cond = threading.Condition()
        real = pygame.display.flip

        def flip() -> None:
            real()
            t = time.perf_counter()
            view = kiosk.controller.frame().view
            with self.cond:
                self.seen.append((t, view))
                self.cond.notify_all()

        pygame.display.flip = flip

    def count(self) -> int:
        with self.cond:
            return len(self.seen)

    def wait(self, after: int, showing, timeout: float = 5.0) -> tuple[float, object]:
        """The first flip after the `after`-th whose view satisfies `showing`."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            index = after
            while True:
                while index < len(self.seen):
                    t, view = self.seen[index]
                    if showing(view):
                        return t, view
                    index += 1
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError("no such frame")
                self.cond.wait(left)


def make_kiosk(args, config_text: str | None = None) -> Kiosk:
    """The kiosk in a window of --size, on --config and --data-dir (or `config_text` in a
    folder of its own), looking at SDL's events as on the console with --console."""
    if config_text is None:
        config, data = args.config, args.data_dir
    else:
        work = Path(tempfile.mkdtemp(prefix="kiosk-", dir=os.getcwd()))  # bench/run.py removes its cwd
        (work / "config.yaml").write_text(config_text)
        config, data = str(work / "config.yaml"), str(work / "data")
    w, h = (int(x) for x in args.size.split("x"))
    kiosk = Kiosk(Options(config=config, data_dir=data, fullscreen=False, size=(w, h)))
    if args.console:
        if Pump is None:
            raise SystemExit("--console: this kiosk has one way of looking at SDL only")
        kiosk.pump = Pump(keyboard=False, window=False)
    return kiosk


def tap(kiosk: Kiosk, name: str) -> None:
    pin = kiosk.panel_pin(name)
    pin.drive_low()
    time.sleep(HOLD)
    pin.drive_high()
    time.sleep(0.1)


def phase(kiosk: Kiosk):
    activity = kiosk.controller.activity
    return activity.phase if isinstance(activity, GuidedSession) else None


def latency(args) -> dict:
    config = ("session:\n  duration: 30m\nreminders: []\ndisplay:\n  sleep_after: never\n")
    kiosk = make_kiosk(args, config)
    flips = Flips(kiosk)
    rng = random.Random(args.seed)
    out: dict = {"latencies": [], "wake": [], "logic": [], "draw": []}
    # Where each press's time goes: until the logic has the key (the wake: pin callback,
    # interpreter, queue, the loop's wait ending), until drawing starts (the logic), and
    # drawing with its flip. `marks` is set by the presser before the edge.
    marks: dict[str, float] = {}
    real_press, real_draw = kiosk.controller.press, kiosk.renderer.draw

    def press(key) -> None:
        if "t0" in marks:
            marks.setdefault("press", time.perf_counter())
        real_press(key)

    def draw(screen, frame) -> None:
        if "press" in marks:
            marks.setdefault("draw", time.perf_counter())
        real_draw(screen, frame)

    kiosk.controller.press, kiosk.renderer.draw = press, draw

    def presser() -> None:
        try:
            flips.wait(0, lambda v: True)
            time.sleep(0.5)
            for _ in range(4 if args.screen == "countdown" else 3):
                tap(kiosk, "select")
            wanted = Phase.COUNTDOWN if args.screen == "countdown" else Phase.PAIN_BEFORE
            assert phase(kiosk) is wanted, phase(kiosk)
            time.sleep(0.3)
            for i in range(args.presses):
                if args.screen == "rating":
                    name = "up" if i % 2 == 0 else "down"
                    value = kiosk.controller.activity.rating + (1 if name == "up" else -1)

                    def showing(v, value=value):
                        return isinstance(v, RatingView) and v.value == value
                else:
                    name = "select"
                    paused = not kiosk.controller.activity.countdown.paused

                    def showing(v, paused=paused):
                        return isinstance(v, CountdownView) and v.paused == paused
                pin = kiosk.panel_pin(name)
                n0 = flips.count()
                marks.clear()
                t0 = marks["t0"] = time.perf_counter()
                pin.drive_low()
                t1, _ = flips.wait(n0, showing)
                out["latencies"].append(t1 - t0)
                if "draw" in marks:
                    out["wake"].append(marks["press"] - t0)
                    out["logic"].append(marks["draw"] - marks["press"])
                    out["draw"].append(t1 - marks["draw"])
                time.sleep(max(0.0, HOLD - (time.perf_counter() - t0)))
                pin.drive_high()
                time.sleep(rng.uniform(*GAP))
        except BaseException as exc:  # noqa: BLE001
            out["error"] = repr(exc)
        finally:
            kiosk.running = False

    thread = threading.Thread(target=presser, daemon=True)
    thread.start()
    try:
        kiosk.run()
    finally:
        kiosk.close()
    thread.join(5)
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return out


def timer(args) -> dict:
    minutes, seconds = divmod(args.seconds, 60)
    config = (f"session:\n  duration: {minutes}m{seconds}s\nreminders: []\n"
              "display:\n  sleep_after: never\n")
    kiosk = make_kiosk(args, config)
    rng = random.Random(args.seed)
    stalls: list[float] = []
    ended: list[float] = []
    real_tick = kiosk.controller.tick

    at_end = [False]

    def stalled_tick() -> None:
        session = kiosk.controller.activity
        counting = isinstance(session, GuidedSession) and session.phase is Phase.COUNTDOWN
        if counting and not at_end[0] and session.countdown.finished():
            # The worst case, every run: the turn that reaches the deadline stalls too.
            at_end[0] = True
            pause = rng.uniform(0.1, 0.3)
        elif rng.random() < args.stall_chance:
            pause = rng.uniform(0.0, 0.3)
        else:
            pause = 0.0
        if pause:
            stalls.append(pause)
            time.sleep(pause)
        real_tick()

    kiosk.controller.tick = stalled_tick
    real_play = kiosk.sound.play  # every cue the logic asks for ends here (Kiosk.play)

    def play(cue: Cue) -> None:
        if cue is Cue.END:
            ended.append(time.monotonic())
            kiosk.running = False
        real_play(cue)

    kiosk.sound.play = play
    out: dict = {}

    def presser() -> None:
        try:
            time.sleep(1.0)
            for _ in range(4):
                tap(kiosk, "select")
        except BaseException as exc:  # noqa: BLE001
            out["error"] = repr(exc)
            kiosk.running = False

    threading.Thread(target=presser, daemon=True).start()
    try:
        kiosk.run()
        session = kiosk.controller.activity
        assert isinstance(session, GuidedSession) and session.phase is Phase.PAIN_AFTER, session
        record, countdown = session.record, session.countdown
        planned = countdown.planned
        row = kiosk.store.get(kiosk.controller.recorder.id_of(record))
        out.update(
            planned=planned,
            status=record.status.value,
            recorded_end_error=(record.ended_at - record.started_at).total_seconds() - planned,
            recorded_active_error=record.active_seconds - planned,
            stored_active_error=row.active_seconds - planned,
            stored_status=row.status.value,
            noticed_late_by=ended[0] - countdown.deadline,
            stalled_at_the_deadline=at_end[0],
            stalls=len(stalls),
            stalled_seconds=sum(stalls),
            longest_stall=max(stalls, default=0.0),
        )
    finally:
        kiosk.close()
    return out


def idle(args) -> dict:
    kiosk = make_kiosk(args)

    def stop(signum, frame) -> None:
        kiosk.running = False
        kiosk.inputs.wake()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.screen == "countdown":
        def presser() -> None:
            time.sleep(0.5)
            for _ in range(4):
                tap(kiosk, "select")

        threading.Thread(target=presser, daemon=True).start()
    try:
        kiosk.run()
    finally:
        kiosk.close()
    return {}


def cue(args) -> dict:
    """Play Cue.STEP `runs` times from a shut device and `runs` times on an open one."""
    clock = [0.0]
    player = SoundPlayer(SoundsConfig(), paths.sounds_dir(), clock=lambda: clock[0])
    if not player.ready:
        return {"error": f"no sound: {player.problem}"}
    shut, open_ = [], []
    for _ in range(args.runs):
        clock[0] += player.quiet_seconds + 1
        while player.device_open:  # waits out a cue still sounding, as the loop would
            player.rest()
            time.sleep(0.01)
        started = time.perf_counter()
        player.play(Cue.STEP)
        shut.append(time.perf_counter() - started)
        assert player.device_open
        time.sleep(0.3)
        started = time.perf_counter()
        player.play(Cue.STEP)
        open_.append(time.perf_counter() - started)
        time.sleep(0.3)
    player.close()
    device = []  # the device alone: SDL's open, as SoundPlayer asks for it
    for _ in range(args.runs):
        started = time.perf_counter()
        pygame.mixer.init(frequency=FREQUENCY, size=-16, channels=CHANNELS, buffer=BUFFER)
        device.append(time.perf_counter() - started)
        pygame.mixer.quit()
        time.sleep(0.05)
    return {"driver": os.environ.get("SDL_AUDIODRIVER", ""), "device": os.environ.get("AUDIODEV", ""),
            "from_shut": shut, "on_open": open_, "device_open": device}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("latency", "timer", "idle", "cue"))
    parser.add_argument("--size", default="800x480")
    parser.add_argument("--screen", choices=("rating", "countdown", "home", "asleep"), default="rating")
    parser.add_argument("--console", action="store_true", help="look at SDL's events as on the console")
    parser.add_argument("--config", help="idle: the config file")
    parser.add_argument("--data-dir", help="idle: the data folder")
    parser.add_argument("--runs", type=int, default=20, help="cue: how many of each")
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--stall-chance", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.mode == "idle":  # the log as the kiosk writes it (`desens-kiosk run`): bench/run.py reads it
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    result = {"latency": latency, "timer": timer, "idle": idle, "cue": cue}[args.mode](args)
    if args.out:
        Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
