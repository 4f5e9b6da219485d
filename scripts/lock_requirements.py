"""Write `requirements.txt`: the runtime dependencies of pyproject.toml and everything they need,
each pinned to the version installed in this environment (as pip-compile would).

Heroku-style buildpacks and the Dockerfile install from it, so every deployment runs the versions
the tests ran against. After changing `[project].dependencies` (or upgrading a package):

    make lock      # or: .venv/bin/pip install -e '.[test]' && .venv/bin/python scripts/lock_requirements.py

`tests/test_deployment_kit.py` checks that the file and pyproject.toml agree.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
HEADER = """\
# The runtime dependencies of followthrough, pinned: what Heroku-style buildpacks and the
# Dockerfile install. Written by scripts/lock_requirements.py from pyproject.toml and the
# versions installed where the tests passed (Python {python}, Linux); do not edit by hand.
"""


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    with pyproject.open("rb") as handle:
        return [Requirement(text) for text in tomllib.load(handle)["project"]["dependencies"]]


def closure(roots: list[Requirement]) -> dict[str, tuple[str, set[str]]]:
    """Every distribution the roots need on this platform: name -> (installed version, needed by)."""
    found: dict[str, tuple[str, set[str]]] = {}
    wanted_extras: dict[str, set[str]] = defaultdict(set)
    queue: list[tuple[Requirement, str]] = [(req, "pyproject.toml") for req in roots]
    environment = default_environment()
    while queue:
        req, parent = queue.pop()
        name = canonicalize_name(req.name)
        new_extras = set(req.extras) - wanted_extras[name]
        if name in found:
            found[name][1].add(parent)
            if not new_extras:
                continue
        dist = metadata.distribution(req.name)  # PackageNotFoundError: install the project first
        found.setdefault(name, (dist.version, set()))[1].add(parent)
        wanted_extras[name] |= set(req.extras)
        for text in dist.requires or []:
            child = Requirement(text)
            extras = wanted_extras[name] or {""}
            if child.marker is not None and not any(
                    child.marker.evaluate({**environment, "extra": extra}) for extra in extras):
                continue
            queue.append((child, name))
    return found


def render(found: dict[str, tuple[str, set[str]]]) -> str:
    lines = [HEADER.format(python=f"{sys.version_info.major}.{sys.version_info.minor}")]
    for name in sorted(found):
        version, parents = found[name]
        lines.append(f"{name}=={version}")
        via = sorted(parents)
        lines.append("    # via " + via[0] if len(via) == 1 else "    # via\n" + "\n".join(f"    #   {p}" for p in via))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "requirements.txt")
    args = parser.parse_args()
    args.out.write_text(render(closure(runtime_requirements())))
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
