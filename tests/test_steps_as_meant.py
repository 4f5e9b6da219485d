"""Steps change only as meant: transcripts through the service, on SQLite and PostgreSQL, with the
clock moved by hand. Each test follows a member through the mistakes people make."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.actor import Actor
from bot.domain import Interview, Rules, StepKind
from bot.policy import first_cycle
from bot.service import Service
from tests.clock import FakeClock
from tests.service_support import NOW, exported_interview, exported_interviews, ok

ALICE = Actor("console", "local", "alice")
PAST = "add company: Horizon Marketing; role: Analyst; when: yesterday 10:00; with: Jane Roe"


async def steps(service: Service, number: int = 1) -> dict[str, str]:
    """kind -> status of the interview's steps in its current round (the latest of each kind)."""
    interview = await exported_interview(service, ALICE, number)
    return {s["kind"]: s["status"] for s in interview["steps"] if s["round"] == interview["round"]}


async def status(service: Service, number: int = 1) -> str:
    return str((await exported_interview(service, ALICE, number))["status"])


async def test_bare_sent_acts_only_on_the_step_due_now(service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, "add company: Horizon; role: Analyst; when: today 16:00")  # ends 17:00
    assert "upcoming, ends Tue Dec 1, 17:00 CET" in (await ok(service, ALICE, "list")).as_text()
    assert "status: upcoming" in (await ok(service, ALICE, "show #1")).as_text()
    early = await ok(service, ALICE, "sent #1")
    assert "nothing was marked" in early.title and "once the interview has ended (Tue Dec 1, 17:00 CET)" \
        in early.as_text()
    for text in ("sent #1 thank-you", "draft #1", "draft #1 thank-you"):
        refused = await service.handle(ALICE, text)
        assert refused.error and "upcoming" in refused.title, text
    assert await steps(service) == {"thank-you": "pending", "check-in": "pending"}

    clock.set(datetime(2026, 12, 1, 16, 30, tzinfo=UTC))  # 17:30: the interview is over
    assert "Thank-you" in (await ok(service, ALICE, "sent #1")).title
    for _ in range(2):  # the same command typed again the same day changes nothing
        again = await ok(service, ALICE, "sent #1")
        assert "nothing was marked" in again.title
        assert "check-in, due Tue Dec 15, 09:00 CET" in again.as_text()
        assert await steps(service) == {"thank-you": "sent", "check-in": "pending"}


async def test_naming_a_step_not_due_records_it_and_says_how_the_schedule_moves(service: Service) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, "sent #1")
    reply = await ok(service, ALICE, "sent #1 check-in")
    text = reply.as_text()
    assert "not due until Mon Dec 14, 09:00 CET" in text
    assert "second check-in is now due Tue Dec 8, 09:00 CET" in text
    assert await steps(service) == {"thank-you": "sent", "check-in": "sent", "check-in-2": "pending"}


@pytest.mark.parametrize(("news", "fits"), [("offer", "linkedin"), ("rejected", "rejection"),
                                            ("withdrawn", "linkedin")])
async def test_after_an_outcome_nothing_speaks_of_checking_in(service: Service, news: str, fits: str) -> None:
    await ok(service, ALICE, PAST + "; decision: next Friday")
    await ok(service, ALICE, "sent #1")
    answer = await ok(service, ALICE, f"heard #1 {news}")
    draft = await ok(service, ALICE, "draft #1")
    assert [d.kind for d in draft.drafts] and {d.kind for d in draft.drafts} == {fits}
    refused = await service.handle(ALICE, "draft #1 check-in")
    assert refused.error and "nothing to check in about" in refused.title
    for reply in (answer, draft, refused, await ok(service, ALICE, "show #1"), await ok(service, ALICE, "list all")):
        words = reply.as_text().lower()
        assert "impatient" not in words and "check-in: due" not in words and "sent #1 check-in" not in words


async def _ghosted(service: Service, store: Any, clock: FakeClock) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, "sent #1")
    clock.advance(days=14)
    await ok(service, ALICE, "sent #1")  # check-in
    clock.advance(days=7)
    await ok(service, ALICE, "sent #1")  # check-in 2
    clock.advance(days=8)
    async with store.transaction() as tx:
        user = await tx.user("console", "local", "alice")
        interview = await tx.interview(user.id, 1)
    no_reply = [s.id for s in interview.steps if s.kind is StepKind.NO_REPLY]
    assert await service.reminder_message(interview.id, no_reply, clock.now()) is not None
    await service.settle_after_reminder(interview.id, no_reply, clock.now())  # the DM went out


async def test_a_ghosted_interview_keeps_its_stay_in_touch_step(service: Service, store: Any,
                                                                clock: FakeClock) -> None:
    await _ghosted(service, store, clock)
    assert await status(service) == "ghosted"
    assert (await steps(service))["no-reply"] == "closed"
    listing = (await ok(service, ALICE, "list")).as_text()
    assert "#1 Horizon Marketing – Analyst: ghosted; stay-in-touch note: due" in listing
    assert "stay-in-touch note: due" in (await ok(service, ALICE, "show #1")).as_text()
    calendar = (await ok(service, ALICE, "calendar")).files[0].content.decode()
    assert calendar.count("BEGIN:VEVENT") == 1 and "stay-in-touch" in calendar.lower()
    waiting = await ok(service, ALICE, "sent #1")
    assert "nothing was marked" in waiting.title and "stay-in-touch note, due" in waiting.as_text()
    clock.advance(weeks=6, days=1)
    assert "Stay-in-touch note" in (await ok(service, ALICE, "sent #1")).title
    assert (await steps(service))["stay-in-touch"] == "sent"


async def test_snooze_never_lands_in_quiet_hours_nor_a_check_in_on_a_weekend(service: Service,
                                                                             clock: FakeClock) -> None:
    await ok(service, ALICE, PAST)
    reply = await ok(service, ALICE, "snooze #1 tomorrow 2am")
    assert "until Wed Dec 2, 09:00 CET" in reply.title
    assert "moved from Wed Dec 2, 02:00 CET: 02:00 is in your quiet hours, 21:00-08:00" in reply.as_text()
    await ok(service, ALICE, "sent #1")
    clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=UTC))  # the check-in is due
    reply = await ok(service, ALICE, "snooze #1 Saturday 10am")
    assert "until Mon Dec 21, 09:00 CET" in reply.title and "never lands on a weekend" in reply.as_text()


async def test_an_interviewer_added_after_the_thank_yous_gets_their_own(service: Service) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, "sent #1")
    reply = await ok(service, ALICE, "update #1 with: Ana Ruiz (Team Lead)")
    assert "thank-you to Ana Ruiz: due by Wed Dec 2, 15:30 CET" in reply.as_text()
    assert "thank-you to Ana Ruiz" in (await ok(service, ALICE, "list")).as_text()
    assert "Thank-you" in (await ok(service, ALICE, "sent #1")).title
    assert all(p["thanked_at"] for p in (await exported_interviews(service, ALICE))[0]["interviewers"])


async def test_mistakes_can_be_undone(service: Service) -> None:
    await ok(service, ALICE, PAST + "; with: Tom Lee; decision: next Friday")
    await ok(service, ALICE, "heard #1 rejected")
    reply = await ok(service, ALICE, "reopen #1")
    assert "it was marked rejected" in reply.title
    assert await status(service) == "active"
    assert await steps(service) == {"thank-you": "pending", "check-in": "pending", "rejection": "cancelled",
                                    "stay-in-touch": "cancelled"}
    again = await service.handle(ALICE, "reopen #1")
    assert again.error and "already open" in again.title
    await ok(service, ALICE, "update #1 remove: Tom Lee; decision: none")
    shown = (await ok(service, ALICE, "show #1")).as_text()
    assert "Tom Lee" not in shown and "decide by" not in shown and "Jane Roe" in shown
    missing = await service.handle(ALICE, "update #1 remove: Nobody Here")
    assert missing.error and "Nobody called" in missing.title


async def test_show_draft_and_sent_take_a_company_name(service: Service) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, "add company: Acme; role: Tester; when: yesterday 9:00")
    assert (await ok(service, ALICE, "show horizon marketing")).title.startswith("#1 Horizon Marketing")
    assert "#2 Acme" in (await ok(service, ALICE, "sent Acme")).title
    assert (await ok(service, ALICE, "draft Horizon Marketing thank-you to: Jane")).drafts[0].to_name == "Jane Roe"
    await ok(service, ALICE, "add company: Acme; role: Analyst; when: yesterday 11:00")
    ambiguous = await service.handle(ALICE, "show acme")
    assert ambiguous.error and "#2 Acme – Tester" in ambiguous.title and "#3 Acme – Analyst" in ambiguous.title
    typo = await service.handle(ALICE, "show Horizon Marketingg")
    assert typo.error and "Did you mean #1 Horizon Marketing?" in typo.title


async def test_what_they_promised_is_kept_and_used_by_the_check_in(service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, PAST)
    reply = await ok(service, ALICE, "update #1 they-promised: send the schedule by Friday")
    assert "they promised: (none) → send the schedule by Friday" in reply.as_text()
    assert "They promised: send the schedule by Friday" in (await ok(service, ALICE, "show #1")).as_text()
    await ok(service, ALICE, "sent #1")
    clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=UTC))
    draft = await ok(service, ALICE, "draft #1")
    assert draft.drafts[0].kind == "check-in"
    assert "you mentioned that you would send the schedule by Friday" in draft.drafts[0].body


async def test_back_after_weeks_one_recommendation_per_interview(service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, PAST)
    clock.advance(days=16)
    line = next(x for x in (await ok(service, ALICE, "list")).as_text().splitlines() if x.startswith("#1"))
    assert "thank-you and check-in both due now: one note to each person, not two" in line
    assert "the one to Jane Roe also asks for news" in line and "was due" not in line
    assert "one note to each person" in (await ok(service, ALICE, "show #1")).as_text()
    drafts = (await ok(service, ALICE, "draft #1")).drafts
    assert [d.kind for d in drafts] == ["thank-you"] and "update" in drafts[0].body.lower()
    reply = await ok(service, ALICE, "sent #1")
    assert reply.title.startswith("Thank-you") and "check-in is marked sent with it" in reply.as_text()
    assert await steps(service) == {"thank-you": "sent", "check-in": "sent", "check-in-2": "pending"}


# --------------------------------------------------------------------------------------------------
# help that fits


async def test_commas_between_fields_get_a_hint(service: Service) -> None:
    reply = await service.handle(ALICE, "add company: Acme, role: Analyst, when: yesterday 2pm")
    assert reply.error and "Separate fields with ';', not ','" in reply.title
    assert '"company: Acme; role: Analyst; when: yesterday 2pm"' in reply.title
    await ok(service, ALICE, PAST)
    reply = await service.handle(ALICE, "update #1 role: Lead, Decision: next Friday")
    assert reply.error and '"role: Lead; Decision: next Friday"' in reply.title
    # a comma inside a value, or a key named inside the value of the same key, is just text
    await ok(service, ALICE, "update #1 topics: pricing, role: of data in sales; role: Analyst")


@pytest.mark.parametrize(("typed", "hint"), [("lsit", '"list"'), ("interveiw list", None),
                                             ("/interveiw list", '"/interview"'), ("shwo #1", '"show"'),
                                             ("snoze #1 2h", '"snooze"')])
async def test_a_misspelt_command_gets_a_suggestion(service: Service, typed: str, hint: str | None) -> None:
    reply = await service.handle(ALICE, typed)
    assert reply.error and "Unknown command" in reply.title
    if hint:
        assert f"Did you mean {hint}?" in reply.title


STATES = {
    "upcoming": ["add company: A; role: R; when: tomorrow 10:00"],
    "thank-you due": [PAST],
    "check-in not due": [PAST, "sent #1"],
    "offer": [PAST, "heard #1 offer"],
    "rejected": [PAST, "heard #1 rejected"],
    "decision ahead": [PAST + "; decision: next Friday", "sent #1"],
    "decision passed": [PAST + "; decision: yesterday"],
    "back after weeks": ["add company: A; role: R; when: Nov 16 10:00"],
    "withdrawn": [PAST, "sent #1", "heard #1 withdrawn"],
}


@pytest.mark.parametrize("state", list(STATES))
async def test_the_next_line_offers_only_commands_that_work(service: Service, state: str) -> None:
    """Each button (the console's "Next:" line) of each answer in each state does what it says."""
    offered: list[str] = []
    for text in STATES[state]:
        last = await ok(service, ALICE, text)
    for reply in (last, await ok(service, ALICE, "show #1")):
        offered += [a.command for a in reply.actions]
    something_due = state in ("thank-you due", "decision passed", "back after weeks", "rejected")
    assert bool(offered) == something_due, (state, offered)
    for index, command in enumerate(dict.fromkeys(offered)):
        member = Actor("console", "local", f"{state}-{index}")
        for text in STATES[state]:
            await ok(service, member, text)
        reply = await service.handle(member, command)
        assert not reply.error and "nothing was marked" not in reply.title, (state, command, reply.title)


# --------------------------------------------------------------------------------------------------
# no stored value can make a later command fail


@pytest.mark.parametrize("year", [1, 9999])
async def test_a_stored_extreme_year_never_breaks_a_later_command(service: Service, store: Any, year: int) -> None:
    await ok(service, ALICE, "settings name: Alex Doe")
    extreme = datetime(1, 1, 1, 0, 30, tzinfo=UTC) if year == 1 else datetime(9999, 12, 30, 12, 0, tzinfo=UTC)
    async with store.transaction() as tx:
        user = await tx.user("console", "local", "alice")
        interview = Interview(user_id=user.id, company="Old Co", role="Clerk", starts_at=extreme, created_at=NOW,
                              decision_on=extreme.date(), offer_deadline=extreme.date())
        interview.steps = first_cycle(interview, Rules(tz="UTC"), extreme) if year == 1 else []
        await tx.add_interview(interview)
    for text in ("settings tz: America/New_York", "list", "list all", "show #1", "show Old Co", "calendar",
                 "export", "sent #1", "draft #1", "draft #1 check-in", "snooze #1", "update #1 role: Clerk II",
                 "update #1 when: yesterday 10:00", "heard #1 offer",
                 "reopen #1", "settings tz: Pacific/Kiritimati"):
        reply = await service.handle(ALICE, text)
        assert "Something went wrong" not in reply.title, (text, reply.title)


async def test_a_stored_zone_this_machine_does_not_know_never_breaks_a_command(service: Service,
                                                                               store: Any) -> None:
    await ok(service, ALICE, PAST)
    async with store.transaction() as tx:
        user = await tx.user("console", "local", "alice")
        user.tz = "Mars/Olympus_Mons"
        await tx.save_user(user)
    for text in ("list", "show #1", "sent #1", "calendar", "settings", "add company: B; role: C; when: today 9:00"):
        reply = await service.handle(ALICE, text)
        assert not reply.error, (text, reply.title)
    assert "Time zone: Europe/Berlin" in (await ok(service, ALICE, "settings tz: Europe/Berlin")).as_text()


async def test_naming_the_late_thank_you_marks_just_that(service: Service, clock: FakeClock) -> None:
    await ok(service, ALICE, PAST)
    clock.advance(days=16)
    reply = await ok(service, ALICE, "sent #1 thank-you")
    assert "check-in is marked sent" not in reply.as_text()
    assert await steps(service) == {"thank-you": "sent", "check-in": "pending"}


# The interview PAST ended Mon Nov 30, 11:00 CET (10:00 UTC); the thank-yous were marked at NOW.
ENDED = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("after", "planned"), [(timedelta(days=1, hours=4), True), (timedelta(days=3), True),
                                                (timedelta(days=5), True), (timedelta(days=5, hours=1), False),
                                                (timedelta(days=12), False)])
async def test_someone_added_after_the_thank_yous_is_thanked_while_it_still_reads_naturally(
        service: Service, clock: FakeClock, after: timedelta, planned: bool) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, "sent #1")
    clock.set(ENDED + after)
    reply = (await ok(service, ALICE, "update #1 with: Ana Ruiz (Team Lead) and Omar Haddad")).as_text()
    if planned:
        assert "Ana Ruiz and Omar Haddad get a thank-you of their own" in reply
        assert "thank-you to Ana Ruiz, Omar Haddad: due by" in reply
        assert (await steps(service))["thank-you"] == "pending"
    else:
        assert "No thank-you is planned for Ana Ruiz and Omar Haddad" in reply and "days ago" in reply
        assert "/interview draft #1 thank-you to: Ana Ruiz" in reply
        assert (await steps(service))["thank-you"] == "sent"
        assert "thank-you" in (await ok(service, ALICE, "draft #1 thank-you to: Ana Ruiz")).title


@pytest.mark.parametrize("when", ["tomorrow 10:00", "today 13:00", "yesterday 10:00"])
async def test_someone_added_before_the_thank_yous_went_out_joins_them(service: Service, when: str) -> None:
    """Upcoming, just finished or still to thank: the newcomer is thanked with the others."""
    await ok(service, ALICE, f"add company: Acme; role: Analyst; when: {when}; with: Jane Roe")
    reply = (await ok(service, ALICE, "update #1 with: Ana Ruiz")).as_text()
    assert "thank-you to Jane Roe, Ana Ruiz: " in reply and "of their own" not in reply
    assert list(await steps(service)) == ["thank-you", "check-in"]


@pytest.mark.parametrize("outcome", ["offer", "rejected", "withdrawn"])
async def test_someone_added_to_a_closed_interview_is_recorded_and_reopen_is_offered(
        service: Service, clock: FakeClock, outcome: str) -> None:
    await ok(service, ALICE, PAST)
    await ok(service, ALICE, "sent #1")
    await ok(service, ALICE, f"heard #1 {outcome}")
    before = await steps(service)
    reply = (await ok(service, ALICE, "update #1 with: Ana Ruiz")).as_text()
    assert f"Ana Ruiz is recorded on #1. It is closed ({outcome}), so no thank-you is planned" in reply
    assert "/interview reopen #1" in reply and "they get a thank-you of their own" in reply
    assert await steps(service) == before
    reopened = (await ok(service, ALICE, "reopen #1")).as_text()
    assert "Ana Ruiz gets a thank-you of their own" in reopened and "thank-you to Ana Ruiz: due by" in reopened


async def test_a_ghosted_interview_is_closed_but_keeps_its_stay_in_touch_note(service: Service, store: Any,
                                                                             clock: FakeClock) -> None:
    await _ghosted(service, store, clock)
    for text in ("update #1 decision: next Friday", "heard #1 decision next Friday", "update #1 when: yesterday 9:00",
                 "update #1 with: Ana Ruiz"):
        reply = (await ok(service, ALICE, text)).as_text()
        assert "closed (ghosted)" in reply and "heard #1" in reply and "reopen #1" in reply, text
        assert "check-in: due" not in reply and "thank-you to Ana Ruiz" not in reply, text
    assert await status(service) == "ghosted"
    assert await steps(service) == {"thank-you": "sent", "check-in": "sent", "check-in-2": "sent",
                                    "no-reply": "closed", "stay-in-touch": "pending"}
    shown = (await ok(service, ALICE, "show #1")).as_text()
    assert "stay-in-touch note: due" in shown and "Nothing else: closed (ghosted)" in shown
    refused = await service.handle(ALICE, "draft #1 check-in")
    assert refused.error and "nothing to check in about" in refused.title


@pytest.mark.parametrize("news", ["rejected", "withdrawn", "offer", "next round Monday 10am"])
async def test_news_after_being_ghosted_is_recorded(service: Service, store: Any, clock: FakeClock,
                                                    news: str) -> None:
    """They got back to you after all: any news is recorded like news on an active interview, and a
    rejection keeps the one stay-in-touch note the ghosting planned."""
    await _ghosted(service, store, clock)
    await ok(service, ALICE, f"heard #1 {news}")
    after = await steps(service)
    if news == "rejected":
        assert await status(service) == "rejected"
        assert after["stay-in-touch"] == "pending" and after["rejection"] == "pending"
        [interview] = await exported_interviews(service, ALICE)
        assert sum(s["kind"] == "stay-in-touch" for s in interview["steps"]) == 1
    elif news.startswith("next round"):
        assert await status(service) == "active"
        assert after == {"thank-you": "pending", "check-in": "pending"}
    else:
        assert await status(service) == news
        assert "pending" not in after.values()


async def test_ghosting_cancels_a_thank_you_never_marked_and_reopen_brings_it_back(service: Service, store: Any,
                                                                                  clock: FakeClock) -> None:
    await ok(service, ALICE, PAST)
    clock.advance(days=14)
    await ok(service, ALICE, "sent #1 check-in")  # the thank-you is never marked
    clock.advance(days=7)
    await ok(service, ALICE, "sent #1 check-in-2")
    clock.advance(days=8)
    async with store.transaction() as tx:
        user = await tx.user("console", "local", "alice")
        interview = await tx.interview(user.id, 1)
    no_reply = [s.id for s in interview.steps if s.kind is StepKind.NO_REPLY]
    await service.settle_after_reminder(interview.id, no_reply, clock.now())
    assert (await steps(service))["thank-you"] == "cancelled"
    listing = (await ok(service, ALICE, "list")).as_text()
    assert "ghosted; stay-in-touch note" in listing and "thank-you" not in listing
    await ok(service, ALICE, "reopen #1")
    assert (await steps(service))["thank-you"] == "pending"
