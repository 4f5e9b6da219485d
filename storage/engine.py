"""Database URLs and engines: one place that knows the drivers and SQLite's settings.

Users write plain URLs (`sqlite:///followthrough.db`, `postgresql://...`, Heroku-style
`postgres://...`); the async store runs them on aiosqlite / psycopg 3 (async), migrations on the
standard library's sqlite3 / psycopg 3 (sync).

SQLite's settings use SQLAlchemy's documented hooks only: a `connect` event sets each new
connection's pragmas and turns off the driver's own transaction handling, and a `begin` event
starts every transaction with `BEGIN IMMEDIATE` (SQLAlchemy's recipe for SQLite's transactions),
so a read-then-write use case takes the write lock up front instead of failing on a lock upgrade.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, AdaptedConnection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import PoolResetState, StaticPool

# How long a SQLite connection waits for another's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Checkpoints (which fsync) run in the background (SqlStore.checkpoint), off the commands' path;
# this only bounds the write-ahead log (~40 MB) should nothing call it.
SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000
# An execution option: the connection's statements run outside any transaction, each on its own
# (a checkpoint, which SQLite refuses inside a transaction that has read, and which must not take
# the write lock).
NO_BEGIN = "followthrough_no_begin"

# An execution option: the connection's transaction only reads. SQLite begins it deferred (it
# takes no write lock, so it never waits for a writer) and refuses any write in it (query_only);
# PostgreSQL begins it READ ONLY.
READ_ONLY = "followthrough_read_only"

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


SQLITE_PRAGMAS: tuple[tuple[str, str | int], ...] = (
    ("busy_timeout", SQLITE_BUSY_TIMEOUT_MS),
    ("foreign_keys", "ON"),
    ("journal_mode", "WAL"),
    ("synchronous", "NORMAL"),
    ("wal_autocheckpoint", SQLITE_WAL_AUTOCHECKPOINT_PAGES),
    # A deleted row's bytes are overwritten with zeros, not left in free pages (a member's forget).
    ("secure_delete", "ON"),
)


# For migrations: no foreign keys (a table rebuilt by a batch migration must not cascade).
_MIGRATION_PRAGMAS = tuple((name, value) for name, value in SQLITE_PRAGMAS if name != "foreign_keys")


# For transactions run in place (storage.store): a BEGIN that cannot take the write lock at once
# fails at once (the transaction then runs on aiosqlite's thread, which waits), and a COMMIT never
# checkpoints (which writes the log into the database and syncs it: the background checkpoint, or
# a commit off the loop, does that). Holding the write lock in WAL mode, no other statement waits.
_IN_PLACE_PRAGMAS = (
    *((name, 0 if name == "wal_autocheckpoint" else value) for name, value in SQLITE_PRAGMAS),
    ("busy_timeout", 0),
)
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def sqlite_settings(engine: Engine, *, begin_immediate: bool = True, for_migrations: bool = False,
                    in_place: bool = False) -> None:
    """SQLite's settings on every connection of `engine` (a sync engine, or an async engine's
    `sync_engine`): the pragmas above, and transactions begun by SQLAlchemy with BEGIN IMMEDIATE
    (or a plain BEGIN) instead of the driver's implicit, deferred one."""
    pragmas = _MIGRATION_PRAGMAS if for_migrations else _IN_PLACE_PRAGMAS if in_place else SQLITE_PRAGMAS

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver emits no BEGIN of its own (nor a COMMIT before DDL): the begin event does.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for name, value in pragmas:
                cursor.execute(f"PRAGMA {name} = {value}")
                cursor.fetchall()
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get(NO_BEGIN, False):
            return
        read_only = bool(options.get(READ_ONLY, False))
        if conn.info.get(READ_ONLY, False) != read_only:  # the driver connection's setting, kept until changed
            conn.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")
            conn.info[READ_ONLY] = read_only
        begin = "BEGIN IMMEDIATE" if begin_immediate and not read_only else "BEGIN"
        driver = conn.connection.dbapi_connection
        if isinstance(driver, AdaptedConnection):
            # An asyncio driver (aiosqlite): one trip to its thread, where a statement through the
            # DBAPI adapter takes three (cursor, execute, close).
            driver.run_async(lambda raw: raw.execute_fetchall(begin))
        else:
            conn.exec_driver_sql(begin)


def _rollback_if_open(engine: Engine) -> None:
    """The pool's reset when a connection comes back: a rollback only if a transaction is still
    open on it (a COMMIT that failed; SQLite then keeps the transaction, and its write lock).
    Every other use has ended its transaction already, and asking the driver's thread for a
    rollback each time costs a round trip for nothing."""

    @event.listens_for(engine, "reset")
    def _on_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
        # aiosqlite's connection under SQLAlchemy's adapter, or sqlite3's own
        driver = getattr(dbapi_connection, "driver_connection", dbapi_connection)
        if state.asyncio_safe and driver is not None and driver.in_transaction:
            dbapi_connection.rollback()


def create_sync_engine(url: str | URL, *, begin_immediate: bool = True, for_migrations: bool = False,
                       **kwargs: Any) -> Engine:
    """A sync engine (migrations, benchmarks' seeding, operators' tools) with the same settings on
    SQLite as the store's: every connection waits for another's write lock instead of failing."""
    target = sync_url(url)
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(render(target), **kwargs)
    if target.drivername == "sqlite":
        sqlite_settings(engine, begin_immediate=begin_immediate, for_migrations=for_migrations)
    return engine


def create_in_place_engine(url: str | URL) -> Engine | None:
    """The sync engine for store transactions run in place on the event loop's thread (SQLite
    files only; an in-memory database lives in the async engine's one connection)."""
    if is_sqlite_memory(url):
        return None
    engine = create_engine(render(sync_url(url)), hide_parameters=True, pool_reset_on_return=None)
    sqlite_settings(engine, in_place=True)
    _rollback_if_open(engine)
    return engine


def lock_is_taken(exc: DBAPIError) -> bool:
    """SQLite said another connection holds the lock (busy or locked)."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)


def create_store_engine(url: str | URL, *, echo: bool = False, **kwargs: Any) -> AsyncEngine:
    """An async engine for the store, with SQLite's settings when it is SQLite.

    Neither engine ever shows a statement's parameters (a member's name, e-mail, phone, company)
    in an error's message or in SQLAlchemy's own logs: `hide_parameters`."""
    target = async_url(url)
    kwargs.setdefault("hide_parameters", True)
    if target.drivername.startswith("sqlite"):
        # aiosqlite logs each call it runs, parameters included, at DEBUG: never let those through
        # (unless an operator set its level on purpose).
        driver_log = logging.getLogger("aiosqlite")
        if driver_log.level == logging.NOTSET:
            driver_log.setLevel(logging.INFO)
        if is_sqlite_memory(target):
            kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("pool_reset_on_return", None)  # see _rollback_if_open
        engine = create_async_engine(target, echo=echo, **kwargs)
        sqlite_settings(engine.sync_engine)
        _rollback_if_open(engine.sync_engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "options" not in target.query:
        # Sessions in UTC: timestamps come back in UTC already, and SQL's now() reads in UTC.
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("options", "-c timezone=UTC")
        kwargs["connect_args"] = connect_args
    return create_async_engine(target, echo=echo, **kwargs)


__all__ = [
    "NO_BEGIN",
    "READ_ONLY",
    "SQLITE_BUSY_TIMEOUT_MS",
    "async_url",
    "create_in_place_engine",
    "create_store_engine",
    "lock_is_taken",
    "create_sync_engine",
    "is_sqlite",
    "is_sqlite_memory",
    "render",
    "sqlite_settings",
    "sync_url",
]
