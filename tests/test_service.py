"""The use cases through the real store (SQLite and PostgreSQL), with a clock moved by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.actor import Actor
from bot.domain import StepKind
from bot.service import Service
from tests.clock import FakeClock
from tests.service_support import ok

ALICE = Actor("console", "local", "alice")
BOB = Actor("console", "local", "bob")
# The service's clock starts during this interview (15:30 in Berlin).
ADD = ("add company: Horizon Marketing; role: Marketing Coordinator; when: 2026-12-01 14:00; "
       "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand campaign launch; "
       "with: Tom Lee (Talent Partner, recruiter) <tom@horizon.example>; topics: social media outreach")


async def export(service: Service, actor: Actor) -> dict[str, Any]:
    reply = await service.handle(actor, "export")
    assert not reply.error, reply.title
    return json.loads(reply.files[0].content)



async def test_add_logs_numbers_per_user_and_schedules_follow_ups(service: Service) -> None:
    await ok(service, ALICE, "settings name: Alex Doe; email: alex@example.com; phone: 555-0100")
    reply = await ok(service, ALICE, ADD)
    assert reply.title.startswith("Logged #1: Marketing Coordinator at Horizon Marketing")
    text = reply.as_text()
    assert "thank-you to Jane Richardson, Tom Lee: due by Wed Dec 2, 15:00 CET" in text
    assert "check-in: due Tue Dec 15, 09:00 CET" in text
    second = await ok(service, ALICE, "add company: Acme; role: Analyst; when: 2026-11-30 10:00")
    assert second.title.startswith("Logged #2")
    bobs = await ok(service, BOB, "add company: Initech; role: Tester; when: 2026-11-30 10:00")
    assert bobs.title.startswith("Logged #1")
    listing = (await ok(service, ALICE, "list")).as_text()
    assert listing.index("#1 Horizon") < listing.index("#2 Acme") or "#2 Acme" in listing
    assert "Initech" not in listing


async def test_another_users_number_is_unreachable(service: Service) -> None:
    await ok(service, ALICE, ADD)
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: 2026-11-30 10:00")
    for text in ("show #2", "sent #2", "draft #2", "snooze #2", "heard #2 offer", "update #2 role: X"):
        reply = await service.handle(BOB, text)
        assert reply.error and reply.title.startswith("You have no interview #2"), text
    data = await export(service, ALICE)
    assert [i["status"] for i in data["interviews"]] == ["active", "active"]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("add company: Horizon; when: tomorrow", "Missing role"),
        ("add company: Horizon; role: Analyst; when: blursday", '"blursday"'),
        ("snooze #1 the twelfth of never", "twelfth of never"),
        ("heard #1 decision someday maybe", "someday maybe"),
        ("draft #1 to: Nobody", 'Nobody called "Nobody"'),
        ("sent #1 check-in-2", "no second check-in waiting"),
    ],
)
async def test_bad_input_gets_a_specific_answer_and_changes_nothing(service: Service, text: str, answer: str) -> None:
    await ok(service, ALICE, ADD)
    before = await export(service, ALICE)
    reply = await service.handle(ALICE, text)
    assert reply.error and answer in reply.title, reply.title
    after = await export(service, ALICE)
    before.pop("exported_at"), after.pop("exported_at")
    assert before == after


async def test_the_whole_cycle_to_the_last_check_in(service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, ADD)
    drafts = await ok(service, ALICE, "draft #1")
    assert [d.to_name for d in drafts.drafts] == ["Jane Richardson", "Tom Lee"]
    await ok(service, ALICE, "sent #1 thank-you to: Jane")
    partial = (await ok(service, ALICE, "show #1")).as_text()
    assert "to Tom Lee" in partial and "thanked" in partial
    await ok(service, ALICE, "sent #1 thank-you")
    clock.set(datetime(2026, 12, 15, 9, 30, tzinfo=UTC))
    check_in = await ok(service, ALICE, "draft #1")
    assert check_in.drafts[0].kind == "check-in" and check_in.drafts[0].to_name == "Tom Lee"
    reply = await ok(service, ALICE, "sent #1")
    assert "second check-in: due Tue Dec 22, 09:00 CET" in reply.as_text()
    clock.set(datetime(2026, 12, 22, 10, 0, tzinfo=UTC))
    await ok(service, ALICE, "sent #1 check-in-2")
    third = await service.handle(ALICE, "draft #1 check-in")
    assert third.error and "two check-ins" in third.title and "phone call" in third.title
    again = await service.handle(ALICE, "sent #1 check-in")
    assert again.error and "two check-ins" in again.title
    steps = {s["kind"]: s for s in (await export(service, ALICE))["interviews"][0]["steps"]}
    assert steps["no-reply"]["due_at"].startswith("2026-12-29T09:00:00+01:00")
    assert steps["check-in"]["status"] == steps["check-in-2"]["status"] == "sent"


async def test_decision_date_moves_the_check_in_and_blocks_early_ones(service: Service) -> None:
    await ok(service, ALICE, ADD)
    await ok(service, ALICE, "heard #1 decision 2026-12-04")
    early = await service.handle(ALICE, "draft #1 check-in")
    assert early.error and "decide by Friday, December 4" in early.title
    steps = {s["kind"]: s for s in (await export(service, ALICE))["interviews"][0]["steps"]}
    assert steps["check-in"]["due_at"].startswith("2026-12-08T09:00:00+01:00")
    offer = await ok(service, ALICE, "offer-elsewhere #1 deadline: 2026-12-03")
    assert offer.drafts and offer.drafts[0].kind == "timeline"


async def test_rejection_gives_a_gracious_reply_and_plans_stay_in_touch(service: Service) -> None:
    await ok(service, ALICE, ADD)
    reply = await ok(service, ALICE, "heard #1 rejected")
    assert reply.drafts and reply.drafts[0].kind == "rejection"
    data = (await export(service, ALICE))["interviews"][0]
    assert data["status"] == "rejected"
    kinds = {s["kind"]: s["status"] for s in data["steps"]}
    assert kinds["thank-you"] == "cancelled" and kinds["stay-in-touch"] == "pending"
    listing = (await ok(service, ALICE, "list")).as_text()
    assert "#1 Horizon" not in listing and "list all" in listing
    assert "rejected" in (await ok(service, ALICE, "list all")).as_text()


async def test_next_round_starts_a_new_cycle(service: Service) -> None:
    await ok(service, ALICE, ADD)
    reply = await ok(service, ALICE, "heard #1 next round 2026-12-08 10:00")
    assert "Round 2" in reply.title
    data = (await export(service, ALICE))["interviews"][0]
    round2 = [s for s in data["steps"] if s["round"] == 2]
    assert {s["kind"] for s in round2} == {"thank-you", "check-in"}
    assert all(s["status"] == "cancelled" for s in data["steps"] if s["round"] == 1)


async def test_snooze_moves_the_reminder_and_warns_past_the_thank_you_deadline(service: Service) -> None:
    await ok(service, ALICE, ADD)
    reply = await ok(service, ALICE, "snooze #1 2h")
    assert "until Tue Dec 1, 17:30 CET" in reply.title
    late = await ok(service, ALICE, "snooze #1 3d")
    assert "deadline" in late.as_text()


async def test_settings_forget_and_calendar(service: Service) -> None:
    await ok(service, ALICE, ADD)
    await ok(service, BOB, ADD)
    shown = await ok(service, ALICE, "settings tz: America/New_York; quiet: 22:00-07:00; morning: 08:30; tone: casual")
    assert "America/New_York" in shown.as_text() and "08:30" in shown.as_text()
    cal = await ok(service, ALICE, "calendar")
    assert cal.files[0].content.count(b"BEGIN:VEVENT") == 2
    confirm = await ok(service, ALICE, "forget")
    assert "cannot be undone" in confirm.title
    assert (await export(service, ALICE))["interviews"]
    await ok(service, ALICE, "forget confirm")
    assert (await export(service, ALICE))["interviews"] == []
    assert len((await export(service, BOB))["interviews"]) == 1


async def test_reminder_message_folds_steps_and_says_it_is_late(service: Service, store: Any,
                                                                 clock: FakeClock) -> None:
    await ok(service, ALICE, ADD)
    async with store.transaction() as tx:
        user = await tx.user("console", "local", "alice")
        interview = await tx.interview(user.id, 1)
    ids = [s.id for s in interview.steps]
    three_weeks = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
    reply = await service.reminder_message(interview.id, ids, three_weeks)
    assert reply is not None
    assert "thank-you" in reply.title and "check-in" in reply.title
    assert any("late" in n for n in reply.notices)
    assert "past its 24-hour window" in reply.as_text()
    # one piece of advice, not two: a note to each person, the one to Tom also asking for news
    assert "the one to Tom Lee also asks for news, so it counts as your check-in" in reply.as_text()
    assert {d.kind for d in reply.drafts} == {"thank-you"}
    assert [a.command for a in reply.actions if a.label.startswith("Mark")] == ["sent #1"]
    await ok(service, ALICE, "sent #1 thank-you")
    after = await service.reminder_message(interview.id, [s.id for s in interview.steps
                                                           if s.kind is StepKind.THANK_YOU], three_weeks)
    assert after is None
    assert clock.now() < three_weeks + timedelta(days=1)


async def test_snooze_never_brings_a_future_reminder_forward(service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, ADD)
    await ok(service, ALICE, "sent #1 thank-you")
    before = await export(service, ALICE)
    reply = await service.handle(ALICE, "snooze #1 2h")
    assert reply.error and "to later" in reply.title
    after = await export(service, ALICE)
    before.pop("exported_at"), after.pop("exported_at")
    assert before == after


async def test_after_a_reminder_came_a_snooze_may_ask_for_it_sooner(service: Service, store: Any,
                                                                     clock: FakeClock) -> None:
    await ok(service, ALICE, ADD)
    first_dm = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # the thank-you's first DM goes out
    claims = await store.claim_due(first_dm, frozenset({"console"}), 10, 60)
    assert len(claims) == 1
    last_call = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
    assert await store.record_delivered(claims[0].step_id, claims[0].claim_token, first_dm, last_call)
    reply = await ok(service, ALICE, "snooze #1 1h")
    assert "until Tue Dec 1, 16:30 CET" in reply.title


async def test_a_new_member_is_asked_for_the_name_that_signs_their_drafts(service: Service) -> None:
    first = await ok(service, BOB, "list")
    assert any("settings name:" in n for n in first.notices)
    await ok(service, BOB, "settings name: Bob Stone")
    assert not any("settings name:" in n for n in (await ok(service, BOB, "list")).notices)
