"""Running the Discord bot: `python -m bot discord` and `python -m bot discord sync [--guild ID]`.

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
import signal
import ssl
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import discord

from adapters.discord import endpoint
from adapters.discord.client import FollowthroughBot, ServiceLike
from adapters.discord.notifier import DiscordNotifier, notice_channels
from adapters.discord.staff import StaffRule
from adapters.discord.sync import SyncOutcome, sync_when_changed
from adapters.wiring import chain_wakes
from bot.config import Config
from bot.ports import Store, SystemClock

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


def make_notifier(client: discord.Client, config: Config | None = None) -> DiscordNotifier:
    config = config or Config()
    return DiscordNotifier(client, rate=config.discord_global_rate,
                           notice_channels=notice_channels(config.discord_dm_notice_channels))


async def serve(config: Config, service: ServiceLike, store: Store,
                listen: Callable[[Callable[[datetime], None]], Awaitable[object]] | None = None) -> None:
    """Run the bot and this process's reminder dispatcher until SIGTERM/SIGINT, then stop cleanly:
    no new claims, deliveries under way finish, the gateway closes. The service's commands wake the
    dispatcher (as well as whatever wake the service had, e.g. other processes'); `listen`, if
    given, hands the dispatcher's wake to the wake from other processes (adapters.wiring)."""
    from bot.reminders import Dispatcher

    if config.discord_token is None:
        raise SystemExit("DISCORD_TOKEN is not set")
    client = make_client(config, service)
    notifier = make_notifier(client, config)
    clock = getattr(service, "clock", None) or SystemClock()
    dispatcher = Dispatcher(
        store, service.reminder_message, {"discord": notifier}, clock,
        batch=config.dispatch_batch, lease_seconds=config.dispatch_lease_seconds,
        max_attempts=config.dispatch_max_attempts,
    )
    if hasattr(service, "wake"):
        service.wake = chain_wakes(dispatcher.wake, service.wake)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass

    async def start_dispatcher() -> None:
        await client.wait_until_ready()
        if listen is not None:  # first: no wake is lost while the dispatcher starts
            await listen(dispatcher.wake)
        await dispatcher.start()

    token = config.discord_token.get_secret_value()
    bot_task = asyncio.create_task(client.start(token), name="discord-client")
    dispatch_task = asyncio.create_task(start_dispatcher(), name="discord-dispatcher-start")
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
        dispatch_task.cancel()
        await dispatcher.stop()
        await client.close()
        for task in (bot_task, stop_task):
            task.cancel()
        await asyncio.gather(bot_task, stop_task, dispatch_task, return_exceptions=True)
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError):
                pass
    if failure is not None:
        raise failure  # e.g. discord.LoginFailure: a wrong token (`main` turns it into a clear message)


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
