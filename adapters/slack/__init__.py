"""Followthrough on Slack: `/interview`, modals, App Home and reminder DMs with buttons (slack-bolt)."""

from adapters.slack.server import make_notifier, serve

__all__ = ["make_notifier", "serve"]
