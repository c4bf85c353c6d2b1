"""Workshop pages: set-up (/workshop), phone (/workshop/join), facilitator, projector.

Layouts only build components; the state they show is read through the workshop service by
callbacks/workshop.py. Each page reads its query through crosspilot.views.workshop. Everything
participants typed is shown as text children, never as HTML; every number and date shown passes
through the app's Formatter.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.figures.workshop import stance_figure
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.views import workshop as view
from crosspilot.workshop.agenda import SLIDE_EXAMPLE
from crosspilot.workshop.models import COMMENT_MAX, REASON_MAX
from crosspilot.workshop.rules import STANCES, STATUSES, stance_label, status_label
from crosspilot.workshop.service import STAKEHOLDER_TYPES, stakeholder_label
from layouts import ids
from layouts.common import graph
from layouts.controls import select
from layouts.tables import Column, table

POLL_MS = 1500  # phones, facilitator and projector re-read the room within 2 s


def _field(label: str, control, hint: str | None = None, control_id: str | None = None) -> html.Div:
    parts = [dbc.Label(label, html_for=control_id or control.id, className="fw-semibold")]
    parts.append(control)
    if hint:
        parts.append(dbc.FormText(hint))
    return html.Div(parts, className="mb-3")


def notices_of(notices: list[str]):
    """What the page's link asked for that it could not read (the page still opens)."""
    if not notices:
        return None
    return dbc.Alert(
        [html.Strong(t("Part of this link was not understood. ")), html.Ul([html.Li(n) for n in notices])],
        color="warning",
        className="workshop-link-notice",
    )


# --- /workshop: create a workshop -------------------------------------------------------------


def setup_layout(context, query, theme) -> html.Div:
    _, notices = view.parse_setup(context.derived, query)
    items = context.derived.catalogue
    default = "\n".join(ref for ref in items if ref.startswith("lesson:"))
    reference = html.Details(
        [
            html.Summary(t("What can go on the agenda")),
            html.P(
                t(
                    "One item per line: a lesson, a governance model, or the link of a saved Compare or "
                    "Networks view, shown as a slide between votes (for example {example}).",
                    example=SLIDE_EXAMPLE,
                )
            ),
            table(
                [Column(t("Write")), Column(t("Item"))],
                [(html.Code(ref), title) for ref, title in items.items()],
                className="workshop-catalogue",
            ),
        ],
        className="mb-3",
    )
    return html.Div(
        [
            html.H1(t("Workshop")),
            notices_of(notices),
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
                                t(
                                    "lesson:<id>, governance:<pilot id>, or a page link such as {example}",
                                    example=SLIDE_EXAMPLE,
                                ),
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


def created_panel(created) -> html.Div:
    room = view.RoomView(w=created.workshop_id)
    # The key goes in the #fragment: browsers never send it to the server or to another site.
    facilitate = f"{view.link(view.FACILITATE_PATH, room)}#key={created.facilitator_secret}"
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
                            href=view.link(view.PRESENT_PATH, room, theme="projector"),
                            id=ids.WORKSHOP_CREATED_PRESENT,
                        )
                    ),
                    html.Li(
                        html.A(
                            t("Participants join here"),
                            href=view.link(view.JOIN_PATH, view.JoinView(code=created.join_code)),
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
    shown, notices = view.parse_join(context.derived, query)
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
                    value=shown.code,
                    maxLength=16,
                    autoComplete="off",
                    className="workshop-big-input",
                ),
            ),
            select(
                ids.WORKSHOP_JOIN_PILOT,
                t("Your pilot (optional)"),
                context.derived.pilots.long,
                "",
                everything=t("Prefer not to say"),
                className="mb-3",
            ),
            select(
                ids.WORKSHOP_JOIN_STAKEHOLDER,
                t("You are here as (optional)"),
                [(k, stakeholder_label(k)) for k in STAKEHOLDER_TYPES],
                "",
                everything=t("Prefer not to say"),
                className="mb-3",
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
            notices_of(notices),
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
    room, notices = view.parse_room(context.derived, query)

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
            select(
                ids.WORKSHOP_FAC_STATUS,
                t("Set the status"),
                [(s, status_label(s)) for s in STATUSES],
                "validated",
                className="mb-3",
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
            notices_of(notices),
            dcc.Store(id=ids.WORKSHOP_FAC_ID, data=room.w),
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


def _percent(fmt: Formatter, value: float | None) -> str:
    return "–" if value is None else fmt.percent(value)


def _split_table(title: str, split: dict[str, dict[str, int]], names, fmt: Formatter):
    if not split:
        return html.Div()
    return table(
        [Column(title, row_header=True)] + [Column(stance_label(s), numeric=True) for s in STANCES],
        [[names(group)] + [fmt.count(counts.get(s, 0)) for s in STANCES] for group, counts in split.items()],
        className="workshop-split",
    )


def results_block(
    result,
    history,
    comments,
    pilots: dict[str, str],
    theme: str,
    fmt: Formatter,
    facilitator: bool = False,
):
    """Stance chart with its table, consensus, splits by pilot and stakeholder, and the comment wall."""
    summary = html.P(
        [
            html.Span(t("{n} votes", n=fmt.count(result.total)), className="workshop-stat"),
            html.Span(t("agreement {a}", a=_percent(fmt, result.agreement)), className="workshop-stat"),
            html.Span(
                t("consensus {c}", c="–" if result.consensus is None else fmt.fixed(result.consensus, 2)),
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
                        a=_percent(fmt, h["agreement"]),
                        n=fmt.count(h["total"]),
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
                            stance_figure(result.counts, theme, fmt),
                            t("How the room voted; the same numbers are in the table beside the chart."),
                            config={"displayModeBar": False, "staticPlot": theme == "projector"},
                        ),
                        md=8,
                    ),
                    dbc.Col(
                        table(
                            [Column(t("Stance"), row_header=True), Column(t("Votes"), numeric=True)],
                            [(stance_label(s), fmt.count(result.counts[s])) for s in STANCES],
                            caption=t("Votes by stance"),
                            className="workshop-stance-table",
                        ),
                        md=4,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _split_table(
                            t("Pilot"), result.by_pilot, lambda p: pilots.get(p, p) or t("Not given"), fmt
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        _split_table(t("Stakeholder type"), result.by_stakeholder, stakeholder_label, fmt),
                        md=6,
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


def _status_line(state: dict, fmt: Formatter) -> str:
    parts = [t("Round {r} of {n}", r=state["round"], n=state["rounds_planned"])]
    parts.append(t("voting open") if state["voting_open"] else t("voting closed"))
    if state["seconds_left"] is not None:
        parts.append(t("{s} s left", s=fmt.count(state["seconds_left"])))
    parts.append(t("results shown") if state["revealed"] else t("results hidden"))
    parts.append(t("{n} joined", n=fmt.count(state["participants"])))
    return " · ".join(parts)


def _decision_line(decision, fmt: Formatter) -> str:
    return (
        f"{fmt.datetime(decision.decided_at)} UTC — {status_label(decision.status)} — "
        f"{decision.decided_by}: {decision.reason}"
    )


def facilitator_view(state: dict, result, history, comments, pilots, decisions, fmt: Formatter) -> html.Div:
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
                _status_line(state, fmt),
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
        body.append(results_block(result, history, comments, pilots, "standard", fmt, facilitator=True))
        if decisions:
            body.append(html.H3(t("Decisions on this item"), className="h5"))
            body.append(
                html.Ul(
                    [html.Li(_decision_line(d, fmt)) for d in decisions],
                    className="workshop-decisions",
                )
            )
    body += [html.H3(t("Agenda"), className="h5"), agenda]
    return html.Div(body)


def present_view(state: dict, result, history, comments, pilots, fmt: Formatter) -> html.Div:
    item = state["item"]
    header = html.Div(
        [
            html.Div(
                [
                    t("Join at /workshop/join with code "),
                    html.Strong(state["join_code"], className="workshop-code"),
                ]
            ),
            html.Div(_status_line(state, fmt), className="workshop-present-status"),
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
        body.append(results_block(result, history, comments, pilots, "projector", fmt))
    else:
        body.append(
            html.P(
                t(
                    "{n} votes so far. Results appear when the facilitator reveals them.",
                    n=fmt.count(result.total),
                ),
                className="workshop-waiting",
            )
        )
    return html.Div(body)


def present_layout(context, query, theme) -> html.Div:
    room, notices = view.parse_room(context.derived, query)
    return html.Div(
        [
            html.H1(t("Workshop results")),
            notices_of(notices),
            dcc.Store(id=ids.WORKSHOP_PRESENT_ID, data=room.w),
            dcc.Store(id=ids.WORKSHOP_PRESENT_HASH),
            dcc.Interval(id=ids.WORKSHOP_PRESENT_POLL, interval=POLL_MS),
            html.Div(id=ids.WORKSHOP_PRESENT_BODY, **{"aria-live": "polite"}),
        ],
        className="workshop-present",
    )
