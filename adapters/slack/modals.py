"""Forms as Slack modals, and a submitted modal back into the command text the core reads.

The modal for `add` or `settings` has one input per form field (block_id = the grammar key). On
submit the answers become `add key: value; key: value` (a `;` inside a value would start a new
field, so it becomes `,`; the `with` field takes one interviewer per line).

A form's free text (an admin's template) can be longer than the 3,000 characters one Slack input
holds: it is shown in consecutive boxes split at line ends, each with room left to edit, plus an
empty box to continue in; on submit the boxes are joined back in order (see `text_boxes`).
"""

from __future__ import annotations

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
from bot.commands import Admin
from bot.form_answers import command_from_form
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
FREE_TEXT = "text"  # a form's one multi-line field whose text is the command's argument
INPUT_MAX_CHARS = 3000  # what a plain_text_input takes
BOX_FILL_CHARS = 2400  # how much of a long text one box starts with: the rest of its 3,000 is room to edit
NEXT_BOX = "."  # block ids of the boxes after the first: text.2, text.3, ...
SAME_LINE = ".same-line"  # a box that continues its predecessor's line (a line longer than a box)


def form_view(form: Form, owner: str, channel: str | None, seal: Seal) -> dict[str, Any]:
    """The modal for a form; `private_metadata` (sealed) remembers the command and who asked."""
    blocks: list[Block] = []
    for field in form.fields:
        element: dict[str, Any]
        if field.key == FREE_TEXT:
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


def split_text(text: str, size: int = BOX_FILL_CHARS) -> list[tuple[str, str]]:
    """A long text as (piece, separator before it) pairs of at most `size` characters, cut at the
    last line end that fits (the line end is the separator); a line longer than `size` is cut
    inside it (no separator). Joining the separators and pieces gives the text back exactly."""
    pieces: list[tuple[str, str]] = []
    before = ""
    rest = text
    while len(rest) > size:
        cut = rest.rfind("\n", 0, min(size + 1, len(rest) - 1))  # never leave an empty last piece
        if cut > 0:
            pieces.append((rest[:cut], before))
            rest, before = rest[cut + 1:], "\n"
        else:
            pieces.append((rest[:size], before))
            rest, before = rest[size:], ""
    pieces.append((rest, before))
    return pieces


def text_boxes(label: str, text: str, required: bool, placeholder: str | None) -> list[Block]:
    """Multi-line inputs holding `text` whatever its length, and one empty box to continue in."""
    pieces = split_text(text) if text else [("", "")]
    boxes: list[Block] = []
    for number, (piece, before) in enumerate([*pieces, ("", "\n")] if text else pieces, start=1):
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": INPUT_ACTION, "multiline": True,
                                   "max_length": INPUT_MAX_CHARS}
        if piece:
            element["initial_value"] = piece
        if number == 1 and placeholder:
            element["placeholder"] = plain(placeholder, PLACEHOLDER_CHARS)
        block_id = FREE_TEXT if number == 1 else f"{FREE_TEXT}{NEXT_BOX}{number}" + ("" if before else SAME_LINE)
        if number == 1:
            title = label if len(pieces) == 1 else f"{label}, part 1"
        elif piece:
            title = f"{label}, part {number}"
        else:
            title = f"{label}, continued (if you need more room)"
        boxes.append({"type": "input", "block_id": block_id, "label": plain(title, LABEL_CHARS),
                      "optional": not (required and number == 1), "element": element})
    return boxes


def joined_text(values: dict[str, str]) -> dict[str, str]:
    """The answers with a free text typed over several boxes (`text`, `text.2`, ...) as one
    `text` answer, the boxes joined in order; empty boxes add nothing."""
    parts: list[tuple[int, str, str]] = []
    out: dict[str, str] = {}
    for key, value in values.items():
        if key == FREE_TEXT:
            parts.append((1, "", value))
            continue
        head, dot, tail = key.partition(NEXT_BOX)
        number = tail.removesuffix(SAME_LINE)
        if head == FREE_TEXT and dot and number.isdigit() and int(number) > 1:
            parts.append((int(number), "" if tail.endswith(SAME_LINE) else "\n", value))
        else:
            out[key] = value
    text = ""
    for _, before, value in sorted(parts):
        if value:
            text += (before if text else "") + value
    if parts:
        out[FREE_TEXT] = text
    return out


def read_metadata(view: dict[str, Any], seal: Seal) -> tuple[str, str, str | None] | None:
    """(command, owner, channel) from a submitted form's private_metadata; None when the app did
    not seal it or it was altered."""
    data = seal.open(view.get("private_metadata"))
    if data is None or not isinstance(data.get("c"), str) or not isinstance(data.get("o"), str):
        return None
    channel = data.get("ch")
    return data["c"], data["o"], channel if isinstance(channel, str) else None


def submitted_values(view: dict[str, Any]) -> dict[str, str]:
    """block_id -> the answer as text, from `view.state.values`: what was typed, or the moment a
    date-time picker gave (`2026-12-01 19:00 UTC`: the same moment in any member's zone)."""
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
            elif isinstance(action.get("selected_date_time"), int) and not isinstance(
                    action["selected_date_time"], bool):
                moment = picked_moment(action["selected_date_time"])
                if moment is not None:
                    out[block_id] = moment
    return joined_text(out)


def picked_moment(unix: int) -> str | None:
    """A picker's UNIX time as text the core reads in any zone; None when it is no date at all."""
    try:
        at = datetime.fromtimestamp(unix, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return f"{at:%Y-%m-%d %H:%M} UTC"


def command_text(command: str, values: dict[str, str]) -> str:
    """`add company: X; role: Y; with: A; with: B` from a form's answers (the core's own reading)."""
    return command_from_form(command, values)


def submitted_command(command: str, values: dict[str, str]) -> str | Admin:
    """What a submitted form runs: the command text, or for a form of one free `text` field (an
    admin's template) the Admin command with that text as it was typed, new lines and all."""
    if set(values) == {FREE_TEXT} and command.startswith("admin "):
        _, sub, *rest = command.split(" ", 2)
        head = rest[0] + " " if rest else ""
        return Admin(sub=sub, args=head + values[FREE_TEXT].strip("\n"))
    return command_text(command, values)


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


def when_view(command: str, owner: str, question: str, origin: dict[str, str], seal: Seal) -> dict[str, Any]:
    """A one-question modal for a button whose command needs a time ("heard #3 next round").
    `origin` says where the button was (channel, ts, response_url, press key)."""
    data = {"c": command, "o": owner, **origin}
    if Seal.size(data) > PRIVATE_METADATA_CHARS:
        data = {"c": command, "o": owner}
    metadata = seal.seal(data)
    return {
        "type": "modal",
        "callback_id": WHEN_CALLBACK,
        "title": plain(question, TITLE_CHARS),
        "submit": plain("Save", TITLE_CHARS),
        "close": plain("Cancel", TITLE_CHARS),
        "private_metadata": metadata,
        "blocks": [{
            "type": "input",
            "block_id": WHEN_FIELD,
            "label": plain(question, LABEL_CHARS),
            "element": {"type": "plain_text_input", "action_id": INPUT_ACTION, "max_length": 100,
                        "placeholder": plain("e.g. Tuesday 10:00", PLACEHOLDER_CHARS)},
        }],
    }


def read_when_metadata(view: dict[str, Any], seal: Seal) -> dict[str, str] | None:
    data = seal.open(view.get("private_metadata"))
    if data is None or not isinstance(data.get("c"), str) or not isinstance(data.get("o"), str):
        return None
    return {k: v for k, v in data.items() if isinstance(v, str)}
