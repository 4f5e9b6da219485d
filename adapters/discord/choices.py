"""What an option offers to pick from: fixed choices (tones, kinds of interview, draft and step
kinds, news), and autocomplete for the member's own interviews (never another member's) and for
IANA time zones."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from adapters.discord.who_asks import actor_for, the_bot
from bot.commands import COMMAND_NAMES
from bot.domain import DraftKind, InterviewKind, StepKind, Tone

log = logging.getLogger("adapters.discord")

AUTOCOMPLETE_LIMIT = 25
CHOICE_LIMIT = 100


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def timezone_choices(typed: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[str]:
    """IANA zones matching what was typed: prefix matches (of the zone or its city) first."""
    needle = typed.strip().lower().replace(" ", "_")
    zones = _zones()
    if not needle:
        popular = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago",
                   "America/Denver", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney"]
        return popular[:limit]
    prefix = [z for z in zones if z.lower().startswith(needle) or z.lower().rsplit("/", 1)[-1].startswith(needle)]
    rest = [z for z in zones if needle in z.lower() and z not in prefix]
    return (prefix + rest)[:limit]


def choices(values: Sequence[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=v, value=v) for v in values]


TONES = choices([t.value for t in Tone])
KINDS = choices([k.value for k in InterviewKind])
DRAFT_KINDS = choices([k.value for k in DraftKind])
STEP_KINDS = choices([k.value for k in StepKind if k is not StepKind.NO_REPLY])
NEWS = choices(["offer", "rejected", "next round", "decision", "withdrawn"])
HELP_TOPICS = choices(list(COMMAND_NAMES))
TEMPLATE_ACTIONS = choices(["show", "set", "preview", "revert", "history"])
WORDS_ACTIONS = choices(["list", "add", "remove"])
DATE_ORDERS = [app_commands.Choice(name="day first (03/04 is 3 April)", value="day-first"),
               app_commands.Choice(name="month first (03/04 is March 4)", value="month-first"),
               app_commands.Choice(name="as my Discord language says", value="auto")]


def picked(choice: app_commands.Choice[str] | None) -> str | None:
    """The value of the choice picked, None when the option was left out."""
    return choice.value if choice is not None else None


async def interview_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    bot = the_bot(interaction)
    try:
        found = await asyncio.wait_for(
            bot.service.interview_choices(actor_for(interaction), current, limit=AUTOCOMPLETE_LIMIT), timeout=2.0
        )
    except Exception:
        log.exception("interview autocomplete failed")
        return []
    return [app_commands.Choice(name=label[:CHOICE_LIMIT], value=str(number)) for number, label in found]


async def timezone_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    return choices(timezone_choices(current))
