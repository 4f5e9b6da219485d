"""Forms as Discord modals, and their answers back as the core's command.

A modal holds at most 5 text inputs. The core's forms (add: company, role, when, with, topics;
settings: name, email, phone, tz, tone) fit; a longer form keeps its required fields first and
the rest are left for typed options. A form's long free text (an admin's template, up to 40,000
characters) fills as many of the 5 inputs as it needs (4,000 characters each), cut at line ends
with room to edit and a spare input to continue in, as bot/long_text.py cuts it; a text longer
than 5 inputs hold starts empty, and the input says so. Submits are handled by custom_id
(`ft:m:<command>`), not by a Modal object kept in memory, so a form opened before a restart still
works after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord

from bot import long_text
from bot.form_answers import field_value
from bot.replies import Form, FormField

MODAL_PREFIX = "ft:m:"  # ft:m:add, ft:m:settings, ft:m:admin template thank-you set: a core form
WHEN_PREFIX = "ft:w:"  # ft:w:<action token>: a button's command that needs a time (next round)
TEMPLATE_PREFIX = "ft:t:"  # ft:t:<kind>: an admin's template form opened by an earlier version
MAX_INPUTS = 5
TITLE_LIMIT = 45
LABEL_LIMIT = 45
PLACEHOLDER_LIMIT = 100
VALUE_LIMIT = 4000
BOX_FILL = 3600  # how much of a long text one input starts with: the rest is room to edit


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def pick_fields(fields: Iterable[FormField]) -> list[FormField]:
    """At most 5 fields: the required ones first, then the others in the form's order."""
    fields = list(fields)
    required = [f for f in fields if f.required]
    optional = [f for f in fields if not f.required]
    chosen = (required + optional)[:MAX_INPUTS]
    return [f for f in fields if f in chosen]


def form_modal(form: Form) -> discord.ui.Modal:
    """The modal for a core form; its submit is read back by `command_from_submit`."""
    modal = discord.ui.Modal(title=_clip(form.title, TITLE_LIMIT), custom_id=MODAL_PREFIX + form.command)
    free = [f for f in form.fields if f.key == long_text.FREE_TEXT and f.multiline]
    if free:
        for box in text_inputs(free[0]):
            modal.add_item(box)
        return modal
    for field in pick_fields(form.fields):
        modal.add_item(
            discord.ui.TextInput(
                label=_clip(field.label, LABEL_LIMIT),
                custom_id=field.key,
                required=field.required,
                placeholder=_clip(field.placeholder, PLACEHOLDER_LIMIT) if field.placeholder else None,
                # a starting text longer than one box is left out, never cut (a cut template saved back
                # would lose its end)
                default=field.initial if field.initial and len(field.initial) <= VALUE_LIMIT else None,
                style=discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short,
                max_length=VALUE_LIMIT,
            )
        )
    return modal


def when_modal(token: str, question: str, placeholder: str) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=_clip(question, TITLE_LIMIT), custom_id=WHEN_PREFIX + token)
    modal.add_item(
        discord.ui.TextInput(label=_clip(question, LABEL_LIMIT), custom_id="when", placeholder=placeholder,
                             max_length=100)
    )
    return modal


def text_inputs(field: FormField) -> list[discord.ui.TextInput[Any]]:
    """The inputs holding a form's long free text: as many as it needs (at most 5), the first one
    required if the field is."""
    text = field.initial or ""
    boxes = long_text.boxes(text, BOX_FILL, most=MAX_INPUTS, limit=VALUE_LIMIT)
    placeholder = field.placeholder
    if boxes is None:  # a text no modal holds: start empty, and say where the whole text is
        boxes = long_text.boxes("", BOX_FILL) or []
        placeholder = f"The current text ({len(text):,} characters) is too long to show here: paste it whole"
    return [
        discord.ui.TextInput(
            label=_clip(box.label(field.label), LABEL_LIMIT),
            custom_id=box.key,
            required=field.required and box.number == 1,
            placeholder=_clip(placeholder, PLACEHOLDER_LIMIT) if placeholder and box.number == 1 else None,
            default=box.text or None,
            style=discord.TextStyle.paragraph,
            max_length=VALUE_LIMIT,
        )
        for box in boxes
    ]


def submitted_values(data: Any) -> dict[str, str]:
    """{custom_id: value} from a modal submit's components (action rows or labels)."""
    values: dict[str, str] = {}

    def walk(components: Any) -> None:
        for component in components or []:
            if not isinstance(component, dict):
                continue
            if "components" in component:
                walk(component["components"])
            elif "component" in component:
                walk([component["component"]])
            elif "custom_id" in component and isinstance(component.get("value"), str):
                values[str(component["custom_id"])] = component["value"]

    walk(data.get("components") if isinstance(data, dict) else None)
    return values


def safe_value(value: str) -> str:
    """A value as it can be written in a command: one line, no ';' (it would start a new field)."""
    return field_value(value)


def form_command(custom_id: str) -> str:
    """The command a submitted modal's custom_id names (`ft:m:<command>`, or an earlier version's
    template form, `ft:t:<kind>`)."""
    if custom_id.startswith(TEMPLATE_PREFIX):
        return f"admin template {custom_id[len(TEMPLATE_PREFIX):]} set"
    return custom_id[len(MODAL_PREFIX):]
