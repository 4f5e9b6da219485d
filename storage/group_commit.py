"""Group commit: calls that arrive while a round trip is under way go together in the next one.

A dispatcher delivers many interviews at once; their claim checks and their writes, arriving
together, are served by one query and one transaction, so the cost per reminder stays far below a
round trip even on SQLite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")


class GroupCommit(Generic[Item, Answer]):
    """Collects the calls made while a round trip is under way and runs them together next.

    The first caller starts a drain task; callers arriving while it runs queue up and go in the
    next round (at most `limit` per round). Every caller gets its own answer, or the round's error.
    """

    def __init__(self, run: Callable[[list[Item]], Awaitable[list[Answer]]], limit: int = 500) -> None:
        self.run = run
        self.limit = limit
        self.queue: list[tuple[Item, asyncio.Future[Answer]]] = []
        self.task: asyncio.Task[None] | None = None

    @property
    def idle(self) -> bool:
        return self.task is None or self.task.done()

    async def submit(self, item: Item) -> Answer:
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self.queue.append((item, future))
        if self.idle:
            self.task = asyncio.ensure_future(self._drain())
        return await future

    async def _drain(self) -> None:
        await asyncio.sleep(0)  # let the callers of this same moment join the first round
        while self.queue:
            taken, self.queue = self.queue[: self.limit], self.queue[self.limit :]
            live = [(item, fut) for item, fut in taken if not fut.done()]
            if not live:
                continue
            try:
                answers = await self.run([item for item, _ in live])
            except BaseException as exc:  # handed to every caller of the round
                for _, fut in live:
                    if not fut.done():
                        fut.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    for _, fut in self.queue:
                        fut.cancel()
                    self.queue = []
                    raise
                continue
            for (_, fut), answer in zip(live, answers, strict=True):
                if not fut.done():
                    fut.set_result(answer)
