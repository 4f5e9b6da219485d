"""`/interview` as a Discord app-command group: one subcommand per member command (the staff's
`admin` commands are the separate `/interview-admin` group: admin_commands.py).

`/interview` works where the bot is installed to a server and where a member installed it to
their own account (user install), in servers, DMs with the bot and group DMs.

Every subcommand builds the same command text a console user would type (typed options are only a
friendlier way to write it: command_text.py) and hands it to the bot, which runs it through the
core's service and answers ephemerally. `interview` options autocomplete the user's own
interviews (never another user's), `tz` autocompletes IANA time zones (choices.py).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.choices import (
    DATE_ORDERS,
    DRAFT_KINDS,
    HELP_TOPICS,
    KINDS,
    NEWS,
    STEP_KINDS,
    TONES,
    interview_autocomplete,
    picked,
    timezone_autocomplete,
)
from adapters.discord.command_text import join, pairs, resolve_ref, safe
from adapters.discord.who_asks import run_text

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
                      ("tone", picked(tone)), ("kind", picked(kind)), ("they-promised", they_promised)])
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
                      ("tone", picked(tone)), ("kind", picked(kind)), ("they-promised", they_promised),
                      ("remove", remove), ("news", news)])
        await run_text(interaction, join("update", await resolve_ref(interaction, interview), args))

    @app_commands.command(name="draft", description="Ready-to-send draft(s) for the next step, or a kind")
    @app_commands.describe(kind="which draft (default: the next step's)", to="one interviewer's name")
    @app_commands.choices(kind=DRAFT_KINDS)
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def draft(self, interaction: discord.Interaction[Any], interview: str,
                    kind: app_commands.Choice[str] | None = None, to: str | None = None) -> None:
        await run_text(interaction, join("draft", await resolve_ref(interaction, interview), picked(kind),
                                         f"to: {safe(to)}" if to else None))

    @app_commands.command(name="sent", description="Mark a follow-up sent; the next one is scheduled")
    @app_commands.describe(kind="which step (default: the next open one)", to="one interviewer (thank-yous)")
    @app_commands.choices(kind=STEP_KINDS)
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def sent(self, interaction: discord.Interaction[Any], interview: str,
                   kind: app_commands.Choice[str] | None = None, to: str | None = None) -> None:
        await run_text(interaction, join("sent", await resolve_ref(interaction, interview), picked(kind),
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
                      ("morning", morning), ("tone", picked(tone)), ("dates", picked(dates))])
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
        await run_text(interaction, join("help", picked(command)))
