"""A filled-in form as the command it stands for: the one way every adapter (Slack and Discord
modals, the console's questions) turns a form's answers into `/interview` text, which the grammar
then reads like anything typed.

    command_from_form("add", {"company": "Acme; Inc", "role": "Analyst", "with": "Jane\nOmar"})
    == "add company: Acme, Inc; role: Analyst; with: Jane; with: Omar"
"""

from __future__ import annotations

from collections.abc import Mapping

from bot import commands as c
from bot.long_text import FREE_TEXT, joined
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


def submitted_command(command: str, answers: Mapping[str, str]) -> str | c.Admin:
    """What a submitted form runs, whatever the platform: the command text; or for a form of one
    free `text` field (an admin's template, typed over as many boxes as it took) the Admin command
    with that text as it was typed, new lines and all."""
    answers = joined(answers)
    if set(answers) == {FREE_TEXT} and command.startswith("admin "):
        _, sub, *rest = command.split(" ", 2)
        head = rest[0] + " " if rest else ""
        return c.Admin(sub=sub, args=head + answers[FREE_TEXT].strip("\n"))
    return command_from_form(command, answers)
