"""Imports inside the kit flow one way: no module imports one that imports it back.

A circle works only while the imports happen in a lucky order (a blueprint module importing
its views at the bottom, a function importing lazily), and breaks for whoever moves a line.
Every import counts here, at the top of a module or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kit

KIT = Path(kit.__file__).parent


def module_names(package: Path) -> dict[str, Path]:
    """Every module under `package`, by its dotted name."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's own modules that the file at `path` imports, anywhere in it."""
    wanted: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in modules:
                    wanted.add(submodule)
                elif node.module in modules:
                    wanted.add(node.module)
        elif isinstance(node, ast.Import):
            wanted.update(alias.name for alias in node.names if alias.name in modules)
    return wanted


def circles(package: Path) -> list[list[str]]:
    """The groups of modules that import each other round a circle (Tarjan's algorithm)."""
    modules = module_names(package)
    graph = {name: sorted(imports_of(path, modules)) for name, path in modules.items()}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(name: str) -> None:
        order[name] = low[name] = len(order)
        stack.append(name)
        for other in graph[name]:
            if other not in order:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], order[other])
        if low[name] == order[name]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == name:
                    break
            if len(group) > 1 or name in graph[name]:
                found.append(sorted(group))

    for name in graph:
        if name not in order:
            visit(name)
    return found


def test_no_module_of_the_kit_imports_one_that_imports_it_back():
    assert circles(KIT) == []


def _package(tmp_path: Path, jobs: str) -> Path:
    """A small area like the kit's: routes.py imports the blueprint and its jobs module."""
    package = tmp_path / "area"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "routes.py").write_text("from area.blueprint import bp\nfrom area import jobs\n")
    (package / "blueprint.py").write_text("bp = object()\n")
    (package / "jobs.py").write_text(jobs)
    return package


def test_a_circle_through_a_lazy_import_is_found(tmp_path):
    package = _package(tmp_path, "def view():\n    from area.routes import bp\n")
    assert circles(package) == [["area.jobs", "area.routes"]]


def test_views_importing_a_blueprint_module_make_no_circle(tmp_path):
    assert circles(_package(tmp_path, "from area.blueprint import bp\n")) == []
