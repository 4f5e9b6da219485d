"""One writer per column: the dispatcher's own `send_at` (when it sends a step's next DM: the
plan, moved by a retry or a thank-you's last call), so that the service's `notify_at` stays the
follow-up rules' plan. The claim index moves from (platform, notify_at) to (platform, send_at).

Revision ID: 0010_dispatcher_send_at
Revises: 0009_proofread_words_and_notices
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0010_dispatcher_send_at"
down_revision: str | Sequence[str] | None = "0009_proofread_words_and_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text(storage.models.WAITING_PREDICATE)


def upgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.add_column(sa.Column("send_at", storage.models.UTCDateTime(), nullable=True))
    # Until now the dispatcher moved notify_at itself: what it holds for a waiting step is when
    # the next DM goes out.
    op.execute("UPDATE reminders SET send_at = notify_at WHERE delivery = 'waiting'")
    op.drop_index("ix_reminders_claim", table_name="reminders")
    op.create_index("ix_reminders_claim", "reminders", ["platform", "send_at"],
                    postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade() -> None:
    op.execute("UPDATE reminders SET notify_at = send_at WHERE delivery = 'waiting'")
    op.drop_index("ix_reminders_claim", table_name="reminders")
    op.create_index("ix_reminders_claim", "reminders", ["platform", "notify_at"],
                    postgresql_where=WAITING, sqlite_where=WAITING)
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("send_at")
