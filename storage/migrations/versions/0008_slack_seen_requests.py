"""Slack requests already run (`slack_seen_requests`): a slash command's or a form submission's
trigger id, and a request's signature, for the minutes Slack's signature stays valid, so a replayed
request is not run again by any process sharing the database (PostgreSQL deployments).

Revision ID: 0008_slack_seen_requests
Revises: 0007_drafts_interview_news
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_slack_seen_requests"
down_revision: str | Sequence[str] | None = "0007_drafts_interview_news"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_seen_requests",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_slack_seen_requests_seen_at", "slack_seen_requests", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_slack_seen_requests_seen_at", table_name="slack_seen_requests")
    op.drop_table("slack_seen_requests")
