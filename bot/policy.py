"""The follow-up rules (docs/follow-up-rules.md) as pure functions: (interview, rules, now) -> steps
and their due and reminder times.

All datetimes in and out are aware UTC; days, mornings, quiet hours and weekends are reckoned in
the user's IANA zone, so a 09:00 reminder stays at 09:00 local across a DST change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain import Interview, InterviewStatus, Rules, Step, StepKind, StepStatus

THANK_YOU_WINDOW = timedelta(hours=24)
FIRST_THANK_YOU_DM = timedelta(hours=1)  # after the interview's end
LAST_CALL_BEFORE_DEADLINE = timedelta(hours=4)
DECISION_GRACE_BUSINESS_DAYS = 2
CHECK_IN_KINDS = (StepKind.CHECK_IN, StepKind.CHECK_IN_2)
# Steps whose reminders never fall on a Saturday or Sunday.
WEEKDAY_ONLY = (StepKind.CHECK_IN, StepKind.CHECK_IN_2, StepKind.STAY_IN_TOUCH, StepKind.NO_REPLY)


def zone(rules: Rules) -> ZoneInfo:
    return _zone(rules.tz)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_local(moment: datetime, rules: Rules) -> datetime:
    """`moment` in the user's zone; at the very ends of the calendar (year 1, year 9999), where the
    zone's offset would leave it, in UTC."""
    try:
        return moment.astimezone(zone(rules))
    except (OverflowError, ValueError):
        return moment.astimezone(UTC)


def local_moment(day: date, at: time, rules: Rules) -> datetime:
    """`at` o'clock on `day` in the user's zone, as UTC (DST-correct; a time skipped by a
    spring-forward change lands just after it)."""
    local = datetime.combine(day, at, tzinfo=zone(rules))
    # Round-trip through UTC normalises times that do not exist locally.
    try:
        return local.astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 or 9999 in a zone whose offset leaves the calendar
        return datetime.combine(day, at, tzinfo=UTC)


def next_weekday(day: date) -> date:
    """Saturday and Sunday move to Monday."""
    if day.weekday() == 5:
        return day + timedelta(days=2)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def add_business_days(day: date, days: int) -> date:
    current = day
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def in_quiet_hours(moment: datetime, rules: Rules) -> bool:
    local = to_local(moment, rules).time()
    start, end = rules.quiet_start, rules.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the window spans midnight


def end_of_quiet_hours(moment: datetime, rules: Rules) -> datetime:
    """The first moment at or after `moment` outside quiet hours."""
    if not in_quiet_hours(moment, rules):
        return moment
    local = to_local(moment, rules)
    day = local.date()
    if rules.quiet_start > rules.quiet_end and local.time() >= rules.quiet_start:
        day += timedelta(days=1)
    return local_moment(day, rules.quiet_end, rules)


def hold_for_quiet_hours(moment: datetime, rules: Rules, deadline: datetime | None = None) -> datetime:
    """A DM inside quiet hours is held to their end, unless a deadline would pass first."""
    held = end_of_quiet_hours(moment, rules)
    if deadline is not None and held > deadline:
        return moment
    return held


def morning_of(day: date, rules: Rules, weekdays_only: bool = True) -> datetime:
    """The user's morning hour on `day` (a weekend day moves to Monday)."""
    if weekdays_only:
        day = next_weekday(day)
    return local_moment(day, rules.morning, rules)


def earliest_delivery(moment: datetime, rules: Rules, kind: StepKind) -> datetime:
    """When a reminder meant for `moment` may go out: weekends move to Monday morning for the
    kinds that never fall on a weekend, and quiet hours hold it to their end."""
    if kind in WEEKDAY_ONLY:
        local = to_local(moment, rules)
        if local.weekday() >= 5:
            return morning_of(local.date(), rules)
    return end_of_quiet_hours(moment, rules)


# ---------------------------------------------------------------------------------------------
# The cycle of one interview


def thank_you(interview: Interview, rules: Rules, now: datetime) -> Step:
    """Due within 24 h of the end; first DM 1 h after the end, or at once when logged later."""
    deadline = interview.ends_at + THANK_YOU_WINDOW
    first = max(interview.ends_at + FIRST_THANK_YOU_DM, now)
    notify = hold_for_quiet_hours(first, rules, deadline=deadline)
    return Step(kind=StepKind.THANK_YOU, due_at=deadline, notify_at=notify, round=interview.round, created_at=now)


def thank_you_last_call(step: Step, now: datetime) -> datetime | None:
    """After the first thank-you DM: the last call 4 h before the deadline, if still ahead."""
    if step.kind is not StepKind.THANK_YOU or not step.is_open:
        return None
    last_call = step.due_at - LAST_CALL_BEFORE_DEADLINE
    if last_call <= now:  # the DM that just went out was the last call, or came after its time
        return None
    return last_call


def next_dm_after_delivery(step: Step, now: datetime) -> datetime | None:
    """The dispatcher asks this after a DM went out: when the step's next DM is due, if any."""
    return thank_you_last_call(step, now)


def check_in_day(interview: Interview, rules: Rules) -> date:
    """Two business days after the decision date, else `check_in_days` after the interview."""
    if interview.decision_on is not None:
        return add_business_days(interview.decision_on, DECISION_GRACE_BUSINESS_DAYS)
    return to_local(interview.starts_at, rules).date() + timedelta(days=rules.check_in_days)


def check_in(interview: Interview, rules: Rules, now: datetime) -> Step:
    """On its day's morning; when the decision date has already passed, due now."""
    if interview.decision_on is not None and interview.decision_on < to_local(now, rules).date():
        due = now
    else:
        due = morning_of(check_in_day(interview, rules), rules)
    notify = earliest_delivery(max(due, now), rules, StepKind.CHECK_IN)
    return Step(kind=StepKind.CHECK_IN, due_at=due, notify_at=notify, round=interview.round, created_at=now)


def _morning_step(kind: StepKind, after: datetime, days: int, interview: Interview, rules: Rules,
                  now: datetime) -> Step:
    day = to_local(after, rules).date() + timedelta(days=days)
    due = morning_of(day, rules)
    notify = earliest_delivery(max(due, now), rules, kind)
    return Step(kind=kind, due_at=due, notify_at=notify, round=interview.round, created_at=now)


def check_in_2(interview: Interview, check_in_sent_at: datetime, rules: Rules, now: datetime) -> Step:
    return _morning_step(StepKind.CHECK_IN_2, check_in_sent_at, rules.check_in_2_days, interview, rules, now)


def no_reply(interview: Interview, check_in_2_sent_at: datetime, rules: Rules, now: datetime) -> Step:
    return _morning_step(StepKind.NO_REPLY, check_in_2_sent_at, rules.no_reply_days, interview, rules, now)


def stay_in_touch(interview: Interview, since: datetime, rules: Rules, now: datetime) -> Step:
    return _morning_step(StepKind.STAY_IN_TOUCH, since, rules.stay_in_touch_weeks * 7, interview, rules, now)


def immediate(kind: StepKind, interview: Interview, now: datetime) -> Step:
    """A step whose draft is handed over at once (rejection reply, timeline update): no DM."""
    return Step(kind=kind, due_at=now, notify_at=None, round=interview.round, created_at=now)


def first_cycle(interview: Interview, rules: Rules, now: datetime) -> list[Step]:
    """The steps a newly logged interview (or a new round) starts with."""
    return [thank_you(interview, rules, now), check_in(interview, rules, now)]


# ---------------------------------------------------------------------------------------------
# Hard rules


@dataclass(frozen=True)
class Refusal:
    """A request the policy turns down, with the reason and what to do instead."""

    message: str


def check_ins_sent(interview: Interview) -> int:
    return sum(
        1 for s in interview.steps if s.kind in CHECK_IN_KINDS and s.status is StepStatus.SENT
        and s.round == interview.round
    )


THIRD_CHECK_IN = Refusal(
    "You've already sent two check-ins for this interview, and a third does more harm than good. "
    "Instead you could: make one short phone call to the recruiter, move on and focus on other "
    "applications, or stay in touch later with `/interview draft #{n} linkedin` or "
    "`/interview draft #{n} stay-in-touch`."
)


def may_check_in(interview: Interview, kind: StepKind, now: datetime, rules: Rules) -> Refusal | None:
    """Never more than two check-ins; none before the employer's decision date unless an offer
    elsewhere was recorded."""
    if check_ins_sent(interview) >= 2 and kind in CHECK_IN_KINDS:
        return Refusal(THIRD_CHECK_IN.message.format(n=interview.number))
    if interview.decision_on is not None and interview.offer_deadline is None:
        today = to_local(now, rules).date()
        if today <= interview.decision_on:
            when = interview.decision_on.strftime("%A, %B %-d")
            return Refusal(
                f"{interview.company} said they would decide by {when}. Checking in before then can "
                f"look impatient; your check-in reminder comes two business days after that date. "
                f"If another offer forces your hand, use `/interview offer-elsewhere #{interview.number} "
                f"deadline: <date>`."
            )
    return None


def cancel_open_steps(interview: Interview, now: datetime) -> list[Step]:
    """Outcome recorded (offer, rejection, next round, withdrawn): the round's pending reminders go."""
    cancelled = []
    for step in interview.steps:
        if step.is_open:
            step.status = StepStatus.CANCELLED
            step.notify_at = None
            cancelled.append(step)
    return cancelled


def mark_sent(step: Step, now: datetime) -> None:
    step.status = StepStatus.SENT if step.kind is not StepKind.NO_REPLY else StepStatus.CLOSED
    step.sent_at = now
    step.notify_at = None


def after_sent(interview: Interview, step: Step, rules: Rules, now: datetime) -> list[Step]:
    """Steps that follow a step marked sent: check-in 2 after check-in 1, no-reply after check-in 2."""
    if interview.status is not InterviewStatus.ACTIVE:
        return []
    sent_at = step.sent_at or now
    if step.kind is StepKind.CHECK_IN and interview.step(StepKind.CHECK_IN_2) is None:
        return [check_in_2(interview, sent_at, rules, now)]
    if step.kind is StepKind.CHECK_IN_2 and interview.step(StepKind.NO_REPLY) is None:
        return [no_reply(interview, sent_at, rules, now)]
    return []


def reschedule_check_in(interview: Interview, rules: Rules, now: datetime) -> Step | None:
    """A new decision date moves a check-in 1 that is still open."""
    step = interview.step(StepKind.CHECK_IN)
    if step is None or not step.is_open:
        return None
    fresh = check_in(interview, rules, now)
    step.due_at = fresh.due_at
    step.notify_at = fresh.notify_at
    step.status = StepStatus.PENDING
    return step


def snooze(step: Step, until: datetime, now: datetime) -> str | None:
    """Move the step's reminder to `until`. Returns a warning when a thank-you moves past its
    deadline (it still moves: the user decided, and was told)."""
    step.notify_at = max(until, now)
    step.status = StepStatus.SNOOZED
    if step.kind is StepKind.THANK_YOU and until > step.due_at:
        return "Heads-up: that is after your thank-you's 24-hour deadline. A late thank-you is still better than none."
    return None


def ghost(interview: Interview, rules: Rules, now: datetime) -> Step | None:
    """Seven days after check-in 2 with nothing heard: the interview counts as ghosted, its
    no-reply step closes (it has been said), whatever else was still open is cancelled (as news
    would; `reopen` brings it back), and a stay-in-touch note is scheduled (once)."""
    if interview.status is not InterviewStatus.ACTIVE:
        return None
    interview.status = InterviewStatus.GHOSTED
    interview.heard_at = now
    for step in interview.steps:
        if step.kind is StepKind.NO_REPLY and step.is_open:
            step.status = StepStatus.CLOSED
            step.notify_at = None
        elif step.is_open and step.kind is not StepKind.STAY_IN_TOUCH:  # a thank-you never marked, say
            step.status = StepStatus.CANCELLED
            step.notify_at = None
    if any(s.kind is StepKind.STAY_IN_TOUCH for s in interview.steps):
        return None
    return stay_in_touch(interview, now, rules, now)
