"""`/interview` as a Discord app-command group: one subcommand per member command; the staff's
`admin` commands are a separate `/interview-admin` group that Discord shows only to members with
Manage Server (and to roles a server admin allows under Integrations).

`/interview` works where the bot is installed to a server and where a member installed it to
their own account (user install), in servers, DMs with the bot and group DMs; `/interview-admin`
only in servers that installed it.

Every subcommand builds the same command text a console user would type (typed options are only a
friendlier way to write it) and hands it to the bot, which runs it through the core's service and
answers ephemerally. `interview` options autocomplete the user's own interviews (never another
user's), `tz` autocompletes IANA time zones.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import available_timezones

import discord
from discord import app_commands

from adapters.discord import modals
from adapters.discord.render import Owner
from adapters.discord.staff import StaffRule
from bot.actor import Actor
from bot.commands import COMMAND_NAMES
from bot.domain import DraftKind, InterviewKind, StepKind, Tone
from bot.ports import Commands

log = logging.getLogger("adapters.discord")

NO_PINGS = discord.AllowedMentions.none()
AUTOCOMPLETE_LIMIT = 25
CHOICE_LIMIT = 100


ServiceLike = Commands  # the core's port (bot.ports.Commands); bot.service.Service implements it


class Answering(Protocol):
    """The bot as the commands see it (adapters.discord.client.FollowthroughBot)."""

    service: ServiceLike
    staff: StaffRule

    async def answer(self, interaction: discord.Interaction[Any], text: str, owner: Owner | None = None) -> None: ...


# ---------------------------------------------------------------------------------------------
# Who is asking


def actor_for(interaction: discord.Interaction[Any], owner: Owner | None = None) -> Actor:
    """The core's Actor for the user behind an interaction (for a button: its owner's community)."""
    user = interaction.user
    guild_id = interaction.guild_id
    community = owner.community if owner else (str(guild_id) if guild_id else "dm")
    is_admin = owner is None and _bot(interaction).staff.admits(interaction)
    return Actor(
        platform="discord",
        community=community,
        external_id=str(user.id),
        display_name=getattr(user, "display_name", None) or user.name,
        is_admin=is_admin,
        locale=locale_of(interaction),
    )


def locale_of(interaction: discord.Interaction[Any]) -> str | None:
    """The member's own Discord language ("en-US", "en-GB", "de"), which says how they write 03/04;
    the server's language when Discord sent none for the member."""
    for locale in (interaction.locale, interaction.guild_locale):
        if locale is not None and locale.value:
            return str(locale.value)
    return None


# ---------------------------------------------------------------------------------------------
# Building command text from typed options


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
        found = await _bot(interaction).service.interview_choices(actor_for(interaction), value, limit=2)
    except Exception:
        log.exception("interview lookup failed")
        return ref
    return f"#{found[0][0]}" if len(found) == 1 else ref


def join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


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


def _choices(values: Sequence[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=v, value=v) for v in values]


TONES = _choices([t.value for t in Tone])
KINDS = _choices([k.value for k in InterviewKind])
DRAFT_KINDS = _choices([k.value for k in DraftKind])
STEP_KINDS = _choices([k.value for k in StepKind if k is not StepKind.NO_REPLY])
NEWS = _choices(["offer", "rejected", "next round", "decision", "withdrawn"])
HELP_TOPICS = _choices(list(COMMAND_NAMES))
TEMPLATE_ACTIONS = _choices(["show", "set", "preview", "revert", "history"])
WORDS_ACTIONS = _choices(["list", "add", "remove"])
DATE_ORDERS = [app_commands.Choice(name="day first (03/04 is 3 April)", value="day-first"),
               app_commands.Choice(name="month first (03/04 is March 4)", value="month-first"),
               app_commands.Choice(name="as my Discord language says", value="auto")]


def _v(choice: app_commands.Choice[str] | None) -> str | None:
    return choice.value if choice is not None else None


# ---------------------------------------------------------------------------------------------
# Autocomplete


async def interview_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    bot = _bot(interaction)
    try:
        found = await asyncio.wait_for(
            bot.service.interview_choices(actor_for(interaction), current, limit=AUTOCOMPLETE_LIMIT), timeout=2.0
        )
    except Exception:
        log.exception("interview autocomplete failed")
        return []
    return [app_commands.Choice(name=label[:CHOICE_LIMIT], value=str(number)) for number, label in found]


async def timezone_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    return _choices(timezone_choices(current))


# ---------------------------------------------------------------------------------------------
# The command group


def _bot(interaction: discord.Interaction[Any]) -> Answering:
    return interaction.client  # type: ignore[return-value]


async def run_text(interaction: discord.Interaction[Any], text: str) -> None:
    await _bot(interaction).answer(interaction, text)


STAFF_COMMAND = "interview-admin"


class StaffGroup(app_commands.Group):
    """`/interview-admin ...`: career-center staff only. Hidden by Discord from members without
    Manage Server (a top-level command's default member permissions), usable only in servers that
    installed the bot, and checked again on every use (adapters.discord.staff), as the core checks
    Actor.is_admin too."""

    def __init__(self) -> None:
        super().__init__(name=STAFF_COMMAND, description="Career-center staff: server defaults, templates, stats",
                         default_permissions=discord.Permissions(manage_guild=True),
                         allowed_contexts=app_commands.AppCommandContext(guild=True),
                         allowed_installs=app_commands.AppInstallationType(guild=True))

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        staff = _bot(interaction).staff
        if staff.admits(interaction):
            return True
        await interaction.response.send_message(staff.refusal(), ephemeral=True, allowed_mentions=NO_PINGS)
        return False

    @app_commands.command(name="defaults", description="Show or set the server's follow-up defaults")
    @app_commands.describe(check_in="days after the interview, 10-14", check_in_2="days after check-in 1, 5-10",
                           stay_in_touch="weeks, 4-8", quiet="quiet hours, e.g. 21:00-08:00",
                           morning="morning reminder time, e.g. 09:00", tone="draft tone")
    @app_commands.rename(check_in="check-in", check_in_2="check-in-2", stay_in_touch="stay-in-touch")
    @app_commands.choices(tone=TONES)
    async def defaults(self, interaction: discord.Interaction[Any], check_in: str | None = None,
                       check_in_2: str | None = None, stay_in_touch: str | None = None, quiet: str | None = None,
                       morning: str | None = None, tone: app_commands.Choice[str] | None = None) -> None:
        args = pairs([("check-in", check_in), ("check-in-2", check_in_2), ("stay-in-touch", stay_in_touch),
                      ("quiet", quiet), ("morning", morning), ("tone", _v(tone))])
        await run_text(interaction, join("admin defaults", args))

    @app_commands.command(name="template", description="The server's approved template for a draft kind")
    @app_commands.describe(kind="which draft", action="show (default), set (opens a form), preview, revert, history")
    @app_commands.choices(kind=DRAFT_KINDS, action=TEMPLATE_ACTIONS)
    async def template(self, interaction: discord.Interaction[Any], kind: app_commands.Choice[str],
                       action: app_commands.Choice[str] | None = None) -> None:
        what = _v(action) or "show"
        if what == "set":
            modal = modals.template_modal(kind.value)
            await interaction.response.send_modal(modal)
            modal.stop()  # the submit is handled by custom_id in FollowthroughBot.on_interaction
            return
        await run_text(interaction, f"admin template {kind.value} {what}")

    @app_commands.command(name="words", description="The server's own words for the spelling check")
    @app_commands.describe(action="list (default), add or remove", words="the words, separated by spaces")
    @app_commands.choices(action=WORDS_ACTIONS)
    async def words(self, interaction: discord.Interaction[Any], action: app_commands.Choice[str] | None = None,
                    words: str | None = None) -> None:
        await run_text(interaction, join("admin words", _v(action) or "list", safe(words) if words else None))

    @app_commands.command(name="stats", description="Aggregate figures for career-center staff (no names)")
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        await run_text(interaction, "admin stats")


INTERVIEW_HELP = "which of your interviews (type to search)"
FIELD_HELP = dict(
    company="the employer", role="the job title", when="when it started, e.g. yesterday 2pm",
    length="duration, e.g. 45m", with_="Name (title) <email> about topic; separate several with |",
    topics="what you discussed, comma-separated", decision="when they said they'd decide",
    promised="something you offered to send", point="an extra point to add to an answer",
    tone="formal or casual", kind="interview, informational, networking, career-fair",
    they_promised="what they said they would do, e.g. an answer by Friday",
)
UPDATE_HELP = dict(FIELD_HELP, remove="an interviewer added by mistake; separate several with |",
                   news="something new about them to congratulate, e.g. Jane: promoted to VP")


class InterviewGroup(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(name="interview", description="Interview follow-ups: thank-yous, check-ins, drafts",
                         allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True,
                                                                         private_channel=True),
                         allowed_installs=app_commands.AppInstallationType(guild=True, user=True))

    @app_commands.command(name="add", description="Log an interview (no options: a form)")
    @app_commands.describe(**FIELD_HELP)
    @app_commands.rename(with_="with", they_promised="they-promised")
    @app_commands.choices(tone=TONES, kind=KINDS)
    async def add(self, interaction: discord.Interaction[Any], company: str | None = None, role: str | None = None,
                  when: str | None = None, length: str | None = None, with_: str | None = None,
                  topics: str | None = None, decision: str | None = None, promised: str | None = None,
                  point: str | None = None, tone: app_commands.Choice[str] | None = None,
                  kind: app_commands.Choice[str] | None = None, they_promised: str | None = None) -> None:
        args = pairs([("company", company), ("role", role), ("when", when), ("length", length), ("with", with_),
                      ("topics", topics), ("decision", decision), ("promised", promised), ("point", point),
                      ("tone", _v(tone)), ("kind", _v(kind)), ("they-promised", they_promised)])
        await run_text(interaction, join("add", args))

    @app_commands.command(name="list", description="Your interviews and each one's next step, soonest first")
    @app_commands.describe(all="include closed interviews")
    async def list_(self, interaction: discord.Interaction[Any], all: bool = False) -> None:
        await run_text(interaction, "list all" if all else "list")

    @app_commands.command(name="show", description="Everything about one interview")
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def show(self, interaction: discord.Interaction[Any], interview: str) -> None:
        await run_text(interaction, f"show {await resolve_ref(interaction, interview)}")

    @app_commands.command(name="update", description="Change an interview's details; a `with` adds a person")
    @app_commands.describe(**UPDATE_HELP)
    @app_commands.rename(with_="with", they_promised="they-promised")
    @app_commands.choices(tone=TONES, kind=KINDS)
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def update(self, interaction: discord.Interaction[Any], interview: str, company: str | None = None,
                     role: str | None = None, when: str | None = None, length: str | None = None,
                     with_: str | None = None, topics: str | None = None, decision: str | None = None,
                     promised: str | None = None, point: str | None = None,
                     tone: app_commands.Choice[str] | None = None,
                     kind: app_commands.Choice[str] | None = None, they_promised: str | None = None,
                     remove: str | None = None, news: str | None = None) -> None:
        args = pairs([("company", company), ("role", role), ("when", when), ("length", length), ("with", with_),
                      ("topics", topics), ("decision", decision), ("promised", promised), ("point", point),
                      ("tone", _v(tone)), ("kind", _v(kind)), ("they-promised", they_promised),
                      ("remove", remove), ("news", news)])
        await run_text(interaction, join("update", await resolve_ref(interaction, interview), args))

    @app_commands.command(name="draft", description="Ready-to-send draft(s) for the next step, or a kind")
    @app_commands.describe(kind="which draft (default: the next step's)", to="one interviewer's name")
    @app_commands.choices(kind=DRAFT_KINDS)
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def draft(self, interaction: discord.Interaction[Any], interview: str,
                    kind: app_commands.Choice[str] | None = None, to: str | None = None) -> None:
        await run_text(interaction, join("draft", await resolve_ref(interaction, interview), _v(kind),
                                         f"to: {safe(to)}" if to else None))

    @app_commands.command(name="sent", description="Mark a follow-up sent; the next one is scheduled")
    @app_commands.describe(kind="which step (default: the next open one)", to="one interviewer (thank-yous)")
    @app_commands.choices(kind=STEP_KINDS)
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def sent(self, interaction: discord.Interaction[Any], interview: str,
                   kind: app_commands.Choice[str] | None = None, to: str | None = None) -> None:
        await run_text(interaction, join("sent", await resolve_ref(interaction, interview), _v(kind),
                                         f"to: {safe(to)}" if to else None))

    @app_commands.command(name="snooze", description="Move the pending reminder (default: 1 day)")
    @app_commands.describe(until="a duration or a time: 2h, 3d, tomorrow 9am")
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def snooze(self, interaction: discord.Interaction[Any], interview: str, until: str | None = None) -> None:
        ref = await resolve_ref(interaction, interview)
        await run_text(interaction, join("snooze", ref, safe(until) if until else None))

    @app_commands.command(name="heard", description="Record news: offer, rejected, next round, decision, withdrawn")
    @app_commands.describe(news="what you heard", when="next round's time or the decision date")
    @app_commands.choices(news=NEWS)
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def heard(self, interaction: discord.Interaction[Any], interview: str, news: app_commands.Choice[str],
                    when: str | None = None) -> None:
        ref = await resolve_ref(interaction, interview)
        await run_text(interaction, join("heard", ref, news.value, safe(when) if when else None))

    @app_commands.command(name="reopen", description="Undo an offer, rejection, withdrawal or ghosting recorded by "
                                                     "mistake")
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def reopen(self, interaction: discord.Interaction[Any], interview: str) -> None:
        await run_text(interaction, f"reopen {await resolve_ref(interaction, interview)}")

    @app_commands.command(name="offer-elsewhere", description="A competing offer: get the timeline-update draft")
    @app_commands.describe(deadline="the other offer's deadline, e.g. next Friday")
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def offer_elsewhere(self, interaction: discord.Interaction[Any], interview: str, deadline: str) -> None:
        ref = await resolve_ref(interaction, interview)
        await run_text(interaction, f"offer-elsewhere {ref} deadline: {safe(deadline)}")

    @app_commands.command(name="settings", description="Show or change your settings (no options: a form)")
    @app_commands.describe(name="your full name (signs drafts)", email="your e-mail", phone="your phone",
                           tz="your time zone, e.g. Europe/Berlin", quiet="no DMs, e.g. 21:00-08:00",
                           morning="morning reminders at, e.g. 09:00", tone="draft tone",
                           dates="how you write 03/04")
    @app_commands.choices(tone=TONES, dates=DATE_ORDERS)
    @app_commands.autocomplete(tz=timezone_autocomplete)
    async def settings(self, interaction: discord.Interaction[Any], name: str | None = None,
                       email: str | None = None, phone: str | None = None, tz: str | None = None,
                       quiet: str | None = None, morning: str | None = None,
                       tone: app_commands.Choice[str] | None = None,
                       dates: app_commands.Choice[str] | None = None) -> None:
        args = pairs([("name", name), ("email", email), ("phone", phone), ("tz", tz), ("quiet", quiet),
                      ("morning", morning), ("tone", _v(tone)), ("dates", _v(dates))])
        await run_text(interaction, join("settings", args))

    @app_commands.command(name="calendar", description="An .ics file with every upcoming follow-up")
    async def calendar(self, interaction: discord.Interaction[Any]) -> None:
        await run_text(interaction, "calendar")

    @app_commands.command(name="export", description="All your data as a file")
    async def export(self, interaction: discord.Interaction[Any]) -> None:
        await run_text(interaction, "export")

    @app_commands.command(name="forget", description="Delete all your data (asks to confirm)")
    @app_commands.describe(confirm="yes: delete now")
    async def forget(self, interaction: discord.Interaction[Any], confirm: bool = False) -> None:
        await run_text(interaction, "forget confirm" if confirm else "forget")

    @app_commands.command(name="help", description="Usage with examples")
    @app_commands.describe(command="a command to explain")
    @app_commands.choices(command=HELP_TOPICS)
    async def help(self, interaction: discord.Interaction[Any],
                   command: app_commands.Choice[str] | None = None) -> None:
        await run_text(interaction, join("help", _v(command)))
