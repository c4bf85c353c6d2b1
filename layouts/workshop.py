"""Workshop pages: set-up (/workshop), phone (/workshop/join), facilitator, projector.

Layouts only build components; the state they show is read through the workshop service by
callbacks/workshop.py. Everything participants typed is shown as text children, never as HTML.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.figures.workshop import stance_figure
from crosspilot.i18n import t
from crosspilot.workshop.models import COMMENT_MAX, REASON_MAX
from crosspilot.workshop.rules import STANCES, STATUSES, stance_label, status_label
from crosspilot.workshop.service import STAKEHOLDER_TYPES, stakeholder_label
from layouts import ids
from layouts.common import ANY, graph

POLL_MS = 1500  # phones, facilitator and projector re-read the room within 2 s


def _field(label: str, control, hint: str | None = None, control_id: str | None = None) -> html.Div:
    parts = [dbc.Label(label, html_for=control_id or control.id, className="fw-semibold")]
    parts.append(control)
    if hint:
        parts.append(dbc.FormText(hint))
    return html.Div(parts, className="mb-3")


def _pilot_options(context) -> list[dict]:
    options = [{"label": t("Prefer not to say"), "value": ANY}]
    options += [{"label": label, "value": pilot} for pilot, label in context.derived.pilots.long.items()]
    return options


# --- /workshop: create a workshop -------------------------------------------------------------


def setup_layout(context, query, theme) -> html.Div:
    items = context.derived.catalogue
    default = "\n".join(ref for ref in items if ref.startswith("lesson:"))
    reference = html.Details(
        [
            html.Summary(t("What can go on the agenda")),
            html.P(
                t(
                    "One item per line: a lesson, a governance model, or the link of a saved Compare or "
                    "Networks view, shown as a slide between votes."
                )
            ),
            html.Table(
                [html.Thead(html.Tr([html.Th(t("Write")), html.Th(t("Item"))]))]
                + [
                    html.Tbody(
                        [html.Tr([html.Td(html.Code(ref)), html.Td(title)]) for ref, title in items.items()]
                    )
                ],
                className="table table-sm",
            ),
        ],
        className="mb-3",
    )
    return html.Div(
        [
            html.H1(t("Workshop")),
            html.P(
                t(
                    "Run a validation workshop: partners vote on lessons and governance models from their "
                    "phones while you present the room's answers on a projector."
                ),
                className="lead",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H2(t("New workshop"), className="h4"),
                            _field(
                                t("Title"),
                                dbc.Input(
                                    id=ids.WORKSHOP_TITLE, maxLength=200, placeholder=t("Validation workshop")
                                ),
                            ),
                            _field(
                                t("Agenda, one item per line"),
                                dbc.Textarea(id=ids.WORKSHOP_AGENDA, value=default, rows=8, spellCheck=False),
                                t("lesson:<id>, governance:<pilot id>, or a page link such as /compare?…"),
                            ),
                            _field(
                                t("Rounds"),
                                dbc.Input(
                                    id=ids.WORKSHOP_ROUNDS, type="number", min=1, max=5, step=1, value=1
                                ),
                                t("Delphi-style: later rounds are compared with earlier ones."),
                            ),
                            dbc.Button(
                                t("Create workshop"), id=ids.WORKSHOP_CREATE, color="primary", size="lg"
                            ),
                        ],
                        lg=6,
                    ),
                    dbc.Col([reference, html.Div(id=ids.WORKSHOP_CREATED, role="status")], lg=6),
                ]
            ),
        ],
        className="workshop-setup",
    )


def created_panel(created, base: str = "") -> html.Div:
    facilitate = f"/workshop/facilitate?w={created.workshop_id}#key={created.facilitator_secret}"
    return dbc.Alert(
        [
            html.H2(t("Workshop created"), className="h4"),
            html.P([t("Join code: "), html.Strong(created.join_code, className="workshop-code")]),
            html.Ul(
                [
                    html.Li(
                        [
                            html.A(
                                t("Facilitator controls"), href=facilitate, id=ids.WORKSHOP_CREATED_FACILITATE
                            ),
                            " — ",
                            t("keep this link to yourself: it carries the facilitator key."),
                        ]
                    ),
                    html.Li(
                        html.A(
                            t("Projector view"),
                            href=f"/workshop/present?w={created.workshop_id}&theme=projector",
                            id=ids.WORKSHOP_CREATED_PRESENT,
                        )
                    ),
                    html.Li(
                        html.A(
                            t("Participants join here"),
                            href=f"/workshop/join?code={created.join_code}",
                            id=ids.WORKSHOP_CREATED_JOIN,
                        )
                    ),
                ]
            ),
            html.P([t("Facilitator key: "), html.Code(created.facilitator_secret)], className="small"),
        ],
        color="success",
    )


# --- /workshop/join: the phone ----------------------------------------------------------------


def join_layout(context, query, theme) -> html.Div:
    stance_buttons = [
        html.Button(
            stance_label(stance),
            id=ids.workshop_stance(stance),
            className=f"workshop-stance stance-{stance}",
            type="button",
            **{"aria-pressed": "false"},
        )
        for stance in STANCES
    ]
    form = html.Div(
        [
            _field(
                t("Join code"),
                dbc.Input(
                    id=ids.WORKSHOP_JOIN_CODE,
                    value=(query.get("code") or "")[:16],
                    maxLength=16,
                    autoComplete="off",
                    className="workshop-big-input",
                ),
            ),
            _field(
                t("Your pilot (optional)"),
                dbc.Select(id=ids.WORKSHOP_JOIN_PILOT, options=_pilot_options(context), value=ANY),
            ),
            _field(
                t("You are here as (optional)"),
                dbc.Select(
                    id=ids.WORKSHOP_JOIN_STAKEHOLDER,
                    options=[{"label": t("Prefer not to say"), "value": ANY}]
                    + [{"label": stakeholder_label(k), "value": k} for k in STAKEHOLDER_TYPES],
                    value=ANY,
                ),
            ),
            html.P(t("No account, no name: your vote is anonymous."), className="small"),
            html.Button(t("Join"), id=ids.WORKSHOP_JOIN_BUTTON, className="workshop-primary", type="button"),
        ],
        id=ids.WORKSHOP_JOIN_FORM,
    )
    panel = html.Div(
        [
            html.P(id=ids.WORKSHOP_VOTE_STATE, className="workshop-vote-state", role="status"),
            html.H2(id=ids.WORKSHOP_VOTE_ITEM, className="workshop-vote-item"),
            html.Div(
                stance_buttons, className="workshop-stances", role="group", **{"aria-label": t("Your stance")}
            ),
            html.Fieldset(
                [
                    html.Legend(t("How sure are you?"), className="fs-6 fw-semibold"),
                    # Native radio buttons: arrow keys move the choice; each has its own <label>.
                    dbc.RadioItems(
                        id=ids.WORKSHOP_CONFIDENCE,
                        options=[{"label": str(n), "value": n} for n in range(1, 6)],
                        value=3,
                        inline=True,
                        className="workshop-confidence",
                        labelClassName="workshop-confidence-option",
                    ),
                    html.Div(t("1 = guessing, 5 = certain"), className="small"),
                ],
                className="mb-3",
            ),
            _field(
                t("Comment or suggested rewording (optional)"),
                dbc.Textarea(id=ids.WORKSHOP_COMMENT, maxLength=COMMENT_MAX, rows=3),
                t("Up to {n} characters. Tap your stance again to send a change.", n=COMMENT_MAX),
            ),
            html.P(id=ids.WORKSHOP_VOTE_FEEDBACK, role="status", className="workshop-feedback"),
        ],
        id=ids.WORKSHOP_VOTE_PANEL,
        hidden=True,
    )
    return html.Div(
        [
            html.H1(t("Workshop")),
            dcc.Store(id=ids.WORKSHOP_TOKEN, storage_type="local"),
            dcc.Store(id=ids.WORKSHOP_VOTE_POSITION),
            dcc.Interval(id=ids.WORKSHOP_JOIN_POLL, interval=POLL_MS),
            html.Div(id=ids.WORKSHOP_JOIN_MESSAGE, role="alert"),
            form,
            panel,
        ],
        className="workshop-phone",
    )


# --- /workshop/facilitate ---------------------------------------------------------------------


def facilitate_layout(context, query, theme) -> html.Div:

    def button(label, id_, color="secondary", key_hint=None):
        return dbc.Button(label, id=id_, color=color, className="me-2 mb-2", title=key_hint)

    controls = html.Div(
        [
            button(t("◀ Previous"), ids.WORKSHOP_FAC_PREV, key_hint=t("Left arrow or Page Up")),
            button(t("Next ▶"), ids.WORKSHOP_FAC_NEXT, "primary", t("Right arrow or Page Down")),
            button(t("Open voting"), ids.WORKSHOP_FAC_OPEN, "success"),
            button(t("Close voting"), ids.WORKSHOP_FAC_CLOSE, "dark"),
            button(t("Reveal results"), ids.WORKSHOP_FAC_REVEAL, "primary"),
            button(t("Hide results"), ids.WORKSHOP_FAC_HIDE),
            button(t("Start a new round"), ids.WORKSHOP_FAC_ROUND, "warning"),
        ],
        className="workshop-controls",
    )
    timer = dbc.InputGroup(
        [
            dbc.InputGroupText(
                dbc.Label(t("Timer (seconds)"), html_for=ids.WORKSHOP_FAC_TIMER_SECONDS, className="m-0")
            ),
            dbc.Input(id=ids.WORKSHOP_FAC_TIMER_SECONDS, type="number", min=0, max=3600, step=10, value=60),
            dbc.Button(t("Start timer"), id=ids.WORKSHOP_FAC_TIMER, color="secondary"),
        ],
        className="mb-3 workshop-timer",
    )
    override = html.Div(
        [
            html.H2(t("Outcome"), className="h5"),
            _field(
                t("Set the status"),
                dbc.Select(
                    id=ids.WORKSHOP_FAC_STATUS,
                    options=[{"label": status_label(s), "value": s} for s in STATUSES],
                    value="validated",
                ),
            ),
            _field(
                t("Reason (kept in the record)"),
                dbc.Textarea(id=ids.WORKSHOP_FAC_REASON, maxLength=REASON_MAX),
            ),
            _field(t("Decided by (optional)"), dbc.Input(id=ids.WORKSHOP_FAC_BY, maxLength=64)),
            dbc.Button(t("Record outcome"), id=ids.WORKSHOP_FAC_OVERRIDE, color="primary"),
        ],
        className="workshop-override",
    )
    exports = html.Div(
        [
            html.H2(t("Export"), className="h5"),
            button(t("Results (CSV)"), ids.WORKSHOP_FAC_EXPORT_CSV),
            button(t("Report (Markdown)"), ids.WORKSHOP_FAC_EXPORT_MD),
            button(t("Report (HTML)"), ids.WORKSHOP_FAC_EXPORT_HTML),
            dcc.Download(id=ids.WORKSHOP_FAC_DOWNLOAD),
        ]
    )
    return html.Div(
        [
            html.H1(t("Facilitate")),
            dcc.Store(id=ids.WORKSHOP_FAC_ID, data=(query.get("w") or "")[:16]),
            dcc.Store(id=ids.WORKSHOP_FAC_TICK, data=0),
            dcc.Store(id=ids.WORKSHOP_FAC_VIEW_HASH),
            dcc.Interval(id=ids.WORKSHOP_FAC_POLL, interval=POLL_MS),
            _field(
                t("Facilitator key or admin password"),
                dbc.Input(id=ids.WORKSHOP_FAC_KEY, type="password", autoComplete="off"),
                t("Filled in from your facilitator link; checked by the server on every action."),
            ),
            html.Div(id=ids.WORKSHOP_FAC_MESSAGE, role="status"),
            controls,
            timer,
            dbc.Row(
                [
                    dbc.Col(html.Div(id=ids.WORKSHOP_FAC_VIEW), lg=8),
                    dbc.Col([override, exports], lg=4),
                ]
            ),
        ],
        className="workshop-facilitate",
    )


# --- views built from the service's state (called by the callbacks) ---------------------------


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _split_table(title: str, split: dict[str, dict[str, int]], names) -> html.Div:
    if not split:
        return html.Div()
    head = html.Thead(html.Tr([html.Th(title)] + [html.Th(stance_label(s)) for s in STANCES]))
    body = html.Tbody(
        [
            html.Tr([html.Th(names(group), scope="row")] + [html.Td(counts.get(s, 0)) for s in STANCES])
            for group, counts in split.items()
        ]
    )
    return html.Table([head, body], className="table table-sm workshop-split")


def results_block(result, history, comments, pilots: dict[str, str], theme: str, facilitator: bool = False):
    """Stance chart with its table, consensus, splits by pilot and stakeholder, and the comment wall."""
    stance_rows = [
        html.Tr([html.Th(stance_label(s), scope="row"), html.Td(result.counts[s])]) for s in STANCES
    ]
    summary = html.P(
        [
            html.Span(t("{n} votes", n=result.total), className="workshop-stat"),
            html.Span(t("agreement {a}", a=_percent(result.agreement)), className="workshop-stat"),
            html.Span(
                t("consensus {c}", c="–" if result.consensus is None else f"{result.consensus:.2f}"),
                className="workshop-stat",
            ),
            html.Span(
                t("rules say: {s}", s=status_label(result.status)), className="workshop-stat workshop-status"
            ),
        ],
        className="workshop-summary",
    )
    rounds = None
    if len(history) > 1:
        rounds = html.P(
            [t("By round: ")]
            + [
                html.Span(
                    t(
                        "round {r}: {a} agree ({n} votes)",
                        r=h["round"],
                        a=_percent(h["agreement"]),
                        n=h["total"],
                    ),
                    className="workshop-stat",
                )
                for h in history
            ]
        )
    wall = []
    for comment in comments:
        item = [html.Span(stance_label(comment["stance"]) + ": ", className="fw-semibold"), comment["text"]]
        if facilitator:
            label = t("Hidden") if comment["hidden"] else t("Hide")
            item.append(
                dbc.Button(
                    label,
                    id=ids.workshop_hide_comment(comment["id"]),
                    size="sm",
                    color="link",
                    disabled=comment["hidden"],
                    className="ms-2",
                )
            )
        wall.append(html.Li(item, className="workshop-comment" + (" is-hidden" if comment["hidden"] else "")))
    return html.Div(
        [
            summary,
            rounds,
            dbc.Row(
                [
                    dbc.Col(
                        graph(
                            ids.WORKSHOP_PRESENT_GRAPH if not facilitator else ids.WORKSHOP_FAC_GRAPH,
                            stance_figure(result.counts, theme),
                            t("How the room voted; the same numbers are in the table beside the chart."),
                            config={"displayModeBar": False, "staticPlot": theme == "projector"},
                        ),
                        md=8,
                    ),
                    dbc.Col(
                        html.Table(
                            [html.Caption(t("Votes by stance")), html.Tbody(stance_rows)],
                            className="table table-sm workshop-stance-table",
                        ),
                        md=4,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _split_table(
                            t("Pilot"), result.by_pilot, lambda p: pilots.get(p, p) or t("Not given")
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        _split_table(t("Stakeholder type"), result.by_stakeholder, stakeholder_label), md=6
                    ),
                ]
            ),
            html.H3(t("Comments"), className="h5"),
            html.Ul(wall, className="workshop-wall") if wall else html.P(t("No comments yet.")),
        ]
    )


def slide_block(item: dict, theme: str) -> html.Div:
    """A saved view of another page, presented as a link (no iframe)."""
    path = item["ref"]
    href = path + ("&" if "?" in path else "?") + "theme=projector" if theme == "projector" else path
    return html.Div(
        [
            html.P(t("Slide"), className="workshop-kicker"),
            html.H2(item["title"] if item["title"] != path else t("Saved view")),
            html.P(
                html.A(t("Open this view: {path}", path=path), href=href, className="workshop-slide-link")
            ),
        ],
        className="workshop-slide",
    )


def _status_line(state: dict) -> str:
    parts = [t("Round {r} of {n}", r=state["round"], n=state["rounds_planned"])]
    parts.append(t("voting open") if state["voting_open"] else t("voting closed"))
    if state["seconds_left"] is not None:
        parts.append(t("{s} s left", s=state["seconds_left"]))
    parts.append(t("results shown") if state["revealed"] else t("results hidden"))
    parts.append(t("{n} joined", n=state["participants"]))
    return " · ".join(parts)


def facilitator_view(state: dict, result, history, comments, pilots, decisions) -> html.Div:
    item = state["item"]
    agenda = html.Ol(
        [
            html.Li(
                html.Button(
                    entry["title"],
                    id=ids.workshop_goto(entry["position"]),
                    type="button",
                    className="btn btn-link workshop-agenda-item"
                    + (" is-current" if entry["position"] == state["position"] else ""),
                    **({"aria-current": "step"} if entry["position"] == state["position"] else {}),
                )
            )
            for entry in state["agenda"]
        ],
        className="workshop-agenda",
    )
    body = [
        html.P(
            [
                t("Join code: "),
                html.Strong(state["join_code"], className="workshop-code"),
                " · ",
                _status_line(state),
            ],
            className="workshop-fac-status",
        ),
        html.H2(
            t(
                "Item {n} of {m}: {title}",
                n=state["position"] + 1,
                m=len(state["agenda"]),
                title=item["title"],
            ),
            className="h3",
        ),
    ]
    if item["kind"] == "slide":
        body.append(slide_block(item, "standard"))
    else:
        body.append(results_block(result, history, comments, pilots, "standard", facilitator=True))
        if decisions:
            body.append(html.H3(t("Decisions on this item"), className="h5"))
            body.append(
                html.Ul(
                    [
                        html.Li(
                            f"{d.decided_at:%Y-%m-%d %H:%M} UTC — {status_label(d.status)} — "
                            f"{d.decided_by}: {d.reason}"
                        )
                        for d in decisions
                    ],
                    className="workshop-decisions",
                )
            )
    body += [html.H3(t("Agenda"), className="h5"), agenda]
    return html.Div(body)


def present_view(state: dict, result, history, comments, pilots) -> html.Div:
    item = state["item"]
    header = html.Div(
        [
            html.Div(
                [
                    t("Join at /workshop/join with code "),
                    html.Strong(state["join_code"], className="workshop-code"),
                ]
            ),
            html.Div(_status_line(state), className="workshop-present-status"),
        ],
        className="workshop-present-header",
    )
    if item["kind"] == "slide":
        return html.Div([header, slide_block(item, "projector")])
    body = [
        header,
        html.P(
            t("Item {n} of {m}", n=state["position"] + 1, m=len(state["agenda"])),
            className="workshop-kicker",
        ),
        html.H2(item["title"], className="workshop-present-title"),
    ]
    if state["revealed"]:
        body.append(results_block(result, history, comments, pilots, "projector"))
    else:
        body.append(
            html.P(
                t("{n} votes so far. Results appear when the facilitator reveals them.", n=result.total),
                className="workshop-waiting",
            )
        )
    return html.Div(body)


def present_layout(context, query, theme) -> html.Div:
    return html.Div(
        [
            html.H1(t("Workshop results")),
            dcc.Store(id=ids.WORKSHOP_PRESENT_ID, data=(query.get("w") or "")[:16]),
            dcc.Store(id=ids.WORKSHOP_PRESENT_HASH),
            dcc.Interval(id=ids.WORKSHOP_PRESENT_POLL, interval=POLL_MS),
            html.Div(id=ids.WORKSHOP_PRESENT_BODY, **{"aria-live": "polite"}),
        ],
        className="workshop-present",
    )
