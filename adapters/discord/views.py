"""Buttons that keep working after a restart: persistent, stateless, acting for their owner only.

A button's custom_id is `ft:a:<opaque id>`: the owner's user id, the community their data lives in
and the core command it runs, packed and base64url-encoded (no table to keep, nothing lost on a
restart). discord.py finds the button through a DynamicItem template, so no View has to be kept
in memory for the thousands of reminder DMs a morning sends.

Safety does not rest on the id being secret: a press only ever acts for the person pressing, and
only if that person is the owner encoded in the id; anyone else gets a polite refusal.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from typing import Any, Protocol, cast

import discord

from adapters.discord.render import ButtonSpec, OutMessage, Owner
from bot.capabilities import is_read_only
from bot.replies import FileOut

ACTION_PREFIX = "ft:a:"
CUSTOM_ID_LIMIT = 100
_VERSION = 1
_DM = 0
_GUILD = 1
_TEXT = 2

_STYLES: dict[str, discord.ButtonStyle] = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "danger": discord.ButtonStyle.danger,
    "link": discord.ButtonStyle.link,
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_action(owner: Owner, command: str) -> str | None:
    """The custom_id for a button that runs `command` for `owner`; None if it would not fit."""
    head = bytes([_VERSION]) + owner.user_id.to_bytes(8, "big")
    if owner.community == "dm":
        head += bytes([_DM])
    elif owner.community.isdigit() and int(owner.community) < 2**64:
        head += bytes([_GUILD]) + int(owner.community).to_bytes(8, "big")
    else:
        raw = owner.community.encode()
        if len(raw) > 40:
            return None
        head += bytes([_TEXT, len(raw)]) + raw
    custom_id = ACTION_PREFIX + _b64(head + command.encode())
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def decode_action(custom_id: str) -> tuple[Owner, str] | None:
    """(owner, command) from a custom_id made by `encode_action`, or None if it is not one."""
    if not custom_id.startswith(ACTION_PREFIX):
        return None
    try:
        data = _unb64(custom_id[len(ACTION_PREFIX) :])
        if len(data) < 10 or data[0] != _VERSION:
            return None
        user_id = int.from_bytes(data[1:9], "big")
        tag = data[9]
        rest = data[10:]
        if tag == _DM:
            community = "dm"
        elif tag == _GUILD:
            community, rest = str(int.from_bytes(rest[:8], "big")), rest[8:]
        elif tag == _TEXT:
            size = rest[0]
            community, rest = rest[1 : 1 + size].decode(), rest[1 + size :]
        else:
            return None
        return Owner(user_id=user_id, community=community), rest.decode()
    except (binascii.Error, ValueError, IndexError, UnicodeDecodeError):
        return None


class PressHandler(Protocol):
    async def on_action_press(self, interaction: discord.Interaction[Any], custom_id: str) -> None: ...


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.escape(ACTION_PREFIX) + r"(?P<token>[A-Za-z0-9_\-]{1,95})",
):
    """A button running one core command for its owner; dispatched by its custom_id alone."""

    def __init__(self, custom_id: str, label: str = "…", style: discord.ButtonStyle = discord.ButtonStyle.secondary):
        super().__init__(discord.ui.Button(custom_id=custom_id, label=label, style=style))

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ActionButton:
        button = cast(discord.ui.Button[Any], item)
        return cls(ACTION_PREFIX + match["token"], label=button.label or "…", style=button.style)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = cast(PressHandler, interaction.client)
        await handler.on_action_press(interaction, self.custom_id)


def build_view(rows: list[list[ButtonSpec]], owner: Owner) -> discord.ui.View | None:
    """A View for the rendered rows; action buttons are bound to `owner`. None if empty."""
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for row_index, row in enumerate(rows):
        for spec in row:
            if spec.url is not None:
                view.add_item(discord.ui.Button(label=spec.label, url=spec.url, row=row_index))
                continue
            assert spec.command is not None
            custom_id = encode_action(owner, spec.command)
            if custom_id is None:
                continue  # too long for Discord: the command is still in the message's text
            item = ActionButton(custom_id, label=spec.label, style=_STYLES[spec.style])
            item.row = row_index
            view.add_item(item)
    return view if view.children else None


def remaining_after_press(message: discord.Message | None) -> discord.ui.View | None:
    """The message's buttons once a state-changing press has acted: links and read-only buttons
    (Show drafts) stay, every button that changes something goes, so nothing acts twice."""
    if message is None:
        return None
    view = discord.ui.View(timeout=None)
    row_index = 0
    for component in message.components:
        kept: list[discord.ui.Item[Any]] = []
        for child in getattr(component, "children", []):
            if not isinstance(child, discord.components.Button):
                continue
            if child.url:
                kept.append(discord.ui.Button(label=child.label, url=child.url))
                continue
            decoded = decode_action(child.custom_id or "")
            if decoded is not None and is_read_only(decoded[1]):
                kept.append(ActionButton(child.custom_id or "", label=child.label or "…", style=child.style))
        if kept:
            for item in kept:
                item.row = row_index
                view.add_item(item)
            row_index += 1
    return view if view.children else None


ALT_LIMIT = 1024  # characters Discord takes in an attachment's description (its alt text)


def attachment(file: FileOut) -> discord.File:
    """A file to attach; an image always with alt text (the core's, or at least what it is)."""
    alt = file.alt or (f"Image from Followthrough: {file.filename}" if file.mime.startswith("image/") else None)
    if alt is not None and len(alt) > ALT_LIMIT:
        alt = alt[: ALT_LIMIT - 1].rstrip() + "…"
    return discord.File(io.BytesIO(file.content), filename=file.filename, description=alt)


def message_kwargs(message: OutMessage, owner: Owner, no_pings: discord.AllowedMentions) -> dict[str, Any]:
    """What discord.py's send takes for one rendered message: embeds, content, buttons, files, and
    never a ping."""
    kwargs: dict[str, Any] = {"embeds": message.embeds, "allowed_mentions": no_pings}
    if message.content:
        kwargs["content"] = message.content
    view = build_view(message.rows, owner)
    if view is not None:
        kwargs["view"] = view
    if message.files:
        kwargs["files"] = [attachment(f) for f in message.files]
    return kwargs
