"""The local console: the default way to try Followthrough without Slack or Discord.

What the entry point (`python -m bot console`) needs: the notifier factory and `serve(...)`."""

from collections.abc import Callable

from adapters.console.console import ConsoleNotifier
from adapters.console.console import run as serve


def make_notifier(write: Callable[[str], None]) -> ConsoleNotifier:
    """Reminder DMs written with `write` (the terminal)."""
    return ConsoleNotifier(write)


__all__ = ["ConsoleNotifier", "make_notifier", "serve"]
