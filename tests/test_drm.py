"""The screen found from fake /sys/class/drm trees: which card SDL is told to open, and the
watcher that waits for a screen plugged in after boot."""

import logging

from fake_pi import make_pi, pi4_dsi_headphones, pi4_no_screen, pi4_on_hdmi, pi5_dsi_usb

from kiosk.devices import drm
from kiosk.devices.drm import Connector, ScreenWatcher

KMS = {"SDL_VIDEODRIVER": "kmsdrm"}


def test_pi4_on_hdmi_uses_the_vc4_card(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    assert drm.cards(pi.drm) == [0, 1]
    assert drm.connectors(pi.drm) == [
        Connector(1, "HDMI-A-1", "connected"), Connector(1, "HDMI-A-2", "disconnected"),
        Connector(1, "Writeback-1", "unknown")]
    assert drm.connected_card(pi.drm) == 1
    assert drm.kmsdrm_env(KMS, pi.drm) == {"SDL_KMSDRM_DEVICE_INDEX": "1"}


def test_pi4_with_a_dsi_panel(tmp_path):
    pi = pi4_dsi_headphones(tmp_path)
    assert str(drm.connected_connector(pi.drm)) == "card1-DSI-1"
    assert drm.kmsdrm_env(KMS, pi.drm) == {"SDL_KMSDRM_DEVICE_INDEX": "1"}


def test_pi5_dsi_panel_on_its_own_card_is_chosen_over_the_card_with_more_connectors(tmp_path):
    pi = pi5_dsi_usb(tmp_path)
    assert drm.connected_card(pi.drm) == 2
    assert drm.kmsdrm_env(KMS, pi.drm) == {"SDL_KMSDRM_DEVICE_INDEX": "2"}


def test_the_same_pi5_numbered_differently_on_another_boot(tmp_path):
    pi = make_pi(tmp_path, {0: {"DSI-1": "connected"}, 1: {}, 2: {"HDMI-A-1": "disconnected",
                                                                   "HDMI-A-2": "disconnected"}}, [])
    assert drm.kmsdrm_env(KMS, pi.drm) == {"SDL_KMSDRM_DEVICE_INDEX": "0"}


def test_no_screen_at_all(tmp_path):
    pi = pi4_no_screen(tmp_path)
    assert drm.connected_card(pi.drm) is None
    assert drm.kmsdrm_env(KMS, pi.drm) == {}
    assert "card1-HDMI-A-1 disconnected" in drm.describe(pi.drm)


def test_a_panel_is_preferred_to_a_monitor_whatever_the_card_numbers(tmp_path):
    pi = make_pi(tmp_path, {0: {"HDMI-A-1": "connected", "HDMI-A-2": "connected"}, 1: {},
                            2: {"DSI-1": "connected"}}, [])
    assert str(drm.connected_connector(pi.drm)) == "card2-DSI-1"
    pi.set_status("card2-DSI-1", "disconnected")
    assert str(drm.connected_connector(pi.drm)) == "card0-HDMI-A-1"


def test_the_users_own_index_wins(tmp_path):
    pi = pi5_dsi_usb(tmp_path)
    assert drm.kmsdrm_env({**KMS, "SDL_KMSDRM_DEVICE_INDEX": "0"}, pi.drm) == {}


def test_nothing_is_set_when_sdl_does_not_draw_through_kms(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    assert drm.kmsdrm_env({"SDL_VIDEODRIVER": "dummy"}, pi.drm) == {}
    assert drm.kmsdrm_env({"DISPLAY": ":0"}, pi.drm) == {}
    assert drm.kmsdrm_env({"SDL_VIDEODRIVER": "x11,kmsdrm"}, pi.drm) == {"SDL_KMSDRM_DEVICE_INDEX": "1"}


def test_missing_or_unreadable_sysfs(tmp_path):
    assert drm.connectors(tmp_path / "absent") == []
    assert drm.connected_card(tmp_path / "absent") is None
    assert "no DRM display driver" in drm.describe(tmp_path / "absent")
    pi = make_pi(tmp_path, {0: {}}, [])
    assert "KMS driver is off" in drm.describe(pi.drm)
    (pi.drm / "card0-HDMI-A-1").mkdir()  # a connector whose status cannot be read
    assert drm.connectors(pi.drm) == [Connector(0, "HDMI-A-1", "unknown")]
    assert drm.connected_card(pi.drm) is None


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_the_kiosk_waits_then_opens_when_the_fake_connector_turns_connected(tmp_path, caplog):
    pi = pi4_no_screen(tmp_path)
    clock = Clock()
    watcher = ScreenWatcher(pi.drm, clock, interval=5.0, log=logging.getLogger("test.drm"))
    with caplog.at_level(logging.INFO, logger="test.drm"):
        assert watcher.poll() is None  # the first check is at once
        assert watcher.due_in() == 5.0
        for _ in range(10):  # a minute of the loop turning every half second or so
            clock.t += 0.5
            assert watcher.poll() is None
        pi.set_status("card1-HDMI-A-1", "connected")
        clock.t += 0.5
        found = [watcher.poll()]
        while found[-1] is None and clock.t < 120:
            clock.t += 0.5
            found.append(watcher.poll())
    assert found[-1] == Connector(1, "HDMI-A-1", "connected")
    assert len(found) <= 11  # seen within one interval of being plugged in
    assert watcher.connector == found[-1]
    assert drm.kmsdrm_env(KMS, pi.drm) == {"SDL_KMSDRM_DEVICE_INDEX": "1"}
    waiting = [r for r in caplog.records if "waiting" in r.getMessage()]
    assert len(waiting) == 1  # said once, not on every check
    assert "card1-HDMI-A-1 disconnected" in waiting[0].getMessage()
    assert [r.getMessage() for r in caplog.records][-1] == "screen connected: card1-HDMI-A-1"
    clock.t += 10
    assert watcher.poll() is None  # reported once, not on every check


def test_a_screen_there_from_the_start_is_reported_at_the_first_check_without_a_warning(tmp_path, caplog):
    pi = pi4_on_hdmi(tmp_path)
    watcher = ScreenWatcher(pi.drm, Clock(), log=logging.getLogger("test.drm"))
    with caplog.at_level(logging.INFO, logger="test.drm"):
        assert str(watcher.poll()) == "card1-HDMI-A-1"
    assert caplog.records == []


def test_checks_are_spaced_by_the_interval(tmp_path, monkeypatch):
    pi = pi4_no_screen(tmp_path)
    clock = Clock()
    reads = []
    real = drm.connected_connector
    monkeypatch.setattr(drm, "connected_connector", lambda root: reads.append(clock.t) or real(root))
    watcher = ScreenWatcher(pi.drm, clock, interval=5.0)
    for _ in range(40):
        watcher.poll()
        clock.t += 1.0
    assert reads == [100.0, 105.0, 110.0, 115.0, 120.0, 125.0, 130.0, 135.0]


def test_unplugged_and_plugged_again_is_reported_again(tmp_path, caplog):
    pi = pi4_on_hdmi(tmp_path)
    clock = Clock()
    watcher = ScreenWatcher(pi.drm, clock, interval=5.0, log=logging.getLogger("test.drm"))
    assert watcher.poll() is not None
    pi.set_status("card1-HDMI-A-1", "disconnected")
    clock.t += 5
    with caplog.at_level(logging.INFO, logger="test.drm"):
        assert watcher.poll() is None
        assert watcher.connector is None
        pi.set_status("card1-HDMI-A-1", "connected")
        clock.t += 5
        assert str(watcher.poll()) == "card1-HDMI-A-1"
    assert [r.getMessage() for r in caplog.records] == [
        "screen card1-HDMI-A-1 disconnected: waiting for a screen", "screen connected: card1-HDMI-A-1"]


def test_a_screen_that_would_not_open_is_offered_again_later(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    clock = Clock()
    watcher = ScreenWatcher(pi.drm, clock, interval=5.0)
    assert watcher.poll() is not None
    watcher.retry_later(60)
    assert watcher.due_in() == 60
    clock.t += 30
    assert watcher.poll() is None
    clock.t += 30
    assert str(watcher.poll()) == "card1-HDMI-A-1"
