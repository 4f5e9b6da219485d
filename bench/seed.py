"""Databases for benchmarks and multi-process tests: a fresh PostgreSQL database or SQLite file,
the schema, and reminders seeded in bulk (one INSERT ... SELECT on PostgreSQL, executemany on
SQLite), far faster than going through the service one interview at a time."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

from storage.engine import create_sync_engine, is_sqlite, render
from storage.models import Base, InterviewRow, ReminderRow, UserRow

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
BENCH_PLATFORM = "bench"


def postgres_base_url() -> str:
    return os.environ.get("FOLLOWTHROUGH_TEST_POSTGRES_URL", DEFAULT_POSTGRES)


def sync_engine(url: str, **kwargs: Any) -> Engine:
    return create_sync_engine(url, **kwargs)


def create_postgres_database(base_url: str | None = None, prefix: str = "ft_bench") -> str:
    """CREATE DATABASE <prefix>_<random> next to `base_url`'s; returns its URL."""
    base = make_url(base_url or postgres_base_url())
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sync_engine(render(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return render(base.set(database=name))


def drop_postgres_database(url: str) -> None:
    target = make_url(url)
    admin = sync_engine(render(target.set(database="postgres")), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def create_schema(url: str) -> None:
    """The real migrations when they exist, else the models' tables."""
    try:
        from storage import migrate
    except ImportError:
        migrate = None  # type: ignore[assignment]
    if migrate is not None:
        migrate.upgrade(url)
        return
    engine = sync_engine(url)
    try:
        Base.metadata.create_all(engine)
    finally:
        engine.dispose()


@contextmanager
def fresh_database(kind: str, base_url: str | None = None) -> Iterator[str]:
    """A migrated, empty database ("sqlite" or "postgres"), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="ft-bench-") as folder:
            url = f"sqlite:///{folder}/bench.db"
            create_schema(url)
            yield url
        return
    url = create_postgres_database(base_url)
    try:
        create_schema(url)
        yield url
    finally:
        drop_postgres_database(url)


def seed(
    url: str,
    reminders: int,
    *,
    start: datetime | None = None,
    spread: timedelta = timedelta(0),
    steps_per_interview: int = 1,
    interviews_per_user: int = 10,
    platform: str = BENCH_PLATFORM,
    kind: str = "check-in",
) -> range:
    """Add `reminders` open, waiting reminders whose notify_at runs evenly from `start` (default:
    now) over `spread`, `steps_per_interview` to an interview, `interviews_per_user` to a user.
    Returns the new reminders' ids."""
    start = start or datetime.now(UTC)
    steps_per_interview = max(1, steps_per_interview)
    interviews = -(-reminders // steps_per_interview)
    people = max(1, -(-interviews // max(1, interviews_per_user)))
    engine = sync_engine(url)
    try:
        first = _offsets(engine)[2] + 1
        if is_sqlite(url):
            _seed_rows(engine, reminders, start, spread, steps_per_interview, interviews_per_user,
                       interviews, people, platform, kind)
        else:
            _seed_postgres(engine, reminders, start, spread, steps_per_interview, interviews_per_user,
                           interviews, people, platform, kind)
    finally:
        engine.dispose()
    return range(first, first + reminders)


def _offsets(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        u = conn.execute(select(func.coalesce(func.max(UserRow.id), 0))).scalar_one()
        i = conn.execute(select(func.coalesce(func.max(InterviewRow.id), 0))).scalar_one()
        r = conn.execute(select(func.coalesce(func.max(ReminderRow.id), 0))).scalar_one()
    return int(u), int(i), int(r)


def _seed_postgres(engine: Engine, reminders: int, start: datetime, spread: timedelta, per_interview: int,
                   per_user: int, interviews: int, people: int, platform: str, kind: str) -> None:
    u0, i0, r0 = _offsets(engine)
    params = {
        "u0": u0, "i0": i0, "r0": r0, "people": people, "interviews": interviews, "n": reminders,
        "per_interview": per_interview, "per_user": per_user, "platform": platform, "kind": kind,
        "start": start, "spread": spread.total_seconds(), "run": uuid.uuid4().hex[:8],
    }
    with engine.begin() as conn:
        conn.execute(text("""
            INSERT INTO users (id, platform, community, external_id, created_at)
            SELECT :u0 + g, :platform, 'bench', 'U' || :run || '-' || g, now()
            FROM generate_series(1, :people) AS g"""), params)
        conn.execute(text("""
            INSERT INTO interviews (id, user_id, number, company, role, starts_at, duration, topics,
                                    kind, status, round, created_at)
            SELECT :i0 + g, :u0 + 1 + (g - 1) / :per_user, 1 + (g - 1) % :per_user, 'Company ' || g,
                   'Role', CAST(:start AS timestamptz) - interval '14 days', interval '1 hour',
                   CAST('[]' AS json), 'interview', 'active', 1, now()
            FROM generate_series(1, :interviews) AS g"""), params)
        conn.execute(text("""
            INSERT INTO reminders (id, interview_id, user_id, platform, kind, round, status, due_at,
                                   notify_at, send_at, created_at, delivery, dm_count, attempts, user_told,
                                   version)
            SELECT :r0 + g, :i0 + 1 + (g - 1) / :per_interview,
                   :u0 + 1 + ((g - 1) / :per_interview) / :per_user, :platform, :kind, 1, 'pending',
                   at, at, at, now(), 'waiting', 0, 0, false, 1
            FROM (SELECT g, CAST(:start AS timestamptz)
                            + make_interval(secs => :spread * (g - 1) / GREATEST(:n, 1)) AS at
                  FROM generate_series(1, :n) AS g) AS s"""), params)
        for table in ("users", "interviews", "reminders"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
        conn.execute(text("ANALYZE reminders"))


def _seed_rows(engine: Engine, reminders: int, start: datetime, spread: timedelta, per_interview: int,
               per_user: int, interviews: int, people: int, platform: str, kind: str) -> None:
    u0, i0, r0 = _offsets(engine)
    now = datetime.now(UTC)
    run = uuid.uuid4().hex[:8]
    chunk = 20_000
    with engine.begin() as conn:
        conn.execute(insert(UserRow), [
            {"id": u0 + g, "platform": platform, "community": "bench", "external_id": f"U{run}-{g}",
             "created_at": now} for g in range(1, people + 1)
        ])
        for lo in range(1, interviews + 1, chunk):
            conn.execute(insert(InterviewRow), [
                {"id": i0 + g, "user_id": u0 + 1 + (g - 1) // per_user, "number": 1 + (g - 1) % per_user,
                 "company": f"Company {g}", "role": "Role", "starts_at": start - timedelta(days=14),
                 "duration": timedelta(hours=1), "topics": [], "kind": "interview", "status": "active",
                 "round": 1, "created_at": now}
                for g in range(lo, min(interviews, lo + chunk - 1) + 1)
            ])
        step = spread / max(reminders, 1)
        for lo in range(1, reminders + 1, chunk):
            rows = []
            for g in range(lo, min(reminders, lo + chunk - 1) + 1):
                at = start + step * (g - 1)
                interview = (g - 1) // per_interview
                rows.append({
                    "id": r0 + g, "interview_id": i0 + 1 + interview, "user_id": u0 + 1 + interview // per_user,
                    "platform": platform, "kind": kind, "round": 1, "status": "pending", "due_at": at,
                    "notify_at": at, "send_at": at, "created_at": now, "delivery": "waiting", "dm_count": 0,
                    "attempts": 0, "user_told": False, "version": 1,
                })
            conn.execute(insert(ReminderRow), rows)


def delivery_counts(url: str, platform: str = BENCH_PLATFORM) -> dict[str, int]:
    """Rows by delivery state (waiting, delivered, failed) for the platform."""
    engine = sync_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(ReminderRow.delivery, func.count()).where(ReminderRow.platform == platform)
                .group_by(ReminderRow.delivery)
            ).all()
    finally:
        engine.dispose()
    return {str(delivery): int(count) for delivery, count in rows}


def due_waiting(url: str, now: datetime, platform: str = BENCH_PLATFORM) -> int:
    engine = sync_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(
                select(func.count()).select_from(ReminderRow).where(
                    ReminderRow.platform == platform, ReminderRow.delivery == "waiting",
                    ReminderRow.send_at <= now,
                )
            ).scalar_one())
    finally:
        engine.dispose()
