"""Is the database usable? One short line that names what is wrong, for operators and members.

`unavailable_reason(exc, url)` reads a driver error: a SQLite file that cannot be opened (its
folder missing, no permission), is not a database or is damaged, is read-only, or whose disk is
full; a PostgreSQL server that cannot be reached, refuses the login, or is read-only. Any other
error (a constraint, a lock held too long) is not about the database being unavailable: None.

`probe(engine)` checks the database the way a command would use it: it opens a connection, reads
the schema, and on SQLite takes the write lock and writes (rolled back), since a read-only file
still answers reads. The reason never contains a password.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports import DatabaseUnavailable

PROBE_SECONDS = 5.0

# SQLite's primary result codes that mean the file itself is unusable.
_SQLITE_REASONS = {
    3: "is not accessible (permission denied)",  # SQLITE_PERM
    8: "is read-only",  # SQLITE_READONLY
    10: "cannot be read or written (disk I/O error)",  # SQLITE_IOERR
    11: "is damaged (corrupt)",  # SQLITE_CORRUPT
    13: "cannot grow: the disk is full",  # SQLITE_FULL
    14: "cannot be opened (does its folder exist, and may this process write there?)",  # SQLITE_CANTOPEN
    23: "is not accessible (authorization denied)",  # SQLITE_AUTH
    26: "is not a database (damaged, or another kind of file)",  # SQLITE_NOTADB
}
_SQLITE_READONLY = 8
_POSTGRES_READ_ONLY = "25006"
# PostgreSQL's SQLSTATE classes and codes that mean the server is unusable for us.
_POSTGRES_STATES = {
    "08": "cannot be reached (the connection failed)",
    "28": "refused the login",
    "3D": "has no such database",
    "53": "is out of resources (disk full or too many connections)",
    "57P01": "is shutting down",
    "57P02": "is shutting down",
    "57P03": "is not accepting connections yet",
    "25006": "is read-only",
}


def where(url: str | URL) -> str:
    """The database as an operator knows it, without a password."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername.startswith("sqlite"):
        return f"the SQLite file {parsed.database or ':memory:'}"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"PostgreSQL at {host}{port}/{parsed.database or ''}"


def unavailable_reason(exc: BaseException, url: str | URL, *, writing: bool = True) -> str | None:
    """One line naming why the database is unusable, or None if `exc` is not about that.
    `writing` False: the error came from a transaction that was to read only, so a refused write
    is that transaction's rule at work, not the database being read-only."""
    orig: Any = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary == _SQLITE_READONLY and not writing:
            return None
        found = _SQLITE_REASONS.get(primary) if primary is not None else None
        return f"{where(url)} {found}" if found else None
    if isinstance(orig, (OSError, TimeoutError)):
        return f"{where(url)} cannot be reached ({type(orig).__name__})"
    state = getattr(orig, "sqlstate", "") or ""
    if type(orig).__module__.startswith("psycopg"):
        if state == _POSTGRES_READ_ONLY and not writing:
            return None
        found = _POSTGRES_STATES.get(state) or _POSTGRES_STATES.get(state[:2])
        if found is None and not state and type(orig).__name__ == "OperationalError":
            found = _POSTGRES_STATES["08"]  # no SQLSTATE at all: no server answered
        return f"{where(url)} {found}" if found else None
    return None


def unavailable(exc: BaseException, url: str | URL, *, writing: bool = True) -> DatabaseUnavailable | None:
    """The typed error for the core when `exc` means the database is unusable, else None."""
    reason = unavailable_reason(exc, url, writing=writing)
    return DatabaseUnavailable(reason) if reason is not None else None


async def probe(engine: AsyncEngine, url: str | URL) -> str | None:
    """None when the database answers and (SQLite) takes a write; else one line saying why not."""
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            async with engine.connect() as conn:
                if conn.dialect.name == "sqlite":
                    # In the transaction the engine began (BEGIN IMMEDIATE): read the header, then
                    # write it back unchanged, rolled back. A read-only file fails here.
                    version = (await conn.execute(text("PRAGMA user_version"))).scalar_one()
                    await conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
                else:
                    await conn.execute(text("SELECT 1"))
                    if (await conn.execute(text("SHOW transaction_read_only"))).scalar_one() == "on":
                        return f"{where(url)} is read-only"
                await conn.rollback()
    except TimeoutError:
        return f"{where(url)} did not answer within {PROBE_SECONDS:.0f} s"
    except (DBAPIError, OSError) as exc:
        return unavailable_reason(exc, url) or f"{where(url)} fails ({type(exc).__name__})"
    return None


__all__ = ["probe", "unavailable", "unavailable_reason", "where"]
