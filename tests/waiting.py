"""Waiting, in a test, for something another task or process does: at most a deadline, checked
every few milliseconds, so a fast machine does not wait and a loaded one does not fail early."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable


async def eventually(check: Callable[[], Awaitable[object]] | Callable[[], object], timeout: float = 15.0,
                     what: str = "the condition") -> None:
    """Return once `check()` (or what it awaits to) is truthy; fail the test after `timeout` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        await asyncio.sleep(0.02)
