"""Marking follow-ups sent and snoozing them: the schedule follows at once."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import commands as c
from bot import policy
from bot.domain import (
    Interview,
    Step,
    StepKind,
    StepStatus,
)
from bot.drafts.names import find_person
from bot.humanize import STEP_NAMES, interview_label, moment, relative
from bot.replies import Action, Reply, Section
from bot.timeparse import parse_snooze
from bot.use_case import Context, read, refuse, schedule_section

log = logging.getLogger(__name__)


def open_step(interview: Interview, kind: StepKind | None) -> Step:
    if kind is None:
        step = interview.next_step()
        if step is None:
            raise refuse(f"{interview_label(interview)} has nothing waiting to be sent.")
        return step
    step = interview.step(kind)
    if step is None or not step.is_open:
        if kind in policy.CHECK_IN_KINDS and policy.check_ins_sent(interview) >= 2:
            raise refuse(policy.THIRD_CHECK_IN.message.format(n=interview.number))
        if step is not None and step.status is StepStatus.SENT:
            raise refuse(f"The {STEP_NAMES[kind]} for #{interview.number} is already marked sent.")
        raise refuse(f"#{interview.number} has no {STEP_NAMES[kind]} waiting"
                     + (" yet: check-in 2 comes after check-in 1 is marked sent." if kind is StepKind.CHECK_IN_2
                        else "."))
    return step

async def sent(ctx: Context, cmd: c.MarkSent) -> Reply:
    interview = await ctx.interview(cmd.number)
    step = open_step(interview, cmd.kind)
    n = interview.number
    if cmd.to:
        if step.kind is not StepKind.THANK_YOU:
            raise refuse("`to:` works with thank-yous, which go to each interviewer separately.")
        person = find_person(interview.interviewers, cmd.to)
        if person is None:
            raise refuse(f'Nobody called "{cmd.to}" is listed on #{n}.')
        person.thanked_at = person.thanked_at or ctx.now
        waiting = [p.name for p in interview.interviewers if p.thanked_at is None]
        if waiting:
            await ctx.tx.save_interview(interview)
            return Reply(title=f"Thank-you to {person.name} marked sent. Still to thank: {', '.join(waiting)}.",
                         actions=[Action("Draft the others", f"draft #{n} thank-you")])
    elif step.kind is StepKind.THANK_YOU:
        for person in interview.interviewers:
            person.thanked_at = person.thanked_at or ctx.now
    policy.mark_sent(step, ctx.now)
    follow = policy.after_sent(interview, step, ctx.rules, ctx.now)
    interview.steps.extend(follow)
    await ctx.tx.save_interview(interview)
    ctx.scheduled(follow)
    title = f"{STEP_NAMES[step.kind].capitalize()} for {interview_label(interview)} marked sent."
    reply = Reply(title=title, sections=[schedule_section(interview, ctx.rules, ctx.now)])
    if step.kind is StepKind.CHECK_IN_2:
        reply.sections.append(Section("That was the last e-mail check-in. If a week passes with no reply, "
                                      "I'll suggest a phone call or moving on."))
    return reply

async def snooze(ctx: Context, cmd: c.Snooze) -> Reply:
    interview = await ctx.interview(cmd.number)
    pinging = [s for s in interview.open_steps() if s.notify_at is not None]
    step = min(pinging, key=lambda s: s.notify_at or s.due_at) if pinging else open_step(interview, None)
    if cmd.until:
        until = read(parse_snooze(cmd.until, ctx.rules.tz, ctx.now), "snooze")
    else:
        until = ctx.now + timedelta(days=1)
    if until <= ctx.now:
        raise refuse(f'"{cmd.until}" is in the past. Try "2h", "3d" or "tomorrow 9am".')
    if until > ctx.now + timedelta(days=365):
        raise refuse("Snooze for at most a year.")
    if step.dm_count == 0 and step.notify_at is not None and step.notify_at > ctx.now and until <= step.notify_at:
        raise refuse(f"The {STEP_NAMES[step.kind]} reminder for #{interview.number} is already set for "
                     f"{moment(step.notify_at, ctx.rules)}; a snooze only moves a reminder that hasn't come yet "
                     "to later.")
    warning = policy.snooze(step, until, ctx.now)
    await ctx.tx.save_interview(interview)
    ctx.scheduled([step])
    reply = Reply(title=f"Snoozed the {STEP_NAMES[step.kind]} for #{interview.number} until "
                        f"{moment(until, ctx.rules)} ({relative(until, ctx.now)}).")
    if warning:
        reply.sections.append(Section(warning))
    return reply
