"""The core's figures: `/interview add` and `list` through the service on a database with
100,000 interviews of 1,000 users, and the console's start-up time to its first prompt."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pty
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select as sql_select

from bench.figures import p50_p99
from bench.seed import fresh_database, seed, sync_engine
from bot.actor import Actor
from bot.entry.database import checkpoint_periodically
from bot.ports import SystemClock
from bot.service import Service
from storage.models import UserRow
from storage.store import SqlStore

ROOT = Path(__file__).resolve().parents[1]


async def measure_service(url: str, requests: int, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """p50 and p99 of each command over `rounds` rounds of `requests` requests, alternating
    commands round by round, so that a stretch of noise on a shared machine shows as one bad round
    of each rather than in one command's figures only."""
    engine = sync_engine(url)
    with engine.connect() as conn:
        users = list(conn.execute(sql_select(UserRow.platform, UserRow.community, UserRow.external_id)).all())
    engine.dispose()
    store = SqlStore(url)
    service = Service(store, SystemClock(), default_tz="Europe/Berlin")
    checkpoints = asyncio.create_task(checkpoint_periodically(store))  # as every runtime does
    rng = random.Random(7)
    results: dict[str, list[tuple[float, float]]] = {"list": [], "add": []}
    add = ("add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm; "
           "with: Ms. Jane Richardson <jane@horizon.example> about the launch")
    commands = {"list": "list", "add": add}
    try:
        # Warm-up: each member's first command of the day also records that they were seen.
        for platform, community, external in users:
            await service.handle(Actor(platform, community, external), "help")
        for _ in range(rounds):
            for name, command in commands.items():
                times: list[float] = []
                for i in range(requests + 50):
                    platform, community, external = rng.choice(users)
                    actor = Actor(platform, community, external)
                    started = time.perf_counter()
                    reply = await service.handle(actor, command)
                    elapsed = (time.perf_counter() - started) * 1000
                    if reply.error:
                        raise SystemExit(f"{command!r} failed: {reply.title}")
                    if i >= 50:  # warm-up
                        times.append(elapsed)
                results[name].append(p50_p99(times))
    finally:
        checkpoints.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await checkpoints
        await store.close()
    return results


def console_startup(runs: int = 5) -> float:
    """Seconds from starting `python -m bot console` in a terminal to its first prompt (median)."""
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/ft.db"}
            for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "SLACK_APP_TOKEN"):
                env.pop(name, None)
            leader, follower = pty.openpty()
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "bot", "console", "--user", "bench"], cwd=ROOT, env=env,
                                    stdin=follower, stdout=follower, stderr=follower)
            seen = b""
            try:
                while b"followthrough>" not in seen:
                    ready, _, _ = select.select([leader], [], [], 20)
                    if not ready:
                        raise SystemExit("the console printed no prompt within 20 s")
                    seen += os.read(leader, 4096)
                samples.append(time.perf_counter() - started)
            finally:
                proc.terminate()
                proc.wait(10)
                os.close(leader)
                os.close(follower)
    return statistics.median(samples)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=1_000, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres, or a URL")
    parser.add_argument("--skip-startup", action="store_true")


def main(args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    spec = args.database
    context = fresh_database(spec) if spec in ("sqlite", "postgres") else nullcontext(spec)
    with context as url:
        started = time.perf_counter()
        seed(url, args.interviews * 2, steps_per_interview=2,
             interviews_per_user=max(1, args.interviews // args.users), platform="console")
        print(f"seeded {args.interviews:,} interviews of {args.users:,} users in {time.perf_counter() - started:.1f} s")
        results = asyncio.run(measure_service(url, args.requests, args.rounds))
    for name, figures in results.items():
        p50s, p99s = sorted(f[0] for f in figures), sorted(f[1] for f in figures)
        print(f"/interview {name}: p50={statistics.median(p50s):.2f} ms p99={statistics.median(p99s):.2f} ms "
              f"(medians of {args.rounds} rounds of {args.requests} requests; "
              f"p50 {p50s[0]:.2f}–{p50s[-1]:.2f}, p99 {p99s[0]:.2f}–{p99s[-1]:.2f} ms)")
    if not args.skip_startup:
        print(f"console start-up to first prompt: {console_startup():.2f} s (median of 5)")
    return 0
