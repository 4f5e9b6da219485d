"""The long-running processes: the local console, Slack and/or Discord (`slack`, `discord`,
`web`), and the `worker` that only delivers reminders. Each migrates first, answers /healthz
where it should, and stops cleanly on SIGTERM: no new claims, deliveries under way finish or are
handed back, connections close."""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TextIO

from adapters.health import HealthServer
from adapters.signals import stop_event
from bot.actor import Actor
from bot.config import Config
from bot.entry.database import run_migrations
from bot.entry.errors import CannotStart
from bot.entry.platforms import configured_platforms, slack_notifier, slack_stores, worker_notifiers
from bot.entry.runtime import build
from bot.ports import Notifier
from bot.service import Service
from storage.seen_requests import shared_seen_requests
from storage.store import SqlStore

log = logging.getLogger("bot")


def health_port(config: Config, *, web: bool = False) -> int | None:
    """Where a process without a web server of its own answers /healthz: $PORT when it is the
    platform's `web` process, else $HEALTH_PORT when set (none otherwise)."""
    if web:
        return config.port
    return config.health_port


async def run_console(config: Config, user: str, admin: bool = False, out_dir: Path | None = None,
                      default_tz: str = "UTC", *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
    """The local console until the end of its input (or 'quit')."""
    from adapters import console

    run_migrations(config)
    out = stdout or sys.stdout
    stdin = stdin or sys.stdin or io.StringIO()  # no standard input at all: an empty script

    def write(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    runtime = build(config, {"console": console.make_notifier(write)}, default_tz=default_tz)
    actor = Actor(platform="console", community="local", external_id=user, display_name=user, is_admin=admin)
    dispatcher = runtime.dispatcher
    assert dispatcher is not None
    try:
        if stdin.isatty():
            await runtime.start()  # reminders pop up when they fall due while the console runs
        await console.serve(runtime.service, actor, dispatcher.run_once, stdin=stdin, stdout=out, out_dir=out_dir)
    finally:
        await runtime.close()


async def run_platforms(config: Config, platforms: frozenset[str], stop: asyncio.Event | None = None, *,
                        web: bool = False, host: str = "0.0.0.0") -> None:
    """Slack and/or Discord in this process, with one dispatcher delivering for both, until `stop`
    is set (without one: SIGTERM/SIGINT). Slack answers on $PORT (events and /healthz); the
    Discord bot answers /healthz on $PORT when it is the `web` process alone, else on
    $HEALTH_PORT when that is set. Reminders are delivered once the Discord bot is ready."""
    import discord

    from adapters import discord as discord_adapter
    from adapters import slack

    if "discord" in platforms and config.discord_token is None:
        raise CannotStart("DISCORD_TOKEN is not set: create the bot in Discord's Developer Portal and set it.")
    run_migrations(config)
    store = SqlStore(config.database_url)
    installations = slack_stores(config, store) if "slack" in platforms else None
    notifiers = {"slack": slack_notifier(config, installations)} if "slack" in platforms else {}
    clients: list[Any] = []

    def discord_notifier(service: Service) -> Notifier:
        client = discord_adapter.make_client(config, service)
        clients.append(client)
        return discord_adapter.make_notifier(client, config)

    runtime = build(config, notifiers, store=store,
                    notifier_factories={"discord": discord_notifier} if "discord" in platforms else None)
    port = health_port(config, web=web and "slack" not in platforms) if "discord" in platforms else None
    health = HealthServer(runtime.probe(), host=host, port=port, mode="discord") if port is not None else None
    try:
        with stop_event(stop) as stopping:
            runs: list[Awaitable[None]] = []
            if "slack" in platforms:
                runs.append(slack.serve(
                    config, runtime.service, stop=stopping, probe=runtime.probe(),
                    installation_store=installations.installations if installations else None,
                    state_store=installations.states if installations else None,
                    seen_requests=shared_seen_requests(runtime.store.engine),
                ))
            if "discord" in platforms:
                runs.append(discord_adapter.serve(config, clients[0], stop=stopping, ready=runtime.start_delivering,
                                                  stopping=runtime.stop_delivering))
            if health is not None:
                await health.start()
            await runtime.start(deliver="discord" not in platforms)
            await together(runs, stopping)
    except discord.LoginFailure:
        raise CannotStart("Discord refused DISCORD_TOKEN: check the bot token in the Developer Portal.") from None
    finally:
        if health is not None:
            await health.stop()
        await runtime.close()


async def together(runs: list[Awaitable[None]], stop: asyncio.Event) -> None:
    """Run each of `runs` until all end; the first to fail stops the others, and its error is raised."""
    tasks = [asyncio.ensure_future(run) for run in runs]
    try:
        for finished in asyncio.as_completed(tasks):
            try:
                await finished
            except BaseException:
                stop.set()
                raise
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_slack(config: Config, stop: asyncio.Event | None = None, *, host: str = "0.0.0.0") -> None:
    """`python -m bot slack`: the Slack app over HTTP on $PORT (or Socket Mode), with /healthz;
    this process delivers Slack's reminders too."""
    await run_platforms(config, frozenset({"slack"}), stop, host=host)


async def run_discord(config: Config, stop: asyncio.Event | None = None, *, host: str = "0.0.0.0") -> None:
    """`python -m bot discord`: the Discord bot and this process's reminder dispatcher, /healthz on
    $HEALTH_PORT when set; stops cleanly: no new claims, deliveries under way finish, the gateway
    closes."""
    await run_platforms(config, frozenset({"discord"}), stop, host=host)


async def run_web(config: Config, stop: asyncio.Event | None = None, *, host: str = "0.0.0.0") -> None:
    """The Procfile's `web` process: every configured platform in one process, answering on $PORT
    (Slack's events and /healthz; a Discord-only deployment's /healthz)."""
    platforms = configured_platforms(config)
    if not platforms:
        raise CannotStart("No platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or "
                         "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET), or DISCORD_TOKEN.")
    await run_platforms(config, platforms, stop, web=True, host=host)


async def run_worker(config: Config, stop: asyncio.Event | None = None, *, host: str = "0.0.0.0") -> None:
    """`python -m bot worker`: only the reminder dispatcher, for the platforms whose tokens are set
    (over their Web/REST APIs), /healthz on $HEALTH_PORT when set. Stops within the dispatcher's
    shutdown time on SIGTERM, handing unfinished claims back."""
    run_migrations(config)
    store = SqlStore(config.database_url)
    notifiers, closers = worker_notifiers(config, store)
    if not notifiers:
        await store.close()
        raise CannotStart("No platform token is set: the worker has nothing to deliver to. "
                         "Set SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) or DISCORD_TOKEN.")
    runtime = build(config, notifiers, store=store)
    runtime.closers.extend(closers)
    port = health_port(config)
    health = HealthServer(runtime.probe(), host=host, port=port, mode="worker") if port is not None else None
    try:
        with stop_event(stop) as stopping:
            if health is not None:
                await health.start()
            await runtime.start()
            log.info("worker delivering for %s", ", ".join(sorted(notifiers)))
            await stopping.wait()
            log.info("worker stopping")
    finally:
        if health is not None:
            await health.stop()
        await runtime.close()
