"""The dispatcher's side of the `reminders` table: claim what is due, record what happened.

SqlStore's dispatcher methods delegate to its `DispatchQueue` with the same signatures. The queue
is the only writer of the delivery columns (storage.models.DELIVERY_COLUMNS: delivery, dm_count,
attempts, last_error, delivered_at, send_at, claimed_until, claim_token); the service writes a
step's schedule (its `notify_at` is the follow-up rules' plan) and, when it adds, reschedules or
closes one, has this module plan the step's delivery in the same transaction (delivery_plan.py).
`send_at` is when the next DM goes out: the plan at first, later a retry's time or a thank-you's
last call. Claims walk the index (platform, send_at).

Claiming is a lease (storage/claims.py); what happened is written down by
storage/delivery_records.py.

The token also pins the row's `version` (the service bumps it on every change it makes, and clears
the claim when it reschedules or closes a step): every `record_*` is conditional on both, so
neither a stale worker whose lease ran out nor a worker whose step the user snoozed, marked sent or
cancelled meanwhile can overwrite the row.

A dispatcher delivers many interviews at once; their `still_claimed` checks, and their `record_*`
writes, arriving together are served by one query and one transaction (storage/group_commit.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports import ClaimedReminder
from storage import claims, delivery_records
from storage.delivery_records import MAX_ERROR, RECORD_TRIES, Record, transient
from storage.group_commit import Answer, GroupCommit, Item


class DispatchQueue:
    """The dispatcher's store port on one engine: claims, checks and records. Its only state is
    which platform claims first next time (taking turns) and the group commits under way."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._next_platform = 0
        self._batchers: dict[tuple[int, str], GroupCommit[Any, Any]] = {}

    async def next_send_at(self, platforms: Iterable[str], now: datetime) -> datetime | None:
        return await claims.next_send_at(self.engine, platforms, now)

    async def claim_due(
        self, now: datetime, platforms: Iterable[str], limit: int, lease_seconds: float
    ) -> list[ClaimedReminder]:
        """Claim up to `limit` open, waiting steps due at `now` (oldest first, platform by
        platform, starting with a different platform each time) whose claim is absent or expired,
        for `lease_seconds`."""
        wanted = sorted(set(platforms))
        if not wanted or limit <= 0:
            return []
        self._next_platform = (self._next_platform + 1) % len(wanted)
        order = wanted[self._next_platform:] + wanted[: self._next_platform]
        taken: list[ClaimedReminder] = []
        for platform in order:
            if len(taken) >= limit:
                break
            taken.extend(await claims.claim_platform(self.engine, now, platform, limit - len(taken), lease_seconds))
        taken.sort(key=lambda c: (c.send_at, c.step_id))
        return taken

    async def still_claimed(self, step_id: int, claim_token: str) -> bool:
        """The claim holds (same token, the row unchanged since) and the step is open and waiting."""
        return bool(await self._batcher("check", self._check_many).submit((step_id, claim_token)))

    async def _check_many(self, items: list[tuple[int, str]]) -> list[bool]:
        return await claims.check_many(self.engine, items)

    async def record_delivered(
        self, step_id: int, claim_token: str, now: datetime, next_send_at: datetime | None
    ) -> bool:
        """The DM went out: one more DM counted; the next DM planned (a thank-you's last call) or
        the step's delivery done. Releases the claim. False if the claim was no longer ours."""
        if next_send_at is not None:
            return await self._record("delivered-again", step_id, claim_token, {"b_at": now, "b_next": next_send_at})
        return await self._record("delivered", step_id, claim_token, {"b_at": now})

    async def record_retry(self, step_id: int, claim_token: str, retry_at: datetime, error: str) -> bool:
        """A try failed for now: the step waits until `retry_at`, one more attempt counted, the
        reason kept. Releases the claim."""
        return await self._record("retry", step_id, claim_token, {"b_next": retry_at, "b_error": error[:MAX_ERROR]})

    async def record_failed(self, step_id: int, claim_token: str, error: str) -> bool:
        """Given up (a permanent refusal, or too many tries): the step stays open, its delivery is
        failed with the reason, and the user is to be told the next time they use a command."""
        return await self._record("failed", step_id, claim_token, {"b_error": error[:MAX_ERROR]})

    async def release_claims(self, held: Sequence[tuple[int, str]]) -> int:
        return await claims.release_claims(self.engine, held)

    async def _record(self, outcome: str, step_id: int, claim_token: str, params: dict[str, Any]) -> bool:
        """One conditional UPDATE; concurrent calls share one transaction (a group commit), and
        each returns once the transaction holding its write has committed."""
        batcher = self._batcher("record", self._record_with_retries)
        return bool(await batcher.submit((outcome, step_id, claim_token, params)))

    async def _record_with_retries(self, items: list[Record]) -> list[bool]:
        """A DM that went out must be written down, or it goes out again when the lease ends: a
        round that fails on a transient error (a deadlock with a user's command, a busy database)
        is tried again. Every write is conditional on the claim, so a retry cannot write twice."""
        for attempt in range(1, RECORD_TRIES + 1):
            try:
                return await delivery_records.record_many(self.engine, items)
            except DBAPIError as exc:
                if attempt == RECORD_TRIES or not (exc.connection_invalidated or transient(exc)):
                    raise
                await asyncio.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    def _batcher(self, name: str, run: Callable[[list[Item]], Awaitable[list[Answer]]]) -> GroupCommit[Item, Answer]:
        """This queue's batcher for `name` in the running event loop."""
        key = (id(asyncio.get_running_loop()), name)
        found = self._batchers.get(key)
        if found is None:
            for stale in [k for k, b in self._batchers.items() if k[1] == name and b.idle]:
                del self._batchers[stale]
            found = self._batchers[key] = GroupCommit(run)
        return found


__all__ = ["DispatchQueue"]
