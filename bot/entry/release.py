"""What runs once rather than serving: `python -m bot release` before each release (the
migrations, then Discord's commands when they changed) and `python -m bot discord sync`."""

from __future__ import annotations

from bot.config import Config
from bot.entry.database import run_migrations
from bot.entry.errors import CannotStart, one_line
from bot.entry.platforms import discord_configured


async def sync_discord(config: Config, guild: str | None = None) -> str:
    """`python -m bot discord sync [--guild ID]`: register the `/interview` commands."""
    from adapters import discord as discord_adapter

    names = await discord_adapter.sync_commands_async(config, int(guild) if guild else None)
    where = f"server {guild}" if guild else "every server (global commands can take up to an hour to appear)"
    return f"Registered /{', /'.join(names)} in {where}."


async def release(config: Config) -> list[str]:
    """`python -m bot release`, run by the platform before each release: the migrations, then (when
    Discord is configured) the commands registered again if they differ from what Discord has; safe
    to run any number of times. Returns what it did, a line each."""
    done = [run_migrations(config)]
    if not discord_configured(config):
        return done
    from adapters import discord as discord_adapter

    try:
        outcome = await discord_adapter.sync_when_changed_async(config)
    except Exception as error:
        raise CannotStart(f"Discord commands could not be registered ({one_line(error)}); "
                          "run the release again.") from None
    names = ", /".join(outcome.names)
    done.append(f"Registered /{names} with Discord." if outcome.changed
                else f"Discord already has /{names} as they are: nothing sent.")
    return done
