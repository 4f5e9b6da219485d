"""`python -m bot slack`: migrate, wire the core with the Slack notifier, serve until stopped."""

from __future__ import annotations

from adapters.slack.server import make_notifier, serve
from adapters.wiring import build
from bot.config import Config
from storage.migrate import upgrade


async def main(config: Config) -> None:
    upgrade(config.database_url)
    runtime = build(config, {"slack": make_notifier(config)})
    await runtime.start()
    try:
        await serve(config, runtime.service, runtime.store)
    finally:
        await runtime.close()
