"""Alembic's environment: the models' metadata is the target, whatever tables later revisions add.

The database comes from, in order: a connection handed over by storage.migrate
(`config.attributes["connection"]`), `-x url=...`, $DATABASE_URL, alembic.ini's sqlalchemy.url.
SQLite runs in batch mode (ALTER TABLE by copy).
"""

from __future__ import annotations

import os
from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from storage import career_center_models, models, proofread_models
from storage.engine import render, sync_url

config = context.config
target_metadata = models.Base.metadata  # career_center_models' tables join it on import
assert career_center_models.TemplateVersionRow.__tablename__ in target_metadata.tables
assert proofread_models.CommunityWordRow.__tablename__ in target_metadata.tables


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL")
    if not url:
        url = config.get_main_option("sqlalchemy.url") or "sqlite:///followthrough.db"
    return render(sync_url(url))


def _include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """What autogenerate (and `alembic check`) compares: every table the models define. Tables a
    migration creates for a library that defines them itself (slack-sdk's OAuth stores) are not
    in our metadata and are left out of the comparison, instead of being reported as extra."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        include_name=_include_name,
    )


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given: Connection | None = config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
