"""`python -m bot [console|slack|discord|web|worker|migrate|release]`: the entry point, and the
only module that knows every part.

It sits outside the core: the rest of `bot/` imports no Slack, Discord or database library.
Here the process is put together in one place: the database is migrated, the store, the
service and the dispatcher are built, each platform's notifier comes from its adapter's
factory, the Slack installation store is built on the store's engine, and the chosen runtime
is started through its adapter's `serve(...)`. Tests start the runtimes through the same
functions (`build`, `run_console`, `run_slack`, `run_discord`, `run_web`, `run_worker`).

With no argument: Slack or Discord when their tokens are set, else the local console.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import io
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from adapters.health import HealthServer, Probe
from bot.actor import Actor
from bot.career_center.retention import RetentionPurge
from bot.config import Config, load, machine_timezone
from bot.logs import configure_logging
from bot.ports import Clock, Notifier, SystemClock
from bot.reminders import Dispatcher
from bot.service import Service
from storage import migrate
from storage.health import unavailable_reason
from storage.seen_requests import shared_seen_requests
from storage.slack_installations import SlackInstallations, slack_installations
from storage.store import SqlStore
from storage.wake_signal import WakeSignal

log = logging.getLogger("bot")

CHECKPOINT_EVERY_SECONDS = 30.0
MODES = ("console", "slack", "discord", "web", "worker", "migrate", "release")


# --------------------------------------------------------------------------------------------
# The parts of one process


class CannotStart(Exception):
    """A process cannot start, for a reason the operator can fix: one line, shown as the exit
    message (no traceback)."""


async def checkpoint_periodically(store: SqlStore, every: float = CHECKPOINT_EVERY_SECONDS) -> None:
    """SQLite's write-ahead log is checkpointed here, in the background, so that no command waits
    for it (a no-op on PostgreSQL)."""
    while True:
        await asyncio.sleep(every)
        try:
            await store.checkpoint()
        except Exception as exc:  # busy or locked: the next round tries again
            log.warning("checkpoint skipped (%s)", type(exc).__name__)


def chain_wakes(*wakes: Callable[[datetime], None] | None) -> Callable[[datetime], None] | None:
    """One wake calling each of `wakes` (None ones left out) in turn, each even if one before it
    failed: this process's dispatcher, the other processes (WakeSignal.send), ..."""
    chosen = [wake for wake in wakes if wake is not None]
    if len(chosen) <= 1:
        return chosen[0] if chosen else None

    def wake(at: datetime) -> None:
        failed: Exception | None = None
        for one in chosen:
            try:
                one(at)
            except Exception as exc:  # the others still run; the service logs it
                failed = failed or exc
        if failed is not None:
            raise failed

    return wake


def one_line(error: BaseException) -> str:
    """An error as one short line for an operator: the driver's own first line, no SQL, no
    parameters, no password (redacted by the log filters as well)."""
    cause: BaseException = getattr(error, "orig", None) or error
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {text[:200]}" if text else type(cause).__name__


def database_probe(store: SqlStore) -> Probe:
    """The health check's question to the database: can a command use it (connect, read, and on
    SQLite take the write lock)? None, or one line naming what is wrong."""
    return store.health


@dataclass
class Runtime:
    """A store, the core service and (in a process that delivers reminders) a dispatcher, the
    retention purge and the wake between processes; started and closed together."""

    store: SqlStore
    service: Service
    dispatcher: Dispatcher | None
    clock: Clock
    purge: RetentionPurge | None = None
    wake_signal: WakeSignal | None = None  # the wake between processes (PostgreSQL)
    closers: list[Callable[[], Awaitable[object]]] = field(default_factory=list)  # e.g. notifiers' clients
    _maintenance: list[asyncio.Task[None]] = field(default_factory=list)
    _delivering: bool = False
    _closed: bool = False

    def probe(self) -> Probe:
        return database_probe(self.store)

    async def start(self, *, deliver: bool = True) -> None:
        """Background upkeep (the SQLite checkpoint, the daily retention purge where reminders are
        delivered) and, unless `deliver` is false (later: `start_delivering`), the delivery of
        reminders."""
        self._maintenance.append(asyncio.create_task(checkpoint_periodically(self.store), name="checkpoint"))
        if self.purge is not None:
            await self.purge.start()
        if deliver:
            await self.start_delivering()

    async def start_delivering(self) -> None:
        """Deliver reminders, woken by every process's commands on PostgreSQL (listening first: no
        wake is lost while the dispatcher starts)."""
        if self.dispatcher is None or self._delivering:
            return
        self._delivering = True
        if self.wake_signal is not None:
            await self.wake_signal.listen(self.dispatcher.wake)
        await self.dispatcher.start()

    async def stop_delivering(self) -> None:
        """No new claims; deliveries under way finish (or are handed back) within the dispatcher's
        shutdown time."""
        if self.wake_signal is not None:
            await self.wake_signal.stop_listening()
        if self.dispatcher is not None and self._delivering:
            self._delivering = False
            await self.dispatcher.stop()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.stop_delivering()
        for task in self._maintenance:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.purge is not None:
            await self.purge.stop()
        if self.wake_signal is not None:
            await self.wake_signal.close()
        for closer in self.closers:
            try:
                await closer()
            except Exception as exc:
                log.warning("closing %s failed (%s)", getattr(closer, "__qualname__", "a client"),
                            type(exc).__name__)
        await self.store.close()


def build(config: Config, notifiers: dict[str, Notifier], *, default_tz: str = "UTC",
          clock: Clock | None = None, store: SqlStore | None = None,
          notifier_factories: dict[str, Callable[[Service], Notifier]] | None = None) -> Runtime:
    """A Service over the configured database and a Dispatcher for `notifiers` plus those that
    `notifier_factories` make from the service (e.g. Discord's, which needs the bot's client).
    None at all: no dispatcher in this process (Slack web processes when a worker delivers). On
    PostgreSQL the service's commands wake the delivering processes, this one's included."""
    clock = clock or SystemClock()
    store = store or SqlStore(config.database_url)
    service = Service(store, clock, default_tz=default_tz)
    notifiers = dict(notifiers)
    for platform, factory in (notifier_factories or {}).items():
        notifiers[platform] = factory(service)
    dispatcher = None
    purge = None
    if notifiers:
        purge = RetentionPurge(store, clock)
        dispatcher = Dispatcher(store, service.reminder_message, notifiers, clock,
                                settle=service.settle_after_reminder,
                                batch=config.dispatch_batch, lease_seconds=config.dispatch_lease_seconds,
                                max_attempts=config.dispatch_max_attempts)
    wake_signal = WakeSignal(store.engine)
    service.wake = chain_wakes(dispatcher.wake if dispatcher is not None else None,
                               wake_signal.send if wake_signal.enabled else None)
    return Runtime(store=store, service=service, dispatcher=dispatcher, clock=clock, purge=purge,
                   wake_signal=wake_signal)


# --------------------------------------------------------------------------------------------
# Which platforms this configuration serves, and their notifiers


def slack_configured(config: Config) -> bool:
    return bool(config.slack_bot_token or (config.slack_client_id and config.slack_client_secret))


def discord_configured(config: Config) -> bool:
    return config.discord_token is not None


def slack_stores(config: Config, store: SqlStore) -> SlackInstallations | None:
    """Many workspaces: slack-sdk's installation and OAuth state stores on our store's engine."""
    if config.slack_client_id and config.slack_client_secret:
        return slack_installations(store.engine, config.slack_client_id)
    return None


def slack_notifier(config: Config, installations: SlackInstallations | None) -> Notifier:
    from adapters import slack

    if installations is None:
        return slack.make_notifier(config)
    return slack.make_notifier(config, installations.installations, installations.grid)


def worker_notifiers(config: Config, store: SqlStore) -> tuple[dict[str, Notifier],
                                                               list[Callable[[], Awaitable[object]]]]:
    """The reminder senders of a process with no platform connection of its own (`worker`): Slack's
    Web API, Discord's REST API; and what to close when the process ends."""
    notifiers: dict[str, Notifier] = {}
    closers: list[Callable[[], Awaitable[object]]] = []
    if slack_configured(config):
        notifiers["slack"] = slack_notifier(config, slack_stores(config, store))
    if discord_configured(config):
        from adapters import discord as discord_adapter

        rest = discord_adapter.make_rest_notifier(config)
        notifiers["discord"] = rest
        closers.append(rest.close)
    return notifiers, closers


# --------------------------------------------------------------------------------------------
# Stopping


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[asyncio.Event]:
    """SIGTERM and SIGINT set `stop` while inside (the platforms' own shutdown then runs)."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
    try:
        yield stop
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _stop_event(stop: asyncio.Event | None) -> tuple[asyncio.Event, contextlib.AbstractContextManager[Any]]:
    """The event a runtime waits on: the caller's, or one that SIGTERM/SIGINT set."""
    if stop is not None:
        return stop, contextlib.nullcontext(stop)
    event = asyncio.Event()
    return event, stop_on_signals(event)


def health_port(config: Config, *, web: bool = False) -> int | None:
    """Where a process without a web server of its own answers /healthz: $PORT when it is the
    platform's `web` process, else $HEALTH_PORT when set (none otherwise)."""
    if web:
        return config.port
    return config.health_port


# --------------------------------------------------------------------------------------------
# The runtimes


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
    stop, signals = _stop_event(stop)
    port = health_port(config, web=web and "slack" not in platforms) if "discord" in platforms else None
    health = HealthServer(runtime.probe(), host=host, port=port, mode="discord") if port is not None else None
    runs: list[Awaitable[None]] = []
    if "slack" in platforms:
        runs.append(slack.serve(
            config, runtime.service, runtime.store, stop=stop, probe=runtime.probe(),
            installation_store=installations.installations if installations else None,
            state_store=installations.states if installations else None,
            seen_requests=shared_seen_requests(runtime.store.engine),
        ))
    if "discord" in platforms:
        runs.append(discord_adapter.serve(config, clients[0], stop=stop, ready=runtime.start_delivering,
                                          stopping=runtime.stop_delivering))
    try:
        with signals:
            if health is not None:
                await health.start()
            await runtime.start(deliver="discord" not in platforms)
            await _together(runs, stop)
    except discord.LoginFailure:
        raise CannotStart("Discord refused DISCORD_TOKEN: check the bot token in the Developer Portal.") from None
    finally:
        if health is not None:
            await health.stop()
        await runtime.close()


async def _together(runs: list[Awaitable[None]], stop: asyncio.Event) -> None:
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


def configured_platforms(config: Config) -> frozenset[str]:
    platforms = set()
    if slack_configured(config):
        platforms.add("slack")
    if discord_configured(config):
        platforms.add("discord")
    return frozenset(platforms)


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
    stop, signals = _stop_event(stop)
    port = health_port(config)
    health = HealthServer(runtime.probe(), host=host, port=port, mode="worker") if port is not None else None
    try:
        with signals:
            if health is not None:
                await health.start()
            await runtime.start()
            log.info("worker delivering for %s", ", ".join(sorted(notifiers)))
            await stop.wait()
            log.info("worker stopping")
    finally:
        if health is not None:
            await health.stop()
        await runtime.close()


async def sync_discord(config: Config, guild: str | None = None) -> str:
    """`python -m bot discord sync [--guild ID]`: register the `/interview` commands."""
    from adapters import discord as discord_adapter

    names = await discord_adapter.sync_commands_async(config, int(guild) if guild else None)
    where = f"server {guild}" if guild else "every server (global commands can take up to an hour to appear)"
    return f"Registered /{', /'.join(names)} in {where}."


async def release(config: Config) -> list[str]:
    """`python -m bot release`, run by the platform before each release: the migrations, then (when
    Discord is configured) the commands registered again if they differ from what Discord has; safe
    to run any number of times. Returns what it did, a line each."""
    done = [run_migrations(config)]
    if not discord_configured(config):
        return done
    from adapters import discord as discord_adapter

    try:
        outcome = await discord_adapter.sync_when_changed_async(config)
    except Exception as error:
        raise CannotStart(f"Discord commands could not be registered ({one_line(error)}); "
                          "run the release again.") from None
    names = ", /".join(outcome.names)
    done.append(f"Registered /{names} with Discord." if outcome.changed
                else f"Discord already has /{names} as they are: nothing sent.")
    return done


def run_migrations(config: Config) -> str:
    """Bring the schema up to date; a database that cannot be used is named in one line."""
    try:
        migrate.upgrade(config.database_url)
    except Exception as error:
        reason = unavailable_reason(error, config.database_url) or one_line(error)
        raise CannotStart(f"The database could not be migrated: {reason}") from None
    return "Database is up to date."


# --------------------------------------------------------------------------------------------
# The command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Followthrough, the interview follow-up bot")
    sub = parser.add_subparsers(dest="mode")
    console = sub.add_parser("console", help="the local terminal chat (the default without tokens)")
    console.add_argument("--user", default=None, help="who you are in the console (default: your login)")
    console.add_argument("--admin", action="store_true", help="act as a career-center admin")
    console.add_argument("--out", default=None,
                         help="where calendar and export files are written (default: your data folder)")
    sub.add_parser("slack", help="the Slack app (HTTP, or Socket Mode with SLACK_APP_TOKEN)")
    discord = sub.add_parser("discord", help="the Discord bot; `discord sync [--guild ID]` registers commands")
    discord.add_argument("action", nargs="?", choices=["run", "sync"], default="run")
    discord.add_argument("--guild", default=None, help="register the commands in one server only (instant)")
    sub.add_parser("web", help="every configured platform in one process, answering on $PORT (the Procfile's web)")
    sub.add_parser("worker", help="only the reminder dispatcher, for the platforms whose tokens are set")
    sub.add_parser("migrate", help="create or upgrade the database schema")
    sub.add_parser("release", help="what a release runs: the migrations, then Discord's commands if they changed")
    return parser


def main(argv: list[str] | None = None) -> None:
    try:
        _main(argv)
    except CannotStart as reason:
        raise SystemExit(str(reason)) from None
    except KeyboardInterrupt:  # Ctrl-C before a runtime took over its own signals: leave quietly
        raise SystemExit(130) from None


def _main(argv: list[str] | None) -> None:
    args = _parser().parse_args(argv)
    config = load()
    configure_logging(config.log_level, config.log_format)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    mode = args.mode or config.platform()
    if mode == "migrate":
        print(run_migrations(config))
    elif mode == "release":
        print("\n".join(asyncio.run(release(config))))
    elif mode == "console":
        logging.getLogger().setLevel(logging.WARNING)
        user = getattr(args, "user", None) or getpass.getuser()
        asyncio.run(run_console(config, user, getattr(args, "admin", False),
                                Path(args.out) if getattr(args, "out", None) else None, machine_timezone()))
    elif mode == "slack":
        asyncio.run(run_slack(config))
    elif mode == "discord" and getattr(args, "action", "run") == "sync":
        print(asyncio.run(sync_discord(config, getattr(args, "guild", None))))
    elif mode == "discord":
        asyncio.run(run_discord(config))
    elif mode == "web":
        asyncio.run(run_web(config))
    elif mode == "worker":
        asyncio.run(run_worker(config))
    else:
        _parser().print_help()


if __name__ == "__main__":
    main()
