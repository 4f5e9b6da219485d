"""Nothing reaches under a library: no code of ours reads or writes another object's private
attribute (`thing._name`), so an upgrade of SQLAlchemy, aiohttp, discord.py or slack-bolt cannot
break us by changing what was never promised. Checked on the source of every module we ship, and
of the fakes the tests run against."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("bot", "adapters", "storage", "bench")
# Public despite the underscore: SQLAlchemy's Row._mapping, and namedtuple's documented methods.
DOCUMENTED = {"_mapping", "_asdict", "_replace", "_fields", "_make"}


def reaches_under(path: Path, root: Path = ROOT) -> list[str]:
    """`owner._name` where the owner is not the object itself (self, cls, super())."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or name.startswith("__") or name in DOCUMENTED:
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            continue
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
            continue
        found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_reads_another_objects_private_attributes() -> None:
    files = [p for package in SHIPPED for p in sorted((ROOT / package).rglob("*.py"))]
    files += sorted((ROOT / "tests").rglob("fake_*.py"))
    assert len(files) > 100
    assert [hit for path in files for hit in reaches_under(path)] == []


def test_the_check_sees_a_reach_under_a_library(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def port(site):\n    return site._server.sockets[0]\n\nclass A:\n    def f(self):\n"
                      "        return self._own, row._mapping\n")
    assert reaches_under(sample, tmp_path) == ["sample.py:2: site._server"]
