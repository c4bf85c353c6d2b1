"""What an operator needs: a request id on every response, one log line per request error (with the id
the user is shown), and /healthz, which checks the database.

A server error never shows a traceback: the user gets a short message with the error's id, and the
log line with the same id has what happened (the traceback follows it in the log).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time

from flask import Response, g, jsonify, request
from werkzeug.exceptions import InternalServerError

from crosspilot.i18n import t

log = logging.getLogger("crosspilot.requests")
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._-]{6,64}$")  # a proxy's X-Request-ID, if it looks like one


def request_id() -> str:
    return getattr(g, "request_id", "") or "-"


def _machine_readable() -> bool:
    return request.path.startswith(("/api/", "/_dash-", "/healthz"))


def error_line(status: int, error: BaseException | None) -> str:
    """The one log line of a request error: JSON, so log tools can search by id, path or status."""
    return json.dumps(
        {
            "event": "request_error",
            "id": request_id(),
            "status": status,
            "method": request.method,
            "path": request.path,
            "error": type(error).__name__ if error is not None else None,
            "message": str(error)[:300] if error is not None else None,
            "ms": round((time.perf_counter() - getattr(g, "started", time.perf_counter())) * 1000),
        },
        ensure_ascii=False,
    )


def health(context) -> tuple[dict, int]:
    """The app's health: its data version, and whether the workshop database answers."""
    body = {"status": "ok", "data_version": context.snapshot.version, "database": "ok"}
    try:
        from sqlalchemy import text

        with context.workshop().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means: not ready
        body.update(status="unavailable", database=f"unavailable: {type(error).__name__}")
        return body, 503
    return body, 200


def register(app, context) -> None:
    server = app.server

    @server.before_request
    def _start():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _GIVEN_ID.match(given) else secrets.token_hex(6)
        g.started = time.perf_counter()

    @server.after_request
    def _stamp(response: Response):
        response.headers["X-Request-ID"] = request_id()
        if response.status_code >= 400 and response.status_code != 500:
            # 500s are logged by the handler below, with their exception.
            log.info(error_line(response.status_code, None))
        return response

    @server.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError):
        original = getattr(error, "original_exception", None) or error
        log.error(error_line(500, original), exc_info=original)
        message = t(
            "Something went wrong on the server; nothing was changed by this request. "
            "If it happens again, give the organiser this error id: {id}.",
            id=request_id(),
        )
        if _machine_readable():
            return jsonify({"error": message, "id": request_id()}), 500
        page = f'<!DOCTYPE html><html lang="en"><title>Crosspilot</title><p>{_escape(message)}</p></html>'
        return Response(page, status=500, mimetype="text/html")

    @server.route("/healthz")
    def _healthz():
        body, status = health(context)
        response = jsonify(body)
        response.status_code = status
        response.headers["Cache-Control"] = "no-store"
        if status == 503:
            response.headers["Retry-After"] = "5"
        return response


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
