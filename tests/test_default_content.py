"""The bundled areas and techniques (config/default.yaml and its translations) are true to
the DESENS home programmes and safe to start from: every temperature technique and everything
rubbed on the skin carries a safety note that says what the published handouts say, the ice
rub keeps its own time limit, the words say "firm" where the handouts do, and every word fits
the smallest screen, so check-config of the bundled file has nothing to warn about."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kiosk import cli, paths, text
from kiosk.config import NAME_FIT, PROMPT_FIT, Group, load, load_defaults
from kiosk.language_content import config_in_languages, languages

# Rubbed, brushed or dug into: each says not on broken skin. Soft touch (a feather or a
# cotton ball, stroked lightly) is the one texture technique without a note, so the gentlest
# start stays one press.
RUBBED_ON_THE_SKIN = {"smooth_cloth", "towel_rub", "soft_brush", "rough_fabric", "texture_bin",
                      "lotion_massage", "ice_rub", "cool_cloth", "warm_cloth"}
BROKEN_SKIN = {"en": "broken skin", "es": "piel lastimada"}
SMALLEST_SCREEN = (480, 320)


def bundled(language: str = "en"):
    """The bundled settings with their words in `language`."""
    return config_in_languages(replace(load_defaults(), language=language))


def words(technique) -> str:
    """Everything the patient reads or hears of a technique, as one lower-case text."""
    return " ".join([technique.prompt, *(s.prompt for s in technique.steps)]).lower()


@pytest.fixture(autouse=True)
def _english_after():
    yield
    text.use("en")


# -- safety ----------------------------------------------------------------------------------
@pytest.mark.parametrize("language", languages())
def test_every_temperature_technique_has_a_safety_note(language):
    temperature = [t for t in bundled(language).techniques if t.group is Group.TEMPERATURE]
    assert {t.id for t in temperature} == {"ice_rub", "cool_cloth", "warm_cloth"}
    assert all(t.safety for t in temperature), [t.id for t in temperature if not t.safety]


def test_an_adult_tests_the_warm_cloth_because_sore_skin_cannot_judge_heat():
    english = bundled("en").technique("warm_cloth").safety
    for said in ("An adult tests the cloth", "can't tell how hot", "Warm, not hot", "Stop if it feels too hot"):
        assert said in english
    spanish = bundled("es").technique("warm_cloth").safety
    for said in ("Un adulto prueba primero", "no sabe bien qué tan caliente", "Tibio, no caliente", "Detente"):
        assert said in spanish


def test_the_cool_cloth_is_made_ready_by_an_adult_and_stopped_at_white_or_numb_skin():
    english = bundled("en").technique("cool_cloth").safety
    assert "An adult" in english and "not icy" in english and "white" in english and "numb" in english
    spanish = bundled("es").technique("cool_cloth").safety
    assert "Un adulto" in spanish and "no helado" in spanish and "blanca" in spanish and "se te duerme" in spanish


def test_the_ice_rub_is_limited_to_five_minutes_and_its_note_says_how_to_stay_safe():
    ice = bundled("en").technique("ice_rub")
    assert ice.max_duration_seconds == 5 * 60
    assert bundled("es").technique("ice_rub").max_duration_seconds == 5 * 60
    for said in ("towel under", "Keep the ice moving", "white", "numb", "breaks", "Never on broken skin"):
        assert said in ice.safety
    assert "keep it moving" in words(ice) and all("moving" in s.prompt for s in ice.steps)


@pytest.mark.parametrize("language", languages())
def test_everything_rubbed_on_the_skin_says_not_on_broken_skin(language):
    config = bundled(language)
    for ident in RUBBED_ON_THE_SKIN:
        note = config.technique(ident).safety or ""
        assert BROKEN_SKIN[language] in note, f"{language} {ident}: {note!r}"
    textures = {t.id for t in config.techniques if t.group is Group.TEXTURE}
    assert textures - RUBBED_ON_THE_SKIN == {"soft_touch"}, "a new texture technique needs its note"


def test_squeezing_tapping_and_vibration_ask_for_no_confirmation():
    # Nothing rubs the skin there: a note to confirm before each session would only slow it.
    config = bundled("en")
    assert [t.id for t in config.techniques if not t.safety] == ["soft_touch", "firm_squeeze", "tapping", "vibration"]


# -- true to the practice --------------------------------------------------------------------
def test_rubs_are_firm_and_in_every_direction_as_the_handouts_say():
    config = bundled("en")
    towel = config.technique("towel_rub")
    assert "firmly" in towel.prompt and "every way" in towel.prompt and "bare skin" in towel.prompt
    assert all(s.prompt.startswith("Firm rubs") for s in towel.steps)
    assert [s.prompt.removeprefix("Firm rubs ") for s in towel.steps] == ["up and down", "in circles", "side to side"]
    for ident in ("soft_brush", "rough_fabric", "lotion_massage"):
        assert "firm" in words(config.technique(ident)), ident


def test_taps_are_loud_and_firm_and_vibration_is_firm():
    config = bundled("en")
    tapping = words(config.technique("tapping"))
    assert "firm" in tapping and "loud" in tapping
    vibration = config.technique("vibration")
    assert "firmly" in vibration.prompt and all("firmly" in s.prompt for s in vibration.steps)


def test_soft_touch_is_the_one_gentle_technique():
    config = bundled("en")
    gentle = [t.id for t in config.techniques if any(w in words(t) for w in ("gentl", "soft strokes", "slow"))]
    assert "soft_touch" in gentle
    assert "firm" not in words(config.technique("soft_touch"))
    assert config.ladder[0] == "soft_touch", "the gentlest rung comes first"


def test_the_area_question_asks_where_it_hurts_most():
    assert text.CHOOSE_AREA == "Where does it hurt most today?"
    text.use("es")
    assert text.CHOOSE_AREA == "¿Dónde te duele más hoy?"


# -- fits the screen; check-config has nothing to say ------------------------------------------
@pytest.mark.parametrize("language", languages())
def test_no_bundled_name_or_prompt_is_longer_than_fits(language):
    config = bundled(language)
    names = [a.name for a in config.areas] + [t.name for t in config.techniques]
    prompts = [p for t in config.techniques for p in (t.prompt, *(s.prompt for s in t.steps))]
    assert [n for n in names if len(n) > NAME_FIT] == []
    assert [p for p in prompts if len(p) > PROMPT_FIT] == []


@pytest.mark.parametrize("language", languages())
def test_every_bundled_safety_note_is_one_page_on_the_smallest_screen(language):
    from kiosk.render import pages_needed

    notes = {t.id: t.safety for t in bundled(language).techniques if t.safety}
    assert {i: pages_needed(n, SMALLEST_SCREEN) for i, n in notes.items()} == {i: 1 for i in notes}


def test_check_config_of_the_bundled_file_prints_no_warning(capsys, monkeypatch):
    monkeypatch.delenv("DESENS_KIOSK_CONFIG", raising=False)
    monkeypatch.setattr(paths, "SYSTEM_CONFIG", Path("/nonexistent/config.yaml"))
    for argv in (["check-config"], ["check-config", str(paths.default_config_path())]):
        assert cli.main(argv) == 0
        printed = capsys.readouterr()
        assert printed.err == "", printed.err
        assert printed.out.count("\n") == 1 and ": OK: " in printed.out


def test_check_config_of_the_bundled_words_in_spanish_prints_no_warning(tmp_path, capsys):
    spanish = tmp_path / "config.yaml"
    spanish.write_text("language: es\n", encoding="utf-8")
    assert cli.main(["check-config", str(spanish)]) == 0
    printed = capsys.readouterr()
    assert printed.err == "", printed.err
    assert load(spanish).config.technique("towel_rub").name == "Frotar con toalla", "the Spanish words were checked"
