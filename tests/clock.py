"""A clock the test moves by hand (the only fake of time the project uses)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 12, 1, 13, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


def quiet_hours_away_from(now: datetime) -> str:
    """A `quiet:` setting (a minute long, twelve hours from `now`, in UTC) for a member whose
    reminders are written with the real clock: without it a test run between 21:00 and 08:00 UTC
    would see the reminder held to the end of the default quiet hours."""
    start = now.astimezone(UTC) + timedelta(hours=12)
    return f"{start:%H:%M}-{start + timedelta(minutes=1):%H:%M}"
