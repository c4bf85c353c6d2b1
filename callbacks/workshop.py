"""Workshop callbacks and the /api routes: thin calls into the app's one WorkshopService.

The service is `context.workshop()`, made on first use from the app's Config (its database URL and
admin password), so apps that never open a workshop never touch the database.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlsplit

from dash import ALL, Input, Output, State, ctx, no_update

from callbacks.workshop_api import register_api
from crosspilot.i18n import t
from crosspilot.workshop import WorkshopError
from crosspilot.workshop.report import to_csv, to_html, to_markdown
from crosspilot.workshop.rules import STANCES, stance_label
from layouts import ids
from layouts import workshop as views
from layouts.common import from_select


def _alert(message: str, colour: str = "danger"):
    import dash_bootstrap_components as dbc

    return dbc.Alert(message, color=colour, className="mb-2")


def _digest(component) -> str:
    return hashlib.sha256(
        json.dumps(component.to_plotly_json(), default=str, sort_keys=True).encode()
    ).hexdigest()


def agenda_lines(text: object) -> list[str]:
    """Agenda lines from the text box; a full link copied from the browser becomes its path."""
    if not isinstance(text, str):
        return []
    lines = []
    for line in text[:20_000].splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("http://", "https://")):
            parts = urlsplit(line)
            line = parts.path + (f"?{parts.query}" if parts.query else "")
        lines.append(line)
    return lines


def register(app, context) -> None:
    service = context.workshop
    register_api(app.server, service)
    pilots = context.derived.pilots.short

    # --- set-up ---------------------------------------------------------------------------

    @app.callback(
        Output(ids.WORKSHOP_CREATED, "children"),
        Input(ids.WORKSHOP_CREATE, "n_clicks"),
        State(ids.WORKSHOP_TITLE, "value"),
        State(ids.WORKSHOP_AGENDA, "value"),
        State(ids.WORKSHOP_ROUNDS, "value"),
        prevent_initial_call=True,
    )
    def create(_clicks, title, agenda, rounds):
        try:
            rounds = (
                int(rounds) if isinstance(rounds, (int, float)) and float(rounds).is_integer() else rounds
            )
            created = service().create_workshop(title, agenda_lines(agenda), rounds)
        except WorkshopError as error:
            return _alert(str(error))
        return views.created_panel(created)

    # --- the phone ------------------------------------------------------------------------

    @app.callback(
        Output(ids.WORKSHOP_TOKEN, "data"),
        Output(ids.WORKSHOP_JOIN_MESSAGE, "children"),
        Input(ids.WORKSHOP_JOIN_BUTTON, "n_clicks"),
        State(ids.WORKSHOP_JOIN_CODE, "value"),
        State(ids.WORKSHOP_JOIN_PILOT, "value"),
        State(ids.WORKSHOP_JOIN_STAKEHOLDER, "value"),
        prevent_initial_call=True,
    )
    def join(_clicks, code, pilot, stakeholder):
        try:
            workshop_id, token = service().join(
                code, from_select(pilot) or None, from_select(stakeholder) or None
            )
        except WorkshopError as error:
            return no_update, _alert(str(error))
        return {"workshop": workshop_id, "token": token}, None

    @app.callback(
        Output(ids.WORKSHOP_JOIN_FORM, "hidden"),
        Output(ids.WORKSHOP_VOTE_PANEL, "hidden"),
        Output(ids.WORKSHOP_VOTE_ITEM, "children"),
        Output(ids.WORKSHOP_VOTE_STATE, "children"),
        Output(ids.WORKSHOP_VOTE_POSITION, "data"),
        Output(ids.WORKSHOP_COMMENT, "value"),
        Output({"type": "workshop-stance", "stance": ALL}, "className"),
        Output({"type": "workshop-stance", "stance": ALL}, "disabled"),
        Output(ids.WORKSHOP_VOTE_FEEDBACK, "children"),
        Input(ids.WORKSHOP_JOIN_POLL, "n_intervals"),
        Input(ids.WORKSHOP_TOKEN, "data"),
        State(ids.WORKSHOP_VOTE_POSITION, "data"),
        State(ids.WORKSHOP_JOIN_CODE, "value"),
    )
    def follow(_tick, stored, shown_position, code):
        closed = [f"workshop-stance stance-{s}" for s in STANCES]
        token = stored.get("token") if isinstance(stored, dict) else None
        try:
            me = service().participant(token) if token else None
            # A phone opened with another workshop's code joins that one instead.
            if me and code:
                state_code = service().state(me["workshop_id"])["join_code"]
                if state_code != "".join(ch for ch in str(code).upper() if ch.isalnum()):
                    me = None
        except WorkshopError:
            me = None
        if me is None:
            return False, True, "", "", None, no_update, closed, [True] * 4, ""
        state = service().state(me["workshop_id"])
        item = state["item"]
        comment = "" if shown_position != state["position"] else no_update
        mine = None if item["kind"] == "slide" else service().my_vote(token, state["position"])
        classes = [
            c + (" is-chosen" if mine and mine["stance"] == s else "")
            for c, s in zip(closed, STANCES, strict=True)
        ]
        can_vote = state["voting_open"] and item["kind"] != "slide"
        if item["kind"] == "slide":
            status = t("Look at the screen: this is a slide.")
        elif state["voting_open"]:
            status = t("Voting is open") + (
                t(" — {s} s left", s=state["seconds_left"]) if state["seconds_left"] is not None else ""
            )
        else:
            status = t("Voting is closed for now")
        feedback = (
            t(
                "Your vote: {stance} (confidence {c})",
                stance=stance_label(mine["stance"]),
                c=mine["confidence"],
            )
            if mine
            else ""
        )
        return (
            True,
            False,
            item["title"],
            status,
            state["position"],
            comment,
            classes,
            [not can_vote] * 4,
            feedback,
        )

    @app.callback(
        Output(ids.WORKSHOP_VOTE_FEEDBACK, "children", allow_duplicate=True),
        Input({"type": "workshop-stance", "stance": ALL}, "n_clicks"),
        State(ids.WORKSHOP_TOKEN, "data"),
        State(ids.WORKSHOP_VOTE_POSITION, "data"),
        State(ids.WORKSHOP_CONFIDENCE, "value"),
        State(ids.WORKSHOP_COMMENT, "value"),
        prevent_initial_call=True,
    )
    def vote(clicks, stored, position, confidence, comment):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return no_update
        token = stored.get("token") if isinstance(stored, dict) else None
        try:
            service().vote(token, position, trigger.get("stance"), confidence, comment or "")
        except WorkshopError as error:
            return error.args[0]
        return t("Saved: {stance}", stance=stance_label(trigger["stance"]))

    # --- facilitator ----------------------------------------------------------------------

    app.clientside_callback(
        """function(id) {
            var match = window.location.hash.match(/key=([^&]+)/);
            return match ? decodeURIComponent(match[1]) : window.dash_clientside.no_update;
        }""",
        Output(ids.WORKSHOP_FAC_KEY, "value"),
        Input(ids.WORKSHOP_FAC_ID, "data"),
    )

    @app.callback(
        Output(ids.WORKSHOP_FAC_MESSAGE, "children"),
        Output(ids.WORKSHOP_FAC_TICK, "data"),
        Input(ids.WORKSHOP_FAC_PREV, "n_clicks"),
        Input(ids.WORKSHOP_FAC_NEXT, "n_clicks"),
        Input(ids.WORKSHOP_FAC_OPEN, "n_clicks"),
        Input(ids.WORKSHOP_FAC_CLOSE, "n_clicks"),
        Input(ids.WORKSHOP_FAC_REVEAL, "n_clicks"),
        Input(ids.WORKSHOP_FAC_HIDE, "n_clicks"),
        Input(ids.WORKSHOP_FAC_TIMER, "n_clicks"),
        Input(ids.WORKSHOP_FAC_ROUND, "n_clicks"),
        Input(ids.WORKSHOP_FAC_OVERRIDE, "n_clicks"),
        Input({"type": "workshop-goto", "position": ALL}, "n_clicks"),
        Input({"type": "workshop-hide-comment", "comment": ALL}, "n_clicks"),
        State(ids.WORKSHOP_FAC_ID, "data"),
        State(ids.WORKSHOP_FAC_KEY, "value"),
        State(ids.WORKSHOP_FAC_TIMER_SECONDS, "value"),
        State(ids.WORKSHOP_FAC_STATUS, "value"),
        State(ids.WORKSHOP_FAC_REASON, "value"),
        State(ids.WORKSHOP_FAC_BY, "value"),
        State(ids.WORKSHOP_FAC_TICK, "data"),
        prevent_initial_call=True,
    )
    def act(*args):
        workshop_id, key, seconds, status, reason, by, tick = args[-7:]
        trigger = ctx.triggered_id
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return no_update, no_update  # a button re-drawn by the view, not clicked
        s = service()
        actions = {
            ids.WORKSHOP_FAC_PREV: lambda: s.step(workshop_id, key, -1),
            ids.WORKSHOP_FAC_NEXT: lambda: s.step(workshop_id, key, 1),
            ids.WORKSHOP_FAC_OPEN: lambda: s.set_voting(workshop_id, key, True),
            ids.WORKSHOP_FAC_CLOSE: lambda: s.set_voting(workshop_id, key, False),
            ids.WORKSHOP_FAC_REVEAL: lambda: s.set_revealed(workshop_id, key, True),
            ids.WORKSHOP_FAC_HIDE: lambda: s.set_revealed(workshop_id, key, False),
            ids.WORKSHOP_FAC_TIMER: lambda: s.set_timer(
                workshop_id, key, int(seconds) if isinstance(seconds, (int, float)) else seconds
            ),
            ids.WORKSHOP_FAC_ROUND: lambda: s.new_round(workshop_id, key),
            ids.WORKSHOP_FAC_OVERRIDE: lambda: s.override(
                workshop_id, key, s.state(workshop_id)["position"], status, reason, by or ""
            ),
        }
        try:
            if isinstance(trigger, dict) and trigger.get("type") == "workshop-goto":
                s.goto(workshop_id, key, trigger.get("position"))
            elif isinstance(trigger, dict) and trigger.get("type") == "workshop-hide-comment":
                s.hide_comment(workshop_id, key, trigger.get("comment"))
            elif trigger in actions:
                actions[trigger]()
            else:
                return no_update, no_update
        except WorkshopError as error:
            return _alert(str(error)), no_update
        done = t("Outcome recorded.") if trigger == ids.WORKSHOP_FAC_OVERRIDE else None
        return (_alert(done, "success") if done else None), (tick or 0) + 1

    @app.callback(
        Output(ids.WORKSHOP_FAC_VIEW, "children"),
        Output(ids.WORKSHOP_FAC_VIEW_HASH, "data"),
        Input(ids.WORKSHOP_FAC_POLL, "n_intervals"),
        Input(ids.WORKSHOP_FAC_TICK, "data"),
        Input(ids.WORKSHOP_FAC_KEY, "value"),
        State(ids.WORKSHOP_FAC_ID, "data"),
        State(ids.WORKSHOP_FAC_VIEW_HASH, "data"),
    )
    def facilitator_view(_tick, _actions, key, workshop_id, shown):
        s = service()
        try:
            s.authorise(workshop_id, key)
            state = s.state(workshop_id)
            position = state["position"]
            result = s.results(workshop_id, position)
            history = s.round_history(workshop_id, position)
            comments = s.comments(workshop_id, position, include_hidden=True)
            decisions = s.decisions_for(state["item"]["ref"]) if state["item"]["kind"] != "slide" else []
            view = views.facilitator_view(state, result, history, comments, pilots, decisions)
        except WorkshopError as error:
            view = _alert(str(error), "warning")
        digest = _digest(view)
        return (no_update, no_update) if digest == shown else (view, digest)

    @app.callback(
        Output(ids.WORKSHOP_FAC_DOWNLOAD, "data"),
        Output(ids.WORKSHOP_FAC_MESSAGE, "children", allow_duplicate=True),
        Input(ids.WORKSHOP_FAC_EXPORT_CSV, "n_clicks"),
        Input(ids.WORKSHOP_FAC_EXPORT_MD, "n_clicks"),
        Input(ids.WORKSHOP_FAC_EXPORT_HTML, "n_clicks"),
        State(ids.WORKSHOP_FAC_ID, "data"),
        State(ids.WORKSHOP_FAC_KEY, "value"),
        prevent_initial_call=True,
    )
    def export(_csv, _md, _html, workshop_id, key):
        s = service()
        try:
            s.authorise(workshop_id, key)
            title = s.state(workshop_id)["title"]
            summary = s.summary(workshop_id)
        except WorkshopError as error:
            return no_update, _alert(str(error))
        if ctx.triggered_id == ids.WORKSHOP_FAC_EXPORT_CSV:
            return {"content": to_csv(summary), "filename": f"workshop-{workshop_id}.csv"}, None
        if ctx.triggered_id == ids.WORKSHOP_FAC_EXPORT_MD:
            return {"content": to_markdown(title, summary), "filename": f"workshop-{workshop_id}.md"}, None
        return {"content": to_html(title, summary), "filename": f"workshop-{workshop_id}.html"}, None

    # --- projector ------------------------------------------------------------------------

    @app.callback(
        Output(ids.WORKSHOP_PRESENT_BODY, "children"),
        Output(ids.WORKSHOP_PRESENT_HASH, "data"),
        Input(ids.WORKSHOP_PRESENT_POLL, "n_intervals"),
        State(ids.WORKSHOP_PRESENT_ID, "data"),
        State(ids.WORKSHOP_PRESENT_HASH, "data"),
    )
    def present(_tick, workshop_id, shown):
        s = service()
        try:
            state = s.state(workshop_id)
            position = state["position"]
            if state["item"]["kind"] == "slide":
                view = views.present_view(state, None, [], [], pilots)
            else:
                result = s.results(workshop_id, position)
                revealed = state["revealed"]
                history = s.round_history(workshop_id, position) if revealed else []
                comments = s.comments(workshop_id, position) if revealed else []
                view = views.present_view(state, result, history, comments, pilots)
        except WorkshopError as error:
            view = _alert(str(error), "warning")
        digest = _digest(view)
        return (no_update, no_update) if digest == shown else (view, digest)
