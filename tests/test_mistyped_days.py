"""Day and month names typed with a slip ("tommorow", "wensday", "Febuary", "thrusday") read as the
day meant, in every field that takes a time or a date, and the answer says the reading back; a slip
as near one name as another ("thuesday") is refused, never read as some other day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.actor import Actor
from bot.service import Service
from bot.timeparse import TimeError, parse_date
from tests.service_support import ok, readings

ALICE = Actor("console", "local", "alice")  # types it wrong
BOB = Actor("console", "local", "bob")  # types it right
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday
NAMES = ["tomorrow", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
         "january", "february", "april", "august", "september", "october", "november", "december"]  # fmt: skip
SLIPS = [("tommorow", "tomorrow"), ("tomorow", "tomorrow"), ("Tommorrow", "tomorrow"), ("TOMMOROW", "tomorrow"),
         ("wensday", "Wednesday"), ("wendsday", "Wednesday"), ("thrusday", "Thursday"), ("thursay", "Thursday"),
         ("tusday", "Tuesday"), ("teusday", "Tuesday"), ("fryday", "Friday"), ("satruday", "Saturday"),
         ("mondy", "Monday"), ("nxt fryday", "next Friday"), ("Decmber 18", "December 18"),
         ("Janury 8", "January 8"), ("tmw", "tomorrow")]  # fmt: skip
FIELDS = [  # (command with {} for the time, what the reading is said back as)
    ("add company: Horizon; role: Analyst; when: {} 2pm", "when"),
    ("snooze #1 {} 10am", "snooze"),
    ("update #1 decision: {}", "decision"),
    ("heard #1 next round {} 11:00", "next round"),
]


@pytest.mark.parametrize(("command", "field"), FIELDS)
@pytest.mark.parametrize(("slip", "meant"), SLIPS)
async def test_a_slip_in_a_day_name_reads_as_the_day_meant(service: Service, command: str, field: str,
                                                           slip: str, meant: str) -> None:
    if not command.startswith("add"):
        for actor in (ALICE, BOB):
            await ok(service, actor, "add company: Horizon; role: Analyst; when: Nov 30 2pm")
    typo = await service.handle(ALICE, command.format(slip))
    right = await service.handle(BOB, command.format(meant))
    assert typo.error == right.error
    if right.error:  # refused for what the day is (a snooze to the past...), not for how it is spelled
        assert "couldn't read" not in typo.title and typo.title.replace(slip, meant) == right.title
    else:
        assert f'{field}: "' in typo.as_text() and slip in typo.as_text()
        assert readings(typo.as_text()) == readings(right.as_text()) != []


def one_slip(word: str, where: int, letter: str, how: int) -> str:
    where %= len(word)
    if how == 0:
        return word[:where] + word[where + 1:]  # a letter missing
    if how == 1:
        return word[:where] + letter + word[where:]  # one extra
    if how == 2:
        return word[:where] + letter + word[where + 1:]  # one wrong
    where = min(where, len(word) - 2)
    return word[:where] + word[where + 1] + word[where] + word[where + 2:]  # two swapped


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NAMES), st.integers(0, 20), st.sampled_from("abcdefghijklmnopqrstuvwxyz"), st.integers(0, 3))
def test_a_day_name_with_one_slip_is_that_day_or_refused_never_another(
        name: str, where: int, letter: str, how: int) -> None:
    typed = one_slip(name, where, letter, how)
    day = "" if name.endswith("day") or name == "tomorrow" else " 8"  # a month needs its day
    meant = parse_date(name + day, "Europe/Berlin", NOW)
    got = parse_date(typed + day, "Europe/Berlin", NOW)
    assert isinstance(got, TimeError) or got == meant, (typed, got, meant)


@pytest.mark.parametrize("text", ["thuesday 2pm", "blursday", "next blursday 10am", "tody 3pm"])
def test_a_word_that_is_no_one_slip_from_a_single_day_is_refused(text: str) -> None:
    assert isinstance(parse_date(text, "Europe/Berlin", NOW), TimeError)
