"""Which sound device the chimes go to (`sounds.device: auto` or an ALSA name).

ALSA's `default` is card 0, which on a Pi 4 is the headphone jack: chimes never reach the
HDMI screen's speakers. On a Pi 5 the HDMI card takes only IEC958 frames, which ALSA makes
through `sysdefault:CARD=vc4hdmiN` and never through `hw:`; HDMI sound also needs a
connected screen (it rides in the video signal). So `auto` reads /proc/asound/cards and
picks, in order: a USB card (a speaker someone plugged in on purpose), the HDMI card whose
screen is connected, the headphone jack. The choice reaches SDL as AUDIODEV, which SDL's
ALSA driver reads each time the mixer opens: set it before `pygame.mixer.init()`, and look
again on every retry (a USB speaker plugged in later is then found).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from kiosk.devices import drm

_log = logging.getLogger(__name__)

PROC_ASOUND = Path("/proc/asound")
AUTO = "auto"
DEVICE_VARIABLE = "AUDIODEV"
DRIVER_VARIABLE = "SDL_AUDIODRIVER"

# " 1 [vc4hdmi0       ]: vc4-hdmi - vc4-hdmi-0", then an indented long name on the next line.
_CARD_LINE = re.compile(r"^\s*(\d+)\s+\[(\S+)\s*\]:\s+(\S+)\s+-\s+(.*?)\s*$")
_PLAYBACK = re.compile(r"^pcm(\d+)p$")
_HDMI_ID = re.compile(r"^vc4hdmi(\d*)$")


@dataclass(frozen=True)
class SoundCard:
    """One line pair of /proc/asound/cards, and the playback devices found for it (None when
    /proc/asound/cardN was not there to say)."""

    index: int
    id: str
    driver: str
    name: str
    longname: str = ""
    playback: tuple[int, ...] | None = None

    @property
    def is_usb(self) -> bool:
        return self.driver == "USB-Audio"

    @property
    def hdmi_connector(self) -> str | None:
        """The DRM connector whose screen carries this card's sound: vc4hdmi0 is HDMI-A-1,
        vc4hdmi1 HDMI-A-2, and a Pi 0-3's single `vc4hdmi` is HDMI-A-1."""
        match = _HDMI_ID.match(self.id)
        if not match:
            return None
        return f"HDMI-A-{int(match.group(1) or 0) + 1}"

    @property
    def is_headphones(self) -> bool:
        return self.id == "Headphones" or self.driver.startswith("bcm2835_headpho")

    @property
    def first_playback(self) -> int | None:
        """The device number to play on: the first playback PCM, 0 when unknown, None when
        the card has no playback at all (a USB microphone, a webcam)."""
        if self.playback is None:
            return 0
        return self.playback[0] if self.playback else None


@dataclass(frozen=True)
class SoundChoice:
    """The ALSA device picked, and why, in words for the log."""

    device: str
    reason: str


def parse_cards(text: str) -> list[SoundCard]:
    """The cards listed in the text of /proc/asound/cards ("--- no soundcards ---" is none)."""
    found: list[SoundCard] = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        match = _CARD_LINE.match(line)
        if not match:
            continue
        following = lines[number + 1] if number + 1 < len(lines) else ""
        longname = following.strip() if following[:1].isspace() and not _CARD_LINE.match(following) else ""
        found.append(SoundCard(int(match.group(1)), match.group(2), match.group(3), match.group(4), longname))
    return found


def read_cards(root: Path = PROC_ASOUND) -> list[SoundCard]:
    """The sound cards in `root` (/proc/asound), each with its playback devices; no cards
    when the file is missing (no sound driver) or unreadable."""
    try:
        text = (Path(root) / "cards").read_text()
    except OSError:
        return []
    return [_with_playback(card, Path(root) / f"card{card.index}") for card in parse_cards(text)]


def choose_device(setting: str, cards: Iterable[SoundCard], connected: Iterable[str]) -> SoundChoice | None:
    """The ALSA device for `sounds.device`: an ALSA name is used as it is; `auto` picks a USB
    card, else the HDMI card whose connector (a name in `connected`, e.g. "HDMI-A-1") has a
    screen, else the headphone jack, else None (ALSA's default is then left alone)."""
    setting = (setting or AUTO).strip()
    if setting != AUTO:
        return SoundChoice(setting, "sounds.device in the config")
    cards = list(cards)
    connected = set(connected)
    for card in cards:
        device = card.first_playback
        if card.is_usb and device is not None:
            return SoundChoice(f"plughw:CARD={card.id},DEV={device}", f"USB sound card '{card.name}'")
    for card in cards:
        if card.hdmi_connector in connected and card.first_playback is not None:
            return SoundChoice(f"sysdefault:CARD={card.id}",
                               f"the speakers of the screen on {card.hdmi_connector}")
    for card in cards:
        device = card.first_playback
        if card.is_headphones and device is not None:
            return SoundChoice(f"plughw:CARD={card.id},DEV={device}", "the headphone jack")
    return None


def sound_env(environ: Mapping[str, str], setting: str = AUTO, proc_root: Path = PROC_ASOUND,
              sysfs_root: Path = drm.SYSFS_DRM, log: logging.Logger | None = None) -> dict[str, str]:
    """What to add to the environment before the mixer opens: AUDIODEV for the chosen device
    and, when nothing chose a driver, SDL_AUDIODRIVER=alsa (an ALSA name means nothing to
    another driver). Nothing when the user set AUDIODEV already, when another audio driver
    was asked for (PipeWire, the dummy driver of the tests), for `auto` under a desktop
    session (its sound server routes the user's sound), or when `auto` finds no card.
    With `log`, one line says what was chosen and why."""
    say = log.info if log is not None else (lambda *args: None)
    if environ.get(DEVICE_VARIABLE):
        say("sound device %s (AUDIODEV, set outside the kiosk)", environ[DEVICE_VARIABLE])
        return {}
    drivers = [d.strip() for d in environ.get(DRIVER_VARIABLE, "").split(",") if d.strip()]
    if drivers and "alsa" not in drivers:
        return {}
    setting = (setting or AUTO).strip()
    if setting == AUTO and not drivers and (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return {}
    cards = read_cards(proc_root)
    connected = [c.name for c in drm.connectors(sysfs_root) if c.connected]
    choice = choose_device(setting, cards, connected)
    if choice is None:
        listed = ", ".join(card.id for card in cards) or "none"
        say("no sound device to choose (sound cards: %s): ALSA's default", listed)
        return {}
    say("sound device %s: %s", choice.device, choice.reason)
    additions = {DEVICE_VARIABLE: choice.device}
    if not drivers:
        additions[DRIVER_VARIABLE] = "alsa"
    return additions


def _with_playback(card: SoundCard, folder: Path) -> SoundCard:
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return card  # not known: the card's first device is assumed
    numbers = sorted(int(m.group(1)) for m in map(_PLAYBACK.match, names) if m)
    return SoundCard(card.index, card.id, card.driver, card.name, card.longname, tuple(numbers))
