"""Snapshot records in the workshop database: written once, read by id, listed newest first.

The engine is the workshop's (crosspilot/workshop/store.py): SQLite by default, PostgreSQL when
DATABASE_URL says so, its schema kept by Alembic. A database that does not answer raises `Unavailable`
(503) and the next request opens fresh connections.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, exc, insert, select

from crosspilot.snapshots.files import Manifest
from crosspilot.snapshots.models import snapshots
from crosspilot.workshop import store as db
from crosspilot.workshop.errors import Unavailable

# 128 random bits, URL-safe: a snapshot's link cannot be guessed from another's.
ID_BYTES = 16
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


@dataclass(frozen=True)
class Record:
    """One published snapshot, as stored."""

    id: str
    page: str
    link: str
    view: dict
    title: str
    data_version: str
    content_hash: str
    manifest: Manifest
    decisions: tuple[dict, ...]
    software_version: str
    created_at: datetime

    @property
    def short_version(self) -> str:
        return self.data_version[:8]


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def is_id(value: object) -> bool:
    return isinstance(value, str) and bool(ID_PATTERN.match(value))


class SnapshotStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] | None = None):
        self.engine = engine
        self._now = clock or (lambda: datetime.now(UTC))

    def save(self, fingerprint: str, **values) -> tuple[Record, bool]:
        """Store a new snapshot, or return the one already stored with this fingerprint; True when new.
        Two workers publishing the same at once store it once (the fingerprint is unique)."""
        found = self.by_fingerprint(fingerprint)
        if found is not None:
            return found, False
        row = {
            "id": new_id(),
            "fingerprint": fingerprint,
            "page": values["page"],
            "link": values["link"],
            "view": json.dumps(values["view"], sort_keys=True, ensure_ascii=False),
            "title": values["title"][:300],
            "data_version": values["data_version"],
            "content_hash": values["content_hash"],
            "manifest": json.dumps(values["manifest"].as_list()),
            "decisions": json.dumps(list(values["decisions"]), sort_keys=True, ensure_ascii=False),
            "software_version": values["software_version"][:100],
            "created_at": self._now(),
        }
        try:
            self._insert(row)
        except exc.IntegrityError:
            found = self.by_fingerprint(fingerprint)
            if found is None:
                raise
            return found, False
        return _record(row), True

    def _insert(self, row: dict) -> None:
        # One more try on fresh connections: a connection pooled while the SQLite file was read-only
        # stays read-only, and the failed try has emptied the pool (nothing was written by it).
        for attempt in (1, 2):
            try:
                with db.writing(self.engine) as conn:
                    conn.execute(insert(snapshots).values(**row))
                return
            except Unavailable:
                if attempt == 2:
                    raise

    def get(self, snapshot_id: object) -> Record | None:
        if not is_id(snapshot_id):
            return None
        with db.reading(self.engine) as conn:
            row = conn.execute(select(snapshots).where(snapshots.c.id == snapshot_id)).mappings().first()
        return _record(row) if row is not None else None

    def by_fingerprint(self, fingerprint: str) -> Record | None:
        with db.reading(self.engine) as conn:
            row = (
                conn.execute(select(snapshots).where(snapshots.c.fingerprint == fingerprint))
                .mappings()
                .first()
            )
        return _record(row) if row is not None else None

    def recent(self, limit: int = 200) -> list[Record]:
        """The newest `limit` snapshots, newest first."""
        with db.reading(self.engine) as conn:
            rows = (
                conn.execute(
                    select(snapshots).order_by(snapshots.c.created_at.desc(), snapshots.c.id).limit(limit)
                )
                .mappings()
                .all()
            )
        return [_record(row) for row in rows]


def _record(row) -> Record:
    created = row["created_at"]
    if created.tzinfo is None:  # SQLite returns naive datetimes; everything stored is UTC
        created = created.replace(tzinfo=UTC)
    return Record(
        id=row["id"],
        page=row["page"],
        link=row["link"],
        view=json.loads(row["view"]),
        title=row["title"],
        data_version=row["data_version"],
        content_hash=row["content_hash"],
        manifest=Manifest.from_list(json.loads(row["manifest"])),
        decisions=tuple(json.loads(row["decisions"])),
        software_version=row["software_version"],
        created_at=created,
    )
