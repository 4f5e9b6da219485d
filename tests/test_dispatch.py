"""The dispatcher delivers each due reminder once, on time or labelled late, folds an interview's
due steps into one DM, retries what may succeed later and records what will not, on SQLite and
on PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import Delivery, StepKind, StepStatus
from bot.ports import ClaimedReminder, SystemClock
from bot.reminders import Backoff, Dispatcher
from storage.store import SqlStore
from tests.clock import FakeClock
from tests.dispatch_support import (
    T0,
    LatenessRender,
    add_interview,
    make_user,
    reminder_row,
    step_ids_in,
)
from tests.fake_notifiers import (
    SERVER_ERROR,
    ClosedDmsNotifier,
    RateLimitedNotifier,
    RecordingNotifier,
    ScriptedNotifier,
)
from tests.waiting import eventually


def dispatcher(store: SqlStore, notifier: RecordingNotifier, clock: FakeClock, **options: object) -> Dispatcher:
    options.setdefault("rng", random.Random(7))
    return Dispatcher(store, LatenessRender(store), {notifier.platform: notifier}, clock, **options)  # type: ignore[arg-type]


async def test_a_due_reminder_goes_out_once_and_a_future_one_waits(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    due = await add_interview(store, user, [(StepKind.CHECK_IN, T0 - timedelta(minutes=1))], company="Horizon")
    later = await add_interview(store, user, [(StepKind.CHECK_IN, T0 + timedelta(hours=2))], company="Acme")
    notifier = RecordingNotifier("console", now=clock.now)
    d = dispatcher(store, notifier, clock)

    await d.run_once()
    await d.run_once()

    assert [step_ids_in(s.message) for s in notifier.sent] == [[due.steps[0].id]]
    assert notifier.sent[0].recipient.external_id == "U1"
    assert notifier.sent[0].message.notices == []  # one minute is not late
    row = await reminder_row(store, due.steps[0].id)  # type: ignore[arg-type]
    assert row["delivery"] == Delivery.DELIVERED.value and row["dm_count"] == 1
    assert row["claim_token"] is None and row["status"] == StepStatus.PENDING.value  # still the user's to mark sent
    assert await store.next_send_at(frozenset({"console"})) == later.steps[0].notify_at

    clock.advance(hours=2)
    await d.run_once()
    assert [step_ids_in(s.message) for s in notifier.sent][1:] == [[later.steps[0].id]]


async def test_due_steps_of_one_interview_come_in_one_dm(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    both = await add_interview(
        store, user, [(StepKind.CHECK_IN, T0 - timedelta(minutes=3)), (StepKind.STAY_IN_TOUCH, T0)]
    )
    other = await add_interview(store, user, [(StepKind.CHECK_IN, T0)], company="Acme")
    notifier = RecordingNotifier("console", now=clock.now)

    await dispatcher(store, notifier, clock).run_once()

    got = sorted(sorted(step_ids_in(s.message)) for s in notifier.sent)
    assert got == sorted([sorted(s.id for s in both.steps), [other.steps[0].id]])  # type: ignore[type-var]


async def test_a_thank_you_gets_a_last_call_four_hours_before_its_deadline(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    deadline = T0 + timedelta(hours=23)
    interview = await add_interview(store, user, [(StepKind.THANK_YOU, T0)], due_at=deadline)
    step_id = interview.steps[0].id
    assert step_id is not None
    notifier = RecordingNotifier("console", now=clock.now)
    d = dispatcher(store, notifier, clock)

    await d.run_once()
    row = await reminder_row(store, step_id)
    assert len(notifier.sent) == 1
    assert row["delivery"] == Delivery.WAITING.value and row["send_at"] == deadline - timedelta(hours=4)
    assert row["notify_at"] == T0  # the follow-up rules' plan is the service's, and stays

    clock.set(deadline - timedelta(hours=4, minutes=1))
    await d.run_once()
    assert len(notifier.sent) == 1
    clock.set(deadline - timedelta(hours=4))
    await d.run_once()
    assert len(notifier.sent) == 2
    row = await reminder_row(store, step_id)
    assert row["delivery"] == Delivery.DELIVERED.value and row["dm_count"] == 2


class MarksSentWhileClaimed:
    """The store, with the user marking the step sent right after the dispatcher claimed it (the
    command and the dispatcher racing)."""

    def __init__(self, store: SqlStore, clock: FakeClock) -> None:
        self.inner = store
        self.clock = clock

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def claim_due(self, now: datetime, platforms: frozenset[str], limit: int,
                        lease_seconds: float) -> list[ClaimedReminder]:
        claims = await self.inner.claim_due(now, platforms, limit, lease_seconds)
        for claim in claims:
            async with self.inner.transaction() as tx:
                interview = await tx.interview_by_id(claim.interview_id)
                assert interview is not None
                for step in interview.steps:
                    if step.id == claim.step_id:
                        step.status, step.sent_at, step.notify_at = StepStatus.SENT, self.clock.now(), None
                await tx.save_interview(interview)
        return claims


async def test_a_step_marked_sent_after_it_was_claimed_is_not_delivered(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, T0)])
    notifier = RecordingNotifier("console", now=clock.now)
    racing = MarksSentWhileClaimed(store, clock)
    d = Dispatcher(racing, LatenessRender(store), {"console": notifier}, clock)  # type: ignore[arg-type]

    stats = await d.run_once()

    assert notifier.attempts == [] and stats.skipped == 1
    row = await reminder_row(store, interview.steps[0].id)  # type: ignore[arg-type]
    assert row["status"] == StepStatus.SENT.value and row["dm_count"] == 0


async def test_rate_limited_dms_wait_as_long_as_the_platform_asks_then_go_out(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, T0)])
    step_id = interview.steps[0].id
    assert step_id is not None
    # Rate limited for the next 5 s, each answer asking for 2 s.
    notifier = RateLimitedNotifier("console", now=clock.now, retry_after=2.0, until=T0 + timedelta(seconds=5))
    d = dispatcher(store, notifier, clock, backoff=Backoff(base=0.5, cap=1.0))

    for _ in range(70):  # 7 s in steps of 0.1 s
        await d.run_once()
        clock.advance(seconds=0.1)

    tries = [a.at for a in notifier.attempts]
    assert len(notifier.sent) == 1 and notifier.sent[0].at >= T0 + timedelta(seconds=5)
    assert len(tries) == 4  # 0 s, 2 s, 4 s refused; 6 s delivered
    assert all(b - a >= timedelta(seconds=2) for a, b in zip(tries, tries[1:], strict=False))
    row = await reminder_row(store, step_id)
    assert row["delivery"] == Delivery.DELIVERED.value and row["last_error"] is None


async def test_a_retry_honours_retry_after_even_when_backoff_is_shorter(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, T0)])
    notifier = RateLimitedNotifier("console", now=clock.now, retry_after=30.0, refusals=1)
    d = dispatcher(store, notifier, clock, backoff=Backoff(base=1.0))

    await d.run_once()
    row = await reminder_row(store, interview.steps[0].id)  # type: ignore[arg-type]
    assert row["send_at"] == T0 + timedelta(seconds=30) and row["notify_at"] == T0
    assert row["attempts"] == 1 and "rate limited" in row["last_error"]


async def test_server_errors_back_off_exponentially_then_give_up_and_say_why(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, T0)])
    step_id = interview.steps[0].id
    assert step_id is not None
    notifier = ScriptedNotifier.of([SERVER_ERROR] * 10)
    notifier.now = clock.now
    d = dispatcher(store, notifier, clock, max_attempts=4, backoff=Backoff(base=10.0, cap=3600.0))

    waits = []
    for _ in range(4):
        await d.run_once()
        row = await reminder_row(store, step_id)
        if row["delivery"] == Delivery.FAILED.value:
            break
        waits.append((row["send_at"] - clock.now()).total_seconds())
        clock.set(row["send_at"])

    assert len(notifier.attempts) == 4 and notifier.sent == []
    # Exponential with jitter: try n waits between half and all of 10 s * 2**n.
    assert [10 * 2**n / 2 <= w <= 10 * 2**n for n, w in enumerate(waits)] == [True, True, True]
    row = await reminder_row(store, step_id)
    assert row["delivery"] == Delivery.FAILED.value and row["status"] == StepStatus.PENDING.value
    assert row["last_error"] == "gave up after 4 tries: server error (503)"
    clock.advance(days=1)
    await d.run_once()
    assert len(notifier.attempts) == 4  # given up means no more tries, until the user acts


async def test_a_notifier_that_raises_is_retried_not_dropped(store: SqlStore) -> None:
    from tests.fake_notifiers import BrokenNotifier

    clock = FakeClock(T0)
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, T0)])
    notifier = BrokenNotifier("console", now=clock.now, failures=1)
    d = dispatcher(store, notifier, clock)

    await d.run_once()
    row = await reminder_row(store, interview.steps[0].id)  # type: ignore[arg-type]
    assert row["delivery"] == Delivery.WAITING.value and row["last_error"] == "error: ConnectionError"
    clock.set(row["send_at"])
    await d.run_once()
    assert len(notifier.sent) == 1


async def test_closed_dms_are_recorded_and_the_reminder_kept(store: SqlStore) -> None:
    clock = FakeClock(T0)
    closed_user = await make_user(store, "U-closed")
    open_user = await make_user(store, "U-open")
    closed = await add_interview(store, closed_user, [(StepKind.CHECK_IN, T0)])
    fine = await add_interview(store, open_user, [(StepKind.CHECK_IN, T0)])
    notifier = ClosedDmsNotifier("console", now=clock.now, closed=frozenset({"U-closed"}))
    d = dispatcher(store, notifier, clock)

    await d.run_once()
    clock.advance(hours=1)
    await d.run_once()

    assert [s.recipient.external_id for s in notifier.sent] == ["U-open"]
    assert len(notifier.attempts) == 2  # tried once; a refusal is not retried blindly
    row = await reminder_row(store, closed.steps[0].id)  # type: ignore[arg-type]
    assert row["delivery"] == Delivery.FAILED.value and row["status"] == StepStatus.PENDING.value
    assert row["last_error"] == "the user does not accept direct messages" and row["user_told"] is False
    async with store.transaction() as tx:
        assert closed_user.id is not None and open_user.id is not None
        assert [s.id for s in await tx.undelivered_steps(closed_user.id)] == [closed.steps[0].id]
        assert await tx.undelivered_steps(open_user.id) == []
    assert (await reminder_row(store, fine.steps[0].id))["delivery"] == Delivery.DELIVERED.value  # type: ignore[arg-type]


async def test_a_crashed_workers_claim_is_delivered_once_its_lease_runs_out(store: SqlStore) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, T0)])
    step_id = interview.steps[0].id
    assert step_id is not None
    crashed = await store.claim_due(T0, frozenset({"console"}), 10, lease_seconds=60)
    assert [c.step_id for c in crashed] == [step_id]
    notifier = RecordingNotifier("console", now=clock.now)
    d = dispatcher(store, notifier, clock, lease_seconds=60)

    clock.advance(seconds=59)
    await d.run_once()
    assert notifier.sent == []  # the lease still holds
    clock.advance(seconds=1)
    await d.run_once()
    assert len(notifier.sent) == 1

    # The crashed worker, back from the dead, cannot overwrite what the other recorded.
    assert not await store.still_claimed(step_id, crashed[0].claim_token)
    assert not await store.record_delivered(step_id, crashed[0].claim_token, clock.now(), T0 + timedelta(days=1))
    await store.record_failed(step_id, crashed[0].claim_token, "stale")
    row = await reminder_row(store, step_id)
    assert row["delivery"] == Delivery.DELIVERED.value and row["dm_count"] == 1 and row["last_error"] is None


async def test_each_dispatcher_claims_only_the_platforms_it_serves(store: SqlStore) -> None:
    clock = FakeClock(T0)
    slack_user = await make_user(store, "U-slack", platform="slack")
    discord_user = await make_user(store, "U-discord", platform="discord")
    await add_interview(store, slack_user, [(StepKind.CHECK_IN, T0)])
    await add_interview(store, discord_user, [(StepKind.CHECK_IN, T0)])
    slack = RecordingNotifier("slack", now=clock.now)

    await dispatcher(store, slack, clock).run_once()

    assert [s.recipient.external_id for s in slack.sent] == ["U-slack"]
    assert await store.next_send_at(frozenset({"slack"})) is None
    assert await store.next_send_at(frozenset({"discord"})) == T0


async def test_three_days_of_downtime_each_overdue_reminder_comes_once_late_and_folded(store: SqlStore) -> None:
    down_at = T0
    user = await make_user(store)
    interviews = []
    for n in range(6):
        # Steps that fell due over the three days; every other interview has two.
        at = down_at + timedelta(hours=11 * n + 1)
        steps = [(StepKind.CHECK_IN, at)]
        if n % 2 == 0:
            steps.append((StepKind.STAY_IN_TOUCH, at + timedelta(hours=5)))
        interviews.append(await add_interview(store, user, steps, company=f"Company {n}"))
    future = await add_interview(store, user, [(StepKind.CHECK_IN, down_at + timedelta(days=4))], company="Later")
    clock = FakeClock(down_at + timedelta(days=3))
    notifier = RecordingNotifier("console", now=clock.now)
    d = dispatcher(store, notifier, clock)

    await d.run_once()
    await d.run_once()  # a second start-up delivers nothing again

    assert len(notifier.sent) == 6  # one DM per interview
    by_message = sorted(sorted(step_ids_in(s.message)) for s in notifier.sent)
    assert by_message == sorted(sorted(s.id for s in i.steps) for i in interviews)  # type: ignore[type-var]
    for sent in notifier.sent:
        assert sent.message.notices and sent.message.notices[0].startswith("This reminder is late: it was due")
    oldest = min(notifier.sent, key=lambda s: min(step_ids_in(s.message)))
    assert "due 3 days ago" in oldest.message.notices[0]  # 71 h before the restart
    assert (await reminder_row(store, future.steps[0].id))["delivery"] == Delivery.WAITING.value  # type: ignore[arg-type]


async def test_logs_name_reminders_and_outcomes_never_tokens_or_messages(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(T0)
    user = await make_user(store)
    ok = await add_interview(store, user, [(StepKind.CHECK_IN, T0)], company="Horizon")
    closed_user = await make_user(store, "U-closed")
    refused = await add_interview(store, closed_user, [(StepKind.CHECK_IN, T0)], company="Acme")
    notifier = ClosedDmsNotifier("console", now=clock.now, closed=frozenset({"U-closed"}))
    tokens: list[str] = []

    class Spy:
        def __getattr__(self, name: str) -> object:
            return getattr(store, name)

        async def claim_due(self, *args: object) -> list[ClaimedReminder]:
            claims = await store.claim_due(*args)  # type: ignore[arg-type]
            tokens.extend(c.claim_token for c in claims)
            return claims

    d = Dispatcher(Spy(), LatenessRender(store), {"console": notifier}, clock)  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG, logger="bot.reminders"):
        await d.run_once()

    text = caplog.text
    assert f"reminders {ok.steps[0].id} (interview {ok.id}): delivered" in text
    assert f"reminders {refused.steps[0].id} (interview {refused.id}): not delivered" in text
    assert tokens and not any(token in text for token in tokens)
    assert "Horizon" not in text and "Acme" not in text  # nothing of the message


async def test_a_reminder_added_for_sooner_wakes_the_dispatcher_at_once(store: SqlStore) -> None:
    user = await make_user(store)
    now = datetime.now(UTC)
    await add_interview(store, user, [(StepKind.CHECK_IN, now + timedelta(hours=1))], company="Later")
    notifier = RecordingNotifier("console")
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, SystemClock(), poll_seconds=3600)
    await d.start()
    try:
        soon = datetime.now(UTC) + timedelta(seconds=0.3)
        interview = await add_interview(store, user, [(StepKind.CHECK_IN, soon)], company="Soon")
        d.wake(soon)
        await eventually(lambda: notifier.sent, 10, "a reminder went out")
        assert [step_ids_in(s.message) for s in notifier.sent] == [[interview.steps[0].id]]
        assert soon <= notifier.sent[0].at < soon + timedelta(seconds=1.5)
    finally:
        await d.stop()


async def test_on_start_up_overdue_reminders_go_out_without_waiting_for_the_poll(store: SqlStore) -> None:
    user = await make_user(store)
    overdue = await add_interview(store, user, [(StepKind.CHECK_IN, datetime.now(UTC) - timedelta(hours=3))])
    notifier = RecordingNotifier("console")
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, SystemClock(), poll_seconds=3600)
    await d.start()
    try:
        await eventually(lambda: notifier.sent, 10, "a reminder went out")
        assert [step_ids_in(s.message) for s in notifier.sent] == [[overdue.steps[0].id]]
        assert "due 3 h ago" in notifier.sent[0].message.notices[0]
    finally:
        await d.stop()


class SlowNotifier(RecordingNotifier):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.sending = asyncio.Event()  # set when the first send is under way

    async def send(self, recipient, message, *, dm_key=None):  # type: ignore[no-untyped-def]
        self.sending.set()
        await asyncio.sleep(0.3)
        return await super().send(recipient, message)


async def test_stop_finishes_deliveries_under_way_and_hands_back_the_rest(store: SqlStore) -> None:
    user = await make_user(store)
    now = datetime.now(UTC)
    for n in range(6):
        await add_interview(store, user, [(StepKind.CHECK_IN, now - timedelta(minutes=1))], company=f"C{n}")
    notifier = SlowNotifier("console")
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, SystemClock(), concurrency=2)
    await d.start()
    await asyncio.wait_for(notifier.sending.wait(), 10)  # DMs under way, the rest claimed and waiting

    began = asyncio.get_running_loop().time()
    await d.stop(timeout=10)
    assert asyncio.get_running_loop().time() - began < 2

    delivered = len(notifier.sent)
    assert 1 <= delivered < 6
    # Nothing is left claimed: another dispatcher takes the rest at once, not after the lease.
    again = await store.claim_due(datetime.now(UTC), frozenset({"console"}), 10, 60)
    assert len(again) == 6 - delivered


async def test_the_dispatcher_wakes_at_each_next_due_time_not_on_a_poll(store: SqlStore) -> None:
    user = await make_user(store)
    start = datetime.now(UTC)
    due = [start + timedelta(seconds=s) for s in (0.3, 0.6, 0.9)]
    interviews = [await add_interview(store, user, [(StepKind.CHECK_IN, at)], company=f"C{n}")
                  for n, at in enumerate(due)]
    notifier = RecordingNotifier("console")
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, SystemClock(), poll_seconds=3600)
    await d.start()
    try:
        await eventually(lambda: len(notifier.sent) == 3, 10, "3 reminders went out")
    finally:
        await d.stop()
    assert [step_ids_in(s.message) for s in notifier.sent] == [[i.steps[0].id] for i in interviews]
    for sent, at in zip(notifier.sent, due, strict=True):
        assert at <= sent.at < at + timedelta(seconds=0.5)


async def test_a_crashed_workers_claims_are_taken_over_when_the_lease_ends_without_a_poll(store: SqlStore) -> None:
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, datetime.now(UTC) - timedelta(seconds=1))])
    crashed = await store.claim_due(datetime.now(UTC), frozenset({"console"}), 10, lease_seconds=1.0)
    assert len(crashed) == 1
    lease_end = datetime.now(UTC) + timedelta(seconds=1)
    notifier = RecordingNotifier("console")
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, SystemClock(), poll_seconds=3600)
    await d.start()
    try:
        await eventually(lambda: notifier.sent, 10, "a reminder went out")
    finally:
        await d.stop()
    assert [step_ids_in(s.message) for s in notifier.sent] == [[interview.steps[0].id]]
    assert lease_end - timedelta(seconds=0.1) <= notifier.sent[0].at < lease_end + timedelta(seconds=1)


async def test_a_batch_slower_than_its_lease_hands_back_what_it_cannot_send_in_time(store: SqlStore) -> None:
    user = await make_user(store)
    now = datetime.now(UTC)
    for n in range(5):
        await add_interview(store, user, [(StepKind.CHECK_IN, now - timedelta(seconds=1))], company=f"C{n}")
    notifier = SlowNotifier("console")  # 0.3 s a DM, one at a time: the batch needs 1.5 s
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, SystemClock(), concurrency=1,
                   lease_seconds=1.5, send_timeout=0.5)

    first = await d.run_once()
    assert 0 < first.delivered < 5 and first.released == 5 - first.delivered
    await d.run_once()  # the handed-back ones are claimable at once, with a fresh lease

    sent = [step_ids_in(s.message)[0] for s in notifier.sent]
    assert len(sent) == len(set(sent)) == 5


async def test_a_database_error_is_logged_by_kind_without_its_parameters(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy.exc import OperationalError

    clock = FakeClock(T0)
    user = await make_user(store)
    interview = await add_interview(store, user, [(StepKind.CHECK_IN, T0)])
    notifier = RecordingNotifier("console", now=clock.now)

    class Failing:
        def __getattr__(self, name: str) -> object:
            return getattr(store, name)

        async def record_delivered(self, step_id: int, claim_token: str, *args: object) -> bool:
            raise OperationalError("UPDATE reminders ...", {"b_token": claim_token}, Exception("server closed"))

    d = Dispatcher(Failing(), LatenessRender(store), {"console": notifier}, clock)  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG, logger="bot.reminders"):
        await d.run_once()

    row = await reminder_row(store, interview.steps[0].id)  # type: ignore[arg-type]
    assert f"reminders {interview.steps[0].id}: delivery failed (OperationalError from Exception)" in caplog.text
    assert row["claim_token"] and row["claim_token"] not in caplog.text and "b_token" not in caplog.text


async def test_a_dispatcher_can_share_the_processs_scheduler_and_leaves_it_running(
    store: SqlStore, tmp_path: object
) -> None:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    # The process's own scheduler, whose default job store is persistent (no bound methods there).
    shared = AsyncIOScheduler(timezone=UTC, jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{tmp_path}/j.db")})
    shared.start()
    user = await make_user(store)
    overdue = await add_interview(store, user, [(StepKind.CHECK_IN, datetime.now(UTC) - timedelta(minutes=5))])
    notifier = RecordingNotifier("console")
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, SystemClock(), scheduler=shared)
    try:
        await d.start()
        await eventually(lambda: notifier.sent, 10, "a reminder went out")
        await d.stop()
        assert [step_ids_in(s.message) for s in notifier.sent] == [[overdue.steps[0].id]]
        assert shared.running and shared.get_jobs() == []  # its jobs gone, the scheduler still running
    finally:
        shared.shutdown(wait=False)


async def test_the_dispatcher_reads_what_is_due_on_the_clock_it_is_given(store: SqlStore) -> None:
    """A clock years ahead of the machine's: what it says is due goes out at once, at start-up and
    on a wake-up, rather than when the machine's own clock gets there."""
    clock = FakeClock(datetime(2031, 6, 2, 9, 0, tzinfo=UTC))
    user = await make_user(store)
    first = await add_interview(store, user, [(StepKind.CHECK_IN, clock.now() - timedelta(minutes=1))], company="A")
    notifier = RecordingNotifier("console")
    d = Dispatcher(store, LatenessRender(store), {"console": notifier}, clock, poll_seconds=3600)
    await d.start()
    try:
        await eventually(lambda: notifier.sent, 10, "a reminder went out")
        assert [step_ids_in(s.message) for s in notifier.sent] == [[first.steps[0].id]]
        clock.advance(days=2)
        second = await add_interview(store, user, [(StepKind.CHECK_IN, clock.now())], company="B")
        d.wake(clock.now())
        await eventually(lambda: len(notifier.sent) == 2, 10, "2 reminders went out")
        assert [step_ids_in(s.message) for s in notifier.sent] == [[first.steps[0].id], [second.steps[0].id]]
    finally:
        await d.stop()
