"""A Reply rendered as Slack Block Kit, within Slack's limits, with the user's text escaped.

Limits (Slack rejects a payload that breaks one with `invalid_blocks`): 50 blocks per message,
100 per modal or home tab, 3,000 characters per section text, 150 per header, 75 per button text,
2,000 per button value, 3,000 per button url, 25 elements per actions block.

Escaping: every piece of text that reaches Slack goes through `escape`: `&`, `<`, `>` become
entities (so `<!channel>` cannot ping or link), `@here`/`@channel`/`@everyone` get an invisible
word joiner after the `@`, and mrkdwn text objects are sent `verbatim` (Slack parses nothing).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.slack.dates import with_dates
from bot.capabilities import interview_number
from bot.replies import Action, Draft, Link, Reply
from bot.time_marks import TimeMark

Block = dict[str, Any]

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_CHARS = 3000
HEADER_CHARS = 150
BUTTON_TEXT_CHARS = 75
BUTTON_VALUE_CHARS = 2000
URL_CHARS = 3000
ACTIONS_PER_BLOCK = 5  # Slack allows 25; five keeps a row readable
FALLBACK_CHARS = 3000  # the notification / plain-text fallback `text`

COMMAND_ACTION_PREFIX = "ft-cmd-"
LINK_ACTION_PREFIX = "ft-link-"

_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)
_WORD_JOINER = "\u2060"



def escape(text: str) -> str:
    """User (or any) text made safe for Slack: entities for & < >, no broadcast mention."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)


def _escaped_len(text: str) -> int:
    return len(escape(text))


def split_text(raw: str, limit: int = SECTION_CHARS) -> list[str]:
    """Split raw text into pieces whose escaped form fits `limit`: at paragraphs, then lines,
    then words, then (for a word longer than the limit) characters. Nothing is lost.

    Escaped lengths add up over a join at whitespace (no entity or mention spans a separator), so
    each part is measured once."""
    if _escaped_len(raw) <= limit:
        return [raw]
    for sep in ("\n\n", "\n", " "):
        parts = raw.split(sep)
        if len(parts) < 2:
            continue
        sep_len = len(sep)
        out: list[str] = []
        current: list[str] = []
        size = 0
        for part in parts:
            part_len = _escaped_len(part)
            added = part_len if not current else size + sep_len + part_len
            if added <= limit:
                current.append(part)
                size = added
                continue
            if current:
                out.append(sep.join(current))
            if part_len <= limit:
                current, size = [part], part_len
            else:
                out.extend(split_text(part, limit))
                current, size = [], 0
        if current:
            out.append(sep.join(current))
        return [piece for piece in out if piece] or [""]
    # one long word: cut by characters
    out = []
    chars: list[str] = []
    size = 0
    for char in raw:
        char_size = _escaped_len(char)
        if size + char_size > limit:
            out.append("".join(chars))
            chars, size = [], 0
        chars.append(char)
        size += char_size
    if chars:
        out.append("".join(chars))
    return out


def clip(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def mrkdwn(escaped: str) -> dict[str, Any]:
    """A mrkdwn text object; the text must already be escaped."""
    return {"type": "mrkdwn", "text": escaped or " ", "verbatim": True}


def section(escaped: str) -> Block:
    return {"type": "section", "text": mrkdwn(escaped)}


def text_sections(raw: str, heading: str | None = None, marks: Sequence[TimeMark] = ()) -> list[Block]:
    """Sections for raw (unescaped) text, the first one headed by a bold `heading`; the times in
    `marks` as Slack date tokens where they fit."""
    head = f"*{escape(heading)}*\n" if heading else ""
    pieces = split_text(raw, SECTION_CHARS - len(head))
    limit = SECTION_CHARS - len(head)
    blocks = [section(head + with_dates(escape(pieces[0]), marks, escape, limit))]
    blocks.extend(section(with_dates(escape(piece), marks, escape, SECTION_CHARS)) for piece in pieces[1:])
    return blocks


def context(escaped: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(clip(escaped, SECTION_CHARS))]}


def button_value(command: str, owner: str) -> str:
    return json.dumps({"c": command, "o": owner}, separators=(",", ":"))


def read_button_value(value: str) -> tuple[str, str] | None:
    """(command, owner) from a button's value, or None when it is not ours."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str) or not isinstance(data.get("o"), str):
        return None
    return data["c"], data["o"]



def accessibility_label(action: Action, about: str | None = None) -> str | None:
    """What a screen reader says for a button that repeats (one "Mark sent" per interview): its
    label and the interview it acts on, `about` (e.g. "#3 Horizon – Analyst") or the command's #N."""
    if about is None:
        number = interview_number(action.command)
        if number is None:
            return None
        about = f"interview #{number}"
    return clip(f"{action.label}: {about}", BUTTON_TEXT_CHARS)


def action_blocks(actions: Iterable[Action], owner: str, about: str | None = None) -> list[Block]:
    """Buttons carrying their command and the owner's user id; fresh block ids every render, so
    a press is tied to one rendering of one message. Each button about one interview says which
    in its `accessibility_label` (`about`, or the interview number in its command)."""
    nonce = secrets.token_hex(4)
    buttons: list[dict[str, Any]] = []
    for i, action in enumerate(actions):
        value = button_value(action.command, owner)
        if len(value) > BUTTON_VALUE_CHARS:
            continue
        button: dict[str, Any] = {
            "type": "button",
            "text": plain(action.label, BUTTON_TEXT_CHARS),
            "action_id": f"{COMMAND_ACTION_PREFIX}{i}",
            "value": value,
        }
        label = accessibility_label(action, about)
        if label:
            button["accessibility_label"] = label
        if action.style in ("primary", "danger"):
            button["style"] = action.style
        buttons.append(button)
    return [
        {"type": "actions", "block_id": f"ft-{nonce}-{n}", "elements": buttons[i : i + ACTIONS_PER_BLOCK]}
        for n, i in enumerate(range(0, len(buttons), ACTIONS_PER_BLOCK))
    ]


def link_blocks(links: Iterable[Link]) -> list[Block]:
    """Link buttons (compose links, mailto:). A url Slack would refuse is left out."""
    buttons = [
        {
            "type": "button",
            "text": plain(link.label, BUTTON_TEXT_CHARS),
            "action_id": f"{LINK_ACTION_PREFIX}{i}",
            "url": link.url,
        }
        for i, link in enumerate(links)
        if 0 < len(link.url) <= URL_CHARS
    ]
    return [
        {"type": "actions", "elements": buttons[i : i + ACTIONS_PER_BLOCK]}
        for i in range(0, len(buttons), ACTIONS_PER_BLOCK)
    ]


def _unique_link_ids(blocks: list[Block]) -> list[Block]:
    """Action ids must be unique within a message: renumber the link buttons."""
    n = 0
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block["elements"]:
            if str(element.get("action_id", "")).startswith(LINK_ACTION_PREFIX):
                element["action_id"] = f"{LINK_ACTION_PREFIX}{n}"
                n += 1
    return blocks


def draft_blocks(draft: Draft) -> list[Block]:
    head = f"{draft.kind} draft"
    if draft.to_name:
        head += f" to {draft.to_name}"
        if draft.to_email:
            head += f" <{draft.to_email}>"
    blocks: list[Block] = [{"type": "divider"}, section(f"*{escape(head)}*")]
    if draft.subject:
        blocks.append(section(f"*Subject:* {escape(clip(draft.subject, SECTION_CHARS - 40))}"))
    blocks.extend(section(escape(piece)) for piece in split_text(draft.body))
    if draft.problems:
        blocks.append(context(":mag: Proofreader: " + escape("; ".join(draft.problems))))
    else:
        blocks.append(context(":mag: Proofreader: no problems found."))
    links = link_blocks(draft.links)
    skipped = [link for link in draft.links if len(link.url) > URL_CHARS]
    blocks.extend(links)
    if skipped:
        blocks.append(context(escape("The draft is too long for a compose link: copy the text above.")))
    return blocks


@dataclass(frozen=True)
class Rendered:
    """A reply as one or more messages (each within the message limits) and its fallback text."""

    messages: list[list[Block]]
    text: str

    @property
    def first(self) -> list[Block]:
        return self.messages[0]


def fallback_text(reply: Reply) -> str:
    """The message's `text` (notifications, screen readers): escaped and short."""
    return escape(clip(reply.as_text(), FALLBACK_CHARS))


def reply_blocks(reply: Reply, owner: str, *, merge_sections: bool = False) -> list[Block]:
    """Every block of a reply in order: notices, title, sections, drafts, links, files, buttons."""
    blocks: list[Block] = []
    marks = reply.time_marks
    for notice in reply.notices:
        blocks.extend(text_sections(notice, heading=":warning: Please note", marks=marks))
    title = f"*{with_dates(escape(clip(reply.title, SECTION_CHARS - 20)), marks, escape, SECTION_CHARS - 20)}*"
    blocks.append(section((":x: " if reply.error else "") + title))
    if merge_sections and reply.sections:
        joined = "\n\n".join(
            (f"{s.title}\n{s.text}" if s.title else s.text) for s in reply.sections
        )
        blocks.extend(text_sections(joined, marks=marks))
    else:
        for s in reply.sections:
            blocks.extend(text_sections(s.text, heading=s.title, marks=marks))
    for draft in reply.drafts:
        blocks.extend(draft_blocks(draft))
    if reply.links:
        blocks.extend(link_blocks(reply.links))
    if reply.files:
        names = ", ".join(f.filename for f in reply.files)
        blocks.append(context(":paperclip: " + escape(f"{names}: sent to you in a direct message.")))
    if reply.actions:
        blocks.extend(action_blocks(reply.actions, owner))
    return _unique_link_ids(with_members(blocks, reply.members))


def with_members(blocks: list[Block], members: list[str]) -> list[Block]:
    """The members a reply names by their Slack id (who saved a template) as mentions, which Slack
    shows as their names; a mention in an answer to someone else notifies nobody."""
    if not members:
        return blocks
    named = re.compile("|".join(rf"(?<![\w<@]){re.escape(m)}(?![\w>])" for m in members))
    for block in blocks:
        text = block.get("text")
        if block.get("type") == "section" and isinstance(text, dict) and text.get("type") == "mrkdwn":
            text["text"] = named.sub(lambda found: f"<@{found.group(0)}>", text["text"])
    return blocks


def paginate(blocks: list[Block], limit: int) -> list[list[Block]]:
    """Split blocks into pages of at most `limit`, never starting a page with a divider."""
    pages: list[list[Block]] = []
    current: list[Block] = []
    for block in blocks:
        if len(current) >= limit:
            pages.append(current)
            current = []
        if not current and block.get("type") == "divider":
            continue
        current.append(block)
    if current or not pages:
        pages.append(current)
    return pages


def is_command_buttons(block: Block) -> bool:
    return block.get("type") == "actions" and str(block.get("block_id", "")).startswith("ft-")


def render_message(reply: Reply, owner: str) -> Rendered:
    """The reply as messages of at most 50 blocks. A long reply becomes several messages: the
    first one carries the buttons (so the message a press updates is the one that says what is
    due), the next ones the rest of the drafts."""
    blocks = reply_blocks(reply, owner)
    if len(blocks) > MESSAGE_BLOCKS:
        blocks = reply_blocks(reply, owner, merge_sections=True)
    if len(blocks) <= MESSAGE_BLOCKS:
        return Rendered(messages=[blocks], text=fallback_text(reply))
    buttons = [b for b in blocks if is_command_buttons(b)]
    rest = [b for b in blocks if not is_command_buttons(b)]
    room = MESSAGE_BLOCKS - len(buttons) - 1
    first = [*rest[:room], context(escape("Continued in the next messages.")), *buttons]
    return Rendered(messages=[first, *paginate(rest[room:], MESSAGE_BLOCKS)], text=fallback_text(reply))


def render_view_blocks(reply: Reply, owner: str, limit: int = VIEW_BLOCKS) -> list[Block]:
    """The reply for a modal or the home tab: at most `limit` blocks, the buttons kept."""
    blocks = reply_blocks(reply, owner)
    if len(blocks) > limit:
        blocks = reply_blocks(reply, owner, merge_sections=True)
    if len(blocks) <= limit:
        return blocks
    buttons = [b for b in blocks[-3:] if b.get("type") == "actions" and "block_id" in b]
    body = [b for b in blocks if b not in buttons]
    note = context(escape("There is more: use /interview to see the rest."))
    return body[: limit - len(buttons) - 1] + [note] + buttons


def without_buttons(blocks: list[Block]) -> list[Block]:
    """A message's blocks with its command buttons removed (link buttons stay)."""
    out: list[Block] = []
    for block in blocks:
        if block.get("type") != "actions":
            out.append(block)
            continue
        kept = [
            e for e in block.get("elements", []) if not str(e.get("action_id", "")).startswith(COMMAND_ACTION_PREFIX)
        ]
        if kept:
            out.append({**block, "elements": kept})
    return out
