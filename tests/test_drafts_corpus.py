"""Drafts over input typed the way people type it: generated interviews (names with suffixes,
particles, accents and in lower case; companies with "Inc." and "N.A."; topics with pronouns and
full stops; every kind of meeting; panels of up to eight), every kind of draft, and the invariants
a demanding career coach would check on each one."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import Candidate, DraftKind, Interview, Interviewer, InterviewKind, Tone
from bot.drafts import render_drafts
from bot.replies import Draft

GIVEN = ["james", "María José", "Aoife", "tom", "Robert", "Zoë", "Li", "Pieter", "Sean", "Ngozi", "Björn",
         "Chloé", "Juan Carlos", "priya", "Mary-Kate", "Oluwaseun", "Hà", "Ethan"]  # fmt: skip
SURNAMES = ["O'Connor", "García López", "van der Berg", "Ní Bhriain", "mcdonald", "Hale", "Nguyễn", "de la Cruz",
            "Okonkwo", "Müller", "Svensson", "Smith-Jones", "O'Brien", "Fernández", "Chen", "Dubois"]  # fmt: skip
SUFFIXES = ["", "", "", " Jr.", " III", ", PhD", " Sr."]
HONORIFICS = [None, None, "Mr.", "Ms.", "Dr.", "Prof.", "Mx."]
TITLES = [None, "Engineering Manager", "HR Business Partner", "Talent Acquisition Lead", "Data Scientist",
          "VP of Risk", "Director of Product"]  # fmt: skip
TOPICS = [None, None, "about how their team migrated to Kubernetes.", "The stress testing models.",
          "projects.", "her roadmap for the mobile app", "they built the fraud platform", "CCAR and stress testing",
          "how he grew the analytics team", "the upcoming brand campaign launch!", "their move to a four-day week",
          "the onboarding program for new analysts"]  # fmt: skip
COMPANIES = ["Acme, Inc.", "JPMorgan Chase Bank, N.A.", "Horizon Marketing", "acme corp", "Siemens AG",
             "Smith & Sons Ltd.", "Northwind Traders, LLC", "Globex Corporation", "Initech Inc"]  # fmt: skip
ROLES = ["Data Engineer", "the Marketing Coordinator position", "senior ux designer", "Risk Analyst.",
         "Associate, Model Validation", "an Operations Intern role"]  # fmt: skip
PROMISES = [None, "my portfolio", "to send two writing samples", "a case study.", "the slides I mentioned",
            "references", "to call next week", "Jane: my portfolio"]  # fmt: skip
POINTS = [None, "that I led the warehouse migration", "I wanted to add that i cut costs by 20%.",
          "led a team of five analysts", "to add: my model reduced false positives by 12%"]  # fmt: skip
NEWS = [None, "launched the mobile app", "her promotion to VP", "an article on fraud models",
        "Acme raised a Series B."]  # fmt: skip
THEIR_PROMISES = [None, None, "they will send the schedule by Friday", "feedback by Friday.",
                  "They'll get back to me with their thoughts"]  # fmt: skip
TOPIC_LISTS = [[], ["projects."], ["the data platform", "Their roadmap."], ["stress testing and CCAR"]]

ADVICE = (InterviewKind.INFORMATIONAL, InterviewKind.NETWORKING)
HIRING_WORDS = re.compile(
    r"\b(applications?|apply|applied|applying|positions?|next steps?|next stage|decisions?|hiring|candidates?"
    r"|candidacy|consideration|interview process|job offer)\b",
    re.IGNORECASE,
)
GREETING = re.compile(r"^(Dear|Hi|Hello)(?: (?P<rest>[^,\n]+))?,")
GENERIC = ("Dear Hiring Team,", "Hi there,", "Hello,")
SUFFIX_WORDS = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba"}


def typed(text: str, lower: bool) -> str:
    return text.lower() if lower else text


@st.composite
def people(draw: st.DrawFn) -> Interviewer:
    lower = draw(st.booleans())
    name = f"{draw(st.sampled_from(GIVEN))} {draw(st.sampled_from(SURNAMES))}{draw(st.sampled_from(SUFFIXES))}"
    return Interviewer(
        name=typed(name, lower),
        honorific=draw(st.sampled_from(HONORIFICS)),
        title=draw(st.sampled_from(TITLES)),
        email=draw(st.sampled_from([None, "person@company.example"])),
        topic=draw(st.sampled_from(TOPICS)),
        recruiter=draw(st.booleans()) and draw(st.booleans()),
        thanked_at=draw(st.sampled_from([None, datetime(2026, 12, 2, tzinfo=UTC)])),
    )


def _unique_names(panel: list[Interviewer]) -> list[Interviewer]:
    seen: set[str] = set()
    kept = []
    for person in panel:
        key = person.name.lower()
        if key not in seen:
            seen.add(key)
            kept.append(person)
    return kept


@st.composite
def interviews(draw: st.DrawFn) -> Interview:
    panel = _unique_names(draw(st.lists(people(), min_size=0, max_size=8)))
    return Interview(
        user_id=1,
        company=draw(st.sampled_from(COMPANIES)),
        role=draw(st.sampled_from(ROLES)),
        starts_at=datetime(2026, 12, 1, 14, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 30))),
        interviewers=panel,
        topics=list(draw(st.sampled_from(TOPIC_LISTS))),
        promised=draw(st.sampled_from(PROMISES)),
        point=draw(st.sampled_from(POINTS)),
        kind=draw(st.sampled_from(list(InterviewKind))),
        round=draw(st.sampled_from([1, 1, 2])),
        decision_on=draw(st.sampled_from([None, date(2026, 12, 20)])),
        offer_deadline=date(2026, 12, 18),
        their_promise=draw(st.sampled_from(THEIR_PROMISES)),
        news=draw(st.sampled_from(NEWS)),
    )


def sentences_of(draft: Draft) -> list[str]:
    """The body's sentences, without the greeting line, sign-off and signature."""
    paragraphs = draft.body.split("\n\n")[:-1]
    found: list[str] = []
    for paragraph in paragraphs:
        text = GREETING.sub("", paragraph).strip()
        found += [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3]
    return found


def check_draft(draft: Draft, kind: DraftKind, interview: Interview, late: bool) -> None:
    body = draft.body
    assert "None" not in body and "{{" not in body and "{%" not in body
    assert not re.search(r"\b(\w+)\s+\1\b", body, re.IGNORECASE), body  # "the the", "Dear Dear"
    plain = re.sub(r"\b(Jr|Sr|Inc|Ltd|Co|Corp|N\.A|Mr|Ms|Mrs|Mx|Dr|Prof)\.", r"\1", body)  # "Jr., " is right
    assert not re.search(r"[.,;:!?]\s*[.,;:!?]", plain), body  # "Inc..", ", ."
    assert "…" not in body and "..." not in body
    greeting = GREETING.match(body)
    assert greeting, body
    if not interview.interviewers:
        assert body.startswith(GENERIC), body
    else:
        words = (greeting.group("rest") or "").split()
        assert words[-1].lower().strip(".,") not in SUFFIX_WORDS, body
        assert all(w[0].isupper() or w in ("van", "der", "de", "la") for w in words), body
    assert not re.search(r"\bhope (this|you|all|things)\b[^.]*\bwell\b", body, re.IGNORECASE), body
    if kind is DraftKind.LINKEDIN:
        assert len(body) <= 300, body
        after_greeting = body.split(", ", 1)[1] if interview.interviewers else body.split(",", 1)[1].strip()
        assert after_greeting[0].islower() or after_greeting.startswith("I"), body
    if late and kind is DraftKind.THANK_YOU:  # nothing was sent before: no "thank you again"
        assert not re.search(r"\b(again|once more)\b", body, re.IGNORECASE), body
    if interview.kind in ADVICE and kind not in (DraftKind.TIMELINE, DraftKind.REJECTION):
        assert not HIRING_WORDS.search(body + " " + (draft.subject or "")), body
    if interview.kind is InterviewKind.CAREER_FAIR and kind is not DraftKind.TIMELINE:
        assert not re.search(r"\bdecision", body, re.IGNORECASE), body
    paragraphs = body.split("\n\n")[1:-1]  # without the greeting and the sign-off with signature
    if kind is DraftKind.THANK_YOU:
        assert 2 <= len(paragraphs) <= 4 and all("\n" not in p for p in paragraphs), body
    for paragraph in paragraphs:  # no two sentences in a row open with the same word
        openers = [re.findall(r"[A-Za-z']+", s)[0].lower() for s in re.split(r"(?<=[.!?])\s+", paragraph) if s]
        assert all(a != b for a, b in zip(openers, openers[1:], strict=False)), paragraph
    unexpected = [p for p in draft.problems if not p.startswith("Rephrase")]
    assert unexpected == [], (unexpected, body)


def check_variety(drafts: list[Draft]) -> None:
    for a, b in combinations(drafts, 2):
        shared = set(sentences_of(a)) & set(sentences_of(b))
        assert len(shared) <= 1, (shared, a.body, b.body)


ALEX = Candidate(name="alex morgan", email="alex@example.com", phone="555-0100")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(interview=interviews(), tone=st.sampled_from(list(Tone)), late=st.booleans(), merged=st.booleans())
def test_every_draft_of_a_realistic_interview_reads_right(
    interview: Interview, tone: Tone, late: bool, merged: bool
) -> None:
    for kind in DraftKind:
        drafts = render_drafts(kind, interview, ALEX, tone, late=late, tz="UTC", with_check_in=merged)
        for draft in drafts:
            check_draft(draft, kind, interview, late and kind is DraftKind.THANK_YOU)
        if kind in (DraftKind.THANK_YOU, DraftKind.LINKEDIN, DraftKind.STAY_IN_TOUCH):
            check_variety(drafts)
        if kind is DraftKind.STAY_IN_TOUCH and interview.interviewers:
            assert sum("coffee" in d.body for d in drafts) == 1
    if interview.round == 1 and interview.interviewers and interview.kind is InterviewKind.INTERVIEW:
        first = render_drafts(DraftKind.THANK_YOU, interview, ALEX, tone, tz="UTC")
        second = render_drafts(DraftKind.THANK_YOU, replace(interview, round=2), ALEX, tone, tz="UTC")
        for before, after in zip(first, second, strict=True):
            assert before.to_name == after.to_name
            assert len(set(sentences_of(before)) & set(sentences_of(after))) <= 1, (before.body, after.body)


def test_the_builtin_templates_read_right_in_every_sample_cell() -> None:
    """The cells a community template must pass (bot/drafts/samples.py), the built-in ones first."""
    from bot.drafts.samples import sample_candidate, sample_matrix

    candidate = sample_candidate()
    cells = 0
    for _name, interview in sample_matrix():
        cells += 1
        for kind in DraftKind:
            for tone in Tone:
                for late in (False, True) if kind is DraftKind.THANK_YOU else (False,):
                    drafts = render_drafts(kind, interview, candidate, tone, late=late, tz="UTC")
                    for draft in drafts:
                        check_draft(draft, kind, interview, late)
                        assert draft.problems == (), (_name, kind, tone, late, draft.problems)
                    if kind in (DraftKind.THANK_YOU, DraftKind.LINKEDIN, DraftKind.STAY_IN_TOUCH):
                        check_variety(drafts)
    assert cells == len(InterviewKind) * 4 * 4
