"""The workshop JSON API under /api on the app's Flask server (documented in README "Workshop API").

State-changing routes take JSON only (Content-Type application/json: a form on another site cannot
send that without a CORS preflight, the same defence Dash relies on). Facilitator routes take the
`X-Facilitator-Key` header (the workshop's facilitator key or the admin password); participants send
their `X-Participant-Token`. Every refusal is a 4xx with {"error": "..."} saying why.
"""

from __future__ import annotations

from functools import wraps

from flask import Response, jsonify, request

from crosspilot.i18n import t
from crosspilot.workshop import WorkshopError
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


def _optional_int(name: str) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise _Refused(t("{name} must be a whole number", name=name), 400) from None


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
        body = _json_body()
        created = service.create_workshop(body.get("title"), body.get("items"), body.get("rounds", 1))
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
        body = _json_body()
        workshop_id, token = service.join(body.get("code"), body.get("pilot"), body.get("stakeholder_type"))
        return jsonify({"workshop_id": workshop_id, "token": token}), 201

    @route("/api/workshops/<workshop_id>/votes", methods=("POST",))
    def vote(service, workshop_id):
        body = _json_body()
        token = request.headers.get("X-Participant-Token", "")
        stored = service.vote(
            token,
            body.get("position"),
            body.get("stance"),
            body.get("confidence", 3),
            body.get("comment", ""),
            workshop_id=workshop_id,
        )
        return jsonify(stored)

    @route("/api/workshops/<workshop_id>/control", methods=("POST",))
    def control(service, workshop_id):
        body = _json_body()
        key, action = _key(), body.get("action")
        service.authorise(workshop_id, key)  # refuse before looking at anything else
        actions = {
            "goto": lambda: service.goto(workshop_id, key, body.get("position")),
            "next": lambda: service.step(workshop_id, key, 1),
            "previous": lambda: service.step(workshop_id, key, -1),
            "open": lambda: service.set_voting(workshop_id, key, True),
            "close": lambda: service.set_voting(workshop_id, key, False),
            "reveal": lambda: service.set_revealed(workshop_id, key, True),
            "hide": lambda: service.set_revealed(workshop_id, key, False),
            "timer": lambda: service.set_timer(workshop_id, key, body.get("seconds")),
            "new_round": lambda: service.new_round(workshop_id, key),
        }
        if action == "hide_comment":
            service.hide_comment(workshop_id, key, body.get("comment_id"), body.get("hidden", True))
            return jsonify(service.state(workshop_id))
        if action == "override":
            decision = service.override(
                workshop_id,
                key,
                body.get("position"),
                body.get("status"),
                body.get("reason"),
                body.get("by", ""),
            )
            return jsonify(decision.as_dict())
        if action not in actions:
            known = ", ".join([*actions, "hide_comment", "override"])
            raise _Refused(t("action must be one of: {known}", known=known), 400)
        return jsonify(actions[action]())

    @route("/api/workshops/<workshop_id>/results")
    def results(service, workshop_id):
        state = service.state(workshop_id)
        facilitator = False
        if _key():
            service.authorise(workshop_id, _key())
            facilitator = True
        elif not state["revealed"]:
            raise _Refused(t("Results are hidden until the facilitator reveals them"), 403)
        round_ = _optional_int("round")
        position = _optional_int("position")
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
