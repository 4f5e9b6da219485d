"""The real discord.py client, wired to the real core over SQLite, against the local fake Discord."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.discord.client import FollowthroughBot
from adapters.discord.run import make_notifier
from adapters.discord.staff import StaffRule
from adapters.discord.sync import sync_when_changed
from bot.reminders import Dispatcher
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.discord.fake_discord import TOKEN, FakeDiscord


class Harness:
    """One fake Discord, one database, and a bot process that can be restarted."""

    def __init__(self, fake: FakeDiscord, store: SqlStore, clock: FakeClock) -> None:
        self.fake = fake
        self.store = store
        self.clock = clock
        self.service = Service(store, clock, default_tz="UTC")
        self.bot: FollowthroughBot | None = None
        self.staff = StaffRule()  # DISCORD_STAFF_ROLE
        self._task: asyncio.Task[None] | None = None
        self.guild = fake.add_guild("Career Center", channels=("general", "followthrough-notices"))
        self.ana = fake.add_user("ana")
        self.ben = fake.add_user("ben")

    async def start(self) -> FollowthroughBot:
        self.service = Service(self.store, self.clock, default_tz="UTC")
        bot = FollowthroughBot(self.service, connector=self.fake.connector(), staff=self.staff,
                               guild_ready_timeout=0.05)
        self.bot = bot
        self.fake.shards.clear()
        self._task = asyncio.create_task(bot.start(TOKEN))
        await self.fake.wait_connected()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        await sync_when_changed(bot, bot.tree)  # registered: members run only what their picker offers
        return bot

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 5)
            except (Exception, asyncio.CancelledError):
                pass
        self.bot = None
        self._task = None

    async def restart(self) -> FollowthroughBot:
        await self.stop()
        return await self.start()

    def dispatcher(self) -> Dispatcher:
        assert self.bot is not None
        return Dispatcher(self.store, self.service.reminder_message, {"discord": make_notifier(self.bot)},
                          self.clock, concurrency=8)

    async def add(self, user: int, text: str, guild: bool = True) -> None:
        """Log an interview the way a user would: the typed /interview add."""
        options: dict[str, Any] = {}
        for pair in text.split(";"):
            key, _, value = pair.partition(":")
            options[key.strip()] = value.strip()
        record = await self.fake.slash(user, "interview add", options, guild_id=self.guild if guild else None)
        assert "Logged #" in record.text(), record.text()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
async def harness(fake: FakeDiscord, sqlite_url: str, clock: FakeClock) -> AsyncIterator[Harness]:
    logging.getLogger("discord").setLevel(logging.WARNING)
    store = SqlStore(sqlite_url)
    h = Harness(fake, store, clock)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
        await store.close()
