"""The dispatcher with the real service: a user's interviews, the bot down for three days, the DMs
that come when it is back; DMs closed, and the user told; 09:00 local across a DST change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.actor import Actor
from bot.domain import Rules, StepKind
from bot.policy import check_in, morning_of
from bot.reminders import Dispatcher
from bot.service import Service
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.fake_notifiers import ClosedDmsNotifier, RecordingNotifier
from tests.runtime_support import built

ALICE = Actor("console", "local", "alice")


async def ok(service: Service, text: str) -> None:
    reply = await service.handle(ALICE, text)
    assert not reply.error, f"{text!r} -> {reply.title}"


async def test_after_three_days_down_each_interviews_reminders_come_once_late_and_folded(store: SqlStore) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    notifier = RecordingNotifier("console", now=clock.now)
    async with built(store, clock, {"console": notifier}) as runtime:
        service, dispatcher = runtime.service, runtime.dispatcher
        assert dispatcher is not None
        await ok(service, "settings name: Alex Doe; email: alex@example.com; tz: UTC")
        # Logged, then the bot goes down for three days. Horizon was two weeks ago: its thank-you
        # (logged late: at once) and its check-in (Dec 2, 09:00) both fall due while the bot is down.
        # Acme is today: its thank-you's 24 h window passes while the bot is down.
        await ok(service, "add company: Horizon; role: Marketing Coordinator; when: 2026-11-18 10:00; with: Jane Roe")
        await ok(service, "add company: Acme; role: Analyst; when: 2026-12-01 10:00; with: Sam Lee")

        clock.advance(days=3)  # the bot comes back on Dec 4, 08:00
        await dispatcher.run_once()
        await dispatcher.run_once()

        assert len(notifier.sent) == 2  # one DM per interview, each once
        horizon = next(s.message for s in notifier.sent if "Horizon" in s.message.title)
        acme = next(s.message for s in notifier.sent if "Acme" in s.message.title)
        assert horizon.title.startswith("Follow-ups due for #1 Horizon") and "thank-you, check-in" in horizon.title
        # one piece of advice: a note to each person, the main contact's also asking for news
        assert "Send one note to each person rather than two the same day" in horizon.as_text()
        assert [d.kind for d in horizon.drafts] == ["thank-you"]
        for message in (horizon, acme):
            assert message.notices[0].startswith("This reminder is late: it was due")
            assert message.notices[0].endswith("ago, while I was offline.")
        assert "3 days ago" in horizon.notices[0]
        assert "past its 24-hour window" in acme.as_text()  # the draft does not pretend it is on time
        # Nothing is left to deliver for them until the user acts (no last call after the deadline).
        clock.advance(hours=12)
        await dispatcher.run_once()
        assert len(notifier.sent) == 2


async def test_closed_dms_are_kept_and_the_user_told_at_their_next_command(store: SqlStore) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    notifier = ClosedDmsNotifier("console", now=clock.now)
    async with built(store, clock, {"console": notifier}) as runtime:
        service, dispatcher = runtime.service, runtime.dispatcher
        assert dispatcher is not None
        await ok(service, "settings name: Alex Doe; tz: UTC")
        await ok(service, "add company: Horizon; role: Marketing Coordinator; when: 2026-12-01 09:00; with: Jane Roe")

        clock.advance(hours=3)
        await dispatcher.run_once()
        assert len(notifier.attempts) == 1 and notifier.sent == []

        reply = await service.handle(ALICE, "list")
        told = [n for n in reply.notices if "could not be delivered" in n]
        assert len(told) == 1 and "Horizon" in told[0] and "the user does not accept direct messages" in told[0]
        assert "thank-you" in reply.as_text()  # the reminder is kept: still due, still listed
        again = await service.handle(ALICE, "list")
        assert not any("could not be delivered" in n for n in again.notices)  # told once


# ---------------------------------------------------------------------------------------------
# DST: a 09:00 local reminder stays at 09:00 local on both sides of a change.

NEW_YORK = Rules(tz="America/New_York")  # DST began 2026-03-08, ends 2026-11-01
BERLIN = Rules(tz="Europe/Berlin")  # DST began 2026-03-29, ends 2026-10-25
NEW_YORK_ZONE = ZoneInfo("America/New_York")


def test_a_morning_reminder_is_nine_local_before_and_after_a_dst_change() -> None:
    assert morning_of(date(2026, 3, 6), NEW_YORK) == datetime(2026, 3, 6, 14, 0, tzinfo=UTC)  # EST, UTC-5
    assert morning_of(date(2026, 3, 9), NEW_YORK) == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # EDT, UTC-4
    assert morning_of(date(2026, 10, 23), BERLIN) == datetime(2026, 10, 23, 7, 0, tzinfo=UTC)  # CEST
    assert morning_of(date(2026, 10, 26), BERLIN) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # CET
    for day in (date(2026, 3, 6), date(2026, 3, 9), date(2026, 11, 2)):
        local = morning_of(day, NEW_YORK).astimezone(NEW_YORK_ZONE)
        assert local.time() == time(9, 0)


async def test_check_ins_on_either_side_of_a_dst_change_arrive_at_nine_local(store: SqlStore) -> None:
    """Two check-ins planned by the policy before the change, one due before it and one after:
    the dispatcher delivers each at 09:00 New York time, not an hour early or late."""
    from bot.domain import Interview, UserSettings

    planned_at = datetime(2026, 2, 20, 15, 0, tzinfo=UTC)
    async with store.transaction() as tx:
        user = await tx.save_user(UserSettings(platform="console", community="local", external_id="ny",
                                               tz="America/New_York"))
    steps = []
    for decision in (date(2026, 3, 4), date(2026, 3, 5)):  # + 2 business days: Fri Mar 6, Mon Mar 9
        assert user.id is not None
        interview = Interview(user_id=user.id, company=f"C{decision.day}", role="Analyst",
                              starts_at=planned_at - timedelta(days=1), decision_on=decision)
        interview.steps = [check_in(interview, NEW_YORK, planned_at)]
        async with store.transaction() as tx:
            saved = await tx.add_interview(interview)
        steps.append(saved.steps[0])
    assert [s.kind for s in steps] == [StepKind.CHECK_IN, StepKind.CHECK_IN]

    clock = FakeClock(planned_at)
    notifier = RecordingNotifier("console", now=clock.now)

    async def render(interview_id: int, step_ids: list[int], now: datetime):  # type: ignore[no-untyped-def]
        from bot.replies import Reply

        return Reply(title=f"check-in {interview_id}")

    dispatcher = Dispatcher(store, render, {"console": notifier}, clock)
    delivered_at = []
    for day in (date(2026, 3, 6), date(2026, 3, 9)):
        clock.set(datetime.combine(day, time(8, 59), tzinfo=NEW_YORK_ZONE).astimezone(UTC))
        await dispatcher.run_once()
        before = len(notifier.sent)
        clock.set(datetime.combine(day, time(9, 0), tzinfo=NEW_YORK_ZONE).astimezone(UTC))
        await dispatcher.run_once()
        assert len(notifier.sent) == before + 1
        delivered_at.append(notifier.sent[-1].at.astimezone(NEW_YORK_ZONE))
    assert [(d.date(), d.time()) for d in delivered_at] == [
        (date(2026, 3, 6), time(9, 0)), (date(2026, 3, 9), time(9, 0))
    ]
    assert [d.utcoffset() for d in delivered_at] == [timedelta(hours=-5), timedelta(hours=-4)]


async def test_a_no_reply_reminder_ghosts_the_interview_once_after_it_went_out(
        store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A week after the second check-in, the no-reply DM goes out (composed by reading only), and
    then the interview counts as ghosted with a stay-in-touch note planned: once, however often
    the dispatcher runs."""
    clock = FakeClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    settled: list[list[int]] = []
    settle_after_reminder = Service.settle_after_reminder

    async def counted(service: Service, interview_id: int, step_ids: list[int], now: datetime) -> None:
        settled.append(step_ids)
        await settle_after_reminder(service, interview_id, step_ids, now)

    monkeypatch.setattr(Service, "settle_after_reminder", counted)  # what the built dispatcher settles with
    notifier = RecordingNotifier("console", now=clock.now)
    async with built(store, clock, {"console": notifier}) as runtime:
        service, dispatcher = runtime.service, runtime.dispatcher
        assert dispatcher is not None
        await ok(service, "settings tz: UTC")
        await ok(service, "add company: Horizon; role: Analyst; when: 2026-11-02 10:00; with: Jane Roe")
        for kind in ("thank-you", "check-in", "check-in-2"):
            await ok(service, f"sent #1 {kind}")
        clock.advance(days=10)
        for _ in range(3):
            await dispatcher.run_once()

        assert len(notifier.sent) == 1 and len(settled) == 1
        assert "I've marked #1 as ghosted" in notifier.sent[0].message.as_text()
        shown = (await service.handle(ALICE, "show #1")).as_text()
        assert "ghosted" in shown.lower() and "stay-in-touch" in shown
        async with store.transaction() as tx:
            alice = await tx.user(ALICE.platform, ALICE.community, ALICE.external_id)
            assert alice is not None and alice.id is not None
            interview = await tx.interview(alice.id, 1)
            assert interview is not None
        kinds = {s.kind: s.status.value for s in interview.steps}
        assert kinds[StepKind.NO_REPLY] == "closed" and kinds[StepKind.STAY_IN_TOUCH] == "pending"
        # Settling again changes nothing: the interview is ghosted already.
        await service.settle_after_reminder(interview.id or 0, settled[0], clock.now())
        async with store.transaction() as tx:
            again = await tx.interview(alice.id, 1)
        assert again is not None and len(again.steps) == len(interview.steps)
