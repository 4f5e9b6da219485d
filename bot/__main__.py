"""`python -m bot [console|slack|discord|worker|migrate]`; with no argument: Slack or Discord when
their tokens are set, else the local console."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

from bot.config import load, machine_timezone


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
    sub.add_parser("worker", help="only the reminder dispatcher, for the platforms whose tokens are set")
    sub.add_parser("migrate", help="create or upgrade the database schema")
    return parser


def _run_adapter(module: str, *args: Any) -> None:
    """Adapters live outside the core: import them only when asked for."""
    entry = import_module(module)
    asyncio.run(entry.main(*args))


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    config = load()
    logging.basicConfig(level=config.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mode = args.mode or config.platform()
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    if mode == "migrate":
        import_module("storage.migrate").upgrade(config.database_url)
        print("Database is up to date.")
        return
    if mode == "console":
        logging.getLogger().setLevel(logging.WARNING)
        user = getattr(args, "user", None) or getpass.getuser()
        _run_adapter("adapters.console.main", config, user, getattr(args, "admin", False),
                     Path(args.out) if getattr(args, "out", None) else None, machine_timezone())
    elif mode == "slack":
        _run_adapter("adapters.slack.main", config)
    elif mode == "discord":
        _run_adapter("adapters.discord.main", config, getattr(args, "action", "run"), getattr(args, "guild", None))
    elif mode == "worker":
        _run_adapter("adapters.worker", config)
    else:
        _parser().print_help()


if __name__ == "__main__":
    main()
