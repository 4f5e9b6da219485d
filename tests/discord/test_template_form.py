"""Career-center staff edit a draft template on Discord: `/interview-admin template set` opens a
form holding the template as it stands now, over as many text inputs as it needs (a Discord input
holds 4,000 characters), and the inputs submitted unchanged save exactly that text."""

from __future__ import annotations

from typing import Any

from bot.domain import DraftKind
from bot.drafts.render import builtin_template
from bot.long_text import FREE_TEXT, joined
from tests.discord.conftest import Harness


def inputs(response: dict[str, Any]) -> list[dict[str, Any]]:
    return [row["components"][0] for row in response["components"]]


def text_of(boxes: list[dict[str, Any]]) -> str:
    """The one text the inputs hold, as the core reads it back."""
    return joined({b["custom_id"]: b.get("value") or "" for b in boxes})[FREE_TEXT]


async def open_form(harness: Harness, kind: str) -> dict[str, Any]:
    record = await harness.fake.slash(harness.ben, "interview-admin template", {"kind": kind, "action": "set"},
                                      guild_id=harness.guild, admin=True)
    assert record.response_type == 9, record.text()  # a modal
    assert record.response is not None
    return record.response


async def test_a_long_template_opens_whole_over_several_inputs_and_saves_back_unchanged(harness: Harness) -> None:
    current = builtin_template(DraftKind.STAY_IN_TOUCH)
    assert 8_000 < len(current) <= 5 * 4_000
    form = await open_form(harness, "stay-in-touch")
    boxes = inputs(form)
    assert 3 <= len(boxes) <= 5 and all(b["style"] == 2 for b in boxes)  # paragraphs
    assert text_of(boxes) == current
    assert boxes[0]["label"].endswith("part 1") and "continued" in boxes[-1]["label"]

    saved = await harness.fake.submit_modal(harness.ben, form["custom_id"],
                                            {b["custom_id"]: b.get("value") or "" for b in boxes},
                                            guild_id=harness.guild, admin=True)
    assert "Saved version 1 of the stay-in-touch template" in saved.text(), saved.text()
    shown = await harness.fake.slash(harness.ben, "interview-admin template", {"kind": "stay-in-touch"},
                                     guild_id=harness.guild, admin=True)
    assert "community version 1" in shown.text()
    assert f"Saved by <@{harness.ben}> on " in shown.text()  # drawn as their name; nobody is pinged
    again = inputs(await open_form(harness, "stay-in-touch"))  # the saved text, as it was shown
    assert text_of(again) == text_of(boxes).strip("\n") == current.strip("\n")


async def test_a_template_too_long_for_a_discord_form_opens_empty_and_says_so(harness: Harness) -> None:
    assert len(builtin_template(DraftKind.THANK_YOU)) > 5 * 4_000
    boxes = inputs(await open_form(harness, "thank-you"))
    assert not any(b.get("value") for b in boxes)
    assert "too long to show here" in boxes[0]["placeholder"]


async def test_text_typed_on_after_the_last_input_goes_on_a_new_line(harness: Harness) -> None:
    short = min(DraftKind, key=lambda kind: len(builtin_template(kind)))  # one input holds it
    form = await open_form(harness, short.value)
    boxes = inputs(form)
    assert len(boxes) == 2 and boxes[0]["value"] == builtin_template(short)
    values = {boxes[0]["custom_id"]: "Subject: Checking in\n\n{{ interviewer.greeting }},",
              boxes[1]["custom_id"]: "I wanted to ask about the timeline.\n\nBest,\n{{ candidate.name }}"}
    answer = await harness.fake.submit_modal(harness.ben, form["custom_id"], values, guild_id=harness.guild,
                                             admin=True)
    # The core read one template, its two parts on separate lines: the proofreader's view of it.
    assert short.value in answer.text().lower()
    assert "greeting }},I wanted" not in answer.text()
