"""The use cases every adapter calls: one store transaction each, ownership checked on every #N.

`handle(actor, text)` reads a command with the grammar and runs it; `run(actor, command)` runs a
command value that a form or a button built. Bad input gets a short, specific answer and changes
nothing: the transaction is rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from bot import commands as c
from bot import grammar, policy, your_data
from bot.actor import Actor
from bot.domain import (
    DRAFT_FOR_STEP,
    Candidate,
    DraftKind,
    Interview,
    Interviewer,
    InterviewKind,
    InterviewStatus,
    Rules,
    Step,
    StepKind,
    StepStatus,
    Tone,
    UserSettings,
)
from bot.drafts.render import render_drafts
from bot.humanize import STEP_NAMES, interview_label, moment, relative, step_line
from bot.ports import Clock, Store, StoreSession
from bot.replies import Action, Draft, FileOut, Form, FormField, Reply, Section, error
from bot.timeparse import TimeError, parse_date, parse_duration, parse_snooze, parse_when

log = logging.getLogger(__name__)

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

SETTINGS_KEYS = ("name", "email", "phone", "tz", "quiet", "morning", "tone")


class _Rejected(Exception):
    """Bad input found mid-way: roll the transaction back and answer with the reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.title)
        self.reply = reply


def refuse(message: str) -> _Rejected:
    return _Rejected(error(message))


@dataclass
class Context:
    """What one use case sees: its transaction, the user, their rules, the time."""

    tx: StoreSession
    actor: Actor
    user: UserSettings
    rules: Rules
    now: datetime
    wake_at: list[datetime]

    def scheduled(self, steps: Sequence[Step]) -> None:
        self.wake_at.extend(s.notify_at for s in steps if s.notify_at is not None)


Handler = Callable[[Context, Any], Awaitable[Reply]]


class Service:
    def __init__(self, store: Store, clock: Clock, default_tz: str = "UTC",
                 wake: Callable[[datetime], None] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.default_tz = default_tz
        self.wake = wake
        self._handlers: dict[type, Handler] = {
            c.Add: self._add,
            c.ListInterviews: self._list,
            c.Show: self._show,
            c.Update: self._update,
            c.DraftRequest: self._draft,
            c.MarkSent: self._sent,
            c.Snooze: self._snooze,
            c.Heard: self._heard,
            c.OfferElsewhere: self._offer_elsewhere,
            c.Settings: self._settings,
            c.Help: self._help,
            c.Calendar: self._calendar,
            c.Export: self._export,
            c.Forget: self._forget,
        }
        self.extra_handlers: dict[type, Handler] = {}

    # ------------------------------------------------------------------ entry points

    async def handle(self, actor: Actor, text: str) -> Reply:
        try:
            command = grammar.parse(text)
        except Exception:  # the grammar never raises; this is a last line of defence
            log.exception("grammar failed")
            return error("Sorry, I couldn't read that. Try /interview help.")
        if isinstance(command, c.GrammarError):
            return error(command.message)
        return await self.run(actor, command)

    async def run(self, actor: Actor, command: c.Command) -> Reply:
        handler = self._handlers.get(type(command)) or self.extra_handlers.get(type(command))
        if handler is None:
            return error("That command isn't available here yet. Try /interview help.")
        wake_at: list[datetime] = []
        try:
            async with self.store.transaction() as tx:
                ctx = await self._context(tx, actor, wake_at)
                reply = await handler(ctx, command)
                if reply.error:
                    raise _Rejected(reply)
                reply.notices[:0] = await self._notices(ctx)
        except _Rejected as rejected:
            return rejected.reply
        except Exception:
            log.exception("command %s failed", type(command).__name__)
            return error("Something went wrong on our side and nothing was changed. Please try again.")
        self._wake(wake_at)
        return reply

    async def interview_choices(self, actor: Actor, typed: str = "", limit: int = 25) -> list[tuple[int, str]]:
        """The user's own interviews for autocomplete, matching what they typed."""
        needle = typed.strip().lstrip("#").lower()
        async with self.store.transaction() as tx:
            user = await tx.user(actor.platform, actor.community, actor.external_id)
            if user is None or user.id is None:
                return []
            found = await tx.interviews(user.id, include_closed=True)
        found.sort(key=lambda i: (not i.status.is_active, -i.number))
        out = []
        for interview in found:
            label = interview_label(interview)
            if needle and needle not in label.lower():
                continue
            out.append((interview.number, label[:100]))
            if len(out) >= limit:
                break
        return out

    async def reminder_message(self, interview_id: int, step_ids: Sequence[int], now: datetime) -> Reply | None:
        """The DM for due steps of one interview (several folded into one), or None when none of
        them is still open. A no-reply step marks the interview ghosted and plans stay-in-touch."""
        from bot.reminder_messages import compose_reminder

        wake_at: list[datetime] = []
        async with self.store.transaction() as tx:
            interview = await tx.interview_by_id(interview_id)
            if interview is None:
                return None
            user = await tx.user_by_id(interview.user_id)
            if user is None:
                return None
            defaults = await tx.community_defaults(user.platform, user.community)
            rules = Rules.resolve(user, defaults, self.default_tz)
            due = [s for s in interview.steps if s.id in set(step_ids) and s.is_open]
            if not due:
                return None
            if any(s.kind is StepKind.NO_REPLY for s in due):
                follow = policy.ghost(interview, rules, now)
                if follow is not None:
                    interview.steps.append(follow)
                    wake_at.extend([follow.notify_at] if follow.notify_at else [])
                await tx.save_interview(interview)
            templates = await self.community_templates(tx, user)
            reply = compose_reminder(interview, due, user, rules, now,
                                     lambda *a, **k: self.drafts_for(*a, templates=templates, **k))
        self._wake(wake_at)
        return reply

    # ------------------------------------------------------------------ shared pieces

    async def _context(self, tx: StoreSession, actor: Actor, wake_at: list[datetime]) -> Context:
        now = self.clock.now()
        user = await tx.user(actor.platform, actor.community, actor.external_id)
        if user is None:
            user = UserSettings(platform=actor.platform, community=actor.community,
                                external_id=actor.external_id, created_at=now)
        user.last_seen_at = now
        user = await tx.save_user(user)
        defaults = await tx.community_defaults(actor.platform, actor.community)
        rules = Rules.resolve(user, defaults, actor.tz_hint or self.default_tz)
        return Context(tx=tx, actor=actor, user=user, rules=rules, now=now, wake_at=wake_at)

    async def _notices(self, ctx: Context) -> list[str]:
        assert ctx.user.id is not None
        notices = []
        failed = await ctx.tx.undelivered_steps(ctx.user.id)
        if failed:
            for step in failed:
                interview = await ctx.tx.interview_by_id(step.interview_id or 0)
                label = interview_label(interview) if interview else "an interview"
                notices.append(
                    f"A reminder could not be delivered to you ({STEP_NAMES[step.kind]} for {label}: "
                    f"{step.last_error or 'unknown reason'}). It is still due: see /interview list."
                )
            await ctx.tx.mark_user_told([s.id for s in failed if s.id is not None])
        if ctx.user.tz is None and ctx.actor.tz_hint is None and ctx.actor.platform != "console" \
                and ctx.user.created_at == ctx.now:
            notices.append("Welcome! Tell me your time zone so reminders come at the right hour: "
                           "/interview settings tz: Europe/Berlin")
        return notices

    def _wake(self, moments: list[datetime]) -> None:
        if self.wake is not None and moments:
            try:
                self.wake(min(moments))
            except Exception:
                log.exception("waking the dispatcher failed")

    async def _interview(self, ctx: Context, number: int) -> Interview:
        assert ctx.user.id is not None
        interview = await ctx.tx.interview(ctx.user.id, number)
        if interview is None:
            raise refuse(f"You have no interview #{number}. See yours with /interview list.")
        return interview

    @staticmethod
    async def community_templates(tx: StoreSession, user: UserSettings) -> dict[str, str]:
        """The community's approved templates by draft kind (the built-in ones where none)."""
        return await tx.community_templates(user.platform, user.community)

    @staticmethod
    def drafts_for(kind: DraftKind, interview: Interview, user: UserSettings, rules: Rules,
                   templates: dict[str, str], to: Interviewer | None = None, late: bool = False) -> list[Draft]:
        tone = interview.tone or rules.tone
        return render_drafts(kind, interview, Candidate.of(user), tone, to=to, late=late, tz=rules.tz,
                             template_source=templates.get(kind.value))

    def _read(self, parsed: Any, what: str) -> Any:
        if isinstance(parsed, TimeError):
            raise refuse(parsed.message)
        return parsed

    def _schedule_section(self, interview: Interview, rules: Rules, now: datetime) -> Section:
        steps = sorted(interview.steps, key=lambda s: (s.round, s.due_at))
        lines = [f"• {step_line(s, interview, rules, now)}" for s in steps if s.round == interview.round]
        return Section(title="Follow-ups", text="\n".join(lines) or "Nothing scheduled.")

    def _step_actions(self, interview: Interview) -> list[Action]:
        n = interview.number
        step = interview.next_step()
        actions = []
        if step is not None:
            kind = step.kind.value
            draft_kind = DRAFT_FOR_STEP[step.kind].value
            actions.append(Action("Show drafts", f"draft #{n} {draft_kind}", "primary"))
            if step.kind is not StepKind.NO_REPLY:
                actions.append(Action("Mark sent", f"sent #{n} {kind}"))
            actions.append(Action("Snooze 1 day", f"snooze #{n} 1d"))
        return actions

    # ------------------------------------------------------------------ add / update

    async def _add(self, ctx: Context, cmd: c.Add) -> Reply:
        if cmd.fields is None:
            return Reply(title="Tell me about the interview.", form=ADD_FORM)
        f = cmd.fields
        missing = [k for k, v in (("company", f.company), ("role", f.role), ("when", f.when)) if not v]
        if missing:
            raise refuse(f"Missing {', '.join(missing)}. Example: /interview add company: Horizon Marketing; "
                         "role: Marketing Coordinator; when: yesterday 2pm")
        assert ctx.user.id is not None and f.company and f.role and f.when
        starts_at = self._read(parse_when(f.when, ctx.rules.tz, ctx.now, prefer="nearest"), "when")
        interview = Interview(user_id=ctx.user.id, company=f.company, role=f.role, starts_at=starts_at,
                              created_at=ctx.now)
        self._apply_fields(ctx, interview, f)
        if interview.kind is InterviewKind.INTERVIEW:
            interview.steps = policy.first_cycle(interview, ctx.rules, ctx.now)
        else:  # informational chats, networking, career fairs: thank-you, then stay in touch
            interview.steps = [policy.thank_you(interview, ctx.rules, ctx.now),
                               policy.stay_in_touch(interview, interview.starts_at, ctx.rules, ctx.now)]
        interview = await ctx.tx.add_interview(interview)
        ctx.scheduled(interview.steps)
        when = moment(interview.starts_at, ctx.rules)
        reply = Reply(title=f"Logged #{interview.number}: {interview.role} at {interview.company} ({when}).",
                      sections=[self._schedule_section(interview, ctx.rules, ctx.now)],
                      actions=self._step_actions(interview))
        if not interview.interviewers:
            reply.sections.append(Section(
                f"Add who you met so each gets a personal thank-you: /interview update #{interview.number} "
                "with: Ms. Jane Richardson (Marketing Director) <jane@example.com> about the launch"))
        return reply

    def _apply_fields(self, ctx: Context, interview: Interview, f: c.Fields) -> None:
        if f.company:
            interview.company = f.company
        if f.role:
            interview.role = f.role
        if f.length:
            length = self._read(parse_duration(f.length), "length")
            if not timedelta(minutes=5) <= length <= timedelta(hours=12):
                raise refuse(f'A length of "{f.length}" is out of range: give 5 minutes to 12 hours, e.g. 45m.')
            interview.duration = length
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
        if f.decision:
            interview.decision_on = self._read(parse_date(f.decision, ctx.rules.tz, ctx.now, prefer="future"),
                                               "decision")
        if f.promised is not None:
            interview.promised = f.promised or None
        if f.point is not None:
            interview.point = f.point or None
        if f.tone is not None:
            interview.tone = f.tone
        if f.kind is not None:
            interview.kind = f.kind

    async def _update(self, ctx: Context, cmd: c.Update) -> Reply:
        interview = await self._interview(ctx, cmd.number)
        before_start, before_decision, before_length = interview.starts_at, interview.decision_on, interview.duration
        if cmd.fields.when:
            interview.starts_at = self._read(parse_when(cmd.fields.when, ctx.rules.tz, ctx.now, prefer="nearest"),
                                             "when")
        self._apply_fields(ctx, interview, cmd.fields)
        changed: list[Step] = []
        if (interview.starts_at, interview.duration) != (before_start, before_length):
            ty = interview.step(StepKind.THANK_YOU)
            if ty is not None and ty.is_open:
                fresh = policy.thank_you(interview, ctx.rules, ctx.now)
                ty.due_at, ty.notify_at, ty.dm_count = fresh.due_at, fresh.notify_at, 0
                changed.append(ty)
        if (interview.starts_at, interview.decision_on) != (before_start, before_decision):
            moved = policy.reschedule_check_in(interview, ctx.rules, ctx.now)
            if moved is not None:
                changed.append(moved)
        await ctx.tx.save_interview(interview)
        ctx.scheduled(changed)
        return Reply(title=f"Updated {interview_label(interview)}.",
                     sections=[self._schedule_section(interview, ctx.rules, ctx.now)],
                     actions=self._step_actions(interview))

    # ------------------------------------------------------------------ list / show

    async def _list(self, ctx: Context, cmd: c.ListInterviews) -> Reply:
        assert ctx.user.id is not None
        interviews = await ctx.tx.interviews(ctx.user.id, include_closed=cmd.all)
        if not interviews and not cmd.all and await ctx.tx.interviews(ctx.user.id, include_closed=True):
            return Reply(title="No active interviews. /interview list all shows the closed ones.")
        if not interviews:
            return Reply(title="No interviews logged yet.", sections=[Section(
                "Log one with /interview add company: Horizon Marketing; role: Marketing Coordinator; "
                "when: yesterday 2pm")])
        far = ctx.now + timedelta(days=36500)

        def soonest(i: Interview) -> tuple[int, datetime]:
            step = i.next_step()
            return (0 if i.status.is_active else 1, step.due_at if step else far)

        lines = []
        for interview in sorted(interviews, key=soonest):
            step = interview.next_step()
            if not interview.status.is_active:
                lines.append(f"{interview_label(interview)}: {interview.status.value}"
                             + (f"; {step_line(step, interview, ctx.rules, ctx.now)}" if step else ""))
            elif step is None:
                lines.append(f"{interview_label(interview)}: nothing due; waiting to hear back")
            else:
                lines.append(f"{interview_label(interview)}: {step_line(step, interview, ctx.rules, ctx.now)}")
        title = "Your interviews" if cmd.all else "Your active interviews, soonest step first"
        return Reply(title=title, sections=[Section("\n".join(lines))])

    async def _show(self, ctx: Context, cmd: c.Show) -> Reply:
        interview = await self._interview(ctx, cmd.number)
        facts = [f"When: {moment(interview.starts_at, ctx.rules)} ({int(interview.duration.total_seconds() // 60)} min)",
                 f"Kind: {interview.kind.value}; status: {interview.status.value}; round {interview.round}"]
        if interview.decision_on:
            facts.append(f"They'll decide by: {interview.decision_on:%A, %B} {interview.decision_on.day}")
        if interview.offer_deadline:
            facts.append(f"Offer elsewhere, deadline: {interview.offer_deadline:%A, %B} {interview.offer_deadline.day}")
        if interview.topics:
            facts.append("Topics: " + ", ".join(interview.topics))
        if interview.promised:
            facts.append(f"You promised: {interview.promised}")
        if interview.point:
            facts.append(f"Point to add: {interview.point}")
        if interview.tone:
            facts.append(f"Tone: {interview.tone.value}")
        people = []
        for p in interview.interviewers:
            line = " ".join(x for x in (p.honorific, p.name) if x)
            if p.title:
                line += f" ({p.title})"
            if p.recruiter:
                line += " [main contact]"
            if p.email:
                line += f" <{p.email}>"
            if p.topic:
                line += f" — about {p.topic}"
            if p.thanked_at:
                line += f" — thanked {moment(p.thanked_at, ctx.rules)}"
            people.append("• " + line)
        sections = [Section("\n".join(facts)),
                    Section("\n".join(people) or "No interviewers yet.", title="People"),
                    self._schedule_section(interview, ctx.rules, ctx.now)]
        earlier = [s for s in interview.steps if s.round != interview.round]
        if earlier:
            sections.append(Section("\n".join(f"• round {s.round}: {step_line(s, interview, ctx.rules, ctx.now)}"
                                              for s in earlier), title="Earlier rounds"))
        return Reply(title=interview_label(interview), sections=sections, actions=self._step_actions(interview))

    # ------------------------------------------------------------------ drafts

    def _draft_kind_for(self, interview: Interview) -> DraftKind:
        step = interview.next_step()
        if step is not None:
            return DRAFT_FOR_STEP[step.kind]
        if interview.status in (InterviewStatus.REJECTED, InterviewStatus.GHOSTED):
            return DraftKind.STAY_IN_TOUCH
        return DraftKind.CHECK_IN

    async def _draft(self, ctx: Context, cmd: c.DraftRequest) -> Reply:
        interview = await self._interview(ctx, cmd.number)
        kind = cmd.kind or self._draft_kind_for(interview)
        to = None
        if cmd.to:
            to = interview.find_interviewer(cmd.to)
            if to is None:
                names = ", ".join(p.name for p in interview.interviewers) or "nobody yet"
                raise refuse(f'Nobody called "{cmd.to}" is listed on #{interview.number} (listed: {names}).')
        step_kind = StepKind(kind.value) if kind.value in StepKind._value2member_map_ else None
        if step_kind in policy.CHECK_IN_KINDS:
            assert step_kind is not None
            refusal = policy.may_check_in(interview, step_kind, ctx.now, ctx.rules)
            if refusal is not None:
                raise refuse(refusal.message)
        ty = interview.step(StepKind.THANK_YOU)
        late = kind is DraftKind.THANK_YOU and ty is not None and ctx.now > ty.due_at
        drafts = self.drafts_for(kind, interview, ctx.user, ctx.rules, await self.community_templates(ctx.tx, ctx.user),
                                 to=to, late=late)
        title = f"{kind.value} draft{'s' if len(drafts) > 1 else ''} for {interview_label(interview)}"
        reply = Reply(title=title, drafts=drafts)
        if late:
            reply.sections.append(Section("The 24-hour window has passed, so this draft doesn't pretend to be "
                                          "on time. Sending it today is still worth it."))
        open_step = interview.step(step_kind) if step_kind is not None else None
        if step_kind is not None and open_step is not None and open_step.is_open:
            reply.actions.append(Action("Mark sent", f"sent #{interview.number} {step_kind.value}", "primary"))
        return reply

    # ------------------------------------------------------------------ sent / snooze

    def _open_step(self, interview: Interview, kind: StepKind | None) -> Step:
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

    async def _sent(self, ctx: Context, cmd: c.MarkSent) -> Reply:
        interview = await self._interview(ctx, cmd.number)
        step = self._open_step(interview, cmd.kind)
        n = interview.number
        if cmd.to:
            if step.kind is not StepKind.THANK_YOU:
                raise refuse("`to:` works with thank-yous, which go to each interviewer separately.")
            person = interview.find_interviewer(cmd.to)
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
        reply = Reply(title=title, sections=[self._schedule_section(interview, ctx.rules, ctx.now)])
        if step.kind is StepKind.CHECK_IN_2:
            reply.sections.append(Section("That was the last e-mail check-in. If a week passes with no reply, "
                                          "I'll suggest a phone call or moving on."))
        return reply

    async def _snooze(self, ctx: Context, cmd: c.Snooze) -> Reply:
        interview = await self._interview(ctx, cmd.number)
        step = self._open_step(interview, None)
        if cmd.until:
            until = self._read(parse_snooze(cmd.until, ctx.rules.tz, ctx.now), "snooze")
        else:
            until = ctx.now + timedelta(days=1)
        if until <= ctx.now:
            raise refuse(f'"{cmd.until}" is in the past. Try "2h", "3d" or "tomorrow 9am".')
        if until > ctx.now + timedelta(days=365):
            raise refuse("Snooze for at most a year.")
        warning = policy.snooze(step, until, ctx.now)
        await ctx.tx.save_interview(interview)
        ctx.scheduled([step])
        reply = Reply(title=f"Snoozed the {STEP_NAMES[step.kind]} for #{interview.number} until "
                            f"{moment(until, ctx.rules)} ({relative(until, ctx.now)}).")
        if warning:
            reply.sections.append(Section(warning))
        return reply

    # ------------------------------------------------------------------ news

    async def _heard(self, ctx: Context, cmd: c.Heard) -> Reply:
        interview = await self._interview(ctx, cmd.number)
        n = interview.number
        news = cmd.news
        if news is c.NewsKind.DECISION:
            if not cmd.when:
                raise refuse(f"When will they decide? Example: /interview heard #{n} decision next Friday")
            interview.decision_on = self._read(parse_date(cmd.when, ctx.rules.tz, ctx.now, prefer="future"),
                                               "decision")
            moved = policy.reschedule_check_in(interview, ctx.rules, ctx.now)
            await ctx.tx.save_interview(interview)
            ctx.scheduled([moved] if moved else [])
            return Reply(title=f"Noted: {interview.company} will decide by {interview.decision_on:%A, %B} "
                               f"{interview.decision_on.day}.",
                         sections=[self._schedule_section(interview, ctx.rules, ctx.now)])
        if news is c.NewsKind.NEXT_ROUND:
            if not cmd.when:
                raise refuse(f"When is the next round? Example: /interview heard #{n} next round Tuesday 10:00")
            starts_at = self._read(parse_when(cmd.when, ctx.rules.tz, ctx.now, prefer="future"), "next round")
            policy.cancel_open_steps(interview, ctx.now)
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
            return Reply(title=f"Congratulations on the next round with {interview.company}! Round "
                               f"{interview.round} is on {moment(starts_at, ctx.rules)}.",
                         sections=[self._schedule_section(interview, ctx.rules, ctx.now),
                                   Section(f"Add new interviewers with /interview update #{n} with: ...")])
        if not interview.status.is_active and news is not c.NewsKind.OFFER:
            raise refuse(f"#{n} is already closed ({interview.status.value}).")
        policy.cancel_open_steps(interview, ctx.now)
        interview.heard_at = ctx.now
        if news is c.NewsKind.OFFER:
            interview.status = InterviewStatus.OFFER
            await ctx.tx.save_interview(interview)
            return Reply(title=f"Congratulations on the offer from {interview.company}! 🎉",
                         sections=[Section("I've cancelled the pending follow-ups for this interview.")])
        if news is c.NewsKind.WITHDRAWN:
            interview.status = InterviewStatus.WITHDRAWN
            await ctx.tx.save_interview(interview)
            return Reply(title=f"Noted: you withdrew from {interview.company}. Pending follow-ups are cancelled.")
        interview.status = InterviewStatus.REJECTED
        reply_step = policy.immediate(StepKind.REJECTION, interview, ctx.now)
        later = policy.stay_in_touch(interview, ctx.now, ctx.rules, ctx.now)
        interview.steps.extend([reply_step, later])
        await ctx.tx.save_interview(interview)
        ctx.scheduled([later])
        drafts = self.drafts_for(DraftKind.REJECTION, interview, ctx.user, ctx.rules,
                                 await self.community_templates(ctx.tx, ctx.user))
        return Reply(
            title=f"I'm sorry about {interview.company}. A gracious reply keeps the door open.",
            sections=[Section(f"Here is a reply to send now. I'll remind you to stay in touch around "
                              f"{moment(later.due_at, ctx.rules)}.")],
            drafts=drafts,
            actions=[Action("Mark reply sent", f"sent #{n} rejection", "primary")])

    async def _offer_elsewhere(self, ctx: Context, cmd: c.OfferElsewhere) -> Reply:
        interview = await self._interview(ctx, cmd.number)
        if not interview.status.is_active:
            raise refuse(f"#{interview.number} is already closed ({interview.status.value}).")
        deadline = self._read(parse_date(cmd.deadline, ctx.rules.tz, ctx.now, prefer="future"), "deadline")
        interview.offer_deadline = deadline
        if interview.decision_on is not None and deadline >= interview.decision_on:
            await ctx.tx.save_interview(interview)
            return Reply(title=f"Noted your offer deadline ({deadline:%A, %B} {deadline.day}).",
                         sections=[Section(f"{interview.company} decides by {interview.decision_on:%A, %B} "
                                           f"{interview.decision_on.day}, before your deadline, so there is no need "
                                           "to nudge them yet.")])
        existing = interview.step(StepKind.TIMELINE)
        if existing is None or not existing.is_open:
            interview.steps.append(policy.immediate(StepKind.TIMELINE, interview, ctx.now))
        await ctx.tx.save_interview(interview)
        drafts = self.drafts_for(DraftKind.TIMELINE, interview, ctx.user, ctx.rules,
                                 await self.community_templates(ctx.tx, ctx.user))
        return Reply(title=f"Congratulations on the other offer! Here is a timeline update for {interview.company}.",
                     drafts=drafts,
                     actions=[Action("Mark sent", f"sent #{interview.number} timeline", "primary")])

    # ------------------------------------------------------------------ settings / help

    async def _settings(self, ctx: Context, cmd: c.Settings) -> Reply:
        user = ctx.user
        values = dict(cmd.values)
        for key, value in values.items():
            if key in ("name", "email", "phone"):
                setattr(user, key, value or None)
            elif key == "tz":
                user.tz = value
            elif key == "tone":
                user.tone = Tone(value)
            elif key == "morning":
                user.morning = time.fromisoformat(value)
            elif key == "quiet":
                start, end = value.split("-")
                user.quiet_start, user.quiet_end = time.fromisoformat(start), time.fromisoformat(end)
        if values:
            await ctx.tx.save_user(user)
        defaults = await ctx.tx.community_defaults(user.platform, user.community)
        rules = Rules.resolve(user, defaults, ctx.actor.tz_hint or self.default_tz)
        shown = [
            f"Name: {user.name or '(not set: your drafts need it)'}",
            f"E-mail: {user.email or '(not set)'}",
            f"Phone: {user.phone or '(not set)'}",
            f"Time zone: {rules.tz}" + ("" if user.tz else " (default)"),
            f"Quiet hours: {rules.quiet_start:%H:%M}-{rules.quiet_end:%H:%M}",
            f"Morning reminders at: {rules.morning:%H:%M}",
            f"Tone: {rules.tone.value}",
        ]
        title = "Settings saved." if values else "Your settings"
        form = None if values else settings_form(user, rules)
        if values and ("tz" in values or "quiet" in values or "morning" in values):
            await self._reschedule_for_rules(ctx, rules)
        return Reply(title=title, sections=[Section("\n".join(shown))], form=form)

    async def _reschedule_for_rules(self, ctx: Context, rules: Rules) -> None:
        """A new zone, morning or quiet hours moves the pending morning reminders."""
        assert ctx.user.id is not None
        for interview in await ctx.tx.interviews(ctx.user.id):
            changed = []
            for step in interview.open_steps():
                if step.status is StepStatus.SNOOZED or step.kind is StepKind.THANK_YOU or step.notify_at is None:
                    continue
                if step.kind is StepKind.CHECK_IN:
                    fresh = policy.check_in(interview, rules, ctx.now)
                    step.due_at, step.notify_at = fresh.due_at, fresh.notify_at
                else:
                    local_day = policy.to_local(step.due_at, ctx.rules).date()
                    step.due_at = policy.morning_of(local_day, rules)
                    step.notify_at = policy.earliest_delivery(max(step.due_at, ctx.now), rules, step.kind)
                changed.append(step)
            if changed:
                await ctx.tx.save_interview(interview)
                ctx.scheduled(changed)

    async def _calendar(self, ctx: Context, cmd: c.Calendar) -> Reply:
        assert ctx.user.id is not None
        interviews = await ctx.tx.interviews(ctx.user.id)
        file = your_data.calendar_ics(interviews, ctx.rules, ctx.now)
        count = sum(len(i.open_steps()) for i in interviews)
        return Reply(title=f"Your calendar of {count} upcoming follow-up{'s' if count != 1 else ''}.",
                     sections=[Section("Import the .ics file into Google Calendar, Outlook or Apple Calendar.")],
                     files=[file])

    async def _export(self, ctx: Context, cmd: c.Export) -> Reply:
        assert ctx.user.id is not None
        interviews = await ctx.tx.interviews(ctx.user.id, include_closed=True)
        profile = {"platform": ctx.user.platform, "community": ctx.user.community, "user": ctx.user.external_id,
                   "name": ctx.user.name, "email": ctx.user.email, "phone": ctx.user.phone, "tz": ctx.rules.tz,
                   "tone": ctx.rules.tone.value}
        files = [your_data.export_json(profile, interviews, ctx.rules, ctx.now)]
        files.extend(self.extra_exports(interviews, ctx.rules))
        return Reply(title=f"All your data: {len(interviews)} interview{'s' if len(interviews) != 1 else ''}.",
                     files=files)

    def extra_exports(self, interviews: list[Interview], rules: Rules) -> list[FileOut]:
        return []

    async def _forget(self, ctx: Context, cmd: c.Forget) -> Reply:
        assert ctx.user.id is not None
        if not cmd.confirm:
            count = len(await ctx.tx.interviews(ctx.user.id, include_closed=True))
            return Reply(title=f"This deletes everything I keep about you: {count} interview"
                               f"{'s' if count != 1 else ''}, every reminder and your settings. It cannot be undone.",
                         sections=[Section("To go ahead: /interview forget confirm. You can take a copy first "
                                           "with /interview export.")],
                         actions=[Action("Delete everything", "forget confirm", "danger")])
        rows = await ctx.tx.forget_user(ctx.user.id)
        log.info("user data forgotten (%d rows)", rows)
        return Reply(title="Done: I deleted all your interviews, reminders and settings. "
                           "Nothing of yours is left here.")

    async def _help(self, ctx: Context, cmd: c.Help) -> Reply:
        from bot.help import help_text

        return Reply(title="Followthrough: your interview follow-up assistant", sections=[Section(help_text(cmd.topic))])


def settings_form(user: UserSettings, rules: Rules) -> Form:
    return Form(command="settings", title="Your settings", fields=(
        FormField("name", "Your full name (signs your drafts)", initial=user.name),
        FormField("email", "Your e-mail", initial=user.email),
        FormField("phone", "Your phone", initial=user.phone),
        FormField("tz", "Time zone (IANA, e.g. Europe/Berlin)", initial=rules.tz),
        FormField("tone", "Tone: formal or casual", initial=rules.tone.value),
    ))

