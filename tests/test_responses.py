"""Answers that repeat: the same view asked again is answered from memory, per language, role and
data version, never while it is provisional, and only for callbacks marked repeatable."""

from __future__ import annotations

import json

import pytest

from crosspilot.config import Config
from tests.conftest import make_app
from tests.helpers import sign_in

DISPATCH = "/_dash-update-component"


def _body(client, output_part: str, values: dict, changed: str, search: str = "") -> dict:
    """The request a browser sends for the callback whose output names `output_part`."""
    deps = client.get("/_dash-dependencies").get_json()
    (dep,) = [d for d in deps if output_part in d["output"]]
    parts = [
        dict(zip(("id", "property"), p.rsplit(".", 1), strict=True))
        for p in dep["output"].strip(".").split("...")
    ]
    return {
        "output": dep["output"],
        "outputs": parts if dep["output"].startswith("..") else parts[0],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "changedPropIds": [changed],
        "state": [
            {**s, "value": search if s["property"] == "search" else values.get(s["id"])} for s in dep["state"]
        ],
    }


def _compare(client, form: str = "bars") -> dict:
    return _body(
        client,
        "compare-graph.figure",
        {"compare-form": form, "compare-mode": "absolute"},
        "compare-form.value",
    )


@pytest.fixture(scope="module")
def app():
    return make_app()


def test_the_same_view_is_answered_again_from_memory_and_other_views_afresh(app):
    cache, client = app.context_responses, app.server.test_client()
    body = _compare(client)
    hits = cache.hits
    first = client.post(DISPATCH, json=body)
    again = client.post(DISPATCH, json=body)
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data() and cache.hits == hits + 1
    # Still compressed as usual.
    squeezed = client.post(DISPATCH, json=body, headers={"Accept-Encoding": "br"})
    assert squeezed.headers["Content-Encoding"] == "br" and cache.hits == hits + 2
    # Another view is its own answer.
    other = client.post(DISPATCH, json=_compare(client, "lines"))
    assert other.get_data() != first.get_data() and cache.hits == hits + 2


def test_another_language_or_role_never_gets_anothers_answer(app):
    client = app.server.test_client()
    body = _compare(client)
    english = client.post(DISPATCH, json=body).get_json()
    finnish = client.post(DISPATCH, json=body, headers={"X-Crosspilot-Language": "fi"}).get_json()
    assert english != finnish  # the Finnish page's request is answered in Finnish, not from the English
    cache = app.context_responses
    partner = app.server.test_client()
    sign_in(app, partner, "partner")
    hits = cache.hits
    assert partner.post(DISPATCH, json=body).status_code == 200
    assert cache.hits == hits  # a partner's first request of this view is computed for partners
    assert partner.post(DISPATCH, json=body).status_code == 200 and cache.hits == hits + 1


def test_a_provisional_answer_is_not_kept(tmp_path):
    # Every network counts as large and nothing is analysed yet: the drawing waits for its job.
    from app import create_app

    app = create_app(Config(inline_actors=0, cache_dir=tmp_path))
    client, cache = app.server.test_client(), app.context_responses
    body = _body(
        client,
        "networks-mode.children",
        {"networks-pilot": "hull", "networks-view": "auto"},
        "networks-pilot.value",
        "?pilot=hull",
    )
    for _ in range(2):
        answer = client.post(DISPATCH, json=body).get_json()
        assert "first time, in the background" in json.dumps(answer)
    assert cache.hits == 0 and cache.size == 0


def test_callbacks_not_marked_repeatable_are_always_answered_afresh(app):
    client, cache = app.server.test_client(), app.context_responses
    body = _body(client, "lessons-list.children", {"lessons-topic": None}, "lessons-topic.value")
    hits = cache.hits
    client.post(DISPATCH, json=body)
    client.post(DISPATCH, json=body)
    assert cache.hits == hits


def test_the_cache_can_be_turned_off_and_keeps_within_its_size():
    assert Config.from_env({"CROSSPILOT_RESPONSE_CACHE": "0"}).response_cache is False
    assert Config.from_env({}).response_cache is True
    assert not hasattr(make_app(response_cache=False), "context_responses")
    from crosspilot.responses import ResponseCache

    small = ResponseCache(limit_bytes=10)
    small.put(b"a", b"12345", "application/json")
    small.put(b"b", b"67890", "application/json")
    small.put(b"c", b"abcde", "application/json")  # over 10 bytes: the least recently used goes
    assert small.get(b"a") is None and small.get(b"c") == (b"abcde", "application/json") and small.size == 10
