"""Fake /sys/class/drm and /proc/asound trees of the Raspberry Pis the kiosk meets, laid out
as the kernel shows them (card numbers as Raspberry Pi OS Bookworm numbers them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class FakePi:
    drm: Path
    asound: Path

    def set_status(self, connector: str, status: str) -> None:
        """Plug or unplug a screen: `connector` as in sysfs, e.g. "card1-HDMI-A-1"."""
        (self.drm / connector / "status").write_text(status + "\n")


def make_pi(root: Path, cards: dict[int, dict[str, str]], sound: list[tuple[str, str, str, list[int]]]) -> FakePi:
    """`cards`: DRM card number -> {connector name: status} ({} for a render-only card);
    `sound`: (id, driver, name, playback device numbers) in card order."""
    drm, asound = root / "sys" / "class" / "drm", root / "proc" / "asound"
    drm.mkdir(parents=True)
    asound.mkdir(parents=True)
    (drm / "version").write_text("drm 1.1.0 20060810\n")
    (drm / "renderD128").mkdir()
    for card, connectors in cards.items():
        (drm / f"card{card}").mkdir()
        for name, status in connectors.items():
            (drm / f"card{card}-{name}").mkdir()
            (drm / f"card{card}-{name}" / "status").write_text(status + "\n")
            (drm / f"card{card}-{name}" / "enabled").write_text("disabled\n")
    lines = []
    for index, (card_id, driver, name, playback) in enumerate(sound):
        lines.append(f"{index:2d} [{card_id:<15}]: {driver} - {name}")
        lines.append(f"                      {name}")
        folder = asound / f"card{index}"
        folder.mkdir()
        (folder / "id").write_text(card_id + "\n")
        for device in playback:
            (folder / f"pcm{device}p").mkdir()
    (asound / "cards").write_text("\n".join(lines) + "\n" if lines else "--- no soundcards ---\n")
    return FakePi(drm, asound)


HEADPHONES = ("Headphones", "bcm2835_headpho", "bcm2835 Headphones", [0])
HDMI0 = ("vc4hdmi0", "vc4-hdmi", "vc4-hdmi-0", [0])
HDMI1 = ("vc4hdmi1", "vc4-hdmi", "vc4-hdmi-1", [0])
USB_SPEAKER = ("Device", "USB-Audio", "USB Audio Device", [0])


def pi4_on_hdmi(root: Path) -> FakePi:
    """Pi 4, a monitor on the first HDMI port: v3d is card0 (no connectors), vc4 card1."""
    return make_pi(root, {0: {}, 1: {"HDMI-A-1": "connected", "HDMI-A-2": "disconnected",
                                     "Writeback-1": "unknown"}},
                   [HEADPHONES, HDMI0, HDMI1])


def pi4_dsi_headphones(root: Path) -> FakePi:
    """Pi 4 with the 7" DSI panel on vc4 and nothing on HDMI; a speaker on the jack."""
    return make_pi(root, {0: {}, 1: {"DSI-1": "connected", "HDMI-A-1": "disconnected",
                                     "HDMI-A-2": "disconnected", "Writeback-1": "unknown"}},
                   [HEADPHONES, HDMI0, HDMI1])


def pi5_dsi_usb(root: Path) -> FakePi:
    """Pi 5 with a DSI panel (its own card, driven by RP1), unplugged HDMI on vc4, v3d in
    between, a USB speaker; no headphone jack on a Pi 5."""
    return make_pi(root, {0: {"HDMI-A-1": "disconnected", "HDMI-A-2": "disconnected",
                              "Writeback-1": "unknown"}, 1: {}, 2: {"DSI-1": "connected"}},
                   [HDMI0, HDMI1, USB_SPEAKER])


def pi4_no_screen(root: Path) -> FakePi:
    """Pi 4 with the monitor off or unplugged at boot."""
    return make_pi(root, {0: {}, 1: {"HDMI-A-1": "disconnected", "HDMI-A-2": "disconnected",
                                     "Writeback-1": "unknown"}},
                   [HEADPHONES, HDMI0, HDMI1])
