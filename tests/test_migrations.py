"""Alembic builds the schema the models describe, on SQLite and PostgreSQL, from any directory."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String, create_engine, insert, inspect, pool, select, text

from storage import migrate
from storage.engine import render, sync_url
from storage.models import Base

OUR_TABLES = {"users", "community_defaults", "interviews", "interviewers", "reminders"}


def table_names(url: str) -> set[str]:
    engine = create_engine(render(sync_url(url)), poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_newest_revision_is_the_one_start_up_checks_for() -> None:
    """A database at HEAD is left alone without loading Alembic: HEAD must be the newest script."""
    assert migrate.HEAD == migrate.head()


def test_the_first_revision_has_a_stable_id() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_revision("0001_initial") is not None
    assert [r.revision for r in scripts.walk_revisions()][-1] == "0001_initial"


def test_an_empty_database_migrates_to_head_and_again_is_a_no_op(empty_db_url: str) -> None:
    assert migrate.current(empty_db_url) is None
    migrate.upgrade(empty_db_url)
    assert migrate.current(empty_db_url) == migrate.head()
    assert OUR_TABLES <= table_names(empty_db_url)

    engine = create_engine(render(sync_url(empty_db_url)), poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO community_defaults (platform, community, check_in_days, check_in_2_days,"
                    " stay_in_touch_weeks, quiet_start, quiet_end, morning, tone)"
                    " VALUES ('slack', 'T1', 14, 7, 6, '21:00:00', '08:00:00', '09:00:00', 'formal')"
                )
            )
        migrate.upgrade(empty_db_url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM community_defaults")).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_models(db_url: str) -> None:
    migrate.check(db_url)  # raises if `alembic revision --autogenerate` would write anything


def test_the_drift_check_notices_a_model_the_migrations_lack(db_url: str) -> None:
    drifted = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["users"].append_column(Column("nickname", String(40), nullable=True))
    engine = create_engine(render(sync_url(db_url)), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, _: type_ != "table" or name in drifted.tables,
                },
            )
            diffs = compare_metadata(context, drifted)
    finally:
        engine.dispose()
    assert [d[0] for d in diffs] == ["add_column"]
    assert diffs[0][3].name == "nickname"


def test_downgrading_to_base_removes_every_table(db_url: str) -> None:
    migrate.downgrade(db_url, "base")
    assert migrate.current(db_url) is None
    assert table_names(db_url) <= {"alembic_version"}
    migrate.upgrade(db_url)
    assert OUR_TABLES <= table_names(db_url)


def test_migrations_run_from_any_directory(
    empty_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    migrate.upgrade(empty_db_url)
    assert migrate.current(empty_db_url) == migrate.head()
    assert not list(tmp_path.iterdir())  # nothing written to the working directory


def test_processes_starting_together_migrate_in_turn(empty_db_url: str) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool_:
        for future in [pool_.submit(migrate.upgrade, empty_db_url) for _ in range(3)]:
            future.result()
    assert migrate.current(empty_db_url) == migrate.head()


def test_upgrading_keeps_every_waiting_reminder_due_when_it_was(empty_db_url: str) -> None:
    """Before 0010 the dispatcher moved `notify_at` itself (a retry, a last call): after the upgrade
    its own `send_at` holds that time for every waiting reminder, and nothing else waits."""
    migrate.upgrade(empty_db_url, "0009_proofread_words_and_notices")
    engine = create_engine(render(sync_url(empty_db_url)), poolclass=pool.NullPool)
    at = datetime(2026, 12, 1, 9, tzinfo=UTC)
    try:
        old = MetaData()
        old.reflect(engine, only=["reminders"])
        assert "send_at" not in old.tables["reminders"].c
        tables = Base.metadata.tables  # the rows are written without the new column
        with engine.begin() as conn:
            conn.execute(insert(tables["users"]).values(id=1, platform="slack", community="T1",
                                                           external_id="U1", created_at=at))
            conn.execute(insert(tables["interviews"]).values(
                id=1, user_id=1, number=1, company="Acme", role="Analyst", starts_at=at,
                duration=timedelta(hours=1), topics=[], kind="interview", status="active", round=1, created_at=at,
            ))
            conn.execute(insert(tables["reminders"]), [
                dict(id=id_, interview_id=1, user_id=1, platform="slack", kind="thank-you", round=1,
                     status="pending", due_at=at + timedelta(days=1), notify_at=notify_at, created_at=at,
                     delivery=delivery, dm_count=0, attempts=0, user_told=False, version=1)
                for id_, delivery, notify_at in ((1, "waiting", at + timedelta(hours=20)), (2, "delivered", None),
                                                 (3, "failed", at + timedelta(hours=3)))
            ])
        migrate.upgrade(empty_db_url)
        reminders = tables["reminders"]
        with engine.connect() as conn:
            rows = conn.execute(select(reminders.c.id, reminders.c.send_at).order_by(reminders.c.id)).all()
        assert [tuple(r) for r in rows] == [(1, at + timedelta(hours=20)), (2, None), (3, None)]
    finally:
        engine.dispose()
