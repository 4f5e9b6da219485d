"""The tests' way to a process's parts: the entry point's own `build(...)` (one Service, one
Dispatcher wired as production wires them: the no-reply settle, the wake hooks, batch, lease and
attempts from the settings), over the test's store and clock, closed afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.config import Config
from bot.entry.runtime import Runtime, build
from bot.ports import Clock, Notifier
from bot.service import Service
from storage.store import SqlStore


def settings(**values: Any) -> Config:
    """Settings from `values` alone (field names or their environment names, e.g.
    DISPATCH_MAX_ATTEMPTS=3): nothing is read from the environment or a .env file."""
    return Config.model_validate(values)


@asynccontextmanager
async def built(store: SqlStore, clock: Clock, notifiers: dict[str, Notifier], *, default_tz: str = "UTC",
                config: Config | None = None,
                notifier_factories: dict[str, Callable[[Service], Notifier]] | None = None,
                ) -> AsyncIterator[Runtime]:
    """`build(...)` over `store` and `clock`; the runtime (and with it `store`) closed on the way out.
    Its dispatcher is not started: the test runs it (`run_once`) when its clock says so."""
    runtime = build(config or settings(), notifiers, default_tz=default_tz, clock=clock, store=store,
                    notifier_factories=notifier_factories)
    try:
        yield runtime
    finally:
        await runtime.close()
