"""What the Slack adapter needs from the core (bot.service.Service implements it)."""

from __future__ import annotations

from typing import Any, Protocol

from bot.actor import Actor
from bot.replies import Reply


class Service(Protocol):
    """What the handlers need from bot.service.Service."""

    async def handle(self, actor: Actor, text: str) -> Reply: ...

    async def run(self, actor: Actor, command: Any) -> Reply: ...

    async def interview_choices(self, actor: Actor, typed_prefix: str, limit: int = 25,
                                active_only: bool = False) -> list[tuple[int, str]]: ...
