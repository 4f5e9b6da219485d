"""The proofreader: each community's own word list for the spelling check, and the notices left
for a community's admins when its template failed while rendering a member's draft.

Revision ID: 0009_proofread_words_and_notices
Revises: 0008_slack_seen_requests
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0009_proofread_words_and_notices"
down_revision: str | Sequence[str] | None = "0008_slack_seen_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTCDateTime = storage.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "community_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("community", sa.String(length=128), nullable=False),
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_words")),
        sa.UniqueConstraint("platform", "community", "word",
                            name=op.f("uq_community_words_platform_community_word")),
    )
    op.create_table(
        "community_template_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("community", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_at", UTCDateTime(), nullable=False),
        sa.Column("last_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_template_notices")),
    )
    op.create_index("ix_community_template_notices_community", "community_template_notices",
                    ["platform", "community", "kind"])


def downgrade() -> None:
    op.drop_index("ix_community_template_notices_community", table_name="community_template_notices")
    op.drop_table("community_template_notices")
    op.drop_table("community_words")
