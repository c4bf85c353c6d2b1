"""The workshop database engine: SQLite by default, PostgreSQL when the config's database URL says so,
and its schema, kept by the Alembic revisions in `crosspilot/workshop/migrations/`.

SQLite runs in WAL mode with a busy timeout, and write transactions start with BEGIN IMMEDIATE
so that two writers queue for the lock instead of failing half-way; reads stay concurrent.

`make_engine` upgrades the database to the newest revision before anything uses it. Several workers
start at once, so the upgrade runs inside one transaction holding a lock: a transaction-level advisory
lock on PostgreSQL, the database's write lock (BEGIN IMMEDIATE) on SQLite. Whoever comes second waits,
then finds the schema current. A database made before the migrations existed (tables from
`metadata.create_all`, no `alembic_version`) is recognised as the first revision and upgraded from there.

A database that does not answer (PostgreSQL stopped or unreachable, SQLite locked past the busy timeout,
its file or folder read-only) raises `Unavailable` (503, "nothing was saved"), never a driver error.
After such a failure the pool is emptied, so the next request opens fresh connections: PostgreSQL's
are also pinged on checkout (pool_pre_ping), and SQLite, which keeps a connection opened while its file
was read-only read-only for good, is reopened read-write once the file is writable again.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect, text

from crosspilot.i18n import t
from crosspilot.workshop.errors import Unavailable

BUSY_TIMEOUT_MS = 10_000
# What a database that does not answer raises; anything else is a bug and stays a 500.
FAULTS = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The revision that `metadata.create_all` made before there were migrations.
BASELINE = "0001"
# pg_advisory_xact_lock key of the schema upgrade: any fixed 64-bit number, the same in every worker.
SCHEMA_LOCK = 0x637270_736368  # "crp" "sch"


def unavailable(error: BaseException | None = None) -> Unavailable:
    why = f" ({type(getattr(error, 'orig', None) or error).__name__})" if error is not None else ""
    return Unavailable(
        t(
            "The workshop database is unavailable{why}: nothing was saved. Try again in a few seconds.",
            why=why,
        )
    )


@contextmanager
def answering(engine: Engine | None = None):
    """Turn a database fault inside the block into `Unavailable`, after emptying the pool so that the
    next request starts on fresh connections."""
    try:
        yield
    except FAULTS as error:
        if engine is not None:
            engine.dispose()
        raise unavailable(error) from error


def make_engine(url: str, upgrade: bool = True) -> Engine:
    """An engine on `url`; with `upgrade` (the default) the schema is brought to the newest revision.
    Raises `Unavailable` when the database cannot be reached or created (it is tried again next time)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own handling defers it).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):
            immediate = connection.get_execution_options().get("write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if upgrade:
        try:
            with answering(engine):
                upgrade_schema(engine)
        except Unavailable:
            engine.dispose()
            raise
    return engine


@contextmanager
def writing(engine: Engine):
    """A short write transaction (BEGIN IMMEDIATE on SQLite), committed on success."""
    with answering(engine), engine.connect().execution_options(write=True) as connection, connection.begin():
        yield connection


@contextmanager
def reading(engine: Engine):
    with answering(engine), engine.connect() as connection, connection.begin():
        yield connection


# --- schema ----------------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    """Alembic's settings in code, so that start-up finds the revisions wherever the app runs from
    (alembic.ini at the repository's root is only for the `alembic` command line)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revisions() -> frozenset[str]:
    """The newest revision(s) of the code: fixed for the life of the process."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(connection).get_current_heads())


@contextmanager
def schema_lock(engine: Engine):
    """A write transaction that holds the schema lock until it commits (or rolls back)."""
    with writing(engine) as connection:  # SQLite: BEGIN IMMEDIATE takes the database's write lock
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        yield connection


def adopt_unversioned(connection: Connection, stamp) -> bool:
    """Mark a database made by `metadata.create_all` (workshop tables, no alembic_version) as the
    baseline revision, so that upgrading goes on from there instead of creating its tables again.
    `stamp(revision)` writes the version; True when it did."""
    if current_revisions(connection) or not inspect(connection).has_table("workshop"):
        return False
    stamp(BASELINE)
    return True


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to the newest revision; safe when several processes start at once."""
    with engine.connect() as connection:
        if current_revisions(connection) == head_revisions():
            return  # the usual start: nothing to do, no lock taken
    # Several workers starting at once queue on the lock; on a loaded machine SQLite's busy timeout can
    # run out while another one migrates. Waiting a little and asking again is what a person would do.
    for attempt in range(4):
        try:
            with schema_lock(engine) as connection:
                command.upgrade(alembic_config(connection), "head")  # env.py re-checks under the lock
            return
        except exc.OperationalError:
            if attempt == 3:
                raise
            time.sleep(0.5 * (attempt + 1))
