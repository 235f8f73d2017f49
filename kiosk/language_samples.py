"""The sample screens (kiosk/render/samples.py) in another language, for pictures and layout
tests: the samples are built again while the strings table speaks that language, then every
name, prompt and note they carry is swapped for its translation (the bundled areas and
techniques from config/default.LANG.yaml, the samples' own made-up texts from SAMPLE_WORDS).

    text.use("es"); frames, reports = language_samples.samples_in("es")
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from enum import Enum

from kiosk import language_content, text
from kiosk.model import StorageProblem

# The samples' own texts (not in the bundled config), by language.
SAMPLE_WORDS: dict[str, dict[str, str]] = {
    "es": {
        "Left knee": "Rodilla izquierda",
        "Textured fabric and velcro rub": "Frotar con tela rugosa y velcro",
        "Back of the right lower leg": "Pantorrilla y tobillo derechos",
        "Rub the rough side of the velcro slowly up and down the leg.":
            "Frota el lado áspero del velcro despacio, arriba y abajo.",
        "Rough fabric and velcro strips": "Tela áspera y tiras de velcro",
        "A grown-up tests the cloth first, on the inside of their wrist: in a sore area your own sense of warm "
        "and hot can be wrong. Warm, not hot: about as warm as a nice bath, never hotter. Do not use it on "
        "broken skin, a rash or a burn. Take the cloth off at once if it feels too hot, if your skin turns red "
        "or blotchy, or if it starts to sting. Tell a grown-up if your skin still looks red after a few minutes.":
            "Un adulto prueba primero el paño en la parte de adentro de su muñeca: en una zona adolorida, tu "
            "piel puede confundir lo tibio con lo caliente. Tibio, no caliente: como un baño agradable, nunca "
            "más caliente. No lo uses sobre piel lastimada, un sarpullido o una quemadura. Quita el paño "
            "enseguida si se siente muy caliente, si tu piel se pone roja o con manchas, o si empieza a arder. "
            "Avísale a un adulto si tu piel sigue roja después de unos minutos.",
        "Hand over to a new patient?": "¿Preparar para un paciente nuevo?",
        "Every session, check-in and level on this kiosk is deleted. This cannot be undone.":
            "Se borran todas las sesiones, registros y niveles de este quiosco. Esto no se puede deshacer.",
        "No, keep everything": "No, conservar todo",
        "Yes, delete everything": "Sí, borrar todo",
        "When you practise: the time, the area, the technique and your pain before and after.":
            "Cuándo practicas: la hora, la zona, la técnica y tu dolor antes y después.",
        "Your pain check-ins, and the check-in questions that were missed.":
            "Tus registros de dolor, y las preguntas de registro que no contestaste.",
        "Only on this kiosk. Nothing is sent anywhere.": "Solo en este quiosco. No se envía nada a ningún lado.",
        "For 365 days, then it is deleted by itself.": "Durante 365 días; después se borra solo.",
        "Your therapist can see it, with the clinician code.": "Tu terapeuta lo puede ver, con el código de terapeuta.",
        "What is saved here?": "¿Qué se guarda aquí?",
        "Problems": "Problemas",
        "Sound: no sound device found (ALSA: cannot open default)":
            "Sonido: no se encontró dispositivo de sonido (ALSA: cannot open default)",
        "Voice: piper is not installed.": "Voz: piper no está instalado.",
        "The clock is not set: dates of new sessions may be wrong.":
            "El reloj no está ajustado: las fechas de las sesiones nuevas pueden estar mal.",
        "USB: the drive KINGSTON is read-only.": "USB: la memoria KINGSTON es de solo lectura.",
        "The database file was replaced while the kiosk ran; a new one was started at /var/lib/desens-kiosk/desens.db":
            "El archivo de la base de datos se reemplazó mientras el quiosco funcionaba; se empezó uno nuevo en "
            "/var/lib/desens-kiosk/desens.db",
        "Quit to the desktop?": "¿Salir al escritorio?",
        "The kiosk stops until it is started again.": "El quiosco se detiene hasta que se inicie otra vez.",
        "No, stay here": "No, quedarme aquí",
        "Yes, quit": "Sí, salir",
        "Keep it up on good days too: practise even when the pain is lower.":
            "Sigue también en los días buenos: practica aunque el dolor sea menor.",
        "Export done": "Exportación lista",
        "3 files in the folder desens-kiosk/2025-03-27. You can remove the drive now.":
            "3 archivos en la carpeta desens-kiosk/2025-03-27. Ya puede sacar la memoria.",
    },
}


def content_words(language: str) -> dict[str, str]:
    """English -> `language` for every word of the bundled areas and techniques."""
    english = language_content.bundled_words(language_content.SOURCE_LANGUAGE)
    ours = language_content.bundled_words(language)
    if ours is None:
        return {}
    words = {english.areas[i]: name for i, name in ours.areas.items() if i in english.areas}
    for ident, theirs in ours.techniques.items():
        source = english.techniques.get(ident)
        if source is None:
            continue
        words[source.name] = theirs.name
        words[source.prompt] = theirs.prompt
        words.update(zip(source.steps, theirs.steps))
        if source.safety and theirs.safety:
            words[source.safety] = theirs.safety
    return words


def translated(value, words: dict[str, str]):
    """`value` (a frame, a view, a report's data, tuples of them) with every text found in
    `words` replaced; enums, numbers and dates stay as they are."""
    if type(value) is str:
        return words.get(value, value)
    if isinstance(value, Enum):
        return value
    if isinstance(value, tuple):
        return tuple(translated(item, words) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if field.init:
                old = getattr(value, field.name)
                new = translated(old, words)
                if new is not old:
                    changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def _fresh_samples():
    """kiosk/render/samples.py run again as a module of its own (the loaded one keeps the
    words it was built with)."""
    from kiosk.render import samples

    spec = importlib.util.spec_from_file_location(f"{samples.__name__}_{text.language()}", samples.__file__)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def samples_in(language: str) -> tuple[dict, dict]:
    """(frames, report data) of every sample, in `language`; the strings table must speak it
    already (text.use). The paged safety note is split again as the smallest screen splits
    it in that language (safety_page_1, _2, ... as many as it takes)."""
    if text.language() != language:
        raise ValueError(f"call text.use({language!r}) first: the table speaks {text.language()!r}")
    from kiosk.render import note_pages
    from kiosk.views import Frame, SafetyView

    module = _fresh_samples()
    words = dict(content_words(language), **SAMPLE_WORDS.get(language, {}))
    words[module.STORAGE_NOTICE] = text.storage_problem(StorageProblem.DISK_FULL)  # the sample's reason, in words
    frames = {name: translated(frame, words) for name, frame in module.SAMPLES.items()}
    reports = {name: translated(data, words) for name, data in module.REPORT_SAMPLES.items()}
    note = words.get(module.WARM_NOTE, module.WARM_NOTE)
    technique = words.get("Warm cloth", "Warm cloth")
    pages = note_pages(note, (480, 320))
    paged = {f"safety_page_{n}": Frame(SafetyView(technique, page, page=n, pages=len(pages)))
             for n, page in enumerate(pages, 1)}
    ordered = {}
    for name, frame in frames.items():
        if name.startswith("safety_page_"):
            ordered.update(paged)
        else:
            ordered[name] = frame
    return ordered, reports
