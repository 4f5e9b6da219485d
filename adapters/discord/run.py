"""Running the Discord bot (started by `python -m bot discord`) and registering its commands.

Environment (bot/config.py): DISCORD_TOKEN; DISCORD_API_URL (another REST base, e.g. a local
fake: discord.py's Route.BASE is set to it and the gateway URL comes from its GET /gateway/bot);
DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS ("0,1" or "0-3") to split shards across processes over
one database; DISCORD_GLOBAL_RATE (requests per second this process may spend on DMs, default 47.5:
divide Discord's 50 by the number of processes); DISCORD_DM_NOTICE_CHANNELS
("guild_id:channel_id,..."; a channel named followthrough-notices works without it).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord.client import FollowthroughBot
from adapters.discord.notifier import DiscordNotifier, RestNotifier
from bot.config import Config

log = logging.getLogger("adapters.discord")


def configure_api(api_url: str | None) -> bool:
    """Point discord.py's REST client at `api_url` (tests: a local fake). True if it did."""
    if not api_url:
        return False
    discord.http.Route.BASE = api_url.rstrip("/")
    return True


def parse_shard_ids(text: str | None) -> list[int] | None:
    """"0,1,5" or "0-3" or "0-3,8" -> [0, 1, 2, 3, 8]; None when unset."""
    if not text or not text.strip():
        return None
    ids: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            first, last = part.split("-", 1)
            ids.extend(range(int(first), int(last) + 1))
        else:
            ids.append(int(part))
    return sorted(set(ids))


def make_client(config: Config, service: Any, **options: Any) -> FollowthroughBot:
    custom_api = configure_api(config.discord_api_url)
    shard_ids = parse_shard_ids(config.discord_shard_ids)
    shard_count = config.discord_shard_count
    if shard_ids is not None and shard_count is None:
        raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards)")
    if shard_ids is not None and shard_count is not None and max(shard_ids) >= shard_count:
        raise ValueError("DISCORD_SHARD_IDS must be below DISCORD_SHARD_COUNT")
    return FollowthroughBot(service, gateway_from_api=custom_api, shard_ids=shard_ids, shard_count=shard_count,
                            **options)


def _notice_channels(text: str | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in (text or "").split(","):
        guild, _, channel = part.strip().partition(":")
        if guild.strip().isdigit() and channel.strip().isdigit():
            out[guild.strip()] = int(channel)
    return out


def make_notifier(client: discord.Client, config: Config | None = None) -> DiscordNotifier:
    config = config or Config()
    return DiscordNotifier(client, rate=config.discord_global_rate,
                           notice_channels=_notice_channels(config.discord_dm_notice_channels))


def make_rest_notifier(config: Any) -> RestNotifier:
    """The Discord notifier for `python -m bot worker` (no gateway)."""
    configure_api(config.discord_api_url)
    if config.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    return RestNotifier(config.discord_token.get_secret_value(),
                        rate=config.discord_global_rate,
                        notice_channels=_notice_channels(config.discord_dm_notice_channels))


async def serve(config: Config, client: FollowthroughBot, *, stop: asyncio.Event | None = None,
                ready: Callable[[], Awaitable[object]] | None = None,
                stopping: Callable[[], Awaitable[object]] | None = None) -> None:
    """Run `client` until `stop` is set (without one: until SIGTERM/SIGINT), then stop cleanly.
    `ready` runs once the client is ready (the entry point starts delivering reminders there);
    `stopping` runs before the gateway closes (no new claims, deliveries under way finish)."""
    if config.discord_token is None:
        raise SystemExit("DISCORD_TOKEN is not set")
    loop = asyncio.get_running_loop()
    own_signals = stop is None
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):
                pass

    async def when_ready() -> None:
        await client.wait_until_ready()
        if ready is not None:
            await ready()

    token = config.discord_token.get_secret_value()
    bot_task = asyncio.create_task(client.start(token), name="discord-client")
    ready_task = asyncio.create_task(when_ready(), name="discord-ready")
    stop_task = asyncio.create_task(stop.wait(), name="discord-stop")
    failure: BaseException | None = None
    try:
        done, _ = await asyncio.wait({bot_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
        if bot_task in done and not bot_task.cancelled():
            failure = bot_task.exception()
            if failure is not None:
                log.error("the Discord client stopped: %s", type(failure).__name__)
    finally:
        log.info("shutting down")
        ready_task.cancel()
        await asyncio.gather(ready_task, return_exceptions=True)
        if stopping is not None:
            await stopping()
        await client.close()
        for task in (bot_task, stop_task):
            task.cancel()
        await asyncio.gather(bot_task, stop_task, return_exceptions=True)
        if own_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                try:
                    loop.remove_signal_handler(sig)
                except (NotImplementedError, RuntimeError):
                    pass
    if failure is not None:
        raise failure  # e.g. discord.LoginFailure: a wrong token (the entry point turns it into a clear message)


async def sync_commands_async(config: Config, guild_id: int | None = None) -> list[str]:
    """Register `/interview` with Discord: globally (may take up to an hour to show everywhere) or
    in one server at once (`--guild ID`, for trying it out). Returns the registered names."""
    if config.discord_token is None:
        raise SystemExit("DISCORD_TOKEN is not set")
    client = make_client(config, service=None)
    async with client:
        await client.login(config.discord_token.get_secret_value())
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            client.tree.copy_global_to(guild=guild)
            synced = await client.tree.sync(guild=guild)
        else:
            synced = await client.tree.sync()
    return [command.name for command in synced]
