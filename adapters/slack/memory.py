"""What the app remembers for a while: retried events and pressed buttons seen, and a message's
blocks while a form started from one of its buttons is open. In memory, per process."""

from __future__ import annotations

import time
from collections import OrderedDict

from adapters.slack.blocks import Block


class Seen:
    """Keys seen in the last `ttl` seconds (retried events, pressed buttons)."""

    def __init__(self, ttl: float = 600.0, size: int = 100_000) -> None:
        self.ttl = ttl
        self.size = size
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if at > now - self.ttl and len(self._seen) < self.size:
                break
            self._seen.pop(oldest)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)

    def __contains__(self, key: str) -> bool:
        at = self._seen.get(key)
        return at is not None and at > time.monotonic() - self.ttl


class Recent:
    """A few recent values by key, for a while (the blocks of a message whose form is open)."""

    def __init__(self, ttl: float = 3600.0, size: int = 1000) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, list[Block]]] = OrderedDict()

    def remember(self, key: str, value: list[Block]) -> None:
        self._items[key] = (time.monotonic() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def pop(self, key: str) -> list[Block] | None:
        entry = self._items.pop(key, None)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else None
