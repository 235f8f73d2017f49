"""The sound device chosen from fake /proc/asound and /sys/class/drm trees."""

import logging

from fake_pi import (HDMI0, HDMI1, HEADPHONES, USB_SPEAKER, make_pi, pi4_dsi_headphones,
                     pi4_no_screen, pi4_on_hdmi, pi5_dsi_usb)

from kiosk.devices import alsa
from kiosk.devices.alsa import SoundCard

APPLIANCE = {"SDL_AUDIODRIVER": "alsa", "SDL_VIDEODRIVER": "kmsdrm"}  # what the unit sets

PI4_CARDS = """\
 0 [Headphones     ]: bcm2835_headpho - bcm2835 Headphones
                      bcm2835 Headphones
 1 [vc4hdmi0       ]: vc4-hdmi - vc4-hdmi-0
                      vc4-hdmi-0
 2 [vc4hdmi1       ]: vc4-hdmi - vc4-hdmi-1
                      vc4-hdmi-1
"""


def env_for(pi, environ=APPLIANCE, setting="auto", log=None):
    return alsa.sound_env(environ, setting, proc_root=pi.asound, sysfs_root=pi.drm, log=log)


def test_parse_the_cards_of_a_pi4():
    assert alsa.parse_cards(PI4_CARDS) == [
        SoundCard(0, "Headphones", "bcm2835_headpho", "bcm2835 Headphones", "bcm2835 Headphones"),
        SoundCard(1, "vc4hdmi0", "vc4-hdmi", "vc4-hdmi-0", "vc4-hdmi-0"),
        SoundCard(2, "vc4hdmi1", "vc4-hdmi", "vc4-hdmi-1", "vc4-hdmi-1"),
    ]
    assert alsa.parse_cards("--- no soundcards ---\n") == []


def test_a_usb_card_line():
    (card,) = alsa.parse_cards(" 2 [Device         ]: USB-Audio - USB Audio Device\n"
                               "                      GeneralPlus USB Audio Device at usb-xhci-hcd.0-1, full speed\n")
    assert (card.index, card.id, card.is_usb, card.name) == (2, "Device", True, "USB Audio Device")
    assert card.longname.startswith("GeneralPlus")


def test_hdmi_cards_map_to_their_connectors():
    cards = {c.id: c for c in alsa.parse_cards(PI4_CARDS)}
    assert cards["vc4hdmi0"].hdmi_connector == "HDMI-A-1"
    assert cards["vc4hdmi1"].hdmi_connector == "HDMI-A-2"
    assert cards["Headphones"].hdmi_connector is None
    pi3 = SoundCard(0, "vc4hdmi", "vc4-hdmi", "vc4-hdmi")  # a Pi 0-3 has one HDMI port
    assert pi3.hdmi_connector == "HDMI-A-1"


def test_pi4_on_hdmi_plays_through_the_screen(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    assert env_for(pi) == {"AUDIODEV": "sysdefault:CARD=vc4hdmi0"}


def test_pi4_on_the_second_hdmi_port(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    pi.set_status("card1-HDMI-A-1", "disconnected")
    pi.set_status("card1-HDMI-A-2", "connected")
    assert env_for(pi) == {"AUDIODEV": "sysdefault:CARD=vc4hdmi1"}


def test_pi4_dsi_panel_plays_through_the_headphone_jack(tmp_path):
    pi = pi4_dsi_headphones(tmp_path)
    assert env_for(pi) == {"AUDIODEV": "plughw:CARD=Headphones,DEV=0"}


def test_pi5_dsi_panel_plays_through_the_usb_speaker(tmp_path):
    pi = pi5_dsi_usb(tmp_path)
    assert env_for(pi) == {"AUDIODEV": "plughw:CARD=Device,DEV=0"}


def test_a_usb_speaker_wins_over_a_connected_hdmi_screen(tmp_path):
    pi = make_pi(tmp_path, {0: {"HDMI-A-1": "connected"}}, [HDMI0, HDMI1, USB_SPEAKER])
    assert env_for(pi) == {"AUDIODEV": "plughw:CARD=Device,DEV=0"}


def test_a_usb_microphone_is_not_a_speaker(tmp_path):
    webcam = ("Camera", "USB-Audio", "USB Camera", [])  # capture only: no pcmNp
    pi = make_pi(tmp_path, {0: {}, 1: {"HDMI-A-1": "connected"}}, [HEADPHONES, HDMI0, webcam])
    assert env_for(pi) == {"AUDIODEV": "sysdefault:CARD=vc4hdmi0"}


def test_a_usb_card_playing_on_its_second_device(tmp_path):
    dac = ("DAC", "USB-Audio", "USB DAC", [1])
    pi = make_pi(tmp_path, {0: {}}, [dac])
    assert env_for(pi) == {"AUDIODEV": "plughw:CARD=DAC,DEV=1"}


def test_pi5_on_hdmi_without_usb(tmp_path):
    pi = make_pi(tmp_path, {0: {"HDMI-A-1": "connected", "HDMI-A-2": "disconnected"}, 1: {}},
                 [HDMI0, HDMI1])
    assert env_for(pi) == {"AUDIODEV": "sysdefault:CARD=vc4hdmi0"}


def test_pi5_with_no_screen_and_no_usb_leaves_alsa_alone(tmp_path):
    pi = make_pi(tmp_path, {0: {"HDMI-A-1": "disconnected", "HDMI-A-2": "disconnected"}, 1: {}},
                 [HDMI0, HDMI1])
    assert env_for(pi) == {}


def test_no_sound_cards(tmp_path, caplog):
    pi = make_pi(tmp_path, {0: {}, 1: {"HDMI-A-1": "connected"}}, [])
    with caplog.at_level(logging.INFO, logger="test.alsa"):
        assert env_for(pi, log=logging.getLogger("test.alsa")) == {}
    assert caplog.records[-1].getMessage() == "no sound device to choose (sound cards: none): ALSA's default"
    assert alsa.read_cards(tmp_path / "absent") == []


def test_a_usb_speaker_plugged_in_later_is_found_on_the_next_look(tmp_path):
    pi = pi4_no_screen(tmp_path)
    assert env_for(pi) == {"AUDIODEV": "plughw:CARD=Headphones,DEV=0"}
    cards = (pi.asound / "cards").read_text()
    (pi.asound / "cards").write_text(cards + " 3 [Device         ]: USB-Audio - USB Audio Device\n"
                                             "                      USB Audio Device\n")
    (pi.asound / "card3").mkdir()
    (pi.asound / "card3" / "pcm0p").mkdir()
    assert env_for(pi) == {"AUDIODEV": "plughw:CARD=Device,DEV=0"}


def test_an_alsa_name_in_the_config_is_used_as_it_is(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    assert env_for(pi, setting="plughw:CARD=Headphones,DEV=0") == {"AUDIODEV": "plughw:CARD=Headphones,DEV=0"}
    assert env_for(pi, environ={}, setting="default") == {"AUDIODEV": "default", "SDL_AUDIODRIVER": "alsa"}


def test_the_driver_is_set_to_alsa_only_when_nothing_chose_one(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    assert env_for(pi, environ={}) == {"AUDIODEV": "sysdefault:CARD=vc4hdmi0", "SDL_AUDIODRIVER": "alsa"}
    assert env_for(pi, environ={"SDL_AUDIODRIVER": "alsa"}) == {"AUDIODEV": "sysdefault:CARD=vc4hdmi0"}


def test_the_users_own_choices_win(tmp_path, caplog):
    pi = pi4_on_hdmi(tmp_path)
    with caplog.at_level(logging.INFO, logger="test.alsa"):
        assert env_for(pi, environ={**APPLIANCE, "AUDIODEV": "hw:CARD=Headphones"},
                       log=logging.getLogger("test.alsa")) == {}
    assert "AUDIODEV, set outside the kiosk" in caplog.records[-1].getMessage()
    assert env_for(pi, environ={"SDL_AUDIODRIVER": "pipewire"}) == {}
    assert env_for(pi, environ={"SDL_AUDIODRIVER": "dummy"}, setting="plughw:CARD=Device,DEV=0") == {}


def test_auto_leaves_a_desktop_session_to_its_sound_server(tmp_path):
    pi = pi4_on_hdmi(tmp_path)
    assert env_for(pi, environ={"WAYLAND_DISPLAY": "wayland-0"}) == {}
    assert env_for(pi, environ={"DISPLAY": ":0", "SDL_AUDIODRIVER": "alsa"}) == {"AUDIODEV": "sysdefault:CARD=vc4hdmi0"}


def test_the_choice_is_logged_with_its_reason(tmp_path, caplog):
    pi = pi5_dsi_usb(tmp_path)
    with caplog.at_level(logging.INFO, logger="test.alsa"):
        env_for(pi, log=logging.getLogger("test.alsa"))
    assert caplog.records[-1].getMessage() == \
        "sound device plughw:CARD=Device,DEV=0: USB sound card 'USB Audio Device'"


def test_without_proc_details_the_first_device_is_assumed(tmp_path):
    (tmp_path / "cards").write_text(PI4_CARDS)
    cards = alsa.read_cards(tmp_path)
    assert [c.first_playback for c in cards] == [0, 0, 0]
    choice = alsa.choose_device("auto", cards, ["DSI-1"])
    assert choice.device == "plughw:CARD=Headphones,DEV=0" and choice.reason == "the headphone jack"
