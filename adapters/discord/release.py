"""What a release needs from the Discord side: a digest of the `/interview` command tree as it
would be registered, so that commands are synced only when they changed."""

from __future__ import annotations

import hashlib
import json

from adapters.discord.run import make_client
from bot.config import Config


async def command_tree_digest(config: Config) -> str:
    """SHA-256 of the command tree's registration payload (names, options, permissions, ...)."""
    client = make_client(config, service=None)
    async with client:
        payload = [command.to_dict(client.tree) for command in client.tree.get_commands()]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
