"""A sample interview and candidate, for checking and previewing a community's template."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain import Candidate, Interview, Interviewer


def sample_candidate() -> Candidate:
    return Candidate(name="Alex Morgan", email="alex.morgan@example.com", phone="555-0100")


def sample_interview(with_people: bool = True) -> Interview:
    people = [
        Interviewer(
            name="Jane Richardson",
            honorific="Ms.",
            title="Marketing Director",
            email="jane@horizon.example",
            topic="the upcoming brand campaign launch",
            recruiter=True,
        ),
        Interviewer(name="Omar Haddad", title="Content Lead", email="omar@horizon.example", topic="the TikTok pilot"),
        Interviewer(name="Lee Chen", title="Analyst"),
    ]
    return Interview(
        user_id=0,
        company="Horizon Marketing",
        role="Marketing Coordinator",
        starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
        interviewers=people if with_people else [],
        topics=["social media outreach", "the brand campaign"],
        decision_on=date(2026, 12, 11),
        promised="social media report",
        point="I led a campaign that raised engagement 30% in two months",
        offer_deadline=date(2026, 12, 9),
    )
