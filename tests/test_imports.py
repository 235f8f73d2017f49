"""The house's rules, checked on the source: which room may import which, and no circles.
Every import counts, also the ones inside functions (a lazy import is still an arrow);
imports under `if TYPE_CHECKING:` are for the type checker only and do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parent.parent / "kiosk"

# room -> rooms (and outside libraries) it must never import
FORBIDDEN = {
    "model": {"*"},  # imports nothing of ours
    "views": {"config", "storage", "practice", "text", "render", "devices", "activities", "controller", "jobs",
              "app", "cli", "pygame", "gpiozero", "sqlite3", "sqlite_utils"},
    "config": {"storage", "practice", "text", "views", "render", "devices", "activities", "controller", "jobs",
               "app", "cli", "pygame", "gpiozero", "sqlite3", "sqlite_utils"},
    "storage": {"text", "views", "render", "devices", "activities", "controller", "practice", "jobs", "app", "cli",
                "pygame", "gpiozero"},
    "practice": {"text", "views", "render", "devices", "activities", "controller", "jobs", "app", "cli", "pygame",
                 "gpiozero", "sqlite3", "sqlite_utils"},
    "activities": {"storage", "render", "devices", "controller", "app", "cli", "pygame", "gpiozero", "sqlite3",
                   "sqlite_utils", "jobs.usb_export"},
    "render": {"storage", "practice", "activities", "controller", "devices", "jobs", "app", "cli", "gpiozero",
               "sqlite3", "sqlite_utils"},
    "devices": {"storage", "practice", "render", "activities", "controller", "jobs", "app", "cli", "sqlite3",
                "sqlite_utils"},
    "controller": {"render", "app", "cli", "pygame", "gpiozero", "sqlite3", "sqlite_utils"},
    "text": {"config", "storage", "practice", "views", "render", "devices", "activities", "controller", "jobs",
             "app", "cli", "pygame", "gpiozero", "sqlite3", "sqlite_utils"},
    "events": {"*"},
}
SHARED = {"days", "schedule", "paths", "events"}  # small modules any room may use
for _name in SHARED - {"events"}:
    FORBIDDEN[_name] = {"storage", "practice", "text", "views", "render", "devices", "activities", "controller",
                        "jobs", "app", "cli", "pygame", "gpiozero", "sqlite3", "sqlite_utils"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(KIOSK.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path) -> set[str]:
    """Every module `path` imports at run time, absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking_only(node):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in KIOSK.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "kiosk"


def _outside(path: Path) -> set[str]:
    return {m.split(".")[0] for m in _imports(path) if not m.startswith("kiosk")}


def _hits(imported: str, rule: str) -> bool:
    if rule == "*":
        return imported.startswith("kiosk.")
    if "." in rule:
        return imported == f"kiosk.{rule}" or imported.startswith(f"kiosk.{rule}.")
    return imported.split(".")[0] == rule or _room(imported) == rule and imported.startswith("kiosk.")


@pytest.mark.parametrize("path", sorted(KIOSK.rglob("*.py")), ids=lambda p: str(p.relative_to(KIOSK)))
def test_no_forbidden_arrow(path):
    name = _module_name(path)
    rules = FORBIDDEN.get(_room(name), set())
    imported = {m for m in _imports(path) if m != name} | _outside(path)
    wrong = sorted(m for m in imported for rule in rules if _hits(m, rule) and not m.startswith(name + "."))
    assert not wrong, f"{name} must not import {wrong}"


def test_no_import_circle():
    graph = _graph()
    # Collapse "from kiosk.pkg import module" edges to real modules only (done in _graph).
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + "."):
                continue  # a package importing its own modules (its __init__) is no circle
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_rules_catch_a_forbidden_arrow(tmp_path, monkeypatch):
    """The checker itself: storage importing the strings table is caught."""
    fake = tmp_path / "store.py"
    fake.write_text("from kiosk import text\nfrom kiosk.views import View\n", encoding="utf-8")
    imported = _imports(fake)
    rules = FORBIDDEN["storage"]
    assert {m for m in imported for rule in rules if _hits(m, rule)} == {"kiosk.text", "kiosk.views",
                                                                       "kiosk.views.View"}


def test_only_the_edges_draw():
    """pygame lives in render, the sound device, the voice player and the app; nowhere else."""
    allowed_rooms = {"render", "devices", "voice", "app"}
    users = sorted(_module_name(p) for p in KIOSK.rglob("*.py") if "pygame" in _outside(p))
    assert users and all(_room(u) in allowed_rooms or u == "kiosk.app" for u in users), users
