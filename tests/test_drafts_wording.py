"""No two sentences in a row open alike, across a paragraph break too: the proofreader says so
(style_checks.repeated_openers), and the wording picker (`in_turn`) keeps the built-in drafts from
doing it while panels of ten still share no sentence."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import combinations, product

import pytest

from bot.domain import Candidate, DraftKind, Interview, Interviewer, InterviewKind, Tone
from bot.drafts import render_drafts
from bot.drafts.proofread import content_paragraphs
from bot.drafts.style_checks import repeated_openers
from bot.drafts.wording import in_turn

MARIA = Candidate(name="Maria Lopez", email="maria@example.com", phone=None)


def test_the_same_two_words_across_a_paragraph_break_are_flagged() -> None:
    paragraphs = ["Thank you for your time. Our conversation about the spring campaign was a highlight for me.",
                  "Our conversation confirmed my enthusiasm for this opportunity. I would be glad to help."]
    [finding] = repeated_openers(paragraphs)
    assert finding.startswith("Two sentences in a row start with “Our conversation”")
    three = ["Thank you. I enjoyed the talk.", "I am keen. Your team is great."]
    assert repeated_openers(three) == []  # two in a row with "I", the second after a break: fine
    assert repeated_openers(["Thank you. I enjoyed the talk. Your team is great.", "Your plans. Yes."]) == []
    assert repeated_openers(["Your time. I enjoyed it.", "I am keen.", "I will write."]) != []  # three "I"


def test_the_picker_takes_the_next_wording_when_the_variants_would_repeat_an_opening() -> None:
    details = ["I enjoyed the talk.", "Our conversation about the launch was a highlight."]
    interests = ["My experience fits.", "Our conversation confirmed my interest.", "Joining would be great."]
    assert in_turn([[details], [interests]], 0) == ["I enjoyed the talk.", "My experience fits."]
    assert in_turn([[details], [interests]], 1) == ["Our conversation about the launch was a highlight.",
                                                    "Joining would be great."]
    # within a paragraph the first word alone may not repeat; a fixed sentence and "" are kept or left out
    assert in_turn([["I met you.", ["I liked it.", "Your team was kind."], "", []]], 0) \
        == ["I met you. Your team was kind."]
    # when every wording repeats, the variant's own is kept (the proofreader then says so)
    assert in_turn([["I met you.", ["I liked it."]]], 0) == ["I met you. I liked it."]


def test_the_reported_note_no_longer_repeats_its_opening_across_the_break() -> None:
    """`with: robert hale jr., dr. priya patel (hiring manager); topics: the spring campaign, CRM
    migration; promised: send my portfolio link` gave Priya "...was a highlight for me.\\n\\nOur
    conversation confirmed ..."."""
    interview = Interview(
        user_id=1, number=1, company="Horizon Marketing", role="Marketing Coordinator",
        starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
        interviewers=[Interviewer("robert hale jr."), Interviewer("dr. priya patel (hiring manager)")],
        topics=["the spring campaign", "CRM migration"], promised="send my portfolio link")
    for tone in Tone:
        for late in (False, True):
            for draft in render_drafts(DraftKind.THANK_YOU, interview, MARIA, tone, late=late):
                assert draft.problems == (), draft.body
                assert repeated_openers(content_paragraphs(draft.body)) == []


def _sentences(body: str) -> set[str]:
    return {s for p in content_paragraphs(body) for s in p.replace("! ", ". ").split(". ") if len(s.split()) > 3}


@pytest.mark.parametrize("kind", list(InterviewKind))
@pytest.mark.parametrize("draft_kind", [DraftKind.THANK_YOU, DraftKind.STAY_IN_TOUCH])
def test_every_wording_of_a_panel_of_ten_is_its_own(kind: InterviewKind, draft_kind: DraftKind) -> None:
    """Ten people in every branch (recruiter or not, own topic or not, a point and each kind of
    promise): no repeated openings, and no two notes share a sentence, so the picker never had to
    move one person onto another's wording."""
    for recruiter in (False, True):
        for topic in (None, "the data platform"):
            for promised in (None, "my portfolio", "my portfolio link", "references by Friday"):
                people = [Interviewer(f"Person {c}", email=f"{c}@acme.example", recruiter=recruiter, topic=topic)
                          for c in "ABCDEFGHIJ"]
                for round_ in (1, 2):
                    interview = Interview(
                        user_id=1, number=1, company="Acme", role="Analyst", kind=kind, round=round_,
                        starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC), interviewers=people,
                        promised=f"Person {'ABCDEFGHIJ'[round_]}: {promised}" if promised else None,
                        point="I led the warehouse migration")
                    for tone in Tone:
                        for late in (False, True):
                            drafts = render_drafts(draft_kind, interview, MARIA, tone, late=late)
                            assert all(d.problems == () for d in drafts), [d.problems for d in drafts]
                            for a, b in combinations(drafts, 2):
                                assert not _sentences(a.body) & _sentences(b.body), (a.body, b.body)


_LITTLE_WORDS = frozenset("i a an the to of and in on for with my your you me we our us it its is was be that this at "
                          "as about by from what how more have has am are would will could".split())
_STOCK = {("let", "know")}  # "please let me know" in one sentence, "I'll let you know" in another reads fine


def _said_twice(body: str) -> list[tuple[str, str]]:
    """Pairs of sentences of a note that share two words in a row once the little words and the
    possessive are left out ("the team and its goals" / "the team's goals")."""
    sentences = [s for p in content_paragraphs(body) for s in re.split(r"(?<=[.!?])\s+", p)]
    first_said: dict[tuple[str, str], int] = {}
    twice = []
    for i, sentence in enumerate(sentences):
        words = [w.removesuffix("'s") for w in re.findall(r"[a-z']+", sentence.lower())]
        words = [w for w in words if w not in _LITTLE_WORDS]
        for pair in zip(words, words[1:], strict=False):
            if pair in _STOCK:
                continue
            j = first_said.setdefault(pair, i)
            if j != i:
                twice.append((sentences[j], sentence))
    return twice


@pytest.mark.parametrize("kind", list(InterviewKind))
@pytest.mark.parametrize("draft_kind", list(DraftKind))
def test_no_note_says_the_same_thing_twice(kind: InterviewKind, draft_kind: DraftKind) -> None:
    """A coach strikes "I enjoyed learning about the team and its goals. After hearing more about
    the team's goals, ...": in every wording of every note (a panel of ten, each tone, late or on
    time, first round or next, with and without a topic of their own or a promise), no two
    sentences share two words in a row beyond the little ones."""
    for recruiter, topic, round_, tone, late, promised in product(
            (False, True), (None, "the data platform"), (1, 2), Tone, (False, True), (None, "my portfolio")):
        people = [Interviewer(f"Person {c}", email=f"{c}@acme.example", recruiter=recruiter, topic=topic)
                  for c in "ABCDEFGHIJ"]
        interview = Interview(user_id=1, number=1, company="Acme", role="Analyst", kind=kind, round=round_,
                              starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC), interviewers=people,
                              promised=promised)
        for draft in render_drafts(draft_kind, interview, MARIA, tone, late=late):
            assert _said_twice(draft.body) == [], draft.body


@pytest.mark.parametrize("tone", list(Tone))
@pytest.mark.parametrize("recruiter", [False, True])
@pytest.mark.parametrize("promised", [None, "send the list of openings"])
def test_a_check_in_after_a_career_fair_asks_about_the_openings_not_for_updates(
        tone: Tone, recruiter: bool, promised: str | None) -> None:
    """Met at a fair, nothing applied for yet: "any updates on your end?" has nothing to update;
    the check-in asks whether the openings are still there and whom to contact."""
    for kind, fair in ((InterviewKind.CAREER_FAIR, True), (InterviewKind.INTERVIEW, False),
                       (InterviewKind.PHONE_SCREEN, False)):
        interview = Interview(user_id=1, number=1, company="Acme", role="Analyst", kind=kind,
                              starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
                              interviewers=[Interviewer("Jane Roe", recruiter=recruiter)], their_promise=promised)
        for draft in render_drafts(DraftKind.CHECK_IN, interview, MARIA, tone):
            body = draft.body.lower()
            assert draft.problems == (), draft.problems
            assert ("openings" in body and "still available" in body) == fair, draft.body
            assert ("update" not in body) == fair, draft.body
