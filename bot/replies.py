"""Platform-neutral answers: text sections, drafts, buttons as intents, files, forms.

Adapters render a Reply for their platform (Block Kit, Discord embeds and components, plain text)
within its limits and escape the user's text. Text here is plain: no markup of any platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.time_marks import TimeMark


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Action:
    """A button. `command` is the core command it runs (the text after `/interview`), e.g.
    `sent #3 thank-you`; pressing it does exactly what typing that command does, for the owner of
    the message only."""

    label: str
    command: str
    style: Literal["primary", "danger", "default"] = "default"


@dataclass(frozen=True)
class Section:
    text: str
    title: str | None = None


@dataclass(frozen=True)
class Draft:
    """A ready-to-send e-mail (or LinkedIn note) and what the proofreader found in it."""

    kind: str  # a DraftKind value
    to_name: str | None
    to_email: str | None
    subject: str | None  # None for a LinkedIn note
    body: str  # greeting, paragraphs, sign-off and signature
    links: tuple[Link, ...] = ()  # mailto:, Gmail and Outlook web compose
    problems: tuple[str, ...] = ()  # the proofreader's findings, shown with the draft


@dataclass(frozen=True)
class FileOut:
    filename: str
    content: bytes
    mime: str
    alt: str | None = None  # an image's alternative text: what it shows, for people who do not see it


@dataclass(frozen=True)
class FormField:
    key: str  # the grammar key (company, role, when, ...)
    label: str
    required: bool = False
    placeholder: str | None = None
    initial: str | None = None
    multiline: bool = False


@dataclass(frozen=True)
class Form:
    """Ask for fields (a modal on Slack and Discord, questions one by one on the console). The
    answers build the command `<command> key: value; ...`."""

    command: str  # "add" or "settings"
    title: str
    fields: tuple[FormField, ...]


@dataclass
class Reply:
    title: str
    sections: list[Section] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    files: list[FileOut] = field(default_factory=list)
    form: Form | None = None
    error: bool = False
    notices: list[str] = field(default_factory=list)  # e.g. a reminder that could not be delivered
    # which pieces of the text are which moments (bot.time_marks): for adapters with timestamp markup
    time_marks: list[TimeMark] = field(default_factory=list)
    # members of the community named in the text by their platform id (who saved a template): an
    # adapter with mention markup shows each as the person's name, without notifying them
    members: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        """A plain-text rendering (the console's, and every adapter's fallback text)."""
        out: list[str] = []
        for notice in self.notices:
            out.append(f"! {notice}")
        out.append(self.title)
        for section in self.sections:
            out.append("")
            if section.title:
                out.append(section.title)
            out.append(section.text)
        for draft in self.drafts:
            out.append("")
            out.append(draft_as_text(draft))
        if self.links:
            out.append("")
            out.extend(f"{link.label}: {link.url}" for link in self.links)
        if self.actions:
            out.append("")
            out.append("Next: " + " | ".join(f"/interview {a.command}" for a in self.actions))
        return "\n".join(out)


def draft_as_text(draft: Draft) -> str:
    head = f"--- {draft.kind} draft"
    if draft.to_name:
        head += f" to {draft.to_name}"
        if draft.to_email:
            head += f" <{draft.to_email}>"
    lines = [head + " ---"]
    if draft.subject:
        lines.append(f"Subject: {draft.subject}")
        lines.append("")
    lines.append(draft.body)
    # Compose links (mailto:, Gmail, Outlook) are shown as buttons by the chat adapters; in plain
    # text they would bury the draft under a screenful of URL-encoding.
    if draft.problems:
        lines.append("Proofreader: " + "; ".join(draft.problems))
    else:
        lines.append("Proofreader: no problems found.")
    return "\n".join(lines)


def error(message: str) -> Reply:
    return Reply(title=message, error=True)
