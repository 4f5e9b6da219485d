"""Registering the commands with Discord only when they changed, so a release can always call it.

`python -m bot discord sync` runs at every release; most releases change no command. The
fingerprint of the command tree this code defines is compared with the fingerprint of what Discord
has registered (its answer to GET .../commands, the one record that cannot go stale: a file or a
database row would not know of a sync run from elsewhere, and a release container's disk is new
each time). Only when they differ are the commands overwritten (one PUT). Both sides are reduced to
the fields this bot sets, with Discord's defaults filled in, before hashing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

_COMMAND_KEYS = ("type", "name", "description", "default_member_permissions", "nsfw", "contexts",
                 "integration_types", "options")
_OPTION_KEYS = ("type", "name", "description", "required", "choices", "autocomplete", "min_value", "max_value",
                "min_length", "max_length", "channel_types", "options")
_DEFAULTS: dict[str, Any] = {"required": False, "autocomplete": False, "nsfw": False, "choices": [], "options": [],
                             "channel_types": []}


@dataclass(frozen=True)
class SyncOutcome:
    changed: bool  # False: Discord already had exactly these commands; nothing was sent
    names: list[str]
    fingerprint: str


def _value(key: str, value: Any) -> Any:
    if value is None:
        return _DEFAULTS.get(key)
    if key == "default_member_permissions":
        return str(value)
    if key in ("contexts", "integration_types", "channel_types"):
        return sorted(int(v) for v in value)
    if key == "choices":
        return [{"name": c["name"], "value": c["value"]} for c in value]
    return value


def _reduced(entry: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    out = {key: _value(key, entry.get(key)) for key in keys}
    out["options"] = [_reduced(option, _OPTION_KEYS) for option in entry.get("options") or []]
    return out


def fingerprint(commands: Iterable[Mapping[str, Any]]) -> str:
    """A hash of commands as Discord's JSON shows them, over the fields this bot sets."""
    reduced = sorted((_reduced(c, _COMMAND_KEYS) for c in commands), key=lambda c: (c["type"], c["name"]))
    return hashlib.sha256(json.dumps(reduced, sort_keys=True).encode()).hexdigest()


async def _registered(client: discord.Client, guild: discord.abc.Snowflake | None) -> list[dict[str, Any]]:
    """The commands Discord has registered, as its JSON. (Read raw: discord.py 2.7's AppCommand
    reads `contexts` and `integration_types` as 1-based flags and so misreports them.)"""
    application_id = client.application_id
    assert application_id is not None, "log in first"
    if guild is None:
        found = await client.http.get_global_commands(application_id)
    else:
        found = await client.http.get_guild_commands(application_id, guild.id)
    return [dict(command) for command in found]


async def sync_when_changed(client: discord.Client, tree: app_commands.CommandTree[Any],
                            guild: discord.abc.Snowflake | None = None) -> SyncOutcome:
    """Overwrite the registered commands (global, or one server's) with `tree`'s, unless Discord
    already has the same ones. `client` must be logged in."""
    local = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    wanted = fingerprint(local)
    registered = await _registered(client, guild)
    if fingerprint(registered) == wanted:
        return SyncOutcome(False, [str(c["name"]) for c in registered], wanted)
    synced = await tree.sync(guild=guild)
    return SyncOutcome(True, [c.name for c in synced], wanted)
