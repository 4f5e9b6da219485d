"""The composition root: a store, the core service and a dispatcher, wired for one process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from bot.career_center.retention import RetentionPurge
from bot.config import Config
from bot.ports import Clock, Notifier, SystemClock
from bot.reminders import Dispatcher
from bot.service import Service
from storage.store import SqlStore

log = logging.getLogger(__name__)
CHECKPOINT_EVERY_SECONDS = 30.0


async def checkpoint_periodically(store: SqlStore, every: float = CHECKPOINT_EVERY_SECONDS) -> None:
    """SQLite's write-ahead log is checkpointed here, in the background, so that no command waits
    for it (a no-op on PostgreSQL)."""
    while True:
        await asyncio.sleep(every)
        try:
            await store.checkpoint()
        except Exception as exc:  # busy or locked: the next round tries again
            log.warning("checkpoint skipped (%s)", type(exc).__name__)


@dataclass
class Runtime:
    store: SqlStore
    service: Service
    dispatcher: Dispatcher | None
    clock: Clock
    purge: RetentionPurge | None = None
    _maintenance: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        """Start delivering reminders and, in the delivering process, the daily retention purge;
        checkpoint SQLite in the background."""
        if self.dispatcher is not None:
            await self.dispatcher.start()
        if self.purge is not None:
            await self.purge.start()
        self._maintenance.append(asyncio.create_task(checkpoint_periodically(self.store), name="checkpoint"))

    async def close(self) -> None:
        for task in self._maintenance:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.purge is not None:
            await self.purge.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop()
        await self.store.close()


def build(config: Config, notifiers: dict[str, Notifier], *, default_tz: str = "UTC",
          clock: Clock | None = None, store: SqlStore | None = None) -> Runtime:
    """A Service over the configured database, and a Dispatcher for `notifiers` (none: no
    dispatcher in this process, e.g. Slack HTTP workers when a separate worker delivers)."""
    clock = clock or SystemClock()
    store = store or SqlStore(config.database_url)
    service = Service(store, clock, default_tz=default_tz)
    dispatcher = None
    purge = None
    if notifiers:
        purge = RetentionPurge(store, clock)
        dispatcher = Dispatcher(store, service.reminder_message, notifiers, clock,
                                batch=config.dispatch_batch, lease_seconds=config.dispatch_lease_seconds,
                                max_attempts=config.dispatch_max_attempts)
        service.wake = dispatcher.wake
    return Runtime(store=store, service=service, dispatcher=dispatcher, clock=clock, purge=purge)
