"""A reminder DM goes out once, even when the process that sent it died before recording it.

Every message of a reminder DM carries Slack message metadata: event type
`followthrough_reminder` and, in its payload, the DM's key (the reminders it is for and how many
DMs each had before it: the same key means the same DM) and which part of the DM it is. Before
posting a DM with a key, the notifier reads the DM channel's latest messages
(`conversations.history` with their metadata; scope `im:history`): parts already there are not
posted again. A DM this process itself delivered is not looked up at all.

What is guaranteed: a DM whose post Slack accepted is never posted again for the same key while it
is among the channel's latest `HISTORY_LIMIT` messages (a re-send happens within a lease, minutes
later). If Slack will not show the history (the `im:history` scope was not granted), the DM is
sent without the check, as before, and the log says so.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

EVENT_TYPE = "followthrough_reminder"
HISTORY_LIMIT = 50
REMEMBERED_KEYS = 10_000
_UNCHECKABLE = frozenset({"missing_scope", "not_allowed_token_type", "no_permission"})


def metadata(dm_key: str, part: int) -> dict[str, Any]:
    """The metadata of part `part` of the DM `dm_key`."""
    return {"event_type": EVENT_TYPE, "event_payload": {"dm_key": dm_key, "part": part}}


def parts_in(messages: list[dict[str, Any]], dm_key: str, bot_user: str | None = None) -> set[int]:
    """The parts of DM `dm_key` among `messages` (only the app's own messages count)."""
    found: set[int] = set()
    for message in messages:
        if not isinstance(message, dict) or not (message.get("bot_id") or message.get("app_id")):
            continue
        if bot_user is not None and message.get("user") not in (None, bot_user):
            continue
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") if isinstance(meta, dict) else None
        if meta.get("event_type") == EVENT_TYPE and isinstance(payload, dict) and payload.get("dm_key") == dm_key:
            part = payload.get("part")
            if isinstance(part, int) and part >= 0:
                found.add(part)
    return found


class SentOnce:
    """What this process delivered, and what a DM channel already shows."""

    def __init__(self) -> None:
        self._delivered: OrderedDict[str, None] = OrderedDict()
        self._warned = False

    def delivered(self, dm_key: str) -> None:
        self._delivered[dm_key] = None
        self._delivered.move_to_end(dm_key)
        while len(self._delivered) > REMEMBERED_KEYS:
            self._delivered.popitem(last=False)

    def known(self, dm_key: str) -> bool:
        return dm_key in self._delivered

    async def parts_already_there(self, client: AsyncWebClient, channel: str, dm_key: str) -> set[int]:
        """The parts of the DM the channel already shows. A rate limit or a Slack error other
        than a missing permission is raised: better to try later than to post twice."""
        try:
            response = await client.conversations_history(channel=channel, limit=HISTORY_LIMIT,
                                                           include_all_metadata=True)
        except SlackApiError as error:
            if str(error.response.get("error") or "") not in _UNCHECKABLE:
                raise
            if not self._warned:
                self._warned = True
                log.warning("Slack will not show DM history (%s): reminder DMs are sent without checking for "
                            "an earlier copy; grant the im:history scope", error.response.get("error"))
            return set()
        return parts_in(list(response.get("messages") or []), dm_key)
