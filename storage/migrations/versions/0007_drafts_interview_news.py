"""An interview's `news:` (something new about the person or the company: a launch, a promotion,
an article), the hook of the stay-in-touch note.

Revision ID: 0007_drafts_interview_news
Revises: 0006_dates_order_and_promise
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_drafts_interview_news"
down_revision: str | Sequence[str] | None = "0006_dates_order_and_promise"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(sa.Column("news", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("news")
