"""What service-level tests share: the moment their clock starts at, and running a command that
must succeed."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.actor import Actor
from bot.replies import Reply
from bot.service import Service

NOW = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)  # Tuesday, 15:30 in Berlin


async def ok(service: Service, actor: Actor, text: str) -> Reply:
    """Run `text` for `actor`; fail the test with the answer if it was refused."""
    reply = await service.handle(actor, text)
    assert not reply.error, f"{text!r} -> {reply.title}"
    return reply
