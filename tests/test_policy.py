"""The follow-up rules as tables: due times, reminder times, quiet hours, weekends, DST in two hemispheres."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import policy, whats_due
from bot.domain import Interview, Interviewer, InterviewStatus, Rules, Step, StepKind, StepStatus


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)  # type: ignore[misc]


def interview(starts: datetime, **kw: object) -> Interview:
    return Interview(user_id=1, company="Horizon Marketing", role="Marketing Coordinator", starts_at=starts,
                     interviewers=[Interviewer("Jane Richardson", honorific="Ms.")], **kw)  # type: ignore[arg-type]


BERLIN = Rules(tz="Europe/Berlin")
SYDNEY = Rules(tz="Australia/Sydney")
NEW_YORK = Rules(tz="America/New_York")


@pytest.mark.parametrize(
    ("rules", "start", "logged", "due", "first_dm"),
    [
        # Tuesday 14:00 interview, logged at once: due 24 h after the 15:00 end, first DM 16:00.
        (BERLIN, (2026, 12, 1, 14, 0), (2026, 12, 1, 14, 5), (2026, 12, 2, 15, 0), (2026, 12, 1, 16, 0)),
        # Logged the next morning: the first DM comes at once.
        (BERLIN, (2026, 12, 1, 14, 0), (2026, 12, 2, 9, 30), (2026, 12, 2, 15, 0), (2026, 12, 2, 9, 30)),
        # Evening interview: the 21:00 DM falls in quiet hours (21:00-08:00) and waits until 08:00.
        (BERLIN, (2026, 12, 1, 19, 0), (2026, 12, 1, 19, 0), (2026, 12, 2, 20, 0), (2026, 12, 2, 8, 0)),
        # Southern hemisphere, same rules in local time.
        (SYDNEY, (2026, 12, 1, 10, 0), (2026, 12, 1, 10, 0), (2026, 12, 2, 11, 0), (2026, 12, 1, 12, 0)),
    ],
)
def test_thank_you_due_within_24_hours_with_first_dm(rules: Rules, start: tuple[int, ...], logged: tuple[int, ...],
                                                       due: tuple[int, ...], first_dm: tuple[int, ...]) -> None:
    step = policy.thank_you(interview(local(rules.tz, *start)), rules, local(rules.tz, *logged))
    assert step.kind is StepKind.THANK_YOU
    assert step.due_at == local(rules.tz, *due)
    assert step.notify_at == local(rules.tz, *first_dm)


def test_thank_you_dm_in_quiet_hours_is_not_held_past_the_deadline() -> None:
    # Logged 23:30, deadline 01:00 the next night... a 22:00 interview ended 23:00, deadline 23:00
    # next day; logged the next day at 22:30 (quiet): holding to 08:00 would miss the deadline.
    start = local("Europe/Berlin", 2026, 12, 1, 22, 0)
    step = policy.thank_you(interview(start), BERLIN, local("Europe/Berlin", 2026, 12, 2, 22, 30))
    assert step.notify_at == local("Europe/Berlin", 2026, 12, 2, 22, 30)


def test_last_call_four_hours_before_deadline_once() -> None:
    start = local("Europe/Berlin", 2026, 12, 1, 14, 0)
    step = policy.thank_you(interview(start), BERLIN, start)
    assert policy.next_dm_after_delivery(step, step.notify_at or start) == step.due_at - timedelta(hours=4)
    # The last call itself (or a snoozed DM after its time) is followed by nothing more.
    assert policy.next_dm_after_delivery(step, step.due_at - timedelta(hours=4)) is None
    assert policy.next_dm_after_delivery(step, step.due_at - timedelta(hours=1)) is None


@pytest.mark.parametrize(
    ("rules", "start", "decision", "expected"),
    [
        # No decision date: 14 days after the interview, at 09:00 local. Tue Dec 1 -> Tue Dec 15.
        (BERLIN, (2026, 12, 1, 14, 0), None, (2026, 12, 15, 9, 0)),
        # 14 days after a Saturday interview is a Saturday: moves to Monday.
        (BERLIN, (2026, 11, 28, 10, 0), None, (2026, 12, 14, 9, 0)),
        # Decision Friday Dec 4: two business days later is Tuesday Dec 8.
        (BERLIN, (2026, 12, 1, 14, 0), date(2026, 12, 4), (2026, 12, 8, 9, 0)),
        # Decision Wednesday: Friday.
        (SYDNEY, (2026, 12, 1, 14, 0), date(2026, 12, 2), (2026, 12, 4, 9, 0)),
    ],
)
def test_check_in_one(rules: Rules, start: tuple[int, ...], decision: date | None, expected: tuple[int, ...]) -> None:
    iv = interview(local(rules.tz, *start), decision_on=decision)
    step = policy.check_in(iv, rules, local(rules.tz, *start))
    assert step.due_at == local(rules.tz, *expected)
    assert step.notify_at == step.due_at


def test_check_in_days_follow_the_community_setting() -> None:
    rules = Rules(tz="Europe/Berlin", check_in_days=10)
    iv = interview(local("Europe/Berlin", 2026, 12, 1, 14, 0))
    assert policy.check_in(iv, rules, iv.starts_at).due_at == local("Europe/Berlin", 2026, 12, 11, 9, 0)


def test_morning_hour_is_the_users() -> None:
    rules = Rules(tz="America/New_York", morning=time(10, 30))
    iv = interview(local("America/New_York", 2026, 12, 1, 14, 0))
    assert policy.check_in(iv, rules, iv.starts_at).due_at == local("America/New_York", 2026, 12, 15, 10, 30)


@pytest.mark.parametrize(
    ("rules", "start", "expected_utc_hour_before", "expected_utc_hour_after"),
    [
        # Berlin leaves summer time on Oct 25, 2026: 09:00 local is 07:00 UTC before, 08:00 after.
        (BERLIN, (2026, 10, 13, 14, 0), 7, 8),
        # Sydney starts summer time on Oct 4, 2026: 09:00 local is 23:00 UTC before, 22:00 after.
        (SYDNEY, (2026, 9, 22, 14, 0), 23, 22),
        # New York leaves DST on Nov 1, 2026.
        (NEW_YORK, (2026, 10, 20, 14, 0), 13, 14),
    ],
)
def test_dst_keeps_reminders_at_the_local_morning_hour(rules: Rules, start: tuple[int, ...],
                                                        expected_utc_hour_before: int,
                                                        expected_utc_hour_after: int) -> None:
    starts = local(rules.tz, *start)
    before = policy.morning_of(policy.to_local(starts, rules).date() + timedelta(days=1), rules)
    check_in = policy.check_in(interview(starts), rules, starts)  # 14 days later: after the change
    assert policy.to_local(before, rules).hour == 9
    assert policy.to_local(check_in.due_at, rules).hour == 9
    assert before.hour == expected_utc_hour_before
    assert check_in.due_at.hour == expected_utc_hour_after


def test_spring_forward_gap_lands_on_a_real_time() -> None:
    rules = Rules(tz="Europe/Berlin", morning=time(2, 30), quiet_start=time(23, 0), quiet_end=time(1, 0))
    at = policy.morning_of(date(2027, 3, 29), rules)  # Monday after the change: exists
    assert policy.to_local(at, rules).hour == 2
    gap = policy.local_moment(date(2027, 3, 28), time(2, 30), rules)  # does not exist locally
    assert policy.to_local(gap, rules).hour in (1, 3)


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ((2026, 12, 15, 11, 0), (2026, 12, 22, 9, 0)),  # Tue + 7 = Tue
        ((2026, 12, 12, 11, 0), (2026, 12, 21, 9, 0)),  # Sat + 7 = Sat -> Mon
    ],
)
def test_check_in_two_counts_from_when_check_in_one_was_sent(sent: tuple[int, ...], expected: tuple[int, ...]) -> None:
    iv = interview(local("Europe/Berlin", 2026, 12, 1, 14, 0))
    step = policy.check_in_2(iv, local("Europe/Berlin", *sent), BERLIN, local("Europe/Berlin", *sent))
    assert step.due_at == local("Europe/Berlin", *expected)


def test_no_reply_and_stay_in_touch_follow() -> None:
    iv = interview(local("Europe/Berlin", 2026, 12, 1, 14, 0))
    sent = local("Europe/Berlin", 2026, 12, 22, 10, 0)
    assert policy.no_reply(iv, sent, BERLIN, sent).due_at == local("Europe/Berlin", 2026, 12, 29, 9, 0)
    stay = policy.stay_in_touch(iv, sent, BERLIN, sent)
    assert stay.due_at == local("Europe/Berlin", 2027, 2, 2, 9, 0)  # 6 weeks, a Tuesday


def test_after_sent_chains_check_in_two_then_no_reply_and_never_a_third() -> None:
    now = local("Europe/Berlin", 2026, 12, 15, 10, 0)
    iv = interview(local("Europe/Berlin", 2026, 12, 1, 14, 0))
    iv.steps = policy.first_cycle(iv, BERLIN, iv.starts_at)
    one = iv.step(StepKind.CHECK_IN)
    assert one is not None
    policy.mark_sent(one, now)
    follow = policy.after_sent(iv, one, BERLIN, now)
    assert [s.kind for s in follow] == [StepKind.CHECK_IN_2]
    iv.steps.extend(follow)
    policy.mark_sent(follow[0], now + timedelta(days=7))
    follow2 = policy.after_sent(iv, follow[0], BERLIN, now + timedelta(days=7))
    assert [s.kind for s in follow2] == [StepKind.NO_REPLY]
    refusal = policy.may_check_in(iv, StepKind.CHECK_IN, now, BERLIN)
    assert refusal is not None and "two check-ins" in refusal.message and "phone call" in refusal.message


def test_no_check_in_before_the_decision_date_unless_offer_elsewhere() -> None:
    iv = interview(local("Europe/Berlin", 2026, 12, 1, 14, 0), decision_on=date(2026, 12, 11))
    now = local("Europe/Berlin", 2026, 12, 9, 10, 0)
    refusal = policy.may_check_in(iv, StepKind.CHECK_IN, now, BERLIN)
    assert refusal is not None and "decide by" in refusal.message
    iv.offer_deadline = date(2026, 12, 10)
    assert policy.may_check_in(iv, StepKind.CHECK_IN, now, BERLIN) is None


@pytest.mark.parametrize(
    ("quiet", "at", "held_to"),
    [
        ((time(21, 0), time(8, 0)), (2026, 12, 1, 22, 15), (2026, 12, 2, 8, 0)),
        ((time(21, 0), time(8, 0)), (2026, 12, 2, 6, 0), (2026, 12, 2, 8, 0)),
        ((time(21, 0), time(8, 0)), (2026, 12, 2, 12, 0), (2026, 12, 2, 12, 0)),
        ((time(13, 0), time(14, 0)), (2026, 12, 2, 13, 30), (2026, 12, 2, 14, 0)),
    ],
)
def test_quiet_hours(quiet: tuple[time, time], at: tuple[int, ...], held_to: tuple[int, ...]) -> None:
    rules = Rules(tz="Europe/Berlin", quiet_start=quiet[0], quiet_end=quiet[1])
    assert policy.end_of_quiet_hours(local(rules.tz, *at), rules) == local(rules.tz, *held_to)


def test_weekend_check_in_reminder_moves_to_monday_morning() -> None:
    saturday_noon = local("Europe/Berlin", 2026, 12, 5, 12, 0)
    monday_nine = local("Europe/Berlin", 2026, 12, 7, 9, 0)
    assert policy.earliest_delivery(saturday_noon, BERLIN, StepKind.CHECK_IN) == monday_nine
    # A thank-you is never held for a weekend.
    assert policy.earliest_delivery(saturday_noon, BERLIN, StepKind.THANK_YOU) == saturday_noon


def test_outcome_cancels_pending_steps_and_ghosting_plans_stay_in_touch_once() -> None:
    now = local("Europe/Berlin", 2026, 12, 2, 10, 0)
    iv = interview(local("Europe/Berlin", 2026, 12, 1, 14, 0))
    iv.steps = policy.first_cycle(iv, BERLIN, iv.starts_at)
    cancelled = policy.cancel_open_steps(iv, now)
    assert len(cancelled) == 2 and all(s.status is StepStatus.CANCELLED and s.notify_at is None for s in iv.steps)
    iv2 = interview(local("Europe/Berlin", 2026, 12, 1, 14, 0))
    stay = policy.ghost(iv2, BERLIN, now)
    assert iv2.status is InterviewStatus.GHOSTED and stay is not None and stay.kind is StepKind.STAY_IN_TOUCH
    iv2.steps.append(stay)
    iv2.status = InterviewStatus.ACTIVE
    assert policy.ghost(iv2, BERLIN, now) is None


def test_snooze_warns_when_a_thank_you_moves_past_its_deadline() -> None:
    now = local("Europe/Berlin", 2026, 12, 1, 16, 0)
    step = Step(kind=StepKind.THANK_YOU, due_at=local("Europe/Berlin", 2026, 12, 2, 15, 0), notify_at=now)
    assert policy.snooze(step, now + timedelta(hours=2), now) is None
    warning = policy.snooze(step, now + timedelta(days=2), now)
    assert warning is not None and "deadline" in warning
    assert step.notify_at == now + timedelta(days=2) and step.status is StepStatus.SNOOZED


ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland", "UTC"]


@settings(max_examples=400, deadline=None)
@given(
    until=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    kind=st.sampled_from(list(StepKind)),
    tz=st.sampled_from(ZONES),
    quiet=st.tuples(st.integers(0, 23), st.integers(0, 23)).filter(lambda q: q[0] != q[1]),
    morning=st.integers(5, 11),
)
def test_a_snooze_never_lands_in_quiet_hours_nor_a_check_in_on_a_weekend(
        until: datetime, kind: StepKind, tz: str, quiet: tuple[int, int], morning: int) -> None:
    rules = Rules(tz=tz, quiet_start=time(quiet[0]), quiet_end=time(quiet[1]), morning=time(morning))
    landing, why = whats_due.snooze_landing(kind, until, rules)
    assert landing >= until and landing - until < timedelta(days=4)
    assert (landing == until) == (why is None)
    if kind in policy.WEEKDAY_ONLY:
        assert policy.to_local(landing, rules).weekday() < 5
    assert not policy.in_quiet_hours(landing, rules)
    if policy.in_quiet_hours(until, rules):
        assert why is not None and "quiet hours" in why
