"""Times in Discord messages are shown in the viewer's own terms, with the words where markup is not
rendered (titles, footers, notifications) and never inside a draft."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.render import render
from bot.domain import Rules
from bot.humanize import moment, relative
from bot.replies import Reply, Section
from bot.time_marks import collecting, distinct
from tests.discord.conftest import Harness
from tests.discord.fake_discord import message_text

TOKEN = re.compile(r"<t:(-?\d+):([fR])>")
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"]
MOMENTS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC))


def tokens(text: str) -> list[tuple[int, str]]:
    return [(int(unix), style) for unix, style in TOKEN.findall(text)]


@given(MOMENTS, MOMENTS, st.sampled_from(ZONES), st.text(alphabet="abc *_~", max_size=20))
def test_every_time_the_core_writes_becomes_a_timestamp_of_that_moment(at: datetime, now: datetime, zone: str,
                                                                       around: str) -> None:
    rules = Rules(tz=zone)
    with collecting() as marks:
        line = f"{around} due {moment(at, rules, now)} ({relative(at, now)}); reminder {moment(at, rules)}"
    reply = Reply(title=f"Due {moment(at, rules)}", sections=[Section(line)], time_marks=distinct(marks))
    (message,) = render(reply)
    description = message.embeds[0].description or ""
    assert tokens(description) == [(int(at.timestamp()), "f"), (int(at.timestamp()), "R"),
                                   (int(at.timestamp()), "f")]
    assert moment(at, rules) not in description
    assert message.embeds[0].title == reply.title, "a title does not render timestamps: the words stay"


def test_a_relative_time_alone_is_left_in_words() -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    with collecting() as marks:
        later = now + timedelta(days=2)
        line = f"check-in {relative(later, now)}, then another {relative(later, now)}"
    (message,) = render(Reply(title="Soon", sections=[Section(line)], time_marks=distinct(marks)))
    assert message.embeds[0].description == line


async def test_answers_and_reminder_dms_show_times_in_the_viewers_terms(harness: Harness) -> None:
    fake, ana = harness.fake, harness.ana
    await harness.fake.slash(ana, "interview settings", {"tz": "Europe/Berlin"}, guild_id=harness.guild)
    added = await fake.slash(ana, "interview add", {"company": "Horizon Marketing", "role": "Coordinator",
                                                   "when": "2026-12-01 10:00",
                                                   "with": "Jane Richardson <jane@horizon.example>"},
                             guild_id=harness.guild)
    answer = added.messages()[0]
    described = "\n".join(e.get("description") or "" for e in answer["embeds"])
    started = int(datetime(2026, 12, 1, 9, tzinfo=UTC).timestamp())  # 10:00 in Berlin
    thank_you_due = started + 24 * 3600 + 3600  # a day after the interview ended (60 min)
    assert (thank_you_due, "f") in tokens(described) and (thank_you_due, "R") in tokens(described)
    assert "<t:" not in answer["embeds"][0]["title"]

    assert (await harness.dispatcher().run_once()).delivered == 1
    dms = fake.dms_to(ana)
    assert "<t:" not in dms[0]["content"], "a push notification shows the words"
    assert any((thank_you_due, "f") in tokens(e.get("description") or "") for m in dms for e in m["embeds"])
    for message in dms:
        for embed in message["embeds"]:
            assert "<t:" not in (embed.get("footer") or {}).get("text", "")
            if (embed.get("title") or "").lower().startswith("thank-you draft"):
                assert "<t:" not in embed["description"], "a draft is e-mail text"
    assert "Dear" in "\n".join(message_text(m) for m in dms)
    assert not fake.rejections
