"""Time from an INTERACTION_CREATE for `/interview list` to the bot's interaction callback, with
100,000 interviews stored (1,000 users, 100 each), against the local fake Discord.

Measured the same way for two bots (sequential interactions; the clock starts when the fake
writes the INTERACTION_CREATE frame to the gateway and stops when the callback request reaches
its REST API):

- followthrough: the real bot (discord.py, the core, SQLite or PostgreSQL); the answer carries
  the user's list (embeds split within Discord's limits; the callback is the first message);
- reference: a bare discord.py bot whose /interview list answers a constant from memory.

    python -m bench discord-list [--interviews 100000] [--users 1000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import time
from contextlib import AsyncExitStack
from typing import Any

import discord
from discord import app_commands

from tests.discord.fake_discord import TOKEN, FakeDiscord


def _percentiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return statistics.median(times), cuts[98]


class BareBot(discord.Client):
    """The reference: discord.py answering /interview list from memory."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.none(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        group = app_commands.Group(name="interview", description="reference")

        @group.command(name="list", description="reference")
        async def list_(interaction: discord.Interaction[Any]) -> None:
            await interaction.response.send_message("Your active interviews: none", ephemeral=True)

        self.tree.add_command(group)


async def _run_bot(fake: FakeDiscord, bot: discord.Client, stack: AsyncExitStack) -> None:
    fake.shards.clear()
    task = asyncio.create_task(bot.start(TOKEN))

    async def stop() -> None:
        await bot.close()
        try:
            await asyncio.wait_for(task, 5)
        except (Exception, asyncio.CancelledError):
            pass

    stack.push_async_callback(stop)
    await fake.wait_connected()
    await asyncio.wait_for(bot.wait_until_ready(), 10)


async def _measure(fake: FakeDiscord, users: list[int], guild: int, n: int, expect: str | None) -> list[float]:
    rng = random.Random(7)
    times: list[float] = []
    for _ in range(n):
        record = await fake.slash(rng.choice(users), "interview list", guild_id=guild, settle=0)
        times.append(record.latency * 1000)
        if expect is not None and expect not in record.text():
            raise SystemExit(f"the answer does not list the interviews: {record.text()[:300]!r}")
    return times


async def bench(interviews: int, users: int, requests: int, database: str) -> list[tuple[str, float, float]]:
    from sqlalchemy import create_engine, select, update

    from adapters.discord.client import FollowthroughBot
    from adapters.discord.run import configure_api
    from bench.seed import fresh_database, seed
    from bot.actor import Actor
    from bot.ports import SystemClock
    from bot.service import Service
    from storage.engine import render, sync_url
    from storage.models import UserRow
    from storage.store import SqlStore

    logging.getLogger("discord").setLevel(logging.WARNING)
    results: list[tuple[str, float, float]] = []
    async with AsyncExitStack() as stack:
        fake = await FakeDiscord().start()
        stack.push_async_callback(fake.close)
        configure_api(fake.api_url)
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = discord.gateway.yarl.URL(fake.gateway_url)
        guild = fake.add_guild("Bench Career Center")

        # the reference, measured the same way
        async with AsyncExitStack() as ref:
            await _run_bot(fake, BareBot(), ref)
            member = fake.add_user("reference")
            await _measure(fake, [member], guild, 50, None)
            results.append(("bare discord.py bot answering from memory",
                            *_percentiles(await _measure(fake, [member], guild, requests, None))))

        url = stack.enter_context(fresh_database(database))
        started = time.perf_counter()
        seed(url, interviews, interviews_per_user=max(1, interviews // users), platform="discord")
        engine = create_engine(render(sync_url(url)))
        with engine.begin() as conn:
            ids = [int(i) for i in conn.execute(select(UserRow.id).where(UserRow.platform == "discord")).scalars()]
            for user_id in ids:  # Discord user ids are snowflakes, the community is the guild
                conn.execute(update(UserRow).where(UserRow.id == user_id).values(
                    external_id=str(10**17 + user_id), community=str(guild), tz="UTC"))
        engine.dispose()
        print(f"seeded {interviews:,} interviews of {len(ids):,} users in {time.perf_counter() - started:.1f} s")
        people = []
        for user_id in ids:
            snowflake = 10**17 + user_id
            fake.users[snowflake] = fake.user_payload(snowflake, f"user{user_id}")
            people.append(snowflake)

        store = SqlStore(url)
        stack.push_async_callback(store.close)
        service = Service(store, SystemClock(), default_tz="UTC")
        await _run_bot(fake, FollowthroughBot(service, gateway_from_api=True, guild_ready_timeout=0.05), stack)
        for person in people:  # warm-up: each user once (the database's cache, discord.py's user cache)
            await _measure(fake, [person], guild, 1, "Company")
        times = await _measure(fake, people, guild, requests, "Company")
        per_user = interviews // max(1, len(people))
        results.insert(0, (f"followthrough /interview list ({per_user} interviews each)", *_percentiles(times)))
        # the core alone, the same users and command, without Discord: what the adapter adds is the rest
        rng = random.Random(7)
        core: list[float] = []
        for _ in range(requests):
            person = rng.choice(people)
            actor = Actor(platform="discord", community=str(guild), external_id=str(person))
            started = time.perf_counter()
            await service.handle(actor, "list")
            core.append((time.perf_counter() - started) * 1000)
        results.insert(1, ("  of which the core alone (service.handle, no Discord)", *_percentiles(core)))
        if fake.rejections:
            raise SystemExit(f"the fake rejected: {fake.rejections[:3]}")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench discord-list", description=__doc__.split("\n")[0])
    parser.add_argument("--interviews", type=int, default=100_000, help="interviews stored (default 100,000)")
    parser.add_argument("--users", type=int, default=1_000, help="users they belong to (default 1,000)")
    parser.add_argument("--requests", type=int, default=2_000, help="measured interactions per bot (default 2,000)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    results = asyncio.run(bench(args.interviews, args.users, args.requests, args.database))
    print(f"{'INTERACTION_CREATE -> callback, 127.0.0.1':58} {'p50 ms':>8} {'p99 ms':>8}")
    for name, p50, p99 in results:
        print(f"{name:58} {p50:8.2f} {p99:8.2f}")


if __name__ == "__main__":
    main()
