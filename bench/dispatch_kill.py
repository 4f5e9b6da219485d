"""Send once, measured: reminder DMs through the real Discord notifier (discord.py's REST client) to
the local fake Discord, while dispatcher processes are SIGKILLed mid-batch N times and replaced.
Duplicates and lost reminders are counted on the fake, by reminder id: what members would see.

    python -m bench dispatch-kill --reminders 2000 --processes 2 --kill 5 --delay 0.05
    python -m bench dispatch-kill ... --no-dm-keys     # the same, sending the old way

`--delay` is how long each DM's answer takes to come back after Discord has it: the window in which
a kill leaves a DM sent but not recorded. `--lease` is short (2 s) so the dead worker's claims are
taken over quickly; the fake remembers nonces for 5 minutes, as Discord does for a few.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.dispatch import Tally, database, worker_command, worker_env
from tests.discord.fake_discord import TOKEN, FakeDiscord, certificate

_ID = re.compile(r"\d+")


# ---------------------------------------------------------------------------------------------
# In the benchmark's process


@dataclass
class FakeInThread:
    """The fake Discord serving from its own event loop on a thread of this process."""

    fake: FakeDiscord = field(init=False)
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    thread: threading.Thread | None = None

    def __enter__(self) -> FakeInThread:
        self.thread = threading.Thread(target=self.loop.run_forever, name="fake-discord", daemon=True)
        self.thread.start()
        self.fake = asyncio.run_coroutine_threadsafe(FakeDiscord().start(), self.loop).result(30)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.close(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self.thread is not None:
            self.thread.join(10)
        self.loop.close()

    def dms(self) -> int:
        return len(self.fake.dms_sent)


def seed_discord(url: str, reminders: int, guild: int) -> range:
    """Due reminders of Discord members (one interview each) in the fake's server."""
    from sqlalchemy import select, update

    from bench.seed import seed, sync_engine
    from storage.models import UserRow

    ids = seed(url, reminders, interviews_per_user=1, platform="discord")
    engine = sync_engine(url)
    try:
        with engine.begin() as conn:
            for user_id in conn.execute(select(UserRow.id).where(UserRow.platform == "discord")).scalars():
                conn.execute(update(UserRow).where(UserRow.id == user_id).values(
                    external_id=str(10**17 + int(user_id)), community=str(guild), tz="UTC",
                    quiet_start=None, quiet_end=None))
    finally:
        engine.dispose()
    return ids


def counted(fake: FakeDiscord, ids: range) -> Tally:
    """Reminders by the DMs the fake created for them (each DM's text names its reminder ids)."""
    counts: Counter[int] = Counter()
    for message in fake.dms_sent:
        for embed in message.get("embeds") or []:
            counts.update(int(n) for n in _ID.findall(embed.get("description") or ""))
    wanted = set(ids)
    delivered = sum(1 for i in wanted if counts[i] > 0)
    return Tally(expected=len(wanted), delivered=delivered,
                 duplicates=sum(n - 1 for i, n in counts.items() if n > 1 and i in wanted),
                 lost=len(wanted) - delivered, counts=counts)


@dataclass
class KillRun:
    reminders: int
    kills: int
    seconds: float
    tally: Tally
    nonce_hits: int
    keys: bool


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


def run_kills(reminders: int, processes: int, kills: int, database_spec: str, *, lease: float = 2.0,
              delay: float = 0.05, batch: int = 100, concurrency: int = 8, keys: bool = True,
              timeout: float = 600.0) -> KillRun:
    """Deliver `reminders` with `processes` workers, SIGKILLing one mid-batch `kills` times (spread
    over the run) and starting another in its place; count what the members got."""
    with FakeInThread() as served, database(database_spec) as url, \
            tempfile.TemporaryDirectory(prefix="ft-kill-") as folder:
        guild = served.fake.add_guild("Bench Career Center")
        ids = seed_discord(url, reminders, guild)
        env = {**worker_env(), "DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": served.fake.api_url,
               "SSL_CERT_FILE": certificate()[0], "DISCORD_GLOBAL_RATE": "1000", "LOG_LEVEL": "ERROR"}
        count = 0

        def start() -> subprocess.Popen[str]:
            nonlocal count
            count += 1
            command = worker_command(url, os.path.join(folder, f"worker-{count}.ids"), batch=batch, lease=lease,
                                     concurrency=concurrency, delay=delay) + ["--platform", "discord"]
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
        return KillRun(reminders, done, seconds, counted(served.fake, ids), served.fake.nonce_hits, keys)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reminders", type=int, default=2_000, help="due reminders (default 2000)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes at a time (default 2)")
    parser.add_argument("--kill", type=int, default=5, metavar="N",
                        help="SIGKILL a worker mid-batch N times, spread over the run (default 5)")
    parser.add_argument("--database", default="sqlite",
                        help="a database URL, or `sqlite` / `postgres` for a throwaway one (default sqlite)")
    parser.add_argument("--delay", type=float, default=0.05,
                        help="seconds a DM's answer takes after Discord has it (default 0.05)")
    parser.add_argument("--no-dm-keys", action="store_true",
                        help="send without the DMs' keys (nonces), to compare with the old way")


def main(args: argparse.Namespace) -> int:
    run = run_kills(args.reminders, args.processes, args.kill, args.database, delay=args.delay,
                    keys=not args.no_dm_keys)
    how = "with each DM's nonce" if run.keys else "without nonces (the old way)"
    print(f"Discord, {run.reminders} reminders, {args.processes} worker(s), {run.kills} SIGKILL(s) mid-batch, "
          f"{how}: {run.seconds:.1f} s")
    print(f"delivered={run.tally.delivered} duplicates={run.tally.duplicates} lost={run.tally.lost} "
          f"(sends answered with the DM already there: {run.nonce_hits})")
    return 0 if run.tally.lost == 0 and run.tally.duplicates == 0 else 1
