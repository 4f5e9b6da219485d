"""A Reply as Discord messages: embeds, buttons and files, within Discord's limits.

Discord rejects a message with more than 2,000 characters of content, an embed description over
4,096 characters, more than 6,000 characters across a message's embeds, more than 10 embeds, more
than 5 rows of 5 buttons, a button label over 80 characters or a link over 512. Everything here is
sized to stay under those limits: long text (a 2,500-word draft) is split at paragraph, line or
word boundaries over several embeds and, when needed, several messages.

User text is escaped so it cannot break formatting; pings are prevented where messages are sent
(`allowed_mentions=AllowedMentions.none()`), never by mangling what the user wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import discord

from adapters.discord.timestamps import with_timestamps
from bot.capabilities import interview_number
from bot.replies import Action, Draft, FileOut, Link, Reply, Section

CONTENT_LIMIT = 2000
DESCRIPTION_LIMIT = 4096
TITLE_LIMIT = 256
FOOTER_LIMIT = 2048
MESSAGE_EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
BUTTONS_PER_ROW = 5
ROWS_PER_MESSAGE = 5
LABEL_LIMIT = 80
URL_LIMIT = 512
FILES_PER_MESSAGE = 10

NO_PINGS = discord.AllowedMentions.none()  # what every message is sent with: it pings no one

COLOR_OK = 0x5865F2  # Discord blurple
COLOR_ERROR = 0xED4245
COLOR_DRAFT = 0x57F287
COLOR_REMINDER = 0xFEE75C


@dataclass(frozen=True)
class Owner:
    """Whose message this is: the only user whose button presses act."""

    user_id: int
    community: str  # the guild id the data lives in, or "dm"


@dataclass(frozen=True)
class ButtonSpec:
    label: str
    style: Literal["primary", "secondary", "danger", "link"]
    command: str | None = None  # an action: the core command text it runs
    url: str | None = None  # a link button


@dataclass
class OutMessage:
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    rows: list[list[ButtonSpec]] = field(default_factory=list)
    files: list[FileOut] = field(default_factory=list)

    def embed_total(self) -> int:
        return sum(len(e) for e in self.embeds)


_MARKUP = r"[\\*_~|`]|^>(?:>>)?\s|\[.+\]\(.+\)|^#{1,3}|^\s*-"
_MARKUP_RE = re.compile(_MARKUP, re.MULTILINE)
_URL = r"<[^: >]+:/[^ >]+>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]"
_URL_OR_MARKUP_RE = re.compile(f"(?P<url>{_URL})|{_MARKUP}", re.MULTILINE)


def _keep_urls(match: re.Match[str]) -> str:
    return match.group(0) if match.group("url") else "\\" + match.group(0)


def escape(text: str) -> str:
    """User text as literal Discord markdown: `*`, `_`, `~`, `|`, backticks, quotes, headings,
    list dashes and masked links shown as typed; links stay clickable. What
    discord.utils.escape_markdown(as_needed=False) does, faster: text without a link (the usual
    case) is escaped by one substitution in C, with no Python call per character escaped."""
    if "://" not in text and "<" not in text:
        return _MARKUP_RE.sub(r"\\\g<0>", text)
    return _URL_OR_MARKUP_RE.sub(_keep_urls, text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a blank line, else a line end, else a space."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            at = window.rfind(sep, 0, limit)
            if at > limit // 4:
                cut = at
                break
        if cut <= 0:
            cut = limit
            # never split an escape sequence from the character it escapes
            while cut > 1 and rest[cut - 1] == "\\":
                cut -= 1
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def _embed(title: str | None, description: str, color: int, footer: str | None = None) -> discord.Embed:
    embed = discord.Embed(title=clip(title, TITLE_LIMIT) if title else None, description=description, color=color)
    if footer:
        embed.set_footer(text=clip(footer, FOOTER_LIMIT))
    return embed


def _chunked_embeds(
    title: str | None, text: str, color: int, footer: str | None = None
) -> list[discord.Embed]:
    """One or more embeds holding `text` (already escaped); each one stays under every limit."""
    title = clip(title, TITLE_LIMIT) if title else None
    footer = clip(footer, FOOTER_LIMIT) if footer else None
    overhead = len(title or "") + len(footer or "") + 16  # "(12/12)" suffixes
    limit = min(DESCRIPTION_LIMIT, MESSAGE_EMBED_TOTAL - overhead)
    pieces = split_text(text, limit)
    embeds: list[discord.Embed] = []
    for i, piece in enumerate(pieces):
        piece_title = title
        if len(pieces) > 1 and title:
            piece_title = clip(title, TITLE_LIMIT - 8) + f" ({i + 1}/{len(pieces)})"
        last = i == len(pieces) - 1
        embeds.append(_embed(piece_title, piece or "\u200b", color, footer if last else None))
    return embeds


def head_text(reply: Reply) -> str:
    parts: list[str] = []
    for notice in reply.notices:
        parts.append(f"⚠️ {escape(notice)}")
    if len(reply.title) > TITLE_LIMIT:
        parts.append(escape(reply.title))
    for section in reply.sections:
        block = f"**{escape(section.title)}**\n" if section.title else ""
        parts.append(block + escape(section.text))
    return "\n\n".join(parts)


def draft_title(draft: Draft) -> str:
    kind = draft.kind.replace("-", " ")
    head = f"{kind[:1].upper()}{kind[1:]} draft"
    if draft.to_name:
        head += f" to {draft.to_name}"
    return head


def draft_text(draft: Draft) -> str:
    lines: list[str] = []
    if draft.to_name or draft.to_email:
        who = draft.to_name or ""
        if draft.to_email:
            who = f"{who} <{draft.to_email}>".strip()
        lines.append(f"**To:** {escape(who)}")
    if draft.subject:
        lines.append(f"**Subject:** {escape(draft.subject)}")
    if lines:
        lines.append("")
    lines.append(escape(draft.body))
    return "\n".join(lines)


def draft_footer(draft: Draft) -> str:
    if draft.problems:
        return "Proofreader: " + "; ".join(draft.problems)
    return "Proofreader: no problems found."


def fit_url(url: str) -> tuple[str, bool] | None:
    """A URL Discord accepts on a link button (http(s), at most 512 characters), or None. A web
    compose link too long with the draft's text in it keeps its address and subject: the user
    pastes the text, which is in the message. The flag says the body was left out."""
    if not url.startswith(("https://", "http://")):
        return None  # Discord link buttons take http(s) and discord:// only: no mailto:
    if len(url) <= URL_LIMIT:
        return url, False
    cut = url.find("&body=")
    if 0 < cut <= URL_LIMIT:
        return url[:cut], True
    return None


def link_buttons(links: list[Link] | tuple[Link, ...], prefix: str | None = None) -> list[ButtonSpec]:
    """Link buttons; a link Discord would refuse is shortened or left out (the draft's text is in
    the message to copy)."""
    out: list[ButtonSpec] = []
    for link in links:
        fitted = fit_url(link.url)
        if fitted is None:
            continue
        url, shortened = fitted
        label = link.label + (" (paste the text)" if shortened else "")
        if prefix:
            label = f"{label}: {prefix}"
        out.append(ButtonSpec(label=clip(label, LABEL_LIMIT), style="link", url=url))
    return out


def action_label(action: Action) -> str:
    """A button's label, naming the interview it acts on (`Snooze 1 hour (#3)`): the same buttons
    come with every reminder DM, and a screen reader reads a button by its label alone (Discord
    has no separate accessible name for buttons)."""
    number = interview_number(action.command)
    label = action.label if number is None or f"#{number}" in action.label else f"{action.label} (#{number})"
    return clip(label, LABEL_LIMIT)


def action_buttons(actions: list[Action]) -> list[ButtonSpec]:
    styles: dict[str, Literal["primary", "secondary", "danger"]] = {
        "primary": "primary",
        "danger": "danger",
        "default": "secondary",
    }
    return [ButtonSpec(label=action_label(a), style=styles[a.style], command=a.command) for a in actions]


def _rows(buttons: list[ButtonSpec]) -> list[list[ButtonSpec]]:
    return [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]


@dataclass
class _Block:
    embeds: list[discord.Embed]
    buttons: list[ButtonSpec] = field(default_factory=list)


def with_members(text: str, members: list[str]) -> str:
    """The members a reply names by their Discord id (who saved a template) as mentions, which
    Discord shows as their names; every message goes out with mentions that notify nobody."""
    if not members:
        return text
    named = re.compile("|".join(rf"(?<![\d<@]){re.escape(m)}(?!\d)" for m in members if m.isdigit()) or "(?!)")
    return named.sub(lambda found: f"<@{found.group(0)}>", text)


def render(reply: Reply, *, content: str | None = None, reminder: bool = False) -> list[OutMessage]:
    """The messages that show `reply`, in order. `content` (a DM's one-line summary, for the push
    notification) goes on the first message."""
    color = COLOR_ERROR if reply.error else (COLOR_REMINDER if reminder else COLOR_OK)
    title = reply.title if len(reply.title) <= TITLE_LIMIT else clip(reply.title, TITLE_LIMIT)
    head = with_members(with_timestamps(head_text(reply), reply.time_marks, escape), reply.members)
    # (drafts keep their words: they are e-mail text)
    blocks: list[_Block] = [_Block(_chunked_embeds(title, head, color))]
    for draft in reply.drafts:
        blocks.append(
            _Block(
                _chunked_embeds(draft_title(draft), draft_text(draft), COLOR_DRAFT, draft_footer(draft)),
                link_buttons(draft.links, draft.to_name),
            )
        )
    tail_buttons = action_buttons(reply.actions)
    tail_links = link_buttons(reply.links)

    messages: list[OutMessage] = [OutMessage()]
    pending_links: list[ButtonSpec] = []
    for block in blocks:
        for embed in block.embeds:
            current = messages[-1]
            if current.embeds and (
                len(current.embeds) >= EMBEDS_PER_MESSAGE
                or current.embed_total() + len(embed) > MESSAGE_EMBED_TOTAL
            ):
                current.rows = _rows(pending_links)
                pending_links = []
                messages.append(OutMessage())
            messages[-1].embeds.append(embed)
        pending_links.extend(block.buttons)

    # Actions first (they matter most), then links; at most 5 rows a message, extras spill over.
    rows = _rows(tail_buttons) + _rows(pending_links + tail_links)
    messages[-1].rows = rows[:ROWS_PER_MESSAGE]
    rest = rows[ROWS_PER_MESSAGE:]
    while rest:
        messages.append(OutMessage(content="More links:", rows=rest[:ROWS_PER_MESSAGE]))
        rest = rest[ROWS_PER_MESSAGE:]
    # A message left with more than 5 rows of links (a block's own links) spills over too.
    fixed: list[OutMessage] = []
    for message in messages:
        extra = message.rows[ROWS_PER_MESSAGE:]
        message.rows = message.rows[:ROWS_PER_MESSAGE]
        fixed.append(message)
        while extra:
            fixed.append(OutMessage(content="More links:", rows=extra[:ROWS_PER_MESSAGE]))
            extra = extra[ROWS_PER_MESSAGE:]
    messages = fixed

    files = list(reply.files)
    if files:
        messages[-1].files = files[:FILES_PER_MESSAGE]
        files = files[FILES_PER_MESSAGE:]
        while files:
            messages.append(OutMessage(content="More files:", files=files[:FILES_PER_MESSAGE]))
            files = files[FILES_PER_MESSAGE:]
    if content:
        messages[0].content = clip(escape(content), CONTENT_LIMIT)
    return messages


def form_as_reply(reply: Reply) -> Reply:
    """A Reply whose form cannot be shown (the answer had to be deferred): say how to type it."""
    if reply.form is None:
        return reply
    keys = "; ".join(f"{f.key}: …" for f in reply.form.fields)
    sections = [*reply.sections]
    if keys:
        sections.append(Section(text=f"Type it with options: /interview {reply.form.command} {keys}"))
    return Reply(
        title=reply.title,
        sections=sections,
        notices=[*reply.notices],
        actions=[*reply.actions],
        links=[*reply.links],
        error=reply.error,
    )
