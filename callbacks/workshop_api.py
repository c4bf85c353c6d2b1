"""The workshop JSON API under /api on the app's Flask server (documented in README "Workshop API").

State-changing routes take JSON only (Content-Type application/json: a form on another site cannot
send that without a CORS preflight, the same defence Dash relies on). Facilitator routes take the
`X-Facilitator-Key` header (the workshop's facilitator key or the admin password); creating a workshop
needs a partner's signed-in session or the admin password in that header; participants send
their `X-Participant-Token`.

One error contract for everything under /api/: a refusal is a 4xx JSON `{"error": "..."}` in plain
words (405 for a wrong method, 404 for an unknown path, 413, 415, 400 for a body that is not JSON, nests
too deeply, holds NUL or an unpaired surrogate, or has a field of the wrong type or range, 429 with
Retry-After), a database that does not answer is a 503 JSON with Retry-After saying nothing was saved,
and nothing is ever a 500 with a traceback. Bodies are checked by the pydantic models in
`crosspilot.workshop.checks` (the same ones the service checks the pages' arguments with), so a
refusal names the field: "Confidence must be between 1 and 5".

Joining sets `crosspilot_browser`, a random browser id in an HttpOnly, SameSite=Lax cookie, so that
joining again from the same browser is the same participant (see `browser_id` and `remember_browser`,
which the Dash join page uses too).
"""

from __future__ import annotations

import hmac
import json
from functools import wraps

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from crosspilot import access
from crosspilot.i18n import current_language, t
from crosspilot.workshop import WorkshopError
from crosspilot.workshop.checks import (
    Join,
    NewWorkshop,
    ResultsQuery,
    Vote,
    check,
    check_control,
    check_text,
)
from crosspilot.workshop.errors import Unavailable
from crosspilot.workshop.participants import browser_id_shape, new_browser_id
from crosspilot.workshop.report import to_csv, to_html, to_markdown

MAX_BODY = 16 * 1024
BROWSER_COOKIE = "crosspilot_browser"
BROWSER_COOKIE_DAYS = 30
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class _Refused(WorkshopError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _no_constants(name: str):
    raise ValueError(name)


def _json_body() -> dict:
    """The request's JSON object, checked before anything reads it: size, media type, syntax, depth,
    NUL and unpaired surrogates."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise _Refused(t("The request body is larger than {n} bytes", n=MAX_BODY), 413)
    if not request.is_json:
        raise _Refused(t("Send JSON with Content-Type: application/json"), 415)
    raw = request.stream.read(MAX_BODY + 1)  # a body without Content-Length is bounded too
    if len(raw) > MAX_BODY:
        raise _Refused(t("The request body is larger than {n} bytes", n=MAX_BODY), 413)
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except RecursionError:
        raise _Refused(t("The JSON is nested too deeply"), 400) from None
    except ValueError:  # also bad UTF-8, NaN/Infinity and numbers too long to read
        raise _Refused(t("The body is not valid JSON"), 400) from None
    if not isinstance(body, dict):
        raise _Refused(t("The body must be a JSON object"), 400)
    check_text(body)
    return body


def browser_id() -> tuple[str, bool]:
    """This browser's id from the join cookie, or a new one: (id, whether it is new)."""
    given = browser_id_shape(request.cookies.get(BROWSER_COOKIE))
    return (given, False) if given else (new_browser_id(), True)


def remember_browser(response, browser: str) -> None:
    """Set the join cookie on `response` (a Flask response, or Dash's callback_context.response)."""
    response.set_cookie(
        BROWSER_COOKIE,
        browser,
        max_age=BROWSER_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
        path="/",
    )


def client_address() -> str:
    """The client's address (the real one behind CROSSPILOT_TRUSTED_PROXIES proxies, via ProxyFix)."""
    return request.remote_addr or "-"


def _refusal(message: str, status: int, retry_after: int | None = None, **headers) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response.headers[name] = value
    return response


def _key() -> str:
    return request.headers.get("X-Facilitator-Key", "")


def _item_results(service, workshop_id: str, position: int, round_: int | None, facilitator: bool) -> dict:
    result = service.results(workshop_id, position, round_)
    return {
        **result.as_dict(),
        "comments": service.comments(workshop_id, position, round_, include_hidden=facilitator),
        # A data slide's marks with the votes and comments attached to each (empty for other items).
        "marks": [
            m.as_dict()
            for m in service.mark_tallies(workshop_id, position, round_, include_hidden=facilitator)
        ],
    }


def register_api(server, get_service, admin_password: str = "") -> None:
    """Add the /api routes to `server`; `get_service()` returns the app's WorkshopService."""
    known = Map()  # the API's own rules, to tell a wrong method (405) from an unknown path (404)

    def route(rule: str, methods=("GET",)):
        def decorate(view):
            @wraps(view)
            def guarded(**kwargs):
                try:
                    for value in (*kwargs.values(), *request.args.values()):
                        check_text(value)
                    return view(get_service(), **kwargs)
                except WorkshopError as error:
                    return _refusal(str(error), getattr(error, "status", 400), error.retry_after)
                except access.Refused as error:
                    return _refusal(error.message, error.status)

            server.add_url_rule(
                rule, endpoint=f"workshop_api_{view.__name__}", view_func=guarded, methods=methods
            )
            known.add(Rule(rule, methods=methods, endpoint=view.__name__))
            return guarded

        return decorate

    def _unrouted(path: str) -> Response:
        """A request under /api/ that no route takes: 405 naming the methods, or 404."""
        try:
            known.bind("").match("/api/" + path, method=request.method)
        except HTTPException as error:
            valid = getattr(error, "valid_methods", None)
            if valid:
                allowed = ", ".join(sorted(valid))
                return _refusal(
                    t("{method} is not allowed here; use {allowed}", method=request.method, allowed=allowed),
                    405,
                    Allow=allowed,
                )
        return _refusal(t("No such API route: {path}", path="/api/" + path), 404)

    # Without this, Dash's page route answers GET /api/<anything> with the app's HTML page.
    server.add_url_rule(
        "/api/<path:path>", endpoint="workshop_api_unrouted", view_func=_unrouted, methods=METHODS
    )

    @server.errorhandler(HTTPException)
    def _api_http_error(error: HTTPException):
        """Errors Flask raises before a route runs (a method no rule lists, a body too large): JSON
        under /api/, Flask's own answer elsewhere."""
        if not request.path.startswith("/api/") or error.code is None or error.code >= 500:
            return error
        return _refusal(error.description or error.name, error.code)

    @route("/api/workshops", methods=("POST",))
    def create(service):
        # A partner's session (signed in on this site), or the admin password for scripts.
        if not access.at_least("partner"):
            key = request.headers.get("X-Facilitator-Key", "")
            if not (admin_password and key and hmac.compare_digest(key.encode(), admin_password.encode())):
                raise access.refusal("partner")
        created = service.create(check(NewWorkshop, _json_body()))
        return (
            jsonify(
                {
                    "id": created.workshop_id,
                    "join_code": created.join_code,
                    "facilitator_key": created.facilitator_secret,
                    "facilitator_url": (
                        f"/workshop/facilitate?w={created.workshop_id}#key={created.facilitator_secret}"
                    ),
                    "join_url": f"/workshop/join?code={created.join_code}",
                    "present_url": f"/workshop/present?w={created.workshop_id}&theme=projector",
                }
            ),
            201,
        )

    @route("/api/workshops/<workshop_id>")
    def state(service, workshop_id):
        return jsonify(service.state(workshop_id))

    @route("/api/workshops/<workshop_id>/pulse")
    def pulse(service, workshop_id):
        # Polled by every phone (assets/40-workshop.js): the page redraws only when this changes.
        response = jsonify(service.pulse(workshop_id))
        response.headers["Cache-Control"] = "no-store"
        return response

    @route("/api/join", methods=("POST",))
    def join(service):
        request_ = check(Join, _json_body())
        browser, _new = browser_id()
        workshop_id, token = service.admit(request_, browser=browser, address=client_address())
        response = jsonify({"workshop_id": workshop_id, "token": token})
        response.status_code = 201
        remember_browser(response, browser)
        return response

    @route("/api/workshops/<workshop_id>/votes", methods=("POST",))
    def vote(service, workshop_id):
        body = _json_body()
        # A comment is in the language the phone shows (the request's), unless the body names one.
        ballot = check(Vote, {"language": current_language(), **body} if isinstance(body, dict) else body)
        token = request.headers.get("X-Participant-Token", "")
        try:
            return jsonify(service.cast(token, ballot, workshop_id=workshop_id))
        except Unavailable as error:
            raise Unavailable(
                t(
                    "The workshop database is unavailable: your vote was not saved. "
                    "Send it again in a few seconds."
                )
            ) from error

    @route("/api/workshops/<workshop_id>/control", methods=("POST",))
    def control(service, workshop_id):
        body = _json_body()
        service.authorise(workshop_id, _key())  # refuse before looking at anything else
        return jsonify(service.control(workshop_id, _key(), check_control(body)))

    @route("/api/workshops/<workshop_id>/results")
    def results(service, workshop_id):
        state = service.state(workshop_id)
        facilitator = False
        if _key():
            service.authorise(workshop_id, _key())
            facilitator = True
        query = check(ResultsQuery, request.args.to_dict())
        round_, position = query.round, query.position
        if not facilitator:
            # Without the key, one position's results once it has been revealed in that round.
            if position is None:
                position = state["position"]
            if not service.is_revealed(workshop_id, position, round_):
                raise _Refused(t("Results are hidden until the facilitator reveals them"), 403)
        if position is not None:
            return jsonify(
                {
                    "round": round_ or state["round"],
                    **_item_results(service, workshop_id, position, round_, facilitator),
                }
            )
        items = [
            {**item, **_item_results(service, workshop_id, item["position"], round_, facilitator)}
            for item in state["agenda"]
        ]
        return jsonify({"round": round_ or state["round"], "items": items})

    @route("/api/workshops/<workshop_id>/export.csv")
    def export_csv(service, workshop_id):
        service.authorise(workshop_id, _key())
        return Response(
            to_csv(service.summary(workshop_id)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="workshop-{workshop_id}.csv"'},
        )

    @route("/api/workshops/<workshop_id>/report.md")
    def report_markdown(service, workshop_id):
        service.authorise(workshop_id, _key())
        title = service.state(workshop_id)["title"]
        return Response(to_markdown(title, service.summary(workshop_id)), mimetype="text/markdown")

    @route("/api/workshops/<workshop_id>/report.html")
    def report_html(service, workshop_id):
        service.authorise(workshop_id, _key())
        title = service.state(workshop_id)["title"]
        return Response(
            to_html(title, service.summary(workshop_id)),
            mimetype="text/html",
            headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
        )

    @route("/api/workshops/<workshop_id>/audit")
    def audit_trail(service, workshop_id):
        return jsonify(service.audit_trail(workshop_id, _key()))

    @route("/api/decisions")
    def decisions(service):
        item = request.args.get("item")
        found = service.decisions_for(item) if item else service.all_decisions()
        return jsonify([d.as_dict() for d in found])
