"""Who counts as career-center staff on Slack: workspace admins and owners, and the members of a
user group the deployment names (SLACK_STAFF_USERGROUP: the group's id, e.g. `S0123ABCD`, or its
handle, e.g. `career-staff`), since university staff are rarely workspace admins.

Membership comes from `usergroups.users.list` (scope `usergroups:read`), kept for a minute per
workspace, so adding someone to the group counts within a minute. When Slack cannot say (the
scope is missing, the group does not exist), nobody is staff through the group, and the
operator is told once a minute in the log.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

MEMBERS_SECONDS = 60.0
_GROUP_ID = re.compile(r"S[A-Z0-9]{2,}")


class StaffGroup:
    def __init__(self, group: str | None, ttl: float = MEMBERS_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.group = (group or "").strip().lstrip("@") or None
        self.ttl = ttl
        self.clock = clock
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    async def includes(self, client: AsyncWebClient, team: str, user: str) -> bool:
        if self.group is None:
            return False
        return user in await self.members(client, team)

    async def members(self, client: AsyncWebClient, team: str) -> frozenset[str]:
        cached = self._members.get(team)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        members = await self._fetch(client, team)
        self._members[team] = (self.clock() + self.ttl, members)
        return members

    async def _fetch(self, client: AsyncWebClient, team: str) -> frozenset[str]:
        assert self.group is not None
        try:
            group_id = self.group if _GROUP_ID.fullmatch(self.group) else await self._id_of_handle(client, team)
            if group_id is None:
                log.warning("SLACK_STAFF_USERGROUP: no user group with the handle %r in workspace %s",
                            self.group, team)
                return frozenset()
            response = await client.usergroups_users_list(usergroup=group_id, team_id=team or None)
        except SlackApiError as error:
            log.warning("SLACK_STAFF_USERGROUP: Slack did not list the group's members in %s (%s)", team,
                        error.response.get("error"))
            return frozenset()
        except Exception as error:  # network trouble: nobody through the group until the next try
            log.warning("SLACK_STAFF_USERGROUP: listing the group failed (%s)", type(error).__name__)
            return frozenset()
        return frozenset(str(u) for u in response.get("users") or [])

    async def _id_of_handle(self, client: AsyncWebClient, team: str) -> str | None:
        response = await client.usergroups_list(team_id=team or None)
        for group in response.get("usergroups") or []:
            if isinstance(group, dict) and group.get("handle") == self.group and not group.get("date_delete"):
                return str(group.get("id"))
        return None
