"""Steps indexed by interview and due time: `/interview list` finds each interview's soonest open
step by walking this index, with no sort; it serves lookups by interview alone as the old one did.

Revision ID: 0004_next_step_index
Revises: 0003_career_center
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_next_step_index"
down_revision: str | Sequence[str] | None = "0003_career_center"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reminders_interview_id_due_at", "reminders", ["interview_id", "due_at"])
    op.drop_index("ix_reminders_interview_id", table_name="reminders")


def downgrade() -> None:
    op.create_index("ix_reminders_interview_id", "reminders", ["interview_id"])
    op.drop_index("ix_reminders_interview_id_due_at", table_name="reminders")
