"""Each runtime started the way `python -m bot ...` starts it (the entry point's own functions), used
through the fakes of Slack and Discord, and stopped cleanly; /healthz of every long-running process
says whether the database answers."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.health import HealthServer
from bot.actor import Actor
from bot.config import Config
from bot.entry.database import database_probe
from bot.entry.errors import CannotStart
from bot.entry.processes import run_console, run_slack, run_web, run_worker
from bot.entry.release import release
from bot.service import Service
from storage.store import SqlStore
from tests.clock import quiet_hours_away_from
from tests.discord.fake_discord import TOKEN, FakeDiscord, certificate
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SECRET, SlackSender, texts
from tests.waiting import eventually

TEAM = "T0001"
ALICE = "U0ALICE"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def health(port: int, timeout: float = 15.0) -> dict[str, Any]:
    """GET /healthz on 127.0.0.1:port, waiting for the process to listen; the JSON answer and status."""
    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    return {"status": response.status, **(await response.json())}
            except aiohttp.ClientConnectionError:
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError(f"nothing answers on port {port}") from None
                await asyncio.sleep(0.05)


async def stopped_cleanly(task: asyncio.Task[None], stop: asyncio.Event, timeout: float = 15.0) -> None:
    stop.set()
    await asyncio.wait_for(task, timeout)  # returns, raising nothing


async def log_due_interview(url: str, platform: str, community: str, user: str) -> None:
    """An interview that ended two hours ago: its thank-you reminder is due now."""
    store = SqlStore(url)
    try:
        service = Service(store, _Now(), default_tz="UTC")
        now = datetime.now(UTC)
        started = (now - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
        for text in (f"settings quiet: {quiet_hours_away_from(now)}",
                     f"add company: Horizon Marketing; role: Analyst; when: {started}"):
            reply = await service.handle(Actor(platform, community, user), text)
            assert not reply.error, reply.as_text()
    finally:
        await store.close()


class _Now:
    def now(self) -> datetime:
        return datetime.now(UTC)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(team=TEAM) as fake:
        fake.add_user(ALICE, "America/New_York", name="Alice Moreno")
        yield fake


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    # The processes trust the fake's certificate as a deployment trusts a stand-in: SSL_CERT_FILE.
    monkeypatch.setenv("SSL_CERT_FILE", certificate()[0])
    fake = await FakeDiscord().start()
    try:
        yield fake
    finally:
        await fake.close()


def slack_only(fake: FakeSlack, url: str, **extra: Any) -> Config:
    return Config.model_validate({"DATABASE_URL": url, "SLACK_SIGNING_SECRET": SECRET,
                                  "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": fake.url, **extra})


def discord_only(fake: FakeDiscord, url: str, **extra: Any) -> Config:
    return Config.model_validate({"DATABASE_URL": url, "DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": fake.api_url,
                                  **extra})


async def test_the_console_answers_a_script_and_prints_the_reminder_due(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'console.db'}"  # a new file: the entry point migrates it
    now = datetime.now(UTC)
    started = (now - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    script = tmp_path / "script.txt"  # standard input from a file, as `python -m bot console < script.txt`
    script.write_text(f"/interview settings quiet: {quiet_hours_away_from(now)}\n"
                      f"/interview add company: Acme; role: Analyst; when: {started}\n/interview list\n")
    out = io.StringIO()
    with script.open() as stdin:
        await asyncio.wait_for(run_console(Config(database_url=url), "sam", stdin=stdin, stdout=out,
                                           out_dir=tmp_path), 30)
    text = out.getvalue()
    assert "Logged #1" in text and "Acme" in text
    assert "Reminder for sam" in text and "thank-you" in text.lower()


async def test_the_slack_process_answers_delivers_and_stops(fake_slack: FakeSlack, sqlite_url: str) -> None:
    port = free_port()
    await log_due_interview(sqlite_url, "slack", TEAM, ALICE)
    stop = asyncio.Event()
    task = asyncio.create_task(run_slack(slack_only(fake_slack, sqlite_url, PORT=port), stop, host="127.0.0.1"))
    try:
        assert await health(port) == {"status": 200, "ok": True, "mode": "http", "database": "reachable"}
        async with SlackSender(f"http://127.0.0.1:{port}/slack/events") as sender:
            answer = await sender.command("list", ALICE, TEAM, fake_slack.response_url("entry-1"))
        assert answer.status == 200 and "Horizon Marketing" in texts(answer.json()["blocks"])
        await eventually(lambda: bool(fake_slack.called("chat.postMessage")))  # the reminder DM
        await stopped_cleanly(task, stop)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_the_web_process_of_a_discord_only_deployment_is_the_bot_and_answers_healthz(
        fake_discord: FakeDiscord, sqlite_url: str) -> None:
    port = free_port()
    guild = fake_discord.add_guild("Career Center")
    ana = fake_discord.add_user("ana")
    stop = asyncio.Event()
    task = asyncio.create_task(run_web(discord_only(fake_discord, sqlite_url, PORT=port), stop, host="127.0.0.1"))
    try:
        answer = await health(port)
        assert answer["status"] == 200 and answer["database"] == "reachable" and answer["mode"] == "discord"
        await fake_discord.wait_connected()
        now = datetime.now(UTC)
        started = (now - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
        await fake_discord.slash(ana, "interview settings", {"quiet": quiet_hours_away_from(now)}, guild_id=guild)
        added = await fake_discord.slash(ana, "interview add", {"company": "Horizon Marketing", "role": "Analyst",
                                                                "when": started}, guild_id=guild)
        assert "Logged #1" in added.text()
        dms = await fake_discord.wait_dms(ana, timeout=15)
        assert "thank-you" in dms[0]["content"].lower()
        await stopped_cleanly(task, stop)
        assert not fake_discord.shards  # the gateway connection was closed
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_the_worker_delivers_for_each_platform_answers_healthz_and_stops(
        fake_slack: FakeSlack, fake_discord: FakeDiscord, db_url: str) -> None:
    port = free_port()
    ana = fake_discord.add_user("ana")
    guild = fake_discord.add_guild("Career Center")
    await log_due_interview(db_url, "slack", TEAM, ALICE)
    await log_due_interview(db_url, "discord", str(guild), str(ana))
    config = Config.model_validate({"DATABASE_URL": db_url, "SLACK_BOT_TOKEN": "xoxb-test-token",
                                    "SLACK_API_URL": fake_slack.url, "DISCORD_TOKEN": TOKEN,
                                    "DISCORD_API_URL": fake_discord.api_url, "HEALTH_PORT": port})
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(config, stop, host="127.0.0.1"))
    try:
        answer = await health(port)
        assert answer["status"] == 200 and answer["mode"] == "worker" and answer["database"] == "reachable"
        await eventually(lambda: bool(fake_slack.called("chat.postMessage")))
        dms = await fake_discord.wait_dms(ana, timeout=15)
        assert "Horizon Marketing" in str(dms[0])
        await stopped_cleanly(task, stop)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_worker_with_no_platform_says_so_in_one_line(sqlite_url: str) -> None:
    with pytest.raises(CannotStart, match="nothing to deliver to"):
        await run_worker(Config(database_url=sqlite_url), asyncio.Event())


async def test_healthz_names_a_database_that_does_not_answer() -> None:
    port = free_port()
    store = SqlStore(f"postgresql://postgres:hunter2@127.0.0.1:{port}/nowhere")
    server = HealthServer(database_probe(store), host="127.0.0.1", port=0, mode="worker")
    await server.start()
    try:
        answer = await health(server.port)
        assert answer["status"] == 503 and answer["ok"] is False
        reason = answer["database"]
        assert f"127.0.0.1:{port}/nowhere" in reason and "cannot be reached" in reason
        assert "\n" not in reason and "hunter2" not in reason
    finally:
        await server.stop()
        await store.close()


@pytest.mark.parametrize("runtime", [run_worker, run_web])
async def test_a_process_over_a_damaged_database_file_says_so_in_one_line(
        runtime: Callable[..., Awaitable[None]], fake_slack: FakeSlack, tmp_path: Path) -> None:
    damaged = tmp_path / "followthrough.db"
    damaged.write_bytes(b"this is not a database, it was overwritten by mistake" * 100)
    with pytest.raises(CannotStart) as refused:
        await runtime(slack_only(fake_slack, f"sqlite:///{damaged}"), asyncio.Event(), host="127.0.0.1")
    assert str(refused.value) == f"The database could not be migrated: the SQLite file {damaged} is not a database " \
                                 "(damaged, or another kind of file)"


async def test_a_release_registers_discord_commands_only_when_they_changed(fake_discord: FakeDiscord,
                                                                         tmp_path: Path) -> None:
    config = discord_only(fake_discord, f"sqlite:///{tmp_path / 'release.db'}")
    first = await release(config)
    assert first[0] == "Database is up to date." and first[1].startswith("Registered /interview")
    registered = [command["id"] for command in fake_discord.commands[None]]  # new ids at every overwrite
    again = await release(config)
    assert "nothing sent" in again[1]
    assert [command["id"] for command in fake_discord.commands[None]] == registered
    fake_discord.commands[None][0]["description"] = "what an older release registered"
    upgraded = await release(config)
    assert upgraded[1].startswith("Registered")
    assert not {command["id"] for command in fake_discord.commands[None]} & set(registered)


async def test_a_release_that_cannot_reach_discord_fails_in_one_line(fake_discord: FakeDiscord,
                                                                     tmp_path: Path) -> None:
    config = discord_only(fake_discord, f"sqlite:///{tmp_path / 'release.db'}")
    fake_discord.fail_next(503, 503, 503, 503, 503, 503)
    with pytest.raises(CannotStart, match="Discord commands could not be registered"):
        await release(config)


async def test_a_slack_only_release_only_migrates(fake_slack: FakeSlack, tmp_path: Path) -> None:
    assert await release(slack_only(fake_slack, f"sqlite:///{tmp_path / 'release.db'}")) == ["Database is up to date."]
