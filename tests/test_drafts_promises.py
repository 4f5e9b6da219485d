"""A promise reads the way you would hand the thing over: a file is attached, a link is included
("I've attached the portfolio link" is not something you can do), and what comes later is promised
with a time ("I'll send my references by Friday")."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.domain import Candidate, DraftKind, Interview, Interviewer, Tone
from bot.drafts import render_drafts
from bot.drafts.handover import ATTACH, LATER, LINK, offer

ALEX = Candidate(name="Alex Morgan", email="alex@example.com", phone="555-0100")

# (typed, how it travels, the words the note uses for it)
PROMISES = [
    ("send my portfolio link", LINK, "the portfolio link"),
    ("my portfolio site", LINK, "the portfolio site"),
    ("a link to my GitHub", LINK, "the link to my GitHub"),
    ("my LinkedIn", LINK, "the LinkedIn profile"),
    ("share the Google Doc with my plan", LINK, "the Google Doc with my plan"),
    ("the demo video link", LINK, "the demo video link"),
    ("my website", LINK, "the website"),
    ("share the case study", ATTACH, "the case study"),
    ("my portfolio", ATTACH, "the portfolio"),
    ("to send two writing samples", ATTACH, "the two writing samples"),
    ("my resume", ATTACH, "the resume"),
    ("the slides I mentioned", ATTACH, "the slides"),
    ("a writing sample", ATTACH, "the writing sample"),
    ("the social media report", ATTACH, "the social media report"),
    ("a case study on the migration project", ATTACH, "the case study on the migration project"),
    ("my cover letter", ATTACH, "the cover letter"),
    ("send references", LATER, "my references"),
    ("follow up with my availability", LATER, "my availability"),
    ("get back to you with my availability for a second interview", LATER,
     "my availability for a second interview"),
    ("send my references by Friday", LATER, "my references"),
    ("a list of references", LATER, "a list of references"),
    ("my portfolio by end of week", LATER, "my portfolio"),
    ("the code sample next week", LATER, "the code sample"),
    ("the dates that work for me", LATER, "the dates that work for me"),
]


@pytest.mark.parametrize(("typed", "how", "words"), PROMISES)
def test_each_promise_is_handed_over_the_way_it_travels(typed: str, how: str, words: str) -> None:
    made = offer(typed)
    assert made.how == how
    assert (made.own if how == LATER else made.promise.thing) == words


def lead_note(promised: str, index: int, tone: Tone, *, late: bool = False) -> str:
    people = [Interviewer(f"Person {c}", email=f"{c}@acme.example") for c in "ABCDEFGHIJ"]
    interview = Interview(user_id=1, number=1, company="Horizon Marketing", role="Marketing Coordinator",
                          starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC), interviewers=people,
                          promised=f"Person {'ABCDEFGHIJ'[index]}: {promised}")
    [draft] = render_drafts(DraftKind.THANK_YOU, interview, ALEX, tone, to=people[index], late=late)
    assert draft.problems == (), draft.body
    return draft.body


@pytest.mark.parametrize(("typed", "how", "words"), PROMISES)
def test_every_wording_of_a_promise_reads_right(typed: str, how: str, words: str) -> None:
    """All ten wordings (one person of ten each), both tones: the thing is named once, a link or
    something to come is never "attached", and what comes later says when."""
    when = re.search(r"by Friday|by end of week|next week", typed)
    for index in range(10):
        for tone in Tone:
            body = lead_note(typed, index, tone)
            assert body.count(words) == 1, body
            sentence = next(s for s in re.split(r"(?<=[.!?])\s+", body) if words in s)
            if how == ATTACH:
                assert re.search(r"attach|enclosed", sentence, re.IGNORECASE), sentence
            else:
                assert not re.search(r"attach|enclos", body), body
            if how == LINK:
                assert re.search(r"\b(Here (is|are)|included?|including|sharing|added)\b", sentence), sentence
            if how == LATER:
                assert re.search(r"\b(I'll|I will|will follow|expect|Getting|plan is to send)\b", sentence), sentence
                assert (when.group(0) if when else "within the next day or two") in sentence, sentence
                assert "the availability" not in body and "the references" not in body
