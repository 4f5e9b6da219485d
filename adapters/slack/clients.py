"""Web API clients, as the configuration asks for them. The installation store of a multi-workspace
app is built once by the entry point (`python -m bot`) and handed in."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Config

DEFAULT_API_URL = "https://slack.com/api/"
# Each scope and why: docs/install-slack.md
BOT_SCOPES = ["commands", "chat:write", "im:write", "im:history", "users:read", "files:write", "usergroups:read"]


def api_url(config: Config) -> str:
    url = config.slack_api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def web_client(config: Config, token: str | None = None, *, interactive: bool = False) -> AsyncWebClient:
    """A Web API client. `interactive`: answering a user (views, response messages): a 429 is
    retried once after its Retry-After. Reminder DMs leave 429s to the dispatcher's backoff."""
    client = AsyncWebClient(token=token, base_url=api_url(config), timeout=10)
    if interactive:
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    return client


def is_multi_workspace(config: Config) -> bool:
    return bool(config.slack_client_id and config.slack_client_secret)
