"""Dispatch throughput: N dispatcher processes over M due reminders, into a no-op notifier that
writes each delivered reminder id to its process's own file (so duplicates and losses are
counted by id, even across a SIGKILL).

    python -m bench dispatch --processes 4 --reminders 20000 --database postgres
    ...
    delivered=20000 duplicates=0 lost=0 rate=5123/s

`--database` takes a URL (its schema is created if missing; the benchmark's rows are removed at
the end) or `sqlite` / `postgres` for a throwaway database.

The worker (`python -m bench.dispatch worker ...`) is also what the multi-process tests run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.ports import DeliveryResult, Recipient, SystemClock
from bot.replies import Reply, Section

PLATFORM = "bench"


# ---------------------------------------------------------------------------------------------
# The worker: one dispatcher process


async def render_ids(interview_id: int, step_ids: list[int], now: datetime) -> Reply:
    """A stand-in for the service's reminder_message: the DM names the reminders it is for."""
    return Reply(title=f"interview {interview_id}", sections=[Section(" ".join(map(str, step_ids)))])


@dataclass
class IdLogNotifier:
    """A no-op notifier that appends each delivered reminder id to a file (one write per DM,
    unbuffered: what it wrote survives a SIGKILL)."""

    path: str
    platform: str = PLATFORM
    delay: float = 0.0  # seconds per DM, to stand in for a platform's latency (after it has the DM)
    fd: int = field(init=False)
    delivered: int = 0

    def __post_init__(self) -> None:
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        ids = message.sections[0].text.split()
        os.write(self.fd, ("\n".join(ids) + "\n").encode())  # the platform has the DM ...
        self.delivered += len(ids)
        if self.delay:
            await asyncio.sleep(self.delay)  # ... and its answer takes a while to come back
        return DeliveryResult.delivered()

    def close(self) -> None:
        os.close(self.fd)


async def _waiting_left(store: Any, platform: str) -> int:
    """Reminders of the platform still to deliver: due now, or to be tried again later (a send that
    timed out on a loaded machine waits its backoff; a worker that stopped then would lose it)."""
    from sqlalchemy import func, select

    from storage.models import ReminderRow

    async with store.engine.connect() as conn:
        count = (await conn.execute(
            select(func.count()).select_from(ReminderRow).where(
                ReminderRow.platform == platform, ReminderRow.delivery == "waiting",
            )
        )).scalar_one()
    return int(count)


async def run_worker(
    url: str, out: str, *, batch: int = 200, lease: float = 60.0, concurrency: int = 16,
    delay: float = 0.0, start_at: float | None = None, platform: str = PLATFORM, pool_size: int = 10,
    keys: bool = True,
) -> dict[str, Any]:
    """Deliver every due reminder of `platform`, then return this worker's figures."""
    from bot.reminders import Dispatcher
    from storage.store import SqlStore

    options: dict[str, Any] = {}
    if not url.startswith("sqlite"):
        options = {"pool_size": pool_size, "max_overflow": 0}
    store = SqlStore(url, **options)
    if platform in ("discord", "slack"):  # the real notifier, to the fake named by the environment
        from bench.discord_worker import real_notifier

        notifier: Any = real_notifier(platform, delay=delay, keys=keys)
    else:
        notifier = IdLogNotifier(out, platform=platform, delay=delay)
    dispatcher = Dispatcher(store, render_ids, {platform: notifier}, SystemClock(), batch=batch,
                            lease_seconds=lease, concurrency=concurrency)
    await store.next_send_at(frozenset({platform}))  # connect before the clock starts
    if start_at is not None:
        await asyncio.sleep(max(0.0, start_at - time.time()))
    cpu_before = time.process_time()
    began = time.time()
    last = began
    try:
        while True:
            stats = await dispatcher.run_once()
            if stats.claimed:
                last = time.time()
                continue
            if await _waiting_left(store, platform) == 0:
                break
            await asyncio.sleep(0.05)  # another worker holds them, a lease or a retry's wait has yet to run out
    finally:
        notifier.close()
        await store.close()
    totals = dispatcher.totals
    return {
        "pid": os.getpid(), "began": began, "finished": last, "claimed": totals.claimed,
        "delivered": totals.delivered, "retried": totals.retried, "failed": totals.failed,
        "skipped": totals.skipped, "cpu_s": time.process_time() - cpu_before,
    }


def _worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dispatch worker")
    parser.add_argument("--database", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--lease", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--start-at", type=float, default=None)
    parser.add_argument("--platform", default=PLATFORM)
    parser.add_argument("--no-dm-keys", action="store_true", help="send without the DMs' keys (the old way)")
    args = parser.parse_args(argv)
    figures = asyncio.run(run_worker(
        args.database, args.out, batch=args.batch, lease=args.lease, concurrency=args.concurrency,
        delay=args.delay, start_at=args.start_at, platform=args.platform, keys=not args.no_dm_keys,
    ))
    print(json.dumps(figures), flush=True)


def worker_command(url: str, out: str, *, batch: int = 200, lease: float = 60.0, concurrency: int = 16,
                   delay: float = 0.0, start_at: float | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "bench.dispatch", "worker", "--database", url, "--out", out,
           "--batch", str(batch), "--lease", str(lease), "--concurrency", str(concurrency),
           "--delay", str(delay)]
    if start_at is not None:
        cmd += ["--start-at", str(start_at)]
    return cmd


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# ---------------------------------------------------------------------------------------------
# Counting


@dataclass
class Tally:
    expected: int
    delivered: int  # distinct reminders delivered
    duplicates: int  # deliveries beyond the first, over all reminders
    lost: int  # seeded reminders never delivered
    counts: Counter[int]

    def line(self, rate: float) -> str:
        return f"delivered={self.delivered} duplicates={self.duplicates} lost={self.lost} rate={rate:.0f}/s"


def read_ids(paths: list[str]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for path in paths:
        if os.path.exists(path):
            with open(path) as fh:
                counts.update(int(line) for line in fh if line.strip())
    return counts


def tally(ids: range, paths: list[str]) -> Tally:
    counts = read_ids(paths)
    wanted = set(ids)
    delivered = sum(1 for i in wanted if counts[i] > 0)
    duplicates = sum(c - 1 for i, c in counts.items() if c > 1)
    return Tally(expected=len(wanted), delivered=delivered, duplicates=duplicates,
                 lost=len(wanted) - delivered, counts=counts)


# ---------------------------------------------------------------------------------------------
# The benchmark


@contextmanager
def database(spec: str) -> Iterator[str]:
    """`sqlite` / `postgres`: a throwaway database; a URL: that database, bench rows removed after."""
    from bench.seed import create_schema, fresh_database

    if spec in ("sqlite", "postgres"):
        with fresh_database(spec) as url:
            yield url
        return
    create_schema(spec)
    try:
        yield spec
    finally:
        remove_bench_rows(spec)


def remove_bench_rows(url: str, platform: str = PLATFORM) -> None:
    from sqlalchemy import delete

    from bench.seed import sync_engine
    from storage.models import InterviewRow, ReminderRow, UserRow

    engine = sync_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(delete(ReminderRow).where(ReminderRow.platform == platform))
            mine = UserRow.platform == platform
            conn.execute(delete(InterviewRow).where(InterviewRow.user_id.in_(
                UserRow.__table__.select().with_only_columns(UserRow.id).where(mine))))
            conn.execute(delete(UserRow).where(mine))
    finally:
        engine.dispose()


@dataclass
class DispatchRun:
    processes: int
    reminders: int
    seconds: float
    tally: Tally
    workers: list[dict[str, Any]]

    @property
    def rate(self) -> float:
        return self.tally.delivered / self.seconds if self.seconds > 0 else 0.0


def run_processes(url: str, processes: int, ids: range, *, batch: int = 200, lease: float = 60.0,
                  concurrency: int = 16, delay: float = 0.0, timeout: float = 600.0) -> DispatchRun:
    """Start `processes` workers together over `url`, wait for them, count deliveries by id."""
    with tempfile.TemporaryDirectory(prefix="ft-dispatch-") as folder:
        outs = [os.path.join(folder, f"worker-{n}.ids") for n in range(processes)]
        start_at = time.time() + 2.0 + 0.5 * processes  # time to import and connect
        procs = [
            subprocess.Popen(worker_command(url, out, batch=batch, lease=lease, concurrency=concurrency,
                                            delay=delay, start_at=start_at),
                             stdout=subprocess.PIPE, env=worker_env(), text=True)
            for out in outs
        ]
        workers: list[dict[str, Any]] = []
        for proc in procs:
            stdout, _ = proc.communicate(timeout=timeout)
            if proc.returncode != 0:
                raise RuntimeError(f"a dispatcher worker exited with {proc.returncode}")
            workers.append(json.loads(stdout.strip().splitlines()[-1]))
        result = tally(ids, outs)
    begin = min(w["began"] for w in workers)
    end = max(w["finished"] for w in workers)
    return DispatchRun(processes, len(ids), max(end - begin, 1e-9), result, workers)


def bench_dispatch(processes: int, reminders: int, database_spec: str, *, batch: int = 200,
                   concurrency: int = 16, steps_per_interview: int = 1, delay: float = 0.0) -> DispatchRun:
    from bench.seed import seed

    with database(database_spec) as url:
        ids = seed(url, reminders, steps_per_interview=steps_per_interview)
        return run_processes(url, processes, ids, batch=batch, concurrency=concurrency, delay=delay)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--processes", type=int, default=1, help="dispatcher processes (default 1)")
    parser.add_argument("--reminders", type=int, default=10_000, help="due reminders (default 10000)")
    parser.add_argument("--database", default="sqlite",
                        help="a database URL, or `sqlite` / `postgres` for a throwaway one (default sqlite)")
    parser.add_argument("--batch", type=int, default=200, help="reminders claimed per round trip")
    parser.add_argument("--concurrency", type=int, default=16, help="DMs in flight per process")
    parser.add_argument("--steps-per-interview", type=int, default=1,
                        help="due steps per interview (folded into one DM)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds the notifier takes per DM")


def main(args: argparse.Namespace) -> int:
    run = bench_dispatch(args.processes, args.reminders, args.database, batch=args.batch,
                         concurrency=args.concurrency, steps_per_interview=args.steps_per_interview,
                         delay=args.delay)
    for w in run.workers:
        print(f"  worker {w['pid']}: claimed={w['claimed']} delivered={w['delivered']} "
              f"skipped={w['skipped']} in {w['finished'] - w['began']:.2f} s, "
              f"cpu {w['cpu_s']:.2f} s ({1000 * w['cpu_s'] / max(1, w['delivered']):.2f} ms per reminder)")
    print(f"{run.processes} process(es), {run.reminders} reminders, {run.seconds:.2f} s, "
          f"{run.rate / run.processes:.0f}/s per process")
    print(run.tally.line(run.rate))
    return 0 if run.tally.lost == 0 and run.tally.duplicates == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        _worker_main(sys.argv[2:])
    else:
        parser = argparse.ArgumentParser(prog="python -m bench.dispatch")
        add_arguments(parser)
        sys.exit(main(parser.parse_args()))
