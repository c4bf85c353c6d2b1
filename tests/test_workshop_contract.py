"""The workshop API's one error contract, walked as a table against every route on SQLite and
PostgreSQL: each bad request gets its 4xx JSON `{"error"}` with a message a person can act on, never a
500, and nothing in the room changes. Also who may read what, and one participant per browser."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text

from callbacks.workshop_api import BROWSER_COOKIE
from crosspilot.workshop.agenda import catalogue
from tests.conftest import make_app
from tests.helpers import sign_in
from tests.test_workshop_service import postgres_url


def own_database(kind: str, folder) -> tuple[str, object]:
    """A URL of a database of this module's own (PostgreSQL: a new database on the test server, so
    other tests that reset the shared one cannot pull it away mid-run), and how to drop it."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'contract.db'}", lambda: None
    server = postgres_url()
    name = f"crosspilot_api_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", pool_pre_ping=True)  # survives a restart
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.rsplit("/", 1)[0] + "/" + name, drop


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request, tmp_path_factory):
    url, drop = own_database(request.param, tmp_path_factory.mktemp("contract"))
    app = make_app(database_url=url)
    client = sign_in(app)
    lesson = next(ref for ref in catalogue(app.context.snapshot) if ref.startswith("lesson:"))
    room = client.post(
        "/api/workshops", json={"title": "Contract", "items": [lesson, "governance:hull"]}
    ).json
    key = {"X-Facilitator-Key": room["facilitator_key"]}
    token = client.post("/api/join", json={"code": room["join_code"]}).json["token"]
    client.post(f"/api/workshops/{room['id']}/control", json={"action": "open"}, headers=key)
    yield SimpleNamespace(client=client, room=room, key=key, token=token, lesson=lesson, app=app)
    app.context.workshop().engine.dispose()
    drop()


ROUTES = {  # name -> (method, path, the headers it needs)
    "create": ("POST", "/api/workshops", "partner"),  # a partner's session (the client is signed in)
    "state": ("GET", "/api/workshops/{id}", "none"),
    "join": ("POST", "/api/join", "none"),
    "vote": ("POST", "/api/workshops/{id}/votes", "token"),
    "control": ("POST", "/api/workshops/{id}/control", "key"),
    "results": ("GET", "/api/workshops/{id}/results", "key"),
    "export": ("GET", "/api/workshops/{id}/export.csv", "key"),
    "report_md": ("GET", "/api/workshops/{id}/report.md", "key"),
    "report_html": ("GET", "/api/workshops/{id}/report.html", "key"),
    "audit": ("GET", "/api/workshops/{id}/audit", "key"),
    "decisions": ("GET", "/api/decisions", "none"),
}
POSTS = [name for name, (method, _, _) in ROUTES.items() if method == "POST"]
DEEP = b"[" * 3000 + b"]" * 3000  # RecursionError in the JSON parser
NESTED = b'{"a":' * 20 + b"1" + b"}" * 20  # parses, but deeper than any body of ours

# Bodies every POST route refuses before reading a field: (raw body, content type, status, message).
BAD_BODIES = [
    (b"code=ABCDEFGH", "application/x-www-form-urlencoded", 415, "Content-Type: application/json"),
    (b'{"a": 1}', "text/plain", 415, "Content-Type: application/json"),
    (b"x" * 20_000, "application/json", 413, "larger than 16384 bytes"),
    (b"{", "application/json", 400, "not valid JSON"),
    (b"", "application/json", 400, "not valid JSON"),
    (b'{"a": NaN}', "application/json", 400, "not valid JSON"),
    (b'{"a": "\xff"}', "application/json", 400, "not valid JSON"),
    (b'{"a": ' + b"9" * 5000 + b"}", "application/json", 400, "not valid JSON"),
    (DEEP, "application/json", 400, "nested too deeply"),
    (NESTED, "application/json", 400, "nested too deeply"),
    (b"[1, 2]", "application/json", 400, "must be a JSON object"),
    (b'"text"', "application/json", 400, "must be a JSON object"),
    (
        b'{"title": "\\ud800", "code": "\\ud800", "stance": "\\ud800", "action": "\\ud800"}',
        "application/json",
        400,
        "unpaired surrogate",
    ),
    (
        b'{"title": "a\\u0000b", "code": "A\\u0000", "stance": "agree\\u0000", "action": "\\u0000"}',
        "application/json",
        400,
        "NUL character",
    ),
    (b'{"\\udfff": 1}', "application/json", 400, "unpaired surrogate"),
]

# Bodies of the right shape with one wrong field, per route: (route, body, status, message).
BAD_FIELDS = [
    (
        "create",
        {"title": "x", "items": ["governance:hull"], "rounds": 10**30},
        400,
        "Rounds must be between 1 and 5",
    ),
    (
        "create",
        {"title": "x", "items": ["governance:hull"], "rounds": 1.5},
        400,
        "Rounds must be a whole number",
    ),
    (
        "create",
        {"title": "x", "items": ["governance:hull"], "practice": "yes"},
        400,
        "Practice must be true or false",
    ),
    ("create", {"title": "x" * 201, "items": ["governance:hull"]}, 400, "Title is longer than 200"),
    (
        "create",
        {"title": "x", "items": ["governance:hull"], "facilitator_name": 7},
        400,
        "Facilitator name must be text",
    ),
    ("create", {"title": "x", "items": ["lesson:\u0000"]}, 400, "NUL character"),
    ("join", {"code": 12345678}, 400, "8 letters and digits"),
    ("join", {"code": "ABCDEFGH", "stakeholder_type": "alien"}, 400, "Stakeholder type must be one of"),
    ("vote", {"position": 10**30, "stance": "agree"}, 400, "Item position must be between 0 and 60"),
    ("vote", {"position": -1, "stance": "agree"}, 400, "Item position must be between 0 and 60"),
    ("vote", {"position": 0, "stance": "agree", "confidence": 1e3}, 400, "Confidence must be a whole number"),
    ("vote", {"position": 0, "stance": "agree", "confidence": 0}, 400, "Confidence must be between 1 and 5"),
    ("vote", {"position": 0, "stance": "agree", "comment": "\ud83d"}, 400, "unpaired surrogate"),
    ("vote", {"position": 0, "stance": "agree", "mark": "turku"}, 400, "Mark must look like kind:id"),
    (
        "vote",
        {"position": 0, "stance": "agree", "mark": "pilot:" + "t" * 300},
        400,
        "Mark is longer than 200",
    ),
    ("control", {"action": ["next"]}, 400, "action must be one of"),
    ("control", {"action": "timer", "seconds": 10**30}, 400, "Timer seconds must be between 0 and 3600"),
    ("control", {"action": "hide_comment", "comment_id": 2**70}, 400, "Comment id must be between 1 and"),
    (
        "control",
        {"action": "override", "position": 0, "status": "validated", "reason": "a\u0000"},
        400,
        "NUL",
    ),
]


def call(api, name, body=None, content_type="application/json", **extra):
    method, path, needs = ROUTES[name]
    headers = {"key": api.key, "token": {"X-Participant-Token": api.token}, "none": {}, "partner": {}}[needs]
    return api.client.open(
        path.format(id=api.room["id"]),
        method=method,
        data=body,
        content_type=content_type if body is not None else None,
        headers=headers,
        **extra,
    )


def assert_refused(response, status: int, message: str) -> None:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    assert message in response.json["error"], response.json
    assert "Traceback" not in response.get_data(as_text=True)


def room_is_untouched(api) -> None:
    state = api.client.get(f"/api/workshops/{api.room['id']}").json
    assert (state["position"], state["round"], state["voting_open"], state["seconds_left"]) == (
        0,
        1,
        True,
        None,
    )
    results = api.client.get(f"/api/workshops/{api.room['id']}/results?position=0", headers=api.key).json
    assert results["total"] == 0


@pytest.mark.parametrize("route", POSTS)
@pytest.mark.parametrize("body, content_type, status, message", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_every_post_route_refuses_bad_bodies_with_a_clear_4xx(
    api, route, body, content_type, status, message
):
    assert_refused(call(api, route, body, content_type), status, message)
    room_is_untouched(api)


@pytest.mark.parametrize("route, body, status, message", BAD_FIELDS, ids=range(len(BAD_FIELDS)))
def test_a_wrong_field_names_the_field(api, route, body, status, message):
    import json

    assert_refused(call(api, route, json.dumps(body).encode()), status, message)
    room_is_untouched(api)


WRONG_METHODS = [
    ("GET", "/api/join", "POST"),
    ("PUT", "/api/join", "POST"),
    ("DELETE", "/api/workshops/{id}", "GET"),
    ("POST", "/api/workshops/{id}", "GET"),
    ("GET", "/api/workshops/{id}/votes", "POST"),
    ("PATCH", "/api/workshops/{id}/control", "POST"),
    ("POST", "/api/workshops/{id}/results", "GET"),
    ("POST", "/api/workshops/{id}/export.csv", "GET"),
    ("DELETE", "/api/decisions", "GET"),
    ("GET", "/api/workshops", "POST"),
]


@pytest.mark.parametrize("method, path, allowed", WRONG_METHODS)
def test_a_wrong_method_is_a_405_in_json_naming_the_right_one(api, method, path, allowed):
    response = api.client.open(path.format(id=api.room["id"]), method=method, json={})
    assert_refused(response, 405, f"use {allowed}")
    assert allowed in response.headers["Allow"]


@pytest.mark.parametrize(
    "path, status, message",
    [
        ("/api/nothing-here", 404, "No such API route"),
        ("/api/workshops/{id}/nothing", 404, "No such API route"),
        ("/api/workshops/no-such-room", 404, "No such workshop"),
        ("/api/workshops/%00", 400, "NUL character"),
        ("/api/decisions?item=lesson:%00x", 400, "NUL character"),
        ("/api/workshops/{id}/results?position=99999999999999999999", 400, "position"),
        ("/api/workshops/{id}/results?round=0", 400, "Round must be between 1 and 5"),
        ("/api/workshops/{id}/results?position=%F0%9F", 400, "position"),
    ],
)
def test_unknown_paths_and_bad_queries_are_json_4xx(api, path, status, message):
    assert_refused(api.client.get(path.format(id=api.room["id"]), headers=api.key), status, message)


# --- who may read what, and who is one person ---------------------------------------------------


@pytest.fixture
def fresh(tmp_path):
    app = make_app(database_url=f"sqlite:///{tmp_path / 'access.db'}")
    client = sign_in(app)
    lesson = next(ref for ref in catalogue(app.context.snapshot) if ref.startswith("lesson:"))
    room = client.post(
        "/api/workshops", json={"title": "Access", "items": [lesson, "governance:hull"], "rounds": 2}
    ).json
    return SimpleNamespace(
        client=client, room=room, key={"X-Facilitator-Key": room["facilitator_key"]}, app=app
    )


def control(f, **body):
    return f.client.post(f"/api/workshops/{f.room['id']}/control", json=body, headers=f.key)


def public_results(f, query: str):
    return f.client.get(f"/api/workshops/{f.room['id']}/results?{query}")


def new_browser_joins(f, **extra):
    f.client.delete_cookie(BROWSER_COOKIE)
    response = f.client.post("/api/join", json={"code": f.room["join_code"], **extra})
    assert response.status_code == 201, response.json
    return response.json["token"]


def test_results_are_public_only_for_a_position_revealed_in_that_round(fresh):
    token = new_browser_joins(fresh)
    control(fresh, action="open")
    fresh.client.post(
        f"/api/workshops/{fresh.room['id']}/votes",
        json={"position": 0, "stance": "agree", "comment": "round one"},
        headers={"X-Participant-Token": token},
    )
    control(fresh, action="reveal")
    assert public_results(fresh, "position=0").json["counts"]["agree"] == 1
    # Item 1 was never revealed: before the fix its counts and comments were readable here.
    hidden = public_results(fresh, "position=1")
    assert hidden.status_code == 403 and "hidden until the facilitator reveals" in hidden.json["error"]
    control(fresh, action="goto", position=1)
    assert public_results(fresh, "position=1").status_code == 403
    assert public_results(fresh, "position=0").json["comments"][0]["text"] == "round one"  # stays public
    assert public_results(fresh, "").status_code == 403  # the current item (1), not revealed
    control(fresh, action="new_round")
    assert public_results(fresh, "position=0").status_code == 403  # round 2: not revealed yet
    assert public_results(fresh, "position=0&round=1").status_code == 200
    control(fresh, action="reveal")
    control(fresh, action="hide")  # withdrawn again
    assert public_results(fresh, "position=0&round=2").status_code == 403
    # The facilitator reads everything.
    everything = fresh.client.get(f"/api/workshops/{fresh.room['id']}/results?round=1", headers=fresh.key)
    assert [item["position"] for item in everything.json["items"]] == [0, 1]


def test_one_browser_is_one_participant_however_often_it_joins(fresh):
    control(fresh, action="open")
    first = fresh.client.post("/api/join", json={"code": fresh.room["join_code"], "pilot": "hull"})
    cookie = first.headers["Set-Cookie"]
    assert (
        BROWSER_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    )
    tokens = [first.json["token"]]
    for _ in range(39):  # the attack from the issue: 40 joins, 40 tokens, 40 votes
        tokens.append(fresh.client.post("/api/join", json={"code": fresh.room["join_code"]}).json["token"])
    assert len(set(tokens)) == 40  # a fresh token each time; only the newest works
    answers = [
        fresh.client.post(
            f"/api/workshops/{fresh.room['id']}/votes",
            json={"position": 0, "stance": "agree"},
            headers={"X-Participant-Token": token},
        ).status_code
        for token in tokens
    ]
    assert answers == [403] * 39 + [200]
    results = fresh.client.get(
        f"/api/workshops/{fresh.room['id']}/results?position=0", headers=fresh.key
    ).json
    assert (
        results["total"] == 1 and results["by_pilot"]["hull"]["agree"] == 1
    )  # the pilot given first is kept
    state = fresh.client.get(f"/api/workshops/{fresh.room['id']}").json
    assert (state["participants"], state["joins"]) == (1, 40)
    # Another browser is another person.
    new_browser_joins(fresh)
    state = fresh.client.get(f"/api/workshops/{fresh.room['id']}").json
    assert (state["participants"], state["joins"]) == (2, 41)


def test_wrong_join_codes_are_limited_per_address_but_a_room_behind_one_nat_all_joins(fresh):
    fresh.app.context.workshop().join_failure_limit = (10, 3600)  # a long window: no minute boundary mid-test
    for _phone in range(200):  # 200 phones behind one venue NAT, each a browser of its own
        new_browser_joins(fresh)
    wrong = [fresh.client.post("/api/join", json={"code": "WRONG234"}) for _ in range(10)]
    assert [r.status_code for r in wrong] == [404] * 10
    limited = fresh.client.post("/api/join", json={"code": "WRONG234"})
    assert limited.status_code == 429 and "Too many wrong join codes" in limited.json["error"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 3600
    # The right code from that address waits too (else the answer would tell a guesser it is right) ...
    assert fresh.client.post("/api/join", json={"code": fresh.room["join_code"]}).status_code == 429
    # ... while another address is not held up by it.
    fresh.client.delete_cookie(BROWSER_COOKIE)
    elsewhere = fresh.client.post(
        "/api/join", json={"code": fresh.room["join_code"]}, environ_base={"REMOTE_ADDR": "10.9.8.7"}
    )
    assert elsewhere.status_code == 201
    assert fresh.client.get(f"/api/workshops/{fresh.room['id']}").json["participants"] == 201


def test_practice_facilitator_name_and_marks_are_accepted_and_stored(fresh):
    created = fresh.client.post(
        "/api/workshops",
        json={
            "title": "Rehearsal",
            "items": ["governance:hull"],
            "practice": True,
            "facilitator_name": "Ana",
        },
    ).json
    state = fresh.client.get(f"/api/workshops/{created['id']}").json
    assert (state["practice"], state["facilitator_name"]) == (True, "Ana")
    token = new_browser_joins(fresh)
    control(fresh, action="open")
    before = fresh.client.get(f"/api/workshops/{fresh.room['id']}").json["version"]
    votes = f"/api/workshops/{fresh.room['id']}/votes"
    on_a_lesson = {"position": 0, "stance": "disagree", "mark": "pilot:turku"}
    refused = fresh.client.post(votes, json=on_a_lesson, headers={"X-Participant-Token": token})
    assert refused.status_code == 400
    assert refused.json["error"] == "Mark: pilot:turku is not drawn on this item"
    stored = fresh.client.post(
        votes, json={"position": 0, "stance": "disagree"}, headers={"X-Participant-Token": token}
    )
    assert stored.status_code == 200
    # The version follows the room (a poll's cheap "nothing changed"): a vote leaves it, a move bumps it.
    assert fresh.client.get(f"/api/workshops/{fresh.room['id']}").json["version"] == before
    control(fresh, action="reveal")
    assert fresh.app.context.workshop().version(fresh.room["id"]) == before + 1
