"""What service-level tests share: the moment their clock starts at, running a command that must
succeed, and a member's interviews as `export` writes them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.actor import Actor
from bot.replies import Reply
from bot.service import Service

NOW = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)  # Tuesday, 15:30 in Berlin


async def ok(service: Service, actor: Actor, text: str) -> Reply:
    """Run `text` for `actor`; fail the test with the answer if it was refused."""
    reply = await service.handle(actor, text)
    assert not reply.error, f"{text!r} -> {reply.title}"
    return reply


async def exported_interviews(service: Service, actor: Actor) -> list[dict[str, Any]]:
    """The member's interviews in the JSON file `export` sends them, read back."""
    reply = await ok(service, actor, "export")
    return list(json.loads(reply.files[0].content)["interviews"])


async def exported_interview(service: Service, actor: Actor, number: int = 1) -> dict[str, Any]:
    """Interview #`number` of the member's export."""
    return next(i for i in await exported_interviews(service, actor) if i["number"] == number)


def readings(text: str) -> list[str]:
    """What an answer says each typed time was read as (the right side of its "I read" lines)."""
    return [line.split("→", 1)[1].strip() for line in text.splitlines() if "→" in line]
