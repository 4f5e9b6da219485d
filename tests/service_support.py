"""What service-level tests share: run a command that must succeed."""

from __future__ import annotations

from bot.actor import Actor
from bot.replies import Reply
from bot.service import Service


async def ok(service: Service, actor: Actor, text: str) -> Reply:
    """Run `text` for `actor`; fail the test with the answer if it was refused."""
    reply = await service.handle(actor, text)
    assert not reply.error, f"{text!r} -> {reply.title}"
    return reply
