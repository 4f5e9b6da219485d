"""`python -m bench.career_center_stats [--interviews 100000] [--backend sqlite|postgres|both]`:
how long `/interview admin stats` takes for a community with many interviews.

Seeds one community (2 % of the interviews in a second one) with interviews spread over twelve
months, each with a thank-you (most marked sent, some late or missed) and a check-in (half marked
sent), then times the store's aggregate queries and the whole command through Service.handle
(chart included)."""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from bench.seed import fresh_database, sync_engine
from bot.actor import Actor
from bot.service import Service
from storage.models import InterviewRow, ReminderRow, UserRow
from storage.store import SqlStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
COMMUNITY = "T-BENCH"


def seed(url: str, interviews: int, members: int) -> None:
    rng = random.Random(6)
    engine = sync_engine(url)
    users: list[dict[str, Any]] = []
    for m in range(members):
        community = COMMUNITY if m % 50 else "T-OTHER"
        users.append(dict(id=m + 1, platform="slack", community=community, external_id=f"U{m:06d}",
                          created_at=NOW - timedelta(days=400)))
    rows: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    numbers = [0] * members
    for i in range(interviews):
        user = rng.randrange(members)
        numbers[user] += 1
        starts = NOW - timedelta(days=rng.uniform(0, 365))
        status = rng.choice(["active", "active", "rejected", "ghosted", "offer", "withdrawn"])
        rows.append(dict(id=i + 1, user_id=user + 1, number=numbers[user], company=f"Company {i}", role="Role",
                         starts_at=starts, duration=timedelta(hours=1), topics=[], kind=rng.choice(
                             ["interview", "interview", "interview", "informational", "networking", "career-fair"]),
                         status=status, round=1, created_at=starts, heard_at=starts + timedelta(days=20)))
        due = starts + timedelta(hours=25)
        sent = rng.random() < 0.8
        sent_at = starts + timedelta(hours=rng.uniform(2, 40)) if sent else None
        base = dict(interview_id=i + 1, user_id=user + 1, platform="slack", round=1, created_at=starts,
                    delivery="delivered", dm_count=1, attempts=0, user_told=False, version=1)
        steps.append(dict(base, kind="thank-you", status="sent" if sent else "pending", due_at=due,
                          notify_at=None, sent_at=sent_at))
        ci_sent = rng.random() < 0.5
        steps.append(dict(base, kind="check-in", status="sent" if ci_sent else "pending",
                          due_at=starts + timedelta(days=14), notify_at=None,
                          sent_at=starts + timedelta(days=rng.uniform(10, 20)) if ci_sent else None))
    with engine.begin() as conn:
        conn.execute(insert(UserRow), users)
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(InterviewRow), rows[start:start + 10_000])
        for start in range(0, len(steps), 20_000):
            conn.execute(insert(ReminderRow), steps[start:start + 20_000])
    with engine.begin() as conn:  # fresh statistics, as autovacuum would gather them
        if engine.dialect.name == "postgresql":  # the ids were given: move the sequences past them
            for table in ("users", "interviews", "reminders"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


class Clock:
    def now(self) -> datetime:
        return NOW


async def measure(url: str, repeat: int) -> dict[str, float]:
    store = SqlStore(url)
    service = Service(store, Clock())
    admin = Actor("slack", COMMUNITY, "UADMIN", is_admin=True)
    try:
        queries: list[float] = []
        for _ in range(repeat):
            began = time.perf_counter()
            async with store.transaction() as tx:
                stats = await tx.community_stats("slack", COMMUNITY, NOW, since=NOW - timedelta(days=365))
            queries.append(time.perf_counter() - began)
        assert stats.interviews.count > 0
        commands: list[float] = []
        for _ in range(repeat):
            began = time.perf_counter()
            reply = await service.handle(admin, "admin stats")
            commands.append(time.perf_counter() - began)
        assert not reply.error and reply.files, reply.title
    finally:
        await store.close()
    return {"queries_median_s": sorted(queries)[len(queries) // 2],
            "command_median_s": sorted(commands)[len(commands) // 2],
            "interviews_in_community": float(stats.interviews.count)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    for backend in (["sqlite", "postgres"] if args.backend == "both" else [args.backend]):
        with fresh_database(backend) as url:
            began = time.perf_counter()
            seed(url, args.interviews, args.members)
            seeded = time.perf_counter() - began
            result = asyncio.run(measure(url, args.repeat))
        print(f"{backend}: {args.interviews:,} interviews seeded in {seeded:.1f} s; "
              f"{int(result['interviews_in_community']):,} in the community; "
              f"stats queries {result['queries_median_s'] * 1000:.0f} ms, "
              f"whole admin stats command (with chart) {result['command_median_s'] * 1000:.0f} ms (medians)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
