"""Telling a community's admins that its template failed for a member: the member got the
built-in draft (their command or reminder never fails for it), and a notice is kept for
`/interview admin template` until the template is saved or reverted."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from bot.domain import UserSettings
from bot.ports import Store, StoreSession

log = logging.getLogger(__name__)


async def record_failures(tx: StoreSession, user: UserSettings, failures: Iterable[tuple[str, str]],
                          now: datetime) -> None:
    """Within the caller's transaction: one notice per (kind, problem)."""
    for kind, problem in dict.fromkeys(failures):
        await tx.record_template_failure(user.platform, user.community, kind, problem, now)


async def note_template_failures(store: Store, user: UserSettings, failures: list[tuple[str, str]],
                                 now: datetime) -> None:
    """In a transaction of its own, for a caller that has none (a reminder); a store that cannot
    take the notice is logged, never passed on to the reminder."""
    if not failures:
        return
    try:
        async with store.transaction() as tx:
            await record_failures(tx, user, failures, now)
    except Exception as exc:
        log.warning("a failed community template could not be noted for the admins (%s)", type(exc).__name__)


__all__ = ["note_template_failures", "record_failures"]
