"""Workshop callbacks: set-up, the phone, the facilitator's controls and view, the projector.

Each callback is a plain module-level function `f(context, ...)` that a test calls directly; what
Dash's `ctx` knows (which button was clicked) arrives as an argument. `register` wires them with thin
adapters and dict-grouped inputs and state. The service is `context.workshop()`, made on first use
from the app's Config, so apps that never open a workshop never touch the database.
"""

from __future__ import annotations

import hashlib
import json

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks.wiring import wiring
from callbacks.workshop_api import browser_id, client_address, register_api, remember_browser
from crosspilot import access
from crosspilot.i18n import t
from crosspilot.workshop import WorkshopError
from crosspilot.workshop.agenda import AgendaError, in_reader_language, read_agenda, slide_title
from crosspilot.workshop.errors import Unavailable
from crosspilot.workshop.report import to_csv, to_html, to_markdown
from crosspilot.workshop.rules import stance_label
from layouts import ids
from layouts import workshop as views
from layouts import workshop_slides as slides
from layouts.common import ANY, from_select

# Facilitator buttons -> what they do, as (service method, its arguments after workshop and key).
STEPS = {
    ids.WORKSHOP_FAC_PREV: ("step", (-1,)),
    ids.WORKSHOP_FAC_NEXT: ("step", (1,)),
    ids.WORKSHOP_FAC_OPEN: ("set_voting", (True,)),
    ids.WORKSHOP_FAC_CLOSE: ("set_voting", (False,)),
    ids.WORKSHOP_FAC_REVEAL: ("set_revealed", (True,)),
    ids.WORKSHOP_FAC_HIDE: ("set_revealed", (False,)),
    ids.WORKSHOP_FAC_ROUND: ("new_round", ()),
}
FACILITATOR_BUTTONS = (*STEPS, ids.WORKSHOP_FAC_TIMER, ids.WORKSHOP_FAC_OVERRIDE)
EXPORTS = {
    ids.WORKSHOP_FAC_EXPORT_CSV: "csv",
    ids.WORKSHOP_FAC_EXPORT_MD: "md",
    ids.WORKSHOP_FAC_EXPORT_HTML: "html",
}


def _alert(message: str, colour: str = "danger"):
    return dbc.Alert(message, color=colour, className="mb-2")


def _digest(component) -> str:
    plain = component.to_plotly_json() if hasattr(component, "to_plotly_json") else component
    return hashlib.sha256(json.dumps(plain, default=str, sort_keys=True).encode()).hexdigest()


def _token(stored: object) -> str | None:
    """The participant token from the phone's local storage (a value from the browser: checked)."""
    token = stored.get("token") if isinstance(stored, dict) else None
    return token if isinstance(token, str) else None


def _whole(value: object) -> object:
    """A number input's value as an int when it is a whole number; anything else as it came (the
    service says what is wrong with it)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return value


# --- set-up ---------------------------------------------------------------------------------


def create(context, title, agenda, rounds, practice=False):
    """The created workshop's links and join code, or the reason it was refused. A practice run is
    asked for only by a ticked box (anything else from the browser is a real workshop). Only partners
    (and up) create workshops: the role is checked here, whatever the page showed."""
    if not access.at_least("partner"):
        return _alert(access.refusal("partner").message)
    try:
        items = read_agenda(context.derived, agenda)
        service = context.workshop()
        if practice is True:
            created = service.create_workshop(title, items, _whole(rounds), practice=True)
        else:
            created = service.create_workshop(title, items, _whole(rounds))
    except (AgendaError, WorkshopError) as error:
        return _alert(str(error))
    return views.created_panel(created)


def add_to_agenda(context, choice, agenda):
    """The agenda text with the picker's choice added on its own line (only a choice the picker offers)."""
    known = dict(views.picker_options(context))
    choice = from_select(choice)
    if choice not in known:
        raise PreventUpdate
    return views.add_line(agenda, choice)


# --- the phone ------------------------------------------------------------------------------


def join(context, code, pilot, stakeholder) -> dict:
    """The phone's token (kept in its local storage) and a message when joining was refused.

    Through the same door as the JSON API: the browser's join cookie makes a second join from this
    browser the same participant, and wrong codes are counted against the client's address."""
    from flask import has_request_context

    browser = address = None
    if has_request_context():
        browser, _ = browser_id()
        address = client_address()
    try:
        workshop_id, token = context.workshop().join(
            code,
            from_select(pilot) or None,
            from_select(stakeholder) or None,
            browser=browser,
            address=address,
        )
    except WorkshopError as error:
        return {"token": no_update, "message": _alert(str(error))}
    if browser is not None:
        remember_browser(ctx.response, browser)  # Dash's response to this callback
    return {"token": {"workshop": workshop_id, "token": token}, "message": None}


def _left_room() -> dict:
    return {
        "form_hidden": False,
        "panel_hidden": True,
        "item": "",
        "status": "",
        "position": None,
        "comment": no_update,
        "stance": no_update,
        "send_disabled": True,
        "send_position": "",
        "send_workshop": "",
        "evidence": None,
        "feedback": "",
        "seen": None,
        "mark_options": no_update,
        "mark_hidden": True,
        "mark_value": no_update,
    }


def _mark_choices(options: list[tuple[str, str]]) -> list[dict]:
    return [{"label": t("The whole view"), "value": ANY}, *({"label": b, "value": a} for a, b in options)]


def _seen_key(token: str | None) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16] if token else ""


def follow(context, stored, shown_position, code, seen=None) -> dict:
    """What the phone shows: the join form, or the current item with its claim and evidence, whether
    voting is open and the vote the server holds. The evidence is drawn only when the item changes.

    Most polls find the room as it was: `seen` (what this phone last drew: the room's state version,
    whether a timer was running) lets one small query answer "nothing changed" (PreventUpdate), so an
    idle room of 200 phones costs almost nothing. A running timer redraws every poll."""
    service = context.workshop()
    token = _token(stored)
    if isinstance(seen, dict) and token and seen.get("token") == _seen_key(token) and not seen.get("timer"):
        try:
            if service.version(seen.get("workshop")) == seen.get("version"):
                raise PreventUpdate
        except WorkshopError:
            pass  # the full answer below says what happened
    try:
        me = service.participant(token) if token else None
        # A phone opened with another workshop's code joins that one instead.
        if me and code:
            state_code = service.state(me["workshop_id"])["join_code"]
            if state_code != "".join(ch for ch in str(code).upper() if ch.isalnum()):
                me = None
    except WorkshopError:
        me = None
    if me is None:
        return _left_room()
    state = in_reader_language(context.derived, service.state(me["workshop_id"]))
    item = state["item"]
    slide = item["kind"] == "slide"
    mine = service.my_vote(token, state["position"])
    if slide and not state["voting_open"]:
        status = t("Look at the screen: this is a slide.")
    elif state["voting_open"]:
        left = state["seconds_left"]
        status = t("Voting is open") + ("" if left is None else t(" — {s} s left", s=context.fmt.count(left)))
    else:
        status = t("Voting is closed for now")
    if state.get("practice"):
        status = t("Practice") + " · " + status
    feedback = ""
    if mine:
        about = ""
        if mine.get("mark"):
            label = context.derived.slide_marks(item["ref"]).get(mine["mark"], mine["mark"])
            about = t(", about {mark}", mark=label)
        with_comment = t(", with a comment") if mine.get("comment") else ""
        feedback = t(
            "The server holds your vote: {stance}, confidence {c}{comment}.",
            stance=stance_label(mine["stance"]),
            c=context.fmt.count(mine["confidence"]),
            comment=with_comment + about,
        )
    moved = shown_position != state["position"]
    marks = slides.mark_options(context, item) if moved else []
    title = item["title"]
    if slide and title == item["ref"]:
        title = slide_title(context.derived, item["ref"])  # a workshop saved before titles in words
    return {
        "form_hidden": True,
        "panel_hidden": False,
        "item": title,
        "status": status,
        "position": state["position"],
        # A new item clears the ballot; the same item keeps what the participant is composing.
        "comment": "" if moved else no_update,
        "stance": None if moved else no_update,
        "send_disabled": not state["voting_open"],
        "send_position": str(state["position"]),
        "send_workshop": state["id"],
        # On a phone a tap on a data slide's mark chooses what the vote is about.
        "evidence": slides.evidence(context, item, compact=True, pickable=True) if moved else no_update,
        "mark_options": _mark_choices(marks) if moved else no_update,
        "mark_hidden": not marks if moved else no_update,
        "mark_value": ANY if moved else no_update,
        "feedback": feedback,
        "seen": {
            "workshop": state["id"],
            "version": state["version"],
            "token": _seen_key(token),
            "timer": state["voting_open"] and state["seconds_left"] is not None,
        },
    }


# --- facilitator ----------------------------------------------------------------------------


def act(context, trigger, workshop_id, key, seconds=None, status=None, reason=None, by=None, tick=0):
    """One facilitator action, checked by the service with the key. `trigger` is the id of the button
    pressed (a dict for an agenda item or a comment's Hide). Returns the message and the new tick,
    which makes the facilitator's view re-read the room at once."""
    service = context.workshop()
    try:
        if isinstance(trigger, dict) and trigger.get("type") == "workshop-goto":
            service.goto(workshop_id, key, trigger.get("position"))
        elif isinstance(trigger, dict) and trigger.get("type") == "workshop-hide-comment":
            service.hide_comment(workshop_id, key, trigger.get("comment"))
        elif trigger in STEPS:
            method, arguments = STEPS[trigger]
            getattr(service, method)(workshop_id, key, *arguments)
        elif trigger == ids.WORKSHOP_FAC_TIMER:
            service.set_timer(workshop_id, key, _whole(seconds))
        elif trigger == ids.WORKSHOP_FAC_OVERRIDE:
            position = service.state(workshop_id)["position"]
            service.override(workshop_id, key, position, status, reason, by or "")
        else:
            return {"message": no_update, "tick": no_update}
    except WorkshopError as error:
        return {"message": _alert(str(error)), "tick": no_update}
    done = trigger == ids.WORKSHOP_FAC_OVERRIDE
    return {
        "message": _alert(t("Outcome recorded."), "success") if done else None,
        "tick": (tick if isinstance(tick, int) else 0) + 1,
    }


def _decision_now(service, state: dict):
    """The outcome in force for the current item in this workshop's current round, or None."""
    item = state["item"]
    if item["kind"] == "slide":
        return None
    found = [
        d for d in service.outcomes(state["id"]) if d.item_id == item["ref"] and d.round == state["round"]
    ]
    return found[-1] if found else None


def _decisions_on(service, state: dict) -> list:
    """The decisions on the current item: its whole history, or a practice run's own outcomes."""
    ref = state["item"]["ref"]
    if state.get("practice"):
        return [d for d in service.outcomes(state["id"]) if d.item_id == ref]
    return service.decisions_for(ref)


def facilitator_view(context, workshop_id, key, shown=None) -> dict:
    """The facilitator's screen in three parts: the status line, the item's view (results always
    visible to them, hidden comments marked) and the agenda. Each part is sent only when it differs
    from the one on screen (`shown` holds their digests), so a redraw never takes the keyboard focus
    from a control that did not change: a running timer redraws only the status line."""
    service = context.workshop()
    shown = shown if isinstance(shown, dict) else {}
    try:
        service.authorise(workshop_id, key)
        state = in_reader_language(context.derived, service.state(workshop_id))
        position = state["position"]
        item = state["item"]
        slide = item["kind"] == "slide"
        # Only a data slide has marks: other items skip the query on every poll.
        tallies = service.mark_tallies(workshop_id, position, include_hidden=True) if slide else []
        parts = {
            "status": views.status_line(state, context.fmt),
            "view": views.facilitator_view(
                state,
                service.results(workshop_id, position),
                service.rounds_compared(workshop_id, position),
                service.comments(workshop_id, position, include_hidden=True),
                context.derived.pilots.short,
                [] if slide else _decisions_on(service, state),
                context.fmt,
                evidence=slides.evidence(context, item, "standard", compact=False, tallies=tallies),
                tallies=tallies,
            ),
            "agenda": views.agenda_list(state),
        }
    except Unavailable as error:
        # The room is still there: keep what the screen shows, and say why nothing moves.
        status = _alert(t("Database unavailable: {why}", why=error), "warning")
        # The status digest is forgotten, so the line is drawn again once the database is back.
        return {"status": status, "view": no_update, "agenda": no_update, "digest": {**shown, "status": ""}}
    except WorkshopError as error:
        parts = {"status": "", "view": _alert(str(error), "warning"), "agenda": None}
    digests = {name: _digest(part) for name, part in parts.items()}
    out = {name: part if digests[name] != shown.get(name) else no_update for name, part in parts.items()}
    out["digest"] = digests if digests != shown else no_update
    return out


def export(context, kind, workshop_id, key) -> dict:
    """The results as CSV, or the report as Markdown or HTML, for the facilitator to download."""
    service = context.workshop()
    try:
        service.authorise(workshop_id, key)
        state = service.state(workshop_id)
        title = state["title"] + (" — " + t("Practice") if state.get("practice") else "")
        summary = service.summary(workshop_id)
        if state.get("practice"):  # a practice run's outcomes live in its audit trail, not in decisions
            latest = {(d.item_id, d.round): d for d in service.outcomes(workshop_id)}
            summary = [{**e, "decision": latest.get((e["ref"], e["round"]))} for e in summary]
    except WorkshopError as error:
        return {"download": no_update, "message": _alert(str(error))}
    if kind == "csv":
        content = to_csv(summary)
    elif kind == "md":
        content = to_markdown(title, summary, context.fmt)
    else:
        kind, content = "html", to_html(title, summary, context.fmt)
    return {"download": {"content": content, "filename": f"workshop-{workshop_id}.{kind}"}, "message": None}


# --- projector ------------------------------------------------------------------------------


def join_url(code: str) -> str:
    """The join link for the room's phones, on the host the projector reached the app through."""
    from flask import has_request_context, request

    base = request.host_url.rstrip("/") if has_request_context() else ""
    return base + view_link_join(code)


def view_link_join(code: str) -> str:
    from crosspilot.views import workshop as room

    return room.link(room.JOIN_PATH, room.JoinView(code=code))


def present(context, workshop_id, shown=None) -> dict:
    """The projector: the current item with its evidence, its count, the results once the facilitator
    reveals them, and the decision once one is recorded."""
    service = context.workshop()
    pilots = context.derived.pilots.short
    try:
        state = in_reader_language(context.derived, service.state(workshop_id))
        position = state["position"]
        item = state["item"]
        slide = item["kind"] == "slide"
        # The counts on a data slide's marks are shown live; comments only once results are revealed.
        tallies = service.mark_tallies(workshop_id, position) if slide else []
        common = dict(
            evidence=slides.evidence(context, item, "projector", compact=False, tallies=tallies),
            join_url=join_url(state["join_code"]),
        )
        if slide:
            revealed = state["revealed"]
            view = views.present_view(
                state,
                service.results(workshop_id, position),
                [],
                service.comments(workshop_id, position) if revealed else [],
                pilots,
                context.fmt,
                tallies=tallies,
                **common,
            )
        else:
            revealed = state["revealed"]
            view = views.present_view(
                state,
                service.results(workshop_id, position),
                service.rounds_compared(workshop_id, position) if revealed else [],
                service.comments(workshop_id, position) if revealed else [],
                pilots,
                context.fmt,
                decision=_decision_now(service, state),
                **common,
            )
    except WorkshopError as error:
        view = _alert(str(error), "warning")
    digest = _digest(view)
    if digest == shown:
        return {"view": no_update, "digest": no_update}
    return {"view": view, "digest": digest}


# --- wiring ---------------------------------------------------------------------------------


def _clicked() -> bool:
    """A real click: Dash also fires when a button is drawn again by the view (n_clicks None or 0)."""
    return bool(ctx.triggered) and bool(ctx.triggered[0].get("value"))


def register(app, context) -> None:
    wire = wiring(app, context)
    register_api(app.server, context.workshop, context.config.admin_password)

    wire(
        create,
        output=Output(ids.WORKSHOP_CREATED, "children"),
        inputs=dict(_clicks=Input(ids.WORKSHOP_CREATE, "n_clicks")),
        state=dict(
            title=State(ids.WORKSHOP_TITLE, "value"),
            agenda=State(ids.WORKSHOP_AGENDA, "value"),
            rounds=State(ids.WORKSHOP_ROUNDS, "value"),
            practice=State(ids.WORKSHOP_PRACTICE, "value"),
        ),
        prevent_initial_call=True,
    )
    wire(
        add_to_agenda,
        output=Output(ids.WORKSHOP_AGENDA, "value"),
        inputs=dict(_clicks=Input(ids.WORKSHOP_PICKER_ADD, "n_clicks")),
        state=dict(choice=State(ids.WORKSHOP_PICKER, "value"), agenda=State(ids.WORKSHOP_AGENDA, "value")),
        prevent_initial_call=True,
    )
    wire(
        join,
        output=dict(
            token=Output(ids.WORKSHOP_TOKEN, "data"),
            message=Output(ids.WORKSHOP_JOIN_MESSAGE, "children"),
        ),
        inputs=dict(_clicks=Input(ids.WORKSHOP_JOIN_BUTTON, "n_clicks")),
        state=dict(
            code=State(ids.WORKSHOP_JOIN_CODE, "value"),
            pilot=State(ids.WORKSHOP_JOIN_PILOT, "value"),
            stakeholder=State(ids.WORKSHOP_JOIN_STAKEHOLDER, "value"),
        ),
        prevent_initial_call=True,
    )
    wire(
        follow,
        output=dict(
            form_hidden=Output(ids.WORKSHOP_JOIN_FORM, "hidden"),
            panel_hidden=Output(ids.WORKSHOP_VOTE_PANEL, "hidden"),
            item=Output(ids.WORKSHOP_VOTE_ITEM, "children"),
            status=Output(ids.WORKSHOP_VOTE_STATE, "children"),
            position=Output(ids.WORKSHOP_VOTE_POSITION, "data"),
            comment=Output(ids.WORKSHOP_COMMENT, "value"),
            stance=Output(ids.WORKSHOP_STANCE, "value"),
            send_disabled=Output(ids.WORKSHOP_SEND, "disabled"),
            # The script that sends the vote reads the item and the workshop from the button.
            send_position=Output(ids.WORKSHOP_SEND, "value"),
            send_workshop=Output(ids.WORKSHOP_SEND, "name"),
            evidence=Output(ids.WORKSHOP_VOTE_EVIDENCE, "children"),
            feedback=Output(ids.WORKSHOP_VOTE_FEEDBACK, "children"),
            seen=Output(ids.WORKSHOP_VOTE_SEEN, "data"),
            mark_options=Output(ids.WORKSHOP_MARK, "options"),
            mark_hidden=Output(ids.WORKSHOP_MARK_FIELD, "hidden"),
            mark_value=Output(ids.WORKSHOP_MARK, "value"),
        ),
        inputs=dict(
            _pulse=Input(ids.WORKSHOP_VOTE_PULSE, "data"),
            stored=Input(ids.WORKSHOP_TOKEN, "data"),
        ),
        state=dict(
            shown_position=State(ids.WORKSHOP_VOTE_POSITION, "data"),
            code=State(ids.WORKSHOP_JOIN_CODE, "value"),
            seen=State(ids.WORKSHOP_VOTE_SEEN, "data"),
        ),
    )

    # A tap on a mark of the phone's slide chooses it as what the vote is about (points and elements
    # carry their mark; one not in the short list is added to it). The server checks the mark again.
    choose = """function(picked, options) {
        var mark = picked && picked.mark;
        if (!mark) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
        options = options || [];
        var known = options.some(function (o) { return o.value === mark; });
        return [mark, known ? window.dash_clientside.no_update
                            : options.concat([{label: picked.label || mark, value: mark}])];
    }"""
    for source in (
        Input(ids.WORKSHOP_PICK_GRAPH, "clickData"),
        Input(ids.WORKSHOP_PICK_NETWORK, "tapNodeData"),
        Input(ids.WORKSHOP_PICK_NETWORK, "tapEdgeData"),
    ):
        app.clientside_callback(
            """function(data, options) {
                var point = data && data.points ? data.points[0] : null;
                var picked = point ? {mark: point.customdata, label: point.y}
                                   : data ? {mark: data.pick, label: data.pick_label} : null;
                return (CHOOSE)(picked, options);
            }""".replace("CHOOSE", choose),
            Output(ids.WORKSHOP_MARK, "value", allow_duplicate=True),
            Output(ids.WORKSHOP_MARK, "options", allow_duplicate=True),
            source,
            State(ids.WORKSHOP_MARK, "options"),
            prevent_initial_call=True,
        )

    app.clientside_callback(
        """function(id) {
            var match = window.location.hash.match(/key=([^&]+)/);
            return match ? decodeURIComponent(match[1]) : window.dash_clientside.no_update;
        }""",
        Output(ids.WORKSHOP_FAC_KEY, "value"),
        Input(ids.WORKSHOP_FAC_ID, "data"),
    )

    @app.callback(
        output=dict(
            message=Output(ids.WORKSHOP_FAC_MESSAGE, "children"),
            tick=Output(ids.WORKSHOP_FAC_TICK, "data"),
        ),
        inputs=dict(
            buttons=[Input(button, "n_clicks") for button in FACILITATOR_BUTTONS],
            goto=Input(ids.workshop_goto(ALL), "n_clicks"),
            hide=Input(ids.workshop_hide_comment(ALL), "n_clicks"),
        ),
        state=dict(
            workshop_id=State(ids.WORKSHOP_FAC_ID, "data"),
            key=State(ids.WORKSHOP_FAC_KEY, "value"),
            seconds=State(ids.WORKSHOP_FAC_TIMER_SECONDS, "value"),
            status=State(ids.WORKSHOP_FAC_STATUS, "value"),
            reason=State(ids.WORKSHOP_FAC_REASON, "value"),
            by=State(ids.WORKSHOP_FAC_BY, "value"),
            tick=State(ids.WORKSHOP_FAC_TICK, "data"),
        ),
        prevent_initial_call=True,
    )
    def _act(buttons, goto, hide, **controls):
        if not _clicked():
            raise PreventUpdate
        return act(context, ctx.triggered_id, **controls)

    wire(
        facilitator_view,
        output=dict(
            status=Output(ids.WORKSHOP_FAC_STATUS_LINE, "children"),
            view=Output(ids.WORKSHOP_FAC_VIEW, "children"),
            agenda=Output(ids.WORKSHOP_FAC_AGENDA, "children"),
            digest=Output(ids.WORKSHOP_FAC_VIEW_HASH, "data"),
        ),
        inputs=dict(
            _poll=Input(ids.WORKSHOP_FAC_POLL, "n_intervals"),
            _tick=Input(ids.WORKSHOP_FAC_TICK, "data"),
            key=Input(ids.WORKSHOP_FAC_KEY, "value"),
        ),
        state=dict(
            workshop_id=State(ids.WORKSHOP_FAC_ID, "data"),
            shown=State(ids.WORKSHOP_FAC_VIEW_HASH, "data"),
        ),
    )

    @app.callback(
        output=dict(
            download=Output(ids.WORKSHOP_FAC_DOWNLOAD, "data"),
            message=Output(ids.WORKSHOP_FAC_MESSAGE, "children", allow_duplicate=True),
        ),
        inputs=dict(_clicks=[Input(button, "n_clicks") for button in EXPORTS]),
        state=dict(
            workshop_id=State(ids.WORKSHOP_FAC_ID, "data"),
            key=State(ids.WORKSHOP_FAC_KEY, "value"),
        ),
        prevent_initial_call=True,
    )
    def _export(_clicks, **room):
        if ctx.triggered_id not in EXPORTS:
            raise PreventUpdate
        return export(context, EXPORTS[ctx.triggered_id], **room)

    wire(
        present,
        output=dict(
            view=Output(ids.WORKSHOP_PRESENT_BODY, "children"),
            digest=Output(ids.WORKSHOP_PRESENT_HASH, "data"),
        ),
        inputs=dict(
            _poll=Input(ids.WORKSHOP_PRESENT_POLL, "n_intervals"),
            _pulse=Input(ids.WORKSHOP_PRESENT_PULSE, "data"),
        ),
        state=dict(
            workshop_id=State(ids.WORKSHOP_PRESENT_ID, "data"),
            shown=State(ids.WORKSHOP_PRESENT_HASH, "data"),
        ),
    )
