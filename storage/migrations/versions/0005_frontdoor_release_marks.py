"""A small table where a release leaves marks for the next one (the digest of the Discord commands
it registered), so that `python -m bot release` registers the commands only when they changed.

Revision ID: 0005_frontdoor_release_marks
Revises: 0004_next_step_index
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_frontdoor_release_marks"
down_revision: str | Sequence[str] | None = "0004_next_step_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "release_marks",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("release_marks")
