#!/usr/bin/env python3
"""The translator's tool for the strings table (kiosk/text.py): extract, update, check, compile.

    python scripts/i18n.py extract          # kiosk/text.py -> kiosk/locale/desens-kiosk.pot
    python scripts/i18n.py update           # every language's .po brought up to date with the .pot
    python scripts/i18n.py new fr           # start kiosk/locale/fr/LC_MESSAGES/desens-kiosk.po
    python scripts/i18n.py check            # untranslated, fuzzy and wrong {placeholders}, per language
    python scripts/i18n.py compile --out DIR   # DIR/LANG/LC_MESSAGES/desens-kiosk.mo for each .po

The wheel's build hook (hatch_build.py) compiles the .mo files by itself; a checkout reads
the .po directly, so `compile` is only needed to try a catalog with another program.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk import i18n  # noqa: E402

# Plural rules of a few likely next languages (GNU gettext's table); others: write it in the header.
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "vi": "nplurals=1; plural=0;",
    "zh": "nplurals=1; plural=0;",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in i18n.LOCALE_DIR.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))


def extract() -> int:
    path = i18n.pot_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = i18n.template()
    path.write_text(text, encoding="utf-8")
    count = len(i18n.read_po(text).messages)
    print(f"{path.relative_to(ROOT)}: {count} strings")
    return 0


def update() -> int:
    messages = i18n.read_po(i18n.pot_path().read_text(encoding="utf-8")).messages
    for language in languages():
        path = i18n.po_path(language)
        catalog = i18n.read_po(path.read_text(encoding="utf-8"), str(path))
        catalog, new, gone = i18n.update(catalog, messages)
        path.write_text(i18n.write_po(catalog), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(new)} new to translate, {len(gone)} no longer used (kept at the end as #~)")
    return 0


def new(language: str) -> int:
    path = i18n.po_path(language)
    if path.exists():
        print(f"{path.relative_to(ROOT)} exists already: use update", file=sys.stderr)
        return 1
    forms = PLURAL_FORMS.get(language) or PLURAL_FORMS.get(language.split("_")[0])
    if forms is None:
        print(f"no plural rule known for {language}: write Plural-Forms in the header by hand", file=sys.stderr)
        forms = "nplurals=2; plural=(n != 1);"
    header = dict(i18n.POT_HEADER, Language=language, **{"Plural-Forms": forms})
    messages = i18n.read_po(i18n.pot_path().read_text(encoding="utf-8")).messages
    nplurals = int(forms.split("nplurals=")[1].split(";")[0])
    for message in messages:
        message.msgstr = [""] if message.msgid_plural is None else [""] * nplurals
    path.parent.mkdir(parents=True, exist_ok=True)
    notes = [f"# desens-kiosk in {language}. Keep every {{placeholder}} exactly as in the English."]
    path.write_text(i18n.write_po(i18n.Catalog(header, messages, notes)), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(messages)} strings to translate")
    return 0


def check() -> int:
    wanted = i18n.read_po(i18n.template()).messages
    bad = 0
    for language in languages():
        path = i18n.po_path(language)
        catalog = i18n.read_po(path.read_text(encoding="utf-8"), str(path))
        problems = i18n.problems(catalog, wanted)
        for problem in problems:
            print(f"{path.relative_to(ROOT)}: {problem}")
        print(f"{language}: {len(wanted) - len(problems)} of {len(wanted)} strings ready")
        bad += len(problems)
    return 1 if bad else 0


def compile_all(out: Path) -> int:
    for language in languages():
        mo = i18n.compile_file(i18n.po_path(language), out / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo")
        print(mo)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write the .pot from kiosk/text.py")
    commands.add_parser("update", help="merge the .pot into every .po")
    start = commands.add_parser("new", help="start a catalog for a language")
    start.add_argument("language", help="e.g. fr, pt_BR, vi")
    commands.add_parser("check", help="report untranslated strings and wrong placeholders")
    build = commands.add_parser("compile", help="compile every .po to .mo")
    build.add_argument("--out", type=Path, required=True, help="folder for LANG/LC_MESSAGES/desens-kiosk.mo")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract()
    if args.command == "update":
        return update()
    if args.command == "new":
        return new(args.language)
    if args.command == "check":
        return check()
    return compile_all(args.out)


if __name__ == "__main__":
    sys.exit(main())
