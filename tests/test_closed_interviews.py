"""A closed interview (offer, rejection, withdrawal) never speaks of check-ins: a field that would
move its schedule is kept for the record, moves nothing, and the answer says so and how to reopen."""

from __future__ import annotations

from typing import Any

import pytest

from bot.actor import Actor
from bot.service import Service
from tests.service_support import exported_interviews, ok

ALICE = Actor("console", "local", "alice")
OUTCOMES = ["offer", "rejected", "withdrawn"]
MOVES = [
    ("update #1 decision: last monday", "decision_on", "2026-11-30"),
    ("update #1 decision: next friday", "decision_on", "2026-12-04"),
    ("update acme decision: Dec 10", "decision_on", "2026-12-10"),
    ("heard #1 decision last monday", "decision_on", "2026-11-30"),
    ("update #1 when: yesterday 11:00", "starts_at", "2026-11-30T11:00:00+01:00"),
    ("update #1 length: 2h", "length_minutes", 120),
    ("update #1 when: yesterday 11:00; decision: today", "decision_on", "2026-12-01"),
]


async def exported(service: Service) -> dict[str, Any]:
    return (await exported_interviews(service, ALICE))[0]


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize(("command", "key", "value"), MOVES)
async def test_a_schedule_field_on_a_closed_interview_moves_nothing_and_says_so(
        service: Service, outcome: str, command: str, key: str, value: object) -> None:
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: yesterday 10:00; with: Ann Lee")
    await ok(service, ALICE, f"heard #1 {outcome}")
    steps_before = (await exported(service))["steps"]
    reply = await service.handle(ALICE, command)
    text = reply.as_text().lower()
    assert "check-in" not in text and "check in" not in text, reply.as_text()
    assert "closed" in text and "reopen #1" in text, reply.as_text()
    after = await exported(service)
    assert after["steps"] == steps_before and after["status"] == outcome
    assert not reply.error and after[key] == value  # kept for the record
    shown = (await ok(service, ALICE, "show #1")).as_text().lower()
    assert "check-in" not in shown and "reopen #1" in shown


async def test_reopening_then_updating_plans_the_check_in_again(service: Service) -> None:
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: yesterday 10:00; with: Ann Lee")
    await ok(service, ALICE, "heard #1 offer")
    await ok(service, ALICE, "reopen #1")
    reply = await ok(service, ALICE, "update #1 decision: last monday")
    assert "check-in is due now" in reply.as_text()
