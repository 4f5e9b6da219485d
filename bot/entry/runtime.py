"""One process's parts: a store, the core service and, where reminders are delivered, the
dispatcher, the retention purge and the wake between processes; built by `build(...)`, started
and closed together (`Runtime`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from adapters.health import Probe
from bot.career_center.retention import RetentionPurge
from bot.config import Config
from bot.entry.database import checkpoint_periodically, database_probe
from bot.ports import Clock, Notifier, SystemClock
from bot.reminders import Dispatcher
from bot.service import Service
from storage.store import SqlStore
from storage.wake_signal import WakeSignal

log = logging.getLogger("bot")


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


@dataclass
class Runtime:
    """A store, the core service and (in a process that delivers reminders) a dispatcher, the
    retention purge and the wake between processes; started and closed together."""

    store: SqlStore
    service: Service
    dispatcher: Dispatcher | None
    clock: Clock
    purge: RetentionPurge | None = None
    wake_signal: WakeSignal | None = None  # the wake between processes (PostgreSQL)
    closers: list[Callable[[], Awaitable[object]]] = field(default_factory=list)  # e.g. notifiers' clients
    _maintenance: list[asyncio.Task[None]] = field(default_factory=list)
    _delivering: bool = False
    _closed: bool = False

    def probe(self) -> Probe:
        return database_probe(self.store)

    async def start(self, *, deliver: bool = True) -> None:
        """Background upkeep (the SQLite checkpoint, the daily retention purge where reminders are
        delivered) and, unless `deliver` is false (later: `start_delivering`), the delivery of
        reminders."""
        self._maintenance.append(asyncio.create_task(checkpoint_periodically(self.store), name="checkpoint"))
        if self.purge is not None:
            await self.purge.start()
        if deliver:
            await self.start_delivering()

    async def start_delivering(self) -> None:
        """Deliver reminders, woken by every process's commands on PostgreSQL (listening first: no
        wake is lost while the dispatcher starts)."""
        if self.dispatcher is None or self._delivering:
            return
        self._delivering = True
        if self.wake_signal is not None:
            await self.wake_signal.listen(self.dispatcher.wake)
        await self.dispatcher.start()

    async def stop_delivering(self) -> None:
        """No new claims; deliveries under way finish (or are handed back) within the dispatcher's
        shutdown time."""
        if self.wake_signal is not None:
            await self.wake_signal.stop_listening()
        if self.dispatcher is not None and self._delivering:
            self._delivering = False
            await self.dispatcher.stop()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.stop_delivering()
        for task in self._maintenance:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.purge is not None:
            await self.purge.stop()
        if self.wake_signal is not None:
            await self.wake_signal.close()
        for closer in self.closers:
            try:
                await closer()
            except Exception as exc:
                log.warning("closing %s failed (%s)", getattr(closer, "__qualname__", "a client"),
                            type(exc).__name__)
        await self.store.close()


def build(config: Config, notifiers: dict[str, Notifier], *, default_tz: str = "UTC",
          clock: Clock | None = None, store: SqlStore | None = None,
          notifier_factories: dict[str, Callable[[Service], Notifier]] | None = None) -> Runtime:
    """A Service over the configured database and a Dispatcher for `notifiers` plus those that
    `notifier_factories` make from the service (e.g. Discord's, which needs the bot's client).
    None at all: no dispatcher in this process (Slack web processes when a worker delivers). On
    PostgreSQL the service's commands wake the delivering processes, this one's included."""
    clock = clock or SystemClock()
    store = store or SqlStore(config.database_url)
    service = Service(store, clock, default_tz=default_tz)
    notifiers = dict(notifiers)
    for platform, factory in (notifier_factories or {}).items():
        notifiers[platform] = factory(service)
    dispatcher = None
    purge = None
    if notifiers:
        purge = RetentionPurge(store, clock)
        dispatcher = Dispatcher(store, service.reminder_message, notifiers, clock,
                                settle=service.settle_after_reminder,
                                batch=config.dispatch_batch, lease_seconds=config.dispatch_lease_seconds,
                                max_attempts=config.dispatch_max_attempts)
    wake_signal = WakeSignal(store.engine)
    service.wake = chain_wakes(dispatcher.wake if dispatcher is not None else None,
                               wake_signal.send if wake_signal.enabled else None)
    return Runtime(store=store, service=service, dispatcher=dispatcher, clock=clock, purge=purge,
                   wake_signal=wake_signal)
