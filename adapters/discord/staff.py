"""Who counts as career-center staff on a Discord server.

Staff are members with the Manage Server permission (or Administrator), and, where the deployment
names one, members holding the staff role (DISCORD_STAFF_ROLE: the role's id, or its name, matched
without regard to case). Career-center staff rarely run the server, so the role is the usual way.

Discord hides `/interview-admin` from members without Manage Server; a server admin lets the staff
role see it under Server Settings → Integrations → Followthrough. The bot checks again on every use,
so the role grants nothing without DISCORD_STAFF_ROLE, and a member who sees the command by a
wrong permission override is still refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord


@dataclass(frozen=True)
class StaffRule:
    role: str | None = None  # a role id, or a role name

    @classmethod
    def from_setting(cls, value: str | None) -> StaffRule:
        role = (value or "").strip()
        return cls(role or None)

    def admits(self, interaction: discord.Interaction[Any]) -> bool:
        """Whether the user behind `interaction` is staff in the server it came from (never in a DM)."""
        if not interaction.guild_id:
            return False
        perms = interaction.permissions
        if perms.manage_guild or perms.administrator:
            return True
        return self.role is not None and any(self._matches(role) for role in getattr(interaction.user, "roles", ()))

    def _matches(self, role: discord.Role) -> bool:
        assert self.role is not None
        if self.role.isdigit():
            return role.id == int(self.role)
        return role.name.casefold() == self.role.casefold()

    def refusal(self) -> str:
        who = "the Manage Server permission" if self.role is None else \
            "the Manage Server permission or the server's staff role"
        return f"Admin commands are for career-center staff: they need {who} in this server."
