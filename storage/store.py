"""The Store the core's ports ask for, on SQLAlchemy's asyncio engine (SQLite or PostgreSQL).

`SqlStore(url)` opens an engine; `async with store.transaction() as tx:` is one database
transaction (commit on success, rollback on an exception) whose methods take and return
bot.domain dataclasses: reads in storage.reads, writes in storage.writes, the career center's in
storage.career_center_store, the mapping between rows and dataclasses in storage.mapping. The
dispatcher's side of the reminders table is storage.dispatch_queue.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RootTransaction
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports import ClaimedReminder, Clock, Store, StoreSession, SystemClock
from storage.career_center_store import CareerCenterQueries
from storage.connection import Awaited, InPlace, Statements
from storage.dispatch_queue import DispatchQueue
from storage.engine import NO_BEGIN, READ_ONLY, create_in_place_engine, create_store_engine, lock_is_taken
from storage.health import probe, unavailable
from storage.proofread_store import ProofreadQueries
from storage.writes import Writes

log = logging.getLogger(__name__)


class SqlStoreSession(Writes, CareerCenterQueries, ProofreadQueries):
    """One transaction on one connection; implements bot.ports.StoreSession."""

    def __init__(self, conn: Statements, *, read_only: bool = False, long_reads: AsyncEngine | None = None) -> None:
        self._conn = conn
        self.read_only = read_only
        self.long_reads = long_reads
        self.erased = False

    @property
    def connection(self) -> Statements:
        """The transaction's connection, for storage code outside this class (same transaction)."""
        return self._conn


class SqlStore:
    """bot.ports.Store on SQLite (aiosqlite) or PostgreSQL (psycopg 3)."""

    def __init__(self, url: str, *, echo: bool = False, clock: Clock | None = None, **engine_options: Any) -> None:
        self._url = url
        self._engine = create_store_engine(url, echo=echo, **engine_options)
        # SQLite: a member's command runs on the event loop's thread when the write lock is free.
        self._in_place = create_in_place_engine(url) if self._engine.dialect.name == "sqlite" else None
        self._loop_thread: int | None = None
        self._queue = DispatchQueue(self._engine)
        self._clock = clock or SystemClock()

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @asynccontextmanager
    async def transaction(self, *, read_only: bool = False, long: bool = False) -> AsyncIterator[SqlStoreSession]:
        """One transaction. `read_only`: it only reads, and the database refuses any write in it
        (on SQLite it also waits for no writer). `long`: its work grows with a whole community
        (the retention purge): never on the event loop's thread.

        On SQLite, a transaction whose BEGIN gets the write lock at once (or only reads) runs in
        place, on the event loop's thread with a plain sqlite3 connection: no trip per statement
        to aiosqlite's thread (several per statement, each a thread switch: most of a short
        command's time on a busy machine). When another connection holds the lock, it runs on
        aiosqlite's thread instead, which waits for the lock without stalling the loop."""
        try:
            held = None if long else self._begin_in_place(read_only)
            if held is not None:
                conn, root = held
                try:
                    session = SqlStoreSession(InPlace(conn), read_only=read_only, long_reads=self._engine)
                    try:
                        yield session
                    except BaseException:
                        root.rollback()
                        raise
                    root.commit()
                finally:
                    conn.close()  # a transaction a failed COMMIT left open is rolled back by the pool
            else:
                async with self._engine.connect() as aconn:
                    if read_only:
                        await aconn.execution_options(**{READ_ONLY: True}, postgresql_readonly=True)
                    async with aconn.begin():
                        session = SqlStoreSession(Awaited(aconn), read_only=read_only)
                        yield session
        except DBAPIError as exc:
            problem = unavailable(exc, self._url, writing=not read_only)
            if problem is None:
                raise
            raise problem from exc
        if session.erased:
            await self.wipe_erased()

    def _begin_in_place(self, read_only: bool) -> tuple[Connection, RootTransaction] | None:
        """A sync connection with its transaction begun, if it could begin at once on this thread."""
        if self._in_place is None:
            return None
        here = threading.get_ident()
        if self._loop_thread is None:
            self._loop_thread = here
        if here != self._loop_thread:  # sqlite3 connections stay on the thread that opened them
            return None
        conn = self._in_place.connect()
        try:
            if read_only:
                conn = conn.execution_options(**{READ_ONLY: True})
            return conn, conn.begin()
        except OperationalError as exc:
            conn.close()
            if lock_is_taken(exc):
                return None  # another connection writes: wait for it off the loop
            raise

    async def wipe_erased(self) -> None:
        """SQLite: make deleted rows unreadable in the files themselves. `secure_delete` (set on
        every connection) overwrites their bytes in the pages written since; a TRUNCATE checkpoint
        then copies those pages into the database file and empties the write-ahead log, where
        older copies of the rows were. PostgreSQL: nothing here (its own VACUUM reclaims space)."""
        if self._engine.dialect.name != "sqlite":
            return
        async with self._engine.connect() as conn:
            await conn.execution_options(**{NO_BEGIN: True})
            outcome = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        if outcome[0]:  # busy
            log.warning("the write-ahead log could not be emptied after a deletion (other connections busy); "
                        "the background checkpoint will copy it")

    # ---- the dispatcher's side (storage/dispatch_queue.py) ---------------------------------------

    async def next_send_at(self, platforms: frozenset[str], now: datetime | None = None) -> datetime | None:
        return await self._queue.next_send_at(platforms, now or self._clock.now())

    async def claim_due(
        self, now: datetime, platforms: frozenset[str], limit: int, lease_seconds: float
    ) -> list[ClaimedReminder]:
        return await self._queue.claim_due(now, platforms, limit, lease_seconds)

    async def still_claimed(self, step_id: int, claim_token: str) -> bool:
        return await self._queue.still_claimed(step_id, claim_token)

    async def record_delivered(
        self, step_id: int, claim_token: str, now: datetime, next_send_at: datetime | None
    ) -> bool:
        return await self._queue.record_delivered(step_id, claim_token, now, next_send_at)

    async def record_retry(self, step_id: int, claim_token: str, retry_at: datetime, error: str) -> None:
        await self._queue.record_retry(step_id, claim_token, retry_at, error)

    async def record_failed(self, step_id: int, claim_token: str, error: str) -> None:
        await self._queue.record_failed(step_id, claim_token, error)

    async def release_claims(self, claims: list[tuple[int, str]]) -> int:
        """Hand back (step_id, claim_token) claims the dispatcher will not deliver."""
        return await self._queue.release_claims(claims)

    async def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database (a PASSIVE checkpoint, which never
        waits for readers or writers). Run periodically in the background so commands never pay
        for it. PostgreSQL: nothing to do."""
        if self._engine.dialect.name != "sqlite":
            return
        async with self._engine.connect() as conn:
            # Outside a transaction: a checkpoint needs no write lock, and must not wait for one.
            await conn.execution_options(**{NO_BEGIN: True})
            (await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")).all()

    async def health(self) -> str | None:
        """None when the database can be read and written; else one short line naming what is
        wrong (for start-up and /healthz)."""
        return await probe(self._engine, self._url)

    async def close(self) -> None:
        if self._in_place is not None:
            self._in_place.dispose()
        await self._engine.dispose()


def _conforms(store: SqlStore, session: SqlStoreSession) -> tuple[Store, StoreSession]:
    """Never called: makes mypy check that the classes implement the ports' protocols."""
    return store, session


__all__ = ["SqlStore", "SqlStoreSession"]
