"""Slack's request rules: signatures (401 when forged or stale), retried deliveries, the home tab."""

from __future__ import annotations

import time
from typing import Any

from tests.slack.conftest import ALICE, BOB, TEAM, Harness
from tests.slack.fake_slack import validate_view
from tests.slack.signing import texts


def home_opened(user: str, event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy-unused", "team_id": TEAM, "api_app_id": "A0001", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home",
                  "event_ts": f"{time.time():.6f}"},
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
    }


async def test_a_forged_or_stale_signature_is_refused_and_nothing_happens(slack: Harness) -> None:
    add = "add company: Horizon; role: Analyst; when: yesterday 2pm"
    forged, _ = await slack.command(add, secret="not-the-signing-secret")
    assert forged.status == 401
    stale, _ = await slack.command(add, timestamp=int(time.time()) - 6 * 60)
    assert stale.status == 401
    tampered = await slack.sender.post("text=list&user_id=U0ALICE", "application/x-www-form-urlencoded",
                                       headers={"X-Slack-Signature": "v0=" + "0" * 64})
    assert tampered.status == 401
    assert slack.sender.session is not None
    async with slack.sender.session.post(slack.sender.url, data=b"command=%2Finterview&text=list") as unsigned:
        assert unsigned.status == 401
    assert "You have no interview #1" in texts((await slack.ask("show #1"))["blocks"])
    assert slack.fake.calls == [c for c in slack.fake.calls if c.method in ("auth.test", "users.info")]


async def test_a_retried_event_is_acknowledged_without_acting_twice(slack: Harness) -> None:
    await slack.ask("add company: Horizon; role: Analyst; when: yesterday 2pm")
    await slack.settle()
    before = len(slack.fake.called("views.publish"))
    first = await slack.sender.event(home_opened(ALICE, "Ev0001"))
    assert first.status == 200
    await slack.settle()
    retried = await slack.sender.event(home_opened(ALICE, "Ev0001"), headers={
        "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retried.status == 200
    await slack.settle()
    assert len(slack.fake.called("views.publish")) == before + 1
    other = await slack.sender.event(home_opened(ALICE, "Ev0002"))
    assert other.status == 200
    await slack.settle()
    assert len(slack.fake.called("views.publish")) == before + 2


async def test_the_home_tab_lists_interviews_with_buttons_and_a_guide(slack: Harness) -> None:
    assert (await slack.sender.event(home_opened(BOB, "Ev0100"))).status == 200
    await slack.settle()
    empty = slack.fake.home[BOB]
    assert validate_view(empty) == [] and "How Followthrough works" in texts(empty["blocks"])

    await slack.ask("add company: Horizon Marketing; role: Analyst; when: yesterday 2pm; with: Jane Doe")
    await slack.sender.event(home_opened(ALICE, "Ev0101"))
    await slack.settle()
    home = slack.fake.home[ALICE]
    assert validate_view(home) == []
    shown = texts(home["blocks"])
    assert "Horizon Marketing" in shown and "thank-you" in shown and "due" in shown

    await slack.press_in_view(home, "Snooze 1 day", ALICE)
    result = slack.fake.called("views.open")[-1].args["view"]
    assert validate_view(result) == [] and ":x:" not in texts(result["blocks"])
    assert slack.fake.home[ALICE]["id"] != home["id"]  # republished after the change

    await slack.press_in_view(slack.fake.home[ALICE], "Add an interview", ALICE)
    form = slack.fake.called("views.open")[-1].args["view"]
    assert form["callback_id"] == "ft-form" and validate_view(form) == []

    # Bob pressing a button of Alice's home (a forged payload) changes nothing.
    opened = len(slack.fake.called("views.open"))
    await slack.press_in_view(slack.fake.home[ALICE], "Heard: offer", BOB)
    assert len(slack.fake.called("views.open")) == opened
    assert "offer" not in texts((await slack.ask("list all"))["blocks"]).lower()

    # A closed interview leaves the home tab's buttons.
    await slack.ask("add company: Acme Corp; role: Designer; when: yesterday 3pm")
    await slack.ask("heard #1 withdrawn")
    await slack.settle()
    home = slack.fake.home[ALICE]
    assert validate_view(home) == []
    assert "#2 Acme Corp" in texts(home["blocks"]) and "#1 Horizon" not in texts(home["blocks"])


async def test_health_check_says_whether_the_database_answers(slack: Harness) -> None:
    session = slack.sender.session
    assert session is not None
    async with session.get(f"http://127.0.0.1:{slack.server.port}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True, "mode": "http", "database": "reachable"}
    slack.server.probe = _database_gone
    async with session.get(f"http://127.0.0.1:{slack.server.port}/healthz") as response:
        assert response.status == 503
        assert await response.json() == {"ok": False, "mode": "http", "database": "connection refused"}


async def _database_gone() -> str | None:
    """The probe's answer when the database server went away (storage's probe says it in one line)."""
    return "connection refused"


async def test_a_rate_limited_home_update_is_retried_after_retry_after(slack: Harness) -> None:
    slack.fake.rate_limit("views.publish", times=1, retry_after=1)
    started = time.monotonic()
    assert (await slack.sender.event(home_opened(ALICE, "Ev0200"))).status == 200
    await slack.settle()
    assert len(slack.fake.called("views.publish")) == 2  # refused once, then accepted
    assert ALICE in slack.fake.home and time.monotonic() - started >= 1


async def test_slack_can_verify_the_events_url(slack: Harness) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    answer = await slack.sender.event({"token": "x", "challenge": challenge, "type": "url_verification"})
    assert answer.status == 200 and challenge in answer.text
