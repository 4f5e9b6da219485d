"""A filled-in form as the command it stands for: the one way every adapter (Slack and Discord
modals, the console's questions) turns a form's answers into `/interview` text, which the grammar
then reads like anything typed.

    command_from_form("add", {"company": "Acme; Inc", "role": "Analyst", "with": "Jane\nOmar"})
    == "add company: Acme, Inc; role: Analyst; with: Jane; with: Omar"
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.typed_text import clean, one_line

REPEATED_KEYS = frozenset({"with", "remove"})  # one per line in the form, one `key:` each in the command
LIST_KEYS = frozenset({"topics"})  # one per line in the form, joined with commas


def field_value(value: str) -> str:
    """An answer as a command can hold it: one line, no `;` (it would start another field), no
    control characters, runs of spaces as one."""
    return " ".join(one_line(clean(value)).replace(";", ",").split())


def command_from_form(command: str, answers: Mapping[str, str]) -> str:
    """`<command> key: value; ...` from a form's answers, in the form's order; blank answers are
    left out (nothing answered: the bare command)."""
    pairs: list[str] = []
    for key, raw in answers.items():
        lines = [field_value(line) for line in clean(raw or "").split("\n")]
        lines = [line for line in lines if line]
        if key in REPEATED_KEYS:
            pairs.extend(f"{key}: {line}" for line in lines)
        elif key in LIST_KEYS:
            if lines:
                pairs.append(f"{key}: {', '.join(lines)}")
        elif value := field_value(raw or ""):
            pairs.append(f"{key}: {value}")
    return f"{command} {'; '.join(pairs)}" if pairs else command
