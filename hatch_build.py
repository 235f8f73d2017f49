"""The wheel's build hook: every kiosk/locale/LANG/LC_MESSAGES/desens-kiosk.po is compiled to
the .mo that gettext reads, inside the wheel beside its .po, so an installed kiosk speaks
every language in the repository without a compiler at run time. The compiler is the one
kiosk.text uses in a checkout (kiosk/i18n.py), loaded by path: the build needs nothing but
hatchling."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def load_i18n(root: Path):
    """kiosk/i18n.py as a module of its own (the kiosk package and its dependencies are not
    installed where the wheel is built)."""
    spec = importlib.util.spec_from_file_location("desens_kiosk_build_i18n", root / "kiosk" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


class CatalogsHook(BuildHookInterface):
    """Compiles the translation catalogs into the wheel (not into an editable one: there the
    kiosk compiles the .po in memory)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        i18n = load_i18n(root)
        self._folder = Path(tempfile.mkdtemp(prefix="desens-kiosk-mo-"))
        for po in sorted((root / "kiosk" / "locale").glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po")):
            inside = po.relative_to(root).with_suffix(".mo")
            mo = i18n.compile_file(po, self._folder / inside)
            build_data["force_include"][str(mo)] = inside.as_posix()

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
