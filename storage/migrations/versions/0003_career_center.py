"""The career center: saved versions of communities' approved templates, when a member
left their workspace or server (for the community's retention period), and covering indexes for
the aggregate statistics.

Revision ID: 0003_career_center
Revises: 0002_slack_installations
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0003_career_center"
down_revision: str | Sequence[str] | None = "0002_slack_installations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTCDateTime = storage.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "community_template_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("community", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("saved_by", sa.String(length=128), nullable=False),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_template_versions")),
        sa.UniqueConstraint(
            "platform", "community", "kind", "version",
            name=op.f("uq_community_template_versions_platform_community_kind_version"),
        ),
    )
    op.create_index(
        "ix_community_template_versions_current",
        "community_template_versions",
        ["platform", "community", "active"],
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("left_at", UTCDateTime(), nullable=True))
    # covering indexes for the aggregate statistics (storage.career_center_models.STATS_INDEXES)
    op.create_index("ix_interviews_stats", "interviews",
                    ["user_id", "starts_at", "kind", "status", "round", "heard_at"])
    op.create_index("ix_reminders_stats", "reminders",
                    ["user_id", "kind", "status", "round", "due_at", "sent_at", "interview_id"])


def downgrade() -> None:
    op.drop_index("ix_reminders_stats", table_name="reminders")
    op.drop_index("ix_interviews_stats", table_name="interviews")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("left_at")
    op.drop_index("ix_community_template_versions_current", table_name="community_template_versions")
    op.drop_table("community_template_versions")
