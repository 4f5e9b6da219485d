"""Whose note a fragment is for: "Jane: my portfolio", "to Jane: ...", "my portfolio (for Jane)" or
"my portfolio for Jane" give the promise (or point, or news) to that person's note only."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.domain import Interviewer
from bot.drafts.fragments import squash
from bot.drafts.names import find_person


def owner_and_text(text: str | None, people: Sequence[Interviewer]) -> tuple[Interviewer | None, str]:
    """"Jane: my portfolio", "to Jane: ...", "my portfolio (for Jane)", "my portfolio for Jane"
    -> (Jane, "my portfolio") when Jane is one of `people`; otherwise (None, the text)."""
    clean = squash(text)
    if not clean or not people:
        return None, clean
    m = re.match(r"^(?:(?:to|for|with)\s+)?([^:]{1,60}):\s*(.+)$", clean, re.IGNORECASE)
    if m and (person := find_person(people, m.group(1))) is not None:
        return person, m.group(2).strip()
    m = re.match(r"^(.+?)\s*\((?:for|to|with)?\s*([^()]{1,60})\)\s*[.]?$", clean, re.IGNORECASE)
    if m and (person := find_person(people, m.group(2))) is not None:
        return person, m.group(1).strip()
    m = re.match(r"^(.+?)\s+(?:for|to)\s+([^\s].{0,59}?)\s*[.]?$", clean, re.IGNORECASE)
    if m and (person := find_person(people, m.group(2))) is not None:
        return person, m.group(1).strip()
    return None, clean
