"""Database URLs and engines: one place that knows the drivers and SQLite's settings.

Users write plain URLs (`sqlite:///followthrough.db`, `postgresql://...`, Heroku-style
`postgres://...`); the async store runs them on aiosqlite / psycopg 3 (async), migrations on the
standard library's sqlite3 / psycopg 3 (sync).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
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
    """WAL, a busy timeout and foreign keys on every SQLite connection; every transaction begins
    with BEGIN IMMEDIATE, so a read-then-write use case never fails on a lock upgrade (SQLite
    would raise "database is locked" at once instead of waiting)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN, instead of the driver's lazy one.
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

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        driver = connection.connection.driver_connection
        if hasattr(driver, "_execute"):  # aiosqlite: one trip to its thread, not a cursor's three
            await_only(driver.execute("BEGIN IMMEDIATE"))
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_store_engine(url: str | URL, *, echo: bool = False, **kwargs: Any) -> AsyncEngine:
    """An async engine for the store, with SQLite's settings when it is SQLite."""
    target = async_url(url)
    if target.drivername.startswith("sqlite"):
        if is_sqlite_memory(target):
            kwargs.setdefault("poolclass", StaticPool)
        # Every use ends its transaction itself (commit, or rollback when the connection closes):
        # the pool's extra rollback on return would only cost another trip to the driver's thread.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(target, echo=echo, **kwargs)
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
