"""A database that cannot be used is named in one clear line: at start-up and on /healthz (the
store's health()), and to a member whose command cannot run, instead of a traceback or
"please try again" for ever."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.actor import Actor
from bot.service import Service
from storage.migrate import upgrade
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.service_support import ok

SAM = Actor("console", "local", "sam")
ADD = "add company: Acme; role: Analyst; when: 2026-11-30 10:00"


def service_on(store: SqlStore) -> Service:
    return Service(store, FakeClock(datetime(2026, 12, 1, 14, 30, tzinfo=UTC)), default_tz="Europe/Berlin")


async def answer_and_log(store: SqlStore, caplog: pytest.LogCaptureFixture, text: str) -> tuple[str, str]:
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        reply = await service_on(store).handle(SAM, text)
    assert reply.error
    return reply.as_text(), caplog.text


async def test_a_working_database_is_healthy(db_url: str) -> None:
    store = SqlStore(db_url)
    try:
        assert await store.health() is None
    finally:
        await store.close()


async def test_a_file_that_is_not_a_database_is_named(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "followthrough.db"
    path.write_bytes(b"these are not the pages of a database\n" * 200)
    store = SqlStore(f"sqlite:///{path}")
    try:
        assert await store.health() == f"the SQLite file {path} is not a database (damaged, or another kind of file)"
        answer, logged = await answer_and_log(store, caplog, "list")
        assert "can't reach my database" in answer and "Please try again" not in answer
        assert f"the SQLite file {path} is not a database" in logged
        assert "Traceback" not in logged
    finally:
        await store.close()


async def test_a_file_in_a_missing_folder_is_named(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "no-such-folder" / "followthrough.db"
    store = SqlStore(f"sqlite:///{path}")
    try:
        reason = await store.health()
        assert reason is not None and reason.startswith(f"the SQLite file {path} cannot be opened")
        answer, logged = await answer_and_log(store, caplog, ADD)
        assert "can't reach my database" in answer
        assert reason in logged
        assert not path.parent.exists()
    finally:
        await store.close()


@pytest.fixture
def read_only_file(sqlite_url: str) -> Iterator[Path]:
    """A migrated SQLite file the process cannot write to. Tests run as root, for whom file modes
    are no obstacle: the file is made immutable instead (chattr +i), which binds root too."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    path = Path(make_url(sqlite_url).database or "")
    upgrade(sqlite_url)
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"this file system cannot mark a file immutable: {made.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


async def test_a_read_only_file_is_named(read_only_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = SqlStore(f"sqlite:///{read_only_file}")
    try:
        assert await store.health() == f"the SQLite file {read_only_file} is read-only"
        answer, logged = await answer_and_log(store, caplog, ADD)
        assert "can't reach my database" in answer
        assert f"the SQLite file {read_only_file} is read-only" in logged
    finally:
        await store.close()


async def test_a_database_that_is_writable_again_is_healthy_again(sqlite_url: str) -> None:
    path = Path(make_url(sqlite_url).database or "")
    store = SqlStore(sqlite_url)
    try:
        upgrade(sqlite_url)
        path.rename(path.with_suffix(".away"))
        path.write_bytes(b"not a database" * 100)
        assert await store.health() is not None
        path.unlink()
        path.with_suffix(".away").rename(path)
        assert await store.health() is None
        await ok(service_on(store), SAM, ADD)
    finally:
        await store.close()


async def test_an_unreachable_postgresql_is_named_without_its_password(caplog: pytest.LogCaptureFixture) -> None:
    # Port 9 (discard) on this machine: nothing listens there.
    store = SqlStore("postgresql://bot:pa55-w0rd-secret@127.0.0.1:9/followthrough")
    try:
        reason = await store.health()
        assert reason == "PostgreSQL at 127.0.0.1:9/followthrough cannot be reached (the connection failed)"
        answer, logged = await answer_and_log(store, caplog, "list")
        assert "can't reach my database" in answer
        assert reason in logged
        assert "pa55-w0rd-secret" not in logged + answer
    finally:
        await store.close()
