"""An interview closed by its outcome (an offer, a rejection, a withdrawal) has no follow-ups to
plan: its answers never speak of check-ins, and a field that would move the schedule (`when`,
`length`, `decision`) is recorded for the record but moves nothing, and the answer says so."""

from __future__ import annotations

from bot.commands import Fields
from bot.domain import Interview, InterviewStatus

CLOSED = frozenset({InterviewStatus.OFFER, InterviewStatus.REJECTED, InterviewStatus.WITHDRAWN})
SCHEDULE_FIELDS = {"when": "time", "length": "length", "decision": "decision date"}


def is_closed(interview: Interview) -> bool:
    return interview.status in CLOSED


def moves_schedule(fields: Fields) -> list[str]:
    """The fields given that would move a follow-up on an open interview."""
    return [words for key, words in SCHEDULE_FIELDS.items() if getattr(fields, key)]


def nothing_moves(interview: Interview, fields: list[str]) -> str:
    """What an update of `fields` on a closed interview does (and does not) do."""
    which = " and ".join(fields)
    return (f"#{interview.number} is closed ({interview.status.value}), so the new {which} is kept for the "
            "record and changes no follow-up. If that outcome was recorded by mistake, "
            f"reopen it first: /interview reopen #{interview.number}")


def closed_schedule(interview: Interview) -> str:
    """The Follow-ups section of a closed interview: what was sent, never a cancelled check-in."""
    return (f"None: closed ({interview.status.value}). Recorded by mistake? "
            f"/interview reopen #{interview.number}")
