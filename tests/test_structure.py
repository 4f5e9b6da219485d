"""The layout the next engineer relies on: the core imports no platform or database library, an
adapter reaches neither the storage nor the entry point (`bot/__main__.py` and the `bot.entry`
package, the composition root), and no module imports itself round a circle. Checked on the real
modules (each in a fresh interpreter) and on every module's source."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "adapters", "storage", "bench")
ENTRY = "bot.__main__"
ENTRY_PACKAGE = "bot.entry"
PLATFORM_AND_DATABASE = ("slack_sdk", "slack_bolt", "discord", "sqlalchemy", "aiosqlite", "psycopg", "alembic",
                         "storage", "adapters")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(*packages: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic loads these scripts itself, never imports them
                continue
            found[module_name(path)] = path
    return found


def loaded_after_importing(modules: list[str]) -> set[str]:
    """Every module in sys.modules after a fresh interpreter imports `modules`."""
    script = ("import importlib, json, sys\n"
              f"for name in {modules!r}:\n"
              "    importlib.import_module(name)\n"
              "print(json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def top_level(names: set[str], roots: tuple[str, ...]) -> set[str]:
    return {name for name in names if name.split(".")[0] in roots}


def is_entry(name: str) -> bool:
    """Part of the composition root: `python -m bot` and the package it starts."""
    return name == ENTRY or name == ENTRY_PACKAGE or name.startswith(ENTRY_PACKAGE + ".")


ADAPTER_PACKAGES = sorted({name.split(".")[1] for name in project_modules("adapters") if name.count(".") >= 1})


def loaded_after_importing_adapter(adapter: str) -> set[str]:
    """Every module in sys.modules after a fresh interpreter imports each module of that adapter."""
    modules = [name for name in project_modules("adapters") if name == f"adapters.{adapter}"
               or name.startswith(f"adapters.{adapter}.")]
    loaded = loaded_after_importing(modules)
    assert f"adapters.{adapter}" in loaded
    return loaded


@pytest.mark.parametrize("adapter", ADAPTER_PACKAGES)
def test_an_adapter_imports_neither_the_storage_nor_the_entry_point(adapter: str) -> None:
    loaded = loaded_after_importing_adapter(adapter)
    storage = top_level(loaded, ("storage",))
    assert not storage, f"adapters.{adapter} brings in {sorted(storage)}"
    assert not {name for name in loaded if is_entry(name)}


def test_the_core_imports_no_platform_or_database_library() -> None:
    core = [name for name in project_modules("bot") if not is_entry(name)]
    loaded = loaded_after_importing(core)
    assert set(core) <= loaded
    assert not top_level(loaded, PLATFORM_AND_DATABASE), sorted(top_level(loaded, PLATFORM_AND_DATABASE))


def test_the_entry_point_is_the_only_bot_module_importing_adapters_or_storage() -> None:
    """Also the imports a function makes only when called (the loaded-modules test cannot see those)."""
    offenders = {name: sorted(imported & set(PLATFORM_AND_DATABASE))
                 for name, path in project_modules("bot").items() if not is_entry(name)
                 for imported in [{target.split(".")[0] for target in imports_of(name, path, external=True)}]
                 if imported & set(PLATFORM_AND_DATABASE)}
    assert offenders == {}


def imports_of(name: str, path: Path, *, external: bool = False) -> Iterator[str]:
    """The modules `name` (at `path`) imports anywhere in its source, with relative imports
    resolved; `from a import b` names `a.b` when that is a module of the project."""
    known = project_modules(*PACKAGES)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                yield candidate if candidate in known and not external else source


def import_graph() -> dict[str, set[str]]:
    modules = project_modules(*PACKAGES)
    return {name: {target for target in imports_of(name, path) if target in modules and target != name}
            for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return found


def test_circles_are_found_when_there_are_some() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": {"e"}, "f": set()}
    assert sorted(circles(graph)) == [["a", "b", "c"], ["e", "e2"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_round_a_circle() -> None:
    """Imports inside functions count too: deferring one does not undo the circle."""
    graph = import_graph()
    assert "bot.career_center.stats" in graph and graph[ENTRY] and graph["bot.entry.processes"]  # the real one
    assert circles(graph) == []


STORAGE_AND_DATABASE = ("storage", "sqlalchemy", "aiosqlite", "psycopg", "alembic", "sqlite3")


def test_no_adapter_imports_storage_a_database_library_or_the_entry_point_anywhere_in_its_source() -> None:
    """The database is storage's: an adapter gets what it needs from it through the entry point."""
    offenders = {name: sorted(target for target in imports_of(name, path, external=True)
                              if target.split(".")[0] in STORAGE_AND_DATABASE or is_entry(target))
                 for name, path in project_modules("adapters").items()}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_storage_imports_no_adapter_and_not_the_entry_point() -> None:
    offenders = {name: sorted(target for target in imports_of(name, path, external=True)
                              if target.split(".")[0] == "adapters" or is_entry(target))
                 for name, path in project_modules("storage").items()}
    assert {name: found for name, found in offenders.items() if found} == {}


DATABASE_LIBRARIES = ("sqlalchemy", "aiosqlite", "psycopg", "asyncpg", "alembic")


def test_no_adapter_talks_to_the_database_itself() -> None:
    """Database access (tables, queries, engines, slack-sdk's SQLAlchemy stores included) is the
    storage's, reached through ports the entry point passes in: no adapter module imports a
    database library or slack-sdk's SQLAlchemy stores, even inside a function."""
    offenders = {name: sorted(target for target in imports_of(name, path, external=True)
                              if target.split(".")[0] in DATABASE_LIBRARIES or target.endswith(".sqlalchemy"))
                 for name, path in project_modules("adapters").items()}
    assert {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.parametrize("adapter", ADAPTER_PACKAGES)
def test_importing_an_adapter_loads_no_database_library(adapter: str) -> None:
    loaded = loaded_after_importing_adapter(adapter)
    assert not top_level(loaded, DATABASE_LIBRARIES), sorted(top_level(loaded, DATABASE_LIBRARIES))
