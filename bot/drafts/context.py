"""The variables a draft template sees (documented in bot/drafts/__init__.py), built from the domain.

Every value is a plain str, bool, int or list of str (never None), so a template can print any of
them without a "None" slipping into a draft, and `{% if interview.promised %}` tests for presence.
What the user typed goes through bot/drafts/fragments.py first (grammar) and names through
bot/drafts/names.py; what cannot be made to read well is left out and reported (`Notes.problems`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Candidate, Interview, Interviewer, InterviewKind, StepKind, Tone
from bot.drafts import company_and_role, owners, promises, talking_points
from bot.drafts.fragments import Fragment
from bot.drafts.handover import Offer, offer
from bot.drafts.names import name_of

MEETING_NOUN: dict[str, str] = {
    "interview": "interview",
    "phone-screen": "phone screen",
    "informational": "informational interview",
    "networking": "networking meeting",
    "career-fair": "career fair conversation",
}
# What a meeting is for: a job (hiring language fits), a first contact at a fair (an opening, no
# decision yet) or advice (no hiring language at all).
PURPOSE: dict[str, str] = {
    "interview": "job",
    "phone-screen": "job",
    "career-fair": "fair",
    "informational": "advice",
    "networking": "advice",
}

GENERIC_GREETING: dict[Tone, str] = {Tone.FORMAL: "Dear Hiring Team", Tone.CASUAL: "Hi there"}
_ADVICE_GREETING: dict[Tone, str] = {Tone.FORMAL: "Hello", Tone.CASUAL: "Hi there"}

# A person whose job is the process rather than the work: thanked for the process and the culture,
# never for the technical topics of the others.
_PROCESS_TITLE = re.compile(
    r"recruit|talent|\bhr\b|human resources|people (?:ops|operations|partner|team)|hiring coordinator|sourcer",
    re.IGNORECASE,
)
_HIRING_MANAGER = re.compile(r"\bhiring\s+manager\b", re.IGNORECASE)


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


def is_process_person(person: Interviewer | None) -> bool:
    """A recruiter or HR contact: marked (recruiter), or a title that says so."""
    if person is None:
        return False
    return person.recruiter or bool(_PROCESS_TITLE.search(f"{person.title or ''} {name_of(person).role}"))


def _same(a: Interviewer, b: Interviewer) -> bool:
    if a is b:
        return True
    if a.id is not None and b.id is not None:
        return a.id == b.id
    return a.name == b.name


def index_of(interview: Interview, person: Interviewer | None) -> int:
    """This person's index among the interviewers (0 when not listed)."""
    if person is None:
        return 0
    for index, other in enumerate(interview.interviewers):
        if _same(other, person):
            return index
    return 0


def variant_of(interview: Interview, person: Interviewer | None) -> int:
    """The wording this person's drafts use: their index, moved on by one each round, so a round-two
    note never repeats the round-one note the same person already has, and a panel never shares."""
    return index_of(interview, person) + max(0, interview.round - 1)


def coffee_person(interview: Interview) -> Interviewer | None:
    """The one person a stay-in-touch note asks for a coffee chat: the first interviewer who is not a
    recruiter and has a topic of their own, else the first who is not a recruiter, else the main
    contact."""
    people = interview.interviewers
    for person in people:
        if not is_process_person(person) and (person.topic or "").strip():
            return person
    for person in people:
        if not is_process_person(person):
            return person
    return interview.main_contact


def lead_person(interview: Interview) -> Interviewer | None:
    """Whose thank-you carries what was said to the whole panel (a `promised:` or a `point:` given
    for nobody): the hiring manager when one is named (title or role), else the first interviewer
    who is not a recruiter, else the main contact. One note attaches the promised report or adds to
    an answer; the same lines in every note of a panel would read like a form letter passed round."""
    people = [p for p in interview.interviewers if not is_process_person(p)]
    for person in people:
        if _HIRING_MANAGER.search(f"{person.title or ''} {name_of(person).role}"):
            return person
    return people[0] if people else interview.main_contact


def check_in_due_with_thank_you(interview: Interview, now: datetime) -> bool:
    """A thank-you past its 24 hours and a check-in due by now: one note to the main contact says
    both (the guide sends one e-mail, not two on the same day)."""
    thank_you = interview.step(StepKind.THANK_YOU)
    check_in = interview.step(StepKind.CHECK_IN)
    return (
        thank_you is not None
        and thank_you.is_open
        and thank_you.due_at <= now
        and check_in is not None
        and check_in.is_open
        and check_in.due_at <= now
    )


@dataclass
class Notes:
    """What the user typed, made into grammar once per interview, and what could not be."""

    topics: list[str]
    promise_owner: Interviewer | None
    promise: Offer
    point_owner: Interviewer | None
    point: Fragment
    their_promise: Fragment
    news_owner: Interviewer | None
    news_text: str
    problems: list[str] = field(default_factory=list)
    # each topic as typed (a leading "Jane:" taken off) with the person it concerns, if any
    topic_parts: list[tuple[Interviewer | None, str]] = field(default_factory=list)


def _rephrase(field_name: str, what: str) -> str:
    return f"Rephrase `{field_name}` so it reads well: {what}. It was left out of the draft."


def notes_of(interview: Interview) -> Notes:
    people = interview.interviewers
    problems: list[str] = []
    topics: list[str] = []
    topic_parts: list[tuple[Interviewer | None, str]] = []
    # A round's notes go in that round's drafts only (a next round starts without the last one's).
    for raw in interview.topics if interview.this_rounds("topics") else ():
        owner, text = owners.owner_and_text(raw, people)
        frag = talking_points.topic(text)
        if frag.problem:
            problems.append(_rephrase("topics:", frag.problem))
        elif frag:
            topics.append(frag.text)
            topic_parts.append((owner, text))
    promise_owner, promise_text = owners.owner_and_text(
        interview.promised if interview.this_rounds("promised") else None, people)
    promise = offer(promise_text)
    if promise.promise.problem:
        problems.append(_rephrase("promised:", promise.promise.problem))
    point_owner, point_text = owners.owner_and_text(
        interview.point if interview.this_rounds("point") else None, people)
    point = talking_points.point(point_text)
    if point.problem:
        problems.append(_rephrase("point:", point.problem))
    their_promise = promises.their_promise(
        interview.their_promise if interview.this_rounds("they-promised") else None)
    if their_promise.problem:
        problems.append(_rephrase("they-promised:", their_promise.problem))
    news_owner, news_text = owners.owner_and_text(news_of(interview), people)
    if news_text and (frag := talking_points.news(news_text)).problem:
        problems.append(_rephrase("news:", frag.problem))
        news_text = ""
    return Notes(topics, promise_owner, promise, point_owner, point, their_promise, news_owner, news_text, problems,
                 topic_parts)


def concerns(owner: Interviewer | None, interview: Interview, person: Interviewer | None) -> bool:
    """Whether words typed about someone ("her move from consulting", "their team") are about the
    person a note goes to: the person they were given for ("Ann: ..."), or, given for nobody, the
    only person met. Such words then point at the reader ("your move"); about anyone else they
    keep their pronouns."""
    if person is None:
        return False
    if owner is not None:
        return _same(owner, person)
    people = interview.interviewers
    return len(people) == 1 and _same(people[0], person)


def topics_for(notes: Notes, interview: Interview, person: Interviewer | None) -> list[str]:
    """The interview's topics as a note to `person` says them (see `concerns`)."""
    return [talking_points.topic(text, to_owner=concerns(owner, interview, person)).text
            for owner, text in notes.topic_parts]


def news_of(interview: Interview) -> str:
    """The interview's `news:` (something new about the person or the company), "" when none."""
    return interview.news or ""


def candidate_vars(candidate: Candidate) -> dict[str, str]:
    name = " ".join((candidate.name or "").split())
    parsed = name_of(Interviewer(name=name)) if name else None
    phone = (candidate.phone or "").strip()
    email = (candidate.email or "").strip()
    return {
        "name": parsed.full if parsed else "",
        "first_name": parsed.first if parsed else "",
        "phone": phone,
        "email": email,
        "contact": " | ".join(part for part in (phone, email) if part),
    }


def _what(purpose: str, role: str, company: str, variant: int) -> str:
    """What the conversation was about, as "to speak with me about ___" takes it."""
    if purpose == "advice":
        return [f"your work at {company}", f"your experience at {company}"][variant % 2]
    if purpose == "fair":
        return f"{role} opportunities at {company}"
    return [f"the {role} role", f"the {role} position"][variant % 2]


def interview_vars(interview: Interview, tz: str | None, notes: Notes, person: Interviewer | None) -> dict[str, Any]:
    day = local_day(interview.starts_at, tz)
    kind = interview.kind.value
    purpose = PURPOSE.get(kind, "job")
    role = company_and_role.role(interview.role) or interview.role.strip()
    company = company_and_role.company(interview.company) or interview.company.strip()

    lead = lead_person(interview)

    def mine(owner: Interviewer | None) -> bool:
        """Given for `owner`: their note alone; given for nobody: the lead's note (see `lead_person`)."""
        if owner is not None:
            return person is not None and _same(owner, person)
        return person is None or lead is None or _same(lead, person)

    promise = notes.promise if mine(notes.promise_owner) else Offer(promises.Promise())
    point = notes.point.text if mine(notes.point_owner) else ""
    variant = variant_of(interview, person)
    return {
        "company": company,
        "company_legal": " ".join(interview.company.split()),
        "role": role,
        "starts_at": human_date(day),
        "weekday": f"{day:%A}",
        "kind": kind,
        "purpose": purpose,
        "meeting": MEETING_NOUN.get(kind, "interview"),
        "what": _what(purpose, role, company, variant),
        "round": interview.round,
        "topics": topics_for(notes, interview, person),
        "topics_text": and_join(topics_for(notes, interview, person)),
        "promised": promise.promise.typed,
        "promised_phrase": promise.promise.thing,
        "promised_plural": promise.promise.plural,
        "promised_as": promise.how if promise.promise.thing else "",
        "promised_own": promise.own,
        "promised_when": promise.when,
        "point": point,
        "their_promise": notes.their_promise.text,
        "decision": human_date(interview.decision_on) if interview.decision_on else "",
        "offer_deadline": human_date(interview.offer_deadline) if interview.offer_deadline else "",
    }


def interviewer_vars(
    person: Interviewer | None, interview: Interview, notes: Notes, tone: Tone, *, coffee: Interviewer | None
) -> dict[str, Any]:
    purpose = PURPOSE.get(interview.kind.value, "job")
    news_for_all = notes.news_owner is None
    if person is None:
        news = talking_points.news(notes.news_text).text if news_for_all else ""
        return {
            "name": "",
            "title": "",
            "first_name": "",
            "last_name": "",
            "honorific": "",
            "greeting": (_ADVICE_GREETING if purpose == "advice" else GENERIC_GREETING)[tone],
            "topic": and_join(notes.topics),
            "own_topic": False,
            "process": False,
            "email": "",
            "thanked": False,
            "coffee": True,
            "news": news,
        }
    parsed = name_of(person)
    own = talking_points.topic(person.topic, to_owner=True)
    if own.problem:
        message = _rephrase(f"with: {parsed.plain} about ...", own.problem)
        if message not in notes.problems:
            notes.problems.append(message)
    process = is_process_person(person)
    topic = own.text or ("" if process else and_join(topics_for(notes, interview, person)))
    is_owner = concerns(notes.news_owner, interview, person)
    news = talking_points.news(notes.news_text, to_owner=is_owner).text if (news_for_all or is_owner) else ""
    return {
        "name": parsed.full,
        "title": person.title or parsed.role,
        "first_name": parsed.first,
        "last_name": parsed.last,
        "honorific": parsed.honorific,
        "greeting": parsed.greeting(tone),
        "topic": topic,
        "own_topic": bool(own.text),
        "process": process,
        "email": person.email or "",
        "thanked": person.thanked_at is not None,
        "coffee": coffee is not None and _same(coffee, person),
        "news": news,
    }


def others_for(interview: Interview, person: Interviewer | None) -> list[str]:
    """The other interviewers without a known address (their thanks go through this person)."""
    return [
        name_of(p).full
        for p in interview.interviewers
        if (person is None or not _same(p, person)) and not (p.email or "").strip() and p.name.strip()
    ]


def is_interview_kind(kind: InterviewKind | str) -> bool:
    return PURPOSE.get(str(kind), "job") == "job"
