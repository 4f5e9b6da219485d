"""Forms as Slack modals, and a submitted modal back into the command text the core reads.

The modal for `add` or `settings` has one input per form field (block_id = the grammar key). On
submit the answers become `add key: value; key: value` (a `;` inside a value would start a new
field, so it becomes `,`; the `with` field takes one interviewer per line).

A form's free text (an admin's template) can be longer than the 3,000 characters one Slack input
holds: it is shown in the boxes bot/long_text.py cuts it into, and joined back from them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from adapters.slack.blocks import (
    VIEW_BLOCKS,
    Block,
    clip,
    context,
    escape,
    plain,
    render_view_blocks,
    section,
)
from adapters.slack.sealed import Seal
from bot import long_text
from bot.capabilities import TimeAsked
from bot.replies import Form, Reply

FORM_CALLBACK = "ft-form"
WHEN_CALLBACK = "ft-when"  # a button's command that still needs a time (next round, decision)
WHEN_FIELD = "when"
RESULT_CALLBACK = "ft-result"
TITLE_CHARS = 24
LABEL_CHARS = 2000
PLACEHOLDER_CHARS = 150
INITIAL_CHARS = 3000
PRIVATE_METADATA_CHARS = 3000
INPUT_ACTION = "value"
REPEATED_KEYS = frozenset({"with"})  # one value per line, each its own `key:`
PICKED_MOMENTS = frozenset({("add", "when")})  # (form, field) answered with Slack's date-time picker
PICKED_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # what Slack's date picker gives
INPUT_MAX_CHARS = 3000  # what a plain_text_input takes
BOX_FILL_CHARS = 2400  # how much of a long text one box starts with: the rest of its 3,000 is room to edit


def form_view(form: Form, owner: str, channel: str | None, seal: Seal) -> dict[str, Any]:
    """The modal for a form; `private_metadata` (sealed) remembers the command and who asked."""
    blocks: list[Block] = []
    for field in form.fields:
        element: dict[str, Any]
        if field.key == long_text.FREE_TEXT:
            blocks.extend(text_boxes(field.label, field.initial or "", field.required, field.placeholder))
            continue
        if (form.command, field.key) in PICKED_MOMENTS:
            # Slack's date-time picker: shown in the member's own zone and clock, read as a moment
            element = {"type": "datetimepicker", "action_id": INPUT_ACTION}
        else:
            element = {
                "type": "plain_text_input",
                "action_id": INPUT_ACTION,
                "multiline": field.multiline or field.key in REPEATED_KEYS,
                "max_length": INPUT_MAX_CHARS,
            }
            if field.placeholder:
                element["placeholder"] = plain(field.placeholder, PLACEHOLDER_CHARS)
            if field.initial:
                element["initial_value"] = clip(field.initial, INITIAL_CHARS)
        blocks.append(
            {
                "type": "input",
                "block_id": field.key,
                "label": plain(field.label, LABEL_CHARS),
                "optional": not field.required,
                "element": element,
            }
        )
    if any(f.key in REPEATED_KEYS for f in form.fields):
        blocks.append(context(escape("Interviewers: one per line, e.g. Ms. Jane Doe (Director) <jane@x.example>")))
    metadata = seal.seal({"c": form.command, "o": owner, "ch": channel})
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": plain(form.title, TITLE_CHARS),
        "submit": plain("Save", TITLE_CHARS),
        "close": plain("Cancel", TITLE_CHARS),
        "private_metadata": metadata,
        "blocks": blocks[:VIEW_BLOCKS],
    }


def text_boxes(label: str, text: str, required: bool, placeholder: str | None) -> list[Block]:
    """Multi-line inputs holding `text` whatever its length, and one empty box to continue in."""
    blocks: list[Block] = []
    for box in long_text.boxes(text, BOX_FILL_CHARS) or []:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": INPUT_ACTION, "multiline": True,
                                   "max_length": INPUT_MAX_CHARS}
        if box.text:
            element["initial_value"] = box.text
        if box.number == 1 and placeholder:
            element["placeholder"] = plain(placeholder, PLACEHOLDER_CHARS)
        blocks.append({"type": "input", "block_id": box.key, "label": plain(box.label(label), LABEL_CHARS),
                       "optional": not (required and box.number == 1), "element": element})
    return blocks


def read_metadata(view: dict[str, Any], seal: Seal) -> tuple[str, str, str | None] | None:
    """(command, owner, channel) from a submitted form's private_metadata; None when the app did
    not seal it or it was altered."""
    data = seal.open(view.get("private_metadata"))
    if data is None or not isinstance(data.get("c"), str) or not isinstance(data.get("o"), str):
        return None
    channel = data.get("ch")
    return data["c"], data["o"], channel if isinstance(channel, str) else None


def submitted_values(view: dict[str, Any]) -> dict[str, str]:
    """block_id -> the answer as text, from `view.state.values`: what was typed, the day a date
    picker gave (`2026-12-01`, the day the member picked), or the moment a date-time picker gave
    (`2026-12-01 19:00 UTC`: the same moment in any member's zone)."""
    out: dict[str, str] = {}
    values = (view.get("state") or {}).get("values") or {}
    for block_id, actions in values.items():
        if not isinstance(actions, dict):
            continue
        for action in actions.values():
            if not isinstance(action, dict):
                continue
            if isinstance(action.get("value"), str):
                out[block_id] = action["value"]
            elif isinstance(action.get("selected_date"), str) and PICKED_DAY.fullmatch(action["selected_date"]):
                out[block_id] = action["selected_date"]
            elif isinstance(action.get("selected_date_time"), int) and not isinstance(
                    action["selected_date_time"], bool):
                moment = picked_moment(action["selected_date_time"])
                if moment is not None:
                    out[block_id] = moment
    return long_text.joined(out)


def picked_moment(unix: int) -> str | None:
    """A picker's UNIX time as text the core reads in any zone; None when it is no date at all."""
    try:
        at = datetime.fromtimestamp(unix, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return f"{at:%Y-%m-%d %H:%M} UTC"


def field_for_error(message: str, keys: list[str], values: dict[str, str] | None = None) -> str | None:
    """The form field an error message is about: the one whose answer it quotes, else the one it
    names, else the first."""
    lowered = message.lower()
    for key, value in (values or {}).items():
        if key in keys and value and value.strip() and value.strip().lower() in lowered:
            return key
    for key in keys:
        if key.lower() in lowered:
            return key
    return keys[0] if keys else None


def result_view(reply: Reply, owner: str) -> dict[str, Any]:
    """A modal that shows the answer (after a form, or a button pressed on the home tab)."""
    return {
        "type": "modal",
        "callback_id": RESULT_CALLBACK,
        "title": plain("Followthrough", TITLE_CHARS),
        "close": plain("Close", TITLE_CHARS),
        "blocks": render_view_blocks(reply, owner, VIEW_BLOCKS),
    }


def saving_view() -> dict[str, Any]:
    """What a submitted form shows while its work takes longer than Slack waits for an answer."""
    return {
        "type": "modal",
        "callback_id": RESULT_CALLBACK,
        "title": plain("Followthrough", TITLE_CHARS),
        "close": plain("Close", TITLE_CHARS),
        "blocks": [section(escape("Saving… the result appears here in a moment."))],
    }


def when_view(command: str, owner: str, asked: TimeAsked, origin: dict[str, str], seal: Seal) -> dict[str, Any]:
    """A one-question modal for a button whose command needs a time ("heard #3 next round"): Slack's
    own picker, shown in the member's zone, language and clock (a date-time picker for a moment,
    a date picker for a day). Block Kit cannot make one of two inputs required, so the picker is
    the only input; a line under it says how to give the time in words instead.
    `origin` says where the button was (channel, ts, response_url, press key)."""
    data = {"c": command, "o": owner, **origin}
    if Seal.size(data) > PRIVATE_METADATA_CHARS:
        data = {"c": command, "o": owner}
    metadata = seal.seal(data)
    picker = "datepicker" if asked.day else "datetimepicker"
    in_words = f"/interview {command} {'next Friday' if asked.day else 'Tuesday 10am'}"
    return {
        "type": "modal",
        "callback_id": WHEN_CALLBACK,
        "title": plain(asked.question, TITLE_CHARS),
        "submit": plain("Save", TITLE_CHARS),
        "close": plain("Cancel", TITLE_CHARS),
        "private_metadata": metadata,
        "blocks": [
            {
                "type": "input",
                "block_id": WHEN_FIELD,
                "label": plain(asked.question, LABEL_CHARS),
                "element": {"type": picker, "action_id": INPUT_ACTION},
            },
            context(escape(clip(f"Rather say it in words? Type {in_words}", LABEL_CHARS))),
        ],
    }


def read_when_metadata(view: dict[str, Any], seal: Seal) -> dict[str, str] | None:
    data = seal.open(view.get("private_metadata"))
    if data is None or not isinstance(data.get("c"), str) or not isinstance(data.get("o"), str):
        return None
    return {k: v for k, v in data.items() if isinstance(v, str)}
