"""USB export against temporary folders standing in for /media: drives found or not, and a
drive that is missing, read-only or full each give a clear message and leave no half folder."""

from __future__ import annotations

import csv
import errno
import os
import sys
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from kiosk import text
from kiosk.config import load_defaults
from kiosk.devices import usb
from kiosk.jobs import usb_export
from kiosk.storage.demo import fill_demo
from kiosk.storage.store import Store

NOW = datetime(2024, 3, 28, 18, 5, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "data", tz=timezone.utc)
    fill_demo(s, days=14, profile="sam", seed=1, now=NOW)
    yield s
    s.close()


@pytest.fixture
def fake_report(monkeypatch):
    """A stand-in for kiosk.render.report_page's drawing, so these tests do not depend on pygame fonts."""
    drawn = []

    def save_report(data, path):
        drawn.append(data)
        Image.new("RGB", (210, 297), "white").save(path, "PNG")  # a real, small PNG

    monkeypatch.setitem(sys.modules, "kiosk.render.report_page", types.SimpleNamespace(save_report=save_report))
    return drawn


def test_finds_mounted_drives_in_the_usual_places(tmp_path):
    media, run_media = tmp_path / "media", tmp_path / "run" / "media"
    mounts = {media / "pi" / "STICK", media / "BACKUP", run_media / "ann" / "KEY"}
    for folder in mounts | {media / "pi" / "not-mounted", media / "empty", run_media / "ann" / "old"}:
        folder.mkdir(parents=True)
    (media / "a-file").write_text("")
    found = usb.find_usb_drives((media, run_media, tmp_path / "missing"), is_mount=lambda p: p in mounts)
    assert found == [media / "BACKUP", media / "pi" / "STICK", run_media / "ann" / "KEY"]


def test_no_drive_when_nothing_is_mounted(tmp_path):
    (tmp_path / "media" / "pi" / "STICK").mkdir(parents=True)
    assert usb.find_usb_drives((tmp_path / "media",)) == []  # plain folders are not mount points


def test_export_writes_csvs_and_the_report(store, tmp_path, fake_report):
    drive = tmp_path / "STICK"
    drive.mkdir()
    result = usb_export.export_to_drive(store, drive, load_defaults(), "sam", NOW)
    assert result.ok and result.message_title == text.USB_DONE_TITLE
    folder = drive / f"desens-export-{NOW.astimezone(timezone.utc):%Y%m%d-%H%M}"
    assert [p.name for p in result.files] == ["README.txt", "sessions.csv", "checkins.csv", "levels.csv", "report.png", "report.pdf"]
    assert all(p.parent == folder and p.is_file() for p in result.files)
    assert folder.name in result.message_body and "6" in result.message_body
    rows = list(csv.DictReader(open(folder / "sessions.csv", newline="", encoding="utf-8")))
    assert len(rows) == len([s for s in store.sessions("sam") if s.started_at.date() >= NOW.date() - timedelta(days=28)])
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "health data" in readme and "sessions.csv" in readme and "report.pdf" in readme
    assert fake_report[0].profile == "sam" and fake_report[0].demo
    again = usb_export.export_to_drive(store, drive, load_defaults(), "sam", NOW)  # same minute: a new folder
    assert again.ok and again.files[0].parent.name == folder.name + "-2"


def test_the_export_carries_only_the_period_asked_for(store, tmp_path, fake_report):
    drive = tmp_path / "STICK"
    drive.mkdir()
    short = usb_export.export_to_drive(store, drive, load_defaults(), "sam", NOW, days=7)
    everything = usb_export.export_to_drive(store, drive, load_defaults(), "sam", NOW, days=None)

    def days_in(result):
        [csv_file] = [p for p in result.files if p.name == "sessions.csv"]
        return {row["day"] for row in csv.DictReader(open(csv_file, newline="", encoding="utf-8"))}

    assert days_in(short) and min(days_in(short)) >= (NOW.date() - timedelta(days=7)).isoformat()
    assert len(days_in(everything)) > len(days_in(short))
    assert len(store.sessions("sam")) == sum(1 for _ in csv.DictReader(open(
        [p for p in everything.files if p.name == "sessions.csv"][0], newline="", encoding="utf-8")))


def test_a_profile_object_and_several_profiles(store, tmp_path, fake_report):
    config = load_defaults()
    fill_demo(store, days=3, profile="ann", seed=2, now=NOW)
    drive = tmp_path / "STICK"
    drive.mkdir()
    assert usb_export.export_to_drive(store, drive, config, config.people()[0], NOW).ok
    everyone = usb_export.export_to_drive(store, drive, config, None, NOW)
    assert sorted(p.name for p in everyone.files if p.suffix == ".png") == ["report-ann.png", "report-sam.png"]
    assert sorted(p.name for p in everyone.files if p.suffix == ".pdf") == ["report-ann.pdf", "report-sam.pdf"]


@pytest.mark.parametrize("drive", [None, "missing", "a-file/under"])
def test_no_drive(store, tmp_path, drive, fake_report):
    if drive == "a-file/under":
        (tmp_path / "a-file").write_text("")
    result = usb_export.export_to_drive(store, None if drive is None else tmp_path / drive, load_defaults(), "sam", NOW)
    assert not result.ok and result.message_title == text.NO_USB_TITLE and result.files == ()


def test_read_only_drive(store, tmp_path, fake_report):
    result = usb_export.export_to_drive(store, tmp_path, load_defaults(), "sam", NOW, is_writable=lambda p: False)
    assert not result.ok and result.message_title == text.USB_READ_ONLY_TITLE
    assert list(tmp_path.glob("desens-export-*")) == []


def test_read_only_found_while_writing(store, tmp_path, monkeypatch, fake_report):
    def refuse(self, *args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = usb_export.export_to_drive(store, tmp_path, load_defaults(), "sam", NOW)
    assert not result.ok and result.message_title == text.USB_READ_ONLY_TITLE


def test_full_drive_leaves_no_half_folder(store, tmp_path, monkeypatch, fake_report):
    real_fsync = os.fsync

    def full(fd):
        real_fsync(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(usb_export.os, "fsync", full)
    result = usb_export.export_to_drive(store, tmp_path, load_defaults(), "sam", NOW)
    assert not result.ok and result.message_title == text.USB_FULL_TITLE and result.message_body == text.USB_FULL_BODY
    assert list(tmp_path.glob("desens-export-*")) == []


def test_other_failures_are_said_not_raised(store, tmp_path, monkeypatch):
    def broken(data, path):
        raise RuntimeError("no fonts")

    monkeypatch.setitem(sys.modules, "kiosk.render.report_page", types.SimpleNamespace(save_report=broken))
    result = usb_export.export_to_drive(store, tmp_path, load_defaults(), "sam", NOW)
    assert not result.ok and result.message_title == text.EXPORT_FAILED_TITLE and "no fonts" in result.message_body
    assert list(tmp_path.glob("desens-export-*")) == []


def test_the_real_report_on_the_drive(store, tmp_path):
    pytest.importorskip("kiosk.render.report_page")
    pygame = pytest.importorskip("pygame")
    result = usb_export.export_to_drive(store, tmp_path, load_defaults(), "sam", NOW)
    assert result.ok, result.message_body
    png, pdf = result.files[-2:]
    assert pygame.image.load(str(png)).get_width() >= 1600
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF-")
