"""One `with:` naming several people becomes several interviewers, each with their own title,
e-mail and topic; a comma before a suffix or credential stays in the name; what could be read two
ways is refused and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.actor import Actor
from bot.commands import GrammarError, InterviewerSpec
from bot.field_grammar import format_interviewer, parse_fields
from bot.service import Service
from tests.service_support import exported_interviews, ok

ALICE = Actor("console", "local", "alice")

P = InterviewerSpec


@pytest.mark.parametrize(("typed", "people"), [
    ("Mr. James O'Connor Jr. <jim@acme.com>, maria lopez (recruiter)",
     [P("James O'Connor Jr.", "Mr.", email="jim@acme.com"), P("maria lopez", recruiter=True)]),
    ("Robert Hale, Jr.", [P("Robert Hale, Jr.")]),
    ("Ann Lee, PhD", [P("Ann Lee, PhD")]),
    ("Lee, MBA", [P("Lee, MBA")]),
    ("Ann Lee, PhD, MBA", [P("Ann Lee, PhD, MBA")]),
    ("Robert Hale, Jr. and Ann Lee, PhD", [P("Robert Hale, Jr."), P("Ann Lee, PhD")]),
    ("Jane and Omar", [P("Jane"), P("Omar")]),
    ("Ann Lee & Bob Roe", [P("Ann Lee"), P("Bob Roe")]),
    ("ann lee, maria lopez", [P("ann lee"), P("maria lopez")]),
    ("Ann Lee (VP, Sales), Bob Roe", [P("Ann Lee", title="VP, Sales"), P("Bob Roe")]),
    ("Ann Lee about pricing and hiring", [P("Ann Lee", topic="pricing and hiring")]),
    ("Ann Lee about pricing, ops and hiring", [P("Ann Lee", topic="pricing, ops and hiring")]),
    ("Ann Lee about pricing, Bob Roe <b@x.example> about ops",
     [P("Ann Lee", topic="pricing"), P("Bob Roe", email="b@x.example", topic="ops")]),
    ('"García López, María José"', [P("García López, María José")]),
    ('Ann Lee about "Python, Go and Rust"', [P("Ann Lee", topic="Python, Go and Rust")]),
])
def test_with_reads_each_person(typed: str, people: list[InterviewerSpec]) -> None:
    fields = parse_fields(f"with: {typed}")
    assert not isinstance(fields, GrammarError), fields
    assert list(fields.with_) == people


@pytest.mark.parametrize("typed", [
    "Lee, Ann",  # one person surname first, or two?
    "Jane Roe, Marketing Director",  # a title after a comma
    "Ann Lee about pricing, Bob Roe",  # the topic's end or a person?
    "Ann Lee about Python, Go",
    "Ann Lee, Ed",  # "Ed" is a first name here, not a credential
    "Ann Lee,, Bob Roe",
])
def test_what_reads_two_ways_is_refused_with_a_hint(typed: str) -> None:
    answer = parse_fields(f"with: {typed}")
    assert isinstance(answer, GrammarError)
    assert "with: " in answer.message and "; with: " in answer.message and "nothing was saved" in answer.message


_FIRST = st.sampled_from(["Ann", "maria", "James", "Seán", "Robert", "jo", "Priya"])
_LAST = st.sampled_from(["Lee", "lopez", "O'Connor", "McDonald", "García López", "van der Berg", "Hale"])
_SUFFIX = st.sampled_from(["", " Jr.", ", Jr.", ", PhD", " III", ", MBA"])
_TITLE = st.sampled_from([None, "Marketing Director", "VP, Sales", "Engineer"])
_TOPIC = st.sampled_from([None, "the launch", "pricing and hiring", "pricing, ops and hiring", "Python, Go"])
_EMAIL = st.sampled_from([None, "a@x.example", "b.c@y.example"])


@st.composite
def _person(draw: st.DrawFn) -> InterviewerSpec:
    name = f"{draw(_FIRST)} {draw(_LAST)}{draw(_SUFFIX)}"
    return InterviewerSpec(name=name, honorific=draw(st.sampled_from([None, "Ms.", "Dr."])), title=draw(_TITLE),
                           email=draw(_EMAIL), topic=draw(_TOPIC), recruiter=draw(st.booleans()))


@given(st.lists(_person(), min_size=1, max_size=4))
def test_people_written_back_read_back_the_same(people: list[InterviewerSpec]) -> None:
    """Forms and buttons write each person with format_interviewer: one `with:` each, read back alike."""
    fields = parse_fields("; ".join(f"with: {format_interviewer(p)}" for p in people))
    assert not isinstance(fields, GrammarError), fields
    assert list(fields.with_) == people


@given(st.lists(_person().filter(lambda p: p.email is not None), min_size=2, max_size=4),
       st.sampled_from([", ", " and ", " & "]))
def test_several_people_on_one_with_are_each_read_or_refused_never_merged(
        people: list[InterviewerSpec], separator: str) -> None:
    typed = separator.join(format_interviewer(p) for p in people)
    fields = parse_fields(f"with: {typed}")
    if isinstance(fields, GrammarError):  # a topic that could swallow the next person: asked about
        assert "nothing was saved" in fields.message or "e-mail" in fields.message
        assert any(p.topic for p in people[:-1])
        return
    assert [p.email for p in fields.with_] == [p.email for p in people]
    assert [p.title for p in fields.with_] == [p.title for p in people]


async def interviewers(service: Service) -> list[dict[str, Any]]:
    return [p for i in await exported_interviews(service, ALICE) for p in i["interviewers"]]


async def test_add_with_several_people_stores_each_and_says_so(service: Service) -> None:
    reply = await ok(service, ALICE, "add company: Acme; role: analyst; when: yesterday 2pm; "
                                     "with: Mr. James O'Connor Jr. <jim@acme.com>, maria lopez (recruiter)")
    said = reply.as_text()
    assert "with: Mr. James O'Connor Jr. (jim@acme.com)" in said and "with: Maria Lopez (main contact)" in said
    stored = await interviewers(service)
    assert [(p["name"], p["email"], p["recruiter"]) for p in stored] == [
        ("James O'Connor Jr.", "jim@acme.com", False), ("maria lopez", None, True)]


async def test_a_with_that_reads_two_ways_stores_nothing(service: Service) -> None:
    reply = await service.handle(ALICE, "add company: Acme; role: analyst; when: yesterday 2pm; with: Lee, Ann")
    assert reply.error and "with: Lee; with: Ann" in reply.title
    assert await interviewers(service) == []
    assert "Acme" not in (await ok(service, ALICE, "list all")).as_text()
