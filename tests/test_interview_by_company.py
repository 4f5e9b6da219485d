"""Every command that takes `#N` takes the company's name as well, read by one resolver: the
grammar splits the name from the rest of the command, the service finds the one interview with it
or lists the candidates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.actor import Actor
from bot.commands import GrammarError
from bot.grammar import parse
from bot.service import Service
from tests.service_support import exported_interview, ok

ALICE = Actor("console", "local", "alice")

# The tail of each command after the interview, as typed after `#N` or after the company's name.
TAILS = [
    ("show", ""),
    ("reopen", ""),
    ("heard", "offer"),
    ("heard", "rejected"),
    ("heard", "next round Tuesday 10am"),
    ("heard", "decision: next Friday"),
    ("snooze", ""),
    ("snooze", "2h"),
    ("snooze", "for 3 days"),
    ("snooze", "tomorrow 9am"),
    ("snooze", "Monday 10:00"),
    ("update", "decision: last monday"),
    ("update", "with: Jane Roe; topics: pricing"),
    ("update", "remove: Jane Roe"),
    ("sent", ""),
    ("sent", "thank-you to: Jane"),
    ("draft", "check-in"),
    ("draft", "thank-you to: Jane"),
    ("offer-elsewhere", "deadline: next Friday"),
]

# Company words, some looking like the words that follow a company ("Next", "Offerpad", "Mayfair").
WORDS = ["Acme", "Gamma", "Horizon", "Marketing", "Globex", "Labs", "Corp", "Blue", "River", "Offerpad",
         "Mayfair", "Decisionly", "Roundtable", "Deadlines", "Inc."]


@pytest.mark.parametrize(("command", "tail"), TAILS)
@pytest.mark.parametrize("company", ["gamma", "Acme Corp", "Next Insurance", "Blue River Labs Inc."])
def test_a_company_name_reads_like_its_number(command: str, tail: str, company: str) -> None:
    if (command, tail, company) == ("snooze", "", "Next Insurance"):
        # "snooze Next Insurance" reads like "snooze next Monday": asked about, not guessed.
        assert isinstance(parse(f"{command} {company}"), GrammarError)
        return
    by_number = parse(f"{command} #4 {tail}")
    by_name = parse(f"{command} {company} {tail}")
    assert not isinstance(by_number, GrammarError) and not isinstance(by_name, GrammarError)
    assert by_name == replace(by_number, number=0, company=company)  # type: ignore[type-var,arg-type]


@given(command_tail=st.sampled_from(TAILS), first=st.sampled_from([*WORDS, "Next", "May", "On"]),
       more=st.lists(st.sampled_from(WORDS), max_size=3))
def test_any_company_name_splits_from_the_rest_as_typed(command_tail: tuple[str, str], first: str,
                                                         more: list[str]) -> None:
    command, tail = command_tail
    company = " ".join([first, *more])
    if command == "snooze" and not tail and first in ("Next", "May", "On"):
        return  # reads like a time ("snooze next Monday"): asked about, as the table test shows
    by_name = parse(f"{command} {company} {tail}")
    assert not isinstance(by_name, GrammarError), by_name
    assert by_name == replace(parse(f"{command} #4 {tail}"), number=0, company=company)  # type: ignore[type-var,arg-type]


def test_grammar_answers_name_the_interview_as_typed() -> None:
    answer = parse("heard Gamma decision")
    assert isinstance(answer, GrammarError) and "heard Gamma decision next Friday" in answer.message
    assert isinstance(parse("heard Gamma"), GrammarError)
    for forgot in ("heard offer", "update decision: Friday", "snooze tomorrow", "heard next round Monday 9am"):
        answer = parse(forgot)
        assert isinstance(answer, GrammarError) and answer.message.startswith("Which interview?"), forgot


async def status(service: Service, number: int) -> str:
    return str((await exported_interview(service, ALICE, number))["status"])


async def test_every_command_acts_on_the_interview_named_by_company(service: Service) -> None:
    await ok(service, ALICE, "add company: Horizon Marketing; role: Analyst; when: yesterday 10:00; with: Jane Roe")
    await ok(service, ALICE, "add company: Gamma; role: Tester; when: yesterday 9:00")
    assert "Gamma" in (await ok(service, ALICE, "heard gamma offer")).title
    assert await status(service, 2) == "offer" and await status(service, 1) == "active"
    await ok(service, ALICE, "reopen Gamma")
    assert await status(service, 2) == "active"
    assert "Gamma" in (await ok(service, ALICE, "update gamma decision: next Friday")).title
    shown = (await ok(service, ALICE, "show Gamma")).sections
    assert any("decide" in s.text.lower() for s in shown)
    assert "#1" in (await ok(service, ALICE, "snooze horizon marketing 2h")).title
    assert "#2" not in (await ok(service, ALICE, "snooze horizon marketing tomorrow 9am")).title


async def test_an_ambiguous_or_unknown_name_changes_nothing(service: Service) -> None:
    await ok(service, ALICE, "add company: Acme; role: Tester; when: yesterday 9:00")
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: yesterday 11:00")
    for text in ("heard acme offer", "update Acme decision: next Friday", "snooze acme 2h", "reopen acme"):
        reply = await service.handle(ALICE, text)
        assert reply.error and "#1 Acme – Tester" in reply.title and "#2 Acme – Analyst" in reply.title, text
    unknown = await service.handle(ALICE, "heard Acmee offer")
    assert unknown.error and "no interview with" in unknown.title
    assert await status(service, 1) == "active" and await status(service, 2) == "active"
