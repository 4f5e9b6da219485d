"""Which Slack requests already ran, so that a replay (the same signed request again, or a command
or form submission with a trigger id already seen) is acknowledged and not run again.

Kept in this process's memory for `MEMORY_SECONDS` (Slack's 5-minute signature window and a
minute more), and, when the database is PostgreSQL (the deployment where several Slack processes
share one database), in the `slack_seen_requests` table too: one `INSERT … ON CONFLICT DO NOTHING`
per request says whether any process saw it; rows older than the window are deleted as new ones
come. On SQLite (one process by design) memory alone is the record: a write there would wait for
the database's one write lock, and Slack's 3 seconds cannot.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.memory import Seen

log = logging.getLogger(__name__)

MEMORY_SECONDS = 6 * 60.0
PURGE_EVERY = 200  # requests between deletions of rows past the window
KEY_CHARS = 100

_metadata = MetaData()
seen_requests = Table(
    "slack_seen_requests", _metadata,
    Column("key", String(KEY_CHARS), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)


class SeenRequests:
    def __init__(self, engine: AsyncEngine | None = None) -> None:
        self._memory = Seen(ttl=MEMORY_SECONDS)
        self._engine = engine if engine is not None and engine.dialect.name == "postgresql" else None
        self._since_purge = 0

    @property
    def shared(self) -> bool:
        """Whether other processes on the same database see what this one saw."""
        return self._engine is not None

    async def first_time(self, keys: list[str]) -> bool:
        """True (and every key recorded) if none of `keys` was seen in the window."""
        keys = [k[:KEY_CHARS] for k in keys if k]
        if any(k in self._memory for k in keys):
            return False
        for key in keys:
            self._memory.first_time(key)
        if self._engine is None:
            return True
        try:
            return await self._first_in_database(keys)
        except Exception as error:  # the database is down: memory still guards this process
            log.warning("replay check in the database failed (%s): this process's memory decides",
                        type(error).__name__)
            return True

    async def _first_in_database(self, keys: list[str]) -> bool:
        assert self._engine is not None
        now = datetime.now(UTC)
        async with self._engine.begin() as conn:
            stmt = insert(seen_requests).values([{"key": k, "seen_at": now} for k in keys])
            inserted = (await conn.execute(stmt.on_conflict_do_nothing().returning(seen_requests.c.key))).all()
            self._since_purge += 1
            if self._since_purge >= PURGE_EVERY:
                self._since_purge = 0
                await conn.execute(delete(seen_requests).where(
                    seen_requests.c.seen_at < now - timedelta(seconds=MEMORY_SECONDS)))
        return len(inserted) == len(keys)
