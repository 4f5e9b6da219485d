"""Times in the viewer's own terms on Slack: every day-and-time a message shows is a Slack date
token whose fallback is the core's words; drafts and notification text keep the words."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.blocks import escape
from adapters.slack.dates import with_dates
from bot.time_marks import TimeMark
from tests.slack.conftest import Harness
from tests.slack.signing import texts
from tests.slack.test_reminders import the_reminder_dm

TOKEN = re.compile(r"<!date\^(\d+)\^\{date_short_pretty\} at \{time\}\|([^<>|]+)>")


def tokens(blocks: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(int(unix), fallback) for unix, fallback in TOKEN.findall(texts(blocks))]


async def test_an_answer_shows_its_times_as_date_tokens_with_the_words_as_fallback(slack: Harness) -> None:
    body = await slack.ask("add company: Horizon; role: Analyst; when: 2026-12-01 14:00")
    found = tokens(body["blocks"])
    start = int(datetime(2026, 12, 1, 19, 0, tzinfo=UTC).timestamp())  # 14:00 in Alice's New York
    assert (start, "Tue Dec 1, 14:00 EST") in found
    assert all("EST" in fallback for _, fallback in found)  # each fallback is the core's own words
    assert "<!date" not in body["text"]  # the notification keeps the words
    listing = await slack.ask("list")
    assert tokens(listing["blocks"])


async def test_a_reminder_dm_shows_due_times_as_tokens_and_its_drafts_keep_words(slack: Harness) -> None:
    message = await the_reminder_dm(slack)
    assert tokens(message["blocks"])
    drafts = [b for b in message["blocks"] if b["type"] == "section" and "Dear" in b["text"]["text"]]
    assert drafts and all("<!date" not in b["text"]["text"] for b in drafts)


async def test_typed_text_can_never_make_a_date_token(slack: Harness) -> None:
    body = await slack.ask("add company: <!date^0^{date}|x> Corp; role: Analyst; when: yesterday 2pm")
    assert all(unix != 0 for unix, _ in tokens(body["blocks"]))
    assert "&lt;!date^0^{date}|x&gt; Corp" in texts(body["blocks"])


@given(words=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5),
       filler=st.text(max_size=200))
def test_each_marked_time_becomes_one_token_and_nothing_else_changes(words: list[str], filler: str) -> None:
    at = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    marks = [TimeMark(w, at) for w in words]
    text = escape(filler + " " + " | ".join(words))
    out = with_dates(text, marks, escape, 100_000)
    # Taking each token back to its fallback gives the text as it was: only marked words changed.
    back = re.sub(r"<!date\^\d+\^\{date_short_pretty\} at \{time\}\|([^>]*)>", lambda m: m.group(1), out)
    assert back.replace("/", "|") == text.replace("/", "|")
    if out != text:
        assert with_dates(text, marks, escape, len(text)) == text  # what would not fit keeps its words
