"""Each Discord client connects where its own configuration says; nothing is changed for others."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import discord
import pytest

from adapters.discord.endpoint import stand_in
from adapters.discord.run import make_client
from bot.config import Config
from bot.ports import SystemClock
from bot.service import Service
from storage.store import SqlStore
from tests.discord.fake_discord import TOKEN, FakeDiscord

ADAPTER = Path(__file__).resolve().parents[2] / "adapters" / "discord"


async def test_two_clients_in_one_process_each_reach_their_own_discord(fake: FakeDiscord, sqlite_url: str) -> None:
    """Two bots in one process, each pointed at a different stand-in: each answers the commands of
    its own, and discord.py's shared defaults are what they were."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    other = await FakeDiscord().start()
    store = SqlStore(sqlite_url)
    service = Service(store, SystemClock(), default_tz="UTC")
    bots, tasks = [], []
    try:
        for server in (fake, other):
            config = Config.model_validate({"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": server.api_url})
            bot = make_client(config, service, tls=server.client_tls(), guild_ready_timeout=0.05)
            bots.append(bot)
            tasks.append(asyncio.create_task(bot.start(TOKEN)))
        for server in (fake, other):
            await server.wait_connected()
            guild, ana = server.add_guild("Career Center"), server.add_user("ana")
            answered = await server.slash(ana, "interview help", guild_id=guild)
            assert "/interview" in answered.text()
        assert len(fake.interactions) == 1 and len(other.interactions) == 1
        assert discord.http.Route.BASE == base and discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == gateway
    finally:
        for bot in bots:
            await bot.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        await other.close()
        await store.close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "127.0.0.1:8080", "https://"])
def test_a_stand_in_must_be_an_https_address(url: str) -> None:
    with pytest.raises(ValueError, match="https://"):
        stand_in(url)


def test_unset_means_discord_itself() -> None:
    assert stand_in(None) is None and stand_in("  ") is None
    assert stand_in("https://discord-proxy.internal:8443/api/v10") is not None


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_discord_adapter_modules_import_each_other_without_a_circle() -> None:
    modules = {f"adapters.discord.{p.stem}": p for p in ADAPTER.glob("*.py") if p.stem != "__init__"}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, {name}))
    assert not circles, f"import circles through {circles}"
