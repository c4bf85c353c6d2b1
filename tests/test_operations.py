"""What an operator sees: /healthz, request ids, and a server error as one log line and a short answer."""

from __future__ import annotations

import json
import logging

from tests.conftest import make_app


def test_healthz_says_ok_with_the_data_version_when_the_database_answers(tmp_path):
    app = make_app(database_url=f"sqlite:///{tmp_path / 'ok.db'}")
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "data_version": app.context.snapshot.version}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_says_unavailable_with_retry_after_when_the_database_is_down():
    app = make_app(database_url="postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2")
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["database"].startswith("unavailable: ")
    assert response.headers["Retry-After"] == "5"


def test_every_response_carries_a_request_id_and_keeps_a_proxys(cosie_app):
    client = cosie_app.server.test_client()
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["X-Request-ID"]) == 12
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    given = client.get("/healthz", headers={"X-Request-ID": "proxy-abc-123"})
    assert given.headers["X-Request-ID"] == "proxy-abc-123"
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert forged.headers["X-Request-ID"] != "<script>"


def test_a_server_error_is_one_log_line_with_the_id_the_user_is_shown(cosie_app, caplog):
    client = cosie_app.server.test_client()
    with caplog.at_level(logging.ERROR, logger="crosspilot.requests"):
        response = client.post("/_dash-update-component", json={})  # no output named: Dash fails
    assert response.status_code == 500
    body = response.json
    assert "Traceback" not in response.get_data(as_text=True)
    assert body["id"] == response.headers["X-Request-ID"] and body["id"] in body["error"]
    [record] = [r for r in caplog.records if r.name == "crosspilot.requests"]
    line = json.loads(record.getMessage())
    assert (line["id"], line["status"], line["path"], line["error"]) == (
        body["id"],
        500,
        "/_dash-update-component",
        "KeyError",
    )
