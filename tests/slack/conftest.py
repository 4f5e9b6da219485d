"""The Slack adapter under test: the real bolt app over HTTP on 127.0.0.1, the real core on a
fresh SQLite database, and the fake Slack Web API (tests/slack/fake_slack.py) as its Slack."""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.slack.server import SlackServer, build_server
from bot.config import Config
from bot.service import Service
from storage.seen_requests import shared_seen_requests
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SECRET, Answer, SlackSender, button_payload, find_button

TEAM = "T0001"
ALICE = "U0ALICE"
BOB = "U0BOB"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"


def slack_config(fake: FakeSlack, db_url: str, **extra: Any) -> Config:
    values: dict[str, Any] = {
        "DATABASE_URL": db_url,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake.url,
        "PORT": 0,
        "SLACK_APP_TOKEN": None,
        "SLACK_CLIENT_ID": None,
        "SLACK_CLIENT_SECRET": None,
    }
    values.update(extra)
    return Config.model_validate(values)


@contextmanager
def captured_logs() -> Iterator[list[str]]:
    """Every log line of every logger at DEBUG, formatted (what a log file would hold)."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@dataclass
class Harness:
    fake: FakeSlack
    server: SlackServer
    sender: SlackSender
    service: Service
    store: SqlStore
    clock: FakeClock

    _n = itertools.count(1)

    async def command(self, text: str, user: str = ALICE, **kw: Any) -> tuple[Answer, str]:
        """Type `/interview text` as `user`; returns the HTTP answer and its response_url key."""
        key = f"cmd-{next(self._n)}"
        answer = await self.sender.command(text, user, TEAM, self.fake.response_url(key), **kw)
        return answer, key

    async def ask(self, text: str, user: str = ALICE) -> dict[str, Any]:
        """The ephemeral answer (the ack body) to `/interview text`, checked like Slack would."""
        answer, _ = await self.command(text, user)
        assert answer.status == 200, answer.text
        body = answer.json()
        assert body["response_type"] == "ephemeral"
        from tests.slack.fake_slack import MESSAGE_BLOCKS, validate_blocks

        assert validate_blocks(body["blocks"], MESSAGE_BLOCKS) == []
        return dict(body)

    async def settle(self) -> None:
        await self.server.bot.background.idle()

    async def press_in_message(self, message: dict[str, Any], label: str, user: str, channel: str,
                               key: str | None = None) -> Answer:
        block_id, button = find_button(message["blocks"], label)
        key = key or f"press-{next(self._n)}"
        payload = button_payload(user=user, team=TEAM, message=message, channel=channel, block_id=block_id,
                                 button=button, response_url=self.fake.response_url(key))
        answer = await self.sender.interaction(payload)
        await self.settle()
        return answer

    async def press_in_view(self, view: dict[str, Any], label: str, user: str) -> Answer:
        block_id, button = find_button(view["blocks"], label)
        payload = button_payload(user=user, team=TEAM, message=None, channel=None, block_id=block_id,
                                 button=button, response_url=None, view=view)
        answer = await self.sender.interaction(payload)
        await self.settle()
        return answer


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(team=TEAM) as fake:
        fake.add_user(ALICE, "America/New_York", name="Alice Moreno")
        fake.add_user(BOB, "Europe/Berlin", name="Bob Stein")
        yield fake


@asynccontextmanager
async def running(fake: FakeSlack, db_url: str, **config: Any) -> AsyncIterator[Harness]:
    """The Slack app over HTTP on a free port, its core on `db_url`, talking to `fake`."""
    clock = FakeClock()
    store = SqlStore(db_url)
    service = Service(store, clock, default_tz="UTC")
    server = build_server(slack_config(fake, db_url, **config), service, probe=store.health,
                          seen_requests=shared_seen_requests(store.engine))  # as the entry point builds it
    await server.start(host="127.0.0.1", port=0)
    sender = SlackSender(f"http://127.0.0.1:{server.port}/slack/events")
    try:
        async with sender:
            yield Harness(fake=fake, server=server, sender=sender, service=service, store=store, clock=clock)
    finally:
        await server.stop()
        await store.close()


@pytest.fixture
async def slack(fake_slack: FakeSlack, sqlite_url: str) -> AsyncIterator[Harness]:
    async with running(fake_slack, sqlite_url) as harness:
        yield harness
