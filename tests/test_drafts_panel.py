"""What was said to the whole panel goes in one note: an interview-wide `promised:` (the report you
offered to send) or `point:` (an addition to one of your answers) appears in the lead's thank-you
only (the first interviewer who is not a recruiter, else the main contact); one given for a person
(`promised: Jane Roe: ...`) in that person's note only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import Candidate, DraftKind, Interview, Interviewer, Tone
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
    for draft in drafts:  # (a recruiter's note can be a word short of 80 with or without a promise)
        assert [p for p in draft.problems if " words; the guide " not in p] == [], draft.problems


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
