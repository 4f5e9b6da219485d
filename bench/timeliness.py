"""Timeliness: the delay between a reminder's due time and its delivery, p50 / p99 / max, for
reminders spread over a minute, one dispatcher driven by its real scheduler (APScheduler wakes it at
each next due time; no polling).

    python -m bench timeliness --reminders 10000 --spread 60 --database sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.dispatch import PLATFORM, database, render_ids
from bot.ports import DeliveryResult, Recipient, SystemClock
from bot.replies import Reply


@dataclass
class TimingNotifier:
    """A no-op notifier that notes when each reminder id was delivered."""

    platform: str = PLATFORM
    at: dict[int, float] = field(default_factory=dict)
    repeats: int = 0

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        now = time.time()
        for word in message.sections[0].text.split():
            step_id = int(word)
            if step_id in self.at:
                self.repeats += 1
            self.at[step_id] = now
        return DeliveryResult.delivered()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def _measure(
    url: str, ids: range, timeout: float, concurrency: int
) -> tuple[TimingNotifier, dict[int, datetime]]:
    from sqlalchemy import select

    from bot.reminders import Dispatcher
    from storage.models import ReminderRow
    from storage.store import SqlStore

    store = SqlStore(url)
    notifier = TimingNotifier()
    dispatcher = Dispatcher(store, render_ids, {PLATFORM: notifier}, SystemClock(), concurrency=concurrency)
    await dispatcher.start()
    try:
        deadline = time.monotonic() + timeout
        while len(notifier.at) < len(ids) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
    finally:
        await dispatcher.stop()
    async with store.engine.connect() as conn:
        due = {
            row.id: row.notify_at
            for row in await conn.execute(
                select(ReminderRow.id, ReminderRow.notify_at).where(ReminderRow.platform == PLATFORM)
            )
        }
    await store.close()
    return notifier, due


@dataclass
class Timeliness:
    delivered: int
    expected: int
    repeats: int
    p50: float
    p99: float
    worst: float
    early: int

    def line(self) -> str:
        return (f"delivered={self.delivered}/{self.expected} repeats={self.repeats} early={self.early} "
                f"p50={self.p50 * 1000:.0f}ms p99={self.p99 * 1000:.0f}ms max={self.worst * 1000:.0f}ms")


def bench_timeliness(reminders: int, spread: float, database_spec: str, *, lead: float = 3.0,
                     concurrency: int = 16) -> Timeliness:
    from bench.seed import seed

    with database(database_spec) as url:
        start = datetime.now(UTC) + timedelta(seconds=lead + 2.0)
        ids = seed(url, reminders, start=start, spread=timedelta(seconds=spread))
        notifier, due = asyncio.run(_measure(url, ids, timeout=lead + spread + 60, concurrency=concurrency))
    delays = [notifier.at[i] - due[i].timestamp() for i in ids if i in notifier.at]
    return Timeliness(
        delivered=len(delays), expected=len(ids), repeats=notifier.repeats,
        p50=percentile(delays, 0.50), p99=percentile(delays, 0.99), worst=max(delays, default=float("nan")),
        early=sum(1 for d in delays if d < 0),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reminders", type=int, default=10_000, help="reminders (default 10000)")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds they are spread over (default 60)")
    parser.add_argument("--database", default="sqlite", help="a URL, or `sqlite` / `postgres` (default sqlite)")
    parser.add_argument("--concurrency", type=int, default=16, help="DMs in flight")


def main(args: argparse.Namespace) -> int:
    result = bench_timeliness(args.reminders, args.spread, args.database, concurrency=args.concurrency)
    print(f"{args.reminders} reminders due over {args.spread:g} s, one dispatcher on {args.database.split(':')[0]}")
    print(result.line())
    return 0 if result.delivered == result.expected and result.repeats == 0 and result.early == 0 else 1
