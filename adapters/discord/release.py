"""What a release needs from the Discord side: a digest of the command tree as it would be
registered, so that commands are synced only when they changed (the same fingerprint that
adapters.discord.sync compares with what Discord has registered)."""

from __future__ import annotations

from adapters.discord.run import make_client
from adapters.discord.sync import fingerprint
from bot.config import Config


async def command_tree_digest(config: Config) -> str:
    """SHA-256 of the command tree's registration payload (names, options, permissions, ...)."""
    client = make_client(config, service=None)
    async with client:
        return fingerprint(command.to_dict(client.tree) for command in client.tree.get_commands())
