"""What the last release left behind for the next one to compare with, by name: e.g. the digest of
the Discord commands it registered, so that a release registers them again only when they changed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, MetaData, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

metadata = MetaData()
release_marks = Table(
    "release_marks", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


async def read_mark(engine: AsyncEngine, name: str) -> str | None:
    async with engine.connect() as conn:
        return (await conn.execute(select(release_marks.c.value).where(release_marks.c.name == name))).scalar()


async def write_mark(engine: AsyncEngine, name: str, value: str) -> None:
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        changed = await conn.execute(
            update(release_marks).where(release_marks.c.name == name).values(value=value, updated_at=now))
        if changed.rowcount == 0:
            await conn.execute(release_marks.insert().values(name=name, value=value, updated_at=now))
