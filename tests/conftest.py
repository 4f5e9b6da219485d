"""Shared fixtures: fresh databases (SQLite in a temp file, PostgreSQL in a database of its own).

- `db_url`: parametrised "sqlite" / "postgres"; a fresh database migrated to head; a plain
  (sync-style) URL such as sqlite:///... or postgresql://...
- `store`: a storage.store.SqlStore on `db_url`, closed afterwards.
- `sqlite_url`: like `db_url`, SQLite only (for tests that need not run twice).
- `sqlite_store`: like `store`, on `sqlite_url`.
- `empty_db_url`: parametrised like `db_url` but not migrated (for migration tests).
- `clock`, `default_tz`, `service`: the core on `store`, its clock at NOW (tests.service_support)
  moved by hand, its default zone Europe/Berlin; a test module overrides `clock` or `default_tz`
  to start elsewhere.

Cheap per test: each session migrates one template per backend once. SQLite: every test gets
a copy of the template file. PostgreSQL ($FOLLOWTHROUGH_TEST_POSTGRES_URL, default
postgresql://postgres@127.0.0.1:5432/test): databases are named ft_<random>, created by this
session (`CREATE DATABASE ... TEMPLATE`) and dropped WITH (FORCE) when it ends, so several people
can run the suite against one server at once. As CREATE DATABASE costs ~0.3 s, a database a test
has finished with is emptied (every row deleted, sequences reset; ~10 ms) and handed to this
session's next test; it is created afresh when that fails or its schema is not at head.
FOLLOWTHROUGH_TEST_FRESH_DATABASES=1 creates and drops one per test instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from bot.service import Service
from storage import migrate
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.service_support import NOW

POSTGRES_URL = os.environ.get("FOLLOWTHROUGH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgres"]
ALWAYS_FRESH = os.environ.get("FOLLOWTHROUGH_TEST_FRESH_DATABASES", "") not in ("", "0")


def _postgres_url(database: str) -> str:
    """The server of POSTGRES_URL, database `database`, as a plain postgresql:// URL."""
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


def _admin() -> psycopg.Connection:
    """An autocommit connection to the server's maintenance database (POSTGRES_URL's)."""
    return psycopg.connect(_postgres_url(make_url(POSTGRES_URL).database or "postgres"), autocommit=True)


def create_postgres_database(template: str | None = None) -> str:
    """CREATE DATABASE ft_<random> (a copy of `template` if given); returns its name."""
    name = f"ft_{uuid.uuid4().hex[:16]}"
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
    with _admin() as conn:
        conn.execute(query)
    return name


def drop_postgres_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Databases:
    """Per-session templates, made on first use, and fresh databases copied from them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sqlite_template: Path | None = None
        self._postgres_template: str | None = None
        self._postgres_spare: list[str] = []  # migrated databases a finished test handed back
        self._head = migrate.head()

    def sqlite_template(self) -> Path:
        if self._sqlite_template is None:
            path = self.root / "template.db"
            migrate.upgrade(f"sqlite:///{path}")
            self._sqlite_template = path
        return self._sqlite_template

    def postgres_template(self) -> str:
        if self._postgres_template is None:
            name = create_postgres_database()
            self._postgres_template = name
            migrate.upgrade(_postgres_url(name))
        return self._postgres_template

    @contextmanager
    def fresh(self, backend: str, *, migrated: bool = True) -> Iterator[str]:
        """A new database of its own: yields its URL, removes it afterwards."""
        if backend == "sqlite":
            path = self.root / f"ft_{uuid.uuid4().hex[:16]}.db"
            if migrated:
                shutil.copyfile(self.sqlite_template(), path)
            try:
                yield f"sqlite:///{path}"
            finally:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        elif backend == "postgres" and migrated:
            name = self._spare_postgres() or create_postgres_database(self.postgres_template())
            try:
                yield _postgres_url(name)
            finally:
                if ALWAYS_FRESH:
                    drop_postgres_database(name)
                else:
                    self._postgres_spare.append(name)
        elif backend == "postgres":
            name = create_postgres_database()
            try:
                yield _postgres_url(name)
            finally:
                drop_postgres_database(name)
        else:  # pragma: no cover - a typo in a test
            raise ValueError(f"unknown backend {backend!r}")

    def _spare_postgres(self) -> str | None:
        """A database an earlier test used, emptied; None if there is none (or it would not empty)."""
        while self._postgres_spare:
            name = self._postgres_spare.pop()
            if self._empty_postgres(name):
                return name
            drop_postgres_database(name)
        return None

    def _empty_postgres(self, name: str) -> bool:
        """Delete every row of every table but alembic_version and restart the sequences, if the
        schema is still at head. False if that is not possible (a test changed the schema, or
        left a connection holding locks)."""
        try:
            with psycopg.connect(_postgres_url(name)) as conn:
                conn.execute("SET LOCAL lock_timeout = '2s'")
                versions = [v for (v,) in conn.execute("SELECT version_num FROM alembic_version")]
                if versions != [self._head]:
                    return False
                # Foreign keys are triggers: replica mode skips them, so any order will do.
                conn.execute("SET LOCAL session_replication_role = replica")
                tables = conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                ).fetchall()
                for (table,) in tables:
                    conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
                conn.execute(
                    "SELECT setval(c.oid, 1, false) FROM pg_class c "
                    "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
                )
            return True
        except psycopg.Error:
            return False

    def close(self) -> None:
        for name in self._postgres_spare:
            drop_postgres_database(name)
        self._postgres_spare.clear()
        if self._postgres_template is not None:
            drop_postgres_database(self._postgres_template)
            self._postgres_template = None


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("databases"))
    try:
        yield dbs
    finally:
        dbs.close()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, databases: Databases) -> Iterator[str]:
    """A fresh database migrated to head, on SQLite and on PostgreSQL."""
    with databases.fresh(request.param) as url:
        yield url


@pytest.fixture
def sqlite_url(databases: Databases) -> Iterator[str]:
    """A fresh SQLite database migrated to head."""
    with databases.fresh("sqlite") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, databases: Databases) -> Iterator[str]:
    """A fresh, empty (never migrated) database, on SQLite and on PostgreSQL."""
    with databases.fresh(request.param, migrated=False) as url:
        yield url


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[SqlStore]:
    """An SqlStore on `url`, closed afterwards."""
    sql_store = SqlStore(url)
    try:
        yield sql_store
    finally:
        await sql_store.close()


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SqlStore]:
    """An SqlStore on a fresh database of each backend."""
    async with opened(db_url) as sql_store:
        yield sql_store


@pytest.fixture
async def sqlite_store(sqlite_url: str) -> AsyncIterator[SqlStore]:
    """An SqlStore on a fresh SQLite database."""
    async with opened(sqlite_url) as sql_store:
        yield sql_store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def default_tz() -> str:
    """The zone the service assumes for a member who has set none."""
    return "Europe/Berlin"


@pytest.fixture
def service(store: SqlStore, clock: FakeClock, default_tz: str) -> Service:
    """The core through Service.handle, on SQLite and on PostgreSQL."""
    return Service(store, clock, default_tz=default_tz)
