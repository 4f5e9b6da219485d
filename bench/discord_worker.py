"""The notifier of a `bench.dispatch` worker delivering to the fake Discord (`--platform discord`)
or the fake Slack (`--platform slack`): the real one of `python -m bot worker`, configured from the
environment."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.ports import DeliveryResult, Notifier, Recipient
from bot.replies import Reply


@dataclass
class SlowAnswers:
    """The real notifier, whose answers take `delay` seconds to come back after the platform has the
    DM; `keys` False sends without the DM's key (as before the nonce)."""

    inner: Notifier
    delay: float = 0.0
    keys: bool = True
    platform: str = "discord"

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        result = await self.inner.send(recipient, message, dm_key=dm_key if self.keys else None)
        if self.delay:
            await asyncio.sleep(self.delay)
        return result

    def close(self) -> None:
        """Nothing to release: the worker process ends next."""


def discord_notifier(delay: float = 0.0, keys: bool = True) -> SlowAnswers:
    """The worker's notifier: `python -m bot worker`'s, configured from the environment."""
    from adapters.discord.run import make_rest_notifier
    from bot.config import Config

    return SlowAnswers(make_rest_notifier(Config()), delay, keys)


def slack_notifier(delay: float = 0.0, keys: bool = True) -> SlowAnswers:
    """The worker's Slack notifier (one bot token, SLACK_API_URL): `python -m bot worker`'s."""
    from adapters.slack.notifier import make_notifier
    from bot.config import Config

    return SlowAnswers(make_notifier(Config()), delay, keys, platform="slack")


def real_notifier(platform: str, delay: float = 0.0, keys: bool = True) -> SlowAnswers:
    """The real notifier of `platform` (discord or slack)."""
    return {"discord": discord_notifier, "slack": slack_notifier}[platform](delay, keys)
