"""The reminder DM: what is due, for which interview, how late if late, the drafts and buttons;
and what a reminder that has gone out changes (a no-reply reminder: the interview is ghosted).

Composing a DM only reads. The one change a reminder makes is applied after it went out, in its
own transaction, once (`settle_after_reminder`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial

from bot import policy, whats_due
from bot.career_center.template_notices import note_template_failures
from bot.domain import (
    DRAFT_FOR_STEP,
    DraftKind,
    Interview,
    Interviewer,
    InterviewStatus,
    Rules,
    Step,
    StepKind,
    UserSettings,
)
from bot.humanize import STEP_NAMES, interview_label, moment, relative, span
from bot.ports import Store
from bot.replies import Action, Draft, Reply, Section

LATE_AFTER = timedelta(minutes=10)

DraftMaker = Callable[..., list[Draft]]


def _what_is_due(step: Step, interview: Interview, rules: Rules, now: datetime) -> str:
    n = interview.number
    if step.kind is StepKind.THANK_YOU:
        if now > step.due_at:
            return (f"Your thank-you for {interview_label(interview)} is past its 24-hour window "
                    f"(it was due {relative(step.due_at, now)}). A late, sincere note still beats none: "
                    "the drafts below don't pretend it's on time.")
        if step.dm_count >= 1:
            return (f"Last call: your thank-you for {interview_label(interview)} is due by "
                    f"{moment(step.due_at, rules)} ({relative(step.due_at, now)}).")
        return (f"Time to send your thank-you for {interview_label(interview)}: within 24 hours, "
                f"by {moment(step.due_at, rules)} ({relative(step.due_at, now)}). One note per person.")
    if step.kind is StepKind.CHECK_IN:
        return (f"No news from {interview.company}? Today is a good day for a polite check-in on "
                f"{interview_label(interview)}.")
    if step.kind is StepKind.CHECK_IN_2:
        return (f"Still nothing from {interview.company}: time for your second and last check-in on "
                f"{interview_label(interview)}. Keep it short.")
    if step.kind is StepKind.NO_REPLY:
        return (f"A week since your last check-in on {interview_label(interview)} and no reply. You've done "
                "everything right. Consider one short phone call to the recruiter, or move on and put your "
                f"energy into other applications. I've marked #{n} as ghosted; if they get back to you, "
                f"tell me with /interview heard #{n}. A LinkedIn note keeps the door open:")
    if step.kind is StepKind.STAY_IN_TOUCH:
        return (f"It's been a while since {interview_label(interview)}. A light, appreciative note keeps "
                "the connection warm.")
    if step.kind is StepKind.TIMELINE:
        return f"Let {interview.company} know about your other offer's deadline ({interview_label(interview)})."
    return f"Reply graciously to {interview.company} ({interview_label(interview)})."


def compose_reminder(interview: Interview, due: list[Step], user: UserSettings, rules: Rules, now: datetime,
                     drafts_for: DraftMaker) -> Reply:
    due = sorted(due, key=lambda s: s.due_at)
    carried = whats_due.check_in_within(interview, due, now)  # one piece of advice, not two
    n = interview.number
    kinds = [STEP_NAMES[s.kind] for s in due]
    if len(due) == 1:
        title = f"Follow-up due: {kinds[0]} for {interview_label(interview)}"
    else:
        title = f"Follow-ups due for {interview_label(interview)}: {', '.join(kinds)}"
    reply = Reply(title=title)
    late_by = max((now - at for s in due if (at := s.next_dm_at) is not None), default=timedelta(0))
    if late_by > LATE_AFTER:
        reply.notices.append(f"This reminder is late: it was due {span(late_by)} ago, while I was offline.")
    drafted: set[DraftKind] = set()
    for step in (s for s in due if s is not carried):
        reply.sections.append(Section(_what_is_due(step, interview, rules, now)))
        kind = DRAFT_FOR_STEP[step.kind]
        if kind in drafted:
            continue
        drafted.add(kind)
        late = step.kind is StepKind.THANK_YOU and now > step.due_at
        to: Interviewer | None = None
        if step.kind is StepKind.THANK_YOU:
            waiting = [p for p in interview.interviewers if p.thanked_at is None]
            if len(waiting) == 1 and len(interview.interviewers) > 1:
                to = waiting[0]
        if carried is not None and step.kind is StepKind.THANK_YOU:
            main = interview.main_contact
            reply.sections.append(Section(whats_due.TOGETHER.format(main=main.name if main else "your main contact")))
        reply.drafts.extend(drafts_for(kind, interview, user, rules, to=to, late=late,
                                       with_check_in=carried is not None and step.kind is StepKind.THANK_YOU))
        if carried is not None and step.kind is StepKind.THANK_YOU:
            reply.actions.append(Action("Mark thank-you and check-in sent", f"sent #{n}", "primary"))
        elif step.kind is not StepKind.NO_REPLY:
            reply.actions.append(Action(f"Mark {STEP_NAMES[step.kind]} sent", f"sent #{n} {step.kind.value}",
                                        "primary"))
    reply.actions.extend([
        Action("Snooze 1 hour", f"snooze #{n} 1h"),
        Action("Snooze to tomorrow morning", f"snooze #{n} tomorrow {rules.morning:%H:%M}"),
        Action("Snooze 3 days", f"snooze #{n} 3d"),
        Action("Heard: offer", f"heard #{n} offer"),
        Action("Heard: rejected", f"heard #{n} rejected"),
        Action("Heard: next round", f"heard #{n} next round"),
        Action("Show drafts", f"draft #{n}"),
    ])
    return reply


async def reminder_message(store: Store, default_tz: str, drafts_for: DraftMaker, interview_id: int,
                           step_ids: Sequence[int], now: datetime) -> Reply | None:
    """The DM for due steps of one interview (several folded into one), or None when none of
    them is still open. Reads only."""
    async with store.transaction(read_only=True) as tx:
        interview = await tx.interview_by_id(interview_id)
        if interview is None:
            return None
        user = await tx.user_by_id(interview.user_id)
        if user is None:
            return None
        wanted = set(step_ids)
        due = [s for s in interview.steps if s.id in wanted and s.is_open]
        if not due:
            return None
        defaults = await tx.community_defaults(user.platform, user.community)
        templates = await tx.community_templates(user.platform, user.community)
        words = await tx.community_words(user.platform, user.community)
    rules = Rules.resolve(user, defaults, default_tz)
    if not templates:
        return compose_reminder(interview, due, user, rules, now, partial(drafts_for, templates=templates, words=words))
    # A community template renders in a worker process: wait for it off the event loop, and note a
    # template that failed for the community's admins (the member gets the built-in draft).
    failures: list[tuple[str, str]] = []
    reply = await asyncio.to_thread(compose_reminder, interview, due, user, rules, now, partial(
        drafts_for, templates=templates, words=words, failures=failures))
    await note_template_failures(store, user, failures, now)
    return reply


async def settle_after_reminder(store: Store, default_tz: str, interview_id: int, step_ids: Sequence[int],
                                now: datetime) -> bool:
    """What reminders that went out (or could not be delivered for good) change: a no-reply
    reminder marks its interview ghosted and plans a stay-in-touch note. Once: an interview no
    longer active (ghosted already, or news came) is left as it is. True if something changed."""
    async with store.transaction() as tx:
        interview = await tx.interview_by_id(interview_id)
        if interview is None or interview.status is not InterviewStatus.ACTIVE:
            return False
        wanted = set(step_ids)
        if not any(s.id in wanted and s.kind is StepKind.NO_REPLY for s in interview.steps):
            return False
        user = await tx.user_by_id(interview.user_id)
        if user is None:
            return False
        defaults = await tx.community_defaults(user.platform, user.community)
        follow = policy.ghost(interview, Rules.resolve(user, defaults, default_tz), now)
        if follow is not None:
            interview.steps.append(follow)
        await tx.save_interview(interview)
    return True
