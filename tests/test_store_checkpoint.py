"""SQLite's write-ahead log is checkpointed in the background: after it, the database file alone
(what a file backup copies) holds every committed interview."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.domain import Interview, UserSettings
from storage.store import SqlStore


def interviews_in_file_alone(db: Path, tmp: Path) -> int:
    copy = tmp / "backup.db"
    shutil.copyfile(db, copy)  # the main file only, not its -wal
    with sqlite3.connect(copy) as conn:
        return int(conn.execute("SELECT count(*) FROM interviews").fetchone()[0])


async def test_checkpoint_moves_committed_rows_into_the_database_file(sqlite_url: str, tmp_path: Path) -> None:
    db = Path(sqlite_url.removeprefix("sqlite:///"))
    store = SqlStore(sqlite_url)
    try:
        now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
        async with store.transaction() as tx:
            user = await tx.save_user(UserSettings("console", "local", "sam", created_at=now))
            assert user.id is not None
            for n in range(5):
                await tx.add_interview(Interview(user_id=user.id, company=f"C{n}", role="Analyst", starts_at=now))
        assert interviews_in_file_alone(db, tmp_path) == 0  # still only in the write-ahead log
        await store.checkpoint()
        assert interviews_in_file_alone(db, tmp_path) == 5
    finally:
        await store.close()

