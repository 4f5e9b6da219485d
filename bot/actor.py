"""Who is asking: a member of a community on one platform."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    platform: str  # "console", "slack", "discord"
    community: str  # Slack team id, Discord guild id ("dm" outside a server), "local" on the console
    external_id: str  # the platform's user id
    display_name: str | None = None
    is_admin: bool = False  # Slack workspace admin/owner, Discord Manage Server, console --admin
    tz_hint: str | None = None  # the platform's idea of the user's zone (Slack users.info tz)
    locale: str | None = None  # the platform's locale ("en-US", "de"): how the member writes dates
