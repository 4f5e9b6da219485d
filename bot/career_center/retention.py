"""Members who leave: their data stays until they ask (`/interview forget`) or until the community's
retention period (`admin defaults retention: 365d`) has passed since they left.

Adapters call `member_left` when a member leaves or is removed (Slack `team_join`'s opposite,
user_change with deleted=true; Discord on_member_remove) and `member_returned` when they rejoin.
`purge_expired` deletes what is due; `RetentionPurge` runs it at start-up and then daily in a
process that delivers reminders (started by the entry point, e.g. `python -m bot worker`). Several
processes may run it at once: the deletes are idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from bot.actor import Actor
from bot.ports import Clock, Store

log = logging.getLogger(__name__)


async def member_left(store: Store, actor: Actor, now: datetime) -> bool:
    """Record that the member left the community at `now`. False if the bot never knew them
    (then there is nothing to keep or to delete)."""
    async with store.transaction() as tx:
        known = await tx.mark_member_left(actor.platform, actor.community, actor.external_id, now)
    if known:
        log.info("a member of %s/%s left; their data is kept for the retention period", actor.platform,
                 actor.community)
    return known


async def member_returned(store: Store, actor: Actor) -> bool:
    """The member is back: their data is no longer due for deletion."""
    async with store.transaction() as tx:
        return await tx.mark_member_left(actor.platform, actor.community, actor.external_id, None)


async def purge_expired(store: Store, now: datetime) -> int:
    """Delete every member (with their interviews and reminders) whose community's retention
    period has passed since they left. Returns how many members were deleted."""
    async with store.transaction(long=True) as tx:
        purged = await tx.purge_left_members(now)
    if purged:
        log.info("retention: deleted the data of %d member(s) who left", purged)
    return purged


class RetentionPurge:
    """`purge_expired` at start-up and then every `every` (a day), on a task of its own."""

    def __init__(self, store: Store, clock: Clock, every: timedelta = timedelta(days=1)) -> None:
        self.store = store
        self.clock = clock
        self.every = every
        self.runs = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="retention-purge")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await purge_expired(self.store, self.clock.now())
            except Exception:  # a database hiccup: try again at the next round
                log.exception("retention purge failed")
            self.runs += 1
            await asyncio.sleep(self.every.total_seconds())


__all__ = ["RetentionPurge", "member_left", "member_returned", "purge_expired"]
