"""Slack wants an answer within 3 seconds, whatever the work behind it costs."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url

from tests.slack.conftest import ALICE, Harness
from tests.slack.fake_slack import validate_view
from tests.slack.signing import texts

ADD = "add company: Horizon Marketing; role: Analyst; when: yesterday 2pm"
HOLD_SECONDS = 8.0


@contextmanager
def write_lock_held(db_url: str) -> Iterator[None]:
    """Another connection (another process, as far as SQLite can tell) holds the write lock."""
    path = make_url(db_url).database
    assert path
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_command_behind_a_held_write_lock_is_acknowledged_at_once_and_answered_later(
        slack: Harness, sqlite_url: str) -> None:
    await slack.ask("list")  # Alice is known: her first command is not what is measured
    started = time.monotonic()
    with write_lock_held(sqlite_url):
        answer, key = await slack.command(ADD)
        assert answer.status == 200 and answer.elapsed < 3.0
        assert answer.text == ""  # an empty acknowledgement: Slack shows nothing yet
        assert slack.fake.responses_to(key) == []
        await asyncio.sleep(max(0.0, HOLD_SECONDS - (time.monotonic() - started)))
        assert slack.fake.responses_to(key) == []  # still waiting for the lock
    await slack.settle()
    [answered] = slack.fake.responses_to(key)
    assert answered["rejected"] == [] and answered["response_type"] == "ephemeral"
    assert answered["at"] - started >= HOLD_SECONDS
    assert "#1" in texts(answered["blocks"]) and "Horizon Marketing" in texts(answered["blocks"])
    listing = texts((await slack.ask("list"))["blocks"])
    assert listing.count("Horizon Marketing") == 1 and "#2" not in listing  # logged once


async def test_a_form_behind_a_held_write_lock_says_it_is_saving_then_shows_the_result(
        slack: Harness, sqlite_url: str) -> None:
    await slack.command("add")
    await slack.settle()
    view = slack.fake.called("views.open")[-1].args["view"]
    submission = slack.fake.view_submission(view, ALICE, {"company": "Horizon", "role": "Analyst",
                                                          "when": int(time.time()) - 86400})
    view = submission["view"]
    with write_lock_held(sqlite_url):
        answer = await slack.sender.interaction(submission)
        assert answer.status == 200 and answer.elapsed < 3.0
        assert answer.json()["response_action"] == "update"
        assert "Saving" in texts(answer.json()["view"]["blocks"])
        await asyncio.sleep(HOLD_SECONDS - answer.elapsed)
    await slack.settle()
    [update] = [c for c in slack.fake.called("views.update") if c.args["view_id"] == view["id"]]
    assert validate_view(update.args["view"]) == [] and "#1" in texts(update.args["view"]["blocks"])
    assert texts((await slack.ask("list"))["blocks"]).count("Horizon") == 1
