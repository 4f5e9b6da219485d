"""The variables a draft template sees (documented in bot/drafts/__init__.py), built from the domain.

Every value is a plain str, bool, int or list of str (never None), so a template can print any of
them without a "None" slipping into a draft, and `{% if interview.promised %}` tests for presence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Candidate, Interview, Interviewer, InterviewKind, Tone

MEETING_NOUN: dict[InterviewKind, str] = {
    InterviewKind.INTERVIEW: "interview",
    InterviewKind.INFORMATIONAL: "informational interview",
    InterviewKind.NETWORKING: "networking meeting",
    InterviewKind.CAREER_FAIR: "career fair conversation",
}

GENERIC_GREETING: dict[Tone, str] = {Tone.FORMAL: "Dear Hiring Team", Tone.CASUAL: "Hi there"}


def and_join(names: list[str] | tuple[str, ...]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def human_date(day: date) -> str:
    """`Tuesday, December 1`."""
    return f"{day:%A, %B} {day.day}"


def _zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except Exception:
        return ZoneInfo("UTC")


def local_day(moment: datetime, tz: str | None) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(_zone(tz)).date()
    except (OverflowError, ValueError):  # year 1 or 9999, where the zone's offset leaves the calendar
        return moment.astimezone(UTC).date()


def _sentence(text: str | None) -> str:
    """User text as a sentence: trimmed, ending with a full stop unless it has its own mark."""
    clean = " ".join((text or "").split())
    if clean and clean[-1] not in ".!?":
        clean += "."
    return clean


def _noun_phrase(text: str | None) -> str:
    """`the social media report` from "social media report" (an article or `my` is kept)."""
    clean = " ".join((text or "").split()).rstrip(".")
    if not clean:
        return ""
    first = clean.split()[0].lower()
    if first in ("the", "a", "an", "my", "our", "this", "that", "these", "those", "some"):
        return clean
    return "the " + clean


def candidate_vars(candidate: Candidate) -> dict[str, str]:
    name = " ".join((candidate.name or "").split())
    phone = (candidate.phone or "").strip()
    email = (candidate.email or "").strip()
    return {
        "name": name,
        "first_name": name.split()[0] if name else "",
        "phone": phone,
        "email": email,
        "contact": " | ".join(part for part in (phone, email) if part),
    }


def interview_vars(interview: Interview, tz: str | None) -> dict[str, Any]:
    topics = [" ".join(t.split()) for t in interview.topics if t and t.strip()]
    day = local_day(interview.starts_at, tz)
    return {
        "company": interview.company.strip(),
        "role": interview.role.strip(),
        "starts_at": human_date(day),
        "weekday": f"{day:%A}",
        "kind": interview.kind.value,
        "meeting": MEETING_NOUN.get(interview.kind, "interview"),
        "topics": topics,
        "topics_text": and_join(topics),
        "promised": " ".join((interview.promised or "").split()),
        "promised_phrase": _noun_phrase(interview.promised),
        # what the employer said they would do ("send the schedule by Friday"), for the check-in
        "their_promise": " ".join((interview.their_promise or "").split()).rstrip("."),
        "point": _sentence(interview.point),
        "decision": human_date(interview.decision_on) if interview.decision_on else "",
        "offer_deadline": human_date(interview.offer_deadline) if interview.offer_deadline else "",
    }


def interviewer_vars(person: Interviewer | None, interview_topics: list[str], tone: Tone) -> dict[str, str]:
    fallback_topic = and_join(interview_topics)
    if person is None:
        return {
            "name": "",
            "title": "",
            "first_name": "",
            "last_name": "",
            "honorific": "",
            "greeting": GENERIC_GREETING[tone],
            "topic": fallback_topic,
            "email": "",
        }
    topic = " ".join((person.topic or "").split()).rstrip(".")
    return {
        "name": person.name,
        "title": person.title or "",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "honorific": person.honorific or "",
        "greeting": person.greeting(tone),
        "topic": topic or fallback_topic,
        "email": person.email or "",
    }


def others_for(interview: Interview, person: Interviewer | None) -> list[str]:
    """The other interviewers without a known address (their thanks go through this person)."""
    return [
        p.name
        for p in interview.interviewers
        if (person is None or not _same(p, person)) and not (p.email or "").strip() and p.name.strip()
    ]


def _same(a: Interviewer, b: Interviewer) -> bool:
    if a is b:
        return True
    if a.id is not None and b.id is not None:
        return a.id == b.id
    return a.name == b.name


def variant_of(interview: Interview, person: Interviewer | None) -> int:
    """This person's index among the interviewers (0 when not listed)."""
    if person is None:
        return 0
    for index, other in enumerate(interview.interviewers):
        if _same(other, person):
            return index
    return 0
