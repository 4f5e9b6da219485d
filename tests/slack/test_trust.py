"""What Slack fills in a signed request is checked before the app acts on it: response URLs,
the message and channel a button acts on, the form's metadata; and a replayed request runs once."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import describe
from tests.slack.conftest import ALICE, BOB, BOT_TOKEN, TEAM, Harness, captured_logs, running
from tests.slack.fake_slack import FakeSlack
from tests.slack.signing import button_payload, find_button, interaction_body, sign, slash_body, texts
from tests.slack.test_reminders import ADD, dispatcher_for, dm, notifier_for, the_reminder_dm

FORGED_URL = "https://evil.example/collect"


async def test_a_request_whose_response_url_is_not_slacks_is_refused(slack: Harness) -> None:
    answer = await slack.sender.command("add company: Horizon; role: Analyst; when: yesterday 2pm", ALICE, TEAM,
                                        FORGED_URL)
    assert answer.status == 400
    for url in ("http://hooks.slack.com/commands/x", "https://hooks.slack.com.evil.example/x",
                "https://user@hooks.slack.com/x", f"https://evil.example/{slack.fake.url}"):
        assert (await slack.sender.command("list", ALICE, TEAM, url)).status == 400, url
    assert "You have no interview #1" in texts((await slack.ask("show #1"))["blocks"])

    await slack.ask("add company: Acme; role: Analyst; when: yesterday 2pm")
    body = await slack.ask("forget")
    block_id, button = find_button(body["blocks"], "Delete everything")
    payload = button_payload(user=ALICE, team=TEAM, message={"blocks": body["blocks"]}, channel="C0GENERAL",
                             block_id=block_id, button=button, response_url=FORGED_URL)
    assert (await slack.sender.interaction(payload)).status == 400
    await slack.settle()
    assert "Acme" in texts((await slack.ask("show #1"))["blocks"])  # not deleted


async def test_a_press_that_points_at_another_members_message_never_touches_it(slack: Harness) -> None:
    fake = slack.fake
    alices = await the_reminder_dm(slack)
    bot = AsyncWebClient(token=BOT_TOKEN, base_url=fake.url)
    posted = await bot.chat_postMessage(channel=fake.dm_channel(BOB), text="Bob's own reminder")
    bobs = {"ts": posted["ts"], "blocks": alices["blocks"], "text": "Bob's own reminder"}

    # Alice's own button, in a payload that says the message is Bob's reminder in Bob's DM.
    await slack.press_in_message(bobs, "Mark", ALICE, fake.dm_channel(BOB), key="forged")
    [bobs_now] = fake.messages[fake.dm_channel(BOB)]
    assert bobs_now.text == "Bob's own reminder" and bobs_now.history == []  # never updated
    assert not [c for c in fake.called("chat.postMessage") if c.args.get("channel") == fake.dm_channel(BOB)][1:]
    [answer] = fake.responses_to("forged")  # Alice's answer came to her, privately
    assert "Done" in texts(answer["blocks"])
    assert "thank-you" not in texts((await slack.ask("list"))["blocks"])  # her own step: done, once

    # The same press where Slack says it was (her DM) updates her message, as usual.
    await slack.ask(ADD.replace("Horizon Marketing", "Acme"))
    slack.clock.advance(hours=3)
    await dispatcher_for(slack, notifier_for(fake)).run_once()
    acme = dm(fake, ALICE)[-1]
    await slack.press_in_message(acme, "Mark", ALICE, fake.dm_channel(ALICE), key="real")
    assert fake.responses_to("real") == [] and "Done" in texts(dm(fake, ALICE)[-1]["blocks"])


async def test_an_altered_form_metadata_is_refused(slack: Harness) -> None:
    await slack.command("add")
    await slack.settle()
    view = slack.fake.called("views.open")[-1].args["view"]
    mac, data = view["private_metadata"].split(".", 1)
    answers = {"company": "Horizon", "role": "Analyst", "when": int(time.time()) - 86400}

    def submit(metadata: str, user: str = ALICE, n: int = 0) -> dict[str, Any]:
        payload = slack.fake.view_submission(view, user, answers)
        payload["view"]["private_metadata"] = metadata
        return payload

    as_bob = json.loads(data) | {"o": BOB}
    settings = json.loads(data) | {"c": "settings"}
    for n, metadata in enumerate((f"{mac}.{json.dumps(as_bob, separators=(',', ':'))}",
                                  f"{mac}.{json.dumps(settings, separators=(',', ':'))}",
                                  data, "", "0" * 32 + "." + data)):
        answer = await slack.sender.interaction(submit(metadata, BOB if n == 0 else ALICE, n))
        assert answer.status == 200 and answer.text == "", metadata
    assert "You have no interview #1" in texts((await slack.ask("show #1"))["blocks"])
    assert "You have no interview #1" in texts((await slack.ask("show #1", user=BOB))["blocks"])
    done = await slack.sender.interaction(submit(view["private_metadata"], ALICE, 99))
    assert done.json()["response_action"] == "update"
    assert "Horizon" in texts((await slack.ask("show #1"))["blocks"])


async def test_a_replayed_command_or_form_does_not_run_again(slack: Harness) -> None:
    assert slack.sender.session is not None
    body = slash_body("add company: Horizon; role: Analyst; when: yesterday 2pm", ALICE, TEAM,
                      slack.fake.response_url("replay"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(slack.sender.secret, body)}
    statuses = []
    for _ in range(3):  # the very same signed bytes, three times
        async with slack.sender.session.post(slack.sender.url, data=body.encode(), headers=headers) as response:
            statuses.append((response.status, await response.text()))
    assert statuses[0][0] == 200 and "#1" in statuses[0][1]
    assert statuses[1:] == [(200, ""), (200, "")]
    # Signed afresh (another timestamp) but the same trigger: still once.
    again = await slack.sender.post(body, "application/x-www-form-urlencoded", timestamp=int(headers[
        "X-Slack-Request-Timestamp"]) - 1)
    assert again.status == 200 and again.text == ""
    await slack.settle()
    listing = texts((await slack.ask("list all"))["blocks"])
    assert listing.count("Horizon") == 1 and "#2" not in listing

    await slack.command("settings")
    await slack.settle()
    view = slack.fake.called("views.open")[-1].args["view"]
    state = {b["block_id"]: {"value": {"type": "plain_text_input", "value": b["element"].get("initial_value")}}
             for b in view["blocks"] if b["type"] == "input"}
    state["name"]["value"]["value"] = "Alice Moreno"
    submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": ALICE, "team_id": TEAM},
                  "trigger_id": "trigger.settings.once", "view": {**view, "id": "V5", "state": {"values": state}}}
    first = await slack.sender.interaction(submission)
    assert first.json()["response_action"] == "update"
    replayed = await slack.sender.post(interaction_body(submission), "application/x-www-form-urlencoded",
                                       timestamp=int(headers["X-Slack-Request-Timestamp"]) - 2)
    assert replayed.status == 200 and replayed.text == ""


async def test_no_request_body_token_or_response_url_reaches_the_log_at_any_level(slack: Harness) -> None:
    marker = "Zebulon Quartermaine"
    with captured_logs() as lines:
        answer, key = await slack.command(f"add company: {marker} Ltd; role: Analyst; when: yesterday 2pm; "
                                          f"with: {marker} <zq@example.com>")
        await slack.command("draft #1")
        await slack.command("export")
        await slack.settle()
        await slack.sender.command("list", ALICE, TEAM, slack.fake.response_url("bad"), secret="forged-secret")
    logged = "\n".join(lines)
    assert answer.status == 200 and lines  # something was logged (at DEBUG)
    for secret in (marker, "zq@example.com", BOT_TOKEN, slack.fake.response_url(key), "/response/", "trigger."):
        assert secret not in logged, secret


def test_a_failure_is_logged_without_the_response_url_it_carried() -> None:
    url = "https://hooks.slack.com/commands/T0001/1234/s3cr3tPathPart"
    try:
        raise OSError(f"posting to {url} failed")
    except OSError as error:
        line = describe(error)
    assert "s3cr3tPathPart" not in line and "hooks.slack.com" in line and line.startswith("OSError at ")


async def test_on_postgresql_a_request_replayed_to_another_process_does_not_run_again(
        fake_slack: FakeSlack, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite deployments run one Slack process: its memory is the record")
    async with running(fake_slack, db_url) as first, running(fake_slack, db_url) as second:
        body = slash_body("add company: Horizon; role: Analyst; when: yesterday 2pm", ALICE, TEAM,
                          fake_slack.response_url("pg-replay"))
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(first.sender.secret, body)}
        answers = []
        for harness in (first, second):  # the same signed bytes to two processes behind a load balancer
            assert harness.sender.session is not None
            async with harness.sender.session.post(harness.sender.url, data=body.encode(),
                                                   headers=headers) as response:
                answers.append((response.status, await response.text()))
        assert answers[0][0] == 200 and "#1" in answers[0][1]
        assert answers[1] == (200, "")
        listing = texts((await second.ask("list all"))["blocks"])
        assert listing.count("Horizon") == 1 and "#2" not in listing
