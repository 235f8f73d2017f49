"""One rule for the screen size, shared by the settings file (display.size) and the command
line (`run --size`): kiosk.config.parse_size."""

import pytest

from kiosk.config import SIZE_ALLOWED, ConfigError, load, parse_size

ALLOWED = "WIDTHxHEIGHT, e.g. 800x480, from 320x240 to 7680x4320"


@pytest.mark.parametrize("text, size", [
    ("800x480", (800, 480)), (" 800 x 480 ", (800, 480)), ("1920X1080", (1920, 1080)),
    ("480×320", (480, 320)), ("320x240", (320, 240)), ("7680x4320", (7680, 4320)),
])
def test_sizes_that_fit(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text, message", [
    ("99999x99999", f"99999x99999 is out of range ({ALLOWED})"),
    ("7681x4320", f"7681x4320 is out of range ({ALLOWED})"),
    ("319x240", f"319x240 is out of range ({ALLOWED})"),
    ("100x100", f"100x100 is out of range ({ALLOWED})"),
    ("big", f"must be a screen size ({ALLOWED})"),
    ("800x", f"must be a screen size ({ALLOWED})"),
    ("800x480x2", f"must be a screen size ({ALLOWED})"),
    ("123456x480", f"must be a screen size ({ALLOWED})"),
    ("-800x480", f"must be a screen size ({ALLOWED})"),
    ("", f"must be a screen size ({ALLOWED})"),
])
def test_sizes_refused_with_what_is_allowed(text, message):
    with pytest.raises(ValueError) as caught:
        parse_size(text)
    assert str(caught.value) == message
    assert SIZE_ALLOWED == ALLOWED


@pytest.mark.parametrize("text", ["800x480", "99999x99999", "319x240", "big", "7680x4320", "800x"])
def test_the_settings_file_follows_the_same_rule(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(f"display:\n  size: {text}\n")
    try:
        expected = parse_size(text)
    except ValueError as refused:
        with pytest.raises(ConfigError) as caught:
            load(path)
        (problem,) = caught.value.problems
        what = str(refused).split(" (")[0]
        assert str(problem) == f"{path}:2: display.size: {what} (auto or {ALLOWED})"
    else:
        assert load(path).config.display.size == expected
