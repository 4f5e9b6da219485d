"""What a member can act on now, and what they may still change: a step is due from its time (a
thank-you from the interview's end); a late thank-you is folded into a due check-in (one piece of
advice); people added late get their own thank-you; news recorded by mistake can be undone; a
snoozed reminder lands outside quiet hours and, for a check-in, on a weekday."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain import Interview, Interviewer, InterviewStatus, Rules, Step, StepKind, StepStatus
from bot.policy import (
    CHECK_IN_KINDS,
    THANK_YOU_WINDOW,
    WEEKDAY_ONLY,
    earliest_delivery,
    end_of_quiet_hours,
    hold_for_quiet_hours,
    in_quiet_hours,
    local_moment,
    morning_of,
    to_local,
)


def has_ended(interview: Interview, now: datetime) -> bool:
    """Before its end an interview is upcoming: there is nothing to thank anyone for yet."""
    return now >= interview.ends_at


def thank_you_opens_at(step: Step) -> datetime:
    """When a thank-you step can be acted on (the interview's end), from the step alone."""
    return step.due_at - THANK_YOU_WINDOW


def is_due(step: Step, now: datetime) -> bool:
    """A step that can be acted on now: a thank-you once the interview has ended, a reply to a
    rejection or a timeline update at once, any other step from its due time."""
    if not step.is_open:
        return False
    if step.kind is StepKind.THANK_YOU:
        return now >= thank_you_opens_at(step)
    return step.due_at <= now


def due_now(interview: Interview, now: datetime) -> Step | None:
    """The one step to act on now: the soonest due (a late thank-you before a check-in; see
    check_in_with_it for the two together)."""
    due = sorted((s for s in interview.steps if is_due(s, now)), key=lambda s: s.due_at)
    return due[0] if due else None


def check_in_with_it(interview: Interview, step: Step, now: datetime) -> Step | None:
    """A thank-you past its 24 hours while the check-in is due too (someone back after weeks): one
    note each, not two the same day. Each person is thanked, and the note to the main contact asks
    for news as well, so it is the check-in too. Returns that check-in, or None."""
    if step.kind is not StepKind.THANK_YOU or not step.is_open or step.due_at > now:
        return None
    check_in = interview.step(StepKind.CHECK_IN)
    return check_in if check_in is not None and is_due(check_in, now) else None


STEP_WORDS = {StepKind.CHECK_IN: "check-in", StepKind.CHECK_IN_2: "check-in", StepKind.NO_REPLY: "no-reply reminder",
              StepKind.STAY_IN_TOUCH: "stay-in-touch note"}

TOGETHER = ("Your check-in is due too. Send one note to each person rather than two the same day: the drafts "
            "thank everyone, and the one to {main} also asks for news, so it counts as your check-in.")


def check_in_within(interview: Interview, due: list[Step], now: datetime) -> Step | None:
    """Among steps due together (a reminder DM), the check-in a late thank-you carries, if any."""
    thank_you = next((s for s in due if s.kind is StepKind.THANK_YOU), None)
    check_in = check_in_with_it(interview, thank_you, now) if thank_you is not None else None
    return check_in if check_in is not None and any(s is check_in for s in due) else None


NEWCOMER_THANK_YOU_DAYS = 5
"""Someone added to an interview that ended longer ago than this gets no thank-you step: a thank-you
that late reads oddly next to the others' notes; the check-in is the next word to the employer."""


def in_time_for_a_newcomers_thank_you(interview: Interview, now: datetime) -> bool:
    return now - interview.ends_at <= timedelta(days=NEWCOMER_THANK_YOU_DAYS)


def newcomers_thank_you(interview: Interview, newcomers: list[Interviewer], rules: Rules,
                        now: datetime) -> tuple[Step | None, str | None]:
    """People added after the thank-yous went out: a thank-you step of their own, due 24 hours from
    now (or from the interview's end, if that is later), when the interview ended at most
    NEWCOMER_THANK_YOU_DAYS ago. Returns the step to add (None when none is needed) and, when
    nobody is planned to thank them, why, in the member's words (None when nothing needs saying).

    Before the interview ends, or while its thank-you is still open, they are simply thanked with
    the others: their name joins the thank-you step already planned."""
    if not newcomers:
        return None, None
    names = " and ".join(p.name for p in newcomers)
    ty = interview.step(StepKind.THANK_YOU)
    if ty is None or ty.is_open or not has_ended(interview, now):
        return None, None
    if ty.status is not StepStatus.SENT:  # cancelled by news: closed interviews answer for themselves
        return None, None
    days = (to_local(now, rules).date() - to_local(interview.ends_at, rules).date()).days
    if not in_time_for_a_newcomers_thank_you(interview, now):
        return None, (f"No thank-you is planned for {names}: #{interview.number} was {days} days ago, past the "
                      f"{NEWCOMER_THANK_YOU_DAYS} days in which a thank-you still reads naturally. If you want to "
                      f"write one anyway: /interview draft #{interview.number} thank-you to: {newcomers[0].name}")
    deadline = max(interview.ends_at, now) + THANK_YOU_WINDOW
    notify = hold_for_quiet_hours(now, rules, deadline=deadline)
    step = Step(kind=StepKind.THANK_YOU, due_at=deadline, notify_at=notify, round=interview.round, created_at=now)
    return step, f"{names} {'gets' if len(newcomers) == 1 else 'get'} a thank-you of their own, as the others " \
                 "were thanked already."


def thank_you_for_newcomers(interview: Interview, newcomers: list[Interviewer], rules: Rules,
                            now: datetime) -> Step | None:
    """The thank-you step for people added after the thank-yous went out (see `newcomers_thank_you`)."""
    return newcomers_thank_you(interview, newcomers, rules, now)[0]


def reopen(interview: Interview, rules: Rules, now: datetime) -> list[Step]:
    """Undo news recorded by mistake: the interview is active again, what the news added (a reply to
    the rejection, a stay-in-touch note, a timeline update) is dropped, and the steps it cancelled
    come back, each reminding at its own time or now if that has passed."""
    interview.status = InterviewStatus.ACTIVE
    interview.heard_at = None
    back: list[Step] = []
    for step in interview.steps:
        if step.round != interview.round:
            continue
        if step.is_open and step.kind in (StepKind.REJECTION, StepKind.STAY_IN_TOUCH):
            step.status = StepStatus.CANCELLED
            step.notify_at = None
        elif step.status is StepStatus.CANCELLED and step.kind in (StepKind.THANK_YOU, *CHECK_IN_KINDS,
                                                                    StepKind.NO_REPLY):
            step.status = StepStatus.PENDING
            step.notify_at = earliest_delivery(max(step.due_at, now), rules, step.kind)
            step.dm_count = 0
            back.append(step)
    return back


def snooze_landing(kind: StepKind, until: datetime, rules: Rules) -> tuple[datetime, str | None]:
    """Where a snoozed reminder lands: never in quiet hours (it moves to the morning hour, or the end
    of quiet hours when that is later), and a check-in never on a weekend (it moves to Monday
    morning). Returns the time and why it moved (None: it did not)."""
    landing, reasons = until, []
    if in_quiet_hours(landing, rules):
        end = end_of_quiet_hours(landing, rules)
        morning = local_moment(to_local(end, rules).date(), rules.morning, rules)
        landing = morning if morning >= end and not in_quiet_hours(morning, rules) else end
        reasons.append(f"{to_local(until, rules):%H:%M} is in your quiet hours, {rules.quiet_start:%H:%M}-"
                       f"{rules.quiet_end:%H:%M}")
    if kind in WEEKDAY_ONLY and to_local(landing, rules).weekday() >= 5:
        landing = end_of_quiet_hours(morning_of(to_local(landing, rules).date(), rules), rules)
        reasons.append(f"a {STEP_WORDS.get(kind, 'reminder')} never lands on a weekend")
    return landing, "; ".join(reasons) or None
