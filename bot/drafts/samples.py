"""Sample interviews and a candidate, for checking and previewing a community's template.

`sample_interview()` is the guide's example panel. `sample_matrix()` names every cell a template
must read well in: each kind of meeting, 1, 3 and 8 people, with and without a topic, a promise, a
point and news (tones and lateness are the renderer's arguments, not the interview's).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from bot.domain import Candidate, Interview, Interviewer, InterviewKind

PANEL_SIZES = (1, 3, 8)

# Eight people as members type them: honorifics, a suffix, particles, two surnames, an accent,
# a recruiter, someone without an address.
_PEOPLE = (
    Interviewer(name="Jane Richardson", honorific="Ms.", title="Marketing Director", email="jane@horizon.example",
                topic="the upcoming brand campaign launch", recruiter=True),
    Interviewer(name="Omar Haddad", title="Content Lead", email="omar@horizon.example", topic="the TikTok pilot"),
    Interviewer(name="Lee Chen", title="Analyst"),
    Interviewer(name="Robert Hale Jr.", honorific="Mr.", title="VP of Growth", email="robert@horizon.example",
                topic="how their team measures campaign reach"),
    Interviewer(name="María José García López", honorific="Ms.", title="Creative Director",
                topic="the rebrand of the mobile app"),
    Interviewer(name="pieter van der berg", title="Data Engineer", email="pieter@horizon.example",
                topic="the attribution dashboard."),
    Interviewer(name="Aoife Ní Bhriain", honorific="Dr.", title="Head of Research", topic="audience research"),
    Interviewer(name="Sam Okafor", title="Talent Partner", email="sam@horizon.example"),
)  # fmt: skip


def sample_candidate() -> Candidate:
    return Candidate(name="Alex Morgan", email="alex.morgan@example.com", phone="555-0100")


def _person(index: int, with_topic: bool) -> Interviewer:
    base = _PEOPLE[index]
    return Interviewer(
        name=base.name,
        honorific=base.honorific,
        title=base.title,
        email=base.email,
        topic=base.topic if with_topic else None,
        recruiter=base.recruiter,
    )


def sample_interview(
    with_people: bool = True,
    *,
    kind: InterviewKind = InterviewKind.INTERVIEW,
    people: int = 3,
    topic: bool = True,
    promise: bool = True,
    point: bool = True,
    news: bool = False,
) -> Interview:
    """The guide's example (Horizon Marketing, a three-person panel) or a variation of it."""
    panel = [_person(i, topic) for i in range(min(people, len(_PEOPLE)))] if with_people else []
    return Interview(
        user_id=0,
        company="Horizon Marketing, Inc.",
        role="Marketing Coordinator",
        starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
        interviewers=panel,
        topics=["social media outreach", "the brand campaign"] if topic else [],
        decision_on=date(2026, 12, 11),
        promised="social media report" if promise else None,
        point="I led a campaign that raised engagement 30% in two months" if point else None,
        offer_deadline=date(2026, 12, 9),
        kind=kind,
        news="launched the new brand campaign" if news else None,
    )


def sample_matrix() -> Iterator[tuple[str, Interview]]:
    """(cell name, interview) for every cell: kind x panel size (and no one) x what was typed."""
    contents = (
        ("everything", dict(topic=True, promise=True, point=True, news=True)),
        ("nothing typed", dict(topic=False, promise=False, point=False, news=False)),
        ("topic only", dict(topic=True, promise=False, point=False, news=False)),
        ("promise and point", dict(topic=False, promise=True, point=True, news=False)),
    )
    for kind in InterviewKind:
        for size in (0, *PANEL_SIZES):
            for label, flags in contents:
                who = "no interviewer" if size == 0 else f"{size} {'person' if size == 1 else 'people'}"
                interview = sample_interview(size > 0, kind=kind, people=size, **flags)  # type: ignore[arg-type]
                yield f"{kind.value}, {who}, {label}", interview
