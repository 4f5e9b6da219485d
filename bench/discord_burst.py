"""A morning burst on Discord: N reminder DMs due at once (one per user), delivered by the real
dispatcher (bot/reminders.py) through the real Discord notifier and discord.py, into the local
fake Discord enforcing Discord's global limit of 50 requests per second (429 with `retry_after`
beyond it).

The limit sets a floor: requests needed / 50 per second (a first DM to a user is two requests:
open the DM channel, send). Reported: time to deliver all against that floor, the 429s received,
duplicates (a user who got the same reminder twice) and losses.

    python -m bench discord-burst [--dms 5000] [--rate 50] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections import Counter
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.discord.fake_discord import TOKEN, FakeDiscord


async def bench(dms: int, rate: int, database: str, pace: float | None) -> dict[str, Any]:
    from sqlalchemy import create_engine, select, update

    from adapters.discord.client import FollowthroughBot
    from adapters.discord.notifier import DiscordNotifier
    from bench.seed import delivery_counts, fresh_database, seed
    from bot.ports import SystemClock
    from bot.reminders import Dispatcher
    from bot.service import Service
    from storage.engine import render, sync_url
    from storage.models import UserRow
    from storage.store import SqlStore

    logging.getLogger("discord").setLevel(logging.ERROR)
    async with AsyncExitStack() as stack:
        fake = await FakeDiscord(global_rate=rate).start()
        stack.push_async_callback(fake.close)
        guild = fake.add_guild("Bench Career Center")

        url = stack.enter_context(fresh_database(database))
        seed(url, dms, start=datetime.now(UTC) - timedelta(minutes=1), interviews_per_user=1, platform="discord")
        engine = create_engine(render(sync_url(url)))
        with engine.begin() as conn:
            ids = [int(i) for i in conn.execute(select(UserRow.id).where(UserRow.platform == "discord")).scalars()]
            for user_id in ids:
                conn.execute(update(UserRow).where(UserRow.id == user_id).values(
                    external_id=str(10**17 + user_id), community=str(guild), tz="UTC",
                    quiet_start=None, quiet_end=None))
        engine.dispose()

        store = SqlStore(url)
        stack.push_async_callback(store.close)
        clock = SystemClock()
        service = Service(store, clock, default_tz="UTC")
        bot = FollowthroughBot(service, connector=fake.connector(), guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(TOKEN))

        async def stop_bot() -> None:
            await bot.close()
            try:
                await asyncio.wait_for(task, 5)
            except (Exception, asyncio.CancelledError):
                pass

        stack.push_async_callback(stop_bot)
        await fake.wait_connected()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        notifier = DiscordNotifier(bot, rate=pace if pace is not None else rate * 0.95)
        dispatcher = Dispatcher(store, service.reminder_message, {"discord": notifier}, clock,
                                batch=200, concurrency=16, lease_seconds=120)
        fake.requests = 0
        fake.rate_limited = 0
        started = time.perf_counter()
        deadline = started + max(600.0, dms / rate * 4)
        while time.perf_counter() < deadline:
            await dispatcher.run_once()
            counts = delivery_counts(url, platform="discord")
            if counts.get("waiting", 0) == 0:
                break
            await asyncio.sleep(0.2)  # retries wait for their backoff
        elapsed = time.perf_counter() - started
        counts = delivery_counts(url, platform="discord")

        per_user = Counter(m["channel_id"] for m in fake.dms_sent)
        reminders_seen = Counter((m["channel_id"], m["content"]) for m in fake.dms_sent if m["content"])
        duplicates = sum(n - 1 for n in reminders_seen.values() if n > 1)
        floor = fake.requests / rate
        return {
            "dms": dms, "users reached": len(per_user), "delivered": counts.get("delivered", 0),
            "failed": counts.get("failed", 0), "still waiting": counts.get("waiting", 0),
            "requests": fake.requests, "429s": fake.rate_limited, "duplicates": duplicates,
            "seconds": elapsed, "floor seconds": floor, "over floor": elapsed / floor - 1 if floor else 0.0,
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench discord-burst", description=__doc__.split("\n")[0])
    parser.add_argument("--dms", type=int, default=5_000, help="reminder DMs due at once (default 5,000)")
    parser.add_argument("--rate", type=int, default=50, help="the fake's global limit, requests/s (default 50)")
    parser.add_argument("--pace", type=float, default=None,
                        help="the notifier's own pace, requests/s (default 95%% of --rate)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    result = asyncio.run(bench(args.dms, args.rate, args.database, args.pace))
    print(f"{result['dms']:,} DMs due at once, global limit {args.rate}/s ({args.database})")
    print(f"  delivered {result['delivered']:,}, failed {result['failed']}, still waiting {result['still waiting']}, "
          f"users reached {result['users reached']:,}")
    print(f"  requests {result['requests']:,}: floor {result['floor seconds']:.1f} s; took {result['seconds']:.1f} s "
          f"({result['over floor']:+.1%} over the floor)")
    print(f"  429s received: {result['429s']}; duplicates: {result['duplicates']}")


if __name__ == "__main__":
    main()
