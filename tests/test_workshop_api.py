"""The workshop JSON API through the Flask test client: the flow, refusals and bad input."""

from __future__ import annotations

import csv
import io

import pytest

from callbacks.workshop_api import BROWSER_COOKIE
from crosspilot.workshop.agenda import catalogue
from tests.conftest import make_app
from tests.helpers import sign_in


@pytest.fixture
def client(tmp_path):
    app = make_app(database_url=f"sqlite:///{tmp_path / 'api.db'}", admin_password="let-me-in-admin")
    client = sign_in(app)  # a partner's session: workshops are made by partners
    client.context = app.context
    lessons = [ref for ref in catalogue(app.context.snapshot) if ref.startswith("lesson:")]
    client.lesson = lessons[0]  # whatever lesson cards the bundled data has
    return client


@pytest.fixture
def room(client):
    response = client.post(
        "/api/workshops",
        json={"title": "Validation", "items": [client.lesson, "/compare", "governance:hull"]},
    )
    assert response.status_code == 201
    return response.json


def control(client, room, key=None, **body):
    headers = {"X-Facilitator-Key": room["facilitator_key"] if key is None else key}
    return client.post(f"/api/workshops/{room['id']}/control", json=body, headers=headers)


def join(client, room, **extra):
    """Join as a new person: from a browser of their own (no join cookie yet)."""
    client.delete_cookie(BROWSER_COOKIE)
    response = client.post("/api/join", json={"code": room["join_code"], **extra})
    assert response.status_code == 201, response.json
    return response.json["token"]


def vote(client, room, token, **body):
    return client.post(
        f"/api/workshops/{room['id']}/votes",
        json={"position": 0, **body},
        headers={"X-Participant-Token": token},
    )


def test_a_room_votes_changes_its_mind_and_reads_the_results(client, room):
    assert room["facilitator_url"].endswith("#key=" + room["facilitator_key"])
    a = join(client, room, pilot="hull", stakeholder_type="citizen")
    b = join(client, room, pilot="turku")
    assert control(client, room, action="open").json["voting_open"] is True
    assert vote(client, room, a, stance="disagree").json["replaced"] is False
    assert vote(client, room, a, stance="agree", confidence=5, comment="yes").json["replaced"] is True
    assert vote(client, room, b, stance="agree_with_changes").status_code == 200
    # Hidden until revealed; then the current item is public.
    assert client.get(f"/api/workshops/{room['id']}/results?position=0").status_code == 403
    control(client, room, action="reveal")
    public = client.get(f"/api/workshops/{room['id']}/results?position=0").json
    assert public["counts"] == {"agree": 1, "agree_with_changes": 1, "disagree": 0, "cant_judge": 0}
    assert public["by_pilot"]["hull"]["agree"] == 1 and public["by_stakeholder"]["citizen"]["agree"] == 1
    assert [c["text"] for c in public["comments"]] == ["yes"]
    state = client.get(f"/api/workshops/{room['id']}").json
    assert state["item"]["ref"] == client.lesson and state["participants"] == 2
    assert "secret_hash" not in state


def test_facilitator_actions_are_refused_without_the_key(client, room):
    for key in ("", "wrong-key", room["join_code"]):
        response = control(client, room, key=key, action="open")
        assert response.status_code == 403
        assert "facilitator key" in response.json["error"]
    assert client.get(f"/api/workshops/{room['id']}").json["voting_open"] is False
    assert client.get(f"/api/workshops/{room['id']}/export.csv").status_code == 403
    assert (
        client.get(f"/api/workshops/{room['id']}/audit", headers={"X-Facilitator-Key": "x"}).status_code
        == 403
    )
    # The admin password from the environment works for every workshop.
    assert control(client, room, key="let-me-in-admin", action="open").status_code == 200
    trail = client.get(
        f"/api/workshops/{room['id']}/audit", headers={"X-Facilitator-Key": "let-me-in-admin"}
    ).json
    assert [(e["actor"], e["action"]) for e in trail] == [("facilitator", "create"), ("admin", "open")]


def test_state_changing_routes_take_json_only(client, room):
    response = client.post("/api/join", data={"code": room["join_code"]})
    assert response.status_code == 415
    response = client.post("/api/join", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400 and "JSON object" in response.json["error"]
    response = client.post("/api/join", data="x" * 20_000, content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({"title": "x", "items": "lesson:a"}, 400, "at least one item"),
        ({"title": "x", "items": ["<script>"]}, 400, "Agenda item 1"),
        ({"title": "x", "items": ["governance:atlantis"]}, 400, "unknown pilot"),
        ({"title": "x", "items": ["lesson:no-such-lesson"]}, 400, "unknown lesson"),
        ({"title": 5, "items": ["governance:hull"]}, 400, "Title must be text"),
        ({"title": "x", "items": ["governance:hull"], "rounds": "2"}, 400, "whole number"),
    ],
)
def test_create_validates_its_input(client, body, status, message):
    response = client.post("/api/workshops", json=body)
    assert response.status_code == status and message in response.json["error"]


def test_bad_votes_and_joins_get_clear_4xx(client, room):
    assert client.post("/api/join", json={"code": "NOPE2345"}).status_code == 404
    assert "8 letters" in client.post("/api/join", json={"code": 12}).json["error"]
    assert client.post("/api/join", json={"code": room["join_code"], "pilot": "mars"}).status_code == 400
    token = join(client, room)
    closed = vote(client, room, token, stance="agree")
    assert closed.status_code == 409 and "closed" in closed.json["error"]
    control(client, room, action="open")
    assert vote(client, room, token, stance="yes").status_code == 400
    assert vote(client, room, token, stance="agree", confidence=9).status_code == 400
    assert vote(client, room, token, stance="agree", comment="x" * 501).status_code == 400
    assert vote(client, room, "forged-token-0000000", stance="agree").status_code == 403
    other = client.post("/api/workshops", json={"title": "Other", "items": ["governance:hull"]}).json
    stranger = join(client, other)
    assert vote(client, room, stranger, stance="agree").status_code == 403
    assert control(client, room, action="explode").status_code == 400
    assert control(client, room, action="goto", position=40).status_code == 404
    assert (
        client.get(
            f"/api/workshops/{room['id']}/results?position=x",
            headers={"X-Facilitator-Key": room["facilitator_key"]},
        ).status_code
        == 400
    )
    assert client.get("/api/workshops/nope").status_code == 404


def test_override_history_and_exports(client, room):
    tokens = [join(client, room, pilot="hull") for _ in range(3)]
    control(client, room, action="open")
    for token in tokens:
        vote(client, room, token, stance="agree", comment="=1+1")
    control(client, room, action="close")
    decision = control(
        client,
        room,
        action="override",
        position=0,
        status="context_specific",
        reason="Only Hull voted",
        by="Mia",
    ).json
    assert decision["status"] == "context_specific" and decision["rule_status"] == "validated"
    assert decision["decided_by"] == "Mia (facilitator)"
    history = client.get(f"/api/decisions?item={client.lesson}").json
    assert [d["status"] for d in history] == ["validated", "context_specific"]
    assert history[-1]["reason"] == "Only Hull voted"
    key = {"X-Facilitator-Key": room["facilitator_key"]}
    exported = client.get(f"/api/workshops/{room['id']}/export.csv", headers=key)
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0]["item"] == client.lesson and rows[0]["agree"] == "3"
    assert rows[0]["status"] == "context_specific" and rows[0]["decided_by"] == "Mia (facilitator)"
    report = client.get(f"/api/workshops/{room['id']}/report.html", headers=key)
    assert "Context-specific" in report.get_data(as_text=True)
    assert "default-src 'none'" in report.headers["Content-Security-Policy"]
    markdown = client.get(f"/api/workshops/{room['id']}/report.md", headers=key).get_data(as_text=True)
    assert "Only Hull voted" in markdown and "=1\\+1" in markdown


def test_decisions_are_exposed_to_other_pages(client, room):
    context = client.context
    assert context.decisions_for(client.lesson) == []
    control(
        client, room, action="override", position=2, status="needs_evidence", reason="No network data yet"
    )
    [decision] = context.decisions_for("governance:hull")
    assert (decision.item_id, decision.status, decision.reason) == (
        "governance:hull",
        "needs_evidence",
        "No network data yet",
    )
    assert decision.decided_by == "facilitator" and decision.decided_at.tzinfo is not None
    assert len(context.all_decisions()) == 1


@pytest.mark.parametrize(
    "body, message",
    [
        ({"action": ["next"]}, "action must be one of: goto, next"),
        ({"action": {"next": 1}}, "action must be one of"),
        ({}, "action must be one of"),
        ({"action": "goto"}, "Item position is required"),
        ({"action": "goto", "position": "1"}, "Item position must be a whole number"),
        ({"action": "goto", "position": True}, "Item position must be a whole number"),
        ({"action": "timer", "seconds": [30]}, "Timer seconds must be a whole number"),
        ({"action": "timer", "seconds": 99_999}, "Timer seconds must be between 0 and 3600"),
        ({"action": "hide_comment", "comment_id": 1, "hidden": "yes"}, "hidden must be true or false"),
        ({"action": "override", "position": 0, "status": "validated"}, "Reason is required"),
        ({"action": "override", "position": 0, "status": ["validated"], "reason": "r"}, "Status must be"),
    ],
)
def test_control_bodies_of_the_wrong_shape_get_a_400_naming_the_field(client, room, body, message):
    response = control(client, room, **body)
    assert response.status_code == 400 and message in response.json["error"]
    # Nothing happened to the room.
    state = client.get(f"/api/workshops/{room['id']}").json
    assert (state["position"], state["seconds_left"]) == (0, None)


@pytest.mark.parametrize(
    "body, message",
    [
        ({"stance": ["agree"]}, "Stance must be one of: agree, agree_with_changes"),
        ({"stance": "agree", "confidence": "3"}, "Confidence must be a whole number"),
        ({"stance": "agree", "comment": {"text": "hi"}}, "Comment must be text"),
        ({"stance": "agree", "position": None}, "Item position must be a whole number"),
    ],
)
def test_votes_of_the_wrong_shape_get_a_400_naming_the_field(client, room, body, message):
    token = join(client, room)
    control(client, room, action="open")
    response = vote(client, room, token, **body)
    assert response.status_code == 400 and message in response.json["error"]
    assert (
        client.get(
            f"/api/workshops/{room['id']}/results?position=0",
            headers={"X-Facilitator-Key": room["facilitator_key"]},
        ).json["total"]
        == 0
    )


def test_joins_and_creates_of_the_wrong_shape_get_a_400(client):
    refused = client.post("/api/join", json={"code": ["ABCDEFGH"]})
    assert refused.status_code == 400 and "8 letters and digits" in refused.json["error"]
    refused = client.post("/api/workshops", json={"title": "x", "items": [{"ref": 5}]})
    assert refused.status_code == 400 and "Agenda item 1" in refused.json["error"]
    refused = client.post("/api/workshops", json={"title": ["x"], "items": ["governance:hull"]})
    assert refused.status_code == 400 and "Title must be text" in refused.json["error"]


def test_a_slide_saved_through_the_api_is_read_by_its_page_as_on_the_set_up_page(client):
    created = client.post(
        "/api/workshops",
        json={"title": "Slides", "items": [client.lesson, "/compare?indicator=tweets&mode=indexed"]},
    )
    assert created.status_code == 201, created.json
    agenda = client.get(f"/api/workshops/{created.json['id']}").json["agenda"]
    # The old link is saved as the view it meant, in today's words.
    assert [item["ref"] for item in agenda][1] == "/compare?indicators=tweets&mode=indexed"
    refused = client.post(
        "/api/workshops", json={"title": "Slides", "items": [client.lesson, "/compare?mode=sideways"]}
    )
    assert refused.status_code == 400
    assert refused.json["error"].startswith("Agenda item 2: The link's mode='sideways' was ignored")
    nowhere = client.post("/api/workshops", json={"title": "Slides", "items": [client.lesson, "/nowhere"]})
    assert nowhere.status_code == 400 and nowhere.json["error"] == "Agenda item 2: no page at /nowhere"


def test_the_pulse_a_phone_polls_moves_with_the_room_and_says_when_a_timer_runs(client, room):
    pulse = lambda: client.get(f"/api/workshops/{room['id']}/pulse")  # noqa: E731
    first = pulse()
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    assert first.json == {"version": first.json["version"], "timer": False}
    assert pulse().json == first.json  # nothing happened: the phone redraws nothing
    control(client, room, action="open")
    opened = pulse().json
    assert opened["version"] > first.json["version"] and opened["timer"] is False
    control(client, room, action="timer", seconds=45)
    assert pulse().json["timer"] is True
    assert client.get("/api/workshops/nope/pulse").status_code == 404
