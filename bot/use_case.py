"""What every use case shares: its context (transaction, user, rules, time), the answer to bad
input (roll back and say why), and small pieces of a reply."""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from bot import policy, whats_due
from bot.actor import Actor
from bot.career_center.template_notices import record_failures
from bot.closed_interviews import closed_schedule, is_closed
from bot.domain import (
    DRAFT_FOR_STEP,
    Candidate,
    DraftKind,
    Interview,
    Interviewer,
    Rules,
    Step,
    StepKind,
    StepStatus,
    UserSettings,
)
from bot.drafts.render import render_drafts
from bot.humanize import step_line
from bot.ports import StoreSession
from bot.replies import Action, Draft, Reply, Section, error
from bot.timeparse import TimeError

T = TypeVar("T")


class Rejected(Exception):
    """Bad input found mid-way: roll the transaction back and answer with the reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.title)
        self.reply = reply


def refuse(message: str) -> Rejected:
    return Rejected(error(message))


def drafts_for(kind: DraftKind, interview: Interview, user: UserSettings, rules: Rules, templates: dict[str, str],
               to: Interviewer | None = None, late: bool = False, with_check_in: bool = False,
               failures: list[tuple[str, str]] | None = None, words: Iterable[str] = ()) -> list[Draft]:
    """The drafts of `kind`, from the community's approved template where it has one (that one
    renders in a worker process and blocks this thread: see `community_drafts`). A community
    template that fails is replaced by the built-in one and its problem appended to `failures`;
    `words` are the community's own word list for the spelling check."""
    tone = interview.tone or rules.tone
    return render_drafts(kind, interview, Candidate.of(user), tone, to=to, late=late, tz=rules.tz,
                         template_source=templates.get(kind.value), with_check_in=with_check_in, failures=failures,
                         words=words)


async def community_drafts(tx: StoreSession, user: UserSettings, now: datetime, make: Callable[..., T],
                           *args: Any, **kwargs: Any) -> T:
    """`make(*args, failures=..., **kwargs)` (drafts or a reminder built from drafts) off the event
    loop, for a community template renders in a worker process; a template that failed is noted for
    the community's admins (the member gets the built-in draft, and is not told)."""
    failures: list[tuple[str, str]] = []
    made = await asyncio.to_thread(make, *args, failures=failures, **kwargs)
    await record_failures(tx, user, failures, now)
    return made


@dataclass
class Context:
    """What one use case sees: its transaction, the user, their rules, the time."""

    tx: StoreSession
    actor: Actor
    user: UserSettings
    rules: Rules
    now: datetime
    default_tz: str
    wake_at: list[datetime]
    undelivered: bool = False  # a reminder failed to reach the member, and they have not been told
    understood: list[str] = field(default_factory=list)  # each time read, as said back in the answer
    new_member: bool = False  # their row was created for this command (undone if it changes nothing)

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    def scheduled(self, steps: Sequence[Step]) -> None:
        """Steps whose reminders were just (re)planned: the dispatcher is woken for them."""
        self.wake_at.extend(s.notify_at for s in steps if s.notify_at is not None)

    async def interview(self, number: int, company: str | None = None) -> Interview:
        """The user's own #number (or the one interview with `company`); anything else is "You have
        no interview #N"."""
        if company is not None:
            number = await self._number_of(company)
        interview = await self.tx.interview(self.user_id, number)
        if interview is None:
            raise refuse(f"You have no interview #{number}. See yours with /interview list.")
        return interview

    async def _number_of(self, company: str) -> int:
        """A company name -> the number of the member's interview with it, when there is exactly one
        (an open one wins over closed ones); otherwise an answer that lists the candidates."""
        needle = " ".join(company.lower().split())
        mine = await self.tx.summaries(self.user_id, include_closed=True)
        same = [i for i in mine if " ".join(i.company.lower().split()) == needle]
        found = same or [i for i in mine if needle in i.company.lower()]
        if len(found) > 1:
            active = [i for i in found if i.status.is_active]
            found = active if len(active) == 1 else found
        if len(found) == 1:
            return found[0].number
        if found:
            listed = ", ".join(f"#{i.number} {i.company} – {i.role}" for i in sorted(found, key=lambda i: i.number))
            raise refuse(f'More than one interview matches "{company}" ({listed}); use its number, e.g. '
                         f"#{found[0].number}.")
        guess = difflib.get_close_matches(needle[:60], [i.company.lower() for i in mine], n=1, cutoff=0.6)
        hint = next((f" Did you mean #{i.number} {i.company}?" for i in mine
                     if guess and i.company.lower() == guess[0]), "")
        raise refuse(f'You have no interview with "{company[:60]}".{hint} See yours with /interview list.')

    async def drafts(self, kind: DraftKind, interview: Interview, to: Interviewer | None = None,
                     late: bool = False, with_check_in: bool = False) -> list[Draft]:
        templates = await self.tx.community_templates(self.user.platform, self.user.community)
        words = await self.tx.community_words(self.user.platform, self.user.community)
        if kind.value not in templates:  # the built-in templates render in a few milliseconds, here
            return drafts_for(kind, interview, self.user, self.rules, templates, to=to, late=late,
                              with_check_in=with_check_in, words=words)
        return await community_drafts(self.tx, self.user, self.now, drafts_for, kind, interview, self.user,
                                      self.rules, templates, to=to, late=late, with_check_in=with_check_in,
                                      words=words)


Handler = Callable[[Context, Any], Awaitable[Reply]]


def read(parsed: Any, what: str) -> Any:
    if isinstance(parsed, TimeError):
        raise refuse(parsed.message)
    return parsed


def schedule_section(interview: Interview, rules: Rules, now: datetime) -> Section:
    if is_closed(interview):
        sent = [s for s in interview.steps if s.round == interview.round and s.status is StepStatus.SENT]
        to_come = [s for s in interview.steps if s.round == interview.round and s.is_open]
        lines = [f"• {step_line(s, interview, rules, now)}" for s in sorted(sent, key=lambda s: s.due_at)]
        lines += [f"• {step_line(s, interview, rules, now)}" for s in sorted(to_come, key=lambda s: s.due_at)]
        return Section(title="Follow-ups", text="\n".join([*lines, closed_schedule(interview, bool(to_come))]))
    steps = sorted(interview.steps, key=lambda s: (s.round, s.due_at))
    lines = [f"• {step_line(s, interview, rules, now)}" for s in steps if s.round == interview.round]
    return Section(title="Follow-ups", text="\n".join(lines) or "Nothing scheduled.")


def step_actions(interview: Interview, now: datetime, rules: Rules | None = None) -> list[Action]:
    """The buttons (and the console's "Next:" line) for what can be done now: only commands that
    would work in the interview's present state."""
    n = interview.number
    step = whats_due.due_now(interview, now)
    if step is None:
        return []
    actions = []
    refused = (rules is not None and step.kind in policy.CHECK_IN_KINDS
               and policy.may_check_in(interview, step.kind, now, rules) is not None)
    if not refused:
        actions.append(Action("Show drafts", f"draft #{n} {DRAFT_FOR_STEP[step.kind].value}", "primary"))
    if whats_due.check_in_with_it(interview, step, now) is not None:
        actions.append(Action("Mark thank-you and check-in sent", f"sent #{n}"))
    elif step.kind is not StepKind.NO_REPLY:
        actions.append(Action("Mark sent", f"sent #{n} {step.kind.value}"))
    if step.notify_at is not None or step.dm_count > 0:
        actions.append(Action("Snooze 1 day", f"snooze #{n} 1d"))
    return actions
