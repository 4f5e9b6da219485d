"""Send once, measured: reminder DMs through a platform's real notifier (discord.py's REST client,
or slack-sdk's Web API client) to the local fake Discord or fake Slack, while dispatcher processes
are SIGKILLed mid-batch N times and replaced. Duplicates and lost reminders are counted on the fake,
by reminder id: what members would see.

    python -m bench dispatch-kill --reminders 2000 --processes 2 --kill 5 --delay 0.05
    python -m bench dispatch-kill --platform slack ...
    python -m bench dispatch-kill ... --no-dm-keys     # the same, sending the old way

With keys, a Discord DM carries a nonce (enforce_nonce) and a Slack DM carries message metadata
naming it, looked up in the DM's recent history before a re-send; `--no-dm-keys` sends neither.
`--delay` is how long each DM's answer takes to come back after the platform has it: the window in
which a kill leaves a DM sent but not recorded. `--lease` is short (2 s) so the dead worker's claims
are taken over quickly; the fake Discord remembers nonces for 5 minutes, as Discord does for a few.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.dispatch import Tally, database, worker_command, worker_env
from tests.discord.fake_discord import TOKEN, FakeDiscord, certificate
from tests.slack.fake_slack import FakeSlack

_ID = re.compile(r"\d+")
SLACK_TOKEN = "xoxb-bench-kill"


# ---------------------------------------------------------------------------------------------
# In the benchmark's process


class Served(Protocol):
    """A fake platform the workers deliver to, as the benchmark sees it."""

    platform: str

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    def members(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        """Make the seeded users members the fake can DM: user id -> (community, external id)."""
    def worker_env(self) -> dict[str, str]: ...
    def dms(self) -> int: ...
    def counts(self) -> Counter[int]: ...
    def already_there(self) -> int: ...


@dataclass
class DiscordServed:
    """The fake Discord; each DM's embed names its reminder ids."""

    platform: str = "discord"
    fake: FakeDiscord = field(init=False)
    guild: int = 0

    async def start(self) -> None:
        self.fake = await FakeDiscord().start()
        self.guild = self.fake.add_guild("Bench Career Center")

    async def stop(self) -> None:
        await self.fake.close()

    def members(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        return {u: (str(self.guild), str(10**17 + u)) for u in user_ids}

    def worker_env(self) -> dict[str, str]:
        return {"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": self.fake.api_url, "SSL_CERT_FILE": certificate()[0],
                "DISCORD_GLOBAL_RATE": "1000"}

    def dms(self) -> int:
        return len(self.fake.dms_sent)

    def counts(self) -> Counter[int]:
        counts: Counter[int] = Counter()
        for message in self.fake.dms_sent:
            for embed in message.get("embeds") or []:
                counts.update(int(n) for n in _ID.findall(embed.get("description") or ""))
        return counts

    def already_there(self) -> int:
        return self.fake.nonce_hits


class _HistoryCounting(FakeSlack):
    """The fake Slack, also counting history look-ups that found the channel's DM already there
    (each bench member has one DM, so that is a re-send the notifier did not make)."""

    def __init__(self) -> None:
        super().__init__()
        self.found_there = 0

    async def _m_conversations_history(self, args: dict[str, Any]) -> Any:
        if self.messages.get(str(args.get("channel") or "")):
            self.found_there += 1
        return await super()._m_conversations_history(args)


@dataclass
class SlackServed:
    """The fake Slack; each DM's text is its title, a blank line, then its reminder ids."""

    platform: str = "slack"
    fake: _HistoryCounting = field(default_factory=_HistoryCounting)

    async def start(self) -> None:
        await self.fake.start()

    async def stop(self) -> None:
        await self.fake.stop()

    def members(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        found = {u: (self.fake.team, f"U{u:09d}") for u in user_ids}
        for _, member in found.values():
            self.fake.add_user(member, tz="UTC")
        return found

    def worker_env(self) -> dict[str, str]:
        return {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": self.fake.url}

    def dms(self) -> int:
        return len(self.fake.called("chat.postMessage"))

    def counts(self) -> Counter[int]:
        counts: Counter[int] = Counter()
        for messages in list(self.fake.messages.values()):
            for message in list(messages):
                counts.update(int(n) for n in _ID.findall(message.text.partition("\n\n")[2]))
        return counts

    def already_there(self) -> int:
        return self.fake.found_there


SERVED: dict[str, Callable[[], Served]] = {"discord": DiscordServed, "slack": SlackServed}


@dataclass
class FakeInThread:
    """A fake platform serving from its own event loop on a thread of this process."""

    served: Served
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    thread: threading.Thread | None = None

    def _run(self, coro: Awaitable[None]) -> None:
        async def wrapped() -> None:
            await coro

        asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(30)

    def __enter__(self) -> Served:
        self.thread = threading.Thread(target=self.loop.run_forever, name=f"fake-{self.served.platform}",
                                       daemon=True)
        self.thread.start()
        self._run(self.served.start())
        return self.served

    def __exit__(self, *exc: object) -> None:
        self._run(self.served.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self.thread is not None:
            self.thread.join(10)
        self.loop.close()


def seed_members(url: str, reminders: int, served: Served) -> range:
    """Due reminders of the platform's members (one interview each), members of the fake."""
    from sqlalchemy import select, update

    from bench.seed import seed, sync_engine
    from storage.models import UserRow

    ids = seed(url, reminders, interviews_per_user=1, platform=served.platform)
    engine = sync_engine(url)
    try:
        with engine.begin() as conn:
            users = [int(u) for u in conn.execute(
                select(UserRow.id).where(UserRow.platform == served.platform)).scalars()]
            for user_id, (community, external) in served.members(users).items():
                conn.execute(update(UserRow).where(UserRow.id == user_id).values(
                    external_id=external, community=community, tz="UTC", quiet_start=None, quiet_end=None))
    finally:
        engine.dispose()
    return ids


def counted(counts: Counter[int], ids: range) -> Tally:
    """Reminders by the DMs the fake holds for them."""
    wanted = set(ids)
    delivered = sum(1 for i in wanted if counts[i] > 0)
    return Tally(expected=len(wanted), delivered=delivered,
                 duplicates=sum(n - 1 for i, n in counts.items() if n > 1 and i in wanted),
                 lost=len(wanted) - delivered, counts=counts)


@dataclass
class KillRun:
    platform: str
    reminders: int
    kills: int
    seconds: float
    tally: Tally
    already_there: int  # sends (Discord) or history look-ups (Slack) that found the DM already there
    keys: bool

    @property
    def nonce_hits(self) -> int:
        return self.already_there


@contextmanager
def _workers() -> Iterator[list[subprocess.Popen[str]]]:
    """The worker processes started inside the block; any still running at its end are stopped."""
    running: list[subprocess.Popen[str]] = []
    try:
        yield running
    finally:
        for proc in running:
            if proc.poll() is None:
                proc.kill()
            proc.wait(30)


def run_kills(reminders: int, processes: int, kills: int, database_spec: str, *, platform: str = "discord",
              lease: float = 2.0, delay: float = 0.05, batch: int = 100, concurrency: int = 8, keys: bool = True,
              timeout: float = 600.0) -> KillRun:
    """Deliver `reminders` with `processes` workers, SIGKILLing one mid-batch `kills` times (spread
    over the run) and starting another in its place; count what the members got."""
    with FakeInThread(SERVED[platform]()) as served, database(database_spec) as url, \
            tempfile.TemporaryDirectory(prefix="ft-kill-") as folder:
        ids = seed_members(url, reminders, served)
        env = {**worker_env(), **served.worker_env(), "LOG_LEVEL": "ERROR"}
        count = 0

        def start() -> subprocess.Popen[str]:
            nonlocal count
            count += 1
            command = worker_command(url, os.path.join(folder, f"worker-{count}.ids"), batch=batch, lease=lease,
                                     concurrency=concurrency, delay=delay) + ["--platform", platform]
            if not keys:
                command.append("--no-dm-keys")
            return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    text=True)

        began = time.monotonic()
        deadline = began + timeout
        done = 0
        with _workers() as running:
            running.extend(start() for _ in range(processes))
            for k in range(kills):
                target = (k + 1) * reminders // (kills + 1)
                while served.dms() < target and time.monotonic() < deadline and \
                        any(p.poll() is None for p in running):
                    time.sleep(0.005)
                alive = [p for p in running if p.poll() is None]
                if not alive:
                    break
                os.kill(alive[0].pid, signal.SIGKILL)
                alive[0].wait(30)
                done += 1
                running.append(start())
            for proc in running:
                proc.wait(max(1.0, deadline - time.monotonic()))
        seconds = time.monotonic() - began
        return KillRun(platform, reminders, done, seconds, counted(served.counts(), ids), served.already_there(),
                       keys)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--platform", choices=sorted(SERVED), default="discord",
                        help="deliver through this platform's notifier to its fake (default discord)")
    parser.add_argument("--reminders", type=int, default=2_000, help="due reminders (default 2000)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes at a time (default 2)")
    parser.add_argument("--kill", type=int, default=5, metavar="N",
                        help="SIGKILL a worker mid-batch N times, spread over the run (default 5)")
    parser.add_argument("--database", default="sqlite",
                        help="a database URL, or `sqlite` / `postgres` for a throwaway one (default sqlite)")
    parser.add_argument("--delay", type=float, default=0.05,
                        help="seconds a DM's answer takes after the platform has it (default 0.05)")
    parser.add_argument("--no-dm-keys", action="store_true",
                        help="send without the DMs' keys (Discord nonce, Slack metadata), to compare with the old way")


_HOW = {
    ("discord", True): "with each DM's nonce",
    ("slack", True): "with each DM's metadata, checked in the DM's history",
}
_THERE = {
    "discord": "sends answered with the DM already there",
    "slack": "history look-ups that found the DM already there",
}


def main(args: argparse.Namespace) -> int:
    run = run_kills(args.reminders, args.processes, args.kill, args.database, platform=args.platform,
                    delay=args.delay, keys=not args.no_dm_keys)
    how = _HOW.get((run.platform, run.keys), "without the DMs' keys (the old way)")
    print(f"{run.platform.capitalize()}, {run.reminders} reminders, {args.processes} worker(s), {run.kills} "
          f"SIGKILL(s) mid-batch, {how}: {run.seconds:.1f} s")
    print(f"delivered={run.tally.delivered} duplicates={run.tally.duplicates} lost={run.tally.lost} "
          f"({_THERE[run.platform]}: {run.already_there})")
    return 0 if run.tally.lost == 0 and run.tally.duplicates == 0 else 1
