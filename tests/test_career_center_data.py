"""Data rights and retention: the export's JSON and CSV, forgetting every row of one member (and none
of another's), and deleting the data of members who left once the retention period has passed."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.actor import Actor
from bot.career_center.retention import RetentionPurge, member_left, member_returned, purge_expired
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.service_support import ok

ALICE = Actor("console", "local", "alice")
BOB = Actor("console", "local", "bob")
BOSS = Actor("console", "local", "boss", is_admin=True)
CAROL = Actor("console", "elsewhere", "carol")  # a community with no retention period
ADD = ("add company: Horizon Marketing; role: Marketing Coordinator; when: 2026-12-01 14:00; "
       "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand campaign launch; "
       "with: Tom Lee (Talent Partner, recruiter) <tom@horizon.example>; topics: social media outreach")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 16, 0, tzinfo=UTC))


async def rows_of(store: SqlStore, external_id: str) -> dict[str, int]:
    """How many rows of each table belong to that member."""
    queries = {
        "users": "SELECT count(*) FROM users WHERE external_id = :who",
        "interviews": "SELECT count(*) FROM interviews i JOIN users u ON u.id = i.user_id WHERE u.external_id = :who",
        "interviewers": "SELECT count(*) FROM interviewers p JOIN interviews i ON i.id = p.interview_id "
                        "JOIN users u ON u.id = i.user_id WHERE u.external_id = :who",
        "reminders": "SELECT count(*) FROM reminders r JOIN users u ON u.id = r.user_id WHERE u.external_id = :who",
    }
    async with store.engine.connect() as conn:
        return {table: (await conn.execute(text(sql), {"who": external_id})).scalar_one()
                for table, sql in queries.items()}


async def orphans(store: SqlStore) -> int:
    async with store.engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT (SELECT count(*) FROM reminders WHERE user_id NOT IN (SELECT id FROM users))"
            " + (SELECT count(*) FROM interviews WHERE user_id NOT IN (SELECT id FROM users))"
            " + (SELECT count(*) FROM interviewers WHERE interview_id NOT IN (SELECT id FROM interviews))"
        ))).scalar_one()


# ---- export -----------------------------------------------------------------------------------


async def test_the_export_has_the_json_and_a_csv_of_interviews_with_their_stage_history(
        service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, "settings name: Alice Adams; email: alice@example.com")
    await ok(service, ALICE, ADD)
    await ok(service, ALICE, 'add company: =HYPERLINK("http://evil.example"); role: Analyst; when: 2026-12-01 09:00')
    clock.set(datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
    await ok(service, ALICE, "sent #1 thank-you")
    clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    await ok(service, ALICE, "heard #1 rejected")

    reply = await ok(service, ALICE, "export")
    assert [f.filename for f in reply.files] == ["followthrough-export.json", "followthrough-interviews.csv"]
    document = json.loads(reply.files[0].content)
    assert document["format"] == "followthrough-export" and document["user"]["name"] == "Alice Adams"
    first = document["interviews"][0]
    assert first["company"] == "Horizon Marketing" and first["status"] == "rejected"
    assert [s["kind"] for s in first["steps"]] == ["thank-you", "rejection", "check-in", "stay-in-touch"]

    csv_file = reply.files[1]
    assert csv_file.mime == "text/csv"
    rows = list(csv.DictReader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    horizon = [r for r in rows if r["interview"] == "#1"]
    assert [(r["stage"], r["status"]) for r in horizon] == [
        ("interview", "held"), ("thank-you", "sent"), ("rejection", "pending"), ("check-in", "cancelled"),
        ("stay-in-touch", "pending"), ("outcome", "rejected")]
    held, thanks = horizon[0], horizon[1]
    assert held["company"] == "Horizon Marketing" and held["role"] == "Marketing Coordinator"
    assert held["date"] == "2026-12-01 14:00 +0100" and held["kind"] == "interview" and held["round"] == "1"
    assert held["contacts"] == "Ms. Jane Richardson (Marketing Director); Tom Lee (Talent Partner)"
    assert thanks["date"] == "2026-12-02 10:30 +0100" and thanks["due"] == "2026-12-02 15:00 +0100"
    assert horizon[-1]["date"] == "2026-12-09 11:00 +0100"
    evil = [r for r in rows if r["interview"] == "#2"]
    assert evil[0]["company"] == "'=HYPERLINK(\"http://evil.example\")"  # a spreadsheet will not run it


# ---- forget -----------------------------------------------------------------------------------


async def test_forget_removes_every_row_of_that_member_and_none_of_anothers(
        service: Service, store: SqlStore, clock: FakeClock) -> None:
    for actor in (ALICE, BOB):
        await ok(service, actor, ADD)
        await ok(service, actor, "add company: Acme; role: Analyst; when: 2026-11-30 10:00; with: Sam Poe")
        await ok(service, actor, "sent #1 thank-you")
        await ok(service, actor, "heard #2 rejected")
    bob_before = await rows_of(store, "bob")
    assert bob_before == {"users": 1, "interviews": 2, "interviewers": 3, "reminders": 6}
    assert await rows_of(store, "alice") == bob_before

    asked = await ok(service, ALICE, "forget")
    assert "2 interviews" in asked.title and asked.actions[0].command == "forget confirm"
    assert await rows_of(store, "alice") == bob_before  # nothing yet

    done = await ok(service, ALICE, "forget confirm")
    assert done.title.startswith("Done: I deleted all your interviews, reminders and settings")
    assert await rows_of(store, "alice") == {"users": 0, "interviews": 0, "interviewers": 0, "reminders": 0}
    assert await rows_of(store, "bob") == bob_before
    assert await orphans(store) == 0
    assert "#1 Horizon" in (await ok(service, BOB, "list")).as_text()


async def test_an_admin_who_is_forgotten_leaves_the_templates_but_not_their_id(service: Service) -> None:
    from tests.test_career_center import OWN_REJECTION

    await ok(service, BOSS, f"admin template rejection set {OWN_REJECTION}")
    await ok(service, BOSS, "forget confirm")
    history = (await ok(service, BOSS, "admin template rejection history")).as_text()
    assert "v1:" in history and "saved by (a former member)" in history and "boss" not in history


# ---- retention --------------------------------------------------------------------------------


async def test_members_who_left_are_deleted_once_the_retention_period_has_passed(
        service: Service, store: SqlStore, clock: FakeClock) -> None:
    await ok(service, BOSS, "admin defaults retention: 30d")
    for actor in (ALICE, BOB, CAROL):
        await ok(service, actor, ADD)
    left_at = clock.now()
    assert await member_left(store, ALICE, left_at)
    assert await member_left(store, CAROL, left_at)  # her community keeps data until she asks
    assert not await member_left(store, Actor("console", "local", "stranger"), left_at)

    assert await purge_expired(store, left_at + timedelta(days=29)) == 0
    assert (await rows_of(store, "alice"))["reminders"] == 2  # kept while the period runs

    assert await purge_expired(store, left_at + timedelta(days=31)) == 1
    assert await rows_of(store, "alice") == {"users": 0, "interviews": 0, "interviewers": 0, "reminders": 0}
    assert (await rows_of(store, "bob"))["interviews"] == 1
    assert (await rows_of(store, "carol"))["interviews"] == 1
    assert await orphans(store) == 0
    assert await purge_expired(store, left_at + timedelta(days=3650)) == 0


async def test_a_member_who_comes_back_is_not_deleted(service: Service, store: SqlStore, clock: FakeClock) -> None:
    await ok(service, BOSS, "admin defaults retention: 30d")
    await ok(service, ALICE, ADD)
    assert await member_left(store, ALICE, clock.now())
    assert await member_returned(store, ALICE)
    assert await purge_expired(store, clock.now() + timedelta(days=400)) == 0
    assert (await rows_of(store, "alice"))["interviews"] == 1

    # left again; the adapter missed her return, but she has used the bot since
    await ok(service, BOB, ADD)
    assert await member_left(store, BOB, clock.now())
    clock.advance(hours=3)
    await ok(service, BOB, "list")
    assert await purge_expired(store, clock.now() + timedelta(days=400)) == 0
    assert (await rows_of(store, "bob"))["interviews"] == 1


async def test_the_purge_runs_at_start_and_then_on_its_own(
        service: Service, store: SqlStore, clock: FakeClock) -> None:
    import asyncio

    await ok(service, BOSS, "admin defaults retention: 30d")
    await ok(service, ALICE, ADD)
    assert await member_left(store, ALICE, clock.now())
    clock.advance(days=31)
    purge = RetentionPurge(store, clock, every=timedelta(seconds=0.05))
    await purge.start()
    try:
        for _ in range(200):
            if purge.runs >= 2:
                break
            await asyncio.sleep(0.01)
    finally:
        await purge.stop()
    assert purge.runs >= 2
    assert (await rows_of(store, "alice"))["users"] == 0
