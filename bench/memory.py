"""Resident memory of a dispatcher process with a million pending reminders in the database.

The parent seeds the database (`--pending` reminders due over the next 30 days, plus `--due` due
now, a backlog the dispatcher delivers first), then starts one dispatcher process with its real
scheduler; once the backlog is delivered and it idles, the process reports its RSS and its peak.

    python -m bench memory --pending 1000000 --database postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.apscheduler_compare import memory_kb
from bench.dispatch import PLATFORM, IdLogNotifier, database, render_ids, worker_env

TARGET_MB = 150


async def _dispatcher_process(url: str, due: int, settle: float) -> dict[str, Any]:
    from bot.ports import SystemClock
    from bot.reminders import Dispatcher
    from storage.store import SqlStore

    before = memory_kb()
    store = SqlStore(url)
    notifier = IdLogNotifier(os.devnull)
    dispatcher = Dispatcher(store, render_ids, {PLATFORM: notifier}, SystemClock())
    began = time.perf_counter()
    await dispatcher.start()
    deadline = time.monotonic() + 600
    while notifier.delivered < due and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    backlog_s = time.perf_counter() - began
    await asyncio.sleep(settle)
    figures = {"delivered": notifier.delivered, "backlog_s": backlog_s, "imports_kb": before["VmRSS"], **memory_kb()}
    await dispatcher.stop()
    notifier.close()
    await store.close()
    return figures


def bench_memory(pending: int, due: int, database_spec: str, settle: float = 2.0) -> dict[str, Any]:
    from bench.seed import seed

    with database(database_spec) as url:
        began = time.perf_counter()
        seed(url, pending, start=datetime.now(UTC) + timedelta(hours=1), spread=timedelta(days=30))
        if due:
            seed(url, due, start=datetime.now(UTC) - timedelta(minutes=5))
        seeded_s = time.perf_counter() - began
        out = subprocess.run(
            [sys.executable, "-m", "bench.memory", "child", url, str(due), str(settle)],
            env=worker_env(), stdout=subprocess.PIPE, text=True, check=True, timeout=900,
        )
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    figures["seeded_s"] = seeded_s
    return figures


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pending", type=int, default=1_000_000, help="future reminders (default 1000000)")
    parser.add_argument("--due", type=int, default=10_000, help="reminders due at start-up (default 10000)")
    parser.add_argument("--database", default="postgres", help="a URL, or `sqlite` / `postgres` (default postgres)")


def main(args: argparse.Namespace) -> int:
    f = bench_memory(args.pending, args.due, args.database)
    rss, peak = f["VmRSS"] / 1024, f["VmHWM"] / 1024
    print(f"{args.pending} pending + {args.due} due reminders on {args.database.split(':')[0]} "
          f"(seeded in {f['seeded_s']:.1f} s)")
    print(f"backlog of {f['delivered']} delivered in {f['backlog_s']:.2f} s")
    print(f"rss={rss:.1f}MB peak={peak:.1f}MB (after imports: {f['imports_kb'] / 1024:.1f}MB; target < {TARGET_MB}MB)")
    return 0 if peak < TARGET_MB else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        print(json.dumps(asyncio.run(_dispatcher_process(sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))))
    else:
        parser = argparse.ArgumentParser(prog="python -m bench.memory")
        add_arguments(parser)
        sys.exit(main(parser.parse_args()))
