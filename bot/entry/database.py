"""The database as every process meets it: migrated before anything runs, asked by /healthz
whether a command could use it, and (SQLite) its write-ahead log checkpointed in the background."""

from __future__ import annotations

import asyncio
import logging

from adapters.health import Probe
from bot.config import Config
from bot.entry.errors import CannotStart, one_line
from storage import migrate
from storage.health import unavailable_reason
from storage.store import SqlStore

log = logging.getLogger("bot")

CHECKPOINT_EVERY_SECONDS = 30.0


def run_migrations(config: Config) -> str:
    """Bring the schema up to date; a database that cannot be used is named in one line."""
    try:
        migrate.upgrade(config.database_url)
    except Exception as error:
        reason = unavailable_reason(error, config.database_url) or one_line(error)
        raise CannotStart(f"The database could not be migrated: {reason}") from None
    return "Database is up to date."


def database_probe(store: SqlStore) -> Probe:
    """The health check's question to the database: can a command use it (connect, read, and on
    SQLite take the write lock)? None, or one line naming what is wrong."""
    return store.health


async def checkpoint_periodically(store: SqlStore, every: float = CHECKPOINT_EVERY_SECONDS) -> None:
    """SQLite's write-ahead log is checkpointed here, in the background, so that no command waits
    for it (a no-op on PostgreSQL)."""
    while True:
        await asyncio.sleep(every)
        try:
            await store.checkpoint()
        except Exception as exc:  # busy or locked: the next round tries again
            log.warning("checkpoint skipped (%s)", type(exc).__name__)
