"""`python -m bot [console|slack|discord|web|worker|migrate|release]`: the arguments, the logs,
and which process runs. With no argument: Slack or Discord when their tokens are set, else the
local console. A process that cannot start says why in one line (no traceback)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
from pathlib import Path

from bot.config import Config, load, machine_timezone
from bot.entry.database import run_migrations
from bot.entry.errors import CannotStart
from bot.entry.processes import run_console, run_discord, run_slack, run_web, run_worker
from bot.entry.release import release, sync_discord
from bot.logs import configure_logging


def parser() -> argparse.ArgumentParser:
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


def set_up_logging(config: Config) -> None:
    """LOG_LEVEL and LOG_FORMAT (text or json) with the personal-data and repeat filters; Alembic's
    progress lines only at WARNING and above."""
    configure_logging(config.log_level, config.log_format)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))


def main(argv: list[str] | None = None) -> None:
    try:
        run(argv)
    except CannotStart as reason:
        raise SystemExit(str(reason)) from None
    except KeyboardInterrupt:  # Ctrl-C before a runtime took over its own signals: leave quietly
        raise SystemExit(130) from None


def run(argv: list[str] | None) -> None:
    args = parser().parse_args(argv)
    config = load()
    set_up_logging(config)
    mode = args.mode or config.platform()
    if mode == "migrate":
        print(run_migrations(config))
    elif mode == "release":
        print("\n".join(asyncio.run(release(config))))
    elif mode == "console":
        logging.getLogger().setLevel(logging.WARNING)  # the terminal shows the chat, not the logs
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
        parser().print_help()
