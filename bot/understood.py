"""Times and dates as the member typed them, read for the field they belong to and said back.

Each field has the years that make sense for it, and a reading outside them is refused with the
reading shown, never stored:
- an interview's time (`when:`, a next round) is within a year of today, either side; a date
  without a year is the nearest one (recent past or near future);
- a decision date or an offer deadline is the next such day ahead when no year is written; a
  deadline already past is refused; a decision date may be past (the check-in is then due now);
  neither may be more than a year away.

Every reading kept is recorded on the context and echoed in the answer, with its weekday and date,
the year when it is not this year, in the member's zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.domain import Rules
from bot.humanize import day_words, moment
from bot.numeric_dates import DateOrder, order_from_locale
from bot.policy import to_local
from bot.time_words import unreadable
from bot.timeparse import DATE_EXAMPLES, Moment, Prefer, TimeError, parse_snooze, quote_input, read_moment
from bot.use_case import Context, refuse

YEAR = timedelta(days=365)


def date_order(ctx: Context) -> DateOrder | None:
    """The member's date order: their setting, else their platform's locale, else unknown."""
    if ctx.user.date_order == "day-first":
        return "day-first"
    if ctx.user.date_order == "month-first":
        return "month-first"
    return order_from_locale(ctx.actor.locale)


def _check(read: Moment | TimeError) -> Moment:
    if isinstance(read, TimeError):
        raise refuse(read.message)
    return read


def _said(read: Moment, ctx: Context) -> str:
    text = moment(read.at, ctx.rules, ctx.now)
    if read.zone and read.zone != ctx.rules.tz:
        there = to_local(read.at, Rules(tz=read.zone))
        named = there.tzname()
        text += f" ({there:%H:%M} {named})" if named == read.zone else f" ({there:%H:%M} {named} in {read.zone})"
    return text


def _same_day_nearest_year(at: datetime, ctx: Context) -> str:
    local = to_local(at, ctx.rules)
    today = to_local(ctx.now, ctx.rules)
    options = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(local.replace(year=year))
        except ValueError:  # 29 February
            continue
    best = min(options, key=lambda o: abs(o - today))
    return f"{best:%Y-%m-%d %H:%M}"


def interview_time(ctx: Context, typed: str, field: str = "when", prefer: Prefer = "nearest") -> datetime:
    """An interview's start, within a year of today."""
    read = _check(read_moment(typed, ctx.rules.tz, ctx.now, prefer, date_order(ctx)))
    if abs(read.at - ctx.now) > YEAR:
        side = "ago" if read.at < ctx.now else "from now"
        raise refuse(
            f"I read {quote_input(typed)} as {_said(read, ctx)}, more than a year {side}, and nothing was "
            f"saved. An interview to follow up on is within a year of today: did you mean "
            f"{field}: {_same_day_nearest_year(read.at, ctx)}?")
    ctx.understood.append(f"{field}: {quote_input(typed)} → {_said(read, ctx)}")
    return read.at


def _day(ctx: Context, typed: str) -> tuple[Moment, date]:
    found = read_moment(typed, ctx.rules.tz, ctx.now, "future", date_order(ctx))
    if isinstance(found, TimeError) and found.message.startswith(("I couldn't read", "No ")):
        found = unreadable(typed, "a date", DATE_EXAMPLES)  # a day is asked for, not a time
    read = _check(found)
    return read, to_local(read.at, ctx.rules).date()


def decision_day(ctx: Context, typed: str, field: str = "decision", closed: bool = False) -> date:
    """The day the employer said they would decide: up to a year either side of today. On a
    `closed` interview a past day says nothing of a check-in (there is none)."""
    _, day = _day(ctx, typed)
    today = to_local(ctx.now, ctx.rules).date()
    if abs((day - today).days) > 365:
        raise refuse(f"I read {quote_input(typed)} as {day_words(day, today)}, more than a year away, and "
                      "nothing was saved. Give the day they named, e.g. decision: next Friday.")
    note = " (already past: your check-in is due now)" if day < today and not closed else ""
    ctx.understood.append(f"{field}: {quote_input(typed)} → {day_words(day, today)}{note}")
    return day


def decision_after_interview(ctx: Context, decision_on: date | None, starts_at: datetime) -> None:
    """A decision cannot come before the interview it decides on: such a date is refused (nothing
    is saved) rather than planning a check-in before the interview has happened."""
    if decision_on is None:
        return
    interview_day = to_local(starts_at, ctx.rules).date()
    if decision_on < interview_day:
        today = to_local(ctx.now, ctx.rules).date()
        raise refuse(f"The decision date {day_words(decision_on, today)} is before the interview "
                     f"({day_words(interview_day, today)}), so nothing was saved. Give the day they said "
                     "they would decide, on or after the interview, e.g. decision: two weeks after it.")


def deadline_day(ctx: Context, typed: str) -> date:
    """A competing offer's deadline: today or later, within a year."""
    _, day = _day(ctx, typed)
    today = to_local(ctx.now, ctx.rules).date()
    if day < today:
        raise refuse(f"I read {quote_input(typed)} as {day_words(day, today)}, which has already passed, so "
                      "there is no timeline to ask them about and nothing was saved. If the offer is still open, "
                      "give its new deadline, e.g. deadline: next Friday.")
    if (day - today).days > 365:
        raise refuse(f"I read {quote_input(typed)} as {day_words(day, today)}, more than a year away, and "
                      "nothing was saved. Give the deadline the other employer set, e.g. deadline: Dec 18.")
    ctx.understood.append(f"deadline: {quote_input(typed)} → {day_words(day, today)}")
    return day


def snooze_until(ctx: Context, typed: str) -> datetime:
    found = parse_snooze(typed, ctx.rules.tz, ctx.now, date_order(ctx))
    if isinstance(found, TimeError):
        raise refuse(found.message)
    return found
