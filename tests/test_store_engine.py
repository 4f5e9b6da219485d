"""The URLs operators write reach the right drivers, and SQLite gets its safety settings."""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
import time
import traceback
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.domain import Interview, UserSettings
from storage.engine import async_url, is_sqlite, render, sync_url
from storage.store import SqlStore


@pytest.mark.parametrize(
    ("given", "for_the_store", "for_migrations"),
    [
        ("sqlite:///followthrough.db", "sqlite+aiosqlite:///followthrough.db", "sqlite:///followthrough.db"),
        ("sqlite:////var/lib/ft.db", "sqlite+aiosqlite:////var/lib/ft.db", "sqlite:////var/lib/ft.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db", "sqlite:///x.db"),
        (
            "postgres://bot:s3cr%40t@db.example:5432/ft",
            "postgresql+psycopg://bot:s3cr%40t@db.example:5432/ft",
            "postgresql+psycopg://bot:s3cr%40t@db.example:5432/ft",
        ),
        ("postgresql://db/ft?sslmode=require", "postgresql+psycopg://db/ft?sslmode=require",
         "postgresql+psycopg://db/ft?sslmode=require"),
        ("postgresql+psycopg2://db/ft", "postgresql+psycopg://db/ft", "postgresql+psycopg://db/ft"),
    ],
)
def test_database_urls_map_to_the_async_and_sync_drivers(given: str, for_the_store: str, for_migrations: str) -> None:
    assert render(async_url(given)) == for_the_store
    assert render(sync_url(given)) == for_migrations
    assert is_sqlite(given) == given.startswith("sqlite")


def test_an_unknown_database_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="unsupported database URL"):
        SqlStore("mysql://db/ft")


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    store = SqlStore(sqlite_url)
    try:
        async with store.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar_one() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar_one() >= 5000
    finally:
        await store.close()


async def test_two_stores_on_one_sqlite_file_write_in_turn(sqlite_url: str) -> None:
    """Two processes' stores on one file: concurrent read-then-write use cases both succeed."""
    first, second = SqlStore(sqlite_url), SqlStore(sqlite_url)
    try:
        async with first.transaction() as tx:
            user = await tx.save_user(UserSettings(platform="console", community="local", external_id="me"))
        assert user.id is not None
        uid = user.id

        async def add_one(store: SqlStore, company: str) -> int:
            async with store.transaction() as tx:
                await tx.interviews(uid)
                await asyncio.sleep(0.01)  # hold the transaction while the other one starts
                added = await tx.add_interview(
                    Interview(user_id=uid, company=company, role="Analyst",
                              starts_at=datetime(2026, 12, 1, 10, tzinfo=UTC), duration=timedelta(hours=1))
                )
                return added.number

        numbers = await asyncio.gather(*(add_one(s, f"C{i}") for i, s in enumerate([first, second] * 3)))
        assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
    finally:
        await first.close()
        await second.close()


async def test_waiting_for_another_writer_on_sqlite_does_not_stall_the_bot(sqlite_url: str) -> None:
    """While another process holds the write lock, a command waits off the event loop (on the
    driver's thread: Slack acks and Discord heartbeats go on) and goes through when it is released."""
    store = SqlStore(sqlite_url)
    other_process = sqlite3.connect(make_url(sqlite_url).database or "", isolation_level=None)
    try:
        async with store.transaction() as tx:
            user = await tx.save_user(UserSettings(platform="console", community="local", external_id="me"))
        other_process.execute("BEGIN IMMEDIATE")

        async def command() -> UserSettings | None:
            async with store.transaction() as tx:
                found = await tx.user("console", "local", "me")
                assert found is not None
                found.name = "Sam Rivera"
                return await tx.save_user(found)

        waiting = asyncio.create_task(command())
        ticks = [time.monotonic()]
        for _ in range(15):
            await asyncio.sleep(0.02)
            ticks.append(time.monotonic())
        assert not waiting.done()
        # The loop kept running: no gap near SQLite's busy timeout (15 s) between two 20 ms sleeps.
        assert max(b - a for a, b in itertools.pairwise(ticks)) < 1
        other_process.execute("ROLLBACK")
        saved = await asyncio.wait_for(waiting, 10)
        assert saved is not None and saved.id == user.id
        assert other_process.execute("SELECT name FROM users").fetchall() == [("Sam Rivera",)]

        async with store.transaction() as tx:  # the lock is free: committed at once
            found = await tx.user("console", "local", "me")
            assert found is not None
            found.tz = "Europe/Berlin"
            await tx.save_user(found)
        assert other_process.execute("SELECT tz FROM users").fetchall() == [("Europe/Berlin",)]
    finally:
        other_process.close()
        await store.close()


async def test_a_commit_that_fails_leaves_nothing_written_and_nothing_locked(sqlite_url: str) -> None:
    """If SQLite refuses a COMMIT (here: a deferred foreign key left dangling), the command fails,
    its writes are undone, and the write lock is not kept: the next command, of this process or
    another, goes ahead at once."""
    store = SqlStore(sqlite_url)
    path = make_url(sqlite_url).database or ""
    try:
        with pytest.raises(IntegrityError):
            async with store.transaction() as tx:
                await tx.save_user(UserSettings(platform="console", community="local", external_id="me"))
                conn = tx.connection
                await conn.execute(text("CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY)"))
                await conn.execute(text("CREATE TEMP TABLE child (parent_id INTEGER REFERENCES parent (id) "
                                        "DEFERRABLE INITIALLY DEFERRED)"))
                await conn.execute(text("INSERT INTO child VALUES (1)"))  # refused only at COMMIT
        other_process = sqlite3.connect(path, timeout=0.2, isolation_level=None)
        try:
            other_process.execute("BEGIN IMMEDIATE")  # not "database is locked"
            assert other_process.execute("SELECT count(*) FROM users").fetchall() == [(0,)]
            other_process.execute("ROLLBACK")
        finally:
            other_process.close()
        async with store.transaction() as tx:
            assert (await tx.save_user(UserSettings(platform="console", community="local",
                                                    external_id="me"))).id is not None
    finally:
        await store.close()


async def test_an_in_memory_sqlite_store_keeps_one_database() -> None:
    store = SqlStore("sqlite://")
    try:
        async with store.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
        async with store.engine.connect() as conn:
            assert (await conn.execute(text("SELECT x FROM t"))).scalar_one() == 1
    finally:
        await store.close()


async def test_a_database_error_never_shows_a_members_details_in_the_logs(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    """A statement that fails carries the member's name, e-mail and phone as parameters: neither
    the error's message nor any log line at any level (SQLAlchemy's own included) shows them."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    secret = f"jordan.{uuid.uuid4().hex[:8]}@private.example"
    async with store.transaction() as tx:
        await tx.save_user(UserSettings(platform="console", community="local", external_id="first"))
        second = await tx.save_user(UserSettings(platform="console", community="local", external_id="second"))
    second.external_id = "first"  # taken: the UPDATE breaks the unique key
    second.name, second.email, second.phone = "Jordan Private", secret, "+1 555 0199 777"
    with pytest.raises(IntegrityError) as caught:
        async with store.transaction() as tx:
            await tx.save_user(second)
    logging.getLogger("bot.service").exception("command Settings failed", exc_info=caught.value)
    shown = caplog.text + "".join(traceback.format_exception(caught.value))
    assert "IntegrityError" in shown
    for detail in (secret, "Jordan Private", "555 0199 777"):
        assert detail not in shown


async def test_a_read_only_transaction_refuses_to_write_and_leaves_the_next_one_writable(store: SqlStore) -> None:
    with pytest.raises(DBAPIError):
        async with store.transaction(read_only=True) as tx:
            assert await tx.user("console", "local", "me") is None
            await tx.save_user(UserSettings(platform="console", community="local", external_id="me"))
    async with store.transaction() as tx:
        assert await tx.user("console", "local", "me") is None  # nothing was written
        saved = await tx.save_user(UserSettings(platform="console", community="local", external_id="me"))
    async with store.transaction(read_only=True) as tx:
        assert await tx.user("console", "local", "me") == saved
