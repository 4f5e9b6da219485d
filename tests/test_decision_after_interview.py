"""A decision date before the interview it decides on is refused, whatever the command that gives
it, and nothing is saved: no check-in is ever planned before the interview has happened."""

from __future__ import annotations

from typing import Any

import pytest

from bot.actor import Actor
from bot.service import Service
from tests.service_support import exported_interviews, ok

SAM = Actor("console", "local", "sam")


async def stored(service: Service) -> dict[str, Any]:
    return (await exported_interviews(service, SAM))[0]


async def test_add_with_a_decision_before_the_interview_is_refused_and_logs_nothing(service: Service) -> None:
    reply = await service.handle(SAM, "add company: Acme; role: Analyst; when: Dec 14 10:00; decision: Dec 9")
    text = reply.as_text()
    assert "before the interview" in text and "nothing was saved" in text
    listing = (await service.handle(SAM, "list")).as_text()
    assert "Acme" not in listing


@pytest.mark.parametrize("command", [
    "update #1 decision: Dec 9",
    "heard #1 decision Dec 9",
    "update #1 when: Dec 16 10:00",  # the interview moved past the decision date already given
])
async def test_a_change_that_puts_the_decision_before_the_interview_changes_nothing(
        service: Service, command: str) -> None:
    await ok(service, SAM, "add company: Acme; role: Analyst; when: Dec 14 10:00; decision: Dec 15")
    before = await stored(service)
    reply = await service.handle(SAM, command)
    assert "before the interview" in reply.as_text()
    assert await stored(service) == before


async def test_a_decision_on_the_day_of_the_interview_is_accepted(service: Service) -> None:
    reply = await ok(service, SAM, "add company: Acme; role: Analyst; when: Dec 14 10:00; decision: Dec 14")
    assert "decision" in reply.as_text()
