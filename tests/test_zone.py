"""The kiosk's time zone travels with its database: the kiosk keeps its IANA zone name in
the `meta` table, and reports read anywhere count practice days and hours in that zone."""

from __future__ import annotations

import sqlite3
import sys
import time
import types
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk import cli, paths
from kiosk.model import CheckinRecord, SessionRecord, Status
from kiosk.storage.queries import open_existing, report_data
from kiosk.storage.store import Store
from kiosk.storage.zone import local_zone_name

AUCKLAND = "Pacific/Auckland"
EVENING_IN_AUCKLAND = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)  # 22:00 on 4 March there (NZDT, +13)


@pytest.fixture
def local_zone(monkeypatch):
    """Set this process's own time zone (TZ and tzset), put back afterwards."""
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def _meta(path: Path) -> dict[str, str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    conn.close()
    return rows


def test_the_zone_comes_from_tz_then_etc_timezone_then_the_localtime_link(tmp_path):
    etc = tmp_path / "etc"
    etc.mkdir()
    assert local_zone_name({"TZ": ":Europe/Berlin"}, etc) == "Europe/Berlin"
    assert local_zone_name({"TZ": "Not/A_Zone"}, etc) is None
    (etc / "timezone").write_text("America/Chicago\n")
    assert local_zone_name({}, etc) == "America/Chicago"
    assert local_zone_name({"TZ": "Asia/Tokyo"}, etc) == "Asia/Tokyo"
    (etc / "timezone").unlink()
    (etc / "localtime").symlink_to("/usr/share/zoneinfo/Australia/Perth")
    assert local_zone_name({}, etc) == "Australia/Perth"
    (etc / "localtime").unlink()
    assert local_zone_name({}, etc) is None  # nothing says: the tools use their own zone


def test_the_kiosk_keeps_its_zone_current_in_the_database(tmp_path, local_zone):
    local_zone(AUCKLAND)
    Store.open(tmp_path).close()
    assert _meta(tmp_path / paths.DB_NAME) == {"time_zone": AUCKLAND}
    local_zone("Europe/Berlin")  # the Pi moved (or was set up again)
    Store.open(tmp_path).close()
    assert _meta(tmp_path / paths.DB_NAME) == {"time_zone": "Europe/Berlin"}


def test_a_report_read_elsewhere_counts_days_and_hours_in_the_kiosks_zone(tmp_path, local_zone):
    local_zone(AUCKLAND)
    kiosk = Store.open(tmp_path)
    kiosk.save(SessionRecord("sam", "back", "ice", 240, EVENING_IN_AUCKLAND, 6, Status.COMPLETED,
                             EVENING_IN_AUCKLAND, 240.0, 4))
    kiosk.add_checkin(CheckinRecord("sam", EVENING_IN_AUCKLAND, 5))
    kiosk.close()

    local_zone("America/Los_Angeles")  # the clinician's laptop, a day behind
    reader = open_existing(tmp_path)
    try:
        assert reader.tz == ZoneInfo(AUCKLAND)
        day = date(2024, 3, 4)
        assert reader.day_of(EVENING_IN_AUCKLAND) == day
        data = report_data(reader, "sam", day, day, 1, {})
    finally:
        reader.close()
    assert data.sessions == 1 and data.days[0].day == day
    assert {hour for hour, _, _ in data.pain_by_hour} == {22}  # 22:00 where the child practised, not 01:00


def test_the_report_command_ends_on_today_in_the_kiosks_zone(tmp_path, local_zone, monkeypatch, capsys):
    monkeypatch.setenv("DESENS_KIOSK_CONFIG", "")
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", tmp_path / "none.yaml")
    local_zone(AUCKLAND)
    Store.open(tmp_path / "data").close()
    local_zone("America/Los_Angeles")
    drawn = []
    module = types.SimpleNamespace(save_report=lambda data, path: drawn.append(data) or Path(path).write_bytes(b"png"))
    monkeypatch.setitem(sys.modules, "kiosk.render.report_page", module)
    # 10:00 UTC on 4 March: 23:00 in Auckland (still the 4th there), 02:00 on the 4th in
    # Los Angeles, which is the 3rd with the 03:00 roll-over.
    monkeypatch.setattr(cli, "_now", lambda: datetime(2024, 3, 4, 10, 0, tzinfo=timezone.utc))
    assert cli.main(["report", "--data-dir", str(tmp_path / "data"), "--out", str(tmp_path / "r.png")]) == 0
    assert drawn[0].last_day == date(2024, 3, 4)
