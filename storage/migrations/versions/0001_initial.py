"""The initial schema: users, community defaults, interviews, interviewers, reminders.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTCDateTime = storage.models.UTCDateTime
WAITING = sa.text("delivery = 'waiting'")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("community", sa.String(length=128), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("morning", sa.Time(), nullable=True),
        sa.Column("tone", sa.String(length=16), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint(
            "platform", "community", "external_id", name=op.f("uq_users_platform_community_external_id")
        ),
    )
    op.create_table(
        "community_defaults",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("community", sa.String(length=128), nullable=False),
        sa.Column("check_in_days", sa.Integer(), nullable=False),
        sa.Column("check_in_2_days", sa.Integer(), nullable=False),
        sa.Column("stay_in_touch_weeks", sa.Integer(), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=False),
        sa.Column("quiet_end", sa.Time(), nullable=False),
        sa.Column("morning", sa.Time(), nullable=False),
        sa.Column("tone", sa.String(length=16), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("platform", "community", name=op.f("pk_community_defaults")),
    )
    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("company", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("duration", sa.Interval(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("promised", sa.Text(), nullable=True),
        sa.Column("point", sa.Text(), nullable=True),
        sa.Column("tone", sa.String(length=16), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("offer_deadline", sa.Date(), nullable=True),
        sa.Column("heard_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_interviews_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviews")),
        sa.UniqueConstraint("user_id", "number", name=op.f("uq_interviews_user_id_number")),
    )
    op.create_index("ix_interviews_user_id_status", "interviews", ["user_id", "status"])
    op.create_table(
        "interviewers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("honorific", sa.String(length=16), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("recruiter", sa.Boolean(), nullable=False),
        sa.Column("thanked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_interviewers_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviewers")),
    )
    op.create_index("ix_interviewers_interview_id_position", "interviewers", ["interview_id", "position"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("notify_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("dm_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("user_told", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_reminders_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
    )
    op.create_index("ix_reminders_interview_id", "reminders", ["interview_id"])
    op.create_index("ix_reminders_user_id_delivery", "reminders", ["user_id", "delivery"])
    op.create_index(
        "ix_reminders_claim",
        "reminders",
        ["platform", "notify_at"],
        postgresql_where=WAITING,
        sqlite_where=WAITING,
    )


def downgrade() -> None:
    op.drop_index("ix_reminders_claim", table_name="reminders")
    op.drop_index("ix_reminders_user_id_delivery", table_name="reminders")
    op.drop_index("ix_reminders_interview_id", table_name="reminders")
    op.drop_table("reminders")
    op.drop_index("ix_interviewers_interview_id_position", table_name="interviewers")
    op.drop_table("interviewers")
    op.drop_index("ix_interviews_user_id_status", table_name="interviews")
    op.drop_table("interviews")
    op.drop_table("community_defaults")
    op.drop_table("users")
