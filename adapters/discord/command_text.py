"""Typed options as the command text a console user would type (`add company: Acme; role: ...`):
values made safe for the grammar, `key: value` pairs, and the interview option as `#3`."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import discord

from adapters.discord import modals
from adapters.discord.who_asks import actor_for, the_bot

log = logging.getLogger("adapters.discord")


def safe(value: str) -> str:
    return modals.safe_value(value)


def pairs(items: Sequence[tuple[str, str | None]]) -> str:
    """`key: value; key: value` for the given (non-empty) values."""
    out: list[str] = []
    for key, value in items:
        if value is None or not value.strip():
            continue
        if key == "with":
            out.extend(f"with: {safe(person)}" for person in value.split("|") if person.strip())
        else:
            out.append(f"{key}: {safe(value)}")
    return "; ".join(out)


def interview_ref(value: str) -> str:
    """`#3` from what the interview option carried (an autocomplete pick is the number)."""
    text = value.strip().lstrip("#").strip()
    match = re.match(r"\d+", text)
    return f"#{match.group(0)}" if match else f"#{safe(value)}"


async def resolve_ref(interaction: discord.Interaction[Any], value: str) -> str:
    """`#3` for the interview option: a pick from the autocomplete list is the number; typed text
    such as "horizon" names the user's one interview that matches it (own interviews only)."""
    ref = interview_ref(value)
    if ref[1:].isdigit():
        return ref
    try:
        found = await the_bot(interaction).service.interview_choices(actor_for(interaction), value, limit=2)
    except Exception:
        log.exception("interview lookup failed")
        return ref
    return f"#{found[0][0]}" if len(found) == 1 else ref


def join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())
