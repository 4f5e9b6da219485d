"""The Procfile as a platform runs it: each of its commands, in a Slack-only and in a Discord-only
deployment (tokens pointing at the fakes, a fresh database), comes up healthy and stops cleanly on
SIGTERM; `release` finishes with success."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.discord.fake_discord import TOKEN, FakeDiscord, certificate
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import SECRET
from tests.test_entry import free_port, health

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ("DATABASE_URL", "PORT", "HEALTH_PORT", "LOG_FORMAT")


def procfile() -> dict[str, str]:
    processes: dict[str, str] = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() and not line.startswith("#"):
            processes[name.strip()] = command.strip()
    return processes


def test_the_procfile_has_a_release_a_web_and_a_worker_process() -> None:
    assert {"release", "web", "worker"} <= set(procfile())


@pytest.fixture
async def fakes(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[FakeSlack, FakeDiscord]]:
    slack = FakeSlack(team="T0001")
    await slack.start()
    discord = await FakeDiscord().start()
    try:
        yield slack, discord
    finally:
        await discord.close()
        await slack.stop()


def environment(deployment: str, slack: FakeSlack, discord: FakeDiscord, database: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "DISCORD_")) and key not in SETTINGS}
    env.update({"DATABASE_URL": f"sqlite:///{database}", "PORT": str(free_port()),
                "HEALTH_PORT": str(free_port()), "LOG_FORMAT": "json"})
    if deployment == "slack":
        env.update({"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.url})
    else:
        # The processes trust the fake's certificate as a deployment trusts a stand-in's.
        env.update({"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": discord.api_url, "SSL_CERT_FILE": certificate()[0]})
    return env


async def start(command: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    argv = shlex.split(command)
    if argv[0] == "python":
        argv[0] = sys.executable
    return await asyncio.create_subprocess_exec(*argv, env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)


@pytest.mark.parametrize("deployment", ["slack", "discord"])
async def test_each_procfile_command_comes_up_healthy(deployment: str, fakes: tuple[FakeSlack, FakeDiscord],
                                                      tmp_path: Path) -> None:
    slack, discord = fakes
    env = environment(deployment, slack, discord, tmp_path / "followthrough.db")
    processes = procfile()
    release = await start(processes["release"], env, tmp_path)
    out, err = await asyncio.wait_for(release.communicate(), 120)
    assert release.returncode == 0, err.decode()[-2000:]
    for name, command in processes.items():
        if name == "release":
            continue
        process = await start(command, env, tmp_path)
        try:
            port = int(env["PORT"] if name == "web" else env["HEALTH_PORT"])
            answer = await health(port, timeout=60)
            assert answer["status"] == 200 and answer["database"] == "reachable", (name, answer)
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), 30)
            assert process.returncode == 0, (name, err.decode()[-2000:])
            for line in err.decode().splitlines():  # LOG_FORMAT=json: every line is one JSON object
                assert line.startswith("{") and line.endswith("}"), (name, line)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def run_cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=env, cwd=cwd,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_discord_sync_from_the_command_line_registers_in_one_server(fakes: tuple[FakeSlack, FakeDiscord],
                                                                         tmp_path: Path) -> None:
    slack, discord = fakes
    guild = discord.add_guild("Career Center")
    env = environment("discord", slack, discord, tmp_path / "followthrough.db")
    code, out, err = await run_cli("discord", "sync", "--guild", str(guild), env=env, cwd=tmp_path)
    assert code == 0, err[-2000:]
    assert out.startswith("Registered /interview") and f"server {guild}" in out
    assert [command["name"] for command in discord.commands[guild]][0] == "interview"


async def test_a_database_that_cannot_be_used_stops_start_up_with_one_line(fakes: tuple[FakeSlack, FakeDiscord],
                                                                          tmp_path: Path) -> None:
    slack, discord = fakes
    damaged = tmp_path / "followthrough.db"
    damaged.write_bytes(b"not a database " * 200)
    env = environment("slack", slack, discord, damaged)
    for mode in ("migrate", "web", "worker"):
        code, out, err = await run_cli(mode, env=env, cwd=tmp_path)
        assert code == 1, (mode, err)
        assert err.strip().splitlines()[-1] == (f"The database could not be migrated: the SQLite file {damaged} "
                                                "is not a database (damaged, or another kind of file)"), (mode, err)
        assert "Traceback" not in err


async def test_migrate_from_the_command_line_creates_the_database(fakes: tuple[FakeSlack, FakeDiscord],
                                                                 tmp_path: Path) -> None:
    slack, discord = fakes
    env = environment("slack", slack, discord, tmp_path / "new.db")
    code, out, err = await run_cli("migrate", env=env, cwd=tmp_path)
    assert (code, out) == (0, "Database is up to date.\n"), err
    assert (tmp_path / "new.db").stat().st_size > 0
