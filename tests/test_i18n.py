"""The kiosk in Spanish (and in any language added the same way): the strings table switches
language at run time, each catalog translates every string with the English {placeholders}
and plural forms, the catalog template is up to date with kiosk/text.py, catalogs compile in
memory in a checkout and into the wheel, the bundled techniques and areas have words in each
language, and every sample screen drawn in each language keeps its text inside the screen,
no message cut short, at every size the screen tests use."""

from __future__ import annotations

import ast
import functools
import gettext
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk import i18n, text
from kiosk.model import StorageProblem

REPO = Path(__file__).resolve().parent.parent
# Every language with a catalog: a new one is checked by the tests below marked "each language".
TRANSLATED = [language for language in i18n.available() if language != i18n.SOURCE_LANGUAGE]


@pytest.fixture(autouse=True)
def _english_after():
    """Every test leaves the table in English, as the rest of the suite expects it."""
    yield
    text.use("en")


def catalog_of(language: str) -> i18n.Catalog:
    path = i18n.po_path(language)
    return i18n.read_po(path.read_text(encoding="utf-8"), str(path))


def spanish_catalog() -> i18n.Catalog:
    return catalog_of("es")


def table_messages() -> list[i18n.Message]:
    return i18n.extract(i18n.TEXT_MODULE.read_text(encoding="utf-8"))


# -- switching language at run time ----------------------------------------------------------
def test_use_switches_constants_and_functions_and_back():
    assert text.language() == "en"
    assert text.PRESS_SELECT_TO_START == "Press select to start"
    text.use("es")
    assert text.language() == "es"
    assert text.PRESS_SELECT_TO_START == "Presiona OK para empezar"
    assert text.WEEKDAYS == ("Lu", "Ma", "Mi", "Ju", "Vi", "Sá", "Do")
    assert text.GROUP_NAMES["temperature"] == "Temperatura"
    assert text.STORAGE_REASONS[StorageProblem.DISK_FULL] == "el disco está lleno"
    assert text.today_count(2, 4) == "Hoy 2 de 4"
    assert text.storage_problem(StorageProblem.DISK_FULL) == (
        "Las sesiones no se están guardando. Avísale a tu mamá, papá o terapeuta."
    )
    text.use("en")
    assert text.language() == "en"
    assert text.PRESS_SELECT_TO_START == "Press select to start"
    assert text.today_count(2, 4) == "Today 2 of 4"
    assert text.WEEKDAYS[0] == "Mo"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_constant_of_the_table_changes_language(language):
    # Each language. A word defined without _(), or kept from before the switch, stays English.
    def words(value):
        if isinstance(value, str):
            return [value]
        if isinstance(value, (tuple, list)):
            return [w for item in value for w in words(item)]
        if isinstance(value, dict):
            return [w for item in value.values() for w in words(item)]
        return []

    def constants():
        return {name: words(value) for name, value in vars(text).items()
                if name.isupper() and name != "DOMAIN" and words(value)}

    english = constants()
    text.use(language)
    translated = constants()
    same_in_both = {"…"}  # the ellipsis is one character in every language
    assert english.keys() == translated.keys()
    for name, values in english.items():
        for en, other in zip(values, translated[name], strict=True):
            assert other != en or en in same_in_both, f"text.{name} is still English in {language}: {en!r}"


def test_switching_to_the_language_in_use_keeps_the_table_as_it_is(monkeypatch):
    monkeypatch.setattr(text, "SAVED", "kept")
    text.use("en")  # no reload: nothing to switch
    assert text.SAVED == "kept"


@pytest.mark.parametrize("name", ["es_US", "es-US", "es_MX.UTF-8", "ES"])
def test_a_regional_or_locale_name_finds_the_spanish_catalog(name):
    text.use(name)
    assert text.language() == "es"
    assert text.SAVED == "Guardado"


def test_a_language_without_a_catalog_is_refused_and_the_table_stays():
    text.use("es")
    with pytest.raises(ValueError, match="fr"):
        text.use("fr")
    assert text.language() == "es" and text.SAVED == "Guardado"
    assert text.languages() == ("en", "es")


def test_spanish_plurals_pick_their_form_by_number():
    text.use("es")
    assert text.sessions_count(1) == "1 sesión"
    assert text.sessions_count(0) == "0 sesiones"
    assert text.sessions_count(2) == "2 sesiones"
    assert text.days_this_week(1) == "1 día de práctica esta semana"
    assert text.days_this_week(5) == "5 días de práctica esta semana"
    assert text.code_locked(1) == "Bloqueado 1 minuto más"
    assert text.code_locked(5) == "Bloqueado 5 minutos más"
    assert text.stuck_button(["select"]) == "El botón OK parece atascado. Revisa el botón o su cable."
    assert text.stuck_button(["up", "back"]).startswith("Estos botones parecen atascados: arriba, atrás.")
    assert text.config_problem(1, "x").endswith("ajustes estándar: x")
    assert text.config_problem(3, "x").startswith("El archivo de ajustes tiene 3 problemas")


def test_spanish_dates_summaries_and_questions():
    text.use("es")
    assert text.short_date(date(2025, 8, 3)) == "3 ago"
    assert text.long_date(date(2025, 1, 16)) == "16 ene 2025"
    assert text.date_time(datetime(2025, 3, 3, 14, 2)) == "3 mar 2025 14:02"
    assert text.date_range(date(2025, 3, 1), date(2025, 3, 28), 28) == "1 mar 2025 a 28 mar 2025 (28 días)"
    assert text.stopped_short(95) == "Paraste a los 1:35. Está bien. Una tan corta no cuenta para hoy."
    assert text.minutes_done(240) == "4:00 de práctica"
    assert text.pain_question("Espalda") == "¿Cuánto dolor de espalda tienes ahora mismo?"
    assert text.pain_question("") == "¿Cuánto te duele ahora mismo?"
    assert text.VOICE_END.format(area="pancita") == "¡Listo! ¿Cuánto dolor de pancita tienes ahora?"
    readme = text.usb_readme(date(2025, 3, 1), date(2025, 3, 28), ["sessions.csv"], ["report.png"])
    assert "del 1 mar 2025 al 28 mar 2025. Guárdelos" in readme
    assert "- report.png y report.pdf: el informe de una página" in readme


# -- the catalogs --------------------------------------------------------------------------
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_of_the_table_has_a_translation_with_its_placeholders(language):
    # Each language: `python scripts/i18n.py check` lists the same.
    listed = i18n.problems(catalog_of(language), table_messages())
    assert listed == [], "\n".join(listed[:20])


def test_the_check_fails_a_missing_translation_and_a_wrong_placeholder():
    wanted = table_messages()
    catalog = spanish_catalog()
    catalog.find("Today {done} of {target}").msgstr = ["Hoy {hechas} de {target}"]
    catalog.find("{n} session", None).msgstr = ["{n} sesión", "sesiones"]
    catalog.find("Step {step} of {steps}").msgstr = ["Paso {step} de {steps"]
    catalog.messages.remove(catalog.find("Saved"))
    catalog.find("Paused").flags.append("fuzzy")
    listed = i18n.problems(catalog, wanted)
    assert "not translated: 'Saved'" in listed
    assert "not translated: 'Paused'" in listed
    assert "placeholders differ from 'Today {done} of {target}': 'Hoy {hechas} de {target}'" in listed
    assert "placeholders differ from '{n} sessions': 'sesiones'" in listed
    assert "placeholders differ from 'Step {step} of {steps}': 'Paso {step} de {steps'" in listed
    assert len(listed) == 5


def test_a_singular_form_is_checked_against_the_english_singular():
    # "Settings file has a problem ... {first}" has no {n}: its Spanish singular needs none.
    wanted = [i18n.Message("A problem: {first}", "{n} problems. First: {first}", ["", ""])]
    entry = i18n.Message("A problem: {first}", "{n} problems. First: {first}",
                         ["Un problema: {first}", "{n} problemas. El primero: {first}"])
    catalog = i18n.Catalog({"Plural-Forms": "nplurals=2; plural=(n != 1);"}, [entry])
    assert i18n.problems(catalog, wanted) == []
    entry.msgstr = ["{n} problema: {first}", "{n} problemas. El primero: {first}"]
    assert i18n.problems(catalog, wanted) == [
        "placeholders differ from 'A problem: {first}': '{n} problema: {first}'"]


def test_the_spanish_catalog_declares_two_plural_forms():
    catalog = spanish_catalog()
    assert catalog.header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert catalog.header["Language"] == "es"
    assert catalog.header["Content-Type"] == "text/plain; charset=UTF-8"
    plurals = [m for m in catalog.messages if m.msgid_plural]
    assert len(plurals) >= 10 and all(len(m.msgstr) == 2 for m in plurals)


def test_the_template_is_up_to_date_with_the_table():
    committed = i18n.pot_path().read_text(encoding="utf-8")
    assert committed == i18n.template(), "kiosk/text.py changed: run python scripts/i18n.py extract (then update)"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_has_no_strings_the_table_no_longer_has(language):
    wanted = {m.key for m in table_messages()}
    stale = [m.msgid for m in catalog_of(language).messages if not m.obsolete and m.key not in wanted]
    assert stale == [], "run python scripts/i18n.py update"


def test_extraction_finds_singulars_plurals_and_notes_once_each():
    source = (
        "# -- a section ------\n"
        "# Shown on home.\n"
        'A = _("Hello")\n'
        'B = _("Hello")\n'
        "def f(n):\n"
        '    return ngettext("{n} day", "{n} days", n).format(n=n)\n'
        'C = "not marked"\n'
    )
    messages = i18n.extract(source)
    assert [(m.msgid, m.msgid_plural) for m in messages] == [("Hello", None), ("{n} day", "{n} days")]
    assert messages[0].notes == ["Shown on home.", "A", "B"]
    assert messages[1].notes == ["f()"] and messages[1].flags == ["python-brace-format"]


def test_the_table_marks_every_word_for_translation():
    # A word in kiosk/text.py outside _() or ngettext() would never be translated.
    allowed = {".pdf", "%H:%M"}  # a file's suffix and a clock's format
    tree = ast.parse(i18n.TEXT_MODULE.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and isinstance(
            node.body[0], ast.Expr
        ) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))  # docstrings
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            skip.update(id(a) for a in node.args)
        if isinstance(node, ast.Dict):
            skip.update(id(k) for k in node.keys)  # keys: ids, not words
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            skip.update(id(n) for n in ast.walk(node.format_spec))  # such as :.1f
    unmarked = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        and node.value not in allowed and any(c.isalpha() for c in node.value)  # punctuation is no word
    ]
    assert unmarked == [], f"words in kiosk/text.py not marked with _(): {unmarked}"


# -- compiling: in memory in a checkout, into the wheel when built ------------------------------
def test_the_compiled_catalog_is_what_gettext_reads():
    catalog = spanish_catalog()
    translations = gettext.GNUTranslations(io.BytesIO(i18n.compile_catalog(catalog)))
    assert translations.gettext("Saved") == "Guardado"
    assert translations.ngettext("{n} session", "{n} sessions", 1) == "{n} sesión"
    assert translations.ngettext("{n} session", "{n} sessions", 3) == "{n} sesiones"
    assert translations.gettext("not in the table") == "not in the table"
    for message in catalog.messages:
        if message.msgid_plural is None:
            assert translations.gettext(message.msgid) == message.msgstr[0]


def test_untranslated_and_fuzzy_entries_fall_back_to_english():
    catalog = i18n.read_po(
        'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Saved"\nmsgstr ""\n\n#, fuzzy\nmsgid "Paused"\nmsgstr "En pausa"\n\n'
        'msgid "Close"\nmsgstr "Cerrar"\n'
    )
    translations = gettext.GNUTranslations(io.BytesIO(i18n.compile_catalog(catalog)))
    assert [translations.gettext(w) for w in ("Saved", "Paused", "Close")] == ["Saved", "Paused", "Cerrar"]


def test_a_po_file_survives_being_read_and_written():
    source = i18n.po_path("es").read_text(encoding="utf-8")
    assert i18n.write_po(i18n.read_po(source)) == source
    tricky = i18n.Catalog({"Language": "es"}, [i18n.Message('say "hi"\\ now\nand\tthen', None, ["dí \"hola\"\n"])])
    again = i18n.read_po(i18n.write_po(tricky)).messages[0]
    assert (again.msgid, again.msgstr) == ('say "hi"\\ now\nand\tthen', ["dí \"hola\"\n"])


def test_a_checkout_compiles_the_po_in_memory_and_a_mo_is_preferred(tmp_path, monkeypatch):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = i18n.Catalog({"Plural-Forms": "nplurals=2; plural=(n != 1);"}, [i18n.Message("Saved", None, ["Guardado (po)"])])
    (folder / "desens-kiosk.po").write_text(i18n.write_po(po), encoding="utf-8")
    monkeypatch.setenv(i18n.LOCALE_DIR_ENV, str(tmp_path))
    monkeypatch.setattr(i18n, "_cache", {})
    assert i18n.translation("es").gettext("Saved") == "Guardado (po)"
    po.messages[0].msgstr = ["Guardado (mo)"]
    (folder / "desens-kiosk.mo").write_bytes(i18n.compile_catalog(po))
    monkeypatch.setattr(i18n, "_cache", {})
    assert i18n.translation("es").gettext("Saved") == "Guardado (mo)"
    text.use("es")
    assert text.SAVED == "Guardado (mo)"
    assert text.MENU_CLOSE == "Close"  # not in that catalog: English


class FakeHookBase:
    """hatchling's BuildHookInterface as far as hatch_build.py uses it (hatchling itself is
    only in the wheel's build environment)."""

    def __init__(self, root: str, target_name: str) -> None:
        self.root = root
        self.target_name = target_name


def test_the_wheel_hook_compiles_every_catalog_beside_its_po(tmp_path, monkeypatch):
    import importlib.util
    import sys
    import types

    interface = types.ModuleType("hatchling.builders.hooks.plugin.interface")
    interface.BuildHookInterface = FakeHookBase
    for name in ("hatchling", "hatchling.builders", "hatchling.builders.hooks", "hatchling.builders.hooks.plugin"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, interface.__name__, interface)
    spec = importlib.util.spec_from_file_location("hatch_build_under_test", REPO / "hatch_build.py")
    hook_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook_module)

    root = tmp_path / "repo"
    shutil.copytree(REPO / "kiosk" / "locale", root / "kiosk" / "locale")
    shutil.copy(REPO / "kiosk" / "i18n.py", root / "kiosk" / "i18n.py")
    build_data = {"force_include": {}}
    hook_module.CatalogsHook(str(root), "sdist").initialize("standard", build_data)
    hook_module.CatalogsHook(str(root), "wheel").initialize("editable", build_data)
    assert build_data["force_include"] == {}, "only a real wheel carries .mo files"
    hook = hook_module.CatalogsHook(str(root), "wheel")
    hook.initialize("standard", build_data)
    assert list(build_data["force_include"].values()) == ["kiosk/locale/es/LC_MESSAGES/desens-kiosk.mo"]
    mo = Path(next(iter(build_data["force_include"])))
    with open(mo, "rb") as handle:
        spanish = gettext.GNUTranslations(handle)
    assert spanish.gettext("Saved") == "Guardado"
    assert spanish.ngettext("{n} session", "{n} sessions", 2) == "{n} sesiones"
    hook.finalize("standard", build_data, "")
    assert not mo.exists(), "the build's temporary folder is removed"


# -- the bundled techniques and areas in Spanish ------------------------------------------------
def english_and(language: str = "es"):
    from kiosk import language_content

    return language_content.bundled_words("en"), language_content.bundled_words(language)


def english_and_spanish():
    return english_and("es")


def overlay_languages() -> list[str]:
    from kiosk import language_content

    return [language for language in language_content.languages() if language != "en"]


def test_every_language_of_the_screens_has_the_bundled_words_too():
    assert set(overlay_languages()) == set(TRANSLATED), "config/default.LANG.yaml for each catalog"


@pytest.mark.parametrize("language", overlay_languages())
def test_every_bundled_area_and_technique_has_words_in_each_language(language):
    english, spanish = english_and(language)
    assert spanish.areas.keys() == english.areas.keys()
    assert spanish.techniques.keys() == english.techniques.keys()
    for ident, words in spanish.techniques.items():
        source = english.techniques[ident]
        assert len(words.steps) == len(source.steps), f"{ident}: one Spanish prompt per step"
        assert (words.safety is None) == (source.safety is None), f"{ident}: the safety note translated"
        assert words.name != source.name and words.prompt != source.prompt
        assert all(es != en for es, en in zip(words.steps, source.steps))


@pytest.mark.parametrize("language", overlay_languages())
def test_the_bundled_words_translate_the_english_words_of_today(language):
    # default.yaml's prompts or notes changed since default.LANG.yaml was written: translate
    # what changed, then write the new fingerprint as its `source`.
    from kiosk.language_content import fingerprint

    english, translated = english_and(language)
    assert translated.source == fingerprint(english), (
        f"config/default.yaml's words changed: update config/default.{language}.yaml, then source: {fingerprint(english)}")


def test_the_fingerprint_changes_with_any_word():
    from dataclasses import replace

    from kiosk.language_content import fingerprint

    english, _ = english_and_spanish()
    towel = english.techniques["towel_rub"]
    changed = replace(english, techniques={**english.techniques, "towel_rub": replace(towel, steps=towel.steps[:-1] + ("Rub",))})
    assert fingerprint(changed) != fingerprint(english)
    assert fingerprint(replace(english, areas={**english.areas, "back": "Lower back"})) != fingerprint(english)


@pytest.mark.parametrize("language", overlay_languages())
def test_the_bundled_words_are_as_short_as_the_config_asks(language):
    from kiosk.config import NAME_FIT, PROMPT_FIT

    _, spanish = english_and(language)
    names = list(spanish.areas.values()) + [t.name for t in spanish.techniques.values()]
    prompts = [p for t in spanish.techniques.values() for p in (t.prompt, *t.steps)]
    assert max(len(n) for n in names) <= NAME_FIT, max(names, key=len)
    assert max(len(p) for p in prompts) <= PROMPT_FIT, max(prompts, key=len)


def test_the_safety_notes_say_what_the_english_ones_say():
    # Checked by hand once; held here so an edit cannot drop a warning silently.
    _, spanish = english_and_spanish()
    ice = spanish.techniques["ice_rub"].safety
    for words in ("toalla", "Mueve el hielo todo el tiempo", "blanca", "se te duerme", "se abre", "Detente"):
        assert words in ice
    warm = spanish.techniques["warm_cloth"].safety
    for words in ("Tibio, no caliente", "prueba primero", "muñeca", "Detente", "muy caliente"):
        assert words in warm


def spanish_config():
    from dataclasses import replace

    from kiosk.config import load_defaults
    from kiosk.language_content import config_in_languages

    return config_in_languages(replace(load_defaults(), language="es"))


def test_a_spanish_configuration_shows_the_bundled_words_in_spanish():
    from kiosk.config import load_defaults

    english = load_defaults()
    spanish = spanish_config()
    assert [a.id for a in spanish.areas] == [a.id for a in english.areas]
    assert spanish.area("left_leg").name == "Pierna izquierda"
    towel = spanish.technique("towel_rub")
    assert (towel.name, towel.prompt) == ("Frotar con toalla", "Frota fuerte con una toalla, sin ropa y por todos lados")
    assert [s.prompt for s in towel.steps] == ["Frota fuerte de arriba abajo", "Frota fuerte en círculos", "Frota fuerte de lado a lado"]
    assert [s.share for s in towel.steps] == [s.share for s in english.technique("towel_rub").steps]
    assert spanish.technique("ice_rub").safety.startswith("Pon una toalla debajo de la zona.")
    assert spanish.technique("ice_rub").group == english.technique("ice_rub").group
    assert spanish.people()[0].areas == spanish.areas
    assert load_defaults() == english, "the English settings are left as they were"


def test_a_clinicians_own_words_are_kept_and_only_bundled_ones_translated():
    from dataclasses import replace

    from kiosk.config import load_defaults
    from kiosk.language_content import config_in_languages, technique_in

    config = load_defaults()
    towel = config.technique("towel_rub")
    own = replace(towel, name="Toalla de Sam", steps=(replace(towel.steps[0], prompt="Up and down, slowly"),) + towel.steps[1:])
    areas = (replace(config.area("back"), name="Lower back"), config.area("tummy"))
    custom = replace(config, language="es", areas=areas, techniques=(own,))
    spanish = config_in_languages(custom)
    assert [a.name for a in spanish.areas] == ["Lower back", "Pancita"]
    ours = spanish.technique("towel_rub")
    assert ours.name == "Toalla de Sam"
    assert ours.prompt == "Frota fuerte con una toalla, sin ropa y por todos lados"
    assert [s.prompt for s in ours.steps] == ["Up and down, slowly", "Frota fuerte en círculos", "Frota fuerte de lado a lado"]
    # A technique the overlay does not know, and English, are left alone.
    made_up = replace(towel, id="feather_game", name="Feather game")
    assert technique_in(made_up, "es") is made_up
    assert config_in_languages(replace(config, language="en")) == replace(config, language="en")


def test_each_profile_gets_its_own_language():
    from dataclasses import dataclass, replace

    from kiosk.config import load_defaults
    from kiosk.language_content import config_in_languages

    config = load_defaults()

    @dataclass(frozen=True)
    class ProfileWithLanguage:  # the shape a profile takes once it has `language`
        name: str
        areas: tuple
        techniques: tuple
        language: str | None = None

    sam = ProfileWithLanguage("Sam", config.areas, config.techniques, "es")
    alex = ProfileWithLanguage("Alex", config.areas, config.techniques, None)
    station = config_in_languages(replace(config, language="en", profiles=(sam, alex)))
    assert station.profiles[0].areas[0].name == "Pie izquierdo"
    assert station.profiles[1].areas[0].name == "Left foot", "no language of its own: the station's"
    assert station.areas[0].name == "Left foot"


def test_a_malformed_overlay_is_refused_with_file_and_key(tmp_path):
    from kiosk.language_content import read_words

    path = tmp_path / "default.xx.yaml"
    path.write_text("techniques:\n  towel_rub:\n    name: Toalla\n    group: texture\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"default\.xx\.yaml: techniques\.towel_rub: only name, prompt, steps and safety"):
        read_words(path)
    path.write_text("areas:\n  back: ''\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"areas\.back: must be words"):
        read_words(path)


# -- the screens in Spanish: nothing leaves the screen, no message is cut --------------------
MAIN_SIZES = [(480, 320), (800, 480), (1920, 1080)]
# Every size tests/test_screens.py draws at: the portrait ones are the narrowest.
SIZES = MAIN_SIZES + [(1024, 600), (1280, 720), (720, 1280), (480, 800), (1366, 768), (640, 480)]
SMALLEST_TEXT_PX = 15  # as tests/test_screens.py: a key hint at 480x320


@functools.cache
def samples_of(language: str):
    """The sample frames and report data in `language` (built once; drawing them needs the
    table in that language again, see `speak`)."""
    from kiosk import language_samples

    text.use(language)
    try:
        return language_samples.samples_in(language)
    finally:
        text.use("en")


def speak(language: str, monkeypatch):
    """The table in `language` while a test draws (every screen reads its words when drawing)."""
    pygame = pytest.importorskip("pygame")
    pygame.font.init()
    text.use(language)
    return pygame


@pytest.fixture
def spanish_samples():
    return samples_of("es")


@pytest.fixture
def in_spanish(monkeypatch):
    return speak("es", monkeypatch)


def names_in(view) -> list[str]:
    """The names a view carries (techniques, areas, profiles, list items), and the line of area
    and technique together: the only texts that may be cut short with an ellipsis (as in
    tests/test_screens.py; Spanish names run longer, so their shared line may be cut too)."""
    from kiosk.views import ReportView

    names = [getattr(view, field, "") or "" for field in ("technique", "area", "subtitle", "profile", "current", "next")]
    if getattr(view, "area", None) and getattr(view, "technique", None):
        names.append(text.session_line(view.area, view.technique))
    names += [item.label for item in getattr(view, "items", ())]
    if isinstance(view, ReportView):
        names.append(view.data.profile)
    return [n for n in names if n]


def assert_fits(renderer, frame, size, label: str) -> None:
    """Every text inside the screen, readable, not on top of another; only names cut short."""
    import pygame

    screen = pygame.Rect((0, 0), size)
    boxes = renderer.text_boxes
    for words, rect in boxes:
        assert words.strip(), f"{label}: an empty text at {rect}"
        assert screen.contains(rect), f"{label}: {words!r} at {rect} is outside the screen"
        assert rect.h >= SMALLEST_TEXT_PX, f"{label}: {words!r} is only {rect.h} px high"
    for i, (words_a, a) in enumerate(boxes):
        for words_b, b in boxes[i + 1:]:
            assert not a.colliderect(b), f"{label}: {words_a!r} {a} overlaps {words_b!r} {b}"
    keys = {" ".join(v.split()): v for n, v in vars(text).items() if n.endswith("KEYS") and isinstance(v, str)}
    for words, _ in boxes:  # a key hint is shown as written, its spacing kept
        squeezed = keys.get(" ".join(words.split()))
        assert squeezed is None or words == squeezed, f"{label}: the keys squeezed: {words!r}"
    names = names_in(frame.view)
    for words, _ in boxes:
        if words.endswith(text.ELLIPSIS):
            kept = words[: -len(text.ELLIPSIS)].rstrip()
            assert any(name.startswith(kept) for name in names), f"{label}: a message cut short: {words!r}"


def draw_all(frames: dict, size, notice=None):
    from kiosk.render import Renderer
    from kiosk.views import Frame, SleepView

    renderer = Renderer(size)
    import pygame

    surface = pygame.Surface(size)
    for name, frame in frames.items():
        if notice is not None:
            frame = Frame(frame.view, notice)
        renderer.draw(surface, frame)
        if isinstance(frame.view, SleepView):
            assert renderer.text_boxes == []
            continue
        yield name, frame, renderer


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_sample_screen_fits_in_each_language(language, size, monkeypatch):
    frames, _ = samples_of(language)
    speak(language, monkeypatch)
    drawn = 0
    for name, frame, renderer in draw_all(frames, size):
        assert renderer.text_boxes, f"{name}: nothing drawn"
        assert_fits(renderer, frame, size, f"{name} at {size}")
        drawn += 1
    assert drawn == len(frames) - 1  # all but the dark screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("notice", ["storage", "config", "sound"])
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_sample_screen_fits_in_each_language_under_a_notice(language, notice, size, monkeypatch):
    frames, _ = samples_of(language)
    speak(language, monkeypatch)
    words = {
        "storage": text.storage_problem(StorageProblem.DISK_FULL),
        "config": frames["notice_technique"].notice,
        "sound": text.NO_SOUND,
    }[notice]
    for name, frame, renderer in draw_all(frames, size, words):
        assert_fits(renderer, frame, size, f"{name} at {size} with the {notice} notice")


def test_the_spanish_samples_speak_spanish(spanish_samples, in_spanish):
    # The samples carry the overlay's names and prompts, not the English ones.
    frames, reports = spanish_samples
    english, _ = english_and_spanish()
    english_words = set(english.areas.values()) | {t.name for t in english.techniques.values()}
    english_words |= {p for t in english.techniques.values() for p in (t.prompt, *t.steps)}
    from kiosk.render import Renderer

    renderer = Renderer((800, 480))
    surface = in_spanish.Surface((800, 480))
    for name, frame in frames.items():
        renderer.draw(surface, frame)
        shown = {t for t, _ in renderer.text_boxes}
        assert not shown & english_words, f"{name}: English words on a Spanish screen: {shown & english_words}"
    assert "Frotar con toalla" in dict(reports["report_28"].minutes_by_technique)
    assert frames["technique"].view.subtitle == "Pierna izquierda"


def test_the_bundled_spanish_words_fit_and_are_never_cut(in_spanish):
    from kiosk.model import Status
    from kiosk.render import Renderer
    from kiosk.views import (
        ChoiceView,
        CountdownView,
        Frame,
        ListItem,
        SafetyView,
        SummaryView,
    )

    config = spanish_config()
    areas = tuple(ListItem(a.name) for a in config.areas)
    sizes = MAIN_SIZES + [(720, 1280), (480, 800)]
    techniques = []
    for group in dict.fromkeys(t.group for t in config.techniques):
        techniques.append(ListItem(text.GROUP_NAMES[group.value], header=True))
        techniques.extend(ListItem(t.name, flagged=bool(t.safety)) for t in config.techniques if t.group == group)
    techniques = tuple(techniques)
    for size in sizes:
        renderer = Renderer(size)
        area = max((a.name for a in config.areas), key=len)
        frames = [Frame(ChoiceView("area", areas, i)) for i in range(len(areas))]
        frames += [Frame(ChoiceView("technique", techniques, i, subtitle=area))
                   for i, item in enumerate(techniques) if not item.header]
        for t in config.techniques:
            prompts = [s.prompt for s in t.steps] or [t.prompt]
            for n, prompt in enumerate(prompts, 1):
                frames.append(Frame(CountdownView(t.name, area, prompt, n, len(prompts), 240, 240, False)))
                frames.append(Frame(CountdownView(t.name, area, prompt, n, len(prompts), 40, 240, False, hint=True)))
            if t.safety:
                for n, page in enumerate(renderer.note_pages(t.safety), 1):
                    frames.append(Frame(SafetyView(t.name, page, n, len(renderer.note_pages(t.safety)))))
            frames.append(Frame(SummaryView(t.name, area, 4, 2, Status.COMPLETED, 240, True)))
        for frame in frames:
            renderer.draw(in_spanish.Surface(size), frame)
            assert_fits(renderer, frame, size, f"{type(frame.view).__name__} at {size}")
            cut = [t for t, _ in renderer.text_boxes if t.endswith(text.ELLIPSIS)]
            assert cut == [], f"bundled Spanish words are never cut short: {cut}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_spanish_safety_notes_are_shown_whole_page_by_page(size, spanish_samples, in_spanish):
    from kiosk.render import Renderer, note_pages
    from kiosk.views import Frame, SafetyView

    frames, _ = spanish_samples
    warm = " ".join(f.view.note for n, f in frames.items() if n.startswith("safety_page_"))
    notes = [t.safety for t in spanish_config().techniques if t.safety] + [warm]
    renderer = Renderer(size)
    for note in notes:
        pages = note_pages(note, size)
        assert " ".join(pages).split() == note.split()
        for n, page in enumerate(pages, 1):
            renderer.draw(in_spanish.Surface(size), Frame(SafetyView("Paño tibio", page, n, len(pages))))
            shown = " ".join(t for t, _ in renderer.text_boxes if t in page).split()
            assert shown == page.split(), f"page {n} of {len(pages)} not shown whole at {size}"
            if len(pages) > 1:
                assert text.page_of(n, len(pages)) in [t for t, _ in renderer.text_boxes]


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_spanish_home_lines_are_wrapped_whole(size, in_spanish):
    from kiosk.render import Renderer
    from kiosk.views import Frame, HomeView

    renderer = Renderer(size)
    for line in text.TREATMENT_LINES + text.LOW_PAIN_LINES + (text.TREATMENT_NOTE,):
        for profile in (None, "Sam"):
            frame = Frame(HomeView(1, 4, (True, False, True, False, False, False, False), 2, profile, line), text.NO_SOUND)
            renderer.draw(in_spanish.Surface(size), frame)
            assert_fits(renderer, frame, size, f"home with {line!r}")
            shown = " ".join(t for t, _ in renderer.text_boxes if t in line and t not in text.WEEKDAYS)
            assert shown.split() == line.split(), f"{line!r} not shown whole at {size}: {shown!r}"


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (1024, 600)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_spanish_pain_anchors_are_one_size_and_the_report_names_them(size, spanish_samples, in_spanish):
    # The validated scale's two end anchors, as in Spanish versions of the 0-10 scale.
    from kiosk.render import Renderer

    assert (text.NO_PAIN, text.WORST_PAIN) == ("ningún dolor", "el peor dolor imaginable")
    assert f"0 = {text.NO_PAIN}, 10 = {text.WORST_PAIN}" in text.REPORT_FOOTER
    frames, _ = spanish_samples
    renderer = Renderer(size)
    for name in ("pain_before", "pain_after_early", "checkin", "notice_pain"):
        renderer.draw(in_spanish.Surface(size), frames[name])
        anchors = [r for t, r in renderer.text_boxes if t in text.NO_PAIN or t in text.WORST_PAIN]
        heights = [r.h for r in anchors]
        assert len(anchors) >= 2 and max(heights) - min(heights) <= 1, f"{name}: anchors at sizes {heights}"


@pytest.mark.parametrize("size", MAIN_SIZES + [(480, 800), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_spanish_clock_note_never_crowds_the_count(size, in_spanish):
    from dataclasses import replace

    from kiosk.render import Renderer
    from kiosk.views import Frame, HomeView

    renderer = Renderer(size)
    for profile in (None, "Sam"):
        for notice in (None, text.NO_SOUND):
            for done in (1, 4):
                base = HomeView(done, 4, (True, False, True, False, False, False, False), 2, profile)
                renderer.draw(in_spanish.Surface(size), Frame(base, notice))
                plain = next(r for t, r in renderer.text_boxes if t == text.today_count(done, 4))
                frame = Frame(replace(base, clock_unset=True), notice)
                renderer.draw(in_spanish.Surface(size), frame)
                assert_fits(renderer, frame, size, f"clock unset at {size}")
                count = next(r for t, r in renderer.text_boxes if t == text.today_count(done, 4))
                assert count.size == plain.size, f"the count shrank for {text.CLOCK_NOT_SET!r} at {size}"


@pytest.mark.parametrize("width", [1654, 1000])
def test_the_spanish_report_page_cuts_no_message(width, spanish_samples, in_spanish):
    from kiosk.render.report_page import draw_report

    _, reports = spanish_samples
    for name, data in reports.items():
        page = draw_report(data, width)
        area = page.surface.get_rect()
        names = set(dict(data.minutes_by_technique)) | set(dict(data.minutes_by_area)) | {data.profile}
        for words, rect in page.texts:
            assert area.contains(rect), f"{name}: {words!r} outside the page"
            if words.endswith(text.ELLIPSIS):
                kept = words[: -len(text.ELLIPSIS)].rstrip()
                assert any(n.startswith(kept) for n in names), f"{name} at {width}: a message cut short: {words!r}"
        assert text.REPORT_TITLE == "Informe de práctica DESENS" and text.REPORT_TITLE in [t for t, _ in page.texts]


# -- words kept from import time stay in the language the kiosk started in ---------------------
def module_level_words(path: Path) -> list[tuple[int, str]]:
    """`text.NAME` read by a module's own top-level statements (or as a default argument):
    read once at import, so `text.use` cannot change it. Functions read at call time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def reads(node):
        return [(n.lineno, n.attr) for n in ast.walk(node)
                if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "text"
                and n.attr.isupper()]

    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for default in statement.args.defaults + [d for d in statement.args.kw_defaults if d]:
                found += reads(default)
            continue
        if isinstance(statement, ast.ClassDef):
            for inner in statement.body:
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for default in inner.args.defaults + [d for d in inner.args.kw_defaults if d]:
                        found += reads(default)
                else:
                    found += reads(inner)
            continue
        found += reads(statement)
    return found


KIOSK_MODULES = sorted(p for p in (REPO / "kiosk").rglob("*.py")
                       if p.name != "text.py" and p.relative_to(REPO).as_posix() != "kiosk/render/samples.py")
KEEPS_WORDS: set[str] = set()  # modules known to keep words from import time: none


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="keeps its titles from import time"))
     if p.relative_to(REPO).as_posix() in KEEPS_WORDS else p for p in KIOSK_MODULES],
    ids=lambda p: p.relative_to(REPO).as_posix(),
)
def test_no_module_keeps_words_from_import_time(path):
    # kiosk/render/samples.py is made-up data, built again per language by kiosk.language_samples.
    assert module_level_words(path) == [], "read text.NAME when it is needed, inside a function"


def test_the_import_time_check_finds_a_kept_word(tmp_path):
    fake = tmp_path / "screen.py"
    fake.write_text(
        "from kiosk import text\nTITLE = text.CHOOSE_AREA\n"
        "def draw(x=text.SAVED):\n    return text.PAUSED\n"
        "class A:\n    KEYS = (text.LIST_KEYS,)\n", encoding="utf-8")
    assert module_level_words(fake) == [(2, "CHOOSE_AREA"), (3, "SAVED"), (6, "LIST_KEYS")]


def test_updating_a_catalog_keeps_translations_adds_new_strings_and_sets_old_ones_aside():
    catalog = i18n.Catalog(
        {"Plural-Forms": "nplurals=2; plural=(n != 1);"},
        [i18n.Message("Saved", None, ["Guardado"]), i18n.Message("Old words", None, ["Palabras viejas"]),
         i18n.Message("{n} day", "{n} days", ["{n} día", "{n} días"])],
    )
    fresh = i18n.extract('A = _("Saved")\nB = _("New words")\ndef f(n):\n    return ngettext("{n} day", "{n} whole days", n)\n')
    updated, new, gone = i18n.update(catalog, fresh)
    assert [m.msgid for m in new] == ["New words"] and [m.msgid for m in gone] == ["Old words"]
    assert updated.find("Saved").msgstr == ["Guardado"]
    assert updated.find("New words").msgstr == [""]
    day = updated.find("{n} day")
    assert day.msgstr == ["{n} día", "{n} días"] and "fuzzy" in day.flags, "the English plural changed: look again"
    again = i18n.read_po(i18n.write_po(updated))
    assert [m.msgid for m in again.messages if m.obsolete] == ["Old words"]
    assert again.find("Old words") is None, "set aside, not in use"
    assert i18n.problems(again, fresh) == ["not translated: 'New words'", "not translated: '{n} day'"]
