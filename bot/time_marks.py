"""The times a reply mentions, noted as they are written, so that a chat adapter can show each one
in the viewer's own terms (their locale's clock, their device's zone) instead of the words.

The reply's text stays plain and complete: `Tue Dec 1, 14:00 CET (in 20 h)` reads well anywhere
(the console, a notification, an e-mail). Alongside it, `Reply.time_marks` says which pieces of the
text are which moments. An adapter with timestamp markup (Discord's `<t:…:f>`, Slack's
`<!date^…>`) swaps those exact pieces for it where its markup is rendered; anywhere else the words
are shown as they are. Nothing is parsed back from text.

`humanize.moment` and `humanize.relative` note what they write while a `collecting()` block is
open (the service opens one around each command and reminder).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import NamedTuple


class TimeMark(NamedTuple):
    """A named tuple rather than a dataclass: a list notes two for each of its lines, and a tuple is
    made and compared (for `distinct`) without running Python code."""

    text: str  # exactly as it appears in the reply's text
    at: datetime  # the moment it stands for (timezone-aware)
    relative: bool = False  # "in 20 h", "3 days ago" rather than a day and time


_collected: ContextVar[list[TimeMark] | None] = ContextVar("time_marks", default=None)


def note(text: str, at: datetime, *, relative: bool = False) -> str:
    """`text`, noted as standing for `at` if a `collecting()` block is open."""
    marks = _collected.get()
    if marks is not None:
        marks.append(TimeMark(text, at, relative))
    return text


@contextmanager
def collecting() -> Iterator[list[TimeMark]]:
    """Collect the times written inside the block (this task only); the list fills as it runs."""
    marks: list[TimeMark] = []
    token = _collected.set(marks)
    try:
        yield marks
    finally:
        _collected.reset(token)


def distinct(marks: list[TimeMark]) -> list[TimeMark]:
    """Each mark once, in the order first written."""
    return list(dict.fromkeys(marks))
