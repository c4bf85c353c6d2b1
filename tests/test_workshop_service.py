"""The workshop service on SQLite and on a real PostgreSQL server: votes, rounds, rules, audit."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from crosspilot.spreadsheet import safe_cell
from crosspilot.workshop import Forbidden, RateLimited, WorkshopError, WorkshopService
from crosspilot.workshop.report import to_csv, to_html, to_markdown
from crosspilot.workshop.rules import consensus, outcome_status
from crosspilot.workshop.service import Conflict, NotFound
from crosspilot.workshop.store import make_engine

PG_URL = os.environ.get("CROSSPILOT_TEST_DATABASE_URL")


def postgres_url() -> str:
    """The PostgreSQL test URL; only a developer without it skips, CI must have it."""
    if PG_URL:
        return PG_URL
    if os.environ.get("CI"):
        pytest.fail("CI must set CROSSPILOT_TEST_DATABASE_URL (see scripts/pg_test_server.sh)")
    pytest.skip("CROSSPILOT_TEST_DATABASE_URL is not set: no PostgreSQL server to test against")


def reset_postgres(url: str) -> None:
    """Drop every table (alembic_version too) from the test database."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'workshop.db'}")
    else:
        reset_postgres(postgres_url())
        engine = make_engine(postgres_url())  # a fresh database each time: upgrade head from nothing
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(engine, clock):
    return WorkshopService(
        engine,
        admin_password="admin-pass-123",
        known_pilots={"hull", "turku", "houten"},
        titles={"lesson:trust": "Trust takes time"},
        clock=clock,
    )


AGENDA = ["lesson:trust", "/compare?indicator=reach", "governance:hull"]


@pytest.fixture
def room(service):
    created = service.create_workshop("Validation day", AGENDA, rounds=2)
    return created


def open_item(service, room, position):
    service.goto(room.workshop_id, room.facilitator_secret, position)
    service.set_voting(room.workshop_id, room.facilitator_secret, True)


def test_create_gives_a_hard_to_guess_code_and_titles_from_the_catalogue(service, room):
    state = service.state(room.workshop_id)
    assert len(room.join_code) == 8 and room.join_code.isalnum()
    assert len(room.facilitator_secret) >= 32
    assert [i["kind"] for i in state["agenda"]] == ["lesson", "slide", "governance"]
    assert state["agenda"][0]["title"] == "Trust takes time"
    assert state["round"] == 1 and not state["voting_open"]
    other = service.create_workshop("Second", ["lesson:trust"])
    assert other.join_code != room.join_code and other.workshop_id != room.workshop_id


@pytest.mark.parametrize(
    "title, items, rounds, message",
    [
        ("", ["lesson:trust"], 1, "Title is required"),
        ("x", [], 1, "at least one item"),
        ("x", ["javascript:alert(1)"], 1, "Agenda item 1"),
        ("x", ["//evil.example/x"], 1, "Agenda item 1"),
        ("x", ["governance:atlantis"], 1, "unknown pilot"),
        ("x", ["lesson:made-up"], 1, "unknown lesson"),
        ("x", ["lesson:trust"], 9, "between 1 and 5"),
        ("x" * 300, ["lesson:trust"], 1, "longer than"),
    ],
)
def test_create_refuses_bad_input_with_a_clear_message(service, title, items, rounds, message):
    with pytest.raises(WorkshopError, match=message):
        service.create_workshop(title, items, rounds)


def test_a_second_vote_replaces_the_first(service, room):
    wid, token = service.join(room.join_code.lower(), "hull", "citizen")
    assert wid == room.workshop_id
    open_item(service, room, 0)
    first = service.vote(token, 0, "disagree", 2, "not in rural areas")
    second = service.vote(token, 0, "agree", 4, "")
    assert (first["replaced"], second["replaced"]) == (False, True)
    result = service.results(wid, 0)
    assert result.total == 1
    assert result.counts["agree"] == 1 and result.counts["disagree"] == 0
    assert result.by_pilot == {"hull": {"agree": 1, "agree_with_changes": 0, "disagree": 0, "cant_judge": 0}}
    assert service.my_vote(token, 0) == {"stance": "agree", "confidence": 4, "comment": "", "mark": None}


def test_votes_only_on_the_open_current_item(service, room, clock):
    _, token = service.join(room.join_code)
    with pytest.raises(Conflict, match="closed"):
        service.vote(token, 0, "agree")
    open_item(service, room, 0)
    with pytest.raises(Conflict, match="moved on"):
        service.vote(token, 2, "agree")
    service.set_timer(room.workshop_id, room.facilitator_secret, 30)
    clock.now += timedelta(seconds=31)
    with pytest.raises(Conflict, match="closed"):
        service.vote(token, 0, "agree")
    assert service.state(room.workshop_id)["voting_open"] is False
    with pytest.raises(WorkshopError, match="Mark: pilot:hull is not drawn on this item"):
        service.vote(token, 0, "agree", mark="pilot:hull")  # a lesson's vote is about the whole claim
    with pytest.raises(Forbidden):
        service.vote("not-a-real-token-at-all", 1, "agree")


def test_a_data_slide_takes_votes_on_its_marks_and_tallies_them(engine, clock):
    marks = {"pilot:hull": "Hull", "pilot:turku": "Turku"}
    service = WorkshopService(engine, clock=clock, slide_marks=lambda ref: marks if ref == "/compare" else {})
    room = service.create_workshop("Views only", ["/compare", "/overview"])  # slides alone are an agenda
    phones = [service.join(room.join_code)[1] for _ in range(3)]
    open_item(service, room, 0)
    service.vote(phones[0], 0, "disagree", comment="Not comparable with Hull", mark="pilot:turku")
    service.vote(phones[1], 0, "agree", mark="pilot:turku")
    service.vote(phones[2], 0, "agree_with_changes", comment="Label the baseline")
    with pytest.raises(WorkshopError, match="Mark: pilot:rome is not drawn"):
        service.vote(phones[2], 0, "agree", mark="pilot:rome")
    (turku,) = service.mark_tallies(room.workshop_id, 0)
    assert (turku.label, turku.votes, turku.comments) == ("Turku", 2, 1)
    assert turku.stances == {"disagree": 1, "agree": 1}
    assert service.my_vote(phones[0], 0)["mark"] == "pilot:turku"
    assert [c["mark"] for c in service.comments(room.workshop_id, 0)] == ["pilot:turku", None]
    # A slide's votes are feedback on the view: closing records no decision, an outcome is refused.
    service.set_voting(room.workshop_id, room.facilitator_secret, False)
    assert service.workshop_decisions(room.workshop_id) == []
    with pytest.raises(Conflict, match="A slide has no outcome"):
        service.override(room.workshop_id, room.facilitator_secret, 0, "validated", "because")
    # The report lists the comments by mark, and gives a slide no outcome.
    report = to_markdown("Views only", service.summary(room.workshop_id))
    assert "On Turku \\(votes: 2, comments: 1\\)" in report and "  - Not comparable with Hull" in report
    assert "On the whole item" in report and "feedback by mark, no outcome" in report
    page = to_html("Views only", service.summary(room.workshop_id))
    assert "<h3>On Turku (votes: 2, comments: 1)</h3>" in page


@pytest.mark.parametrize(
    "stance, confidence, comment, message",
    [
        ("maybe", 3, "", "Stance must be one of"),
        ("agree", 0, "", "between 1 and 5"),
        ("agree", "3", "", "whole number"),
        ("agree", 3, "x" * 501, "longer than 500"),
    ],
)
def test_bad_votes_are_refused(service, room, stance, confidence, comment, message):
    _, token = service.join(room.join_code)
    open_item(service, room, 0)
    with pytest.raises(WorkshopError, match=message):
        service.vote(token, 0, stance, confidence, comment)


def test_join_checks_code_pilot_and_stakeholder_type(service, room):
    with pytest.raises(NotFound):
        service.join("ABCDEFGH" if room.join_code != "ABCDEFGH" else "HGFEDCBA")
    with pytest.raises(WorkshopError, match="8 letters"):
        service.join("ABC")
    with pytest.raises(WorkshopError, match="Unknown pilot"):
        service.join(room.join_code, "atlantis")
    with pytest.raises(WorkshopError, match="Stakeholder type"):
        service.join(room.join_code, None, "king")


def test_new_round_keeps_earlier_votes_and_counts_apart(service, room):
    _, a = service.join(room.join_code, "hull")
    _, b = service.join(room.join_code, "turku")
    open_item(service, room, 0)
    service.vote(a, 0, "disagree")
    service.vote(b, 0, "agree")
    state = service.new_round(room.workshop_id, room.facilitator_secret)
    assert state["round"] == 2 and state["position"] == 0 and not state["voting_open"]
    service.set_voting(room.workshop_id, room.facilitator_secret, True)
    service.vote(a, 0, "agree")
    assert service.results(room.workshop_id, 0, 1).counts["disagree"] == 1
    assert service.results(room.workshop_id, 0, 2).counts == {
        "agree": 1,
        "agree_with_changes": 0,
        "disagree": 0,
        "cant_judge": 0,
    }
    history = service.round_history(room.workshop_id, 0)
    assert [(h["round"], h["total"], h["agreement"]) for h in history] == [(1, 2, 0.5), (2, 1, 1.0)]


def test_status_rules():
    assert outcome_status({"agree": 2})[0] == "needs_evidence"
    assert outcome_status({"agree": 3, "cant_judge": 2})[0] == "needs_evidence"
    assert outcome_status({"agree": 8, "agree_with_changes": 1, "disagree": 1}) == (
        "validated",
        "agreement 90%, consensus 0.48",
    )
    assert outcome_status({"agree": 4, "disagree": 4})[0] == "contested"
    # 80 % agree, but the rest disagree outright: too dispersed to call validated.
    assert outcome_status({"agree": 8, "disagree": 2})[0] == "contested"
    assert outcome_status({"agree": 7, "agree_with_changes": 3})[0] == "validated"
    # 75 % agree overall, but one pilot does not recognise the lesson at all.
    by_pilot = {"hull": {"agree": 6}, "turku": {"disagree": 2}}
    status, reason = outcome_status({"agree": 6, "disagree": 2}, by_pilot)
    assert status == "context_specific" and "turku agrees 0%" in reason
    assert consensus({"agree": 5}) == 1.0
    assert consensus({"agree": 5, "disagree": 5}) == 0.0


def test_closing_records_the_rules_outcome_and_override_wins_with_a_reason(service, room, clock):
    tokens = [service.join(room.join_code, "hull", "public_sector")[1] for _ in range(4)]
    open_item(service, room, 0)
    for token in tokens:
        service.vote(token, 0, "agree")
    clock.now += timedelta(minutes=1)
    service.set_voting(room.workshop_id, room.facilitator_secret, False)
    [decision] = service.decisions_for("lesson:trust")
    assert decision.status == "validated" and decision.rule_status == "validated"
    assert "rule" in decision.decided_by
    clock.now += timedelta(minutes=1)
    override = service.override(
        room.workshop_id, room.facilitator_secret, 0, "context_specific", "Only urban pilots were here", "Ana"
    )
    assert override.decided_by == "Ana (facilitator)"
    history = service.decisions_for("lesson:trust")
    assert [d.status for d in history] == ["validated", "context_specific"]
    assert history[-1].reason == "Only urban pilots were here"
    assert history[-1].rule_status == "validated"
    assert [d.item_id for d in service.all_decisions()] == ["lesson:trust", "lesson:trust"]
    with pytest.raises(WorkshopError, match="Reason is required"):
        service.override(room.workshop_id, room.facilitator_secret, 0, "validated", "  ")
    with pytest.raises(WorkshopError, match="Status must be one of"):
        service.override(room.workshop_id, room.facilitator_secret, 0, "approved", "because")


def test_facilitator_actions_need_the_secret_or_the_admin_password(service, room):
    for attempt in (None, "", "wrong", room.join_code):
        with pytest.raises(Forbidden):
            service.set_voting(room.workshop_id, attempt, True)
    assert service.authorise(room.workshop_id, "admin-pass-123") == "admin"
    other = service.create_workshop("Other room", ["lesson:trust"])
    with pytest.raises(Forbidden):
        service.goto(room.workshop_id, other.facilitator_secret, 0)
    with pytest.raises(NotFound):
        service.goto("nope", room.facilitator_secret, 0)


def test_audit_trail_says_who_did_what_when(service, room, clock):
    service.goto(room.workshop_id, room.facilitator_secret, 2)
    clock.now += timedelta(seconds=5)
    service.set_revealed(room.workshop_id, "admin-pass-123", True)
    service.override(room.workshop_id, room.facilitator_secret, 2, "needs_evidence", "No data yet")
    trail = service.audit_trail(room.workshop_id, room.facilitator_secret)
    assert [(e["actor"], e["action"]) for e in trail] == [
        ("facilitator", "create"),
        ("facilitator", "goto"),
        ("admin", "reveal"),
        ("facilitator", "override"),
    ]
    assert trail[1]["detail"] == {"position": 2, "ref": "governance:hull"}
    assert trail[3]["detail"]["reason"] == "No data yet"
    assert trail[2]["at"] > trail[1]["at"]
    with pytest.raises(Forbidden):
        service.audit_trail(room.workshop_id, "guess")


def test_hidden_comments_leave_the_wall_but_not_the_facilitators_list(service, room):
    _, a = service.join(room.join_code)
    _, b = service.join(room.join_code)
    open_item(service, room, 0)
    service.vote(a, 0, "agree", 3, "<script>alert(1)</script> rude")
    service.vote(b, 0, "agree", 3, "useful")
    wall = service.comments(room.workshop_id, 0)
    assert [c["text"] for c in wall] == ["<script>alert(1)</script> rude", "useful"]
    service.hide_comment(room.workshop_id, room.facilitator_secret, wall[0]["id"])
    assert [c["text"] for c in service.comments(room.workshop_id, 0)] == ["useful"]
    assert len(service.comments(room.workshop_id, 0, include_hidden=True)) == 2
    other = service.create_workshop("Other", ["lesson:trust"])
    with pytest.raises(NotFound):
        service.hide_comment(other.workshop_id, other.facilitator_secret, wall[1]["id"])


def test_rate_limit_is_per_participant(engine, clock):
    service = WorkshopService(engine, rate_limit=(3, 3600), clock=clock)
    room = service.create_workshop("Rate", ["lesson:trust"])
    _, a = service.join(room.join_code)
    _, b = service.join(room.join_code)
    open_item(service, room, 0)
    for stance in ("agree", "disagree", "agree"):
        service.vote(a, 0, stance)
    with pytest.raises(RateLimited):
        service.vote(a, 0, "cant_judge")
    # The neighbour on the same venue network still votes.
    assert service.vote(b, 0, "agree")["stored"]
    assert service.results(room.workshop_id, 0).counts["agree"] == 2


def test_exports_are_safe_for_spreadsheets_and_never_html(service, room):
    _, token = service.join(room.join_code)
    open_item(service, room, 0)
    service.vote(token, 0, "agree", 3, '=HYPERLINK("http://x")')
    service.override(room.workshop_id, room.facilitator_secret, 0, "validated", "+1 from the room", "=cmd")
    summary = service.summary(room.workshop_id)
    text = to_csv(summary)
    assert "'+1 from the room" in text and "'=cmd (facilitator)" in text
    assert safe_cell("-2") == "'-2" and safe_cell(3) == 3
    html_page = to_html("<b>Day</b>", summary)
    assert "&lt;b&gt;Day&lt;/b&gt;" in html_page and "<b>Day</b>" not in html_page
    markdown = to_markdown("Day", summary)
    assert "Validated" in markdown and "█" in markdown
