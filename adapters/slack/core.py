"""What the Slack adapter needs from the core: its Commands port (bot.service.Service implements it)."""

from __future__ import annotations

from bot.ports import Commands as Service

__all__ = ["Service"]
