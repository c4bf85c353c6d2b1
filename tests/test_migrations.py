"""The workshop database's Alembic revisions on SQLite and PostgreSQL: a fresh database, one made by the
code before migrations (create_all, no alembic_version) with its votes, workers starting at once, and
`alembic upgrade head` from the command line."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text

from crosspilot.workshop import WorkshopService
from crosspilot.workshop.models import metadata, votes
from crosspilot.workshop.store import current_revisions, head_revisions, make_engine
from tests.test_workshop_service import postgres_url

ROOT = Path(__file__).resolve().parent.parent
TABLES = {
    "workshop",
    "workshop_item",
    "workshop_participant",
    "workshop_vote",
    "workshop_decision",
    "workshop_audit",
}
PILOTS = {"hull", "turku"}
TITLES = {"lesson:trust": "Trust takes time"}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A database of its own, that nothing has touched yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workshop.db'}"
        return
    server = postgres_url()
    name = f"crosspilot_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def revisions(url: str) -> frozenset[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return current_revisions(conn)
    finally:
        engine.dispose()


def test_upgrade_head_on_a_fresh_database_makes_the_tables_the_models_describe(url):
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
            assert current_revisions(conn) == head_revisions()
            # The revisions and models.py describe the same schema: nothing left to autogenerate.
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        room = WorkshopService(engine, titles=TITLES).create_workshop("Fresh", ["lesson:trust"])
        assert WorkshopService(engine).state(room.workshop_id)["title"] == "Fresh"
    finally:
        engine.dispose()


def fill_the_old_way(url: str) -> dict:
    """A database as the code before migrations left it: `metadata.create_all` (what store.create_tables
    did; models.py is still revision 0001, which the test above checks) and a workshop run on it.
    When the models change, build this from revision 0001 instead (upgrade to 0001, drop alembic_version)."""
    engine = create_engine(url)
    metadata.create_all(engine)
    service = WorkshopService(engine, known_pilots=PILOTS, titles=TITLES)
    room = service.create_workshop("Before migrations", ["lesson:trust", "/compare", "governance:hull"], 2)
    key = room.facilitator_secret
    tokens = [service.join(room.join_code, pilot, "citizen")[1] for pilot in ("hull", "turku", "hull")]
    service.set_voting(room.workshop_id, key, True)
    for token, stance in zip(tokens, ("agree", "agree", "disagree"), strict=True):
        service.vote(token, 0, stance, 4, f"{stance} from round 1")
    service.set_voting(room.workshop_id, key, False)  # records the rules' decision
    service.new_round(room.workshop_id, key)
    service.set_voting(room.workshop_id, key, True)
    service.vote(tokens[0], 0, "agree_with_changes", 2, "second thoughts")
    service.override(room.workshop_id, key, 0, "context_specific", "Only two pilots", "Ana")
    before = {
        "room": room,
        "tokens": tokens,
        "results": [service.results(room.workshop_id, 0, r).counts for r in (1, 2)],
        "comments": service.comments(room.workshop_id, 0, 1),
        "decisions": [d.as_dict() for d in service.decisions_for("lesson:trust")],
        "audit": service.audit_trail(room.workshop_id, key),
        "votes": 4,
    }
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(votes)).scalar_one() == before["votes"]
        assert not inspect(conn).has_table("alembic_version")
    engine.dispose()
    return before


def assert_everything_is_still_there(url: str, before: dict) -> None:
    service = WorkshopService.from_url(url, known_pilots=PILOTS, titles=TITLES)
    room, tokens = before["room"], before["tokens"]
    try:
        with service.engine.connect() as conn:
            assert current_revisions(conn) == head_revisions()
            assert conn.execute(select(func.count()).select_from(votes)).scalar_one() == before["votes"]
        assert [service.results(room.workshop_id, 0, r).counts for r in (1, 2)] == before["results"]
        assert service.results(room.workshop_id, 0, 1).counts == {
            "agree": 2,
            "agree_with_changes": 0,
            "disagree": 1,
            "cant_judge": 0,
        }
        assert service.comments(room.workshop_id, 0, 1) == before["comments"]
        assert [d.as_dict() for d in service.decisions_for("lesson:trust")] == before["decisions"]
        assert service.audit_trail(room.workshop_id, room.facilitator_secret) == before["audit"]
        # The room goes on: an old participant's token still votes, the facilitator's key still works.
        assert service.my_vote(tokens[0], 0)["stance"] == "agree_with_changes"
        assert service.vote(tokens[1], 0, "agree")["replaced"] is False
        assert service.results(room.workshop_id, 0, 2).total == 2
    finally:
        service.engine.dispose()


def test_a_database_made_before_migrations_keeps_every_vote(url):
    before = fill_the_old_way(url)
    assert_everything_is_still_there(url, before)
    assert revisions(url) == head_revisions()


def test_alembic_upgrade_head_on_the_command_line(url):
    before = fill_the_old_way(url)
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert revisions(url) == head_revisions()
    assert_everything_is_still_there(url, before)
    again = subprocess.run(
        [sys.executable, "-m", "alembic", "current"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "0001" in again.stdout and "(head)" in again.stdout


def _start_a_worker(url: str, barrier, answers) -> None:
    try:
        barrier.wait(timeout=30)
        engine = make_engine(url)
        room = WorkshopService(engine, titles=TITLES).create_workshop("Worker", ["lesson:trust"])
        with engine.connect() as conn:
            answers.put(("ok", room.workshop_id, sorted(current_revisions(conn))))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
        answers.put(("failed", repr(error), []))


def test_workers_starting_at_once_on_a_fresh_database_all_succeed(url):
    workers = 4
    fork = multiprocessing.get_context("fork")
    barrier, answers = fork.Barrier(workers), fork.Queue()
    started = [fork.Process(target=_start_a_worker, args=(url, barrier, answers)) for _ in range(workers)]
    for process in started:
        process.start()
    found = [answers.get(timeout=120) for _ in started]
    for process in started:
        process.join(timeout=30)
    assert [answer[0] for answer in found] == ["ok"] * workers, found
    assert {tuple(answer[2]) for answer in found} == {tuple(sorted(head_revisions()))}
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM workshop")).scalar_one() == workers
    engine.dispose()
