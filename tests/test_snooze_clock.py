"""In a snooze, "14:30" is the clock, the next 14:30, as it is in "Monday 14:30"; it used to be
read as a length, fourteen and a half hours from now. A length is written "1h30" or "90"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.actor import Actor
from bot.service import Service
from bot.timeparse import parse_snooze
from tests.service_support import ok, readings

ALICE = Actor("console", "local", "alice")
BERLIN = ZoneInfo("Europe/Berlin")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 23), st.integers(0, 59), st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31)),
       st.booleans())
def test_a_clock_time_is_the_next_such_time_on_the_clock(hour: int, minute: int, naive: datetime, at: bool) -> None:
    now = naive.replace(second=30, tzinfo=UTC)  # a member types within a minute, never on its first instant
    typed = f"{'at ' if at else ''}{hour}:{minute:02d}"
    got = parse_snooze(typed, "Europe/Berlin", now)
    assert isinstance(got, datetime), (typed, got)
    local = got.astimezone(BERLIN)
    assert now < got <= now + timedelta(hours=25), (typed, now, got)
    if local.utcoffset() == (got - timedelta(hours=3)).astimezone(BERLIN).utcoffset():  # no clock change just now
        assert (local.hour, local.minute) == (hour, minute), (typed, now, local)


@pytest.mark.parametrize("length", ["1h30", "90", "2h", "36:00"])
def test_a_length_is_still_a_length(length: str) -> None:
    now = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert parse_snooze(length, "Europe/Berlin", now) in {now + timedelta(minutes=90), now + timedelta(hours=2),
                                                          now + timedelta(hours=36)}


@pytest.mark.parametrize("typed", ["17:00", "16:45", "20:30", "9:00", "08:15", "at 11:00", "23:30"])
async def test_snooze_to_a_clock_time_says_that_time_back(service: Service, typed: str) -> None:
    await ok(service, ALICE, "add company: Horizon; role: Analyst; when: today 10:00; with: Jane Roe")
    reply = await ok(service, ALICE, f"snooze #1 {typed}")
    hour, minute = typed.removeprefix("at ").split(":")
    assert f"{int(hour):02d}:{minute}" in readings(reply.as_text())[0], reply.as_text()
