"""Running the Discord bot (started by `python -m bot discord`) and registering its commands.

Environment (bot/config.py): DISCORD_TOKEN; DISCORD_API_URL (`https://host:port` of a stand-in
that answers for discord.com and the gateway, e.g. a local fake: adapters.discord.endpoint);
DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS ("0,1" or "0-3") to split shards across processes over
one database; DISCORD_GLOBAL_RATE (requests per second this process may spend on DMs, default 47.5:
divide Discord's 50 by the number of processes); DISCORD_DM_NOTICE_CHANNELS
("guild_id:channel_id,..."; a channel named followthrough-notices works without it).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord import endpoint
from adapters.discord.client import FollowthroughBot
from adapters.discord.notifier import DiscordNotifier, RestNotifier, notice_channels
from adapters.discord.staff import StaffRule
from adapters.discord.sync import SyncOutcome, sync_when_changed
from adapters.signals import stop_event
from bot.config import Config

log = logging.getLogger("adapters.discord")


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


def make_client(config: Config, service: Any, *, tls: ssl.SSLContext | None = None,
                **options: Any) -> FollowthroughBot:
    """The bot for `config`, connected to Discord or to the stand-in at DISCORD_API_URL (trusted
    through `tls`, or the system's trust store). Call it inside the event loop it will run on."""
    shard_ids = parse_shard_ids(config.discord_shard_ids)
    shard_count = config.discord_shard_count
    if shard_ids is not None and shard_count is None:
        raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards)")
    if shard_ids is not None and shard_count is not None and max(shard_ids) >= shard_count:
        raise ValueError("DISCORD_SHARD_IDS must be below DISCORD_SHARD_COUNT")
    link = endpoint.connector(config.discord_api_url, tls)
    if link is not None:
        options["connector"] = link
    return FollowthroughBot(service, shard_ids=shard_ids, shard_count=shard_count,
                            staff=StaffRule.from_setting(config.discord_staff_role), **options)


NONCE_WINDOW_SECONDS = 240.0  # how long Discord surely remembers a nonce ("a few minutes")


def _check_lease(config: Config) -> None:
    if config.dispatch_lease_seconds > NONCE_WINDOW_SECONDS:
        log.warning("DISPATCH_LEASE_SECONDS is %.0f s: a reminder DM re-sent after a crash may come after "
                    "Discord has forgotten its nonce (a few minutes), and show twice", config.dispatch_lease_seconds)


def make_notifier(client: discord.Client, config: Config | None = None) -> DiscordNotifier:
    config = config or Config()
    _check_lease(config)
    return DiscordNotifier(client, rate=config.discord_global_rate,
                           notice_channels=notice_channels(config.discord_dm_notice_channels))


def make_rest_notifier(config: Any, tls: ssl.SSLContext | None = None) -> RestNotifier:
    """The Discord notifier for `python -m bot worker` (no gateway)."""
    if config.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    endpoint.stand_in(config.discord_api_url)  # a malformed DISCORD_API_URL is refused at start-up
    _check_lease(config)
    return RestNotifier(config.discord_token.get_secret_value(),
                        rate=config.discord_global_rate,
                        notice_channels=notice_channels(config.discord_dm_notice_channels),
                        api_url=config.discord_api_url, tls=tls)


async def serve(config: Config, client: FollowthroughBot, *, stop: asyncio.Event | None = None,
                ready: Callable[[], Awaitable[object]] | None = None,
                stopping: Callable[[], Awaitable[object]] | None = None) -> None:
    """Run `client` until `stop` is set (without one: until SIGTERM/SIGINT), then stop cleanly.
    `ready` runs once the client is ready (the entry point starts delivering reminders there);
    `stopping` runs before the gateway closes (no new claims, deliveries under way finish)."""
    if config.discord_token is None:
        raise SystemExit("DISCORD_TOKEN is not set")

    async def when_ready() -> None:
        await client.wait_until_ready()
        if ready is not None:
            await ready()

    token = config.discord_token.get_secret_value()
    failure: BaseException | None = None
    with stop_event(stop) as until:
        bot_task = asyncio.create_task(client.start(token), name="discord-client")
        ready_task = asyncio.create_task(when_ready(), name="discord-ready")
        stop_task = asyncio.create_task(until.wait(), name="discord-stop")
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
    if failure is not None:
        raise failure  # e.g. discord.LoginFailure: a wrong token (the entry point turns it into a clear message)


async def sync_commands_async(config: Config, guild_id: int | None = None, *,
                              tls: ssl.SSLContext | None = None) -> list[str]:
    """Register `/interview` and `/interview-admin` with Discord: globally (may take up to an hour
    to show everywhere) or in one server at once (`--guild ID`, for trying it out); only when they
    differ from what Discord has (safe to run at every release). Returns the registered names."""
    return (await sync_when_changed_async(config, guild_id, tls=tls)).names


async def sync_when_changed_async(config: Config, guild_id: int | None = None, *,
                                  tls: ssl.SSLContext | None = None) -> SyncOutcome:
    """As `sync_commands_async`, saying whether anything was sent (adapters.discord.sync)."""
    if config.discord_token is None:
        raise SystemExit("DISCORD_TOKEN is not set")
    client = make_client(config, service=None, tls=tls)
    async with client:
        await client.login(config.discord_token.get_secret_value())
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            client.tree.copy_global_to(guild=guild)
        outcome = await sync_when_changed(client, client.tree, guild)
    log.info("Discord commands %s", "registered" if outcome.changed else "unchanged: nothing sent")
    return outcome
