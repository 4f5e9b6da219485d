"""Say what was understood: every time a command stores is said back, and a date is never guessed
in silence. Transcripts through the service, on SQLite and PostgreSQL, with the clock moved by hand."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.actor import Actor
from bot.service import Service
from tests.clock import FakeClock
from tests.service_support import NOW, exported_interviews, ok

ALICE = Actor("console", "local", "alice")
GERMAN = Actor("discord", "g1", "hans", locale="de")
AMERICAN = Actor("slack", "T1", "amy", locale="en-US")
NOBODY_KNOWS = Actor("slack", "T1", "kim")  # no locale from the platform
ADD = "add company: Horizon Marketing; role: Analyst; when: "


def read_as(reply: Any) -> str:
    """The answer's "I read" section: each time as it was understood."""
    found = [s.text for s in reply.sections if s.title == "I read"]
    assert found, reply.as_text()
    return found[0]


async def test_add_says_back_the_time_it_read(service: Service) -> None:
    reply = await ok(service, ALICE, ADD + "Dec 1 14h")
    assert read_as(reply) == 'when: "Dec 1 14h" → Tue Dec 1, 14:00 CET'
    assert (await exported_interviews(service, ALICE))[0]["starts_at"] == "2026-12-01T14:00:00+01:00"
    reply = await ok(service, ALICE, ADD + "yesterday 9h30; decision: Jan 8")
    assert 'when: "yesterday 9h30" → Mon Nov 30, 09:30 CET' in read_as(reply)
    # a decision date without a year is the next one ahead; another year is said
    assert 'decision: "Jan 8" → Fri Jan 8 2027' in read_as(reply)


async def test_every_command_that_stores_a_time_says_it_back(service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, ADD + "today 10:00")
    said = read_as(await ok(service, ALICE, "heard #1 decision next Friday"))
    assert said == 'decision: "next Friday" → Fri Dec 4'
    said = read_as(await ok(service, ALICE, "offer-elsewhere #1 deadline: Dec 3"))
    assert said == 'deadline: "Dec 3" → Thu Dec 3'
    said = read_as(await ok(service, ALICE, "snooze #1 in 3 hours"))
    assert said == 'snooze: "in 3 hours" → Tue Dec 1, 18:30 CET'
    said = read_as(await ok(service, ALICE, "heard #1 next round Thursday 11am"))
    assert said == 'next round: "Thursday 11am" → Thu Dec 3, 11:00 CET'


async def test_update_shows_what_changed(service: Service) -> None:
    await ok(service, ALICE, ADD + "today 10:00; with: Jane Roe; with: Tom Lee")
    reply = await ok(service, ALICE, "update #1 role: Senior Analyst; when: today 11:00; decision: Dec 11; "
                                     "remove: Tom Lee; with: Ana Ruiz")
    changed = next(s.text for s in reply.sections if s.title == "Changed").splitlines()
    assert "role: Analyst → Senior Analyst" in changed
    assert "when: Tue Dec 1, 10:00 CET → Tue Dec 1, 11:00 CET" in changed
    assert "decision: (none) → Fri Dec 11" in changed
    assert "added: Ana Ruiz" in changed and "removed: Tom Lee" in changed
    reply = await ok(service, ALICE, "update #1 decision: none")
    assert "decision: Fri Dec 11 → (none)" in reply.as_text()
    assert (await exported_interviews(service, ALICE))[0]["decision_on"] is None


@pytest.mark.parametrize(("typed", "says"), [
    ("1999-01-01", "more than a year ago"),
    ("2028-03-01 10:00", "more than a year from now"),
    ("Jan 5 2025", "more than a year ago"),
])
async def test_an_interview_far_from_today_is_refused_with_the_reading(service: Service, typed: str,
                                                                       says: str) -> None:
    reply = await service.handle(ALICE, ADD + typed)
    assert reply.error and says in reply.title and "did you mean when:" in reply.title
    assert re.search(r"\b(19|20)\d\d\b", reply.title)  # the reading is shown with its year
    assert await exported_interviews(service, ALICE) == []


@pytest.mark.parametrize("typed", ["0001-01-01 10:00", "9999-12-31", "year 9999", "2101-01-01"])
async def test_years_out_of_bounds_get_an_answer_not_a_crash(service: Service, typed: str) -> None:
    for command in (ADD + typed, "heard #1 decision " + typed):
        reply = await service.handle(ALICE, command)
        assert reply.error and "Something went wrong" not in reply.title, (command, reply.title)
    assert await exported_interviews(service, ALICE) == []


async def test_numeric_dates_follow_the_locale_or_are_asked_about(service: Service) -> None:
    said = read_as(await ok(service, GERMAN, ADD + "01/12/2026 14:00"))
    assert said.endswith("→ Tue Dec 1, 14:00 CET")
    said = read_as(await ok(service, AMERICAN, ADD + "12/01/2026 14:00"))
    assert said.endswith("→ Tue Dec 1, 14:00 CET")
    reply = await service.handle(NOBODY_KNOWS, ADD + "01/12/2026 14:00")
    assert reply.error and "two ways" in reply.title and "December 1" in reply.title \
        and "January 12" in reply.title and "settings dates: day-first" in reply.title
    assert await exported_interviews(service, NOBODY_KNOWS) == []
    # a part over 12 can only be the day: nothing to ask
    said = read_as(await ok(service, NOBODY_KNOWS, ADD + "25/11/2026 10:00"))
    assert said.endswith("→ Wed Nov 25, 10:00 CET")
    # the setting wins over the locale
    settings_reply = await ok(service, AMERICAN, "settings dates: day-first")
    assert "Dates: day-first" in settings_reply.as_text()
    said = read_as(await ok(service, AMERICAN, ADD + "01/12/2026 9:00"))
    assert said.endswith("→ Tue Dec 1, 09:00 CET")
    settings_reply = await ok(service, NOBODY_KNOWS, "settings")
    assert "a date like 03/04 is asked about" in settings_reply.as_text()


@pytest.mark.parametrize(("typed", "said"), [
    ("Dec 2 2pm EST", "Wed Dec 2, 20:00 CET (14:00 EST in America/New_York)"),
    ("Dec 2 9:00 PT", "Wed Dec 2, 18:00 CET (09:00 PST in America/Los_Angeles)"),
    ("Dec 2 10:30 IST", "Wed Dec 2, 06:00 CET (10:30 IST in Asia/Kolkata)"),
    ("Dec 2 15:00 CET", "Wed Dec 2, 15:00 CET"),
    ("2026-12-02 13:00 UTC", "Wed Dec 2, 14:00 CET (13:00 UTC)"),  # a picked moment (Slack), said once
])
async def test_zone_abbreviations_are_read_in_the_zone_meant_and_said_back(service: Service, typed: str,
                                                                           said: str) -> None:
    assert read_as(await ok(service, ALICE, ADD + typed)) == f'when: "{typed}" → {said}'


async def test_eastern_time_keeps_summer_time(service: Service, clock: FakeClock) -> None:
    clock.set(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    said = read_as(await ok(service, ALICE, ADD + "July 2 2pm EST"))
    assert said.endswith("→ Thu Jul 2, 20:00 CEST (14:00 EDT in America/New_York)")


async def test_relative_words_follow_one_rule(service: Service) -> None:
    # today is Tuesday, December 1
    await ok(service, ALICE, ADD + "today 10:00")
    for typed, day in (("this Friday", "Fri Dec 4"), ("next Friday", "Fri Dec 4"), ("next Tuesday", "Tue Dec 8"),
                       ("this Tuesday", "Tue Dec 1"), ("in 2 weeks", "Tue Dec 15"), ("tomorrow", "Wed Dec 2")):
        said = read_as(await ok(service, ALICE, f"heard #1 decision {typed}"))
        assert said.startswith(f'decision: "{typed}" → {day}'), said


async def test_a_past_deadline_is_refused_and_a_past_decision_makes_the_check_in_due(service: Service) -> None:
    await ok(service, ALICE, ADD + "Nov 20 10:00")
    reply = await service.handle(ALICE, "offer-elsewhere #1 deadline: yesterday")
    assert reply.error and "already passed" in reply.title and "Mon Nov 30" in reply.title
    assert not reply.drafts
    assert (await exported_interviews(service, ALICE))[0]["offer_deadline"] is None
    said = read_as(await ok(service, ALICE, "heard #1 decision last Friday"))
    assert "already past: your check-in is due now" in said
    check_in = next(s for s in (await exported_interviews(service, ALICE))[0]["steps"] if s["kind"] == "check-in")
    assert datetime.fromisoformat(check_in["due_at"]) <= NOW
    drafts = await ok(service, ALICE, "draft #1 check-in")
    assert drafts.drafts and "impatient" not in drafts.as_text()


# --------------------------------------------------------------------------------------------------
# never a silent shift of year, whatever is typed

MONTHS = ["Jan", "February", "mar", "Apr", "May", "june", "Jul", "aug", "Sept", "Oct", "Nov", "December"]
PIECES = st.one_of(
    st.sampled_from(MONTHS), st.integers(0, 40).map(str), st.integers(1900, 2150).map(str),
    st.sampled_from(["14h", "9h30", "2pm", "10:00", "at", "on", "the", "1st", "next", "last", "this", "Friday",
                     "tomorrow", "yesterday", "in", "weeks", "days", "ago", "EST", "CET", "noon", "/", ".", "-",
                     "03/04", "12/31", "1/2/26", "2026-12-01", "of"]),
)
TEXTS = st.one_of(st.lists(PIECES, min_size=1, max_size=5).map(" ".join), st.text(max_size=30))
_serial = count()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TEXTS)
async def test_any_time_text_is_read_inside_the_window_or_answered(service: Service, typed: str) -> None:
    actor = Actor("console", "local", f"prop{next(_serial)}", locale="en-GB")
    reply = await service.handle(actor, ADD + typed)
    if reply.error:
        assert "Something went wrong" not in reply.title
        return
    stored = datetime.fromisoformat((await exported_interviews(service, actor))[0]["starts_at"])
    assert abs(stored - NOW) <= timedelta(days=365), (typed, stored)
    said = read_as(reply)
    assert said.startswith("when: ")
    reading = said.split(" → ", 1)[1]  # what was understood, after the text as typed
    assert reading.split(",")[0].endswith((f"{stored:%b} {stored.day}", f"{stored:%b} {stored.day} {stored.year}"))
    assert (str(stored.year) in reading) == (stored.year != 2026), (said, stored)
    decision = await service.handle(actor, "heard #1 decision " + typed)
    if not decision.error:
        day = date.fromisoformat((await exported_interviews(service, actor))[0]["decision_on"])
        assert abs((day - NOW.date()).days) <= 365, (typed, day)


@pytest.mark.parametrize("typed", ["Jan 2026", "January", "December 2026 14h"])
async def test_a_month_without_a_day_is_asked_about(service: Service, typed: str) -> None:
    reply = await service.handle(ALICE, ADD + typed)
    assert reply.error and "names a month but not the day" in reply.title
    assert await exported_interviews(service, ALICE) == []
