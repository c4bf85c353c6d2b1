"""Snapshot records on SQLite and PostgreSQL: stored once per fingerprint (also when two workers publish
at once), read back exactly, listed newest first; and revision 0003 only adds its table."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, func, inspect, select, text

from crosspilot.snapshots.files import Entry, Manifest
from crosspilot.snapshots.store import SnapshotStore
from crosspilot.workshop import WorkshopService
from crosspilot.workshop.models import decisions, votes
from crosspilot.workshop.store import alembic_config, current_revisions, make_engine
from tests.test_migrations import ROOM, fill_at_0001, url  # noqa: F401  (url: a fresh SQLite or PostgreSQL database)
from tests.test_workshop_service import engine  # noqa: F401  (SQLite and PostgreSQL, upgraded to head)

MANIFEST = Manifest((Entry("pilots.csv", "a" * 64, 120), Entry("lessons/trust.md", "b" * 64, 900)))


def values(**changes) -> dict:
    return {
        "page": "/compare",
        "link": "/compare?mode=indexed",
        "view": {"page": "compare", "indicators": ["participants"], "mode": "indexed"},
        "title": "Compare: Participants — Võru & Wrocław",
        "data_version": "1d25df3592d58707",
        "content_hash": MANIFEST.content_hash,
        "manifest": MANIFEST,
        "decisions": [{"item_id": "lesson:trust", "status": "validated", "results": {"total": 3}}],
        "software_version": "0.1.0+abc",
        **changes,
    }


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 1, 12, tzinfo=UTC)

    def __call__(self):
        self.now += timedelta(minutes=1)
        return self.now


def test_a_snapshot_is_stored_once_and_read_back_exactly(engine):  # noqa: F811
    store = SnapshotStore(engine, clock=Clock())
    record, new = store.save("f" * 64, **values())
    assert new
    again, new_again = store.save("f" * 64, **values(title="anything else"))
    assert (again, new_again) == (store.get(record.id), False)
    assert again == record
    assert record.title == "Compare: Participants — Võru & Wrocław"
    assert record.manifest == MANIFEST and record.view["mode"] == "indexed"
    assert record.decisions[0]["results"] == {"total": 3}
    assert record.created_at == datetime(2026, 3, 1, 12, 1, tzinfo=UTC)
    other, _ = store.save("e" * 64, **values(link="/compare"))
    assert [r.id for r in store.recent()] == [other.id, record.id]  # newest first
    assert store.recent(limit=1) == [other]
    for missing in ("x" * 22, "", None, "../../etc", "a" * 200, 42):
        assert store.get(missing) is None


def test_two_workers_publishing_the_same_at_once_store_it_once(engine):  # noqa: F811
    stores = [SnapshotStore(engine) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda s: s.save("c" * 64, **values()), stores))
    assert len({record.id for record, _ in results}) == 1
    assert sum(new for _, new in results) == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM snapshot")).scalar_one() == 1


def test_a_stored_manifest_that_names_a_path_outside_the_dataset_is_refused(engine):  # noqa: F811
    store = SnapshotStore(engine)
    record, _ = store.save("d" * 64, **values())
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE snapshot SET manifest = :m WHERE id = :id"),
            {"m": json.dumps([{"name": "../../etc/passwd", "sha256": "a" * 64, "size": 1}]), "id": record.id},
        )
    with pytest.raises(ValueError, match="cannot have"):
        store.get(record.id)


def columns(conn, table: str) -> list[tuple]:
    return [
        (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
        for c in inspect(conn).get_columns(table)
    ]


def test_revision_0003_only_adds_the_snapshot_table_keeping_every_vote(url):  # noqa: F811
    # A room with votes over two rounds and decisions, written into revision 0001's own tables (today's
    # models name columns later revisions add), then upgraded to 0002.
    before_rows = fill_at_0001(url, versioned=True)
    plain = create_engine(url)
    with plain.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
    with plain.connect() as conn:
        assert current_revisions(conn) == {"0002"}
        before = {name: columns(conn, name) for name in inspect(conn).get_table_names()}
    with plain.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
    try:
        with plain.connect() as conn:
            assert current_revisions(conn) == {"0003"}
            tables = set(inspect(conn).get_table_names())
            assert tables - set(before) == {"snapshot"}
            for name, kept in before.items():
                if name != "alembic_version":
                    assert columns(conn, name) == kept, name
            assert conn.execute(select(func.count()).select_from(votes)).scalar_one() == before_rows["votes"]
            assert conn.execute(select(func.count()).select_from(decisions)).scalar_one() == 2
        upgraded = make_engine(url)  # start-up: upgrade head (0004 adds a comment's language)
        assert WorkshopService(upgraded).results(ROOM, 0, 1).counts["agree"] == 2
        record, new = SnapshotStore(upgraded).save("b" * 64, **values())
        assert new and SnapshotStore(upgraded).get(record.id) == record
        upgraded.dispose()
    finally:
        plain.dispose()
