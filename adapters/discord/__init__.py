"""Followthrough on Discord: `/interview`, forms, reminder DMs with buttons (discord.py).

What the entry point (`python -m bot`) needs: a client over the core's service, the notifier
factories (through that client, or REST alone for a worker), `serve(...)` and the command sync."""

from adapters.discord.run import (
    make_client,
    make_notifier,
    make_rest_notifier,
    serve,
    sync_commands_async,
    sync_when_changed_async,
)

__all__ = ["make_client", "make_notifier", "make_rest_notifier", "serve",
           "sync_commands_async", "sync_when_changed_async"]
