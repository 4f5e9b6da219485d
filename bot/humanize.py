"""Times and steps in words a job seeker reads at a glance, in their own zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from bot import time_marks
from bot.domain import Interview, InterviewSummary, Rules, Step, StepKind, StepStatus
from bot.drafts.names import display_name
from bot.policy import to_local

STEP_NAMES: dict[StepKind, str] = {
    StepKind.THANK_YOU: "thank-you",
    StepKind.CHECK_IN: "check-in",
    StepKind.CHECK_IN_2: "second check-in",
    StepKind.NO_REPLY: "no-reply decision",
    StepKind.TIMELINE: "timeline update",
    StepKind.REJECTION: "reply to the rejection",
    StepKind.STAY_IN_TOUCH: "stay-in-touch note",
}


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def moment(at: datetime, rules: Rules, now: datetime | None = None) -> str:
    """`Tue Dec 1, 14:00 CET`; `Mon Jan 4 2027, 09:00 CET` when `now` is in another year (built by
    hand: strftime is slow, and a list formats hundreds)."""
    tz = rules.tz
    this_year = None if now is None else (_local_year if now.tzinfo is UTC else _local_year.__wrapped__)(now, tz)
    # Kept by instant only for UTC times (the core's): two equal times in another zone may be an
    # hour apart around a clock change (datetime equality ignores `fold` within one zone).
    words = (_moment_words if at.tzinfo is UTC else _moment_words.__wrapped__)(at, tz, this_year)
    return time_marks.note(words, at)


@lru_cache(maxsize=4096)
def _moment_words(at: datetime, tz: str, this_year: int | None) -> str:
    """`moment`'s words for `at` in zone `tz`, with the year unless it is `this_year` (None: never).
    Kept: a member's list repeats the same moments each time it is shown."""
    local = to_local(at, Rules(tz=tz))
    year = f" {local.year}" if this_year is not None and this_year != local.year else ""
    return (f"{DAYS[local.weekday()]} {MONTHS[local.month - 1]} {local.day}{year}, "
            f"{local.hour:02d}:{local.minute:02d} {local.tzname()}")


@lru_cache(maxsize=64)
def _local_year(now: datetime, tz: str) -> int:
    """The year `now` is in, in zone `tz` (one command asks it of the same `now` for every line)."""
    return to_local(now, Rules(tz=tz)).year


def day_words(day: date, today: date | None = None) -> str:
    """`Fri Dec 11`; `Mon Jan 4 2027` when `today` is in another year."""
    year = f" {day.year}" if today is not None and today.year != day.year else ""
    return f"{DAYS[day.weekday()]} {MONTHS[day.month - 1]} {day.day}{year}"


def span(delta: timedelta) -> str:
    """`3 h`, `2 days`, `15 min`."""
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return f"{minutes} min"
    if seconds < 2 * 86400:
        hours = round(seconds / 3600)
        return f"{hours} h"
    days = round(seconds / 86400)
    return f"{days} days"


def relative(at: datetime, now: datetime) -> str:
    words = f"in {span(at - now)}" if at >= now else f"{span(now - at)} ago"
    return time_marks.note(words, at, relative=True)


def interview_label(interview: Interview | InterviewSummary) -> str:
    return f"#{interview.number} {interview.company} – {interview.role}"


def step_line(step: Step, interview: Interview, rules: Rules, now: datetime) -> str:
    """One line of a schedule: what, to whom, when due, when the reminder comes."""
    return step_words(step, interview.not_thanked() if step.kind is StepKind.THANK_YOU else (), rules, now)


def step_words(step: Step, not_thanked: Sequence[str], rules: Rules, now: datetime) -> str:
    """step_line for a step whose interview is not loaded: `not_thanked` names who a thank-you is to."""
    name = STEP_NAMES[step.kind]
    if step.status is StepStatus.SENT and step.sent_at:
        return f"{name}: sent {moment(step.sent_at, rules, now)}"
    if step.status in (StepStatus.CANCELLED, StepStatus.CLOSED):
        return f"{name}: {step.status.value}"
    if step.kind is StepKind.THANK_YOU:
        who = f" to {', '.join(map(display_name, not_thanked))}" if not_thanked else ""
        verb = "was due" if step.due_at < now else "due by"
        line = f"{name}{who}: {verb} {moment(step.due_at, rules, now)} ({relative(step.due_at, now)})"
    elif step.kind in (StepKind.REJECTION, StepKind.TIMELINE):
        line = f"{name}: ready to send now"
    else:
        line = f"{name}: due {moment(step.due_at, rules, now)} ({relative(step.due_at, now)})"
    if step.status is StepStatus.SNOOZED and step.notify_at:
        line += f"; snoozed until {moment(step.notify_at, rules, now)}"
    elif (nxt := step.next_dm_at) and nxt > now and nxt != step.due_at:
        line += f"; reminder {moment(nxt, rules, now)}"
    if step.last_error and step.delivery.value == "failed":
        line += f" — reminder NOT delivered ({step.last_error})"
    return line
