"""The `/interview` commands (docs/commands.md) as values. `grammar.parse` builds them from text;
forms and buttons build the same values; `service` runs them.

Times and dates stay as the user typed them (`when`, `decision`, snooze `until`, ...): the service
reads them in the user's own time zone with `timeparse`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain import DraftKind, InterviewKind, StepKind, Tone


@dataclass(frozen=True)
class InterviewerSpec:
    """`with: Ms. Jane Richardson (Marketing Director) <jane@x.example> about the launch`."""

    name: str
    honorific: str | None = None
    title: str | None = None
    email: str | None = None
    topic: str | None = None
    recruiter: bool = False


@dataclass(frozen=True)
class Fields:
    """The `key: value; ...` part of add and update. None means "not given"."""

    company: str | None = None
    role: str | None = None
    when: str | None = None
    length: str | None = None
    with_: tuple[InterviewerSpec, ...] = ()
    topics: tuple[str, ...] | None = None
    decision: str | None = None
    promised: str | None = None
    point: str | None = None
    tone: Tone | None = None
    kind: InterviewKind | None = None
    they_promised: str | None = None  # what the employer said they would do, and by when
    remove: tuple[str, ...] = ()  # interviewers to take off (added by mistake)
    news: str | None = None  # something new to congratulate them on ("Jane: promoted to VP"), for stay-in-touch

    def is_empty(self) -> bool:
        return self == Fields()


@dataclass(frozen=True)
class Add:
    fields: Fields | None  # None: ask with a form


@dataclass(frozen=True)
class ListInterviews:
    all: bool = False


@dataclass(frozen=True)
class Show:
    number: int
    company: str | None = None  # `show Acme`: the interview with that company (number is then 0)


@dataclass(frozen=True)
class Update:
    number: int
    fields: Fields
    company: str | None = None  # named by its company instead of #N (number is then 0)


@dataclass(frozen=True)
class DraftRequest:
    number: int
    kind: DraftKind | None = None
    to: str | None = None
    company: str | None = None


@dataclass(frozen=True)
class MarkSent:
    number: int
    kind: StepKind | None = None  # None: the step due now
    to: str | None = None  # one person (a thank-you)
    company: str | None = None


@dataclass(frozen=True)
class Snooze:
    number: int
    until: str | None = None  # "2h", "3d", "tomorrow 9am"; None: 1 day
    company: str | None = None  # named by its company instead of #N (number is then 0)


class NewsKind(StrEnum):
    OFFER = "offer"
    REJECTED = "rejected"
    NEXT_ROUND = "next round"
    DECISION = "decision"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Heard:
    number: int
    news: NewsKind
    when: str | None = None  # the next round's time, or the decision date
    company: str | None = None  # named by its company instead of #N (number is then 0)


@dataclass(frozen=True)
class Reopen:
    """Undo an outcome (offer, rejection, withdrawal, ghosting) recorded by mistake."""

    number: int
    company: str | None = None  # named by its company instead of #N (number is then 0)


@dataclass(frozen=True)
class OfferElsewhere:
    number: int
    deadline: str
    company: str | None = None  # named by its company instead of #N (number is then 0)


@dataclass(frozen=True)
class Settings:
    # keys: name, email, phone, tz, quiet, morning, tone; empty: show (or a form where one exists)
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Calendar:
    pass


@dataclass(frozen=True)
class Export:
    pass


@dataclass(frozen=True)
class Forget:
    confirm: bool = False


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Admin:
    """`admin defaults [...]`, `admin template <kind> [...]`, `admin stats`: the career center's staff commands."""

    sub: str
    args: str = ""


Command = (
    Add
    | ListInterviews
    | Show
    | Update
    | DraftRequest
    | MarkSent
    | Snooze
    | Heard
    | Reopen
    | OfferElsewhere
    | Settings
    | Calendar
    | Export
    | Forget
    | Help
    | Admin
)


@dataclass(frozen=True)
class GrammarError:
    """Input the grammar could not read: `message` is the short, specific answer for the user."""

    message: str


COMMAND_NAMES = (
    "add",
    "list",
    "show",
    "update",
    "draft",
    "sent",
    "snooze",
    "heard",
    "reopen",
    "offer-elsewhere",
    "settings",
    "calendar",
    "export",
    "forget",
    "help",
    "admin",
)
