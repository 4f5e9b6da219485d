"""Scripted console transcripts: one interview from add to check-in 2, reminders appearing as the
(injected) clock moves; and the real `python -m bot console` reading a script from stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters import console
from adapters.console.console import Console
from bot.actor import Actor
from bot.entry.runtime import Runtime
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.runtime_support import built

ROOT = Path(__file__).resolve().parents[1]


class Transcript:
    """The console as `python -m bot console` wires it (one runtime: its service, its dispatcher
    writing reminders to the terminal), the terminal being `out`."""

    def __init__(self, runtime: Runtime, clock: FakeClock, out: list[str], tmp_path: Path) -> None:
        assert runtime.dispatcher is not None
        self.out = out
        self.clock = clock
        self.service = runtime.service
        self.dispatcher = runtime.dispatcher
        self.console = Console(self.service, Actor("console", "local", "sam"), tmp_path, say=self.out.append)
        self.answers: list[str] = []

    async def say(self, line: str) -> str:
        answer = await self.console.feed(line, self.ask)
        self.out.append(answer)
        return answer

    async def ask(self, question: str) -> str | None:
        """A person at the terminal answering the form's questions from `answers`."""
        self.out.append(question)
        return self.answers.pop(0) if self.answers else None

    async def at(self, when: datetime) -> str:
        """Move the clock; return the reminder DMs that came."""
        self.clock.set(when)
        before = len(self.out)
        await self.dispatcher.run_once()
        return "\n".join(self.out[before:])


@asynccontextmanager
async def transcript(store: SqlStore, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Transcript]:
    out: list[str] = []
    async with built(store, clock, {"console": console.make_notifier(out.append)},
                     default_tz="Europe/Berlin") as runtime:
        yield Transcript(runtime, clock, out, tmp_path)


async def test_one_interview_from_add_to_check_in_two(sqlite_store: SqlStore, tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 15, 10, tzinfo=UTC))  # Berlin 16:10, interview just ended
    async with transcript(sqlite_store, clock, tmp_path) as t:
        await t.say("/interview settings name: Sam Rivera; email: sam@example.com; phone: 555-0100")
        t.answers = ["Horizon Marketing", "Marketing Coordinator", "today 15:00",
                     "Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand campaign launch",
                     "", "social media outreach", ""]
        logged = await t.say("/interview add")
        assert "Logged #1: Marketing Coordinator at Horizon Marketing" in logged
        assert await t.at(datetime(2026, 12, 1, 15, 30, tzinfo=UTC)) == ""  # first DM is 1 h after the end
        dm = await t.at(datetime(2026, 12, 1, 17, 0, tzinfo=UTC))
        assert "Reminder for sam" in dm and "Time to send your thank-you" in dm
        assert "Dear Ms. Richardson" in dm and "brand campaign launch" in dm
        assert "Sam Rivera" in dm
        last_call = await t.at(datetime(2026, 12, 2, 12, 5, tzinfo=UTC))  # 4 h before the 24 h deadline
        assert "Last call" in last_call
        assert "marked sent" in await t.say("/interview sent #1")
        assert await t.at(datetime(2026, 12, 10, 12, 0, tzinfo=UTC)) == ""
        check_in = await t.at(datetime(2026, 12, 15, 8, 0, tzinfo=UTC))  # 09:00 Berlin, 14 days later
        assert "polite check-in" in check_in and "Following up on the Marketing Coordinator interview" in check_in
        assert await t.at(datetime(2026, 12, 15, 8, 30, tzinfo=UTC)) == ""  # once only
        sent = await t.say("sent #1 check-in")
        assert "second check-in: due Tue Dec 22, 09:00 CET" in sent
        second = await t.at(datetime(2026, 12, 22, 8, 0, tzinfo=UTC))
        assert "second and last check-in" in second
        assert "marked sent" in await t.say("sent #1 check-in-2")
        listing = await t.say("list")
        assert "no-reply decision: due Tue Dec 29, 09:00 CET" in listing


@pytest.mark.parametrize("database", ["sqlite"])
def test_python_m_bot_console_runs_a_script(tmp_path: Path, database: str) -> None:
    script = "\n".join([
        "/interview settings name: Sam Rivera; tz: Europe/Berlin",
        "/interview add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm",
        "/interview list",
        "/interview shwo #1",
        "/interview show #7",
        "/interview export",
        "",
    ])
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'ft.db'}", "TZ": "Europe/Berlin"}
    env.pop("SLACK_BOT_TOKEN", None), env.pop("DISCORD_TOKEN", None)
    done = subprocess.run([sys.executable, "-m", "bot", "console", "--user", "sam", "--out", str(tmp_path)],
                          input=script, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Logged #1: Marketing Coordinator at Horizon Marketing" in out
    assert "Reminder for sam" in out  # the thank-you was due at once: logged a day late
    assert 'Unknown command "shwo". Did you mean "show"' in out
    assert "You have no interview #7" in out
    assert (tmp_path / "followthrough-export.json").exists()
    assert "Traceback" not in out + done.stderr


def test_the_console_with_no_standard_input_at_all_ends_quietly(tmp_path: Path) -> None:
    """Started from a service manager or a cron line with standard input closed: an empty script,
    not a traceback."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'ft.db'}"}
    env.pop("SLACK_BOT_TOKEN", None), env.pop("DISCORD_TOKEN", None)
    done = subprocess.run([sys.executable, "-m", "bot", "console", "--user", "sam"], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120,
                          preexec_fn=lambda: os.close(0))  # Python then starts with sys.stdin None
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
