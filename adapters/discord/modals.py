"""Forms as Discord modals, and their answers back as the core's command text.

A modal holds at most 5 text inputs. The core's forms (add: company, role, when, with, topics;
settings: name, email, phone, tz, tone) fit; a longer form keeps its required fields first and
the rest are left for typed options. Submits are handled by custom_id (`ft:m:<command>`), not by
a Modal object kept in memory, so a form opened before a restart still works after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord

from bot.form_answers import command_from_form, field_value
from bot.replies import Form, FormField

MODAL_PREFIX = "ft:m:"  # ft:m:add, ft:m:settings: a core form
WHEN_PREFIX = "ft:w:"  # ft:w:<action token>: a button's command that needs a time (next round)
TEMPLATE_PREFIX = "ft:t:"  # ft:t:<kind>: an admin's template text
MAX_INPUTS = 5
TITLE_LIMIT = 45
LABEL_LIMIT = 45
PLACEHOLDER_LIMIT = 100
VALUE_LIMIT = 4000


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


def template_modal(kind: str) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=_clip(f"Template: {kind}", TITLE_LIMIT), custom_id=TEMPLATE_PREFIX + kind)
    modal.add_item(
        discord.ui.TextInput(
            label="Template text (Jinja2)",
            custom_id="text",
            style=discord.TextStyle.paragraph,
            max_length=VALUE_LIMIT,
            placeholder="Dear {{ greeting_name }}, thank you for ...",
        )
    )
    return modal


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


def command_from_submit(command: str, values: dict[str, str]) -> str:
    """`add company: X; role: Y; with: A; with: B` from a form's answers (the core's own reading)."""
    return command_from_form(command, values)
