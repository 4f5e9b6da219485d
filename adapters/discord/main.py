"""`python -m bot discord [run|sync] [--guild ID]`: migrate, wire the core, run the bot (and this
process's reminder dispatcher) until SIGTERM; or register the `/interview` commands."""

from __future__ import annotations

import discord

from adapters.discord.run import serve, sync_commands_async
from adapters.wiring import build
from bot.career_center.retention import RetentionPurge
from bot.config import Config
from storage.migrate import upgrade


async def main(config: Config, action: str = "run", guild: str | None = None) -> None:
    if action == "sync":
        names = await sync_commands_async(config, int(guild) if guild else None)
        where = f"server {guild}" if guild else "every server (global commands can take up to an hour to appear)"
        print(f"Registered /{', /'.join(names)} in {where}.")
        return
    upgrade(config.database_url)
    runtime = build(config, {})  # serve() adds the Discord notifier and this process's dispatcher
    runtime.purge = RetentionPurge(runtime.store, runtime.clock)  # this process delivers: it purges too
    await runtime.start()
    try:
        signal = runtime.wake_signal
        await serve(config, runtime.service, runtime.store, listen=signal.listen if signal is not None else None)
    except discord.LoginFailure:
        raise SystemExit("Discord refused DISCORD_TOKEN: check the bot token in the Developer Portal.") from None
    finally:
        await runtime.close()
