"""Slack requests any process of a deployment has already run (`slack_seen_requests`), for the
Slack adapter's replay guard on PostgreSQL, where several Slack processes share one database.

One `INSERT … ON CONFLICT DO NOTHING` per request says whether any process saw one of its keys;
rows older than the window are deleted as new ones come. SQLite deployments run one Slack process:
there the adapter's memory is the whole record and no table is written (a write would wait for
SQLite's one write lock, and Slack waits 3 seconds at most).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

WINDOW_SECONDS = 6 * 60.0  # Slack's 5-minute signature window and a minute more
PURGE_EVERY = 200  # requests between deletions of rows past the window
KEY_CHARS = 100

_metadata = MetaData()
seen_requests = Table(
    "slack_seen_requests", _metadata,
    Column("key", String(KEY_CHARS), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)


class SeenRequestsTable:
    """The record every Slack process on one PostgreSQL database shares."""

    def __init__(self, engine: AsyncEngine, window_seconds: float = WINDOW_SECONDS) -> None:
        self._engine = engine
        self._window = timedelta(seconds=window_seconds)
        self._since_purge = 0

    async def first_time(self, keys: Sequence[str]) -> bool:
        """True (and every key recorded) if no process recorded any of `keys` in the window."""
        keys = list(dict.fromkeys(k[:KEY_CHARS] for k in keys if k))
        if not keys:
            return True
        now = datetime.now(UTC)
        async with self._engine.begin() as conn:
            stmt = insert(seen_requests).values([{"key": k, "seen_at": now} for k in keys])
            inserted = (await conn.execute(stmt.on_conflict_do_nothing().returning(seen_requests.c.key))).all()
            self._since_purge += 1
            if self._since_purge >= PURGE_EVERY:
                self._since_purge = 0
                await conn.execute(delete(seen_requests).where(seen_requests.c.seen_at < now - self._window))
        return len(inserted) == len(keys)


def shared_seen_requests(engine: AsyncEngine) -> SeenRequestsTable | None:
    """The shared record on PostgreSQL; None on SQLite (one Slack process: its memory decides)."""
    return SeenRequestsTable(engine) if engine.dialect.name == "postgresql" else None
