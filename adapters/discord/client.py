"""The Discord bot: `/interview` as an app-command group over the core's service.

Every subcommand builds the same command text a console user would type and hands it to the
service; typed options are only a friendlier way to write it. Answers are ephemeral. An answer
that takes longer than `defer_after` seconds is deferred first, so Discord's 3-second deadline
is always met. Buttons and form submits are dispatched by custom_id (see views.py, modals.py)
and keep working after a restart.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import available_timezones

import discord
from discord import app_commands

from adapters.discord import modals
from adapters.discord.render import OutMessage, Owner, escape, form_as_reply, is_read_only, render
from adapters.discord.views import ActionButton, build_view, decode_action, remaining_after_press
from bot.actor import Actor
from bot.commands import COMMAND_NAMES, Admin
from bot.domain import DraftKind, InterviewKind, StepKind, Tone
from bot.replies import FileOut, Reply, error

log = logging.getLogger("adapters.discord")

NO_PINGS = discord.AllowedMentions.none()
AUTOCOMPLETE_LIMIT = 25
CHOICE_LIMIT = 100


class ServiceLike(Protocol):
    """What the adapter needs from bot.service.Service."""

    async def handle(self, actor: Actor, text: str) -> Reply: ...
    async def run(self, actor: Actor, command: Any) -> Reply: ...
    async def interview_choices(self, actor: Actor, typed: str = "", limit: int = 25) -> list[tuple[int, str]]: ...
    async def reminder_message(self, interview_id: int, step_ids: Sequence[int], now: datetime) -> Reply | None: ...


# ---------------------------------------------------------------------------------------------
# Who is asking


def actor_for(interaction: discord.Interaction[Any], owner: Owner | None = None) -> Actor:
    """The core's Actor for the user behind an interaction (for a button: its owner's community)."""
    user = interaction.user
    guild_id = interaction.guild_id
    community = owner.community if owner else (str(guild_id) if guild_id else "dm")
    perms = interaction.permissions
    is_admin = bool(guild_id) and owner is None and (perms.manage_guild or perms.administrator)
    return Actor(
        platform="discord",
        community=community,
        external_id=str(user.id),
        display_name=getattr(user, "display_name", None) or user.name,
        is_admin=is_admin,
    )


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


def _v(choice: app_commands.Choice[str] | None) -> str | None:
    return choice.value if choice is not None else None


# ---------------------------------------------------------------------------------------------
# Autocomplete


async def interview_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    bot: FollowthroughBot = interaction.client  # type: ignore[assignment]
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


def _bot(interaction: discord.Interaction[Any]) -> FollowthroughBot:
    return interaction.client  # type: ignore[return-value]


async def run_text(interaction: discord.Interaction[Any], text: str) -> None:
    await _bot(interaction).answer(interaction, text)


class AdminGroup(app_commands.Group):
    """`/interview admin ...`: server admins only (Manage Server), checked on every use.

    Discord only honours default member permissions on top-level commands, so this subgroup
    cannot be hidden from members in the picker; the check below (and the core's own check of
    Actor.is_admin) is what keeps it for admins."""

    def __init__(self) -> None:
        super().__init__(name="admin", description="Server admins: community defaults, templates, stats",
                         guild_only=True)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        perms = interaction.permissions
        if interaction.guild_id and (perms.manage_guild or perms.administrator):
            return True
        await interaction.response.send_message(
            "Admin commands need the Manage Server permission in this server.", ephemeral=True,
            allowed_mentions=NO_PINGS,
        )
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
)


class InterviewGroup(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(name="interview", description="Interview follow-ups: thank-yous, check-ins, drafts")
        self.add_command(AdminGroup())

    @app_commands.command(name="add", description="Log an interview (no options: a form)")
    @app_commands.describe(**FIELD_HELP)
    @app_commands.rename(with_="with")
    @app_commands.choices(tone=TONES, kind=KINDS)
    async def add(self, interaction: discord.Interaction[Any], company: str | None = None, role: str | None = None,
                  when: str | None = None, length: str | None = None, with_: str | None = None,
                  topics: str | None = None, decision: str | None = None, promised: str | None = None,
                  point: str | None = None, tone: app_commands.Choice[str] | None = None,
                  kind: app_commands.Choice[str] | None = None) -> None:
        args = pairs([("company", company), ("role", role), ("when", when), ("length", length), ("with", with_),
                      ("topics", topics), ("decision", decision), ("promised", promised), ("point", point),
                      ("tone", _v(tone)), ("kind", _v(kind))])
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
    @app_commands.describe(**FIELD_HELP)
    @app_commands.rename(with_="with")
    @app_commands.choices(tone=TONES, kind=KINDS)
    @app_commands.autocomplete(interview=interview_autocomplete)
    @app_commands.describe(interview=INTERVIEW_HELP)
    async def update(self, interaction: discord.Interaction[Any], interview: str, company: str | None = None,
                     role: str | None = None, when: str | None = None, length: str | None = None,
                     with_: str | None = None, topics: str | None = None, decision: str | None = None,
                     promised: str | None = None, point: str | None = None,
                     tone: app_commands.Choice[str] | None = None,
                     kind: app_commands.Choice[str] | None = None) -> None:
        args = pairs([("company", company), ("role", role), ("when", when), ("length", length), ("with", with_),
                      ("topics", topics), ("decision", decision), ("promised", promised), ("point", point),
                      ("tone", _v(tone)), ("kind", _v(kind))])
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
                           morning="morning reminders at, e.g. 09:00", tone="draft tone")
    @app_commands.choices(tone=TONES)
    @app_commands.autocomplete(tz=timezone_autocomplete)
    async def settings(self, interaction: discord.Interaction[Any], name: str | None = None,
                       email: str | None = None, phone: str | None = None, tz: str | None = None,
                       quiet: str | None = None, morning: str | None = None,
                       tone: app_commands.Choice[str] | None = None) -> None:
        args = pairs([("name", name), ("email", email), ("phone", phone), ("tz", tz), ("quiet", quiet),
                      ("morning", morning), ("tone", _v(tone))])
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


# ---------------------------------------------------------------------------------------------
# The client


def _file(out: FileOut) -> discord.File:
    return discord.File(io.BytesIO(out.content), filename=out.filename)


class FollowthroughBot(discord.AutoShardedClient):
    """discord.py client with the `/interview` tree, persistent buttons and form submits."""

    def __init__(self, service: ServiceLike, *, gateway_from_api: bool = False, defer_after: float = 2.0,
                 shard_ids: list[int] | None = None, shard_count: int | None = None, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # guild and channel names: the "check your DMs" notice channel
        if shard_ids is not None:
            options["shard_ids"] = shard_ids
        super().__init__(intents=intents, shard_count=shard_count, allowed_mentions=NO_PINGS, **options)
        self.service = service
        self.defer_after = defer_after
        self.gateway_from_api = gateway_from_api
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(InterviewGroup())
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self._pressing: set[int] = set()  # messages whose state-changing press is being handled

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton)
        if self.gateway_from_api:
            # DISCORD_API_URL: the gateway is wherever that API says, not wss://gateway.discord.gg.
            _, url, _ = await self.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = discord.gateway.yarl.URL(url)

    # -- answering ------------------------------------------------------------------------------

    async def within_deadline(self, interaction: discord.Interaction[Any], work: Awaitable[Reply],
                              *, update: bool = False) -> Reply:
        """Run `work`; if it is not done within `defer_after` seconds, defer the interaction first
        (Discord drops an interaction not answered within 3 s)."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if not done and not interaction.response.is_done():
            try:
                if update:
                    await interaction.response.defer()
                else:
                    await interaction.response.defer(ephemeral=True, thinking=True)
            except discord.HTTPException:
                log.warning("could not defer interaction %s", interaction.id)
        try:
            return await task
        except Exception:
            log.exception("answering interaction %s failed", interaction.id)
            return error("Something went wrong on our side and nothing was changed. Please try again.")

    async def answer(self, interaction: discord.Interaction[Any], text: str, owner: Owner | None = None) -> None:
        actor = actor_for(interaction, owner)
        reply = await self.within_deadline(interaction, self.service.handle(actor, text))
        if reply.form is not None and not interaction.response.is_done() and interaction.type is not \
                discord.InteractionType.modal_submit:
            modal = modals.form_modal(reply.form)
            await interaction.response.send_modal(modal)
            modal.stop()  # submits are handled by custom_id, not by this object (survives restarts)
            return
        await self.send_reply(interaction, form_as_reply(reply), self.owner_of(interaction, owner))

    def owner_of(self, interaction: discord.Interaction[Any], owner: Owner | None = None) -> Owner:
        if owner is not None:
            return owner
        guild_id = interaction.guild_id
        return Owner(user_id=interaction.user.id, community=str(guild_id) if guild_id else "dm")

    async def send_reply(self, interaction: discord.Interaction[Any], reply: Reply, owner: Owner) -> None:
        """The reply as ephemeral message(s): the interaction's response, then follow-ups."""
        for message in render(reply):
            await self.send_one(interaction, message, owner)

    async def send_one(self, interaction: discord.Interaction[Any], message: OutMessage, owner: Owner) -> None:
        kwargs = _followup_kwargs(message, owner)
        if not interaction.response.is_done():
            await interaction.response.send_message(**kwargs)
        else:
            await interaction.followup.send(**kwargs)

    # -- buttons --------------------------------------------------------------------------------

    async def on_action_press(self, interaction: discord.Interaction[Any], custom_id: str) -> None:
        decoded = decode_action(custom_id)
        if decoded is None:
            await interaction.response.send_message("That button no longer works.", ephemeral=True)
            return
        owner, command = decoded
        if interaction.user.id != owner.user_id:
            await interaction.response.send_message(
                "These buttons belong to someone else. Use /interview yourself.", ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
            return
        if is_read_only(command):
            await self.answer(interaction, command, owner)
            return
        if re.fullmatch(r"heard #\d+ (next round|decision)", command):
            question = "When is the next round?" if command.endswith("next round") else "When will they decide?"
            modal = modals.when_modal(custom_id[len("ft:a:") :], question, "e.g. Tuesday 10:00")
            await interaction.response.send_modal(modal)
            modal.stop()
            return
        await self.press_and_update(interaction, owner, command)

    async def press_and_update(self, interaction: discord.Interaction[Any], owner: Owner, command: str) -> None:
        """Run a state-changing command, then update the message so its buttons cannot act twice."""
        message_id = interaction.message.id if interaction.message else 0
        if message_id in self._pressing:
            await interaction.response.send_message("Already on it.", ephemeral=True)
            return
        self._pressing.add(message_id)
        try:
            actor = actor_for(interaction, owner)
            reply = await self.within_deadline(interaction, self.service.handle(actor, command), update=True)
            if reply.error:
                await self.send_reply(interaction, reply, owner)
                return
            done = f"✅ {escape(reply.title)}"
            original = interaction.message.content if interaction.message else ""
            content = (done + ("\n" + original if original else ""))[:2000]
            view = remaining_after_press(interaction.message)
            if not interaction.response.is_done():
                await interaction.response.edit_message(content=content, view=view, allowed_mentions=NO_PINGS)
            else:
                await interaction.edit_original_response(content=content, view=view, allowed_mentions=NO_PINGS)
            if reply.sections or reply.drafts or reply.notices or reply.files:
                for message in render(reply):
                    await interaction.followup.send(**_followup_kwargs(message, owner))
        finally:
            self._pressing.discard(message_id)

    # -- form submits and other raw interactions --------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Any = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        values = modals.submitted_values(data)
        try:
            if custom_id.startswith(modals.MODAL_PREFIX):
                command = custom_id[len(modals.MODAL_PREFIX) :]
                if command in ("add", "settings"):
                    text = modals.command_from_submit(command, values)
                    if text == command:
                        await interaction.response.send_message("Nothing filled in: nothing changed.",
                                                                ephemeral=True)
                        return
                    await self.answer(interaction, text)
            elif custom_id.startswith(modals.WHEN_PREFIX):
                decoded = decode_action("ft:a:" + custom_id[len(modals.WHEN_PREFIX) :])
                if decoded is None or decoded[0].user_id != interaction.user.id:
                    await interaction.response.send_message("That form is not yours.", ephemeral=True)
                    return
                owner, command = decoded
                await self.press_and_update(interaction, owner, f"{command} {safe(values.get('when', ''))}")
            elif custom_id.startswith(modals.TEMPLATE_PREFIX):
                kind = custom_id[len(modals.TEMPLATE_PREFIX) :]
                actor = actor_for(interaction)
                text = values.get("text", "")
                reply = await self.within_deadline(
                    interaction, self.service.run(actor, Admin(sub="template", args=f"{kind} set {text}")))
                await self.send_reply(interaction, reply, self.owner_of(interaction))
        except discord.HTTPException:
            log.exception("answering form %s failed", custom_id[:20])

    async def _on_tree_error(self, interaction: discord.Interaction[Any], exc: app_commands.AppCommandError) -> None:
        if isinstance(exc, app_commands.CheckFailure):
            return  # already answered by the check
        log.error("command failed: %s", type(getattr(exc, "original", exc)).__name__,
                  exc_info=getattr(exc, "original", exc))
        text = "Something went wrong on our side and nothing was changed. Please try again."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            pass


def _followup_kwargs(message: OutMessage, owner: Owner) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embeds": message.embeds, "ephemeral": True, "allowed_mentions": NO_PINGS}
    if message.content:
        kwargs["content"] = message.content
    view = build_view(message.rows, owner)
    if view is not None:
        kwargs["view"] = view
    if message.files:
        kwargs["files"] = [_file(f) for f in message.files]
    return kwargs
