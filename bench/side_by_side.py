"""`bench core`'s add and list figures for this checkout and another (an older commit in its own
worktree and venv), measured in turns: before, after, after, before, ... on the same machine in one
run, so that a shared machine's noise falls on both alike. Each side seeds its own database (with
its own migrations) once; every turn starts from a fresh copy of it.

    git worktree add --detach ../before <commit>
    (cd ../before && python -m venv .venv && .venv/bin/pip install -e .)
    python -m bench side-by-side --before ../before
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SEED = """
import sys
from bench.seed import create_schema, seed
url, interviews, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
create_schema(url)
seed(url, interviews * 2, steps_per_interview=2, interviews_per_user=max(1, interviews // users), platform="console")
"""

_MEASURE = """
import asyncio, json, sys
from bench.core import measure_service
print(json.dumps(asyncio.run(measure_service(sys.argv[1], int(sys.argv[2]), 1))))
"""


def _python(checkout: Path) -> str:
    venv = checkout / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _run(checkout: Path, code: str, *args: str) -> str:
    done = subprocess.run([_python(checkout), "-c", code, *args], cwd=checkout, capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise SystemExit(f"{checkout}: {done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--before", required=True, type=Path, help="the other checkout (with its own .venv)")
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=1_000, help="per command and turn")
    parser.add_argument("--pairs", type=int, default=6)


def main(args: argparse.Namespace) -> int:
    sides = {"before": args.before.resolve(), "after": ROOT}
    with tempfile.TemporaryDirectory(prefix="ft-side-by-side-") as folder:
        seeded = {name: Path(folder) / f"{name}.seeded.db" for name in sides}
        for name, checkout in sides.items():
            _run(checkout, _SEED, f"sqlite:///{seeded[name]}", str(args.interviews), str(args.users))
        print(f"{'pair':>4} {'side':6} {'load':>5}  {'list p50':>8} {'list p99':>8}  {'add p50':>8} {'add p99':>8}")
        for pair in range(args.pairs):
            for name in ("before", "after") if pair % 2 == 0 else ("after", "before"):
                turn = Path(folder) / f"{name}.db"
                for leftover in (turn, turn.with_name(turn.name + "-wal"), turn.with_name(turn.name + "-shm")):
                    leftover.unlink(missing_ok=True)
                shutil.copy(seeded[name], turn)
                load = os.getloadavg()[0]
                figures = json.loads(_run(sides[name], _MEASURE, f"sqlite:///{turn}", str(args.requests)))
                (list_p50, list_p99), (add_p50, add_p99) = figures["list"][0], figures["add"][0]
                print(f"{pair:>4} {name:6} {load:5.2f}  {list_p50:8.2f} {list_p99:8.2f}  {add_p50:8.2f} {add_p99:8.2f}",
                      flush=True)
    return 0
