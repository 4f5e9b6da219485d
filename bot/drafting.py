"""Ready-to-send drafts on request, within the policy's hard rules."""

from __future__ import annotations

import logging
from datetime import datetime

from bot import commands as c
from bot import policy, whats_due
from bot.domain import (
    DRAFT_FOR_STEP,
    DraftKind,
    Interview,
    InterviewStatus,
    StepKind,
    StepStatus,
)
from bot.drafts.context import check_in_due_with_thank_you
from bot.drafts.names import display_name, find_person, match_people
from bot.humanize import interview_label, moment
from bot.replies import Action, Reply, Section
from bot.use_case import Context, refuse

log = logging.getLogger(__name__)


# What fits once the employer has answered, or gone quiet: never a check-in.
AFTER_OUTCOME: dict[InterviewStatus, tuple[DraftKind, ...]] = {
    InterviewStatus.OFFER: (DraftKind.THANK_YOU, DraftKind.LINKEDIN),
    InterviewStatus.REJECTED: (DraftKind.REJECTION, DraftKind.STAY_IN_TOUCH, DraftKind.LINKEDIN),
    InterviewStatus.WITHDRAWN: (DraftKind.LINKEDIN, DraftKind.STAY_IN_TOUCH),
    InterviewStatus.GHOSTED: (DraftKind.STAY_IN_TOUCH, DraftKind.LINKEDIN),
}


def draft_kind_for(interview: Interview, now: datetime) -> DraftKind:
    """The draft for the step due now; else the one that fits the interview's state."""
    step = whats_due.due_now(interview, now) or interview.next_step()
    if step is not None and (interview.status.is_active or step.kind not in policy.CHECK_IN_KINDS):
        return DRAFT_FOR_STEP[step.kind]
    fits = AFTER_OUTCOME.get(interview.status)
    if fits:
        ty = interview.step(StepKind.THANK_YOU)
        if fits[0] is DraftKind.THANK_YOU and ty is not None and ty.status is StepStatus.SENT:
            return fits[1]
        return fits[0]
    return DraftKind.CHECK_IN


async def draft(ctx: Context, cmd: c.DraftRequest) -> Reply:
    interview = await ctx.interview(cmd.number, cmd.company)
    kind = cmd.kind or draft_kind_for(interview, ctx.now)
    n = interview.number
    if kind is DraftKind.THANK_YOU and not whats_due.has_ended(interview, ctx.now):
        raise refuse(f"{interview_label(interview)} is upcoming ({moment(interview.starts_at, ctx.rules, ctx.now)}): "
                     "its thank-you can be drafted once it has ended.")
    if kind in (DraftKind.CHECK_IN, DraftKind.CHECK_IN_2) and not interview.status.is_active:
        fits = ", ".join(f"/interview draft #{n} {k.value}" for k in AFTER_OUTCOME.get(interview.status, ()))
        raise refuse(f"{interview_label(interview)} is {interview.status.value}: there is nothing to check in about."
                     + (f" What fits now: {fits}." if fits else ""))
    to = None
    if cmd.to:
        to = find_person(interview.interviewers, cmd.to)
        if to is None:
            if len(several := match_people(interview.interviewers, cmd.to)) > 1:
                names = " or ".join(display_name(p.name) for p in several)
                first = display_name(several[0].name)
                raise refuse(f'"{cmd.to}" could be {names}: write more of the name, e.g. to: {first.rstrip(".")}.')
            names = ", ".join(display_name(p.name) for p in interview.interviewers) or "nobody yet"
            raise refuse(f'Nobody called "{cmd.to}" is listed on #{interview.number} (listed: {names}).')
    step_kind = next((k for k in StepKind if k.value == kind.value), None)
    if step_kind in policy.CHECK_IN_KINDS:
        assert step_kind is not None
        refusal = policy.may_check_in(interview, step_kind, ctx.now, ctx.rules)
        if refusal is not None:
            raise refuse(refusal.message)
    ty = interview.step(StepKind.THANK_YOU)
    late = kind is DraftKind.THANK_YOU and ty is not None and ctx.now > ty.due_at
    merged = late and check_in_due_with_thank_you(interview, ctx.now)
    drafts = await ctx.drafts(kind, interview, to=to, late=late, with_check_in=merged)
    title = f"{kind.value} draft{'s' if len(drafts) > 1 else ''} for {interview_label(interview)}"
    reply = Reply(title=title, drafts=drafts)
    if late:
        reply.sections.append(Section("The 24-hour window has passed, so this draft doesn't pretend to be "
                                      "on time. Sending it today is still worth it."))
    open_step = interview.step(step_kind) if step_kind is not None else None
    if step_kind is not None and open_step is not None and open_step.is_open:
        reply.actions.append(Action("Mark sent", f"sent #{interview.number} {step_kind.value}", "primary"))
    return reply
