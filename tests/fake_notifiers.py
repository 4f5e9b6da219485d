"""Notifiers for tests: one that records every DM, and scripted ones that fail the way platforms do.

Each implements bot.ports.Notifier. Anyone may reuse them:

    notifier = RecordingNotifier("console")
    ... dispatcher delivers ...
    assert [d.recipient.external_id for d in notifier.sent] == ["U1"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.ports import DeliveryResult, Outcome, Recipient
from bot.replies import Reply


@dataclass(frozen=True)
class Sent:
    """One DM the notifier accepted (or was asked to send), and when."""

    recipient: Recipient
    message: Reply
    at: datetime
    outcome: Outcome

    @property
    def text(self) -> str:
        return self.message.as_text()


def _system_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RecordingNotifier:
    """Accepts every DM and keeps it (`sent`); `attempts` keeps every try, whatever the outcome."""

    platform: str = "console"
    now: Callable[[], datetime] = _system_now
    sent: list[Sent] = field(default_factory=list)
    attempts: list[Sent] = field(default_factory=list)

    async def send(self, recipient: Recipient, message: Reply, *, dm_key: str | None = None) -> DeliveryResult:
        result = self.answer(recipient, message)
        record = Sent(recipient, message, self.now(), result.outcome)
        self.attempts.append(record)
        if result.outcome is Outcome.DELIVERED:
            self.sent.append(record)
        return result

    def answer(self, recipient: Recipient, message: Reply) -> DeliveryResult:
        return DeliveryResult.delivered()

    def texts(self) -> list[str]:
        return [s.text for s in self.sent]

    def to(self, external_id: str) -> list[Sent]:
        return [s for s in self.sent if s.recipient.external_id == external_id]


@dataclass
class RateLimitedNotifier(RecordingNotifier):
    """Answers "rate limited, retry after `retry_after` s" until `until` (by its clock), or for the
    first `refusals` tries when `until` is None; accepts after that."""

    retry_after: float = 2.0
    until: datetime | None = None
    refusals: int = 0

    def answer(self, recipient: Recipient, message: Reply) -> DeliveryResult:
        limited = self.now() < self.until if self.until is not None else self.refusals > 0
        if limited:
            if self.until is None:
                self.refusals -= 1
            return DeliveryResult(Outcome.RETRY, retry_after=self.retry_after, reason="rate limited (429)")
        return DeliveryResult.delivered()


@dataclass
class ClosedDmsNotifier(RecordingNotifier):
    """The users in `closed` (external ids; every user when empty) do not accept DMs."""

    closed: frozenset[str] = frozenset()

    def answer(self, recipient: Recipient, message: Reply) -> DeliveryResult:
        if not self.closed or recipient.external_id in self.closed:
            return DeliveryResult(Outcome.PERMANENT, reason="the user does not accept direct messages")
        return DeliveryResult.delivered()


@dataclass
class ScriptedNotifier(RecordingNotifier):
    """Answers with `script`'s results in order (then delivers), e.g. a 503 then a success."""

    script: list[DeliveryResult] = field(default_factory=list)

    @staticmethod
    def of(results: Iterable[DeliveryResult], platform: str = "console") -> ScriptedNotifier:
        return ScriptedNotifier(platform=platform, script=list(results))

    def answer(self, recipient: Recipient, message: Reply) -> DeliveryResult:
        if self.script:
            return self.script.pop(0)
        return DeliveryResult.delivered()


@dataclass
class BrokenNotifier(RecordingNotifier):
    """Raises (a bug or a dropped connection in an adapter) for the first `failures` tries."""

    failures: int = 1

    def answer(self, recipient: Recipient, message: Reply) -> DeliveryResult:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("connection reset by peer")
        return DeliveryResult.delivered()


SERVER_ERROR = DeliveryResult(Outcome.RETRY, reason="server error (503)")
RATE_LIMITED = DeliveryResult(Outcome.RETRY, retry_after=2.0, reason="rate limited (429)")
DMS_CLOSED = DeliveryResult(Outcome.PERMANENT, reason="the user does not accept direct messages")
