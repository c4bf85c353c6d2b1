"""Alembic's entry for the workshop database, from start-up (`store.upgrade_schema`, which hands over a
connection already holding the schema lock) and from the command line (`alembic upgrade head` in the
repository's folder, against DATABASE_URL or the default SQLite file, taking the same lock)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from crosspilot.accounts.models import metadata as accounts_metadata
from crosspilot.config import Config
from crosspilot.snapshots.models import metadata as snapshot_metadata
from crosspilot.versions.models import metadata as versions_metadata
from crosspilot.workshop import store
from crosspilot.workshop.models import metadata as workshop_metadata

# Every table in the database: autogenerate must never propose dropping the snapshots' one.
metadata = [workshop_metadata, snapshot_metadata, accounts_metadata, versions_metadata]

config = context.config


def run(connection: Connection) -> None:
    # render_as_batch: SQLite alters a table by copying it; later revisions then work on both databases.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    store.adopt_unversioned(
        connection, lambda revision: context.get_context().stamp(context.script, revision)
    )
    with context.begin_transaction():  # inside the caller's transaction: committed with the lock's
        context.run_migrations()


def url() -> str:
    return config.get_main_option("sqlalchemy.url") or Config.from_env().database()


if context.is_offline_mode():  # `alembic upgrade head --sql`: print the SQL, touch nothing
    context.configure(url=url(), target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
elif "connection" in config.attributes:
    run(config.attributes["connection"])
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = store.make_engine(url(), upgrade=False)
    try:
        with store.schema_lock(engine) as connection:
            run(connection)
    finally:
        engine.dispose()
