"""Database URLs and engines: one place that knows the drivers and SQLite's settings.

Users write plain URLs (`sqlite:///followthrough.db`, `postgresql://...`, Heroku-style
`postgres://...`); the async store runs them on aiosqlite / psycopg 3 (async), migrations on the
standard library's sqlite3 / psycopg 3 (sync).
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite, SQLiteExecutionContext_aiosqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import PoolProxiedConnection, StaticPool
from sqlalchemy.util import await_only

# How long a SQLite connection waits for another's write lock before giving up.
SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000
SQLITE_BUSY_TIMEOUT_MS = 15_000

_SQLITE_DRIVERS = {"sqlite", "sqlite+pysqlite", "sqlite+aiosqlite"}
_POSTGRES_DRIVERS = {
    "postgres",
    "postgresql",
    "postgresql+psycopg",
    "postgresql+psycopg_async",
    "postgresql+psycopg2",
    "postgresql+asyncpg",
}


def _parse(url: str | URL) -> URL:
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername not in _SQLITE_DRIVERS | _POSTGRES_DRIVERS:
        raise ValueError(f"unsupported database URL scheme {parsed.drivername!r}: use sqlite:// or postgresql://")
    return parsed


def is_sqlite(url: str | URL) -> bool:
    return _parse(url).drivername in _SQLITE_DRIVERS


def is_sqlite_memory(url: str | URL) -> bool:
    parsed = _parse(url)
    return parsed.drivername in _SQLITE_DRIVERS and parsed.database in (None, "", ":memory:")


def async_url(url: str | URL) -> URL:
    """The URL for the async store: sqlite+aiosqlite or postgresql+psycopg (async)."""
    parsed = _parse(url)
    driver = "sqlite+aiosqlite" if parsed.drivername in _SQLITE_DRIVERS else "postgresql+psycopg"
    return parsed.set(drivername=driver)


def sync_url(url: str | URL) -> URL:
    """The URL for migrations and other sync work: sqlite (pysqlite) or postgresql+psycopg."""
    parsed = _parse(url)
    driver = "sqlite" if parsed.drivername in _SQLITE_DRIVERS else "postgresql+psycopg"
    return parsed.set(drivername=driver)


def render(url: URL) -> str:
    """The URL as a string, password included (for handing to a driver; never log it)."""
    return url.render_as_string(hide_password=False)


def _sqlite_settings(engine: Engine) -> None:
    """WAL, a busy timeout and foreign keys on every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The dialect below emits BEGIN itself, instead of the driver's lazy one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints (which fsync) are run in the background by SqlStore.checkpoint, off the
            # commands' path; this only bounds the WAL (~40 MB) should nothing call it.
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_AUTOCHECKPOINT_PAGES}")
        finally:
            cursor.close()


_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# Attributes set on aiosqlite's connection: the next transaction may run in place; this one does.
_TRY_IN_PLACE = "_followthrough_try_in_place"
_IN_PLACE = "_followthrough_in_place"


def _driver(conn: AsyncConnection) -> Any:
    """The driver's connection under an open AsyncConnection (aiosqlite's, on SQLite)."""
    return conn.sync_connection.connection.driver_connection if conn.sync_connection is not None else None


def try_in_place(conn: AsyncConnection) -> None:
    """Let the transaction `conn` begins next run in place if it gets the write lock at once (see
    SQLiteDialect). For the short transactions of members' commands; without it (the dispatcher,
    checkpoints) every statement goes through aiosqlite's thread."""
    if conn.dialect.name == "sqlite":
        setattr(_driver(conn), _TRY_IN_PLACE, True)


@contextmanager
def off_the_loop(conn: AsyncConnection) -> Iterator[None]:
    """Statements in this block run on aiosqlite's thread even in a transaction running in place:
    for work whose time grows with a whole community (statistics, the retention purge)."""
    driver = _driver(conn)
    was = getattr(driver, _IN_PLACE, False)
    if was:
        setattr(driver, _IN_PLACE, False)
    try:
        yield
    finally:
        if was:
            setattr(driver, _IN_PLACE, True)


def in_place(connection: PoolProxiedConnection | AsyncConnection) -> sqlite3.Connection | None:
    """The sqlite3 connection under `connection` when its transaction runs in place (see
    SQLiteDialect), else None: statements then go through aiosqlite's thread as usual."""
    driver = _driver(connection) if isinstance(connection, AsyncConnection) else connection.driver_connection
    return driver._connection if getattr(driver, _IN_PLACE, False) else None  # type: ignore[union-attr,no-any-return]


async def _nothing() -> None:
    return None


class _InPlaceCursor(sqlite3.Cursor):
    """sqlite3's cursor as SQLAlchemy's asyncio layer expects a driver's: it awaits (a coroutine
    done at once, never yielding to the loop) and fetches every row when it executes, so no
    statement is left running."""

    _buffered: deque[Any]

    def execute(self, sql: str, parameters: Any = (), /) -> _InPlaceCursor:
        await_only(_nothing())
        super().execute(sql, parameters)
        self._buffered = deque(super().fetchall() if self.description is not None else ())
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> _InPlaceCursor:
        await_only(_nothing())
        super().executemany(sql, seq_of_parameters)
        self._buffered = deque()
        return self

    def fetchone(self) -> Any:
        return self._buffered.popleft() if self._buffered else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        return [self._buffered.popleft() for _ in range(min(count, len(self._buffered)))]

    def fetchall(self) -> list[Any]:
        taken = list(self._buffered)
        self._buffered.clear()
        return taken

    async def _async_soft_close(self) -> None:
        """What SQLAlchemy calls on an async driver's cursor once a result is in: nothing to do."""


class _InPlaceExecutionContext(SQLiteExecutionContext_aiosqlite):
    """A statement of a transaction running in place gets a plain sqlite3 cursor."""

    def create_default_cursor(self) -> Any:
        raw = in_place(self._dbapi_connection)
        return raw.cursor(_InPlaceCursor) if raw is not None else super().create_default_cursor()


class SQLiteDialect(SQLiteDialect_aiosqlite):
    """aiosqlite, with two changes for the store.

    Every transaction begins with BEGIN IMMEDIATE, so a read-then-write use case never fails on a
    lock upgrade (SQLite would raise "database is locked" at once instead of waiting).

    And a member's command (try_in_place) whose transaction gets the write lock at once runs in
    place: its statements run on the event loop's thread with plain sqlite3 cursors, instead of
    several trips per statement to aiosqlite's thread (~0.3 ms each on a busy machine: most of a
    short command's time). Holding the write lock, in WAL mode, no statement waits on another
    connection, so none stalls the loop longer than its own work on one member's rows. Only BEGIN
    could wait, and it is tried with no busy timeout: if another connection holds the lock, the
    transaction begins on aiosqlite's thread, waiting there as usual, and runs there throughout.
    Its COMMIT never runs a checkpoint.
    """

    supports_statement_cache = True
    execution_ctx_cls = _InPlaceExecutionContext

    def do_begin(self, dbapi_connection: PoolProxiedConnection) -> None:  # type: ignore[override]
        driver = dbapi_connection.driver_connection
        raw = getattr(driver, "_connection", None)
        wanted = getattr(driver, _TRY_IN_PLACE, False)
        setattr(driver, _TRY_IN_PLACE, False)
        at_once = wanted and raw is not None and _begin_at_once(raw)
        setattr(driver, _IN_PLACE, at_once)
        if not at_once:
            await_only(driver.execute("BEGIN IMMEDIATE"))  # type: ignore[union-attr]

    def do_commit(self, dbapi_connection: PoolProxiedConnection) -> None:  # type: ignore[override]
        raw = in_place(dbapi_connection)
        try:
            if raw is None:
                super().do_commit(dbapi_connection)
            else:
                # Never a checkpoint (which writes the log into the database and syncs it) on the
                # loop: the background checkpoint, or a commit on aiosqlite's thread, does that.
                _pragma(raw, "wal_autocheckpoint", 0)
                try:
                    raw.commit()
                finally:
                    _pragma(raw, "wal_autocheckpoint", SQLITE_WAL_AUTOCHECKPOINT_PAGES)
        except Exception:
            # The pool takes the connection back as it is: never with the write lock still held.
            with suppress(Exception):
                self.do_rollback(dbapi_connection)
            raise
        setattr(dbapi_connection.driver_connection, _IN_PLACE, False)

    def do_rollback(self, dbapi_connection: PoolProxiedConnection) -> None:  # type: ignore[override]
        raw = in_place(dbapi_connection)
        if raw is None:
            super().do_rollback(dbapi_connection)
        else:
            setattr(dbapi_connection.driver_connection, _IN_PLACE, False)
            raw.rollback()


def _begin_at_once(raw: sqlite3.Connection) -> bool:
    """BEGIN IMMEDIATE without waiting: False (and no transaction) when another connection holds
    the write lock."""
    _pragma(raw, "busy_timeout", 0)
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return False
        raise
    finally:
        _pragma(raw, "busy_timeout", SQLITE_BUSY_TIMEOUT_MS)
    return True


def _pragma(raw: sqlite3.Connection, name: str, value: int) -> None:
    """Set a connection setting, its answer row read: no statement is left in progress."""
    raw.execute(f"PRAGMA {name} = {int(value)}").fetchall()


registry.register("sqlite.followthrough", __name__, "SQLiteDialect")


def create_store_engine(url: str | URL, *, echo: bool = False, **kwargs: Any) -> AsyncEngine:
    """An async engine for the store, with SQLite's settings when it is SQLite."""
    target = async_url(url)
    if target.drivername.startswith("sqlite"):
        if is_sqlite_memory(target):
            kwargs.setdefault("poolclass", StaticPool)
        # Every use ends its transaction itself (commit, or rollback when the connection closes):
        # the pool's extra rollback on return would only cost another trip to the driver's thread.
        kwargs.setdefault("pool_reset_on_return", None)
        # The connection is made on aiosqlite's thread and used from the loop's (see SQLiteDialect).
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("check_same_thread", False)
        kwargs["connect_args"] = connect_args
        engine = create_async_engine(target.set(drivername="sqlite+followthrough"), echo=echo, **kwargs)
        _sqlite_settings(engine.sync_engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "options" not in target.query:
        # Sessions in UTC: timestamps come back in UTC already, and SQL's now() reads in UTC.
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("options", "-c timezone=UTC")
        kwargs["connect_args"] = connect_args
    return create_async_engine(target, echo=echo, **kwargs)


__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "async_url",
    "create_store_engine",
    "is_sqlite",
    "is_sqlite_memory",
    "render",
    "sync_url",
]
