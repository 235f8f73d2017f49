"""Translations of the strings table (kiosk/text.py): which language is in use, where its
catalog is, and the gettext catalog tools, in pure Python so that a checkout, an editable
install and the wheel's build hook (hatch_build.py) all read the same `.po` files.

Catalogs live in kiosk/locale/: `desens-kiosk.pot` (every marked string, extracted from
kiosk/text.py) and LANG/LC_MESSAGES/desens-kiosk.po (one per language). The wheel carries
the compiled `.mo` beside each `.po`; a checkout without a `.mo` compiles the `.po` in
memory when the language is first used. English is the source language: it needs no
catalog, and a string without a translation is shown in English.

This module imports nothing of ours, so kiosk.text, the build hook and scripts/i18n.py can
all use it.
"""

from __future__ import annotations

import ast
import gettext
import io
import os
import re
import string
import struct
from dataclasses import dataclass, field
from pathlib import Path

DOMAIN = "desens-kiosk"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TEXT_MODULE = Path(__file__).resolve().parent / "text.py"
# The language the strings table starts in before the configuration is read (tests, tools).
LANGUAGE_ENV = "DESENS_KIOSK_LANGUAGE"
# Another folder of catalogs (LANG/LC_MESSAGES/desens-kiosk.mo or .po), looked in first.
LOCALE_DIR_ENV = "DESENS_KIOSK_LOCALEDIR"

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")


# -- the language in use ------------------------------------------------------------------
_current = os.environ.get(LANGUAGE_ENV, "").strip() or SOURCE_LANGUAGE
_cache: dict[str, gettext.NullTranslations] = {}


def current() -> str:
    """The language the strings table speaks now, e.g. "en" or "es"."""
    return _current


def set_current(language: str) -> bool:
    """Make `language` the one in use; True when it changed. Raises ValueError for a
    language with no catalog (see `available`)."""
    global _current
    language = normalise(language)
    if language not in available():
        raise ValueError(f"no translation for language {language!r} (have: {', '.join(available())})")
    changed = language != _current
    _current = language
    return changed


def normalise(language: str) -> str:
    """ "es", "es_US", "es-US" or "es_US.UTF-8" -> the catalog's name: "es_US" when such a
    catalog exists, else "es"."""
    code = str(language).strip().split(".")[0].split("@")[0].replace("-", "_")
    if "_" in code:
        main, _, region = code.partition("_")
        code = f"{main.lower()}_{region.upper()}"
        if code in available():
            return code
        return main
    return code.lower()


def locale_dirs() -> list[Path]:
    """Where catalogs are looked for: $DESENS_KIOSK_LOCALEDIR first, then the package's."""
    dirs = [Path(os.environ[LOCALE_DIR_ENV])] if os.environ.get(LOCALE_DIR_ENV) else []
    return dirs + [LOCALE_DIR]


def available() -> tuple[str, ...]:
    """English and every language with a catalog (.mo or .po), sorted after English."""
    found = set()
    for folder in locale_dirs():
        if not folder.is_dir():
            continue
        for child in folder.iterdir():
            messages = child / "LC_MESSAGES"
            if _LANGUAGE_CODE.fullmatch(child.name) and any(
                (messages / f"{DOMAIN}{suffix}").is_file() for suffix in (".mo", ".po")
            ):
                found.add(child.name)
    return (SOURCE_LANGUAGE,) + tuple(sorted(found - {SOURCE_LANGUAGE}))


def translation(language: str | None = None) -> gettext.NullTranslations:
    """The catalog for `language` (default: the one in use): a compiled `.mo` if one is
    found, else the `.po` compiled in memory; English (no catalog) translates nothing."""
    language = current() if language is None else normalise(language)
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    if language not in _cache:
        _cache[language] = _load(language)
    return _cache[language]


def _load(language: str) -> gettext.NullTranslations:
    for folder in locale_dirs():
        messages = folder / language / "LC_MESSAGES"
        mo = messages / f"{DOMAIN}.mo"
        if mo.is_file():
            with open(mo, "rb") as handle:
                return gettext.GNUTranslations(handle)
        po = messages / f"{DOMAIN}.po"
        if po.is_file():
            data = compile_catalog(read_po(po.read_text(encoding="utf-8")))
            return gettext.GNUTranslations(io.BytesIO(data))
    return gettext.NullTranslations()


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return Path(locale_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def pot_path(locale_dir: Path = LOCALE_DIR) -> Path:
    return Path(locale_dir) / f"{DOMAIN}.pot"


# -- catalogs -------------------------------------------------------------------------------
@dataclass
class Message:
    """One entry of a catalog: the English (and its plural), the translation (one form, or
    one per plural form), and the notes for the translator."""

    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    notes: list[str] = field(default_factory=list)  # "#." lines: where it is used, what it is
    flags: list[str] = field(default_factory=list)  # "#," e.g. fuzzy, python-brace-format
    context: str | None = None
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    @property
    def translated(self) -> bool:
        """Every form has words, and nobody marked it as needing another look (fuzzy)."""
        return "fuzzy" not in self.flags and all(form for form in self.msgstr)


@dataclass
class Catalog:
    header: dict[str, str]
    messages: list[Message]
    header_notes: list[str] = field(default_factory=list)  # the comment lines above the header

    def find(self, msgid: str, context: str | None = None) -> Message | None:
        return next((m for m in self.messages if m.key == (context, msgid) and not m.obsolete), None)

    def plural_forms(self) -> tuple[int, str]:
        """(nplurals, plural expression) from the header; English's when none is given."""
        value = self.header.get("Plural-Forms", "")
        count = re.search(r"nplurals\s*=\s*(\d+)", value)
        rule = re.search(r"plural\s*=\s*([^;]+)", value)
        return (int(count.group(1)) if count else 2, rule.group(1).strip() if rule else "n != 1")


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(line: str, where: str) -> str:
    line = line.strip()
    if len(line) < 2 or not (line.startswith('"') and line.endswith('"')):
        raise ValueError(f"{where}: expected a quoted string, got {line!r}")
    body, out, i = line[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    if "\n" not in text[:-1]:
        return '"' + escaped.replace("\n", "\\n") + '"'
    # Several lines: msgfmt's layout, an empty first string then one string per line.
    lines = escaped.split("\n")
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{p}"' for p in parts)


def read_po(source: str, name: str = "<po>") -> Catalog:
    """A .po or .pot file's text as a Catalog (the empty msgid's translation is the header)."""
    messages: list[Message] = []
    header: dict[str, str] = {}
    header_notes: list[str] = []
    entry: dict = {}
    comments: list[str] = []
    last: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, comments, last
        if "msgid" in entry:
            forms = entry.get("msgstr", {})
            count = max(forms) + 1 if forms else 1
            message = Message(
                msgid=entry["msgid"],
                msgid_plural=entry.get("msgid_plural"),
                msgstr=[forms.get(i, "") for i in range(count)],
                notes=[c[2:].strip() for c in comments if c.startswith("#.")],
                flags=[f.strip() for c in comments if c.startswith("#,") for f in c[2:].split(",") if f.strip()],
                context=entry.get("msgctxt"),
                obsolete=entry.get("obsolete", False),
            )
            if message.msgid == "" and message.context is None and not message.obsolete:
                header.update(_parse_header(message.msgstr[0]))
                header_notes.extend(c for c in comments if not c.startswith(("#.", "#,", "#:")))
            else:
                messages.append(message)
        entry, comments, last = {}, [], None

    for number, raw in enumerate(source.splitlines(), 1):
        where = f"{name}:{number}"
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line:
                continue
        if not line:
            finish()
            continue
        if line.startswith("#") and not obsolete:
            if "msgid" in entry:
                finish()
            comments.append(raw.rstrip())
            continue
        if line.startswith('"'):
            if last is None:
                raise ValueError(f"{where}: a string continued with nothing before it")
            key, index = last
            if index is None:
                entry[key] += _unquote(line, where)
            else:
                entry[key][index] += _unquote(line, where)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgid" in entry and (keyword == "msgctxt" or "msgstr" in entry):
            finish()
        if obsolete:
            entry["obsolete"] = True
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural:
            entry.setdefault("msgstr", {})[int(plural.group(1))] = _unquote(rest, where)
            last = ("msgstr", int(plural.group(1)))
        elif keyword == "msgstr":
            entry["msgstr"] = {0: _unquote(rest, where)}
            last = ("msgstr", 0)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            entry[keyword] = _unquote(rest, where)
            last = (keyword, None)
        else:
            raise ValueError(f"{where}: unknown line {raw!r}")
    finish()
    return Catalog(header, messages, header_notes)


def _parse_header(text: str) -> dict[str, str]:
    header = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            header[key.strip()] = value.strip()
    return header


def write_po(catalog: Catalog) -> str:
    """A Catalog as .po text (one entry per message, obsolete ones last, commented out)."""
    header = "".join(f"{k}: {v}\n" for k, v in catalog.header.items())
    out = list(catalog.header_notes) + ['msgid ""'] + ("msgstr " + _quote(header)).split("\n") + [""]
    for message in sorted(catalog.messages, key=lambda m: m.obsolete):
        prefix = "#~ " if message.obsolete else ""
        out += [f"#. {note}" if note else "#." for note in message.notes]
        if message.flags:
            out.append("#, " + ", ".join(message.flags))
        lines = []
        if message.context is not None:
            lines.append("msgctxt " + _quote(message.context))
        lines.append("msgid " + _quote(message.msgid))
        if message.msgid_plural is not None:
            lines.append("msgid_plural " + _quote(message.msgid_plural))
            lines += [f"msgstr[{i}] " + _quote(form) for i, form in enumerate(message.msgstr)]
        else:
            lines.append("msgstr " + _quote(message.msgstr[0] if message.msgstr else ""))
        out += [prefix + line for block in lines for line in block.split("\n")]
        out.append("")
    return "\n".join(out)


def compile_catalog(catalog: Catalog) -> bytes:
    """The GNU .mo file for a catalog, as msgfmt writes it: untranslated and fuzzy entries
    are left out (gettext then shows the English), plural forms joined by NUL bytes."""
    header = "".join(f"{k}: {v}\n" for k, v in catalog.header.items())
    pairs = {b"": header.encode("utf-8")}
    for message in catalog.messages:
        if message.obsolete or not message.translated:
            continue
        key = message.msgid if message.msgid_plural is None else f"{message.msgid}\0{message.msgid_plural}"
        if message.context is not None:
            key = f"{message.context}\x04{key}"
        pairs[key.encode("utf-8")] = "\0".join(message.msgstr).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    originals, translations, data = [], [], bytearray()
    for table, values in ((originals, keys), (translations, [pairs[k] for k in keys])):
        for value in values:
            table.append((len(value), data_at + len(data)))
            data += value + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    out += b"".join(struct.pack("<2I", length, offset) for length, offset in originals + translations)
    return out + bytes(data)


def compile_file(po: Path, mo: Path) -> Path:
    """Compile one .po file to a .mo file (the wheel's build hook and scripts/i18n.py)."""
    mo.parent.mkdir(parents=True, exist_ok=True)
    mo.write_bytes(compile_catalog(read_po(Path(po).read_text(encoding="utf-8"), str(po))))
    return mo


def placeholders(words: str) -> set[str]:
    """The {fields} of a str.format template with their format specs, e.g.
    "{m}:{s:02d} practised" -> {"{m}", "{s:02d}"}. Raises ValueError for a broken template."""
    return {
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for _, name, spec, conversion in string.Formatter().parse(words)
        if name is not None
    }


def problems(catalog: Catalog, wanted: list[Message]) -> list[str]:
    """What keeps a catalog from being complete and safe: a string of the table it lacks or
    leaves untranslated (or fuzzy), a plural with the wrong number of forms, and a form whose
    {placeholders} differ from the English it stands for (the singular for a form used for
    n = 1 only, else the plural)."""
    nplurals, rule = catalog.plural_forms()
    choose = gettext.c2py(rule)
    singular_forms = {i for i in range(nplurals) if {n for n in range(1000) if choose(n) == i} == {1}}
    listed = []
    for message in wanted:
        entry = catalog.find(message.msgid, message.context)
        if entry is None or not entry.translated:
            listed.append(f"not translated: {message.msgid!r}")
            continue
        plural = message.msgid_plural is not None
        if (entry.msgid_plural is not None) != plural or (plural and len(entry.msgstr) != nplurals):
            listed.append(f"wrong number of forms: {message.msgid!r}")
            continue
        for index, form in enumerate(entry.msgstr):
            english = message.msgid_plural if plural and index not in singular_forms else message.msgid
            try:
                same = placeholders(form) == placeholders(english)
            except ValueError:  # a lone { or }
                same = False
            if not same:
                listed.append(f"placeholders differ from {english!r}: {form!r}")
    return listed


# -- extracting the marked strings from kiosk/text.py ------------------------------------
def extract(source: str, filename: str = "kiosk/text.py") -> list[Message]:
    """Every `_("...")` and `ngettext("...", "...", n)` in a module's source, in order of
    first use, each once; notes name where it is used (the constant or function) and carry
    the comment written just above that statement."""
    tree = ast.parse(source, filename)
    lines = source.splitlines()
    found: dict[tuple[str, str | None], Message] = {}

    def comment_above(statement: ast.stmt) -> list[str]:
        notes, row = [], statement.lineno - 2
        while row >= 0 and lines[row].strip().startswith("#"):
            note = lines[row].strip().lstrip("#").strip()
            if not note.startswith("--"):  # a section's rule ("# -- home ----") is no note
                notes.insert(0, note)
            row -= 1
        return notes

    def visit(statement: ast.stmt, owner: str) -> None:
        for node in ast.walk(statement):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and len(node.args) == 1 and len(strings) == 1:
                key = (strings[0], None)
            elif node.func.id == "ngettext" and len(node.args) == 3 and len(strings) >= 2:
                key = (strings[0], strings[1])
            else:
                continue
            message = found.get(key)
            if message is None:
                message = found[key] = Message(key[0], key[1], [""] if key[1] is None else ["", ""])
                message.notes.extend(comment_above(statement) if statement in tree.body else [])
                if placeholders(key[0]) or (key[1] and placeholders(key[1])):
                    message.flags.append("python-brace-format")
            if owner not in message.notes:
                message.notes.append(owner)

    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
            owner = f"{statement.name}()" if isinstance(statement, ast.FunctionDef) else statement.name
            notes = comment_above(statement)
            before = set(found)
            visit(statement, owner)
            for key in set(found) - before:  # a function's comment above it, then its name
                message = found[key]
                message.notes[:0] = [n for n in notes if n not in message.notes]
        else:
            targets = [t.id for t in getattr(statement, "targets", [getattr(statement, "target", None)])
                       if isinstance(t, ast.Name)]
            visit(statement, ", ".join(targets) or filename)
    return list(found.values())


POT_HEADER = {
    "Project-Id-Version": "desens-kiosk",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def template(source: str | None = None) -> str:
    """The .pot text for the strings table (kiosk/text.py, or `source`): no dates in it,
    so it changes only when the strings do."""
    source = TEXT_MODULE.read_text(encoding="utf-8") if source is None else source
    notes = [
        "# Every word desens-kiosk shows or says, extracted from kiosk/text.py by",
        "# scripts/i18n.py extract. Do not edit: rerun the script after changing kiosk/text.py.",
    ]
    return write_po(Catalog(dict(POT_HEADER), extract(source), notes))


def update(catalog: Catalog, messages: list[Message]) -> tuple[Catalog, list[Message], list[Message]]:
    """A language's catalog brought up to date with freshly extracted messages: kept
    translations stay, new messages come in untranslated, messages no longer in the table
    are kept at the end as obsolete (for the translator to reuse). Returns the catalog, the
    new messages and the obsolete ones."""
    nplurals, _ = catalog.plural_forms()
    old = {m.key: m for m in catalog.messages if not m.obsolete}
    merged, new = [], []
    for fresh in messages:
        kept = old.pop(fresh.key, None)
        forms = [""] if fresh.msgid_plural is None else [""] * nplurals
        if kept is not None and (kept.msgid_plural is None) == (fresh.msgid_plural is None):
            forms = (kept.msgstr + forms)[: len(forms)]
            flags = [f for f in kept.flags if f == "fuzzy"] + [f for f in fresh.flags if f != "fuzzy"]
            if kept.msgid_plural != fresh.msgid_plural:
                flags = ["fuzzy"] + [f for f in flags if f != "fuzzy"]
        else:
            flags = list(fresh.flags)
            new.append(fresh)
        merged.append(Message(fresh.msgid, fresh.msgid_plural, forms, list(fresh.notes), flags, fresh.context))
    gone = [m for m in catalog.messages if m.obsolete] + list(old.values())
    for message in gone:
        message.obsolete = True
    return Catalog(dict(catalog.header), merged + gone, list(catalog.header_notes)), new, list(old.values())
