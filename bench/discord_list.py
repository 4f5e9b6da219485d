"""Time from an INTERACTION_CREATE for `/interview list` to the bot's interaction callback, with
100,000 interviews stored (1,000 users, 100 each), against the local fake Discord.

Measured the same way for two bots (sequential interactions, each once the bot has sent the whole
answer to the one before, follow-up messages included; the clock starts when the fake writes the
INTERACTION_CREATE frame to the gateway and stops when the callback request reaches its REST API):

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
import time
from contextlib import AsyncExitStack
from typing import Any

import discord
from discord import app_commands

from bench.figures import p50_p99, print_table
from tests.discord.fake_discord import TOKEN, FakeDiscord


class BareBot(discord.Client):
    """The reference: discord.py answering /interview list from memory."""

    def __init__(self, connector: Any) -> None:
        super().__init__(intents=discord.Intents.none(), guild_ready_timeout=0.05, connector=connector)
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


async def _measure(fake: FakeDiscord, users: list[int], guild: int, n: int, expect: str | None,
                   answers: dict[int, int] | None = None) -> list[float]:
    """Sequential /interview list interactions; each starts once the bot has sent the whole answer
    to the one before (`answers`: how many messages each user's answer takes, learnt in the
    warm-up), so a long list's follow-ups never overlap the next measurement."""
    rng = random.Random(7)
    times: list[float] = []
    for _ in range(n):
        user = rng.choice(users)
        record = await fake.slash(user, "interview list", guild_id=guild, settle=0)
        times.append(record.latency * 1000)
        wanted = (answers or {}).get(user, 1)
        while len(record.messages()) < wanted:
            await fake.wait_changed(record)
        if expect is not None and expect not in record.text():
            raise SystemExit(f"the answer does not list the interviews: {record.text()[:300]!r}")
    return times


async def _learn_answers(fake: FakeDiscord, users: list[int], guild: int) -> dict[int, int]:
    """Warm-up: each user once (the database's cache, discord.py's caches); counts their messages."""
    answers: dict[int, int] = {}
    for user in users:
        record = await fake.slash(user, "interview list", guild_id=guild, settle=0.05)
        answers[user] = len(record.messages())
    return answers


async def bench(interviews: int, users: int, requests: int, database: str) -> list[tuple[str, float, float]]:
    from sqlalchemy import create_engine, select, update

    from adapters.discord.client import FollowthroughBot
    from bench.seed import fresh_database, seed
    from bot.actor import Actor
    from bot.ports import SystemClock
    from bot.replies import Reply
    from bot.service import Service
    from storage.engine import render, sync_url
    from storage.models import UserRow
    from storage.store import SqlStore

    logging.getLogger("discord").setLevel(logging.WARNING)
    results: list[tuple[str, float, float]] = []
    async with AsyncExitStack() as stack:
        fake = await FakeDiscord().start()
        stack.push_async_callback(fake.close)
        guild = fake.add_guild("Bench Career Center")

        # the reference, measured the same way
        async with AsyncExitStack() as ref:
            await _run_bot(fake, BareBot(fake.connector()), ref)
            member = fake.add_user("reference")
            await _measure(fake, [member], guild, 50, None)
            results.append(("bare discord.py bot answering from memory",
                            *p50_p99(await _measure(fake, [member], guild, requests, None))))

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
        in_core: list[float] = []
        handle = service.handle

        async def timed_handle(actor: Actor, text: str) -> Reply:
            started = time.perf_counter()
            try:
                return await handle(actor, text)
            finally:
                in_core.append((time.perf_counter() - started) * 1000)

        service.handle = timed_handle  # type: ignore[method-assign]
        await _run_bot(fake, FollowthroughBot(service, connector=fake.connector(), guild_ready_timeout=0.05), stack)
        answers = await _learn_answers(fake, people, guild)
        in_core.clear()
        times = await _measure(fake, people, guild, requests, "Company", answers)
        per_user = interviews // max(1, len(people))
        rest = [total - core for total, core in zip(times, in_core, strict=True)]
        results[:0] = [
            (f"followthrough /interview list ({per_user} interviews each)", *p50_p99(times)),
            ("  of which in the core (service.handle)", *p50_p99(in_core)),
            ("  of which in the adapter, discord.py and the fake", *p50_p99(rest)),
        ]
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
    print_table("INTERACTION_CREATE -> callback, 127.0.0.1", results)


if __name__ == "__main__":
    main()
