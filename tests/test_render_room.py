"""The render room's own rules, checked on the source: the rest of the kiosk reaches its
drawing code only through the entry points, its shapes are drawn by one module, and the
strings module has one clear name in it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENDER = ROOT / "kiosk" / "render"

# What code outside kiosk/render may import from it: the screen renderer, the report page
# (as PNG or PDF), and the sample data (no drawing in it) for the screenshots script.
ENTRY_POINTS = {"kiosk.render", "kiosk.render.report_page", "kiosk.render.report_pdf", "kiosk.render.samples",
                "kiosk.render.glyphs"}  # glyphs: check-config asks which characters the font draws


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in `path`, also those inside functions;
    `from a import b` counts as a.b when a.b is a module of the render room."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                is_module = (ROOT / Path(*sub.split("."))).with_suffix(".py").exists() or (ROOT / Path(*sub.split("."))).is_dir()
                found.append((node.lineno, sub if is_module else node.module))
    return found


def _outside_sources() -> list[Path]:
    paths = [p for p in (ROOT / "kiosk").rglob("*.py") if RENDER not in p.parents]
    for folder in ("scripts", "bench"):
        paths += sorted((ROOT / folder).rglob("*.py"))
    return paths


def test_the_rest_of_the_kiosk_draws_only_through_the_entry_points():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _outside_sources()
        for line, module in _imported(path)
        if module.startswith("kiosk.render") and module not in ENTRY_POINTS
    ]
    assert not wrong, "drawing code imported from outside kiosk/render:\n" + "\n".join(wrong)


def test_shapes_are_drawn_by_one_module():
    # The anti-aliased primitives (discs, rings, polygons, thick lines) exist once, in
    # kiosk/render/shapes.py; widgets and charts draw with them.
    users = sorted(
        str(p.relative_to(ROOT))
        for p in RENDER.rglob("*.py")
        if any(module == "pygame.gfxdraw" for _, module in _imported(p))
    )
    assert users == ["kiosk/render/shapes.py"]


def test_the_strings_module_is_imported_by_its_name():
    # `T` is a TypeVar elsewhere in the kiosk; here the strings module is `text`.
    for path in sorted(RENDER.rglob("*.py")) + [ROOT / "tests" / "test_screens.py", ROOT / "tests" / "test_report.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "kiosk":
                for alias in node.names:
                    if alias.name == "text":
                        assert alias.asname in (None, "text"), f"{path.name}:{node.lineno}: kiosk.text imported as {alias.asname}"


def test_report_days_are_the_models():
    # The report's 28 days are written once, in kiosk.model; the samples use it.
    from kiosk.model import REPORT_DAYS
    from kiosk.render.samples import REPORT_SAMPLES

    assert len(REPORT_SAMPLES["report_28"].days) == REPORT_DAYS
    for path in RENDER.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value == REPORT_DAYS:
                raise AssertionError(f"{path.name}:{node.lineno}: a second {REPORT_DAYS}-day constant")
