"""The workshop database engine: SQLite by default, PostgreSQL when the config's database URL says so.

SQLite runs in WAL mode with a busy timeout, and write transactions start with BEGIN IMMEDIATE
so that two writers queue for the lock instead of failing half-way; reads stay concurrent.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from crosspilot.workshop.models import metadata

BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own handling defers it).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):
            immediate = connection.get_execution_options().get("write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    create_tables(engine)
    return engine


def create_tables(engine: Engine) -> None:
    """Create missing tables; several workers starting together may race, so retry once."""
    try:
        metadata.create_all(engine)
    except DBAPIError:
        metadata.create_all(engine)


@contextmanager
def writing(engine: Engine):
    """A short write transaction (BEGIN IMMEDIATE on SQLite), committed on success."""
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        yield connection


@contextmanager
def reading(engine: Engine):
    with engine.connect() as connection, connection.begin():
        yield connection
