"""The input queue between the button threads and the loop."""

from __future__ import annotations

import signal

from kiosk.events import InputQueue, Key


def test_keys_come_out_in_order_and_a_wake_ends_the_wait_without_a_key():
    inputs = InputQueue()
    assert inputs.get(0) is None
    inputs.put(Key.UP)
    inputs.wake()
    inputs.put(Key.SELECT)
    assert inputs.get(5) is Key.UP
    assert inputs.get(5) is None  # the wake
    assert inputs.drain() == [Key.SELECT]
    inputs.wake()
    inputs.put(Key.DOWN)
    inputs.wake()
    assert inputs.drain() == [Key.DOWN]  # wakes are dropped


def test_a_signal_handler_may_put_into_the_queue_the_loop_waits_on():
    """The stop signal's handler wakes the loop: it runs in the main thread, in the middle
    of the loop's wait, so the queue must take a put there without deadlocking."""
    inputs = InputQueue()
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: inputs.put(Key.BACK))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # arrives while get() waits
        assert inputs.get(10) is Key.BACK
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
