"""The real discord.py client, wired to the real core over SQLite, against the local fake Discord."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.discord.client import FollowthroughBot
from adapters.discord.run import make_client, make_notifier, serve
from adapters.discord.sync import sync_when_changed
from bot.config import Config
from bot.entry.runtime import Runtime, build
from bot.ports import Notifier
from bot.reminders import Dispatcher
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.discord.fake_discord import TOKEN, FakeDiscord
from tests.runtime_support import settings


class Harness:
    """One fake Discord, one database, and a bot process that can be restarted: each start builds
    the process as `python -m bot discord` does (the runtime, the client from its service, the
    notifier through that client, the client run by `serve`), its dispatcher left for the test to
    run when its clock says so."""

    def __init__(self, fake: FakeDiscord, database_url: str, clock: FakeClock) -> None:
        self.fake = fake
        self.database_url = database_url
        self.clock = clock
        self.runtime: Runtime | None = None
        self.bot: FollowthroughBot | None = None
        self.staff_role: str | None = None  # DISCORD_STAFF_ROLE
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.guild = fake.add_guild("Career Center", channels=("general", "followthrough-notices"))
        self.ana = fake.add_user("ana")
        self.ben = fake.add_user("ben")

    def config(self) -> Config:
        return settings(DATABASE_URL=self.database_url, DISCORD_TOKEN=TOKEN, DISCORD_API_URL=self.fake.api_url,
                        DISCORD_STAFF_ROLE=self.staff_role)

    @property
    def service(self) -> Service:
        assert self.runtime is not None
        return self.runtime.service

    @property
    def store(self) -> SqlStore:
        assert self.runtime is not None
        return self.runtime.store

    async def start(self) -> FollowthroughBot:
        config = self.config()
        clients: list[FollowthroughBot] = []

        def discord_notifier(service: Service) -> Notifier:
            client = make_client(config, service, tls=self.fake.client_tls(), guild_ready_timeout=0.05)
            clients.append(client)
            return make_notifier(client, config)

        self.runtime = build(config, {}, clock=self.clock, store=SqlStore(self.database_url),
                             notifier_factories={"discord": discord_notifier})
        [bot] = clients
        self.bot = bot
        self.fake.shards.clear()
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(serve(config, bot, stop=self._stop, stopping=self.runtime.stop_delivering))
        await self.fake.wait_connected()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        await sync_when_changed(bot, bot.tree)  # registered: members run only what their picker offers
        return bot

    async def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 5)
            except (Exception, asyncio.CancelledError):
                pass
        if self.runtime is not None:
            await self.runtime.close()
        self.bot = None
        self.runtime = None
        self._stop = None
        self._task = None

    async def restart(self) -> FollowthroughBot:
        await self.stop()
        return await self.start()

    def dispatcher(self) -> Dispatcher:
        """This process's reminder dispatcher (not started: the test runs it)."""
        assert self.runtime is not None and self.runtime.dispatcher is not None
        return self.runtime.dispatcher

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
    h = Harness(fake, sqlite_url, clock)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
