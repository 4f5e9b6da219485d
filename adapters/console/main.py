"""Start the console: migrate the SQLite file if needed, wire the core, run the loop."""

from __future__ import annotations

from pathlib import Path

from adapters.console.console import ConsoleNotifier, run
from adapters.wiring import build
from bot.actor import Actor
from bot.config import Config
from storage.migrate import upgrade


async def main(config: Config, user: str, admin: bool, out_dir: Path, default_tz: str) -> None:
    import sys

    upgrade(config.database_url)
    notifier = ConsoleNotifier(lambda text: (sys.stdout.write(text + "\n"), sys.stdout.flush()) and None)
    runtime = build(config, {"console": notifier}, default_tz=default_tz)
    actor = Actor(platform="console", community="local", external_id=user, display_name=user, is_admin=admin)
    dispatcher = runtime.dispatcher
    assert dispatcher is not None
    interactive = sys.stdin.isatty()
    if interactive:
        await runtime.start()  # reminders pop up when they fall due while the console runs
    try:
        await run(runtime.service, actor, dispatcher.run_once, out_dir=out_dir)
    finally:
        await runtime.close()
