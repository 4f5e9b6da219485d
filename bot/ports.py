"""What the core needs from outside, as Protocols: a Store, a Notifier per platform, a Clock;
and what it offers the adapters: the Commands port (bot.service.Service implements it).

The storage package implements Store; each adapter implements Notifier; tests inject a Clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from bot.actor import Actor
from bot.career_center.records import CommunityStats, TemplateNotice, TemplateVersion
from bot.commands import Command
from bot.domain import CommunityDefaults, Interview, InterviewSummary, Step, StepKind, UserSettings
from bot.replies import Reply


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class DatabaseUnavailable(Exception):
    """The store cannot be used at all (a damaged, missing or read-only database file, an
    unreachable server): trying again will not help until an operator fixes it. `reason` is one
    short line naming what is wrong, never a password."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreSession(Protocol):
    """One transaction: everything a use case reads and writes. Commits when the block ends
    without an exception, rolls back otherwise."""

    # users and community defaults
    async def user(self, platform: str, community: str, external_id: str) -> UserSettings | None: ...
    async def user_by_id(self, user_id: int) -> UserSettings | None: ...

    async def member(
        self, platform: str, community: str, external_id: str
    ) -> tuple[UserSettings | None, CommunityDefaults | None, bool]:
        """What every command starts from, in one read: the member (None if new), their
        community's defaults (None if unset), and whether a reminder failed to reach them and they
        have not been told yet."""
        ...
    async def save_user(self, user: UserSettings) -> UserSettings:
        """Insert (id None) or update; returns it with its id."""
        ...

    async def community_defaults(self, platform: str, community: str) -> CommunityDefaults | None: ...
    async def save_community_defaults(self, defaults: CommunityDefaults) -> None: ...

    async def community_templates(self, platform: str, community: str) -> dict[str, str]:
        """The community's current approved template source by draft kind (empty: built-ins)."""
        ...

    # the proofreader: a community's own word list, notices of templates that failed for a member
    async def community_words(self, platform: str, community: str) -> list[str]:
        """The lower-case words the community's admins added to the spelling check, sorted."""
        ...

    async def add_community_words(self, platform: str, community: str, words: Iterable[str],
                                  at: datetime) -> list[str]:
        """Add the words not yet on the list; returns those added."""
        ...

    async def remove_community_words(self, platform: str, community: str, words: Iterable[str]) -> list[str]:
        """Remove the words on the list; returns those removed."""
        ...

    async def record_template_failure(self, platform: str, community: str, kind: str, problem: str,
                                      at: datetime) -> None:
        """Note for the admins that the community's `kind` template failed for a member's draft."""
        ...

    async def template_failures(self, platform: str, community: str) -> list[TemplateNotice]:
        """The notices of failed templates, newest first."""
        ...

    async def clear_template_failures(self, platform: str, community: str, kind: str) -> None:
        """Forget the notices of `kind` (its template was just saved or reverted)."""
        ...

    # interviews, as aggregates with their interviewers and steps
    async def add_interview(self, interview: Interview) -> Interview:
        """Insert with its interviewers and steps; assigns `id`, `number` (the user's next number,
        from 1) and ids of interviewers and steps."""
        ...

    async def interview(self, user_id: int, number: int) -> Interview | None:
        """The user's interview #number with interviewers and steps, or None (never another's)."""
        ...

    async def interview_by_id(self, interview_id: int) -> Interview | None: ...

    async def interviews(self, user_id: int, include_closed: bool = False) -> list[Interview]:
        """The user's interviews with interviewers and steps; active only unless include_closed."""
        ...

    async def summaries(self, user_id: int, include_closed: bool = False) -> list[InterviewSummary]:
        """The user's interviews at a glance (`Interview.summary()` of each, in one read): active
        only unless include_closed, in no particular order."""
        ...

    async def save_interview(self, interview: Interview) -> Interview:
        """Write the interview's fields, insert new interviewers and steps (id None), update the
        schedule fields of existing steps. A step whose notify_at or status changed has its delivery
        planned afresh (the dispatcher's columns, by the dispatcher's own code) in the same
        transaction, so the dispatcher sees it."""
        ...

    async def undelivered_steps(self, user_id: int) -> list[Step]:
        """Steps whose reminder could not be delivered and whose user has not been told."""
        ...

    async def mark_user_told(self, step_ids: list[int]) -> None: ...

    async def forget_user(self, user_id: int) -> int:
        """Delete every row of that user (interviews, interviewers, steps, the user). Returns rows."""
        ...

    # the career center: approved templates, aggregate figures, retention
    async def template_versions(self, platform: str, community: str, kind: str) -> list[TemplateVersion]:
        """Every saved version of the community's template for `kind`, newest first."""
        ...

    async def save_template_version(self, platform: str, community: str, kind: str, source: str | None,
                                    saved_by: str, saved_at: datetime) -> TemplateVersion:
        """A new version (source None: back to the built-in template), made the current one."""
        ...

    async def forget_template_author(self, platform: str, community: str, external_id: str) -> int:
        """Replace a forgotten member's id in the history of saved templates. Returns rows."""
        ...

    async def community_stats(self, platform: str, community: str, now: datetime,
                              since: datetime | None = None) -> CommunityStats:
        """Aggregate figures of the community's members (counts only), by month of the interview;
        `months` only from `since` on (the totals cover everything)."""
        ...

    async def mark_member_left(self, platform: str, community: str, external_id: str,
                               at: datetime | None) -> bool:
        """Record that the member left (at) or came back (None). False if the bot never knew them."""
        ...

    async def purge_left_members(self, now: datetime) -> int:
        """Delete every row of members whose community's retention period has passed since they
        left. Returns how many members were deleted."""
        ...


@dataclass(frozen=True)
class Recipient:
    """Where a reminder DM goes."""

    user_id: int
    platform: str
    community: str
    external_id: str


@dataclass(frozen=True)
class ClaimedReminder:
    """A due step claimed by one dispatcher until `claimed_until`."""

    step_id: int
    interview_id: int
    recipient: Recipient
    send_at: datetime  # when this DM was to go out
    claim_token: str
    attempts: int
    # What the dispatcher needs to plan the step's next DM (a thank-you's last call).
    kind: StepKind | None = None
    due_at: datetime | None = None
    dm_count: int = 0


class Store(Protocol):
    def transaction(self, *, read_only: bool = False, long: bool = False) -> AbstractAsyncContextManager[StoreSession]:
        """One transaction; raises DatabaseUnavailable when the database cannot be used at all.
        `read_only`: the transaction only reads, and the database refuses any write in it.
        `long`: its work grows with a whole community (the retention purge)."""
        ...

    async def health(self) -> str | None:
        """None when the database can be read and written; else one short line saying why not."""
        ...

    # The dispatcher's side: short transactions of their own.
    async def next_send_at(self, platforms: frozenset[str], now: datetime | None = None) -> datetime | None:
        """The earliest send_at of a waiting, unclaimed (or lease-expired) step; leases are
        compared with `now` (the dispatcher passes its clock's; None: the store's clock)."""
        ...

    async def claim_due(
        self, now: datetime, platforms: frozenset[str], limit: int, lease_seconds: float
    ) -> list[ClaimedReminder]:
        """Claim up to `limit` open steps with delivery waiting and send_at <= now whose claim is
        absent or expired. PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE."""
        ...

    async def still_claimed(self, step_id: int, claim_token: str) -> bool:
        """True while the claim holds and the step is still open and waiting (not marked sent)."""
        ...

    async def record_delivered(
        self, step_id: int, claim_token: str, now: datetime, next_send_at: datetime | None
    ) -> bool:
        """The DM went out: dm_count+1, delivered_at; send_at moves to next_send_at (a
        thank-you's last call) or delivery becomes delivered. Releases the claim."""
        ...

    async def record_retry(self, step_id: int, claim_token: str, retry_at: datetime, error: str) -> None: ...

    async def record_failed(self, step_id: int, claim_token: str, error: str) -> None: ...

    async def close(self) -> None: ...


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # rate limited, 5xx, timeout: try again later
    PERMANENT = "permanent"  # DMs closed, user gone: keep the reminder, record why, tell the user


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    retry_after: float | None = None  # seconds, when the platform said
    reason: str | None = None

    @staticmethod
    def delivered() -> DeliveryResult:
        return DeliveryResult(Outcome.DELIVERED)


class Notifier(Protocol):
    """Sends a reminder DM on one platform."""

    platform: str

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        """`dm_key` (see `dm_key`) names this DM: the same key means the same DM, sent again after a
        crash between sending and recording it. A platform that can refuse or find a message by
        such a key uses it so the member sees the DM once."""
        ...


def dm_key(claims: Sequence[ClaimedReminder]) -> str:
    """What identifies one reminder DM across processes and restarts: the reminders it is for and
    how many DMs each had before it, e.g. `12.0+15.1`. A DM delivered but not recorded (the process
    died in between) is claimed again with the same key; the next DM of a step has another."""
    return "+".join(f"{c.step_id}.{c.dm_count}" for c in sorted(claims, key=lambda c: c.step_id))


class Commands(Protocol):
    """The core as every adapter uses it: commands typed as text or built as values (forms,
    buttons), the member's own interviews for pickers, and a reminder's message."""

    async def handle(self, actor: Actor, text: str) -> Reply: ...

    async def run(self, actor: Actor, command: Command) -> Reply: ...

    async def interview_choices(self, actor: Actor, typed: str = "", limit: int = 25,
                                active_only: bool = False) -> list[tuple[int, str]]: ...

    async def reminder_message(self, interview_id: int, step_ids: Sequence[int], now: datetime) -> Reply | None: ...
