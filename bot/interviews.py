"""Logging interviews and looking at them: add, update, list, show."""

from __future__ import annotations

import copy
import logging
from datetime import date, datetime, timedelta

from bot import commands as c
from bot import policy, understood, whats_due
from bot.closed_interviews import is_closed, moves_schedule, no_thank_you_when_closed, nothing_moves
from bot.domain import (
    Interview,
    Interviewer,
    InterviewKind,
    InterviewStatus,
    Step,
    StepKind,
)
from bot.drafts.names import display_name, find_person
from bot.humanize import day_words, interview_label, moment, step_line, step_words
from bot.replies import Form, FormField, Reply, Section
from bot.timeparse import parse_duration
from bot.use_case import Context, read, refuse, schedule_section, step_actions

log = logging.getLogger(__name__)

CLEAR_WORDS = ("none", "clear", "-", "no", "unknown")  # `decision: none` forgets a decision date

ADD_FORM = Form(
    command="add",
    title="Log an interview",
    fields=(
        FormField("company", "Company", required=True, placeholder="Horizon Marketing"),
        FormField("role", "Role", required=True, placeholder="Marketing Coordinator"),
        FormField("when", "When did it start?", required=True, placeholder="yesterday 2pm"),
        FormField("with", "Interviewer(s), one per line", placeholder="Ms. Jane Richardson (Marketing Director) "
                  "<jane@horizon.example> about the brand campaign", multiline=True),
        FormField("topics", "Topics discussed", placeholder="social media outreach, the TikTok pilot"),
    ),
)



async def add(ctx: Context, cmd: c.Add) -> Reply:
    if cmd.fields is None:
        return Reply(title="Tell me about the interview.", form=ADD_FORM)
    f = cmd.fields
    missing = [k for k, v in (("company", f.company), ("role", f.role), ("when", f.when)) if not v]
    if missing:
        raise refuse(f"Missing {', '.join(missing)}. Example: /interview add company: Horizon Marketing; "
                     "role: Marketing Coordinator; when: yesterday 2pm")
    assert ctx.user.id is not None and f.company and f.role and f.when
    starts_at = understood.interview_time(ctx, f.when)
    interview = Interview(user_id=ctx.user.id, company=f.company, role=f.role, starts_at=starts_at,
                          created_at=ctx.now)
    apply_fields(ctx, interview, f)
    if interview.kind is InterviewKind.INTERVIEW:
        interview.steps = policy.first_cycle(interview, ctx.rules, ctx.now)
    else:  # informational chats, networking, career fairs: thank-you, then stay in touch
        interview.steps = [policy.thank_you(interview, ctx.rules, ctx.now),
                           policy.stay_in_touch(interview, interview.starts_at, ctx.rules, ctx.now)]
    interview = await ctx.tx.add_interview(interview)
    ctx.scheduled(interview.steps)
    when = moment(interview.starts_at, ctx.rules, ctx.now)
    reply = Reply(title=f"Logged #{interview.number}: {interview.role} at {interview.company} ({when}).",
                  sections=[schedule_section(interview, ctx.rules, ctx.now)],
                  actions=step_actions(interview, ctx.now, ctx.rules))
    if not interview.interviewers:
        reply.sections.append(Section(
            f"Add who you met so each gets a personal thank-you: /interview update #{interview.number} "
            "with: Ms. Jane Richardson (Marketing Director) <jane@example.com> about the launch"))
    return reply

def apply_fields(ctx: Context, interview: Interview, f: c.Fields) -> None:
    if f.company:
        interview.company = f.company
    if f.role:
        interview.role = f.role
    if f.length:
        length = read(parse_duration(f.length), "length")
        if not timedelta(minutes=5) <= length <= timedelta(hours=12):
            raise refuse(f'A length of "{f.length}" is out of range: give 5 minutes to 12 hours, e.g. 45m.')
        interview.duration = length
    ctx.understood.extend(person_read(spec) for spec in f.with_)
    for spec in f.with_:
        existing = next((p for p in interview.interviewers if p.name.lower() == spec.name.lower()), None)
        if existing is not None:
            existing.honorific = spec.honorific or existing.honorific
            existing.title = spec.title or existing.title
            existing.email = spec.email or existing.email
            existing.topic = spec.topic or existing.topic
            existing.recruiter = spec.recruiter or existing.recruiter
            continue
        interview.interviewers.append(Interviewer(
            name=spec.name, honorific=spec.honorific, title=spec.title, email=spec.email,
            topic=spec.topic, recruiter=spec.recruiter))
    if len(interview.interviewers) > 10:
        raise refuse("An interview can list at most 10 interviewers.")
    if f.topics is not None:
        interview.topics = list(f.topics)
        interview.notes_round["topics"] = interview.round
    if f.decision and f.decision.strip().lower() in CLEAR_WORDS:
        interview.decision_on = None
    elif f.decision:
        interview.decision_on = understood.decision_day(ctx, f.decision, closed=is_closed(interview))
    for name in f.remove:
        person = find_person(interview.interviewers, name)
        if person is None:
            listed = ", ".join(display_name(p.name) for p in interview.interviewers) or "nobody yet"
            raise refuse(f'Nobody called "{name}" is listed on #{interview.number} (listed: {listed}).')
        interview.interviewers.remove(person)
    if f.promised is not None:
        interview.promised = f.promised or None
        interview.notes_round["promised"] = interview.round
    if f.they_promised is not None:
        interview.their_promise = None if f.they_promised.strip().lower() in CLEAR_WORDS else f.they_promised
        interview.notes_round["they-promised"] = interview.round
    if f.point is not None:
        interview.point = f.point or None
        interview.notes_round["point"] = interview.round
    if f.news is not None:  # the stay-in-touch note's hook
        interview.news = None if f.news.strip().lower() in CLEAR_WORDS else f.news
    if f.tone is not None:
        interview.tone = f.tone
    if f.kind is not None:
        interview.kind = f.kind
    if f.decision or f.when:
        understood.decision_after_interview(ctx, interview.decision_on, interview.starts_at)

def person_read(spec: c.InterviewerSpec) -> str:
    """How the answer says back one person read from `with:` (each of several on one line)."""
    details = [d for d in (spec.title, "main contact" if spec.recruiter else None, spec.email,
                           f"about {spec.topic}" if spec.topic else None) if d]
    who = " ".join(x for x in (spec.honorific, display_name(spec.name)) if x)
    return f"with: {who}" + (f" ({'; '.join(details)})" if details else "")


async def update(ctx: Context, cmd: c.Update) -> Reply:
    interview = await ctx.interview(cmd.number, cmd.company)
    before = copy.deepcopy(interview)
    if cmd.fields.when:
        interview.starts_at = understood.interview_time(ctx, cmd.fields.when)
    apply_fields(ctx, interview, cmd.fields)
    changed: list[Step] = []
    if is_closed(interview):
        return await _update_closed(ctx, before, interview, cmd.fields)
    if (interview.starts_at, interview.duration) != (before.starts_at, before.duration):
        ty = interview.step(StepKind.THANK_YOU)
        if ty is not None and ty.is_open:
            fresh = policy.thank_you(interview, ctx.rules, ctx.now)
            ty.due_at, ty.notify_at, ty.dm_count = fresh.due_at, fresh.notify_at, 0
            changed.append(ty)
    if (interview.starts_at, interview.decision_on) != (before.starts_at, before.decision_on):
        moved = policy.reschedule_check_in(interview, ctx.rules, ctx.now)
        if moved is not None:
            changed.append(moved)
    known = {p.name.lower() for p in before.interviewers}
    newcomers = [p for p in interview.interviewers if p.name.lower() not in known]
    late, about_them = whats_due.newcomers_thank_you(interview, newcomers, ctx.rules, ctx.now)
    if late is not None:
        interview.steps.append(late)
        changed.append(late)
    await ctx.tx.save_interview(interview)
    ctx.scheduled(changed)
    what = interview_changes(before, interview, ctx)
    sections = [Section("\n".join(what) or "Nothing changed.", title="Changed")]
    if about_them:
        sections.append(Section(about_them))
    return Reply(title=_updated(interview, what),
                 sections=[*sections, schedule_section(interview, ctx.rules, ctx.now)],
                 actions=step_actions(interview, ctx.now, ctx.rules))


async def _update_closed(ctx: Context, before: Interview, interview: Interview, fields: c.Fields) -> Reply:
    """An update to an interview closed by its outcome: kept for the record, no follow-up moves."""
    await ctx.tx.save_interview(interview)
    what = interview_changes(before, interview, ctx)
    sections = [Section("\n".join(what) or "Nothing changed.", title="Changed")]
    if moving := moves_schedule(fields):
        sections.append(Section(nothing_moves(interview, moving)))
    known = {p.name.lower() for p in before.interviewers}
    if newcomers := [p for p in interview.interviewers if p.name.lower() not in known]:
        sections.append(Section(no_thank_you_when_closed(
            interview, newcomers, whats_due.in_time_for_a_newcomers_thank_you(interview, ctx.now))))
    return Reply(title=_updated(interview, what), sections=sections)


def _updated(interview: Interview, what: list[str]) -> str:
    """The title of an update's answer: the same fields typed again change nothing, and it says so."""
    if what:
        return f"Updated {interview_label(interview)}."
    return f"Nothing changed on {interview_label(interview)}: it already says that."


def interview_changes(before: Interview, after: Interview, ctx: Context) -> list[str]:
    """`role: Analyst → Senior Analyst`, one line per field that changed, in the member's zone."""
    today = policy.to_local(ctx.now, ctx.rules).date()

    def shown(value: object) -> str:
        if value is None or value == "" or value == []:
            return "(none)"
        if isinstance(value, datetime):
            return moment(value, ctx.rules, ctx.now)
        if isinstance(value, date):
            return day_words(value, today)
        if isinstance(value, timedelta):
            return f"{int(value.total_seconds() // 60)} min"
        if isinstance(value, list):
            return ", ".join(map(str, value))
        return str(getattr(value, "value", value))

    lines = []
    for label, attr in (("company", "company"), ("role", "role"), ("when", "starts_at"), ("length", "duration"),
                        ("decision", "decision_on"), ("topics", "topics"), ("you promised", "promised"),
                        ("they promised", "their_promise"), ("point", "point"), ("news", "news"), ("tone", "tone"),
                        ("kind", "kind")):
        old, new = getattr(before, attr), getattr(after, attr)
        if old != new:
            lines.append(f"{label}: {shown(old)} → {shown(new)}")
    names_before = [display_name(p.name) for p in before.interviewers]
    names_after = [display_name(p.name) for p in after.interviewers]
    added = [n for n in names_after if n not in names_before]
    removed = [n for n in names_before if n not in names_after]
    if added:
        lines.append("added: " + ", ".join(added))
    if removed:
        lines.append("removed: " + ", ".join(removed))
    for old_person in before.interviewers:
        new_person = next((p for p in after.interviewers if p.name == old_person.name), None)
        if new_person is not None and new_person != old_person:
            lines.append(f"{display_name(new_person.name)}: details updated")
    return lines


async def list_interviews(ctx: Context, cmd: c.ListInterviews) -> Reply:
    assert ctx.user.id is not None
    everything = await ctx.tx.summaries(ctx.user.id, include_closed=True)
    # without `all`: the active ones, and ghosted ones whose stay-in-touch note is still to come
    interviews = everything if cmd.all else [
        i for i in everything
        if i.status.is_active or (i.status is InterviewStatus.GHOSTED and i.next_step is not None)]
    if not interviews and not cmd.all and everything:
        return Reply(title="No active interviews. /interview list all shows the closed ones.")
    if not interviews:
        return Reply(title="No interviews logged yet.", sections=[Section(
            "Log one with /interview add company: Horizon Marketing; role: Marketing Coordinator; "
            "when: yesterday 2pm")])
    far = ctx.now + timedelta(days=36500)
    interviews.sort(key=lambda i: (not i.status.is_active, i.next_step.due_at if i.next_step else far, i.number))
    lines = []
    for interview in interviews:
        label = interview_label(interview)
        step = interview.next_step
        if not interview.status.is_active:
            lines.append(f"{label}: {interview.status.value}"
                         + (f"; {step_words(step, interview.not_thanked, ctx.rules, ctx.now)}" if step else ""))
        elif step is None:
            lines.append(f"{label}: nothing due; waiting to hear back")
        elif step.kind is StepKind.THANK_YOU and ctx.now < whats_due.thank_you_opens_at(step):
            lines.append(f"{label}: upcoming, ends {moment(whats_due.thank_you_opens_at(step), ctx.rules, ctx.now)}; "
                         "the thank-you comes after it")
        elif step.kind is StepKind.THANK_YOU and step.due_at < ctx.now and \
                (folded := await _folded_advice(ctx, interview.number)) is not None:
            lines.append(f"{label}: {folded}")
        else:
            lines.append(f"{label}: {step_words(step, interview.not_thanked, ctx.rules, ctx.now)}")
    title = "Your interviews" if cmd.all else "Your active interviews, soonest step first"
    return Reply(title=title, sections=[Section("\n".join(lines))])


async def _folded_advice(ctx: Context, number: int) -> str | None:
    """For an interview whose thank-you is late: when a check-in has fallen due too, the one piece of
    advice (a check-in that also thanks them); None otherwise. Read only for late thank-yous."""
    interview = await ctx.tx.interview(ctx.user_id, number)
    if interview is None:
        return None
    step = whats_due.due_now(interview, ctx.now)
    if step is None or whats_due.check_in_with_it(interview, step, ctx.now) is None:
        return None
    return together_words(interview)


def together_words(interview: Interview) -> str:
    """A late thank-you and a due check-in: the one piece of advice."""
    main = interview.main_contact
    return ("thank-you and check-in both due now: one note to each person, not two; the one to "
            f"{main.name if main else 'your main contact'} also asks for news (/interview draft #{interview.number})")


async def show(ctx: Context, cmd: c.Show) -> Reply:
    interview = await ctx.interview(cmd.number, cmd.company)
    today = policy.to_local(ctx.now, ctx.rules).date()
    status = interview.status.value
    if interview.status.is_active and not whats_due.has_ended(interview, ctx.now):
        status = "upcoming (the thank-you comes once it has ended)"
    minutes = int(interview.duration.total_seconds() // 60)
    facts = [f"When: {moment(interview.starts_at, ctx.rules, ctx.now)} ({minutes} min)",
             f"Kind: {interview.kind.value}; status: {status}; round {interview.round}"]
    if interview.decision_on:
        facts.append(f"They'll decide by: {day_words(interview.decision_on, today)}")
    def of_round(note: str) -> str:  # a note of an earlier round: on record, not in this round's drafts
        return "" if interview.this_rounds(note) else f" (round {interview.noted_in(note)})"

    if interview.their_promise:
        facts.append(f"They promised{of_round('they-promised')}: {interview.their_promise}")
    if interview.offer_deadline:
        facts.append(f"Offer elsewhere, deadline: {day_words(interview.offer_deadline, today)}")
    if interview.topics:
        facts.append(f"Topics{of_round('topics')}: " + ", ".join(interview.topics))
    if interview.promised:
        facts.append(f"You promised{of_round('promised')}: {interview.promised}")
    if interview.point:
        facts.append(f"Point to add{of_round('point')}: {interview.point}")
    if interview.news:
        facts.append(f"News (for the stay-in-touch note): {interview.news}")
    if interview.tone:
        facts.append(f"Tone: {interview.tone.value}")
    people = []
    for p in interview.interviewers:
        line = " ".join(x for x in (p.honorific, display_name(p.name)) if x)
        if p.title:
            line += f" ({p.title})"
        if p.recruiter:
            line += " [main contact]"
        if p.email:
            line += f" <{p.email}>"
        if p.topic:
            line += f" — about {p.topic}"
        if p.thanked_at:
            line += f" — thanked {moment(p.thanked_at, ctx.rules, ctx.now)}"
        people.append("• " + line)
    now_step = whats_due.due_now(interview, ctx.now)
    if now_step is not None and whats_due.check_in_with_it(interview, now_step, ctx.now) is not None:
        facts.append("Now: " + together_words(interview))
    sections = [Section("\n".join(facts)),
                Section("\n".join(people) or "No interviewers yet.", title="People"),
                schedule_section(interview, ctx.rules, ctx.now)]
    earlier = [s for s in interview.steps if s.round != interview.round]
    if earlier:
        sections.append(Section("\n".join(f"• round {s.round}: {step_line(s, interview, ctx.rules, ctx.now)}"
                                          for s in earlier), title="Earlier rounds"))
    return Reply(title=interview_label(interview), sections=sections,
                 actions=step_actions(interview, ctx.now, ctx.rules))
