"""An answer as terminal text: plain words wrapped to the terminal (100 columns at most), no chat
markup of any platform, times on the terminal's clock, and compose links a click away.

On a terminal, a link is an OSC 8 hyperlink (its label is shown; most terminals open it on click,
the others show the label alone). When the output is a file or a pipe, the URL is written out.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace
from datetime import datetime

from adapters.console.terminal_locale import HourCycle, on_clock
from bot.replies import Draft, Link, Reply
from bot.time_marks import TimeMark

WIDTH = 100


@dataclass(frozen=True)
class Style:
    width: int = WIDTH
    hyperlinks: bool = False  # OSC 8 links (stdout is a terminal)
    hour_cycle: HourCycle = 24
    clock: tuple[tuple[str, str], ...] = ()  # the reply's times as written -> as this terminal shows them


def clock_words(marks: list[TimeMark], hour_cycle: HourCycle) -> tuple[tuple[str, str], ...]:
    """Each time the core noted in a reply (bot.time_marks), as it reads on the terminal's clock:
    only those exact pieces change, never other text that looks like a time."""
    if hour_cycle == 24:
        return ()
    pairs = {(mark.text, on_clock(mark.text, hour_cycle)) for mark in marks if not mark.relative}
    # The longest first, so that no time is changed inside a longer one already changed.
    return tuple(sorted(((old, new) for old, new in pairs if old != new), key=lambda p: -len(p[0])))


def on_terminal_clock(text: str, style: Style) -> str:
    for written, shown in style.clock:
        text = text.replace(written, shown)
    return text


def hyperlink(label: str, url: str) -> str:
    """OSC 8: `ESC ] 8 ; ; URL ST label ESC ] 8 ; ; ST`. Control characters never reach the terminal."""
    return f"\x1b]8;;{_printable(url)}\x1b\\{_printable(label)}\x1b]8;;\x1b\\"


def render(reply: Reply, style: Style) -> str:
    style = replace(style, clock=clock_words(reply.time_marks, style.hour_cycle))
    lines: list[str] = []
    for notice in reply.notices:
        lines.extend(_wrap(f"! {notice}", style))
    lines.extend(_wrap(reply.title, style))
    for section in reply.sections:
        lines.append("")
        if section.title:
            lines.extend(_wrap(section.title, style))
        lines.extend(_wrap(section.text, style))
    for draft in reply.drafts:
        lines.append("")
        lines.extend(_draft(draft, style))
    if reply.links:
        lines.append("")
        lines.extend(_links(reply.links, style, prefix=""))
    if reply.actions:
        lines.append("")
        lines.extend(_wrap("Next: " + " | ".join(f"/interview {a.command}" for a in reply.actions), style))
    return "\n".join(lines)


def render_text(text: str, style: Style) -> str:
    """A line the console says on its own (a form's remark), as answers are shown."""
    return "\n".join(_wrap(text, style))


def _draft(draft: Draft, style: Style) -> list[str]:
    head = f"--- {draft.kind} draft"
    if draft.to_name:
        head += f" to {draft.to_name}"
        if draft.to_email:
            head += f" <{draft.to_email}>"
    lines = _wrap(head + " ---", style)
    if draft.subject:
        lines.extend(_wrap(f"Subject: {draft.subject}", style))
        lines.append("")
    lines.extend(_wrap(draft.body, style))
    if draft.problems:
        lines.extend(_wrap("Proofreader: " + "; ".join(draft.problems), style))
    else:
        lines.append("Proofreader: no problems found.")
    if draft.links:
        lines.extend(_links(draft.links, style, prefix="Write it in: "))
    return lines


def _links(links: tuple[Link, ...] | list[Link], style: Style, prefix: str) -> list[str]:
    if style.hyperlinks:
        # The labels are short: they wrap like words, each link kept whole.
        return [prefix + " · ".join(hyperlink(link.label, link.url) for link in links)]
    # A URL cannot be broken without breaking it: each on a line of its own, unwrapped.
    return [f"{prefix}{link.label}: {_printable(link.url)}" for link in links]


# ------------------------------------------------------------------------------------------ text

# Chat markup a platform-neutral text should not hold, should any reach the console: Slack date
# tokens, links and mentions, Discord timestamps and mentions. Each becomes its plain reading.
_SLACK_DATE = re.compile(r"<!date\^(\d+)\^[^|>]*\|([^>]*)>")
_DISCORD_TIME = re.compile(r"<t:(-?\d+)(?::[tTdDfFR])?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)>")
_MENTION = re.compile(r"<(?:@[!&]?|#)([A-Za-z0-9_]+)(?:\|([^>]+))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")


def plain(text: str) -> str:
    """Chat-platform markup -> what it reads as."""
    text = _SLACK_DATE.sub(lambda m: m[2], text)
    text = _DISCORD_TIME.sub(lambda m: _local_time(int(m[1])), text)
    text = _LINK.sub(lambda m: f"{m[2]} ({m[1]})", text)
    text = _BARE_LINK.sub(lambda m: m[1], text)
    text = _MENTION.sub(lambda m: "@" + (m[2] or m[1]), text)
    return _SPECIAL.sub(lambda m: "@" + m[1], text)


def _local_time(timestamp: int) -> str:
    try:
        return datetime.fromtimestamp(timestamp).astimezone().strftime("%a %b %d, %H:%M %Z")
    except (OverflowError, OSError, ValueError):
        return str(timestamp)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _printable(text: str) -> str:
    """No escape sequence of anyone's typing reaches the terminal (a company named "\\x1b[2J")."""
    return _CONTROL.sub("", text)


_BULLET = re.compile(r"^(\s*(?:[•\-*]|\d+[.)])?\s*)")


def _wrap(text: str, style: Style) -> list[str]:
    """Each line of `text` wrapped to the width; a continued line keeps its indent (a bullet's
    text lines up under the bullet's text). Words longer than the width (URLs) stay whole."""
    text = on_terminal_clock(plain(_printable(text.replace("\t", "    "))), style)
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= style.width:
            out.append(line.rstrip())
            continue
        indent = _BULLET.match(line)
        hang = " " * min(len(indent[1]), style.width // 4) if indent else ""
        out.extend(textwrap.wrap(line, width=style.width, subsequent_indent=hang,
                                 break_long_words=False, break_on_hyphens=False) or [""])
    return out
