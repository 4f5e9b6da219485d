"""Marking follow-ups sent and snoozing them: the schedule follows at once."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import commands as c
from bot import policy, understood, whats_due
from bot.domain import (
    Interview,
    Step,
    StepKind,
    StepStatus,
)
from bot.drafts.names import display_name, find_person
from bot.humanize import STEP_NAMES, interview_label, moment, relative
from bot.replies import Action, Reply, Section
from bot.use_case import Context, refuse, schedule_section

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

def nothing_due(interview: Interview, ctx: Context) -> Reply:
    """A bare `sent` with nothing due: what comes next and when; nothing is marked."""
    n = interview.number
    upcoming = interview.next_step()
    if upcoming is None:
        return Reply(title=f"{interview_label(interview)} has nothing waiting to be sent; nothing was marked.")
    name = STEP_NAMES[upcoming.kind]
    if upcoming.kind is StepKind.THANK_YOU:
        opens = whats_due.thank_you_opens_at(upcoming)
        when = f"once the interview has ended ({moment(opens, ctx.rules, ctx.now)})"
    else:
        when = f"due {moment(upcoming.due_at, ctx.rules, ctx.now)} ({relative(upcoming.due_at, ctx.now)})"
    reply = Reply(title=f"Nothing on {interview_label(interview)} is due yet, so nothing was marked sent.",
                  sections=[Section(f"Next: the {name}, {when}.")])
    if upcoming.kind is not StepKind.THANK_YOU and upcoming.kind is not StepKind.NO_REPLY:
        reply.sections.append(Section(f"If you have sent it already: /interview sent #{n} {upcoming.kind.value}"))
    return reply


async def sent(ctx: Context, cmd: c.MarkSent) -> Reply:
    interview = await ctx.interview(cmd.number, cmd.company)
    n = interview.number
    if cmd.kind is None:
        found = whats_due.due_now(interview, ctx.now)
        ty = interview.step(StepKind.THANK_YOU)
        if cmd.to and ty is not None and whats_due.is_due(ty, ctx.now):
            found = ty  # `sent #N to: Jane` means her thank-you
        if found is None:
            return nothing_due(interview, ctx)
        step = found
    else:
        step = open_step(interview, cmd.kind)
    if step.kind is StepKind.THANK_YOU and not whats_due.has_ended(interview, ctx.now):
        raise refuse(f"{interview_label(interview)} is upcoming ({moment(interview.starts_at, ctx.rules, ctx.now)}): "
                     "a thank-you can be marked sent once it has ended.")
    early = not whats_due.is_due(step, ctx.now)
    if cmd.to:
        if step.kind is not StepKind.THANK_YOU:
            raise refuse("`to:` works with thank-yous, which go to each interviewer separately.")
        person = find_person(interview.interviewers, cmd.to)
        if person is None:
            raise refuse(f'Nobody called "{cmd.to}" is listed on #{n}.')
        person.thanked_at = person.thanked_at or ctx.now
        waiting = [display_name(p.name) for p in interview.interviewers if p.thanked_at is None]
        if waiting:
            await ctx.tx.save_interview(interview)
            return Reply(title=f"Thank-you to {display_name(person.name)} marked sent. "
                               f"Still to thank: {', '.join(waiting)}.",
                         actions=[Action("Draft the others", f"draft #{n} thank-you")])
    elif step.kind is StepKind.THANK_YOU:
        for person in interview.interviewers:
            person.thanked_at = person.thanked_at or ctx.now
    # a bare `sent` after the one piece of advice (a late thank-you whose note to the main contact
    # asked for news): the check-in is sent too; `sent #N thank-you` marks just what it names
    carried = whats_due.check_in_with_it(interview, step, ctx.now) if cmd.kind is None else None
    policy.mark_sent(step, ctx.now)
    follow = policy.after_sent(interview, step, ctx.rules, ctx.now)
    if carried is not None:  # the late thank-you to the main contact asked for news: the check-in too
        policy.mark_sent(carried, ctx.now)
        follow += policy.after_sent(interview, carried, ctx.rules, ctx.now)
    interview.steps.extend(follow)
    await ctx.tx.save_interview(interview)
    ctx.scheduled(follow)
    title = f"{STEP_NAMES[step.kind].capitalize()} for {interview_label(interview)} marked sent."
    reply = Reply(title=title)
    if early:
        moves = "; ".join(f"the {STEP_NAMES[s.kind]} is now due {moment(s.due_at, ctx.rules, ctx.now)}"
                          for s in follow)
        reply.sections.append(Section(f"It was not due until {moment(step.due_at, ctx.rules, ctx.now)}, so the "
                                      f"schedule counts from today{': ' + moves if moves else ''}."))
    if carried is not None:
        main = interview.main_contact
        reply.sections.append(Section(f"Your check-in is marked sent with it: the note to "
                                      f"{main.name if main else 'your main contact'} asked for news too."))
    reply.sections.append(schedule_section(interview, ctx.rules, ctx.now))
    if step.kind is StepKind.CHECK_IN_2:
        reply.sections.append(Section("That was the last e-mail check-in. If a week passes with no reply, "
                                      "I'll suggest a phone call or moving on."))
    return reply

async def snooze(ctx: Context, cmd: c.Snooze) -> Reply:
    interview = await ctx.interview(cmd.number, cmd.company)
    pinging = [s for s in interview.open_steps() if s.notify_at is not None]
    step = min(pinging, key=lambda s: s.notify_at or s.due_at) if pinging else open_step(interview, None)
    if cmd.until:
        until = understood.snooze_until(ctx, cmd.until)
    else:
        until = ctx.now + timedelta(days=1)
    if until <= ctx.now:
        raise refuse(f'"{cmd.until}" is in the past. Try "2h", "3d" or "tomorrow 9am".')
    if until > ctx.now + timedelta(days=365):
        raise refuse("Snooze for at most a year.")
    landing, moved = whats_due.snooze_landing(step.kind, until, ctx.rules)
    if step.dm_count == 0 and step.notify_at is not None and step.notify_at > ctx.now and landing <= step.notify_at:
        raise refuse(f"The {STEP_NAMES[step.kind]} reminder for #{interview.number} is already set for "
                     f"{moment(step.notify_at, ctx.rules, ctx.now)}; a snooze only moves a reminder that hasn't "
                     "come yet to later.")
    warning = policy.snooze(step, landing, ctx.now)
    await ctx.tx.save_interview(interview)
    ctx.scheduled([step])
    typed = f'"{cmd.until}"' if cmd.until else "1 day (the default)"
    ctx.understood.append(f"snooze: {typed} → {moment(landing, ctx.rules, ctx.now)}"
                          + (f", moved from {moment(until, ctx.rules, ctx.now)}: {moved}" if moved else ""))
    reply = Reply(title=f"Snoozed the {STEP_NAMES[step.kind]} for #{interview.number} until "
                        f"{moment(landing, ctx.rules, ctx.now)} ({relative(landing, ctx.now)}).")
    if warning:
        reply.sections.append(Section(warning))
    return reply
