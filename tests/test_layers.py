"""The apps depend downward only, and no import hides in a function to dodge a cycle.

Layers, lowest first: the shared machinery (``niagara``), the entity registry and relations,
users, history, then the domain (customers ← events ← queues ← units ← workorders ← batches ←
notes ← attachments ← engine ← search ← webhooks) and the demo data on top. An app may import
its own modules and those of lower layers, never a higher one; two apps in one layer would be a
cycle waiting to happen, so every app has its own layer.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "niagara",
    "relations",
    "users",
    "history",
    "customers",
    "events",
    "queues",
    "units",
    "workorders",
    "batches",
    "notes",
    "attachments",
    "engine",
    "actions",
    "reports",
    "search",
    "webhooks",
    "demo",
]
# The project's composition root wires every app's URLs together; it is not machinery.
COMPOSITION_ROOT = {"niagara/urls.py"}


def project_imports(path: Path) -> list[tuple[str, int, bool]]:
    """Return (imported app, line, imported inside a function) for each import of an app."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module]
            for name in names:
                app = name.split(".")[0]
                if app in LAYERS:
                    found.append((app, child.lineno, in_function))
            visit(child, inside)

    visit(tree, False)
    return found


def modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_every_app_is_in_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name != "tests"}
    assert apps <= set(LAYERS), f"put {sorted(apps - set(LAYERS))} in a layer"


def test_apps_import_only_from_lower_layers():
    upward = [
        f"{relative(path)}:{line} imports {imported}"
        for app, path in modules()
        if relative(path) not in COMPOSITION_ROOT
        for imported, line, _ in project_imports(path)
        if LAYERS.index(imported) > LAYERS.index(app)
    ]
    assert upward == []


def test_no_function_local_imports_of_project_code():
    """Except in ``AppConfig.ready()``, where Django wants app-loading work done."""
    hidden = [
        f"{relative(path)}:{line} imports {imported} inside a function"
        for _app, path in modules()
        if path.name != "apps.py"
        for imported, line, in_function in project_imports(path)
        if in_function
    ]
    assert hidden == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from batches.models import Batch\n", [("batches", 1, False)]),
        ("def f():\n    import workorders.services\n", [("workorders", 2, True)]),
        ("from .models import Batch\nimport json\n", []),
    ],
)
def test_the_import_finder_sees_what_it_must(tmp_path, source, expected):
    module = tmp_path / "module.py"
    module.write_text(source)

    assert project_imports(module) == expected


def test_the_access_layer_is_asked_through_one_door():
    """Every app asks what a caller may do through ``niagara.access`` (the port); only the
    ``users`` app, which implements it, imports ``access_for`` from ``users.access``. Apps
    that own a read rule register it with ``users.access.register_read_rule``."""
    strays = [
        relative(path)
        for app, path in modules()
        if app != "users"
        and re.search(r"from users\.access import[^\n]*\baccess_for\b", path.read_text())
    ]
    assert strays == []
