"""The connection a store transaction runs its statements on, as the store's code sees it.

Two kinds, one interface (`Statements`):

- `Awaited`: SQLAlchemy's AsyncConnection (aiosqlite's or psycopg's); each statement is a trip to
  the driver (aiosqlite: to its own thread, several trips per statement).
- `InPlace`: a plain sync SQLAlchemy Connection on the standard library's sqlite3, used only on
  the thread that runs the event loop (the thread that opened it: sqlite3's own rule holds). Its
  statements run at once, with no trip to another thread. SQLite serves one member's rows in
  microseconds; the only wait there could be is for another connection's write lock, and an
  in-place transaction is begun only when that lock is free at once (see storage.store). Every
  result is read to its end by the code that asked for it (a write's RETURNING rows left unread
  would make SQLite refuse the COMMIT).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Connection, CursorResult, Dialect, Executable
from sqlalchemy.ext.asyncio import AsyncConnection


class Statements(Protocol):
    """What the store's reads and writes need of a connection."""

    @property
    def dialect(self) -> Dialect: ...

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[*tuple[Any, ...]]: ...

    async def exec_driver_sql(self, sql: str) -> CursorResult[*tuple[Any, ...]]: ...


class Awaited:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    @property
    def dialect(self) -> Dialect:
        return self.conn.dialect

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[*tuple[Any, ...]]:
        return await self.conn.execute(statement, parameters)

    async def exec_driver_sql(self, sql: str) -> CursorResult[*tuple[Any, ...]]:
        return await self.conn.exec_driver_sql(sql)


class InPlace:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def dialect(self) -> Dialect:
        return self.conn.dialect

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[*tuple[Any, ...]]:
        return self.conn.execute(statement, parameters)

    async def exec_driver_sql(self, sql: str) -> CursorResult[*tuple[Any, ...]]:
        return self.conn.exec_driver_sql(sql)


__all__ = ["Awaited", "InPlace", "Statements"]
