"""Which Slack requests already ran, so that a replay (the same signed request again, or a command
or form submission with a trigger id already seen) is acknowledged and not run again.

Kept in this process's memory for `MEMORY_SECONDS` (Slack's 5-minute signature window and a
minute more) and, where several Slack processes share one database (PostgreSQL), in a record they
all see, handed in by the entry point (storage.seen_requests). On SQLite (one process by design)
memory alone is the record.
"""

from __future__ import annotations

import logging
from typing import Protocol

from adapters.slack.memory import Seen

log = logging.getLogger(__name__)

MEMORY_SECONDS = 6 * 60.0
KEY_CHARS = 100


class SharedRecord(Protocol):
    """Requests seen by any process: True (and `keys` recorded) if none of them was seen yet."""

    async def first_time(self, keys: list[str]) -> bool: ...


class SeenRequests:
    def __init__(self, shared: SharedRecord | None = None) -> None:
        self._memory = Seen(ttl=MEMORY_SECONDS)
        self._shared = shared

    @property
    def shared(self) -> bool:
        """Whether other processes on the same database see what this one saw."""
        return self._shared is not None

    async def first_time(self, keys: list[str]) -> bool:
        """True (and every key recorded) if none of `keys` was seen in the window."""
        keys = [k[:KEY_CHARS] for k in keys if k]
        if any(k in self._memory for k in keys):
            return False
        for key in keys:
            self._memory.first_time(key)
        if self._shared is None:
            return True
        try:
            return await self._shared.first_time(keys)
        except Exception as error:  # the database is down: memory still guards this process
            log.warning("replay check in the database failed (%s): this process's memory decides",
                        type(error).__name__)
            return True
