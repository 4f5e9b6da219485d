"""An interview closed by its outcome (an offer, a rejection, a withdrawal) or by the employer's
silence (ghosted: no reply after the last check-in) has no follow-ups to plan: its answers never
speak of check-ins to come, and a field that would move the schedule (`when`, `length`, `decision`)
or a person added is recorded for the record but plans nothing, and the answer says so. What it
still has to come (a reply to a rejection, a stay-in-touch note) stays."""

from __future__ import annotations

from bot.commands import Fields
from bot.domain import Interview, Interviewer, InterviewStatus

CLOSED = frozenset({InterviewStatus.OFFER, InterviewStatus.REJECTED, InterviewStatus.WITHDRAWN,
                    InterviewStatus.GHOSTED})
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
            f"record and changes no follow-up. {_undo(interview, 'reopen it first')}")


def _undo(interview: Interview, reopen: str) -> str:
    """How to make a closed interview active again: `reopen` (an outcome recorded by mistake, or an
    employer who got back to you after all)."""
    n = interview.number
    if interview.status is InterviewStatus.GHOSTED:
        return (f"If they got back to you after all, record their news (/interview heard #{n} ...) or "
                f"{reopen}: /interview reopen #{n}")
    return f"If that outcome was recorded by mistake, {reopen}: /interview reopen #{n}"


def closed_schedule(interview: Interview, still_to_come: bool = False) -> str:
    """The end of the Follow-ups section of a closed interview, after what was sent and what is
    `still_to_come` (a stay-in-touch note), never a cancelled check-in."""
    if still_to_come:
        return (f"Nothing else: closed ({interview.status.value}). Recorded by mistake? "
                f"/interview reopen #{interview.number}")
    return (f"None: closed ({interview.status.value}). Recorded by mistake? "
            f"/interview reopen #{interview.number}")


def no_thank_you_when_closed(interview: Interview, newcomers: list[Interviewer], in_time: bool) -> str:
    """What adding people to a closed interview does: they are recorded, and nobody is reminded to
    thank them; reopening it (an outcome recorded by mistake) plans their thank-you when it is
    `in_time` for one."""
    names = " and ".join(p.name for p in newcomers)
    then = " and they get a thank-you of their own" if in_time else ""
    return (f"{names} {'is' if len(newcomers) == 1 else 'are'} recorded on #{interview.number}. It is closed "
            f"({interview.status.value}), so no thank-you is planned for them. {_undo(interview, 'reopen it' + then)}")
