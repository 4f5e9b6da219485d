"""Running the bot: serve() until SIGTERM, shards split across processes, the fake's own rules."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from adapters.discord.client import FollowthroughBot
from adapters.discord.run import make_client, make_notifier, parse_shard_ids
from bot.config import Config
from bot.entry.errors import CannotStart
from bot.entry.processes import run_discord
from bot.ports import Outcome, Recipient, SystemClock
from bot.replies import Reply
from bot.service import Service
from storage.store import SqlStore
from tests.clock import quiet_hours_away_from
from tests.discord.conftest import Harness
from tests.discord.fake_discord import TOKEN, FakeDiscord, certificate


@pytest.fixture
def trust_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process started with DISCORD_API_URL trusts the stand-in's certificate as a deployment
    would: through SSL_CERT_FILE, which OpenSSL's default trust store reads."""
    monkeypatch.setenv("SSL_CERT_FILE", certificate()[0])


def config_for(fake: FakeDiscord, **extra: object) -> Config:
    return Config.model_validate({"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": fake.api_url, **extra})


async def test_serve_answers_delivers_and_stops_cleanly_on_sigterm(fake: FakeDiscord, db_url: str,
                                                                   trust_fake: None) -> None:
    """Started as `python -m bot discord` starts it, on SQLite and on PostgreSQL (where commands
    also wake other processes): a command's reminder is delivered at once by this process's
    dispatcher, not at its next poll a minute later."""
    guild = fake.add_guild("Career Center")
    ana = fake.add_user("ana")
    config = config_for(fake, DATABASE_URL=db_url)
    task = asyncio.create_task(run_discord(config, host="127.0.0.1"))
    try:
        await fake.wait_connected()
        now = datetime.now(UTC)
        started = (now - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
        await fake.slash(ana, "interview settings", {"quiet": quiet_hours_away_from(now)}, guild_id=guild)
        added = await fake.slash(ana, "interview add", {"company": "Horizon Marketing", "role": "Coordinator",
                                                        "when": started}, guild_id=guild)
        assert "Logged #1" in added.text()
        dms = await fake.wait_dms(ana, timeout=15)  # the dispatcher in the same process delivers it
        assert "thank-you" in dms[0]["content"].lower()
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, 15)
        assert not fake.shards  # the gateway connection was closed
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_shards_split_across_processes_each_answer_their_servers(fake: FakeDiscord,
                                                                        sqlite_store: SqlStore) -> None:
    service = Service(sqlite_store, SystemClock(), default_tz="UTC")
    first = fake.add_guild("First", shard=0, shard_count=2)
    second = fake.add_guild("Second", shard=1, shard_count=2)
    ana = fake.add_user("ana")
    bots: list[FollowthroughBot] = []
    tasks = []
    for ids in ("0", "1"):
        bot = make_client(config_for(fake, DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS=ids), service,
                          tls=fake.client_tls(), guild_ready_timeout=0.05)
        bots.append(bot)
        tasks.append(asyncio.create_task(bot.start(TOKEN)))
        await asyncio.sleep(0.2)
    try:
        await fake.wait_connected()
        assert sorted(fake.shards) == [0, 1]
        for guild in (first, second):
            record = await fake.slash(ana, "interview list", guild_id=guild)
            assert "No interviews" in record.text()
        assert bots[0].get_guild(first) is not None and bots[0].get_guild(second) is None
        assert bots[1].get_guild(second) is not None
    finally:
        for bot in bots:
            await bot.close()
        await asyncio.gather(*tasks, return_exceptions=True)


def test_shard_ids_are_read_as_lists_and_ranges() -> None:
    assert parse_shard_ids("0-3,8") == [0, 1, 2, 3, 8]
    assert parse_shard_ids(" 2 , 1 ") == [1, 2]
    assert parse_shard_ids(None) is None and parse_shard_ids("") is None


async def test_server_errors_and_rate_limits_are_retried_later_not_lost(harness: Harness) -> None:
    assert harness.bot is not None
    notifier = make_notifier(harness.bot)
    recipient = Recipient(1, "discord", str(harness.guild), str(harness.ana))
    harness.fake.fail_next(503)
    result = await notifier.send(recipient, Reply(title="Follow-up due"))
    assert result.outcome is Outcome.RETRY
    harness.fake.limit_next(1, retry_after=0.05)
    result = await notifier.send(recipient, Reply(title="Follow-up due"))
    assert result.outcome is Outcome.DELIVERED and harness.fake.rate_limited == 1
    bad = await notifier.send(Recipient(1, "discord", "dm", "not-a-user"), Reply(title="x"))
    assert bad.outcome is Outcome.PERMANENT


async def test_the_fake_refuses_a_first_answer_after_three_seconds(harness: Harness) -> None:
    fake = harness.fake
    record = await fake._send_interaction(2, harness.ana, harness.guild, fake.command_data("interview help", None),
                                          wait=False)
    record.created -= 10  # as if it had been dispatched ten seconds ago
    async with aiohttp.ClientSession(connector=fake.connector()) as session:
        url = f"{fake.rest_url}/interactions/{record.id}/{record.token}/callback"
        async with session.post(url, json={"type": 4, "data": {"content": "late"}}) as response:
            body = await response.json()
    assert response.status == 404 and body["code"] == 10062


async def test_heartbeats_are_acknowledged_and_a_dropped_gateway_is_resumed(harness: Harness) -> None:
    fake = harness.fake
    fake.heartbeat_ms = 50
    await harness.restart()  # the new connection gets the short heartbeat interval
    for _ in range(100):
        if fake.heartbeats >= 2:
            break
        await asyncio.sleep(0.05)
    assert fake.heartbeats >= 2
    await fake.drop_connections()
    for _ in range(100):
        if fake.resumes:
            break
        await asyncio.sleep(0.05)
    assert fake.resumes == 1
    record = await fake.slash(harness.ana, "interview list", guild_id=harness.guild)
    assert "No interviews" in record.text()


async def test_a_wrong_token_stops_the_bot_with_a_clear_line(fake: FakeDiscord, sqlite_url: str,
                                                              trust_fake: None) -> None:
    with pytest.raises(CannotStart, match="Discord refused DISCORD_TOKEN"):
        await asyncio.wait_for(run_discord(config_for(fake, DISCORD_TOKEN="wrong", DATABASE_URL=sqlite_url),
                                           host="127.0.0.1"), 10)
