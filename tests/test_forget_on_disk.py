"""Forget means gone: once `forget confirm` has answered, a member's details are in neither the
SQLite database file nor its write-ahead log, and nothing of theirs comes back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.actor import Actor
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.service_support import ok


def files_of(url: str) -> list[Path]:
    db = Path(make_url(url).database or "")
    return [p for p in (db, db.with_name(db.name + "-wal")) if p.exists()]


def found_on_disk(url: str, needle: str) -> list[str]:
    return [p.name for p in files_of(url) if needle.encode() in p.read_bytes()]


async def test_forget_leaves_no_byte_of_the_members_details_in_the_sqlite_files(sqlite_url: str) -> None:
    store = SqlStore(sqlite_url)
    service = Service(store, FakeClock(datetime(2026, 12, 1, 14, 30, tzinfo=UTC)), default_tz="Europe/Berlin")
    tag = uuid.uuid4().hex[:10]
    own, theirs, company = f"sam.{tag}@mail.example", f"jane.{tag}@corp.example", f"Company{tag}"
    sam = Actor("console", "local", f"sam-{tag}")
    other = Actor("console", "local", "someone-else")
    try:
        await ok(service, sam, f"settings name: Sam Rivera; email: {own}; phone: 555-0100")
        for n in range(3):
            await ok(service, sam, f"add company: {company}; role: Analyst {n}; when: 2026-11-30 10:00; "
                                   f"with: Ms. Jane Richardson <{theirs}>")
        await ok(service, other, "add company: Acme; role: Tester; when: 2026-11-30 10:00")
        await store.checkpoint()  # some of it in the database file, some in the log
        await ok(service, sam, f"update #1 role: Senior Analyst at {company}")
        for needle in (own, theirs, company):
            assert found_on_disk(sqlite_url, needle), needle  # the check below can fail

        await ok(service, sam, "forget confirm")

        for needle in (own, theirs, company):
            assert found_on_disk(sqlite_url, needle) == [], needle
        # Everyone else's data is untouched.
        assert "Acme" in (await ok(service, other, "list")).as_text()
    finally:
        await store.close()


async def test_after_forget_commands_that_only_read_bring_no_row_back(store: SqlStore) -> None:
    """A forgotten member's home tab refreshes (a list and their interview choices) and any other
    command that only shows something: they get their answer, and the bot keeps no row of them."""
    service = Service(store, FakeClock(datetime(2026, 12, 1, 14, 30, tzinfo=UTC)), default_tz="Europe/Berlin")
    sam = Actor("console", "local", "sam")
    await ok(service, sam, "add company: Acme; role: Analyst; when: 2026-11-30 10:00")
    await ok(service, sam, "forget confirm")

    assert "#1" not in (await ok(service, sam, "list")).as_text()
    assert await service.interview_choices(sam, "", active_only=True) == []
    for text in ("list all", "help", "settings", "forget", "export", "calendar", "add"):
        await ok(service, sam, text)
    assert (await service.handle(sam, "show #1")).error  # nothing to show, and nothing kept either
    async with store.transaction(read_only=True) as tx:
        assert await tx.user(sam.platform, sam.community, sam.external_id) is None

    await ok(service, sam, "settings tz: Europe/Berlin")  # a command that changes something keeps them
    async with store.transaction(read_only=True) as tx:
        assert await tx.user(sam.platform, sam.community, sam.external_id) is not None
