"""How a member writes numeric dates (`users.date_order`: day-first or month-first; empty means
their platform's locale decides), and what the employer promised (`interviews.their_promise`).

Revision ID: 0006_dates_order_and_promise
Revises: 0004_next_step_index
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_dates_order_and_promise"
down_revision: str | Sequence[str] | None = "0004_next_step_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("date_order", sa.String(16), nullable=True))
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(sa.Column("their_promise", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("their_promise")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("date_order")
