"""Words typed about the person a note goes to point at the reader ("her move" -> "your move"),
in their own topic, in the interview's topics when they concern only that person, and in news;
about anyone else they keep their pronouns."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.actor import Actor
from bot.domain import Interview, Interviewer, InterviewKind
from bot.drafts.addressee import to_addressee
from bot.drafts.context import notes_of, topics_for
from bot.service import Service
from tests.service_support import NOW, ok

ALICE = Actor("console", "local", "alice")


@pytest.mark.parametrize(("typed", "to_them"), [
    ("her move from consulting into product", "your move from consulting into product"),
    ("Her move", "Your move"),
    ("HER move", "YOUR move"),
    ("his team", "your team"),
    ("their roadmap", "your roadmap"),
    ("Their roadmap", "Your roadmap"),
    ("how she built it", "how you built it"),
    ("how he leads the team", "how you lead the team"),
    ("He was", "You were"),
    ("she is moving", "you are moving"),
    ("she's led the migration", "you've led the migration"),
    ("She's building a team", "You're building a team"),
    ("he's excited about AI", "you're excited about AI"),
    ("he's grown the team", "you've grown the team"),
    ("HE'S led", "YOU'VE led"),
    ("why they're hiring", "why you're hiring"),
    ("I asked her about it", "I asked you about it"),
    ("thanks to him", "thanks to you"),
    ("how they themselves did it", "how you yourself did it"),
    ("his background and hers", "your background and yours"),
    ("the team she leads", "the team you lead"),
    ("the hero of the story", "the hero of the story"),  # no pronoun inside a word
    ("Shell's theme", "Shell's theme"),
])
def test_pronouns_pointing_at_the_reader(typed: str, to_them: str) -> None:
    assert to_addressee(typed) == to_them


THIRD_PERSON = re.compile(r"\b(?:he|she|they|him|her|them|his|hers|their|theirs|he's|she's|they're)\b", re.IGNORECASE)
_PRONOUN = st.sampled_from(["her", "his", "their", "Her", "His", "Their"])
_NOUN = st.sampled_from(["move from consulting into product", "team", "roadmap", "path into data science",
                         "work on pricing", "research"])
_ANN = Interviewer(name="Ann Lee", id=1)
_BOB = Interviewer(name="Bob Roe", id=2)


def _interview(people: list[Interviewer], topics: list[str]) -> Interview:
    return Interview(user_id=1, company="Acme", role="Analyst", starts_at=NOW, interviewers=people, topics=topics,
                     kind=InterviewKind.INFORMATIONAL)


@given(_PRONOUN, _NOUN)
def test_a_topic_about_the_only_person_met_addresses_them(pronoun: str, noun: str) -> None:
    interview = _interview([_ANN], [f"{pronoun} {noun}"])
    said = topics_for(notes_of(interview), interview, _ANN)
    assert said and not THIRD_PERSON.search(" ".join(said)) and noun in said[0]


@given(_PRONOUN, _NOUN)
def test_a_topic_given_for_one_person_keeps_its_pronouns_for_the_others(pronoun: str, noun: str) -> None:
    interview = _interview([_ANN, _BOB], [f"Ann: {pronoun} {noun}"])
    notes = notes_of(interview)
    assert not THIRD_PERSON.search(" ".join(topics_for(notes, interview, _ANN)))
    assert topics_for(notes, interview, _BOB) == [f"{pronoun.lower()} {noun}"]


def test_a_topic_for_nobody_in_a_panel_keeps_its_pronouns() -> None:
    interview = _interview([_ANN, _BOB], ["her move from consulting"])
    assert topics_for(notes_of(interview), interview, _ANN) == ["her move from consulting"]


async def test_the_draft_to_the_only_person_says_your(service: Service) -> None:
    await ok(service, ALICE, "settings name: Pat Doe")
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: yesterday 14:00; kind: informational; "
                             "with: Ann Lee; topics: her move from consulting into product")
    body = (await ok(service, ALICE, "draft #1 thank-you")).drafts[0].body
    assert "your move from consulting into product" in body and "her move" not in body
