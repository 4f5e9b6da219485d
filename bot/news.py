"""News from the employer: offer, rejection, next round, decision date, withdrawal, and a competing offer."""

from __future__ import annotations

import logging

from bot import commands as c
from bot import policy, understood, whats_due
from bot.closed_interviews import is_closed, nothing_moves
from bot.domain import (
    DraftKind,
    InterviewStatus,
    StepKind,
    StepStatus,
)
from bot.humanize import day_words, interview_label, moment
from bot.interviews import CLEAR_WORDS
from bot.policy import to_local
from bot.replies import Action, Reply, Section
from bot.use_case import Context, refuse, schedule_section, step_actions

log = logging.getLogger(__name__)


_ROUND_NOTE_NAMES = {"topics": "topics", "promised": "your promise", "point": "your point",
                     "they-promised": "what they promised"}


async def heard(ctx: Context, cmd: c.Heard) -> Reply:
    interview = await ctx.interview(cmd.number, cmd.company)
    n = interview.number
    news = cmd.news
    today = to_local(ctx.now, ctx.rules).date()
    if news is c.NewsKind.DECISION:
        if not cmd.when:
            raise refuse(f"When will they decide? Example: /interview heard #{n} decision next Friday")
        if cmd.when.strip().lower() in CLEAR_WORDS:
            decision_on = None
        else:
            decision_on = understood.decision_day(ctx, cmd.when, closed=is_closed(interview))
            understood.decision_after_interview(ctx, decision_on, interview.starts_at)
        if decision_on == interview.decision_on:  # the same news typed again
            return Reply(title=(f"Already noted: {interview.company} decides by "
                                f"{day_words(decision_on, today)}" if decision_on else
                                f"Already noted: no decision date for {interview.company}") + "; nothing changed.",
                         sections=[Section(nothing_moves(interview, ["decision date"])) if is_closed(interview)
                                   else schedule_section(interview, ctx.rules, ctx.now)])
        interview.decision_on = decision_on
        if is_closed(interview):
            await ctx.tx.save_interview(interview)
            return Reply(title=f"Noted the decision date of {interview_label(interview)}.",
                         sections=[Section(nothing_moves(interview, ["decision date"]))])
        moved = policy.reschedule_check_in(interview, ctx.rules, ctx.now)
        await ctx.tx.save_interview(interview)
        ctx.scheduled([moved] if moved else [])
        title = (f"Noted: {interview.company} will decide by {day_words(interview.decision_on, today)}."
                 if interview.decision_on else f"Noted: no decision date for {interview.company}.")
        return Reply(title=title,
                     sections=[schedule_section(interview, ctx.rules, ctx.now)])
    if news is c.NewsKind.NEXT_ROUND:
        if not cmd.when:
            raise refuse(f"When is the next round? Example: /interview heard #{n} next round Tuesday 10:00")
        if is_closed(interview) and interview.status is not InterviewStatus.GHOSTED:
            raise refuse(f"{interview_label(interview)} is closed ({interview.status.value}), so a next round "
                         f"would plan follow-ups on a closed interview. If it goes on after all: "
                         f"/interview reopen #{n}, then /interview heard #{n} next round {cmd.when}")
        starts_at = understood.interview_time(ctx, cmd.when, field="next round", prefer="future")
        if starts_at == interview.starts_at:  # the same news typed again: that round is this one
            return Reply(title=f"Round {interview.round} of {interview_label(interview)} is already on "
                               f"{moment(starts_at, ctx.rules, ctx.now)}; nothing changed.",
                         sections=[schedule_section(interview, ctx.rules, ctx.now)])
        policy.cancel_open_steps(interview, ctx.now)
        if interview.status is InterviewStatus.GHOSTED:  # they got back to you after all
            interview.status = InterviewStatus.ACTIVE
        interview.round += 1
        interview.starts_at = starts_at
        interview.decision_on = None
        interview.heard_at = ctx.now
        fresh = policy.first_cycle(interview, ctx.rules, ctx.now)
        for person in interview.interviewers:
            person.thanked_at = None
        interview.steps.extend(fresh)
        await ctx.tx.save_interview(interview)
        ctx.scheduled(fresh)
        kept = [label for note, label in _ROUND_NOTE_NAMES.items() if interview.round_note(note)]
        carried = (f" What you noted for round {interview.round - 1} ({', '.join(kept)}) stays on record in "
                   f"/interview show #{n}; round {interview.round}'s drafts use what you note for it, e.g. "
                   f"/interview update #{n} topics: ...; promised: ...") if kept else ""
        return Reply(title=f"Congratulations on the next round with {interview.company}! Round "
                           f"{interview.round} is on {moment(starts_at, ctx.rules, ctx.now)}.",
                     sections=[schedule_section(interview, ctx.rules, ctx.now),
                               Section(f"Add new interviewers with /interview update #{n} with: ...{carried}")])
    ghosted = interview.status is InterviewStatus.GHOSTED  # news after all: recorded like any news
    if interview.status.value == news.value:  # the same outcome typed again
        return Reply(title=f"{interview_label(interview)} is already marked {interview.status.value}; "
                           "nothing changed.")
    if not interview.status.is_active and news is not c.NewsKind.OFFER and not ghosted:
        raise refuse(f"#{n} is already closed ({interview.status.value}).")
    planned = interview.step(StepKind.STAY_IN_TOUCH) if ghosted and news is c.NewsKind.REJECTED else None
    policy.cancel_open_steps(interview, ctx.now)
    interview.heard_at = ctx.now
    if news is c.NewsKind.OFFER:
        interview.status = InterviewStatus.OFFER
        await ctx.tx.save_interview(interview)
        return Reply(title=f"Congratulations on the offer from {interview.company}! 🎉",
                     sections=[Section("I've cancelled the pending follow-ups for this interview: no check-in "
                                       f"is needed. Recorded by mistake? /interview reopen #{n}")])
    if news is c.NewsKind.WITHDRAWN:
        interview.status = InterviewStatus.WITHDRAWN
        await ctx.tx.save_interview(interview)
        return Reply(title=f"Noted: you withdrew from {interview.company}. Pending follow-ups are cancelled.",
                     sections=[Section(f"Recorded by mistake? /interview reopen #{n}")])
    interview.status = InterviewStatus.REJECTED
    reply_step = policy.immediate(StepKind.REJECTION, interview, ctx.now)
    if planned is not None:  # ghosted first: the stay-in-touch note it planned is the one (only once)
        if planned.status is StepStatus.CANCELLED:
            planned.status = StepStatus.PENDING
            planned.notify_at = policy.earliest_delivery(max(planned.due_at, ctx.now), ctx.rules, planned.kind)
        later = planned
        interview.steps.append(reply_step)
    else:
        later = policy.stay_in_touch(interview, ctx.now, ctx.rules, ctx.now)
        interview.steps.extend([reply_step, later])
    await ctx.tx.save_interview(interview)
    ctx.scheduled([later])
    drafts = await ctx.drafts(DraftKind.REJECTION, interview)
    return Reply(
        title=f"I'm sorry about {interview.company}. A gracious reply keeps the door open.",
        sections=[Section("Here is a reply to send now. " + (
            "Your stay-in-touch note went out already, so no other is planned." if not later.is_open else
            f"I'll remind you to stay in touch around {moment(later.due_at, ctx.rules, ctx.now)}."))],
        drafts=drafts,
        actions=[Action("Mark reply sent", f"sent #{n} rejection", "primary")])

async def offer_elsewhere(ctx: Context, cmd: c.OfferElsewhere) -> Reply:
    interview = await ctx.interview(cmd.number, cmd.company)
    if not interview.status.is_active:
        raise refuse(f"#{interview.number} is already closed ({interview.status.value}).")
    deadline = understood.deadline_day(ctx, cmd.deadline)
    today = to_local(ctx.now, ctx.rules).date()
    interview.offer_deadline = deadline
    if interview.decision_on is not None and deadline >= interview.decision_on:
        await ctx.tx.save_interview(interview)
        return Reply(title=f"Noted your offer deadline ({day_words(deadline, today)}).",
                     sections=[Section(f"{interview.company} decides by {day_words(interview.decision_on, today)}"
                                       ", before your deadline, so there is no need "
                                       "to nudge them yet.")])
    existing = interview.step(StepKind.TIMELINE)
    if existing is None or not existing.is_open:
        interview.steps.append(policy.immediate(StepKind.TIMELINE, interview, ctx.now))
    await ctx.tx.save_interview(interview)
    drafts = await ctx.drafts(DraftKind.TIMELINE, interview)
    return Reply(title=f"Congratulations on the other offer! Here is a timeline update for {interview.company}.",
                 drafts=drafts,
                 actions=[Action("Mark sent", f"sent #{interview.number} timeline", "primary")])


async def reopen(ctx: Context, cmd: c.Reopen) -> Reply:
    """Undo an offer, rejection, withdrawal or ghosting recorded by mistake."""
    interview = await ctx.interview(cmd.number, cmd.company)
    if interview.status.is_active:
        raise refuse(f"{interview_label(interview)} is already open; nothing to undo.")
    was = interview.status.value
    back = whats_due.reopen(interview, ctx.rules, ctx.now)
    # people added while it was closed, after the thank-yous went out: their own thank-you now
    unthanked = [p for p in interview.interviewers if p.thanked_at is None]
    theirs, about_them = whats_due.newcomers_thank_you(interview, unthanked, ctx.rules, ctx.now)
    if theirs is not None:
        interview.steps.append(theirs)
        back.append(theirs)
    await ctx.tx.save_interview(interview)
    ctx.scheduled(back)
    sections = [Section(about_them)] if about_them else []
    return Reply(title=f"Reopened {interview_label(interview)} (it was marked {was}).",
                 sections=[*sections, schedule_section(interview, ctx.rules, ctx.now)],
                 actions=step_actions(interview, ctx.now, ctx.rules))
