"""A field that holds a day (a decision date, an offer's deadline) refuses what it cannot read as a
date, with a date's examples, and nothing is saved."""

from __future__ import annotations

import pytest

from bot.actor import Actor
from bot.service import Service
from tests.service_support import exported_interview, ok

ALICE = Actor("console", "local", "alice")
UNREADABLE = ["blursday", "the day after never", "soonish", "🙂", "next blursday 10am", "{{ 7*7 }}", "Feb 30"]
COMMANDS = ["update #1 decision: {}", "heard #1 decision {}", "offer-elsewhere #1 deadline: {}"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("typed", UNREADABLE)
async def test_a_day_field_refuses_with_a_dates_examples(service: Service, command: str, typed: str) -> None:
    await ok(service, ALICE, "add company: Horizon; role: Analyst; when: yesterday 10:00")
    before = await exported_interview(service, ALICE)
    refused = await service.handle(ALICE, command.format(typed))
    assert refused.error, refused.title
    assert "couldn't read" in refused.title and "as a date" in refused.title, refused.title
    assert "next Friday" in refused.title and "2pm" not in refused.title
    assert await exported_interview(service, ALICE) == before
