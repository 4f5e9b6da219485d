"""Interviews, interviewers, follow-up steps and the user's settings: plain data and their invariants.

Everything here is platform-neutral and storage-neutral. Times are timezone-aware datetimes in UTC;
dates the employer gave (a decision date, an offer deadline) are plain dates in the user's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo


class StepKind(StrEnum):
    """A follow-up step, named as the commands name it (docs/commands.md)."""

    THANK_YOU = "thank-you"
    CHECK_IN = "check-in"
    CHECK_IN_2 = "check-in-2"
    NO_REPLY = "no-reply"
    TIMELINE = "timeline"
    REJECTION = "rejection"
    STAY_IN_TOUCH = "stay-in-touch"


class DraftKind(StrEnum):
    """A kind of ready-to-send draft (one Jinja2 template each)."""

    THANK_YOU = "thank-you"
    CHECK_IN = "check-in"
    CHECK_IN_2 = "check-in-2"
    TIMELINE = "timeline"
    REJECTION = "rejection"
    LINKEDIN = "linkedin"
    STAY_IN_TOUCH = "stay-in-touch"


# The draft that goes with each step; the no-reply step offers the LinkedIn note.
DRAFT_FOR_STEP: dict[StepKind, DraftKind] = {
    StepKind.THANK_YOU: DraftKind.THANK_YOU,
    StepKind.CHECK_IN: DraftKind.CHECK_IN,
    StepKind.CHECK_IN_2: DraftKind.CHECK_IN_2,
    StepKind.NO_REPLY: DraftKind.LINKEDIN,
    StepKind.TIMELINE: DraftKind.TIMELINE,
    StepKind.REJECTION: DraftKind.REJECTION,
    StepKind.STAY_IN_TOUCH: DraftKind.STAY_IN_TOUCH,
}


class StepStatus(StrEnum):
    PENDING = "pending"  # due (or to come); the user has not marked it sent
    SNOOZED = "snoozed"  # pending, with a reminder the user moved
    SENT = "sent"  # the user marked it sent
    CANCELLED = "cancelled"  # news made it moot (offer, rejection, withdrawn, next round)
    CLOSED = "closed"  # a step with nothing to send (no-reply) that has been acted on

    @property
    def is_open(self) -> bool:
        return self in (StepStatus.PENDING, StepStatus.SNOOZED)


class Delivery(StrEnum):
    """Where the step's next reminder DM stands; owned by the dispatcher once written."""

    WAITING = "waiting"  # a DM goes out at notify_at
    DELIVERED = "delivered"  # every DM planned for this step went out
    FAILED = "failed"  # gave up (permanent refusal or too many tries); last_error says why
    NONE = "none"  # nothing to deliver (the step is closed)


class InterviewStatus(StrEnum):
    ACTIVE = "active"
    OFFER = "offer"
    REJECTED = "rejected"
    GHOSTED = "ghosted"
    WITHDRAWN = "withdrawn"

    @property
    def is_active(self) -> bool:
        return self is InterviewStatus.ACTIVE


class InterviewKind(StrEnum):
    INTERVIEW = "interview"
    PHONE_SCREEN = "phone-screen"  # a first call, usually with a recruiter
    INFORMATIONAL = "informational"
    NETWORKING = "networking"
    CAREER_FAIR = "career-fair"


class Tone(StrEnum):
    FORMAL = "formal"
    CASUAL = "casual"


HONORIFICS = ("Mr.", "Ms.", "Mrs.", "Mx.", "Dr.", "Prof.")

# Length limits for what users type (a value over its limit is refused with the limit).
LIMITS: dict[str, int] = {
    "company": 120,
    "role": 120,
    "name": 100,
    "title": 100,
    "email": 254,
    "topic": 300,
    "topics": 600,
    "promised": 300,
    "they-promised": 300,
    "news": 300,
    "point": 600,
    "phone": 40,
}
MAX_INTERVIEWERS = 10


@dataclass
class Interviewer:
    """One person the user met. `name` has no honorific; `honorific` is e.g. "Ms."."""

    name: str
    honorific: str | None = None
    title: str | None = None  # job title, e.g. "Marketing Director"
    email: str | None = None
    topic: str | None = None  # what the user discussed with this person
    recruiter: bool = False  # the main contact for check-ins
    thanked_at: datetime | None = None  # when the user marked this person's thank-you sent
    id: int | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def last_name(self) -> str:
        parts = self.name.split()
        return parts[-1] if parts else self.name

    # How a draft greets this person is bot/drafts/names.py's one rule (nameparser), not a method here.


@dataclass(frozen=True)
class DeliveryReport:
    """How the step's reminder DMs went, as the dispatcher recorded them (read only: nothing the
    core does writes it back)."""

    state: Delivery = Delivery.WAITING
    last_error: str | None = None  # why the last DM could not be delivered
    next_at: datetime | None = None  # when the next DM goes out (a retry or a last call moves it)


@dataclass
class Step:
    """One follow-up step of an interview: a row of the `reminders` table.

    `due_at` is when the step is due (the thank-you's 24 h deadline, a check-in's day);
    `notify_at` is when the follow-up rules plan its reminder DM (None: no DM to come). The use
    cases change the schedule (kind, due_at, notify_at, status, round, sent_at); saving writes
    those and nothing else. How the DMs went belongs to the dispatcher: `dm_count` (what the rules
    need of it) and `reported` (including when the next DM actually goes out, `next_dm_at`) are
    read from its record, never written from here.
    """

    kind: StepKind
    due_at: datetime
    notify_at: datetime | None
    status: StepStatus = StepStatus.PENDING
    round: int = 1
    sent_at: datetime | None = None
    created_at: datetime | None = None
    dm_count: int = 0  # reminder DMs delivered for this step so far
    id: int | None = None
    interview_id: int | None = None
    reported: DeliveryReport = field(default_factory=DeliveryReport, compare=False)

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def delivery(self) -> Delivery:
        return self.reported.state

    @property
    def next_dm_at(self) -> datetime | None:
        """When the member's next reminder DM for this step goes out: the dispatcher's time once
        it has one (after a retry, or a thank-you's last call), else the plan."""
        if self.reported.next_at is not None and self.reported.state is Delivery.WAITING:
            return self.reported.next_at
        return self.notify_at

    @property
    def last_error(self) -> str | None:
        return self.reported.last_error


# What a member notes about one round's conversation: the topics, what they promised to send, the
# point they want to add, what the employer promised. A next round starts without them.
ROUND_NOTES = ("topics", "promised", "point", "they-promised")


@dataclass
class Interview:
    """An interview (one round of an application) and its follow-up steps."""

    user_id: int
    company: str
    role: str
    starts_at: datetime
    duration: timedelta = timedelta(minutes=60)
    interviewers: list[Interviewer] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    decision_on: date | None = None
    promised: str | None = None
    point: str | None = None
    tone: Tone | None = None  # None: the user's setting
    kind: InterviewKind = InterviewKind.INTERVIEW
    status: InterviewStatus = InterviewStatus.ACTIVE
    round: int = 1
    offer_deadline: date | None = None  # a competing offer's deadline
    heard_at: datetime | None = None  # when news (offer, rejection, ...) was recorded
    created_at: datetime | None = None
    steps: list[Step] = field(default_factory=list)
    number: int = 0  # the user's own number, from 1; assigned by the store
    id: int | None = None
    their_promise: str | None = None  # what the employer said they would do ("send the schedule by Friday")
    news: str | None = None  # something new about the person or the company, the stay-in-touch note's hook
    # The round in which each of a round's own notes (ROUND_NOTES) was last written; absent: round 1.
    notes_round: dict[str, int] = field(default_factory=dict)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.duration

    @property
    def main_contact(self) -> Interviewer | None:
        """The recruiter if marked, else the first interviewer."""
        for person in self.interviewers:
            if person.recruiter:
                return person
        return self.interviewers[0] if self.interviewers else None

    def open_steps(self) -> list[Step]:
        return [s for s in self.steps if s.is_open]

    def noted_in(self, note: str) -> int:
        """The round in which `note` (one of ROUND_NOTES) was last written."""
        return self.notes_round.get(note, 1)

    def this_rounds(self, note: str) -> bool:
        """Whether `note` was written for the round under way: a later round's drafts leave out
        what was said in an earlier one (it stays on record in `show`)."""
        return self.noted_in(note) == self.round

    def round_note(self, note: str) -> list[str] | str | None:
        """One of ROUND_NOTES, as noted (whichever round it was written in)."""
        return {"topics": self.topics, "promised": self.promised, "point": self.point,
                "they-promised": self.their_promise}[note]

    def next_step(self) -> Step | None:
        """The soonest open step."""
        open_steps = sorted(self.open_steps(), key=lambda s: s.due_at)
        return open_steps[0] if open_steps else None

    def step(self, kind: StepKind, round_: int | None = None) -> Step | None:
        """The latest step of that kind (in this round unless told otherwise)."""
        wanted = self.round if round_ is None else round_
        matches = [s for s in self.steps if s.kind is kind and s.round == wanted]
        return matches[-1] if matches else None

    def find_interviewer(self, name: str) -> Interviewer | None:
        """Case-insensitive match on the full name, then on first or last name."""
        needle = name.strip().lower()
        for person in self.interviewers:
            if person.name.lower() == needle:
                return person
        for person in self.interviewers:
            if needle in (person.first_name.lower(), person.last_name.lower()):
                return person
        return None

    def summary(self) -> InterviewSummary:
        step = self.next_step()
        not_thanked = self.not_thanked() if step is not None and step.kind is StepKind.THANK_YOU else ()
        return InterviewSummary(self.number, self.company, self.role, self.status, step, not_thanked)

    def not_thanked(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.interviewers if p.thanked_at is None)


@dataclass(slots=True)
class InterviewSummary:
    """An interview at a glance, as `/interview list` shows it: what it is, and its soonest open
    step (a read of its own, so a long list loads no interviewer or closed step it will not show)."""

    number: int
    company: str
    role: str
    status: InterviewStatus
    next_step: Step | None
    not_thanked: tuple[str, ...] = ()  # interviewers not thanked yet, in order; filled when next_step is a thank-you


@dataclass
class UserSettings:
    """A member of a community, as the bot knows them. Unset values fall back to the defaults."""

    platform: str  # "console", "slack", "discord"
    community: str  # Slack team id, Discord guild id (or "dm"), "local"
    external_id: str  # the platform's user id
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    tz: str | None = None  # IANA name
    quiet_start: time | None = None
    quiet_end: time | None = None
    morning: time | None = None
    tone: Tone | None = None
    created_at: datetime | None = None
    last_seen_at: datetime | None = None
    left_at: datetime | None = None  # when they left the workspace or server (their data is kept)
    id: int | None = None
    date_order: str | None = None  # "day-first" or "month-first": how they write 03/04; None: their locale's


@dataclass
class CommunityDefaults:
    """A workspace's or server's defaults, set by its admins within the follow-up rules' ranges."""

    platform: str
    community: str
    check_in_days: int = 14
    check_in_2_days: int = 7
    stay_in_touch_weeks: int = 6
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    morning: time = time(9, 0)
    tone: Tone = Tone.FORMAL
    retention_days: int | None = None


# The follow-up rules' ranges for what an admin may set (docs/follow-up-rules.md).
RANGES: dict[str, tuple[int, int]] = {
    "check_in_days": (10, 14),
    "check_in_2_days": (5, 10),
    "stay_in_touch_weeks": (4, 8),
}


@lru_cache(maxsize=256)
def known_zone(name: str) -> bool:
    """True for an IANA zone name this machine's zoneinfo can load."""
    try:
        ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError on odd keys
        return False
    return True


@dataclass(frozen=True)
class Rules:
    """Everything the policy needs to know about one user: their settings over the defaults."""

    tz: str = "UTC"
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    morning: time = time(9, 0)
    tone: Tone = Tone.FORMAL
    check_in_days: int = 14
    check_in_2_days: int = 7
    no_reply_days: int = 7
    stay_in_touch_weeks: int = 6

    @staticmethod
    def resolve(user: UserSettings, defaults: CommunityDefaults | None, fallback_tz: str) -> Rules:
        d = defaults or CommunityDefaults(platform=user.platform, community=user.community)
        return Rules(
            # a stored zone this machine does not know (an old tzdata) falls back, never fails a command
            tz=user.tz if user.tz and known_zone(user.tz) else fallback_tz if known_zone(fallback_tz) else "UTC",
            quiet_start=user.quiet_start or d.quiet_start,
            quiet_end=user.quiet_end or d.quiet_end,
            morning=user.morning or d.morning,
            tone=user.tone or d.tone,
            check_in_days=d.check_in_days,
            check_in_2_days=d.check_in_2_days,
            stay_in_touch_weeks=d.stay_in_touch_weeks,
        )


@dataclass(frozen=True)
class Candidate:
    """The user as their drafts sign off: full name, phone, e-mail."""

    name: str | None
    email: str | None
    phone: str | None

    @staticmethod
    def of(user: UserSettings) -> Candidate:
        return Candidate(name=user.name, email=user.email, phone=user.phone)
