"""Slack requests already run, as every Slack process on one PostgreSQL database sees them: the
`slack_seen_requests` table. One `INSERT … ON CONFLICT DO NOTHING` per request says whether any
process saw it first; rows older than the replay window are deleted as new ones come. On SQLite
(one process by design) there is no shared record: a write there would wait for the database's
one write lock, and Slack's 3 seconds cannot.
"""

from __future__ import annotations

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


class SharedSeenRequests:
    """The record of requests seen, shared by the processes on one PostgreSQL database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._since_purge = 0

    async def first_time(self, keys: list[str]) -> bool:
        """True (and every key recorded) if no process recorded any of `keys` in the window."""
        keys = [k[:KEY_CHARS] for k in keys if k]
        if not keys:
            return True
        now = datetime.now(UTC)
        async with self._engine.begin() as conn:
            stmt = insert(seen_requests).values([{"key": k, "seen_at": now} for k in keys])
            inserted = (await conn.execute(stmt.on_conflict_do_nothing().returning(seen_requests.c.key))).all()
            self._since_purge += 1
            if self._since_purge >= PURGE_EVERY:
                self._since_purge = 0
                await conn.execute(delete(seen_requests).where(
                    seen_requests.c.seen_at < now - timedelta(seconds=WINDOW_SECONDS)))
        return len(inserted) == len(keys)


def shared_seen_requests(engine: AsyncEngine) -> SharedSeenRequests | None:
    """The shared record on PostgreSQL; None on SQLite (each process's memory is the record)."""
    return SharedSeenRequests(engine) if engine.dialect.name == "postgresql" else None


__all__ = ["SharedSeenRequests", "shared_seen_requests"]
