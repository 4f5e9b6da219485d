"""Drafts as a job seeker sends them: what each kind says (the follow-up rules' table), in both tones."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bot.domain import Candidate, DraftKind, Interview, Interviewer, InterviewKind, Tone
from bot.drafts import builtin_template, render_drafts
from bot.drafts.proofread import content_paragraphs
from bot.replies import Draft

ALEX = Candidate(name="Alex Morgan", email="alex.morgan@example.com", phone="555-0100")


def panel(**changes: object) -> Interview:
    """A three-person panel: Jane (recruiter, with address), Omar (with address), Lee (no address)."""
    interview = Interview(
        user_id=1,
        company="Horizon Marketing",
        role="Marketing Coordinator",
        starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC),  # Tuesday, December 1
        interviewers=[
            Interviewer("Jane Richardson", honorific="Ms.", title="Marketing Director",
                        email="jane@horizon.example", topic="the upcoming brand campaign launch"),
            Interviewer("Omar Haddad", email="omar@horizon.example", topic="the TikTok pilot", recruiter=True),
            Interviewer("Lee Chen", topic="the analytics dashboard"),
        ],
        topics=["social media outreach"],
        promised="social media report",
        point="I led a campaign that raised engagement 30% in two months",
        offer_deadline=datetime(2026, 12, 9).date(),
        decision_on=datetime(2026, 12, 11).date(),
    )  # fmt: skip
    return replace(interview, **changes)  # type: ignore[arg-type]


def sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if s]


def first_and_last_sentence(draft: Draft) -> tuple[str, str]:
    paras = content_paragraphs(draft.body)
    return sentences(paras[0])[0], sentences(paras[-1])[-1]


def render(kind: DraftKind, tone: Tone = Tone.FORMAL, **kw: object) -> list[Draft]:
    interview = kw.pop("interview", None) or panel()
    candidate = kw.pop("candidate", ALEX)
    return render_drafts(kind, interview, candidate, tone, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ thank-you


@pytest.mark.parametrize("tone", list(Tone))
def test_thank_you_has_everything_the_guide_asks_for(tone: Tone) -> None:
    drafts = render(DraftKind.THANK_YOU, tone)
    assert [d.to_name for d in drafts] == ["Jane Richardson", "Omar Haddad", "Lee Chen"]
    topics = ["the upcoming brand campaign launch", "the TikTok pilot", "the analytics dashboard"]
    for draft, topic in zip(drafts, topics, strict=True):
        assert draft.problems == ()
        assert draft.subject == "Thank you – Marketing Coordinator interview"
        first, _ = first_and_last_sentence(draft)
        assert "Marketing Coordinator" in first and re.search(r"\bthank", first, re.IGNORECASE)
        assert topic in draft.body
        assert re.search(r"excited|enthusias|eager|interest", draft.body)
        # said to the whole panel: in the lead's note (Jane: the first who is not the recruiter) only
        lead = draft.to_name == "Jane Richardson"
        assert ("the social media report I mentioned" in draft.body) is lead
        assert ("I led a campaign that raised engagement 30% in two months." in draft.body) is lead
        assert re.search(r"information|anything else|details|anything more", draft.body)
        assert 2 <= len(content_paragraphs(draft.body)) <= 4
        assert "today" not in draft.body.lower()
    # a promise given for one person ("Lee: ...") is in Lee's note only
    own = render(DraftKind.THANK_YOU, tone, interview=panel(promised="Lee: the social media report"))
    assert ["the social media report I mentioned" in d.body for d in own] == [False, False, True]
    # Lee has no address: Jane's and Omar's notes pass the thanks on; Lee's own note does not.
    assert "Kindly extend my thanks to Lee Chen as well." in drafts[0].body
    assert re.search(r"Please pass my thanks on to Lee Chen too\.", drafts[1].body)
    assert "Lee Chen" not in drafts[2].body.split("\n", 1)[1]


def test_formal_and_casual_greetings_and_sign_offs() -> None:
    formal = render(DraftKind.THANK_YOU, Tone.FORMAL)
    casual = render(DraftKind.THANK_YOU, Tone.CASUAL)
    assert formal[0].body.startswith("Dear Ms. Richardson,\n")  # the honorific given with the name
    assert formal[1].body.startswith("Dear Omar Haddad,\n")
    assert casual[0].body.startswith("Hi Jane,\n")
    assert casual[2].body.startswith("Hi Lee,\n")
    assert all("\nSincerely,\nAlex Morgan\n" in d.body for d in formal)
    assert all("\nBest,\nAlex Morgan\n" in d.body for d in casual)


@pytest.mark.parametrize("tone", list(Tone))
@pytest.mark.parametrize("kind", [DraftKind.THANK_YOU, DraftKind.STAY_IN_TOUCH])
def test_panel_drafts_never_share_an_opening_or_closing_sentence(kind: DraftKind, tone: Tone) -> None:
    for late in (False, True):
        drafts = render(kind, tone, late=late, interview=panel(topics=[]))
        firsts = [first_and_last_sentence(d)[0] for d in drafts]
        lasts = [first_and_last_sentence(d)[1] for d in drafts]
        assert len(set(firsts)) == 3, firsts
        assert len(set(lasts)) == 3, lasts


def test_thank_you_variety_holds_for_a_full_panel_of_ten_without_topics() -> None:
    people = [Interviewer(f"Person {n}", email=f"p{n}@x.example") for n in "ABCDEFGHIJ"]
    for tone in Tone:
        for late in (False, True):
            drafts = render(DraftKind.THANK_YOU, tone, late=late, interview=panel(interviewers=people, topics=[]))
            assert len(drafts) == 10 and all(d.problems == () for d in drafts)
            firsts = [first_and_last_sentence(d)[0] for d in drafts]
            assert len(set(firsts)) == 10
            assert len({first_and_last_sentence(d)[1] for d in drafts}) == 10
            assert all(re.search(r"\bthank", first, re.IGNORECASE) for first in firsts)


@pytest.mark.parametrize("kind", [DraftKind.LINKEDIN, DraftKind.STAY_IN_TOUCH])
def test_notes_to_each_interviewer_differ_for_six_people(kind: DraftKind) -> None:
    people = [Interviewer(f"Person {n}", email=f"p{n}@x.example") for n in "ABCDEF"]
    for tone in Tone:
        drafts = render(kind, tone, interview=panel(interviewers=people, topics=[]))
        assert all(d.problems == () for d in drafts)
        if kind is DraftKind.LINKEDIN:
            assert len({d.body.split(", ", 1)[1] for d in drafts}) == 6
        else:
            assert len({first_and_last_sentence(d)[0] for d in drafts}) == 6
            assert len({first_and_last_sentence(d)[1] for d in drafts}) == 6


def test_late_thank_you_does_not_pretend_to_be_on_time() -> None:
    for tone in Tone:
        drafts = render(DraftKind.THANK_YOU, tone, late=True)
        for draft in drafts:
            assert "today" not in draft.body.lower()
            assert "on Tuesday, December 1" in draft.body
            assert draft.problems == ()
    on_time = render(DraftKind.THANK_YOU)
    assert all("December 1" not in d.body for d in on_time)


def test_the_interview_day_is_the_users_local_day() -> None:
    # 03:00 UTC on Wednesday is still Tuesday evening in Los Angeles.
    interview = panel(starts_at=datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    [draft] = render(DraftKind.THANK_YOU, late=True, to=interview.interviewers[0], interview=interview,
                     tz="America/Los_Angeles")  # fmt: skip
    assert "on Tuesday, December 1" in draft.body
    [draft] = render(DraftKind.THANK_YOU, late=True, to=interview.interviewers[0], interview=interview, tz="UTC")
    assert "on Wednesday, December 2" in draft.body


def test_to_limits_the_drafts_to_one_person() -> None:
    interview = panel()
    drafts = render(DraftKind.THANK_YOU, to=interview.interviewers[1], interview=interview)
    assert [d.to_name for d in drafts] == ["Omar Haddad"]
    assert "the TikTok pilot" in drafts[0].body


def test_no_interviewers_still_gets_one_draft_with_a_generic_greeting() -> None:
    interview = panel(interviewers=[])
    for kind in DraftKind:
        for tone, greeting in ((Tone.FORMAL, "Dear Hiring Team,"), (Tone.CASUAL, "Hi there,")):
            drafts = render(kind, tone, interview=interview)
            assert len(drafts) == 1
            assert drafts[0].to_name is None and drafts[0].links == ()
            assert drafts[0].body.startswith(greeting)
            assert drafts[0].problems == (), (kind, drafts[0].problems)
            if kind is not DraftKind.CHECK_IN_2:  # the short second check-in names no topic
                assert "social media outreach" in drafts[0].body  # the interview's topics stand in


def test_a_bare_interview_still_reads_well_in_every_kind() -> None:
    interview = Interview(user_id=1, company="Acme", role="Data Analyst",
                          starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # fmt: skip
    for kind in DraftKind:
        for tone in Tone:
            for late in (False, True):
                [draft] = render(kind, tone, late=late, interview=interview)
                assert draft.problems == (), (kind, tone, late, draft.problems)
                assert "None" not in draft.body and "  " not in draft.body


def test_other_kinds_of_meeting_say_so() -> None:
    [draft, *_] = render(DraftKind.THANK_YOU, interview=panel(kind=InterviewKind.INFORMATIONAL))
    assert draft.subject == "Thank you – Horizon Marketing informational interview"
    assert draft.problems == ()
    [screen, *_] = render(DraftKind.THANK_YOU, interview=panel(kind=InterviewKind.PHONE_SCREEN))
    assert screen.subject == "Thank you – Marketing Coordinator phone screen"
    # After a meeting for advice, the follow-up says the advice was taken; it asks for no decision.
    [check_in] = render(DraftKind.CHECK_IN, interview=panel(kind=InterviewKind.NETWORKING))
    assert "I took it" in check_in.body and (check_in.subject or "").startswith("I took your advice")
    assert not re.search(r"decision|application|position|next steps", check_in.body, re.IGNORECASE)


def test_signature_is_name_then_phone_and_email() -> None:
    for kind in DraftKind:
        for draft in render(kind):
            lines = draft.body.split("\n")
            if kind is DraftKind.LINKEDIN:
                assert lines[-1] == "Alex Morgan"
            else:
                assert lines[-2:] == ["Alex Morgan", "555-0100 | alex.morgan@example.com"]
    only_mail = Candidate(name="Alex Morgan", email="alex@x.example", phone=None)
    draft = render(DraftKind.CHECK_IN, candidate=only_mail)[0]
    assert draft.body.endswith("\nAlex Morgan\nalex@x.example")


# ------------------------------------------------------------------------------------ check-ins


@pytest.mark.parametrize("tone", list(Tone))
def test_check_in_goes_to_the_recruiter_with_subject_date_topic_and_ask(tone: Tone) -> None:
    [draft] = render(DraftKind.CHECK_IN, tone)
    assert draft.to_name == "Omar Haddad"  # marked recruiter
    assert draft.subject == "Following up on the Marketing Coordinator interview – Alex Morgan"
    assert "Tuesday, December 1" in draft.body
    assert "the TikTok pilot" in draft.body
    assert re.search(r"update", draft.body)
    assert draft.problems == ()


@pytest.mark.parametrize("tone", list(Tone))
def test_second_check_in_is_shorter_and_fresh(tone: Tone) -> None:
    [first] = render(DraftKind.CHECK_IN, tone)
    [second] = render(DraftKind.CHECK_IN_2, tone)
    assert len(second.body) < len(first.body)
    assert "following up again" not in second.body.lower()
    assert "following up" not in second.body.lower()
    assert "Marketing Coordinator" in (second.subject or "") and "Alex Morgan" in (second.subject or "")
    assert second.subject != first.subject
    assert second.problems == ()


def test_check_in_subject_without_a_name_has_no_dangling_dash() -> None:
    [draft] = render(DraftKind.CHECK_IN, candidate=Candidate(name=None, email=None, phone=None))
    assert draft.subject == "Following up on the Marketing Coordinator interview"


# ------------------------------------------------------------------------------------ other kinds


@pytest.mark.parametrize("tone", list(Tone))
def test_timeline_update(tone: Tone) -> None:
    [draft] = render(DraftKind.TIMELINE, tone)
    assert "Wednesday, December 9" in draft.body  # the competing deadline
    assert "first choice" in draft.body
    assert "?" in draft.body and re.search(r"where (you are|things stand)", draft.body)
    assert "Marketing Coordinator" in draft.body
    assert draft.problems == ()


@pytest.mark.parametrize("tone", list(Tone))
def test_rejection_reply(tone: Tone) -> None:
    [draft] = render(DraftKind.REJECTION, tone)
    assert draft.to_name == "Omar Haddad"
    assert re.search(r"for considering me", draft.body)
    assert "impressed" in draft.body
    assert "future openings" in draft.body
    assert "feedback" in draft.body
    assert draft.problems == ()


@pytest.mark.parametrize("tone", list(Tone))
def test_linkedin_note(tone: Tone) -> None:
    drafts = render(DraftKind.LINKEDIN, tone)
    assert len(drafts) == 3
    for draft in drafts:
        assert draft.subject is None and draft.links == ()
        assert len(draft.body) <= 300
        assert "Marketing Coordinator" in draft.body
        assert re.search(r"conversation|speaking|discussing|talk", draft.body)
        assert draft.problems == ()
    assert len({d.body.split(",")[1] for d in drafts}) == 3  # three different notes


def test_linkedin_note_is_composed_to_fit_with_shorter_wording_never_cut() -> None:
    long_topic = "the multi-year plan to " + " and ".join(f"rebuild pipeline number {n}" for n in range(30))
    person = Interviewer("Jane Richardson", honorific="Ms.", topic=long_topic[:300])
    interview = panel(interviewers=[person], company="Horizon Marketing International Holdings",
                      role="Senior Regional Marketing Coordinator for Emerging Markets")  # fmt: skip
    for tone in Tone:
        [draft] = render(DraftKind.LINKEDIN, tone, interview=interview)
        assert len(draft.body) <= 300 and draft.problems == ()
        assert "…" not in draft.body and "..." not in draft.body
        assert "pipeline" not in draft.body  # the topic is left out rather than cut mid-phrase
        assert "Emerging Markets" in draft.body
        assert draft.body.endswith("Alex Morgan")


def test_linkedin_note_with_the_longest_role_and_company_still_fits() -> None:
    interview = panel(interviewers=[Interviewer("Bartholomew Okonkwo-Whitfield")], company="Horizon " * 15,
                      role="Lead " * 24)  # fmt: skip
    for tone in Tone:
        [draft] = render(DraftKind.LINKEDIN, tone, interview=interview)
        assert len(draft.body) <= 300 and "…" not in draft.body
        assert draft.problems == ()


@pytest.mark.parametrize("tone", list(Tone))
def test_stay_in_touch(tone: Tone) -> None:
    drafts = render(DraftKind.STAY_IN_TOUCH, tone)
    assert len(drafts) == 3
    for draft, topic in zip(drafts, ["brand campaign", "TikTok pilot", "analytics dashboard"], strict=True):
        assert topic in draft.body
        assert draft.problems == ()
        assert not re.search(r"\bhope (this|you|all|things)", draft.body, re.IGNORECASE)
        assert draft.body.count("Sincerely,") + draft.body.count("Best,") == 1
    # The coffee-chat ask goes to one person: the first who is not the recruiter (Jane).
    coffee = [d.to_name for d in drafts if "coffee" in d.body]
    assert coffee == ["Jane Richardson"]
    assert "15–20 minutes" in drafts[0].body and "no pressure" in drafts[0].body.lower()


# ------------------------------------------------------------------------------------ compose links


def test_compose_links_are_url_encoded() -> None:
    interview = panel(company="Smith & Sons", interviewers=[
        Interviewer("Jane Richardson", honorific="Ms.", email="jane+hr@smith.example", topic="50% growth?"),
    ])  # fmt: skip
    [draft] = render(DraftKind.THANK_YOU, interview=interview)
    links = {link.label: link.url for link in draft.links}
    assert set(links) == {"E-mail app", "Gmail", "Outlook"}

    mailto = urlsplit(links["E-mail app"])
    assert mailto.scheme == "mailto" and unquote(mailto.path) == "jane+hr@smith.example"
    assert "+" not in links["E-mail app"].split("?")[1]  # spaces are %20, a plus is %2B
    query = parse_qs(mailto.query)
    assert query["subject"] == [draft.subject]
    assert query["body"] == [draft.body.replace("\n", "\r\n")]

    gmail = urlsplit(links["Gmail"])
    assert (gmail.scheme, gmail.netloc, gmail.path) == ("https", "mail.google.com", "/mail/")
    query = parse_qs(gmail.query)
    assert query["view"] == ["cm"] and query["fs"] == ["1"]
    assert query["to"] == ["jane+hr@smith.example"]
    assert query["su"] == [draft.subject] and query["body"] == [draft.body]
    assert "Smith & Sons" in draft.body and "Smith%20%26%20Sons" in links["Gmail"]

    outlook = urlsplit(links["Outlook"])
    assert (outlook.netloc, outlook.path) == ("outlook.office.com", "/mail/deeplink/compose")
    query = parse_qs(outlook.query)
    assert query["to"] == ["jane+hr@smith.example"]
    assert query["subject"] == [draft.subject] and query["body"] == [draft.body]


def test_no_links_without_an_address() -> None:
    drafts = render(DraftKind.THANK_YOU)
    assert len(drafts[0].links) == 3 and drafts[2].links == ()


def test_every_kind_has_a_builtin_template_file() -> None:
    for kind in DraftKind:
        assert "{{ candidate.name }}" in builtin_template(kind)


def test_to_may_be_a_copy_of_the_listed_person() -> None:
    interview = panel()
    copy_of_lee = replace(interview.interviewers[2])
    [draft] = render(DraftKind.THANK_YOU, to=copy_of_lee, interview=interview)
    assert "extend my thanks to Lee Chen" not in draft.body  # Lee is not asked to thank himself
    [other] = render(DraftKind.THANK_YOU, to=interview.interviewers[2], interview=interview)
    assert draft.body == other.body  # same person, same wording
