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


# Company names that also read as a time, a number or a `to:` ("Next Insurance", "Noon", "3M").
TIMELY = ["Monday.com", "Tomorrow Health", "Noon", "Friday Labs", "Next Insurance", "Today Capital", "May",
          "In Time", "At Home Group", "Half Moon Bay", "3M", "24 Hour Fitness", "To Go Foods", "Sun Life",
          "Decision Lens", "Offer Up", "Deadline Co", "Dec Tech", "An Post"]


@given(command_tail=st.sampled_from(TAILS), company=st.sampled_from(TIMELY),
       others=st.lists(st.sampled_from([*TIMELY, *WORDS, "Next", "Friday", "Noon Labs Ltd"]), max_size=4),
       shout=st.booleans())
def test_the_members_own_company_wins_over_a_time_or_a_number(command_tail: tuple[str, str], company: str,
                                                             others: list[str], shout: bool) -> None:
    """Text that starts with one of the member's companies names that interview (the longest of
    theirs it starts with), however its words read otherwise; the rest reads as after `#N`."""
    command, tail = command_tail
    others = [o for o in others if not f"{company} {tail}".lower().startswith(o.lower() + " ")
              or len(o) <= len(company)]  # a longer name of theirs that the text starts with would win
    typed = company.upper() if shout else company
    by_name = parse(f"{command} {typed} {tail}", companies=[*others, company])
    assert not isinstance(by_name, GrammarError), by_name
    assert by_name == replace(parse(f"{command} #4 {tail}"), number=0, company=typed)  # type: ignore[type-var,arg-type]


@pytest.mark.parametrize(("typed", "theirs"), [("next Friday", "Next Insurance"), ("tomorrow 9am", "Tomorrow Health"),
                                               ("Friday", "Friday Labs"), ("noon", "Noon Labs")])
def test_a_time_that_begins_one_of_their_companies_is_asked_about(typed: str, theirs: str) -> None:
    answer = parse(f"snooze {typed}", companies=["Acme", theirs])
    assert isinstance(answer, GrammarError)
    assert theirs in answer.message and f"/interview snooze #3 {typed}" in answer.message
    # without such a company it is the usual question, and with the name in full it reads
    assert parse(f"snooze {typed}", companies=["Acme"]) == parse(f"snooze {typed}")
    assert not isinstance(parse(f"snooze {theirs} 2h", companies=["Acme", theirs]), GrammarError)


async def test_snoozing_a_company_that_reads_as_a_time(service: Service) -> None:
    for company in ("Next Insurance", "Noon", "Monday.com", "Tomorrow Health", "3M"):
        await ok(service, ALICE, f"add company: {company}; role: Analyst; when: yesterday 10:00; with: Jane Roe")
    for text, number, until in [("snooze Next Insurance 3 days", 1, "Fri Dec 4"),
                                ("snooze next insurance until Monday", 1, "Mon Dec 7"),
                                ("snooze Noon", 2, "Wed Dec 2"), ("snooze Monday.com 2h", 3, "Tue Dec 1"),
                                ("snooze Tomorrow Health tomorrow 9am", 4, "Wed Dec 2, 09:00"),
                                ("snooze 3M 1d", 5, "Wed Dec 2")]:
        reply = await ok(service, ALICE, text)
        assert f"#{number} until {until}" in reply.title, (text, reply.title)
    assert "Next Insurance" in (await ok(service, ALICE, "heard Next Insurance next round Monday 10am")).title
    assert "#5 3M" in (await ok(service, ALICE, "show 3M")).title
    asked = await service.handle(ALICE, "snooze next Friday")
    assert asked.error and "Next Insurance" in asked.title
