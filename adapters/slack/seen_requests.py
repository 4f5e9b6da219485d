"""Which Slack requests already ran, so that a replay (the same signed request again, or a command
or form submission with a trigger id already seen) is acknowledged and not run again.

Kept in this process's memory for `MEMORY_SECONDS` (Slack's 5-minute signature window and a
minute more), and, when the entry point gives one (PostgreSQL, where several Slack processes share
one database), in a record every process shares too (`SharedRecord`; the storage implements it).
When that record cannot be reached, this process's memory still guards it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from adapters.slack.memory import Seen

log = logging.getLogger(__name__)

MEMORY_SECONDS = 6 * 60.0
KEY_CHARS = 100


class SharedRecord(Protocol):
    """Requests any Slack process of the deployment has seen."""

    async def first_time(self, keys: Sequence[str]) -> bool:
        """True (and every key recorded) if no process recorded any of `keys` in the window."""
        ...


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
