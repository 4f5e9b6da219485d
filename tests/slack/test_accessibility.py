"""Accessibility on Slack: each repeated button says which interview it acts on, every image has
alt text; everything the app sends passes slack-sdk's Block Kit models (the fake checks them)."""

from __future__ import annotations

from typing import Any

from tests.slack.conftest import ALICE, Harness
from tests.slack.fake_slack import sdk_block_problems
from tests.slack.test_requests import home_opened

COMPANIES = ("Horizon Marketing", "Acme Corp", "Globex")


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"]


async def test_every_repeated_button_on_the_home_tab_says_which_interview_it_is_for(slack: Harness) -> None:
    for company in COMPANIES:
        await slack.ask(f"add company: {company}; role: Analyst; when: yesterday 2pm")
    await slack.sender.event(home_opened(ALICE, "EvA11y"))
    await slack.settle()
    home = slack.fake.home[ALICE]
    assert sdk_block_problems(home["blocks"]) == []
    marks = [b for b in buttons(home["blocks"]) if b["text"]["text"] == "Mark sent"]
    assert len(marks) == len(COMPANIES)
    labels = [b["accessibility_label"] for b in marks]
    assert len(set(labels)) == len(labels)  # a screen reader tells them apart
    for company in COMPANIES:
        assert sum(company in label for label in labels) == 1
    for label, button in ((b.get("accessibility_label"), b) for b in buttons(home["blocks"])):
        text = button["text"]["text"]
        if sum(b["text"]["text"] == text for b in buttons(home["blocks"])) > 1:
            assert label and label.startswith(text) and len(label) <= 75


async def test_buttons_of_an_answer_name_their_interview(slack: Harness) -> None:
    await slack.ask("add company: Horizon Marketing; role: Analyst; when: yesterday 2pm")
    body = await slack.ask("show #1")
    labelled = [b for b in buttons(body["blocks"]) if "value" in b]
    assert labelled and all("#1" in b["accessibility_label"] for b in labelled)


async def test_the_staff_chart_is_uploaded_with_alt_text(slack: Harness) -> None:
    staff = "U0STAFF"
    slack.fake.add_user(staff, "UTC", admin=True, name="Career Staff")
    for i in range(5):
        member = f"U0MEMBER{i}"
        slack.fake.add_user(member, "UTC", name=f"Member {i}")
        await slack.ask(f"add company: Company {i}; role: Analyst; when: yesterday 2pm", user=member)
    answer, _ = await slack.command("admin stats", user=staff)  # a cold chart may answer after the ack
    assert answer.status == 200
    await slack.settle()
    [chart] = [f for f in slack.fake.files if f["content"].startswith(b"\x89PNG")]
    assert chart["alt_txt"] and "Chart" in chart["alt_txt"] and "as text" in chart["alt_txt"]
    assert all(f["alt_txt"] is None for f in slack.fake.files if not f["content"].startswith(b"\x89PNG"))


def test_the_fake_refuses_what_slack_sdks_models_refuse() -> None:
    too_long = {"type": "actions", "elements": [{"type": "button", "action_id": "a",
                                                 "text": {"type": "plain_text", "text": "Mark sent"},
                                                 "accessibility_label": "x" * 76}]}
    assert sdk_block_problems([too_long]) != []
    assert sdk_block_problems([{"type": "image", "image_url": "https://x.example/c.png", "alt_text": ""}]) != []
    assert sdk_block_problems([{"type": "no-such-block"}]) != []
