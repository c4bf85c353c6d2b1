"""The database: SQLite in the instance folder by default, PostgreSQL when `DATABASE_URL` says so.

SQLite runs in WAL mode with a busy timeout, and write transactions start with BEGIN IMMEDIATE
so that two writers queue for the lock instead of failing half-way; reads stay concurrent.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from crosspilot.workshop.models import metadata

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
INSTANCE = PROJECT_ROOT / "instance"
BUSY_TIMEOUT_MS = 10_000


def database_url(instance: Path = INSTANCE) -> str:
    """`DATABASE_URL`, else an SQLite file in the instance folder (created on first run)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'crosspilot.db'}"


def secret_key(instance: Path = INSTANCE) -> str:
    """`SECRET_KEY` from the environment, else one generated once and kept in the instance folder."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    try:
        # O_EXCL: when several workers start at once, exactly one writes the key and all read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            import time

            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


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
