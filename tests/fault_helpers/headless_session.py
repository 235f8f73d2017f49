"""Child process for tests/test_faults.py: start the whole kiosk headless (SDL dummy
display, mock pins), do one session through the mock pins on a fake clock, and print what
happened as one JSON line.

    python headless_session.py CONFIG DATA_DIR

The parent runs it without the right to write to DATA_DIR (as root: with
CAP_DAC_OVERRIDE dropped from the bounding set, so a 0555 folder is really read-only).
"""

from __future__ import annotations

import json
import logging
import os
import sys

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["GPIOZERO_PIN_FACTORY"] = "mock"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from kiosk.activities.session import GuidedSession, Phase  # noqa: E402
from kiosk.app import Kiosk, Options  # noqa: E402


class FakeClock:
    def __init__(self) -> None:
        self.t = 500.0

    def __call__(self) -> float:
        return self.t


def main() -> None:
    config, data_dir = sys.argv[1], sys.argv[2]
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(f"{record.levelname} {record.getMessage()}")

    logging.getLogger().addHandler(Keep())
    logging.getLogger().setLevel(logging.INFO)
    clock = FakeClock()
    kiosk = Kiosk(Options(config=config, data_dir=data_dir, fullscreen=False, size=(800, 480)), clock=clock)
    kiosk.draw()
    result: dict = {"notice_at_start": kiosk.controller.frame().notice, "phases": []}

    def tap(name: str) -> None:
        pin = kiosk.panel_pin(name)
        clock.t += 0.2
        pin.drive_low()
        clock.t += 0.2
        pin.drive_high()
        kiosk.step(0)
        activity = kiosk.controller.activity
        result["phases"].append(activity.phase.value if isinstance(activity, GuidedSession)
                                else type(activity).__name__)

    try:
        for name in ("select", "select", "select", "up", "up", "select"):  # 2 before
            tap(name)
        for _ in range(1000):
            activity = kiosk.controller.activity
            if not isinstance(activity, GuidedSession) or activity.phase is not Phase.COUNTDOWN:
                break
            clock.t += kiosk.next_timeout()
            kiosk.step(0)
        tap("up")
        tap("select")  # 3 after: the summary
        activity = kiosk.controller.activity
        view = kiosk.controller.frame().view
        result.update(
            summary_phase=activity.phase.value if isinstance(activity, GuidedSession) else None,
            summary_before=getattr(view, "before", None),
            summary_after=getattr(view, "after", None),
            summary_saved=getattr(view, "saved", None),
            notice_at_end=kiosk.controller.frame().notice,
            database_file=kiosk.store.db.conn.execute("PRAGMA database_list").fetchall()[0][2],
        )
    finally:
        kiosk.close()
    result["log"] = records
    print(json.dumps(result))


if __name__ == "__main__":
    main()
