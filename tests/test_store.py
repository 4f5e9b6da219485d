"""The SQL store keeps interviews as the core hands them over, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select, text, update

from bot.domain import (
    CommunityDefaults,
    Delivery,
    Interview,
    Interviewer,
    InterviewKind,
    InterviewStatus,
    Step,
    StepKind,
    StepStatus,
    Tone,
    UserSettings,
)
from storage.models import ReminderRow
from storage.store import SqlStore

NOW = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)


async def make_user(store: SqlStore, external_id: str = "U1", **fields: object) -> UserSettings:
    async with store.transaction() as tx:
        user = UserSettings(platform="slack", community="T1", external_id=external_id, **fields)  # type: ignore[arg-type]
        return await tx.save_user(user)


def make_interview(user_id: int, company: str = "Horizon", **fields: object) -> Interview:
    interview = Interview(
        user_id=user_id,
        company=company,
        role="Marketing Coordinator",
        starts_at=NOW - timedelta(hours=2),
        duration=timedelta(minutes=45),
        interviewers=[
            Interviewer(name="Jane Richardson", honorific="Ms.", title="Marketing Director", recruiter=False),
            Interviewer(name="Sam Lee", email="sam@horizon.example", topic="the Q3 launch", recruiter=True),
        ],
        topics=["launch plan", "team size"],
        decision_on=date(2026, 12, 12),
        promised="a writing sample",
        point="I ran the campus newsletter",
        tone=Tone.CASUAL,
        kind=InterviewKind.INTERVIEW,
        created_at=NOW - timedelta(hours=1),
        steps=[
            Step(kind=StepKind.THANK_YOU, due_at=NOW + timedelta(hours=22), notify_at=NOW + timedelta(hours=1)),
            Step(kind=StepKind.CHECK_IN, due_at=NOW + timedelta(days=14), notify_at=NOW + timedelta(days=14)),
        ],
    )
    for key, value in fields.items():
        setattr(interview, key, value)
    return interview


async def add(store: SqlStore, interview: Interview) -> Interview:
    async with store.transaction() as tx:
        return await tx.add_interview(interview)


async def load(store: SqlStore, user_id: int, number: int) -> Interview:
    async with store.transaction() as tx:
        found = await tx.interview(user_id, number)
    assert found is not None
    return found


async def reminder_row(store: SqlStore, step_id: int) -> dict[str, object]:
    async with store.engine.connect() as conn:
        row = (await conn.execute(select(ReminderRow.__table__).where(ReminderRow.id == step_id))).one()
    return dict(row._mapping)


# ---- users and defaults -------------------------------------------------------------------------


async def test_a_user_is_saved_found_and_updated(store: SqlStore) -> None:
    user = await make_user(store, name="Ada Byron", tz="Europe/Berlin", quiet_start=time(22, 0), tone=Tone.CASUAL)
    assert user.id is not None
    async with store.transaction() as tx:
        found = await tx.user("slack", "T1", "U1")
        assert await tx.user("slack", "T2", "U1") is None
        assert await tx.user("discord", "T1", "U1") is None
    assert found is not None
    assert found.id == user.id and found.name == "Ada Byron" and found.tz == "Europe/Berlin"
    assert found.quiet_start == time(22, 0) and found.tone is Tone.CASUAL
    assert found.created_at is not None and found.created_at.tzinfo == UTC

    found.phone = "+1 555 0100"
    found.last_seen_at = NOW
    async with store.transaction() as tx:
        await tx.save_user(found)
    async with store.transaction() as tx:
        again = await tx.user_by_id(user.id)
    assert again == found


async def test_saving_a_new_user_twice_keeps_one_row(store: SqlStore) -> None:
    first = await make_user(store, name="First")
    second = await make_user(store, name="Second")
    assert second.id == first.id
    assert second.name == "First"


async def test_community_defaults_are_inserted_then_replaced(store: SqlStore) -> None:
    async with store.transaction() as tx:
        assert await tx.community_defaults("discord", "G1") is None
        await tx.save_community_defaults(CommunityDefaults(platform="discord", community="G1", check_in_days=10))
    changed = CommunityDefaults(
        platform="discord",
        community="G1",
        check_in_days=12,
        quiet_start=time(20, 30),
        tone=Tone.CASUAL,
        retention_days=365,
    )
    async with store.transaction() as tx:
        await tx.save_community_defaults(changed)
    async with store.transaction() as tx:
        assert await tx.community_defaults("discord", "G1") == changed
        assert await tx.community_defaults("slack", "G1") is None


# ---- the interview aggregate --------------------------------------------------------------------


async def test_an_interview_round_trips_with_its_people_and_steps(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    added = await add(store, make_interview(user.id))
    assert added.id is not None and added.number == 1
    assert all(p.id is not None for p in added.interviewers)
    assert all(s.id is not None and s.interview_id == added.id for s in added.steps)

    loaded = await load(store, user.id, 1)
    assert loaded == added
    assert [p.name for p in loaded.interviewers] == ["Jane Richardson", "Sam Lee"]
    assert loaded.main_contact is not None and loaded.main_contact.name == "Sam Lee"
    assert loaded.topics == ["launch plan", "team size"]
    assert loaded.duration == timedelta(minutes=45)
    assert loaded.decision_on == date(2026, 12, 12)
    for moment in (loaded.starts_at, loaded.created_at, *(s.due_at for s in loaded.steps)):
        assert moment is not None and moment.tzinfo == UTC
    assert loaded.steps[0].notify_at == NOW + timedelta(hours=1)
    assert loaded.steps[0].delivery is Delivery.WAITING

    async with store.transaction() as tx:
        by_id = await tx.interview_by_id(loaded.id or 0)
    assert by_id == loaded


async def test_times_in_other_zones_come_back_as_the_same_instant_in_utc(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    new_york = timezone(timedelta(hours=-5))
    interview = make_interview(user.id, starts_at=datetime(2026, 12, 1, 9, 0, 0, 123456, tzinfo=new_york))
    await add(store, interview)
    loaded = await load(store, user.id, 1)
    assert loaded.starts_at == datetime(2026, 12, 1, 14, 0, 0, 123456, tzinfo=UTC)
    assert loaded.starts_at.utcoffset() == timedelta(0)


async def test_a_naive_time_is_refused_and_nothing_is_written(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    with pytest.raises(Exception, match="naive"):
        await add(store, make_interview(user.id, starts_at=datetime(2026, 12, 1, 9, 0)))
    async with store.transaction() as tx:
        assert await tx.interviews(user.id, include_closed=True) == []


async def test_numbers_count_from_one_for_each_user(store: SqlStore) -> None:
    ada = await make_user(store, "U-ada")
    bob = await make_user(store, "U-bob")
    assert ada.id is not None and bob.id is not None
    assert [(await add(store, make_interview(ada.id, f"A{i}"))).number for i in range(3)] == [1, 2, 3]
    assert (await add(store, make_interview(bob.id, "B0"))).number == 1
    async with store.transaction() as tx:
        assert [i.company for i in await tx.interviews(ada.id)] == ["A0", "A1", "A2"]
        assert [i.company for i in await tx.interviews(bob.id)] == ["B0"]


async def test_concurrent_adds_get_distinct_numbers(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    uid = user.id
    added = await asyncio.gather(*(add(store, make_interview(uid, f"C{i}")) for i in range(6)))
    assert sorted(i.number for i in added) == [1, 2, 3, 4, 5, 6]


async def test_a_user_cannot_load_another_users_interview(store: SqlStore) -> None:
    ada = await make_user(store, "U-ada")
    bob = await make_user(store, "U-bob")
    assert ada.id is not None and bob.id is not None
    await add(store, make_interview(ada.id, "Ada's"))
    async with store.transaction() as tx:
        assert await tx.interview(bob.id, 1) is None
        assert await tx.interviews(bob.id, include_closed=True) == []
        assert (await tx.interview(ada.id, 1)) is not None


async def test_the_list_holds_active_interviews_unless_closed_ones_are_asked_for(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    await add(store, make_interview(user.id, "Open"))
    await add(store, make_interview(user.id, "Offer", status=InterviewStatus.OFFER))
    await add(store, make_interview(user.id, "Quiet", status=InterviewStatus.GHOSTED))
    async with store.transaction() as tx:
        active = await tx.interviews(user.id)
        everything = await tx.interviews(user.id, include_closed=True)
    assert [i.company for i in active] == ["Open"]
    assert [(i.number, i.company) for i in everything] == [(1, "Open"), (2, "Offer"), (3, "Quiet")]
    assert all(len(i.steps) == 2 and len(i.interviewers) == 2 for i in everything)


async def test_summaries_show_each_interviews_soonest_open_step(store: SqlStore) -> None:
    """What `/interview list` reads: per interview, the open step due first (a sent or cancelled
    one never, a snoozed one counts, the older step on a tie) and, for a thank-you, who is not
    thanked yet, in order."""
    user = await make_user(store)
    assert user.id is not None
    soon, later = NOW + timedelta(hours=3), NOW + timedelta(days=3)

    def step(kind: StepKind, due: datetime, status: StepStatus = StepStatus.PENDING) -> Step:
        return Step(kind=kind, due_at=due, notify_at=due, status=status)

    sent_first = make_interview(user.id, "SentFirst", steps=[
        step(StepKind.THANK_YOU, NOW - timedelta(days=1), StepStatus.SENT), step(StepKind.CHECK_IN, later)])
    snoozed = make_interview(user.id, "Snoozed", steps=[
        step(StepKind.CHECK_IN, later), step(StepKind.CHECK_IN_2, soon, StepStatus.SNOOZED)])
    tie = make_interview(user.id, "Tie", steps=[step(StepKind.CHECK_IN, soon), step(StepKind.NO_REPLY, soon)])
    thanks = make_interview(user.id, "Thanks", steps=[step(StepKind.THANK_YOU, soon)])
    thanks.interviewers.append(Interviewer(name="Ana Ruiz"))
    thanks.interviewers[1].thanked_at = NOW
    done = make_interview(user.id, "Done", steps=[step(StepKind.CHECK_IN, soon, StepStatus.CANCELLED)])
    closed = make_interview(user.id, "Closed", status=InterviewStatus.REJECTED,
                            steps=[step(StepKind.STAY_IN_TOUCH, later)])
    for interview in (sent_first, snoozed, tie, thanks, done, closed):
        await add(store, interview)

    async with store.transaction() as tx:
        active = {s.company: s for s in await tx.summaries(user.id)}
        everything = await tx.summaries(user.id, include_closed=True)
        loaded = await tx.interviews(user.id, include_closed=True)

    def next_of(company: str) -> tuple[StepKind, datetime] | None:
        found = active[company].next_step
        return None if found is None else (found.kind, found.due_at)

    assert set(active) == {"SentFirst", "Snoozed", "Tie", "Thanks", "Done"}
    assert next_of("SentFirst") == (StepKind.CHECK_IN, later)
    assert next_of("Snoozed") == (StepKind.CHECK_IN_2, soon)
    assert next_of("Tie") == (StepKind.CHECK_IN, soon)
    assert next_of("Done") is None
    assert active["Thanks"].not_thanked == ("Jane Richardson", "Ana Ruiz")
    assert active["Tie"].not_thanked == ()
    # Whatever the rows, the read agrees with the loaded interviews.
    assert sorted(everything, key=lambda s: s.number) == [i.summary() for i in loaded]
    assert [s.status for s in everything if s.company == "Closed"] == [InterviewStatus.REJECTED]


async def test_an_aborted_transaction_leaves_nothing_behind(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.add_interview(make_interview(user.id))
            raise RuntimeError("the use case failed")
    async with store.transaction() as tx:
        assert await tx.interviews(user.id, include_closed=True) == []
    assert (await add(store, make_interview(user.id))).number == 1


# ---- save_interview -----------------------------------------------------------------------------


async def test_saving_writes_fields_adds_and_removes_people_and_adds_steps(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    await add(store, make_interview(user.id))
    async with store.transaction() as tx:
        interview = await tx.interview(user.id, 1)
        assert interview is not None
        interview.company = "Horizon Media"
        interview.status = InterviewStatus.REJECTED
        interview.heard_at = NOW
        interview.topics = ["budget"]
        interview.tone = None
        interview.interviewers[1].thanked_at = NOW
        del interview.interviewers[0]
        interview.interviewers.append(Interviewer(name="Priya Patel", title="VP"))
        interview.steps.append(
            Step(kind=StepKind.REJECTION, due_at=NOW + timedelta(days=1), notify_at=None, round=1)
        )
        saved = await tx.save_interview(interview)
    assert saved.steps[-1].id is not None and saved.interviewers[-1].id is not None

    loaded = await load(store, user.id, 1)
    assert loaded == saved
    assert loaded.company == "Horizon Media" and loaded.status is InterviewStatus.REJECTED
    assert loaded.topics == ["budget"] and loaded.tone is None and loaded.heard_at == NOW
    assert [(p.name, p.thanked_at) for p in loaded.interviewers] == [("Sam Lee", NOW), ("Priya Patel", None)]
    assert [s.kind for s in loaded.steps] == [StepKind.THANK_YOU, StepKind.CHECK_IN, StepKind.REJECTION]
    assert loaded.steps[-1].delivery is Delivery.NONE  # no reminder to send


async def test_rescheduling_a_step_resets_its_delivery_and_claim(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    added = await add(store, make_interview(user.id, steps=[
        Step(kind=StepKind.THANK_YOU, due_at=NOW + timedelta(hours=22), notify_at=NOW - timedelta(minutes=5)),
    ]))
    step_id = added.steps[0].id
    assert step_id is not None
    # The dispatcher tried and failed for good, while holding a claim.
    async with store.engine.begin() as conn:
        await conn.execute(
            update(ReminderRow)
            .where(ReminderRow.id == step_id)
            .values(delivery="failed", attempts=8, last_error="dm closed", claim_token="tok",
                    claimed_until=NOW + timedelta(minutes=1))
        )
    async with store.transaction() as tx:
        assert [s.id for s in await tx.undelivered_steps(user.id)] == [step_id]
        interview = await tx.interview(user.id, 1)
        assert interview is not None
        interview.steps[0].status = StepStatus.SNOOZED
        interview.steps[0].notify_at = NOW + timedelta(hours=3)
        await tx.save_interview(interview)
    row = await reminder_row(store, step_id)
    assert row["delivery"] == "waiting" and row["attempts"] == 0 and row["last_error"] is None
    assert row["claim_token"] is None and row["claimed_until"] is None
    assert row["status"] == "snoozed" and row["notify_at"] == row["send_at"] == NOW + timedelta(hours=3)
    assert row["version"] == 2
    async with store.transaction() as tx:
        assert await tx.undelivered_steps(user.id) == []
    assert not await store.still_claimed(step_id, "tok")


async def test_marking_a_step_sent_stops_its_reminder(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    added = await add(store, make_interview(user.id))
    step_id = added.steps[0].id
    assert step_id is not None
    async with store.transaction() as tx:
        interview = await tx.interview(user.id, 1)
        assert interview is not None
        interview.steps[0].status = StepStatus.SENT
        interview.steps[0].sent_at = NOW
        interview.steps[0].notify_at = None
        await tx.save_interview(interview)
    row = await reminder_row(store, step_id)
    assert row["status"] == "sent" and row["sent_at"] == NOW and row["delivery"] == "none"
    assert await store.claim_due(NOW + timedelta(days=1), frozenset({"slack"}), 10, 60) == []


async def test_a_dispatcher_recording_a_dm_during_a_members_edit_keeps_what_it_recorded(store: SqlStore) -> None:
    """The dispatcher records a delivered DM (and plans the thank-you's last call) while the
    member's edit of the same interview is under way: the record waits for the edit, the edit
    writes only what it changed, and the record then stands whole."""
    user = await make_user(store)
    assert user.id is not None
    added = await add(store, make_interview(user.id))
    step = added.steps[0]
    assert step.id is not None and step.notify_at is not None
    [claim] = [c for c in await store.claim_due(step.notify_at, frozenset({"slack"}), 10, 60) if c.step_id == step.id]
    last_call = NOW + timedelta(hours=18)
    async with store.transaction() as tx:
        interview = await tx.interview(user.id, 1)
        assert interview is not None
        recording = asyncio.create_task(store.record_delivered(step.id, claim.claim_token, NOW, last_call))
        await asyncio.sleep(0.3)
        assert not recording.done()  # the member's transaction has the step (and, on SQLite, the file)
        interview.company = "Horizon Media"  # an unrelated edit
        await tx.save_interview(interview)
    assert await asyncio.wait_for(recording, 10)
    row = await reminder_row(store, step.id)
    assert row["dm_count"] == 1 and row["send_at"] == last_call and row["notify_at"] == step.notify_at
    assert row["delivery"] == "waiting" and row["version"] == 1 and row["claim_token"] is None
    assert (await load(store, user.id, 1)).company == "Horizon Media"


async def test_changing_a_due_date_only_keeps_the_reminder_as_it_stands(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    added = await add(store, make_interview(user.id))
    step_id = added.steps[1].id
    assert step_id is not None
    async with store.transaction() as tx:
        interview = await tx.interview(user.id, 1)
        assert interview is not None
        interview.steps[1].due_at = NOW + timedelta(days=15)
        interview.steps[1].round = 2
        await tx.save_interview(interview)
    row = await reminder_row(store, step_id)
    assert row["due_at"] == NOW + timedelta(days=15) and row["round"] == 2
    assert row["notify_at"] == row["send_at"] == NOW + timedelta(days=14) and row["version"] == 2


async def test_saving_another_users_interview_is_refused(store: SqlStore) -> None:
    ada = await make_user(store, "U-ada")
    bob = await make_user(store, "U-bob")
    assert ada.id is not None and bob.id is not None
    interview = await add(store, make_interview(ada.id))
    interview.user_id = bob.id
    interview.company = "Hijacked"
    with pytest.raises(LookupError):
        async with store.transaction() as tx:
            await tx.save_interview(interview)
    assert (await load(store, ada.id, 1)).company == "Horizon"


# ---- failed deliveries the user must hear of ----------------------------------------------------


async def test_undelivered_steps_are_listed_until_the_user_is_told(store: SqlStore) -> None:
    ada = await make_user(store, "U-ada")
    bob = await make_user(store, "U-bob")
    assert ada.id is not None and bob.id is not None
    mine = await add(store, make_interview(ada.id))
    theirs = await add(store, make_interview(bob.id))
    now = NOW + timedelta(hours=2)
    for claim in await store.claim_due(now, frozenset({"slack"}), 10, 60):
        await store.record_failed(claim.step_id, claim.claim_token, "cannot DM this user")
    async with store.transaction() as tx:
        undelivered = await tx.undelivered_steps(ada.id)
        assert [s.id for s in undelivered] == [mine.steps[0].id]
        assert undelivered[0].last_error == "cannot DM this user"
        assert undelivered[0].interview_id == mine.id
        assert undelivered[0].delivery is Delivery.FAILED
        await tx.mark_user_told([s.id for s in undelivered if s.id is not None])
    async with store.transaction() as tx:
        assert await tx.undelivered_steps(ada.id) == []
        assert [s.id for s in await tx.undelivered_steps(bob.id)] == [theirs.steps[0].id]


# ---- forgetting a user --------------------------------------------------------------------------


async def count_rows(store: SqlStore) -> dict[str, int]:
    counts = {}
    async with store.engine.connect() as conn:
        for table in ("users", "interviews", "interviewers", "reminders"):
            counts[table] = (await conn.execute(select(func.count()).select_from(text(table)))).scalar_one()
    return counts


async def test_forgetting_a_user_removes_all_of_theirs_and_nothing_else(store: SqlStore) -> None:
    ada = await make_user(store, "U-ada")
    bob = await make_user(store, "U-bob")
    assert ada.id is not None and bob.id is not None
    for _ in range(2):
        await add(store, make_interview(ada.id))
    await add(store, make_interview(bob.id))
    assert await count_rows(store) == {"users": 2, "interviews": 3, "interviewers": 6, "reminders": 6}

    async with store.transaction() as tx:
        removed = await tx.forget_user(ada.id)
    assert removed == 1 + 2 + 4 + 4
    assert await count_rows(store) == {"users": 1, "interviews": 1, "interviewers": 2, "reminders": 2}
    async with store.transaction() as tx:
        assert await tx.user_by_id(ada.id) is None
        assert await tx.interview(ada.id, 1) is None
        assert len(await tx.interviews(bob.id)) == 1
        assert await tx.forget_user(ada.id) == 0


async def test_deleting_a_user_row_cascades_to_their_interviews(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    await add(store, make_interview(user.id))
    async with store.engine.begin() as conn:
        await conn.execute(text("DELETE FROM users WHERE id = :id"), {"id": user.id})
    assert await count_rows(store) == {"users": 0, "interviews": 0, "interviewers": 0, "reminders": 0}


# ---- the dispatcher's side, through the store ---------------------------------------------------


async def test_a_due_reminder_is_claimed_once_with_its_recipient(store: SqlStore) -> None:
    user = await make_user(store)
    assert user.id is not None
    added = await add(store, make_interview(user.id))
    first = added.steps[0]
    assert await store.next_send_at(frozenset({"slack"})) == first.notify_at
    assert await store.next_send_at(frozenset({"discord"})) is None
    now = NOW + timedelta(hours=2)
    claims = await store.claim_due(now, frozenset({"slack"}), 10, 60)
    assert [c.step_id for c in claims] == [first.id]
    claim = claims[0]
    assert claim.recipient.external_id == "U1" and claim.recipient.community == "T1"
    assert claim.kind is StepKind.THANK_YOU and claim.due_at == first.due_at and claim.dm_count == 0
    assert await store.claim_due(now, frozenset({"slack"}), 10, 60) == []
    assert await store.still_claimed(claim.step_id, claim.claim_token)
    # A crashed worker's claim is taken over once its lease has run out.
    later = await store.claim_due(now + timedelta(seconds=61), frozenset({"slack"}), 10, 60)
    assert [c.step_id for c in later] == [first.id]
    assert not await store.still_claimed(claim.step_id, claim.claim_token)
    assert not await store.record_delivered(claim.step_id, claim.claim_token, now, None)
    assert await store.record_delivered(later[0].step_id, later[0].claim_token, now, None)
    assert (await load(store, user.id, 1)).steps[0].delivery is Delivery.DELIVERED
