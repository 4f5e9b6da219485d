"""A round's own notes (topics, what the member promised, their point, what the employer promised)
carry the round they were written in, so that a next round's drafts start without the last one's.
Rows written before have none: their notes are round 1's.

Revision ID: 0011_notes_per_round
Revises: 0010_dispatcher_send_at
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_notes_per_round"
down_revision: str | Sequence[str] | None = "0010_dispatcher_send_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(sa.Column("notes_round", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("notes_round")
