"""Whether the wall clock is known to be right."""

from kiosk.devices import clock


def test_systemd_timesync_flag_means_synchronised(tmp_path, monkeypatch):
    flag = tmp_path / "synchronized"
    monkeypatch.setattr(clock, "TIMESYNC_FLAG", flag)
    monkeypatch.setattr(clock, "_kernel_says_synced", lambda: False)
    assert clock.wall_clock_synced() is False
    flag.touch()
    assert clock.wall_clock_synced() is True


def test_without_the_flag_the_kernel_decides(tmp_path, monkeypatch):
    monkeypatch.setattr(clock, "TIMESYNC_FLAG", tmp_path / "absent")
    for answer in (True, False, None):
        monkeypatch.setattr(clock, "_kernel_says_synced", lambda: answer)
        assert clock.wall_clock_synced() is answer
