"""kiosk.devices.notify against a real unix datagram socket standing in for systemd."""

import logging
import math
import os
import shutil
import socket
import tempfile
import uuid
from pathlib import Path

import pytest

from kiosk.devices.notify import Notifier


class FakeSystemd:
    """A bound datagram socket that collects what the kiosk sends."""

    def __init__(self, address: str):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.setblocking(False)

    def messages(self) -> list[str]:
        out = []
        while True:
            try:
                out.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return out


@pytest.fixture
def socket_dir(tmp_path):
    # AF_UNIX paths are limited to 108 bytes; pytest's tmp_path can be longer.
    if len(str(tmp_path)) < 80:
        yield tmp_path
        return
    short = Path(tempfile.mkdtemp(prefix="sdn"))
    yield short
    shutil.rmtree(short, ignore_errors=True)


@pytest.fixture
def systemd(socket_dir):
    path = str(socket_dir / "notify.sock")
    fake = FakeSystemd(path)
    yield fake, {"NOTIFY_SOCKET": path}
    fake.sock.close()


def watchdog_env(env, seconds=30):
    return {**env, "WATCHDOG_USEC": str(int(seconds * 1_000_000)), "WATCHDOG_PID": str(os.getpid())}


def test_ready_is_sent_exactly_once(systemd):
    fake, env = systemd
    notifier = Notifier(env)
    assert notifier.enabled
    notifier.ready()
    notifier.ready()
    notifier.ready(status="again")
    assert fake.messages() == ["READY=1"]


def test_ready_can_carry_a_status(systemd):
    fake, env = systemd
    Notifier(env).ready(status="Showing home")
    assert fake.messages() == ["READY=1\nSTATUS=Showing home"]


def test_status_text_is_one_line(systemd):
    fake, env = systemd
    notifier = Notifier(env)
    notifier.status("Session running: left foot, towel rub")
    notifier.status("two\nlines")
    assert fake.messages() == ["STATUS=Session running: left foot, towel rub", "STATUS=two lines"]


def test_stopping(systemd):
    fake, env = systemd
    Notifier(env).stopping()
    assert fake.messages() == ["STOPPING=1"]


def test_watchdog_pings_at_half_the_interval(systemd):
    fake, env = systemd
    notifier = Notifier(watchdog_env(env, seconds=30))
    assert notifier.interval == 30
    assert notifier.due_in(100.0) == 0  # never pinged: due at once
    sent = [now for now in (100.0, 101.0, 114.9, 115.0, 116.0, 129.9, 130.0) if notifier.watchdog(now)]
    assert sent == [100.0, 115.0, 130.0]
    assert fake.messages() == ["WATCHDOG=1"] * 3
    assert notifier.due_in(131.0) == pytest.approx(14.0)
    assert notifier.due_in(200.0) == 0


def test_a_stalled_loop_sends_nothing(systemd):
    fake, env = systemd
    notifier = Notifier(watchdog_env(env, seconds=2))
    notifier.ready()
    notifier.watchdog(10.0)
    assert fake.messages() == ["READY=1", "WATCHDOG=1"]
    # The loop hangs: nobody calls watchdog(), so systemd hears nothing however long it is.
    assert fake.messages() == []
    assert notifier.due_in(60.0) == 0
    # When it turns again, one ping, not a burst to catch up.
    notifier.watchdog(60.0)
    notifier.watchdog(60.5)
    assert fake.messages() == ["WATCHDOG=1"]


def test_watchdog_off_without_watchdog_usec(systemd):
    fake, env = systemd
    notifier = Notifier(env)
    assert notifier.interval is None
    assert notifier.due_in(5.0) == math.inf
    assert notifier.watchdog(5.0) is False
    assert fake.messages() == []


@pytest.mark.parametrize("extra", [
    {"WATCHDOG_PID": "1"},  # the watchdog belongs to another process
    {"WATCHDOG_USEC": "0"},
    {"WATCHDOG_USEC": "soon"},
])
def test_watchdog_disabled_cases(systemd, extra):
    fake, env = systemd
    notifier = Notifier({**watchdog_env(env), **extra})
    assert notifier.interval is None
    notifier.watchdog(1.0)
    assert fake.messages() == []


def test_watchdog_pid_absent_means_ours(systemd):
    fake, env = systemd
    notifier = Notifier({**env, "WATCHDOG_USEC": "4000000"})
    assert notifier.interval == 4
    assert notifier.watchdog(0.0)
    assert fake.messages() == ["WATCHDOG=1"]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX") or os.uname().sysname != "Linux",
                    reason="abstract sockets are Linux only")
def test_abstract_socket_name():
    name = f"desens-kiosk-test-{uuid.uuid4().hex}"
    fake = FakeSystemd("\0" + name)
    try:
        notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
        notifier.ready()
        notifier.status("ok")
        assert fake.messages() == ["READY=1", "STATUS=ok"]
    finally:
        fake.sock.close()


def test_nothing_happens_without_notify_socket(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    notifier = Notifier()
    assert not notifier.enabled
    assert notifier.interval is None
    assert notifier.due_in(0.0) == math.inf
    notifier.ready()
    notifier.status("x")
    assert notifier.watchdog(0.0) is False
    notifier.stopping()
    assert notifier._socket is None  # not even a socket was made


def test_reads_os_environ_by_default(systemd, monkeypatch):
    fake, env = systemd
    monkeypatch.setenv("NOTIFY_SOCKET", env["NOTIFY_SOCKET"])
    Notifier().ready()
    assert fake.messages() == ["READY=1"]


def test_dead_socket_does_not_raise_and_logs_once(socket_dir, caplog):
    notifier = Notifier(watchdog_env({"NOTIFY_SOCKET": str(socket_dir / "gone.sock")}))
    with caplog.at_level(logging.DEBUG, logger="kiosk.devices.notify"):
        notifier.ready()
        notifier.status("still here")
        notifier.watchdog(0.0)
        notifier.stopping()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "gone.sock" in warnings[0].getMessage()


def test_a_socket_that_goes_away_later_does_not_raise(systemd):
    fake, env = systemd
    notifier = Notifier(env)
    notifier.ready()
    fake.sock.close()
    os.unlink(env["NOTIFY_SOCKET"])
    notifier.status("systemd went away")
    notifier.stopping()
    notifier.close()


def test_unsupported_socket_kind_is_ignored():
    notifier = Notifier({"NOTIFY_SOCKET": "vsock:2:1234", "WATCHDOG_USEC": "1000000"})
    assert not notifier.enabled and notifier.interval is None
    notifier.ready()
    notifier.watchdog(0.0)
