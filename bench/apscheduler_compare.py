"""Side by side: Followthrough's reminders table + dispatcher, against the obvious alternative, one
APScheduler job per reminder in APScheduler's own SQLAlchemyJobStore. Same database kind, same
SQLite settings (WAL, synchronous=NORMAL) for both.

- schedule: time to write N reminders, one transaction each (what N commands would do; an
  APScheduler add_job is one INSERT + COMMIT), and, for the table, one bulk INSERT as well;
- start-up: a fresh process with N reminders pending, from `start()` called to returned, and from
  process launch to started;
- memory: resident set size of that process once started (VmRSS) and its peak (VmHWM).

Each start-up is measured in a process of its own, so that memory is not shared between them.

    python -m bench apscheduler-compare --reminders 100000 --database sqlite
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

from bench.dispatch import PLATFORM, database, worker_env

JOBS_TABLE = "apscheduler_jobs"


FIRED = 0


async def remind(reminder_id: int) -> None:
    """What one APScheduler job runs: here, count itself (the DM would go out here)."""
    global FIRED
    FIRED += 1


def memory_kb() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in kB (Linux)."""
    found: dict[str, int] = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


def _sync_engine(url: str) -> Any:
    from sqlalchemy import event

    from bench.seed import sync_engine

    engine = sync_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA busy_timeout = 15000")
            cursor.close()

    return engine


# ---------------------------------------------------------------------------------------------
# Scheduling


def schedule_apscheduler(url: str, n: int, first_at: datetime) -> float:
    """N add_job calls on a started scheduler: each goes straight to the job store."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.base import BaseScheduler

    class Writer(BaseScheduler):  # type: ignore[misc]
        """A scheduler that only writes jobs to its store (a web process adding reminders)."""

        def wakeup(self) -> None:
            pass

        def shutdown(self, wait: bool = True) -> None:
            super().shutdown(wait)

    engine = _sync_engine(url)
    scheduler = Writer(jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
                       timezone=UTC)
    scheduler.start(paused=True)
    began = time.perf_counter()
    for i in range(n):
        scheduler.add_job(remind, "date", run_date=first_at + timedelta(seconds=i), args=(i,), id=f"r{i}",
                          misfire_grace_time=None)
    took = time.perf_counter() - began
    scheduler.shutdown(wait=False)
    engine.dispose()
    return took


def schedule_table(url: str, n: int, first_at: datetime, *, bulk: bool) -> float:
    """N reminder rows: one INSERT + COMMIT each (what N commands cost), or one bulk INSERT."""
    from sqlalchemy import insert

    from bench.seed import seed
    from storage.models import ReminderRow

    if bulk:
        began = time.perf_counter()
        seed(url, n, start=first_at, spread=timedelta(seconds=n))
        return time.perf_counter() - began
    # The interviews and users the rows belong to exist already in real use: make them first.
    ids = seed(url, 1, start=first_at)  # one user, one interview
    engine = _sync_engine(url)
    now = datetime.now(UTC)
    row = {"interview_id": None, "user_id": None, "platform": PLATFORM, "kind": "check-in", "round": 1,
           "status": "pending", "created_at": now, "delivery": "waiting", "dm_count": 0, "attempts": 0,
           "user_told": False, "version": 1}
    with engine.connect() as conn:
        from sqlalchemy import select

        first = conn.execute(select(ReminderRow.interview_id, ReminderRow.user_id)
                             .where(ReminderRow.id == ids[0])).one()
    row.update(interview_id=first.interview_id, user_id=first.user_id)
    stmt = insert(ReminderRow)
    began = time.perf_counter()
    with engine.connect() as conn:
        for i in range(n - 1):
            at = first_at + timedelta(seconds=i + 1)
            with conn.begin():
                conn.execute(stmt, dict(row, due_at=at, notify_at=at, send_at=at))
    took = time.perf_counter() - began
    engine.dispose()
    return took


# ---------------------------------------------------------------------------------------------
# Start-up, each in a fresh process


async def _start_dispatcher(url: str) -> dict[str, Any]:
    from bench.dispatch import IdLogNotifier, render_ids
    from bot.ports import SystemClock
    from bot.reminders import Dispatcher
    from storage.store import SqlStore

    store = SqlStore(url)
    notifier = IdLogNotifier(os.devnull)
    dispatcher = Dispatcher(store, render_ids, {PLATFORM: notifier}, SystemClock())
    began = time.perf_counter()
    await dispatcher.start()
    started = time.perf_counter() - began
    await asyncio.sleep(1.0)
    figures = {"start_s": started, **memory_kb()}
    await dispatcher.stop()
    await store.close()
    return figures


async def _start_apscheduler(url: str) -> dict[str, Any]:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    engine = _sync_engine(url)
    scheduler = AsyncIOScheduler(jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
                                 timezone=UTC)
    began = time.perf_counter()
    scheduler.start()
    started = time.perf_counter() - began
    await asyncio.sleep(1.0)
    figures = {"start_s": started, **memory_kb()}
    scheduler.shutdown(wait=False)
    engine.dispose()
    return figures


async def _overdue_dispatcher(url: str, n: int) -> dict[str, Any]:
    from bench.dispatch import IdLogNotifier, render_ids
    from bot.ports import SystemClock
    from bot.reminders import Dispatcher
    from storage.store import SqlStore

    store = SqlStore(url)
    notifier = IdLogNotifier(os.devnull)
    dispatcher = Dispatcher(store, render_ids, {PLATFORM: notifier}, SystemClock())
    began = time.perf_counter()
    await dispatcher.start()
    while notifier.delivered < n and time.perf_counter() - began < 300:
        await asyncio.sleep(0.02)
    figures = {"all_fired_s": time.perf_counter() - began, "fired": notifier.delivered, **memory_kb()}
    await dispatcher.stop()
    await store.close()
    return figures


async def _overdue_apscheduler(url: str, n: int) -> dict[str, Any]:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    engine = _sync_engine(url)
    scheduler = AsyncIOScheduler(jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
                                 timezone=UTC)
    import bench.apscheduler_compare as jobs  # the module the jobs name (this one may be __main__)

    began = time.perf_counter()
    scheduler.start()
    while jobs.FIRED < n and time.perf_counter() - began < 300:
        await asyncio.sleep(0.02)
    figures = {"all_fired_s": time.perf_counter() - began, "fired": jobs.FIRED, **memory_kb()}
    scheduler.shutdown(wait=False)
    engine.dispose()
    return figures


def _child(which: str, url: str, launched: float, n: int) -> None:
    if which == "table-overdue":
        figures = asyncio.run(_overdue_dispatcher(url, n))
    elif which == "apscheduler-overdue":
        figures = asyncio.run(_overdue_apscheduler(url, n))
    else:
        figures = asyncio.run(_start_dispatcher(url) if which == "table" else _start_apscheduler(url))
        figures["launch_to_started_s"] = time.time() - launched - 1.0  # minus the 1 s settle
    print(json.dumps(figures), flush=True)


def start_in_process(which: str, url: str, n: int = 0) -> dict[str, Any]:
    launched = time.time()
    out = subprocess.run([sys.executable, "-m", "bench.apscheduler_compare", "child", which, url, str(launched),
                          str(n)],
                         env=worker_env(), stdout=subprocess.PIPE, text=True, check=True, timeout=900)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "n/a"


def bench_compare(n: int, database_spec: str, overdue: int) -> dict[str, Any]:
    first_at = datetime.now(UTC) + timedelta(days=1)
    with database(database_spec) as url:
        aps_schedule = schedule_apscheduler(url, n, first_at)
        table_schedule = schedule_table(url, n, first_at, bulk=False)
        aps_start = start_in_process("apscheduler", url)
        table_start = start_in_process("table", url)
    with database(database_spec) as url:
        table_bulk = schedule_table(url, n, first_at, bulk=True)
    result: dict[str, Any] = {
        "reminders": n,
        "schedule_s": {"apscheduler": aps_schedule, "table": table_schedule, "table_bulk": table_bulk},
        "start": {"apscheduler": aps_start, "table": table_start},
    }
    if overdue:
        # Back from downtime: `overdue` reminders past due at start-up, each fired once.
        past = datetime.now(UTC) - timedelta(days=3)
        with database(database_spec) as url:
            schedule_apscheduler(url, overdue, past)
            aps_overdue = start_in_process("apscheduler-overdue", url, overdue)
        with database(database_spec) as url:
            schedule_table(url, overdue, past, bulk=True)
            table_overdue = start_in_process("table-overdue", url, overdue)
        result["overdue"] = {"n": overdue, "apscheduler": aps_overdue, "table": table_overdue}
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reminders", type=int, default=100_000, help="pending reminders (default 100000)")
    parser.add_argument("--database", default="sqlite", help="a URL, or `sqlite` / `postgres` (default sqlite)")
    parser.add_argument("--overdue", type=int, default=10_000,
                        help="also: this many overdue at start-up (after downtime), time until all fired (0: skip)")


def main(args: argparse.Namespace) -> int:
    r = bench_compare(args.reminders, args.database, args.overdue)
    n = r["reminders"]
    s, st = r["schedule_s"], r["start"]
    a, t = st["apscheduler"], st["table"]
    print(f"{n} pending reminders on {args.database.split(':')[0]}")
    print(f"{'':34}{'APScheduler jobs':>18}{'reminders table':>18}{'ratio':>8}")
    print(f"{'schedule, one commit each (s)':34}{s['apscheduler']:18.2f}{s['table']:18.2f}"
          f"{_ratio(s['apscheduler'], s['table']):>8}")
    print(f"{'schedule, bulk insert (s)':34}{'-':>18}{s['table_bulk']:18.2f}"
          f"{_ratio(s['apscheduler'], s['table_bulk']):>8}")
    print(f"{'start() (ms)':34}{a['start_s'] * 1000:18.1f}{t['start_s'] * 1000:18.1f}"
          f"{_ratio(a['start_s'], t['start_s']):>8}")
    print(f"{'launch to started (s)':34}{a['launch_to_started_s']:18.2f}{t['launch_to_started_s']:18.2f}"
          f"{_ratio(a['launch_to_started_s'], t['launch_to_started_s']):>8}")
    print(f"{'RSS started (MB)':34}{a['VmRSS'] / 1024:18.1f}{t['VmRSS'] / 1024:18.1f}"
          f"{_ratio(a['VmRSS'], t['VmRSS']):>8}")
    print(f"{'RSS peak (MB)':34}{a['VmHWM'] / 1024:18.1f}{t['VmHWM'] / 1024:18.1f}"
          f"{_ratio(a['VmHWM'], t['VmHWM']):>8}")
    if "overdue" in r:
        o = r["overdue"]
        a, t = o["apscheduler"], o["table"]
        print(f"{o['n']} overdue at start-up (back from downtime):")
        print(f"{'  all fired (s)':34}{a['all_fired_s']:18.2f}{t['all_fired_s']:18.2f}"
              f"{_ratio(a['all_fired_s'], t['all_fired_s']):>8}")
        print(f"{'  fired':34}{a['fired']:18d}{t['fired']:18d}")
        print(f"{'  RSS peak (MB)':34}{a['VmHWM'] / 1024:18.1f}{t['VmHWM'] / 1024:18.1f}"
              f"{_ratio(a['VmHWM'], t['VmHWM']):>8}")
    print("ratio = APScheduler / reminders table (above 1: the table is faster or smaller)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _child(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
    else:
        parser = argparse.ArgumentParser(prog="python -m bench.apscheduler_compare")
        add_arguments(parser)
        sys.exit(main(parser.parse_args()))
