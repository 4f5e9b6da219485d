""""EOD Friday", "by COB tomorrow", "end of the week": the end of a working day reads as 5pm that
day and the end of the week as the coming Friday, in every field that takes a time or a date, the
same as writing it out; said back under "I read"."""

from __future__ import annotations

import pytest

from bot.actor import Actor
from bot.service import Service
from tests.service_support import ok, readings

ALICE = Actor("console", "local", "alice")  # writes it short
BOB = Actor("console", "local", "bob")  # writes it out
PHRASES = [("eod friday", "friday 5pm"), ("EOD Friday", "Friday 5pm"), ("by eod tomorrow", "tomorrow 5pm"),
           ("Friday EOD", "Friday 5pm"), ("COB Monday", "Monday 5pm"), ("end of day Dec 8", "Dec 8 5pm"),
           ("end of business day Thursday", "Thursday 5pm"), ("close of business tomorrow", "tomorrow 5pm"),
           ("end of the week", "this Friday"), ("End of this week", "this Friday"), ("EOW", "this Friday"),
           ("eod", "today 5pm"), ("by end of day", "today 5pm")]  # fmt: skip
FIELDS = [("snooze #1 {}", "snooze"), ("update #1 decision: {}", "decision"), ("heard #1 decision {}", "decision"),
          ("heard #1 next round {}", "next round")]  # fmt: skip


@pytest.mark.parametrize(("command", "field"), FIELDS)
@pytest.mark.parametrize(("short", "written"), PHRASES)
async def test_the_end_of_a_day_or_week_reads_as_written_out(service: Service, command: str, field: str,
                                                             short: str, written: str) -> None:
    for actor in (ALICE, BOB):
        await ok(service, actor, "add company: Horizon; role: Analyst; when: Nov 30 2pm")
    typed = await service.handle(ALICE, command.format(short))
    right = await service.handle(BOB, command.format(written))
    assert typed.error == right.error, (typed.title, right.title)
    if right.error:  # refused for what the day is (a decision already past...), not for how it is put
        assert "couldn't read" not in typed.title
    else:
        assert f'{field}: "' in typed.as_text()
        assert readings(typed.as_text()) == readings(right.as_text()) != []
