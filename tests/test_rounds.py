"""A next round starts its own notes: round two's drafts never repeat what the member promised,
the point they wanted to add, the topics or the employer's promise of round one; those stay on
record in `show` and the export, and what is noted for round two goes in its drafts."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.actor import Actor
from bot.service import Service
from tests.clock import FakeClock
from tests.service_support import exported_interview, ok

ALICE = Actor("console", "local", "alice")
ROUND_ONE = ("add company: Horizon Marketing; role: Analyst; when: 2026-12-01 10:00; with: Jane Roe; "
             "topics: the spring campaign; promised: my writing samples; point: I ran a 40-person survey; "
             "they-promised: a decision by Friday")


async def test_round_two_drafts_leave_round_one_notes_out_and_use_its_own(service: Service,
                                                                          clock: FakeClock) -> None:
    await ok(service, ALICE, "settings name: Alice Moreno; email: alice@example.com")
    await ok(service, ALICE, ROUND_ONE)
    first = (await ok(service, ALICE, "draft #1 thank-you")).as_text()
    assert "writing samples" in first and "spring campaign" in first and "40-person survey" in first

    moved_on = (await ok(service, ALICE, "heard #1 next round 2026-12-08 10:00")).as_text()
    assert "round 1 (topics, your promise, your point, what they promised) stays on record" in moved_on
    clock.set(datetime(2026, 12, 8, 12, 0, tzinfo=UTC))  # round two is over
    second = (await ok(service, ALICE, "draft #1 thank-you")).as_text()
    for said_in_round_one in ("writing samples", "spring campaign", "40-person survey", "Friday"):
        assert said_in_round_one not in second
    shown = (await ok(service, ALICE, "show #1")).as_text()
    assert "You promised (round 1): my writing samples" in shown and "Topics (round 1): the spring campaign" in shown

    await ok(service, ALICE, "update #1 promised: the case study; topics: the budget model")
    second = (await ok(service, ALICE, "draft #1 thank-you")).as_text()
    assert "case study" in second and "budget model" in second and "40-person survey" not in second
    shown = (await ok(service, ALICE, "show #1")).as_text()
    assert "You promised: the case study" in shown and "Point to add (round 1):" in shown
    exported = await exported_interview(service, ALICE, 1)
    assert exported["noted_in_round"] == {"topics": 2, "promised": 2, "point": 1, "they-promised": 1}
    assert exported["they_promised"] == "a decision by Friday"
