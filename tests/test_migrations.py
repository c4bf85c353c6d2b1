"""The workshop database's Alembic revisions on SQLite and PostgreSQL: a fresh database, one made by the
code before migrations (create_all, no alembic_version) with its votes, workers starting at once, and
`alembic upgrade head` from the command line."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, func, inspect, select, text

from crosspilot.accounts.models import metadata as accounts_metadata
from crosspilot.snapshots.models import metadata as snapshot_metadata
from crosspilot.versions.models import metadata as versions_metadata
from crosspilot.workshop import WorkshopService
from crosspilot.workshop.models import metadata, votes
from crosspilot.workshop.participants import digest
from crosspilot.workshop.store import alembic_config, current_revisions, head_revisions, make_engine
from tests.test_workshop_service import postgres_url

ROOT = Path(__file__).resolve().parent.parent
TABLES = {
    "workshop",
    "workshop_item",
    "workshop_participant",
    "workshop_vote",
    "workshop_decision",
    "workshop_audit",
    "workshop_reveal",
    "workshop_join_failure",
    "snapshot",
    "dataset_version",
    "dataset_active",
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
            assert (
                compare_metadata(
                    MigrationContext.configure(conn),
                    [metadata, snapshot_metadata, accounts_metadata, versions_metadata],
                )
                == []
            )
        room = WorkshopService(engine, titles=TITLES).create_workshop("Fresh", ["lesson:trust"])
        assert WorkshopService(engine).state(room.workshop_id)["title"] == "Fresh"
    finally:
        engine.dispose()


ROOM = "oldroom1"
SECRET = "an-old-facilitator-key-0001"
TOKENS = ["old-token-hull-0001", "old-token-turku-0002", "old-token-hull-0003"]
AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def fill_at_0001(url: str, versioned: bool) -> dict:
    """A database at revision 0001 with a workshop run on it: three participants, four votes over two
    rounds, two decisions and an audit trail. Without `versioned` its alembic_version is dropped: the
    database as `metadata.create_all` left it before there were migrations.

    The rows are written into the tables revision 0001 made (reflected), not through today's models or
    service, whose inserts name columns that revision does not have."""
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    with engine.begin() as conn:
        if not versioned:
            conn.execute(text("DROP TABLE alembic_version"))
        old = MetaData()
        old.reflect(conn)
        assert "practice" not in old.tables["workshop"].c  # really the old schema
        t = old.tables
        conn.execute(
            t["workshop"]
            .insert()
            .values(
                id=ROOM,
                title="Before migrations",
                join_code="HJKM2345",
                secret_hash=digest(SECRET),
                rounds_planned=2,
                current_round=2,
                current_position=0,
                voting_open=True,
                revealed=False,
                created_at=AT,
            )
        )
        conn.execute(
            t["workshop_item"].insert(),
            [
                {
                    "workshop_id": ROOM,
                    "position": 0,
                    "kind": "lesson",
                    "ref": "lesson:trust",
                    "title": "Trust takes time",
                },
                {
                    "workshop_id": ROOM,
                    "position": 1,
                    "kind": "slide",
                    "ref": "/compare",
                    "title": "/compare",
                },
                {
                    "workshop_id": ROOM,
                    "position": 2,
                    "kind": "governance",
                    "ref": "governance:hull",
                    "title": "governance:hull",
                },
            ],
        )
        conn.execute(
            t["workshop_participant"].insert(),
            [
                {
                    "workshop_id": ROOM,
                    "token_hash": digest(token),
                    "pilot_id": pilot,
                    "stakeholder_type": "citizen",
                    "created_at": AT,
                    "rate_window": 0,
                    "rate_count": 0,
                }
                for n, (token, pilot) in enumerate(zip(TOKENS, ("hull", "turku", "hull"), strict=True))
            ],
        )
        item = conn.execute(select(t["workshop_item"].c.id).where(t["workshop_item"].c.position == 0))
        item_id = item.scalar_one()
        people = dict(
            conn.execute(select(t["workshop_participant"].c.token_hash, t["workshop_participant"].c.id)).all()
        )
        person = [people[digest(token)] for token in TOKENS]
        ballots = [
            (1, 1, 1, "agree", 4, "agree from round 1"),
            (2, 1, 2, "agree", 4, "agree from round 1"),
            (3, 1, 3, "disagree", 4, "disagree from round 1"),
            (4, 2, 1, "agree_with_changes", 2, "second thoughts"),
        ]
        conn.execute(
            t["workshop_vote"].insert(),
            [
                {
                    "item_id": item_id,
                    "round": r,
                    "participant_id": person[p - 1],
                    "stance": s,
                    "confidence": c,
                    "comment": text_,
                    "comment_hidden": False,
                    "updated_at": AT + timedelta(seconds=i),
                }
                for i, r, p, s, c, text_ in ballots
            ],
        )
        conn.execute(
            t["workshop_decision"].insert(),
            [
                {
                    "workshop_id": ROOM,
                    "item_ref": "lesson:trust",
                    "round": 1,
                    "status": "validated",
                    "rule_status": "validated",
                    "reason": "Rule: 67 % agree (3 votes)",
                    "decided_by": "rule, when the facilitator closed voting",
                    "decided_at": AT,
                },
                {
                    "workshop_id": ROOM,
                    "item_ref": "lesson:trust",
                    "round": 2,
                    "status": "context_specific",
                    "rule_status": "needs_evidence",
                    "reason": "Only two pilots",
                    "decided_by": "Ana (facilitator)",
                    "decided_at": AT + timedelta(minutes=5),
                },
            ],
        )
        conn.execute(
            t["workshop_audit"].insert(),
            [
                {
                    "workshop_id": ROOM,
                    "at": AT,
                    "actor": "facilitator",
                    "action": "create",
                    "detail": '{"items": 3}',
                },
                {
                    "workshop_id": ROOM,
                    "at": AT + timedelta(minutes=5),
                    "actor": "facilitator",
                    "action": "override",
                    "detail": '{"status": "context_specific"}',
                },
            ],
        )
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(votes)).scalar_one() == len(ballots)
        assert inspect(conn).has_table("alembic_version") is versioned
    engine.dispose()
    return {"votes": len(ballots)}


def fill_the_old_way(url: str) -> dict:
    """A database as the code before migrations left it: revision 0001's tables, no alembic_version."""
    return fill_at_0001(url, versioned=False)


def assert_everything_is_still_there(url: str, before: dict) -> None:
    service = WorkshopService.from_url(url, known_pilots=PILOTS, titles=TITLES)
    try:
        with service.engine.connect() as conn:
            assert current_revisions(conn) == head_revisions()
            assert conn.execute(select(func.count()).select_from(votes)).scalar_one() == before["votes"]
        assert service.results(ROOM, 0, 1).counts == {
            "agree": 2,
            "agree_with_changes": 0,
            "disagree": 1,
            "cant_judge": 0,
        }
        assert service.results(ROOM, 0, 2).counts["agree_with_changes"] == 1
        assert [c["text"] for c in service.comments(ROOM, 0, 1)] == [
            "agree from round 1",
            "agree from round 1",
            "disagree from round 1",
        ]
        assert [(d.status, d.reason, d.round) for d in service.decisions_for("lesson:trust")] == [
            ("validated", "Rule: 67 % agree (3 votes)", 1),
            ("context_specific", "Only two pilots", 2),
        ]
        assert [e["action"] for e in service.audit_trail(ROOM, SECRET)] == ["create", "override"]
        # The new columns read as their defaults on the old rows.
        state = service.state(ROOM)
        assert (state["practice"], state["facilitator_name"], state["participants"]) == (False, "", 3)
        # The room goes on: an old participant's token still votes, the facilitator's key still works.
        assert service.my_vote(TOKENS[0], 0)["stance"] == "agree_with_changes"
        assert service.vote(TOKENS[1], 0, "agree")["replaced"] is False
        assert service.results(ROOM, 0, 2).total == 2
        assert service.set_voting(ROOM, SECRET, False)["voting_open"] is False
    finally:
        service.engine.dispose()


def test_a_database_made_before_migrations_keeps_every_vote(url):
    before = fill_the_old_way(url)
    assert_everything_is_still_there(url, before)
    assert revisions(url) == head_revisions()


def test_a_database_at_0001_with_votes_upgrades_to_head_keeping_them(url):
    before = fill_at_0001(url, versioned=True)
    assert revisions(url) == {"0001"}
    assert_everything_is_still_there(url, before)
    assert revisions(url) == head_revisions() == {"0006"}


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
    assert "0006" in again.stdout and "(head)" in again.stdout


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
