"""Times in the viewer's own terms: Discord timestamp markup for the times a reply mentions.

`<t:UNIX:f>` shows a day and time, `<t:UNIX:R>` "in 20 hours", each in the viewer's own locale
and zone. Discord renders them in message text and embed descriptions, not in embed titles,
footers or push notifications: there the core's words stay (`Tue Dec 1, 14:00 CET (in 20 h)`).
Drafts are left alone too: their text is for an e-mail. Which words are which time comes from the
reply's time marks (bot.time_marks), not from reading the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.time_marks import TimeMark


def token(mark: TimeMark) -> str:
    return f"<t:{int(mark.at.timestamp())}:{'R' if mark.relative else 'f'}>"


def with_timestamps(text: str, marks: Sequence[TimeMark], escape: Callable[[str], str] = str) -> str:
    """`text` (escaped by `escape`) with each marked day-and-time shown as a timestamp; a relative
    time too, where it follows its day and time in brackets (`… (in 20 h)`): on its own, "in 2
    days" could stand for more than one moment."""
    absolute = [m for m in marks if not m.relative]
    relative = [m for m in marks if m.relative]
    pieces: list[tuple[str, str]] = []
    for mark in absolute:
        for other in relative:
            if other.at == mark.at:
                pieces.append((escape(f"{mark.text} ({other.text})"), f"{token(mark)} ({token(other)})"))
    pieces.extend((escape(mark.text), token(mark)) for mark in absolute)
    for words, markup in sorted(pieces, key=lambda p: len(p[0]), reverse=True):
        text = text.replace(words, markup)
    return text
