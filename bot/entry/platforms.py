"""Which platforms a configuration serves (Slack, Discord, both), and their reminder senders:
each platform's notifier comes from its adapter's factory; for many Slack workspaces, with the
installation store built on our store's engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.config import Config
from bot.ports import Notifier
from storage.slack_installations import SlackInstallations, slack_installations
from storage.store import SqlStore


def slack_configured(config: Config) -> bool:
    return bool(config.slack_bot_token or (config.slack_client_id and config.slack_client_secret))


def discord_configured(config: Config) -> bool:
    return config.discord_token is not None


def configured_platforms(config: Config) -> frozenset[str]:
    platforms = set()
    if slack_configured(config):
        platforms.add("slack")
    if discord_configured(config):
        platforms.add("discord")
    return frozenset(platforms)


def slack_stores(config: Config, store: SqlStore) -> SlackInstallations | None:
    """Many workspaces: slack-sdk's installation and OAuth state stores on our store's engine."""
    if config.slack_client_id and config.slack_client_secret:
        return slack_installations(store.engine, config.slack_client_id)
    return None


def slack_notifier(config: Config, installations: SlackInstallations | None) -> Notifier:
    from adapters import slack

    if installations is None:
        return slack.make_notifier(config)
    return slack.make_notifier(config, installations.installations, installations.grid)


def worker_notifiers(config: Config, store: SqlStore) -> tuple[dict[str, Notifier],
                                                               list[Callable[[], Awaitable[object]]]]:
    """The reminder senders of a process with no platform connection of its own (`worker`): Slack's
    Web API, Discord's REST API; and what to close when the process ends."""
    notifiers: dict[str, Notifier] = {}
    closers: list[Callable[[], Awaitable[object]]] = []
    if slack_configured(config):
        notifiers["slack"] = slack_notifier(config, slack_stores(config, store))
    if discord_configured(config):
        from adapters import discord as discord_adapter

        rest = discord_adapter.make_rest_notifier(config)
        notifiers["discord"] = rest
        closers.append(rest.close)
    return notifiers, closers
