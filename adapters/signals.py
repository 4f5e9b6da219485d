"""The event a long-running process runs until: the caller's own, or one that SIGTERM and SIGINT
set (the platform's own clean shutdown then runs). Shared by the entry point and each adapter's
`serve(...)`."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextlib.contextmanager
def stop_event(stop: asyncio.Event | None = None) -> Iterator[asyncio.Event]:
    """`stop` when the caller gives one; else a new event that SIGTERM and SIGINT set while
    inside (the handlers are removed on the way out). Where signals cannot be handled (not the
    main thread, no such signal), the event is only set by whoever holds it."""
    if stop is not None:
        yield stop
        return
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in STOP_SIGNALS:
        try:
            loop.add_signal_handler(sig, event.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
    try:
        yield event
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
