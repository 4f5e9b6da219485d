"""Work done after Slack has its acknowledgement: opening modals, uploads, follow-up messages."""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


_URL = re.compile(r"https?://\S+")


def describe(error: BaseException | None) -> str:
    """An error for the log in one line: its kind, where it was raised, its message with any URL
    cut to its host (a response URL lets anyone post as the app), never the request it carried."""
    if error is None:
        return "no error"
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    message = _URL.sub(lambda m: m.group(0).split("/", 3)[2] if m.group(0).count("/") >= 2 else "…", str(error))
    return f"{type(error).__name__}{where}: {message[:200]}"


class Background:
    """Tasks started after the ack; kept referenced, their errors logged, drained on shutdown."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, T], name: str = "slack-after-ack") -> asyncio.Task[T]:
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Slack background work %s failed: %s", task.get_name(), describe(task.exception()))

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for the running tasks (at most `timeout` s), then cancel what is left."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._tasks)

    async def idle(self, timeout: float = 10.0) -> None:
        """Wait until nothing is running (tasks may start more tasks); for tests and shutdown."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._tasks and loop.time() < deadline:
            await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - loop.time()))
