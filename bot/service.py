"""The use cases every adapter calls: one store transaction each, ownership checked on every #N.

`handle(actor, text)` reads a command with the grammar and runs it; `run(actor, command)` runs a
command value that a form or a button built. Bad input gets a short, specific answer and changes
nothing: the transaction is rolled back. The use cases themselves live in modules named for what
they mean to a job seeker (interviews, drafting, follow_ups, news, your_settings, your_data).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot import commands as c
from bot import drafting, follow_ups, grammar, interviews, news, reminder_messages, time_marks, your_data, your_settings
from bot.actor import Actor
from bot.capabilities import capabilities
from bot.career_center import admin as career_center_admin
from bot.career_center.templates import check_early as check_template_early
from bot.domain import Rules, UserSettings
from bot.help import help_text
from bot.humanize import STEP_NAMES, interview_label
from bot.interviews import ADD_FORM
from bot.ports import Clock, DatabaseUnavailable, Store, StoreSession
from bot.replies import Reply, Section, error
from bot.use_case import Context, Handler, Rejected, drafts_for
from bot.your_settings import settings_form

log = logging.getLogger(__name__)

LAST_SEEN_RESOLUTION = timedelta(days=1)

__all__ = ["ADD_FORM", "Service", "settings_form"]


async def show_help(ctx: Context, cmd: c.Help) -> Reply:
    return Reply(title="Followthrough: your interview follow-up assistant", sections=[Section(help_text(cmd.topic))])


HANDLERS: dict[type, Handler] = {
    c.Add: interviews.add,
    c.ListInterviews: interviews.list_interviews,
    c.Show: interviews.show,
    c.Update: interviews.update,
    c.DraftRequest: drafting.draft,
    c.MarkSent: follow_ups.sent,
    c.Snooze: follow_ups.snooze,
    c.Heard: news.heard,
    c.Reopen: news.reopen,
    c.OfferElsewhere: news.offer_elsewhere,
    c.Settings: your_settings.settings,
    c.Calendar: your_data.calendar,
    c.Export: your_data.export,
    c.Forget: your_data.forget,
    c.Help: show_help,
    c.Admin: career_center_admin.admin,
}


class _NothingKept(Exception):  # noqa: N818 - an answer, not an error
    """A command that only shows things, run by someone the bot had no row for: the row it needed
    for the answer is rolled back with the transaction, so reading never creates a member (nor
    brings back one who asked to be forgotten)."""

    def __init__(self, reply: Reply) -> None:
        super().__init__()
        self.reply = reply


class Service:
    def __init__(self, store: Store, clock: Clock, default_tz: str = "UTC",
                 wake: Callable[[datetime], None] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.default_tz = default_tz
        self.wake = wake
        self.handlers: dict[type, Handler] = dict(HANDLERS)

    # ------------------------------------------------------------------ entry points

    async def handle(self, actor: Actor, text: str) -> Reply:
        try:
            command = grammar.parse(text)
        except Exception:  # the grammar never raises; this is a last line of defence
            log.exception("grammar failed")
            return error("Sorry, I couldn't read that. Try /interview help.")
        if grammar.names_interview_in_words(text) and (companies := await self._companies(actor)):
            command = grammar.parse(text, companies)  # "snooze Next Insurance 3 days": theirs wins
        if isinstance(command, c.GrammarError):
            return error(command.message)
        return await self.run(actor, command)

    async def _companies(self, actor: Actor) -> list[str]:
        """The member's company names, for reading a command that names an interview by its company
        (none when the database cannot be read: then the command reads as if they had none, and
        running it reports the database)."""
        try:
            async with self.store.transaction(read_only=True) as tx:
                user = await tx.user(actor.platform, actor.community, actor.external_id)
                if user is None or user.id is None:
                    return []
                return sorted({i.company for i in await tx.summaries(user.id, include_closed=True)})
        except DatabaseUnavailable:
            return []

    async def run(self, actor: Actor, command: c.Command) -> Reply:
        handler = self.handlers.get(type(command))
        if handler is None:
            return error("That command isn't available here yet. Try /interview help.")
        wake_at: list[datetime] = []
        try:
            if isinstance(command, c.Admin) and command.sub == "template" and actor.is_admin:
                await check_template_early(self.store, actor, command.args)  # seconds, before the write lock
            with time_marks.collecting() as marks:
                async with self.store.transaction() as tx:
                    ctx = await self._context(tx, actor, wake_at)
                    reply = await handler(ctx, command)
                    if reply.error:
                        raise Rejected(reply)
                    if ctx.understood:
                        reply.sections.insert(0, Section("\n".join(ctx.understood), title="I read"))
                    reply.notices[:0] = await self._notices(ctx)
                    reply.time_marks = time_marks.distinct(marks)
                    if ctx.new_member and not capabilities(command).needs_member:
                        raise _NothingKept(reply)  # a first look creates no member row
        except (Rejected, _NothingKept) as answered:
            return answered.reply
        except DatabaseUnavailable as down:
            log.error("command %s: the database is unavailable: %s", type(command).__name__, down.reason)
            return error("I can't reach my database right now, so I did nothing. This needs the bot's operator "
                         "(they can see why in the logs); please try again once it is fixed.")
        except Exception:
            log.exception("command %s failed", type(command).__name__)
            return error("Something went wrong on our side and nothing was changed. Please try again.")
        self._wake(wake_at)
        return reply

    async def interview_choices(self, actor: Actor, typed: str = "", limit: int = 25,
                                active_only: bool = False) -> list[tuple[int, str]]:
        """The user's own interviews (active ones first, or only) matching what they typed: for
        autocomplete and the Slack home tab."""
        needle = typed.strip().lstrip("#").lower()
        async with self.store.transaction(read_only=True) as tx:
            user = await tx.user(actor.platform, actor.community, actor.external_id)
            if user is None or user.id is None:
                return []
            found = await tx.summaries(user.id, include_closed=not active_only)
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
        """The DM for due steps of one interview, or None when none of them is still open (reads
        only; see bot.reminder_messages)."""
        with time_marks.collecting() as marks:
            reply = await reminder_messages.reminder_message(self.store, self.default_tz, drafts_for, interview_id,
                                                             step_ids, now)
        if reply is not None:
            reply.time_marks = time_marks.distinct(marks)
        return reply

    async def settle_after_reminder(self, interview_id: int, step_ids: Sequence[int], now: datetime) -> None:
        """What reminders that went out change (a no-reply one: the interview is ghosted), once."""
        await reminder_messages.settle_after_reminder(self.store, self.default_tz, interview_id, step_ids, now)

    # ------------------------------------------------------------------ shared pieces

    async def _context(self, tx: StoreSession, actor: Actor, wake_at: list[datetime]) -> Context:
        now = self.clock.now()
        user, defaults, undelivered = await tx.member(actor.platform, actor.community, actor.external_id)
        new_member = user is None
        if user is None:
            user = UserSettings(platform=actor.platform, community=actor.community,
                                external_id=actor.external_id, created_at=now)
        back = user.left_at is not None  # a member who left uses the bot again: they are back
        if back or user.id is None or user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_RESOLUTION:
            user.last_seen_at = now  # written at most daily: most commands stay read-only
            user.left_at = None
            user = await tx.save_user(user)
        rules = Rules.resolve(user, defaults, actor.tz_hint or self.default_tz)
        return Context(tx=tx, actor=actor, user=user, rules=rules, now=now, default_tz=self.default_tz,
                       wake_at=wake_at, undelivered=undelivered, new_member=new_member)

    async def _notices(self, ctx: Context) -> list[str]:
        assert ctx.user.id is not None
        notices = []
        failed = await ctx.tx.undelivered_steps(ctx.user.id) if ctx.undelivered else []
        if failed:
            for step in failed:
                interview = await ctx.tx.interview_by_id(step.interview_id or 0)
                label = interview_label(interview) if interview else "an interview"
                notices.append(
                    f"A reminder could not be delivered to you ({STEP_NAMES[step.kind]} for {label}: "
                    f"{step.last_error or 'unknown reason'}). It is still due: see /interview list."
                )
            await ctx.tx.mark_user_told([s.id for s in failed if s.id is not None])
        if ctx.user.created_at == ctx.now:  # the member's first command
            if ctx.user.tz is None and ctx.actor.tz_hint is None and ctx.actor.platform != "console":
                notices.append("Welcome! Tell me your time zone so reminders come at the right hour: "
                               "/interview settings tz: Europe/Berlin")
            if ctx.user.name is None:
                notices.append("Your drafts are signed with your name and contact details: "
                               "/interview settings name: Sam Rivera; email: sam@example.com; phone: 555-0100")
        return notices

    def _wake(self, moments: list[datetime]) -> None:
        if self.wake is not None and moments:
            try:
                self.wake(min(moments))
            except Exception:
                log.exception("waking the dispatcher failed")
