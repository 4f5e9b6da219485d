"""`/interview` over HTTP against the real bolt app: every command, both forms, the user's zone."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from tests.slack.conftest import ALICE, BOB, TEAM, Harness
from tests.slack.fake_slack import validate_view
from tests.slack.signing import button_payload, find_button, texts

ADD = ("add company: Horizon Marketing; role: Marketing Coordinator; when: yesterday 2pm; "
       "with: Ms. Jane Richardson (Marketing Director) <jane@horizon.example> about the brand campaign launch; "
       "topics: social media outreach, the TikTok pilot")


def shown(body: dict[str, Any]) -> str:
    return texts(body["blocks"])


async def test_help_and_an_unknown_command_answer_privately(slack: Harness) -> None:
    body = await slack.ask("help")
    assert "/interview add" in shown(body) and "/interview forget" in shown(body)
    body = await slack.ask("lst")
    assert ":x:" in shown(body) and "list" in shown(body)


async def test_add_list_show_update_in_the_users_slack_time_zone(slack: Harness) -> None:
    body = await slack.ask(ADD)
    assert "#1" in shown(body) and "EST" in shown(body)  # Alice's Slack zone: America/New_York
    body = await slack.ask("add company: Acme; role: Analyst; when: yesterday 2pm", user=BOB)
    assert "#1" in shown(body) and "CET" in shown(body)  # Bob's: Europe/Berlin, his own numbers
    body = await slack.ask("list")
    assert "Horizon Marketing" in shown(body) and "Acme" not in shown(body)
    body = await slack.ask("show #1")
    assert "Jane Richardson" in shown(body) and "TikTok" in shown(body)
    body = await slack.ask("update #1 decision: next Friday; with: Mr. Tom Baker (Recruiter)")
    assert ":x:" not in shown(body)
    assert "Tom Baker" in shown(await slack.ask("show #1"))
    body = await slack.ask("show #2")
    assert "You have no interview #2" in shown(body)
    body = await slack.ask("settings tz: Asia/Tokyo")
    assert "Asia/Tokyo" in shown(body)
    assert "JST" in shown(await slack.ask("list all"))  # their own setting now wins over Slack's


async def test_draft_sent_snooze_heard_offer_elsewhere(slack: Harness) -> None:
    await slack.ask("settings name: Alice Moreno; email: alice@example.com")
    await slack.ask(ADD)
    body = await slack.ask("draft #1")
    assert "Subject:" in shown(body) and "Dear Ms. Richardson" in shown(body)
    assert any(e.get("url", "").startswith("mailto:jane@horizon.example")
               for b in body["blocks"] if b["type"] == "actions" for e in b["elements"])
    body = await slack.ask("snooze #1 2h")
    assert ":x:" not in shown(body)
    body = await slack.ask("sent #1 thank-you")
    assert ":x:" not in shown(body)
    body = await slack.ask("offer-elsewhere #1 deadline: in 5 days")
    assert ":x:" not in shown(body) and "Subject:" in shown(body)
    body = await slack.ask("heard #1 rejected")
    assert ":x:" not in shown(body)
    assert "Horizon" not in shown(await slack.ask("list")) or "rejected" in shown(await slack.ask("list"))


async def test_calendar_and_export_arrive_as_files_in_the_dm(slack: Harness) -> None:
    await slack.ask(ADD)
    body = await slack.ask("calendar")
    assert "calendar" in shown(body).lower()
    body = await slack.ask("export")
    await slack.settle()
    files = slack.fake.files
    assert {f["channel"] for f in files} == {slack.fake.dm_channel(ALICE)}
    ics = next(f for f in files if f["title"].endswith(".ics"))
    assert ics["content"].startswith(b"BEGIN:VCALENDAR")
    exported = next(f for f in files if f["title"].endswith(".json"))
    assert json.loads(exported["content"])["interviews"][0]["company"] == "Horizon Marketing"


async def test_forget_asks_first_and_the_button_deletes(slack: Harness) -> None:
    await slack.ask(ADD)
    answer, key = await slack.command("forget")
    body = answer.json()
    assert "cannot be undone" in shown(body)
    message = {"blocks": body["blocks"]}  # an ephemeral answer: pressed through its response_url
    block_id, button = find_button(body["blocks"], "Delete everything")
    payload = button_payload(user=ALICE, team=TEAM, message=message, channel="C0GENERAL", block_id=block_id,
                             button=button, response_url=slack.fake.response_url(key))
    assert (await slack.sender.interaction(payload)).status == 200
    await slack.settle()
    replaced = slack.fake.responses_to(key)[-1]
    assert replaced["replace_original"] is True and "deleted" in texts(replaced["blocks"])
    assert not any(b["type"] == "actions" for b in replaced["blocks"])  # cannot be pressed again
    assert "You have no interview #1" in shown(await slack.ask("show #1"))


async def test_admin_commands_need_a_slack_admin(slack: Harness) -> None:
    slack.fake.add_user("U0STAFF", "America/Chicago", admin=True, name="Career Staff")
    member = shown(await slack.ask("admin stats"))
    assert ":x:" in member and "admin" in member.lower()
    staff = shown(await slack.ask("admin stats", user="U0STAFF"))
    assert ":x:" not in staff


async def test_add_with_no_fields_opens_a_form_and_submitting_it_logs_the_interview(slack: Harness) -> None:
    answer, _ = await slack.command("add")
    # nothing shown in the channel: at most a private note for a new member (what signs drafts)
    assert answer.status == 200
    assert answer.text == "" or json.loads(answer.text)["response_type"] == "ephemeral"
    await slack.settle()
    opened = slack.fake.called("views.open")[-1].args
    assert opened["trigger_id"].endswith(ALICE) and validate_view(opened["view"]) == []
    view = opened["view"]
    inputs = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    assert {"company", "role", "when"} <= inputs

    when = next(b for b in view["blocks"] if b.get("block_id") == "when")
    assert when["element"]["type"] == "datetimepicker"  # a date-time picker, in the member's own terms

    refused = await slack.sender.interaction(slack.fake.view_submission(view, ALICE, {
        "company": "Horizon", "role": "Analyst", "when": int(datetime(2200, 1, 1, 10, tzinfo=UTC).timestamp())}))
    assert refused.status == 200
    errors = refused.json()
    assert errors["response_action"] == "errors" and "when" in errors["errors"]
    assert "You have no interview #1" in shown(await slack.ask("show #1"))

    picked = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # 14:00 in Alice's New York
    done = await slack.sender.interaction(slack.fake.view_submission(view, ALICE, {
        "company": "Horizon; Marketing", "role": "Analyst", "when": int(picked.timestamp()),
        "with": "Ms. Jane Richardson (Director) <jane@horizon.example>\nMr. Tom Baker (Recruiter)",
    }))
    result = done.json()
    assert result["response_action"] == "update" and validate_view(result["view"]) == []
    assert "#1" in texts(result["view"]["blocks"])
    listed = shown(await slack.ask("show #1"))
    assert "Horizon, Marketing" in listed and "Jane Richardson" in listed and "Tom Baker" in listed
    assert "Nov 30" in listed and "14:00" in listed


async def test_settings_with_no_fields_opens_a_prefilled_form(slack: Harness) -> None:
    answer, _ = await slack.command("settings")
    assert answer.status == 200
    await slack.settle()
    view = slack.fake.called("views.open")[-1].args["view"]
    assert validate_view(view) == []
    tz = next(b for b in view["blocks"] if b.get("block_id") == "tz")
    assert tz["element"]["initial_value"] == "America/New_York"  # from Slack's users.info
    state = {b["block_id"]: {"value": {"type": "plain_text_input", "value": b["element"].get("initial_value")}}
             for b in view["blocks"] if b["type"] == "input"}
    state["name"]["value"]["value"] = "Alice Moreno"
    state["tz"]["value"]["value"] = "Europe/Lisbon"
    done = await slack.sender.interaction({
        "type": "view_submission", "team": {"id": TEAM}, "user": {"id": ALICE, "team_id": TEAM},
        "view": {**view, "id": "V2", "state": {"values": state}},
    })
    assert done.json()["response_action"] == "update"
    settings = shown(await slack.ask("settings tone: casual"))
    assert "Alice Moreno" in settings and "Europe/Lisbon" in settings


async def test_mentions_and_markup_in_user_text_are_escaped(slack: Harness) -> None:
    body = await slack.ask("add company: <!channel> Corp & Co; role: @here lead <@U999>; when: yesterday 2pm; "
                           "with: Jane (<b>Boss</b>); topics: <!everyone> news")
    raw = json.dumps(body)
    for danger in ("<!channel>", "<@U999>", "@here"):
        assert danger not in raw
    assert "&lt;!channel&gt; Corp &amp; Co" in shown(body)
    assert all(t.get("verbatim") is True for b in body["blocks"] if b["type"] == "section" for t in [b["text"]])


async def test_a_slow_users_info_never_delays_the_answer_past_slacks_3_seconds(slack: Harness) -> None:
    slack.server.bot.people.first_wait = 0.3  # of Slack's 3 s (1.5 s in production)
    slack.fake.add_user("U0NEW", "Asia/Tokyo", name="New Member")
    slack.fake.delay("users.info", 2.5)  # longer than an answer may take to travel in the acknowledgement
    answer, _ = await slack.command("add company: Horizon; role: Analyst; when: yesterday 2pm", user="U0NEW")
    assert answer.status == 200 and "#1" in texts(answer.json()["blocks"])  # in the ack: it did not wait
    slack.fake.delay("users.info", 0)
    await asyncio.sleep(2.6)  # the lookup finishes after the answer and fills the cache
    known, _ = await slack.command("list", user="U0NEW")
    assert "JST" in texts(known.json()["blocks"])


async def test_an_answer_too_long_for_one_message_continues_through_the_response_url(slack: Harness) -> None:
    await slack.ask("settings name: Alice Moreno; email: alice@example.com")
    panel = "; ".join(f"with: Person{n} Example (Engineer) <p{n}@horizon.example> about topic {n}" for n in range(10))
    await slack.ask(f"add company: Horizon Marketing; role: Analyst; when: yesterday 2pm; {panel}")
    answer, key = await slack.command("draft #1 thank-you")
    first = answer.json()
    await slack.settle()
    rest = slack.fake.responses_to(key)
    assert rest and all(r["rejected"] == [] and r["response_type"] == "ephemeral" for r in rest)
    everything = texts(first["blocks"]) + "".join(texts(r["blocks"]) for r in rest)
    assert all(f"Person{n} Example" in everything for n in range(10))


async def open_template_form(slack: Harness, staff: str, kind: str) -> dict[str, Any]:
    """The staff member shows a template and presses Edit: the form Slack opens, as Slack holds it."""
    shown_template = await slack.ask(f"admin template {kind} show", user=staff)
    message = {"blocks": shown_template["blocks"]}
    block_id, edit = find_button(shown_template["blocks"], "Edit")
    payload = button_payload(user=staff, team=TEAM, message=message, channel="C0GENERAL", block_id=block_id,
                             button=edit, response_url=slack.fake.response_url("edit"))
    await slack.sender.interaction(payload)
    await slack.settle()
    view = slack.fake.called("views.open")[-1].args["view"]
    assert validate_view(view) == []
    return next(dict(v) for v in reversed(list(slack.fake.views.values()))  # as Slack holds it, with its id
                if v.get("private_metadata") == view["private_metadata"] and v["blocks"] == view["blocks"])


async def submit_form(slack: Harness, view: dict[str, Any], user: str, answers: dict[str, Any]) -> str:
    """Submit a form as Slack would; the text of the result the modal shows (at once, or after
    "Saving…" when the work took longer than Slack waits)."""
    as_opened = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"}
    submission = slack.fake.view_submission(view, user, {**as_opened, **answers})
    for block in submission["view"]["blocks"]:
        if block["type"] == "input" and block["element"]["type"] == "plain_text_input":
            typed = submission["view"]["state"]["values"][block["block_id"]]["value"]["value"] or ""
            assert len(typed) <= block["element"]["max_length"], "Slack keeps no more than max_length"
    result = (await slack.sender.interaction(submission)).json()
    assert result["response_action"] == "update", result
    await slack.settle()
    if "Saving" not in texts(result["view"]["blocks"]):
        return texts(result["view"]["blocks"])
    [update] = [c for c in slack.fake.called("views.update") if c.args["view_id"] == submission["view"]["id"]]
    assert validate_view(update.args["view"]) == []
    return texts(update.args["view"]["blocks"])


def text_boxes(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view["blocks"] if b["type"] == "input" and b["block_id"].startswith("text")]


async def test_an_admin_edits_a_template_and_the_defaults_in_forms(slack: Harness) -> None:
    staff = "U0STAFF"
    slack.fake.add_user(staff, "America/Chicago", admin=True, name="Career Staff")
    view = await open_template_form(slack, staff, "rejection")
    [field, spare] = text_boxes(view)
    assert field["element"]["multiline"] is True
    original = field["element"]["initial_value"]  # the built-in template, to start from
    assert "\n" in original and len(original) <= 3000 and "initial_value" not in spare["element"]
    edited = original.rstrip("\n") + "\n{# reviewed by the career center; keep it short #}\n"
    assert "Saved version 1" in await submit_form(slack, view, staff, {field["block_id"]: edited})
    again = shown(await slack.ask("admin template rejection show", user=staff))
    assert "version 1" in again and f"Saved by <@{staff}> on " in again  # drawn as their name
    assert "\n{# reviewed by the career center; keep it short #}" in again  # as typed, new lines and all

    answer, _ = await slack.command("admin defaults", user=staff)
    assert answer.status == 200
    await slack.settle()
    form = slack.fake.called("views.open")[-1].args["view"]
    assert validate_view(form) == [] and form["callback_id"] == "ft-form"
    state = {b["block_id"]: {"value": {"type": "plain_text_input", "value": b["element"].get("initial_value")}}
             for b in form["blocks"] if b["type"] == "input"}
    state["check-in"]["value"]["value"] = "10d"
    saved = await slack.sender.interaction({
        "type": "view_submission", "team": {"id": TEAM}, "user": {"id": staff, "team_id": TEAM},
        "view": {**form, "id": "V10", "state": {"values": state}},
    })
    assert saved.json()["response_action"] == "update", saved.json()
    await slack.settle()
    reopened = slack.fake.called("views.open")
    await slack.command("admin defaults", user=staff)
    await slack.settle()
    latest = slack.fake.called("views.open")[-1].args["view"]
    assert len(slack.fake.called("views.open")) == len(reopened) + 1
    check_in = next(b for b in latest["blocks"] if b.get("block_id") == "check-in")
    assert check_in["element"]["initial_value"] == "10d"


async def test_a_template_longer_than_a_slack_input_is_edited_whole(slack: Harness) -> None:
    """A template of any length opens in as many boxes as it needs (each within Slack's 3,000
    characters, cut at line ends) and is saved back whole; saving it unchanged changes nothing."""
    staff = "U0STAFF"
    slack.fake.add_user(staff, "America/Chicago", admin=True, name="Career Staff")
    view = await open_template_form(slack, staff, "check-in")
    boxes = text_boxes(view)
    built_in = "\n".join(b["element"].get("initial_value", "") for b in boxes[:-1])
    assert len(built_in) > 2400 and len(boxes) >= 3 and "initial_value" not in boxes[-1]["element"]
    # the staff member adds a long note in the last part and more in the empty box after it
    long_line = "{# " + " ".join(["the career center reviewed this wording with employers"] * 45) + " #}"
    last_part, spare = boxes[-2], boxes[-1]
    room = 3000 - len(last_part["element"]["initial_value"]) - 1  # what Slack lets the last part hold
    note = "{{# note {n}: keep check-ins short, polite and specific #}}"
    more = "\n".join(note.format(n=n) for n in range(min(40, room // (len(note) + 1))))
    answers = {last_part["block_id"]: last_part["element"]["initial_value"] + "\n" + more,
               spare["block_id"]: long_line}
    assert "Saved version 1" in await submit_form(slack, view, staff, answers)

    view = await open_template_form(slack, staff, "check-in")
    boxes = text_boxes(view)
    pieces = [b["element"].get("initial_value", "") for b in boxes]
    assert sum(len(p) for p in pieces) > 6000 and all(len(p) <= 3000 for p in pieces)
    assert any(b["block_id"].endswith("same-line") for b in boxes)  # the 2,500-character line spans two boxes
    assert "nothing changed" in await submit_form(slack, view, staff, {})  # the same text, to the character
    assert "Saved version 2" in await submit_form(slack, view, staff, {boxes[0]["block_id"]: pieces[0] + " "})
