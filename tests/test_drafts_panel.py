"""What was said to the whole panel goes in one note: an interview-wide `promised:` (the report you
offered to send) or `point:` (an addition to one of your answers) appears in the lead's thank-you
only (the hiring manager when one is named, else the first interviewer who is not a recruiter, else
the main contact); one given for a person (`promised: Jane Roe: ...`) in that person's note only.
Every other note still reads fully: a recruiter's, too, without the promise it no longer carries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import Candidate, DraftKind, Interview, Interviewer, InterviewKind, Tone
from bot.drafts import render_drafts

ALEX = Candidate(name="Alex Morgan", email="alex@example.com", phone="555-0100")
NAMES = ["Jane Roe", "Omar Haddad", "Lee Chen", "Ana Ruiz", "Priya Patel", "Tom Lee"]
TITLES = [None, "Marketing Director", "Talent Partner", "HR Business Partner", "Engineer"]
PROMISE = "the social media report"
POINT = "I led a campaign that raised engagement 30% in two months"


@st.composite
def panels(draw: st.DrawFn) -> list[Interviewer]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    return [Interviewer(name, title=draw(st.sampled_from(TITLES)), recruiter=draw(st.booleans()),
                        email=f"{name.split()[0].lower()}@acme.example") for name in names]


def lead_of(people: list[Interviewer]) -> str:
    """The first who is not a recruiter or HR, else the main contact (the recruiter, else the first)."""
    process = [p.recruiter or "Talent" in (p.title or "") or "HR" in (p.title or "") for p in people]
    if not all(process):
        return people[process.index(False)].name
    return next((p.name for p in people if p.recruiter), people[0].name)


@settings(max_examples=60, deadline=None)
@given(people=panels(), owner=st.none() | st.integers(0, 4), tone=st.sampled_from(list(Tone)),
       with_point=st.booleans())
def test_a_promise_or_point_to_the_whole_panel_is_in_one_note(people: list[Interviewer], owner: int | None,
                                                             tone: Tone, with_point: bool) -> None:
    owner_name = people[owner].name if owner is not None and owner < len(people) else None
    interview = Interview(
        user_id=1, number=1, company="Acme", role="Marketing Coordinator",
        starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC), interviewers=people, topics=["social media outreach"],
        promised=f"{owner_name}: {PROMISE}" if owner_name else PROMISE,
        point=POINT if with_point else None)
    drafts = render_drafts(DraftKind.THANK_YOU, interview, ALEX, tone)
    assert [d.to_name for d in drafts] == [p.name for p in people]
    with_promise = [d.to_name for d in drafts if "social media report" in d.body]
    assert with_promise == [owner_name or lead_of(people)]
    with_the_point = [d.to_name for d in drafts if "raised engagement 30%" in d.body]
    assert with_the_point == ([lead_of(people)] if with_point else [])
    for draft in drafts:  # the notes without the promise are long enough too
        assert draft.problems == (), (draft.problems, draft.body)


def test_a_single_interviewer_gets_everything() -> None:
    person = Interviewer("Omar Haddad", recruiter=True)
    interview = Interview(user_id=1, number=1, company="Acme", role="Analyst",
                          starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC), interviewers=[person],
                          promised=PROMISE, point=POINT)
    body = render_drafts(DraftKind.THANK_YOU, interview, ALEX, Tone.FORMAL)[0].body
    assert "social media report" in body and "raised engagement 30%" in body
    two = replace(interview, interviewers=[person, Interviewer("Lee Chen")])
    assert ["social media report" in d.body for d in render_drafts(DraftKind.THANK_YOU, two, ALEX, Tone.FORMAL)] \
        == [False, True]


def test_the_hiring_manager_is_the_lead_wherever_they_are_listed() -> None:
    people = [Interviewer("Robert Hale Jr."), Interviewer("Dr. Priya Patel (hiring manager)"),
              Interviewer("Tom Alvarez (recruiter)")]
    interview = Interview(user_id=1, number=1, company="Horizon Marketing", role="Marketing Coordinator",
                          starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC), interviewers=people,
                          topics=["the spring campaign"], promised="send my portfolio", point=POINT)
    drafts = render_drafts(DraftKind.THANK_YOU, interview, ALEX, Tone.FORMAL)
    assert [("portfolio" in d.body, "raised engagement" in d.body) for d in drafts] \
        == [(False, False), (True, True), (False, False)]
    assert all(d.problems == () for d in drafts)


SHORTEST = dict(company="Acme", role="Analyst", starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC))


@pytest.mark.parametrize("kind", list(InterviewKind))
def test_a_note_without_promise_point_or_topic_still_reads_fully(kind: InterviewKind) -> None:
    """The shortest a thank-you gets (one-word company and role, nothing typed, everyone's address
    known so no thanks are passed on) still has the guide's 80 words, for a recruiter, someone else
    and someone with a topic, in every wording (ten people), tone, round and on time or late."""
    for recruiter, topic in ((True, None), (False, None), (True, "the plan"), (False, "the plan")):
        people = [Interviewer(f"Person {c}", email=f"{c}@acme.example", recruiter=recruiter, topic=topic)
                  for c in "ABCDEFGHIJ"]
        for round_ in (1, 2):
            interview = Interview(user_id=1, number=1, interviewers=people, kind=kind, round=round_, **SHORTEST)
            for tone in Tone:
                for late in (False, True):
                    for draft in render_drafts(DraftKind.THANK_YOU, interview, ALEX, tone, late=late):
                        assert draft.problems == (), (recruiter, topic, round_, tone, late, draft.body)
