"""The proofreader catches what a careful reader would before a draft goes out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain import Candidate, DraftKind, Interview, Interviewer, Tone
from bot.drafts import builtin_template, check_template, proofread, render_drafts
from bot.drafts.proofread import dictionary, excluded_words_for, misspelled
from bot.replies import Draft

ALEX = Candidate(name="Alex Morgan", email="alex.morgan@example.com", phone="555-0100")


def interview(**kw: object) -> Interview:
    base: dict[str, object] = {
        "user_id": 1,
        "company": "Zyxqor Labs",
        "role": "Kubernetes Wrangler",
        "starts_at": datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
        "interviewers": [
            Interviewer("Siobhan Nguyen", honorific="Dr.", email="siobhan@zyxqor.example",
                        topic="the Terraformish migration"),
            Interviewer("Bartholomew Okonkwo", email="bart@zyxqor.example", topic="observability with Grafanix"),
        ],
        "topics": ["Helmfile rollouts"],
    }  # fmt: skip
    base.update(kw)
    return Interview(**base)  # type: ignore[arg-type]


def problems_of(drafts: list[Draft]) -> list[str]:
    return [p for d in drafts for p in d.problems]


def test_names_company_role_topics_and_addresses_are_not_misspellings() -> None:
    for kind in DraftKind:
        for tone in Tone:
            drafts = render_drafts(kind, interview(), ALEX, tone)
            assert problems_of(drafts) == [], (kind, tone)


def test_a_misspelling_in_the_users_own_point_is_caught() -> None:
    drafts = render_drafts(DraftKind.THANK_YOU, interview(point="I will recieve the certification in May"),
                           ALEX, Tone.FORMAL)  # fmt: skip
    finding = 'Check the spelling of “recieve” (did you mean “receive” or “relieve”?).'
    # the point was said to the whole panel: it is in the lead's note, and flagged where it is
    assert [finding in d.problems for d in drafts] == ["recieve" in d.body for d in drafts] == [True, False]


def test_planted_misspellings_and_placeholders_in_a_community_template() -> None:
    source = (
        "Subject: Thank you – {{ interview.role }}\n\n"
        "Dear [Name],\n\n"
        "Thank you for the opportunty to meet. I hope to recieve good news about the {{ interview.role }} role "
        "at {{ interview.company }}, and I enjoyed talking about {{ interviewer.topic }} with you today. "
        "{{ '{{ missing }}' }} I remain very interested and would be glad to send anything else you need "
        "for your decision, such as references, samples of my work, or a short summary of my projects.\n\n"
        "Please let me know if there is anything more I can provide. TODO add the date. I look forward "
        "to hearing from you and hope to speak again soon about the next steps in the process.\n\n"
        "Sincerely,\n{{ candidate.name }}\n{{ candidate.contact }}\n"
    )
    drafts = render_drafts(DraftKind.THANK_YOU, interview(), ALEX, Tone.FORMAL, template_source=source)
    assert len(drafts) == 2
    for draft in drafts:
        joined = " ".join(draft.problems)
        assert "“opportunty”" in joined and "“recieve”" in joined
        assert "Unfilled placeholders" in joined
        assert '"[Name]"' in joined and '"{{ missing }}"' in joined and '"TODO"' in joined
        [spelling] = [p for p in draft.problems if p.startswith("Check the spelling")]
        assert spelling == ("Check the spelling of “opportunty” (did you mean “opportunity”?) and “recieve” "
                            "(did you mean “receive” or “relieve”?).")  # names, company, role: fine
        assert any("nearly identical" in p for p in draft.problems)  # no `variant`: copies


def test_a_template_with_an_unknown_variable_falls_back_to_the_builtin_one_and_says_so() -> None:
    source = "Subject: Hi\n\n{{ interviewer.greeting }},\n\n{{ missing }}\n\nBest,\n{{ candidate.name }}\n"
    drafts = render_drafts(DraftKind.THANK_YOU, interview(), ALEX, Tone.FORMAL, template_source=source)
    assert all(d.problems[0].startswith("The community template could not be used") for d in drafts)
    assert all("'missing' is undefined" in d.problems[0] for d in drafts)
    assert "Dear Dr. Nguyen," in drafts[0].body and "Dear Bartholomew Okonkwo," in drafts[1].body
    assert all(len(d.problems) == 1 for d in drafts)


def test_missing_signature_and_subject_are_flagged() -> None:
    source = (
        "{{ interviewer.greeting }},\n\n"
        + "Thank you for your time and for the conversation about the role today. " * 6
        + "\n\n"
        + "I remain very interested in the position and happy to provide more information. " * 4
        + "\n\nSincerely,\n"
    )
    [draft] = render_drafts(DraftKind.CHECK_IN, interview(), ALEX, Tone.FORMAL, template_source=source)
    assert "The draft has no subject line." in draft.problems
    assert "The signature is missing: end the draft with your full name." in draft.problems


def test_a_user_without_a_name_is_told_how_to_set_it() -> None:
    nobody = Candidate(name=None, email="x@y.example", phone=None)
    for kind in DraftKind:
        drafts = render_drafts(kind, interview(), nobody, Tone.CASUAL)
        for draft in drafts:
            assert any("Set your name with /interview settings name: ..." in p for p in draft.problems), kind


def test_two_near_identical_drafts_are_flagged() -> None:
    body = (
        "Dear {name},\n\nThank you for meeting with me about the Analyst role. I enjoyed our talk about "
        "the new dashboard and the team's plans for next year.\n\nI am very excited about the role and "
        "confident that my experience fits it well. Please let me know if I can provide anything else.\n\n"
        "Sincerely,\nAlex Morgan\n555-0100 | alex.morgan@example.com"
    )
    drafts = [
        Draft("thank-you", "Jane Richardson", None, "Thank you", body.format(name="Ms. Richardson")),
        Draft("thank-you", "Omar Haddad", None, "Thank you", body.format(name="Omar Haddad")),
        Draft(
            "thank-you", "Lee Chen", None, "Thank you", "Dear Lee,\n\nSomething else entirely.\n\nBest,\nAlex Morgan"
        ),
    ]
    checked = proofread(drafts, DraftKind.THANK_YOU, {"richardson", "haddad", "omar", "lee"}, candidate=ALEX)
    assert any("nearly identical to the one to Omar Haddad" in p for p in checked[0].problems)
    assert any("nearly identical to the one to Jane Richardson" in p for p in checked[1].problems)
    assert not any("nearly identical" in p for p in checked[2].problems)


def test_builtin_panel_drafts_are_never_near_identical() -> None:
    people = [Interviewer(f"Person {n}", email=f"{n}@x.example") for n in "ABCDEF"]
    for kind in (DraftKind.THANK_YOU, DraftKind.LINKEDIN, DraftKind.STAY_IN_TOUCH):
        for tone in Tone:
            drafts = render_drafts(kind, interview(interviewers=people, topics=[]), ALEX, tone)
            assert len(drafts) == 6
            assert not any("nearly identical" in p for p in problems_of(drafts)), (kind, tone)


def test_length_outside_the_guides_range() -> None:
    short = Draft("thank-you", "Jane", None, "Thanks", "Dear Jane,\n\nThanks!\n\nBest,\nAlex Morgan")
    long_body = "Dear Jane,\n\n" + "\n\n".join(["Thank you for the lovely chat. " * 12] * 6) + "\n\nBest,\nAlex Morgan"
    long = Draft("thank-you", "Jane", None, "Thanks", long_body)
    [short_checked, long_checked] = proofread([short, long], DraftKind.THANK_YOU, set(), candidate=ALEX)
    assert "The thank-you is only 1 words; the guide suggests at least 80." in short_checked.problems
    assert any("at most 250" in p for p in long_checked.problems)
    assert any("6 paragraphs; aim for 2–4" in p for p in long_checked.problems)
    note = Draft("linkedin", "Jane", None, None, "Hi Jane, " + "great talk " * 40 + "\nAlex Morgan")
    [checked] = proofread([note], DraftKind.LINKEDIN, set(), candidate=ALEX)
    assert any(p.startswith("The LinkedIn note is") and "300" in p for p in checked.problems)


def test_a_second_check_in_longer_than_the_first_is_flagged() -> None:
    source = builtin_template(DraftKind.CHECK_IN)
    [draft] = render_drafts(DraftKind.CHECK_IN_2, interview(), ALEX, Tone.FORMAL, template_source=source)
    assert "The second check-in should be shorter than the first one." in draft.problems


@pytest.mark.parametrize("kind", list(DraftKind))
def test_every_builtin_template_passes_the_whole_sample_matrix(kind: DraftKind) -> None:
    assert check_template(kind, builtin_template(kind)) == []


def test_check_template_explains_what_is_wrong() -> None:
    assert check_template(DraftKind.THANK_YOU, "Subject: x\n\n{% if %}")[0].startswith("Line 3:")
    assert "'missing' is undefined" in check_template(DraftKind.CHECK_IN, "{{ missing }}")[0]
    unsafe = check_template(DraftKind.CHECK_IN, "{{ interview.__class__.__mro__ }}")
    assert unsafe[0].startswith("Not allowed in a template")
    planted = check_template(DraftKind.LINKEDIN, "Hi [Name], nice to meet you. {{ candidate.name }}")
    assert any('"[Name]"' in p for p in planted)


def test_word_list_is_compact_and_knows_common_words() -> None:
    words = dictionary()
    assert 50_000 < len(words) < 200_000
    assert {"opportunity", "receive", "interview", "thank", "linkedin", "e-mail"} <= words
    assert "recieve" not in words and "opportunty" not in words
    assert misspelled("I've attached the report; it's great. Don't worry, we're fine.", set()) == []
    assert misspelled("Email jane@x.example or see https://x.example/a-b. NASA and SQL.", set()) == []
    assert misspelled("Thanks Siobhan", excluded_words_for(interview())) == []


def test_a_runaway_community_template_is_stopped() -> None:
    for source in (
        "Subject: x\n\n{{ 'x' * 100000000 }}",
        "Subject: x\n\n{{ 10 ** 100000 }}",
        "Subject: x\n\n{% for i in range(100000) %}{% for j in range(100000) %}{{ i }} {% endfor %}{% endfor %}",
    ):
        drafts = render_drafts(DraftKind.CHECK_IN, interview(), ALEX, Tone.FORMAL, template_source=source)
        assert len(drafts) == 1 and len(drafts[0].body) <= 20_000
