"""The composition root: a store, the core service and a dispatcher, wired for one process."""

from __future__ import annotations

from dataclasses import dataclass

from bot.career_center.retention import RetentionPurge
from bot.config import Config
from bot.ports import Clock, Notifier, SystemClock
from bot.reminders import Dispatcher
from bot.service import Service
from storage.store import SqlStore


@dataclass
class Runtime:
    store: SqlStore
    service: Service
    dispatcher: Dispatcher | None
    clock: Clock
    purge: RetentionPurge | None = None

    async def start(self) -> None:
        """Start delivering reminders and, in the delivering process, the daily retention purge."""
        if self.dispatcher is not None:
            await self.dispatcher.start()
        if self.purge is not None:
            await self.purge.start()

    async def close(self) -> None:
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
