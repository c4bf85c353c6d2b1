"""The workshop JSON API under /api on the app's Flask server (documented in README "Workshop API").

State-changing routes take JSON only (Content-Type application/json: a form on another site cannot
send that without a CORS preflight, the same defence Dash relies on). Facilitator routes take the
`X-Facilitator-Key` header (the workshop's facilitator key or the admin password); participants send
their `X-Participant-Token`. Every refusal is a 4xx with {"error": "..."} saying why.

Bodies are checked by the pydantic models in `crosspilot.workshop.checks` (the same ones the service
checks the pages' arguments with), so a refusal names the field: "Confidence must be between 1 and 5".
"""

from __future__ import annotations

from functools import wraps

from flask import Response, jsonify, request

from crosspilot.i18n import t
from crosspilot.workshop import WorkshopError
from crosspilot.workshop.checks import Join, NewWorkshop, ResultsQuery, Vote, check, check_control
from crosspilot.workshop.report import to_csv, to_html, to_markdown

MAX_BODY = 16 * 1024


class _Refused(WorkshopError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _json_body() -> dict:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise _Refused(t("The request body is larger than {n} bytes", n=MAX_BODY), 413)
    if not request.is_json:
        raise _Refused(t("Send JSON with Content-Type: application/json"), 415)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise _Refused(t("The body must be a JSON object"), 400)
    return body


def _key() -> str:
    return request.headers.get("X-Facilitator-Key", "")


def _item_results(service, workshop_id: str, position: int, round_: int | None, facilitator: bool) -> dict:
    result = service.results(workshop_id, position, round_)
    return {
        **result.as_dict(),
        "comments": service.comments(workshop_id, position, round_, include_hidden=facilitator),
    }


def register_api(server, get_service) -> None:
    """Add the /api routes to `server`; `get_service()` returns the app's WorkshopService."""

    def route(rule: str, methods=("GET",)):
        def decorate(view):
            @wraps(view)
            def guarded(**kwargs):
                try:
                    return view(get_service(), **kwargs)
                except WorkshopError as error:
                    return jsonify({"error": str(error)}), getattr(error, "status", 400)

            server.add_url_rule(
                rule, endpoint=f"workshop_api_{view.__name__}", view_func=guarded, methods=methods
            )
            return guarded

        return decorate

    @route("/api/workshops", methods=("POST",))
    def create(service):
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

    @route("/api/join", methods=("POST",))
    def join(service):
        workshop_id, token = service.admit(check(Join, _json_body()))
        return jsonify({"workshop_id": workshop_id, "token": token}), 201

    @route("/api/workshops/<workshop_id>/votes", methods=("POST",))
    def vote(service, workshop_id):
        ballot = check(Vote, _json_body())
        token = request.headers.get("X-Participant-Token", "")
        return jsonify(service.cast(token, ballot, workshop_id=workshop_id))

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
        elif not state["revealed"]:
            raise _Refused(t("Results are hidden until the facilitator reveals them"), 403)
        query = check(ResultsQuery, request.args.to_dict())
        round_, position = query.round, query.position
        if position is not None:
            return jsonify(
                {
                    "round": round_ or state["round"],
                    **_item_results(service, workshop_id, position, round_, facilitator),
                }
            )
        if not facilitator:
            # Without the key only the revealed current item is public.
            raise _Refused(t("Give ?position= (the revealed item) or the facilitator key"), 403)
        items = [
            {**item, **_item_results(service, workshop_id, item["position"], round_, facilitator)}
            for item in state["agenda"]
            if item["kind"] != "slide"
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
