"""`python -m bot worker`: only the reminder dispatcher, for the platforms whose tokens are set.

For a deployment that separates delivery from the processes answering commands. Stops within 10 s
on SIGTERM, handing unfinished claims back."""

from __future__ import annotations

import asyncio
import logging
import signal

from adapters.wiring import build
from bot.config import Config
from bot.ports import Notifier

log = logging.getLogger(__name__)


def platform_notifiers(config: Config) -> dict[str, Notifier]:
    notifiers: dict[str, Notifier] = {}
    if config.slack_bot_token or config.slack_client_id:
        from adapters.slack.notifier import make_notifier as slack_notifier

        notifiers["slack"] = slack_notifier(config)
    if config.discord_token:
        from adapters.discord.notifier import make_rest_notifier as discord_notifier

        notifiers["discord"] = discord_notifier(config)
    return notifiers


async def main(config: Config) -> None:
    notifiers = platform_notifiers(config)
    if not notifiers:
        raise SystemExit("No platform token is set: the worker has nothing to deliver to. "
                         "Set SLACK_BOT_TOKEN or DISCORD_TOKEN.")
    runtime = build(config, notifiers)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    log.info("worker delivering for %s", ", ".join(sorted(notifiers)))
    await stop.wait()
    log.info("worker stopping")
    await runtime.close()
