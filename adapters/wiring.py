"""The composition root: a store, the core service and a dispatcher, wired for one process.

On PostgreSQL the processes also wake one another (storage.wake_signal): a command's new reminder
time wakes this process's dispatcher and, through NOTIFY, every process that LISTENs, i.e. every
Runtime with a dispatcher. The one-minute poll remains as the fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.career_center.retention import RetentionPurge
from bot.config import Config
from bot.ports import Clock, Notifier, SystemClock
from bot.reminders import Dispatcher
from bot.service import Service
from storage.store import SqlStore
from storage.wake_signal import WakeSignal

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
    wake_signal: WakeSignal | None = None  # the wake between processes (PostgreSQL)
    _maintenance: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        """Start delivering reminders (woken by every process's commands on PostgreSQL) and, in the
        delivering process, the daily retention purge; checkpoint SQLite in the background."""
        if self.dispatcher is not None:
            if self.wake_signal is not None:  # listening first: no wake is lost while the dispatcher starts
                await self.wake_signal.listen(self.dispatcher.wake)
            await self.dispatcher.start()
        if self.purge is not None:
            await self.purge.start()
        self._maintenance.append(asyncio.create_task(checkpoint_periodically(self.store), name="checkpoint"))

    async def close(self) -> None:
        if self.wake_signal is not None:
            await self.wake_signal.stop_listening()
        for task in self._maintenance:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.purge is not None:
            await self.purge.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop()
        if self.wake_signal is not None:
            await self.wake_signal.close()
        await self.store.close()


def chain_wakes(*wakes: Callable[[datetime], None] | None) -> Callable[[datetime], None] | None:
    """One wake calling each of `wakes` (None ones left out) in turn, each even if one before it
    failed: this process's dispatcher, the other processes (WakeSignal.send), ..."""
    chosen = [wake for wake in wakes if wake is not None]
    if len(chosen) <= 1:
        return chosen[0] if chosen else None

    def wake(at: datetime) -> None:
        failed: Exception | None = None
        for one in chosen:
            try:
                one(at)
            except Exception as exc:  # the others still run; the service logs it
                failed = failed or exc
        if failed is not None:
            raise failed

    return wake


def build(config: Config, notifiers: dict[str, Notifier], *, default_tz: str = "UTC",
          clock: Clock | None = None, store: SqlStore | None = None) -> Runtime:
    """A Service over the configured database, and a Dispatcher for `notifiers` (none: no
    dispatcher in this process, e.g. Slack HTTP workers when a separate worker delivers). On
    PostgreSQL the service's commands wake the delivering processes, this one's included."""
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
    wake_signal = WakeSignal(store.engine)
    service.wake = chain_wakes(dispatcher.wake if dispatcher is not None else None,
                               wake_signal.send if wake_signal.enabled else None)
    return Runtime(store=store, service=service, dispatcher=dispatcher, clock=clock, purge=purge,
                   wake_signal=wake_signal)
