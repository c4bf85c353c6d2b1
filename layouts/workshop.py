"""Workshop pages: set-up (/workshop), phone (/workshop/join), facilitator, projector.

Layouts only build components; the state they show is read through the workshop service by
callbacks/workshop.py. Each page reads its query through crosspilot.views.workshop. Everything
participants typed is shown as text children, never as HTML; every number and date shown passes
through the app's Formatter.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot import access
from crosspilot.figures.workshop import stance_figure
from crosspilot.formatting import Formatter
from crosspilot.i18n import N_, t, tn
from crosspilot.views import workshop as view
from crosspilot.workshop.agenda import SLIDE_EXAMPLE
from crosspilot.workshop.models import COMMENT_MAX, REASON_MAX
from crosspilot.workshop.rules import STANCES, STATUSES, stance_label, status_label
from crosspilot.workshop.service import STAKEHOLDER_TYPES, stakeholder_label
from layouts import ids
from layouts.common import graph, graph_config, in_its_language
from layouts.controls import select
from layouts.shell import language_param, with_theme
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


def picker_options(context) -> list[tuple[str, str]]:
    """What the set-up page's picker offers: every lesson and governance model, and saved views."""
    views_ = [
        (SLIDE_EXAMPLE, t("Slide: Compare, participants")),
        (
            "/compare?indicators=participants&form=bars&mode=indexed",
            t("Slide: Compare, participants indexed"),
        ),
        ("/networks", t("Slide: Networks, the first pilot")),
        ("/lessons/governance", t("Slide: Governance models")),
    ]
    return [*context.derived.catalogue_here.items(), *views_]


def setup_layout(context, query, theme) -> html.Div:
    _, notices = view.parse_setup(context.derived, query)
    items = context.derived.catalogue_here
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
    options = picker_options(context)
    picker = html.Div(
        [
            # The first option is chosen, as the browser shows it: "Add" adds what the select says.
            select(ids.WORKSHOP_PICKER, t("Add to the agenda"), options, options[0][0], className="mb-2"),
            dbc.Button(t("Add"), id=ids.WORKSHOP_PICKER_ADD, color="secondary", className="mb-3"),
        ],
        className="workshop-picker",
    )
    form = dbc.Col(
        [
            html.H2(t("New workshop"), className="h4"),
            _field(
                t("Title"),
                dbc.Input(id=ids.WORKSHOP_TITLE, maxLength=200, placeholder=t("Validation workshop")),
            ),
            picker,
            _field(
                t("Agenda, one item per line"),
                dbc.Textarea(id=ids.WORKSHOP_AGENDA, value="", rows=8, spellCheck=False),
                t(
                    "lesson:<id>, governance:<pilot id>, or a page link such as {example}",
                    example=SLIDE_EXAMPLE,
                ),
            ),
            _field(
                t("Rounds"),
                dbc.Input(id=ids.WORKSHOP_ROUNDS, type="number", min=1, max=5, step=1, value=1),
                t("Delphi-style: later rounds are compared with earlier ones."),
            ),
            dbc.Checkbox(
                id=ids.WORKSHOP_PRACTICE,
                label=t("Practice run: nothing it decides becomes a decision"),
                value=False,
                className="mb-3 workshop-practice-box",
            ),
            dbc.Button(t("Create workshop"), id=ids.WORKSHOP_CREATE, color="primary", size="lg"),
        ],
        lg=6,
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
                    form if access.at_least("partner") else sign_in_to_create(),
                    dbc.Col([reference, html.Div(id=ids.WORKSHOP_CREATED, role="status")], lg=6),
                ]
            ),
        ],
        className="workshop-setup",
    )


def sign_in_to_create() -> dbc.Col:
    """What a visitor without a partner's account sees instead of the set-up form."""
    from crosspilot.accounts.web import login_link

    return dbc.Col(
        [
            html.H2(t("New workshop"), className="h4"),
            html.P(t("Setting up a workshop needs a partner's account.")),
            html.A(
                t("Sign in"),
                href=login_link("/workshop"),
                className="btn btn-primary me-2",
                id=ids.WORKSHOP_SIGN_IN,
            ),
            html.A(
                t("Join a workshop"),
                href=with_theme("/workshop/join", "standard"),
                className="btn btn-outline-primary",
            ),
            html.P(
                t("Participants need no account: they join with the room's code."), className="mt-3 small"
            ),
        ],
        lg=6,
    )


def add_line(agenda: object, line: str) -> str:
    """The agenda text with `line` added on a line of its own (a line already there is not repeated)."""
    text = agenda if isinstance(agenda, str) else ""
    lines = [x for x in text.splitlines() if x.strip()]
    if line in (x.strip() for x in lines):
        return text
    return "\n".join([*lines, line])


def practice_badge(state: dict):
    """ "Practice" on every screen of a rehearsal."""
    if not state.get("practice"):
        return None
    return html.Span(t("Practice"), className="workshop-practice")


def _in_this_language(href: str) -> str:
    """A link the facilitator keeps or opens on the projector, in the facilitator's language. (The join
    link has none: each phone opens in its own browser's language.)"""
    lang = language_param()
    return href + ("&" if "?" in href else "?") + urlencode(lang) if lang else href


def created_panel(created) -> html.Div:
    room = view.RoomView(w=created.workshop_id)
    # The key goes in the #fragment: browsers never send it to the server or to another site.
    facilitate = (
        f"{_in_this_language(view.link(view.FACILITATE_PATH, room))}#key={created.facilitator_secret}"
    )
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
                            href=_in_this_language(view.link(view.PRESENT_PATH, room, theme="projector")),
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


def send_messages() -> dict[str, str]:
    """What assets/workshop.js says while it sends a vote, written here so that every word goes
    through t(). `{stance}`, `{confidence}`, `{s}` and `{why}` are filled in by the script."""
    return {
        "data-choose": t("Choose your stance first."),
        "data-sending": t("Sending…"),
        "data-stored": t("Stored: {stance}, confidence {confidence}."),
        "data-stored-comment": t("Stored: {stance}, confidence {confidence}, with your comment."),
        "data-replaced": t("It replaces your earlier vote on this item."),
        "data-about": t("About: {mark}."),
        "data-retry": t(
            "Not sent yet: no connection to the server. Your vote is kept on this phone and sent again "
            "in {s} s."
        ),
        "data-refused": t("Not stored: {why}"),
    }


def mark_field(options: list[tuple[str, str]] | None = None) -> html.Div:
    """On a data slide: which of its marks the vote is about (a pilot's value, an actor, a tie), the
    whole view by default. Tapping a mark on the chart chooses it here too; hidden on other items."""
    return html.Div(
        select(
            ids.WORKSHOP_MARK,
            t("Your vote is about"),
            options or [],
            "",
            everything=t("The whole view"),
            hint=t("Or tap a pilot, an actor or a tie on the chart."),
        ),
        id=ids.WORKSHOP_MARK_FIELD,
        hidden=not options,
        className="mb-3 workshop-mark-field",
    )


def join_layout(context, query, theme) -> html.Div:
    shown, notices = view.parse_join(context.derived, query)
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
    # Native radio buttons sharing a name: one Tab stop per group, arrow keys move the choice, and the
    # whole label (at least 44 px high) is the tap target.
    stances = html.Fieldset(
        [
            html.Legend(t("Your stance"), className="fs-6 fw-semibold"),
            dbc.RadioItems(
                id=ids.WORKSHOP_STANCE,
                name="workshop-stance",
                options=[{"label": stance_label(s), "value": s} for s in STANCES],
                value=None,
                className="workshop-stances",
                labelClassName="workshop-stance-option",
                inputClassName="workshop-stance-input",
            ),
        ],
        className="mb-3",
    )
    confidence = html.Fieldset(
        [
            html.Legend(t("How sure are you?"), className="fs-6 fw-semibold"),
            dbc.RadioItems(
                id=ids.WORKSHOP_CONFIDENCE,
                name="workshop-confidence",
                options=[{"label": context.fmt.count(n), "value": n} for n in range(1, 6)],
                value=3,
                inline=True,
                className="workshop-confidence",
                labelClassName="workshop-confidence-option",
            ),
            html.Div(t("1 = guessing, 5 = certain"), className="small"),
        ],
        className="mb-3",
    )
    panel = html.Div(
        [
            html.P(id=ids.WORKSHOP_VOTE_STATE, className="workshop-vote-state", role="status"),
            html.H2(id=ids.WORKSHOP_VOTE_ITEM, className="workshop-vote-item", tabIndex="-1"),
            html.Div(id=ids.WORKSHOP_VOTE_EVIDENCE, className="workshop-vote-evidence"),
            html.Div(
                [
                    mark_field(),
                    stances,
                    confidence,
                    _field(
                        t("Comment or suggested rewording (optional)"),
                        dbc.Textarea(id=ids.WORKSHOP_COMMENT, maxLength=COMMENT_MAX, rows=3),
                        t("Up to {n} characters.", n=context.fmt.count(COMMENT_MAX)),
                    ),
                    html.Button(
                        t("Send my vote"),
                        id=ids.WORKSHOP_SEND,
                        className="workshop-primary",
                        type="button",
                        disabled=True,
                    ),
                    html.P(
                        id=ids.WORKSHOP_SEND_STATUS,
                        role="status",
                        className="workshop-feedback",
                        **send_messages(),
                    ),
                ],
                id=ids.WORKSHOP_BALLOT,
                className="workshop-ballot",
            ),
            html.P(id=ids.WORKSHOP_VOTE_FEEDBACK, className="workshop-feedback"),
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
            dcc.Store(id=ids.WORKSHOP_VOTE_SEEN),
            # Set by assets/40-workshop.js when the room's pulse changes: the phone redraws only then.
            dcc.Store(id=ids.WORKSHOP_VOTE_PULSE),
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
            dbc.Input(id=ids.WORKSHOP_FAC_TIMER_SECONDS, type="number", min=0, max=3600, step=1, value=60),
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
            dcc.Store(id=ids.WORKSHOP_FAC_STATUS_HASH),
            dcc.Store(id=ids.WORKSHOP_FAC_AGENDA_HASH),
            dcc.Interval(id=ids.WORKSHOP_FAC_POLL, interval=POLL_MS),
            _field(
                t("Facilitator key or admin password"),
                dbc.Input(id=ids.WORKSHOP_FAC_KEY, type="password", autoComplete="off"),
                t("Filled in from your facilitator link; checked by the server on every action."),
            ),
            html.Div(id=ids.WORKSHOP_FAC_MESSAGE, role="status"),
            # Three parts redrawn apart, each only when it changed: the status line every second while
            # a timer runs, the item's view when votes arrive, the agenda when the room moves.
            html.P(id=ids.WORKSHOP_FAC_STATUS_LINE, className="workshop-fac-status", role="status"),
            controls,
            timer,
            dbc.Row(
                [
                    dbc.Col(html.Div(id=ids.WORKSHOP_FAC_VIEW), lg=8),
                    dbc.Col(
                        [
                            html.H2(t("Agenda"), className="h5"),
                            html.Div(id=ids.WORKSHOP_FAC_AGENDA),
                            override,
                            exports,
                        ],
                        lg=4,
                    ),
                ]
            ),
        ],
        className="workshop-facilitate",
    )


# --- views built from the service's state (called by the callbacks) ---------------------------


def _percent(fmt: Formatter, value: float | None) -> str:
    return "–" if value is None else fmt.percent(value)


def _consensus(fmt: Formatter, value: float | None) -> str:
    return "–" if value is None else fmt.fixed(value, 2)


def _split_table(title: str, split: dict[str, dict[str, int]], names, fmt: Formatter):
    if not split:
        return None
    return table(
        [Column(title, row_header=True)] + [Column(stance_label(s), numeric=True) for s in STANCES],
        [[names(group)] + [fmt.count(counts.get(s, 0)) for s in STANCES] for group, counts in split.items()],
        className="workshop-split",
    )


AGREEMENT_NOTE = N_("Agreement counts “agree with changes” as agreeing; “can't judge” is left out.")


def rounds_table(compared: list[dict], fmt: Formatter):
    """Delphi rounds side by side: every stance, agreement, consensus and how many changed their stance."""
    if len(compared) < 2:
        return None
    rows = []
    for r in compared:
        changed = (
            "–" if r["round"] == 1 else t("{n} of {m}", n=fmt.count(r["changed"]), m=fmt.count(r["both"]))
        )
        rows.append(
            [t("Round {r}", r=fmt.count(r["round"]))]
            + [fmt.count(r["counts"].get(s, 0)) for s in STANCES]
            + [_percent(fmt, r["agreement"]), _consensus(fmt, r["consensus"]), changed]
        )
    return table(
        [Column(t("Round"), row_header=True)]
        + [Column(stance_label(s), numeric=True) for s in STANCES]
        + [
            Column(t("Agreement"), numeric=True),
            Column(t("Consensus"), numeric=True),
            Column(t("Changed stance"), numeric=True),
        ],
        rows,
        caption=t("Rounds compared. ") + t(AGREEMENT_NOTE),
        className="workshop-rounds",
    )


def summary_line(result, fmt: Formatter, outcome: bool = True) -> html.P:
    """Votes, agreement, consensus and (for a lesson or a governance model, not a slide) the rules'
    outcome."""
    return html.P(
        [
            html.Span(tn("{n} vote", "{n} votes", result.total), className="workshop-stat"),
            html.Span(t("agreement {a}", a=_percent(fmt, result.agreement)), className="workshop-stat"),
            html.Span(t("consensus {c}", c=_consensus(fmt, result.consensus)), className="workshop-stat"),
            html.Span(
                t("rules say: {s}", s=status_label(result.status)), className="workshop-stat workshop-status"
            )
            if outcome
            else None,
        ],
        className="workshop-summary",
        title=t(AGREEMENT_NOTE),
    )


def _about(comment: dict, labels: dict[str, str] | None) -> str:
    """ "On Turku · " for a comment attached to a mark of a data slide."""
    mark = comment.get("mark")
    if not mark:
        return ""
    return t("On {mark}", mark=(labels or {}).get(mark, mark)) + " · "


def comment_wall(comments: list[dict], facilitator: bool = False, labels: dict[str, str] | None = None):
    wall = []
    for comment in comments:
        item = [
            html.Span(
                _about(comment, labels) + stance_label(comment["stance"]) + ": ", className="fw-semibold"
            ),
            in_its_language(comment["text"], comment.get("language", "")),
        ]
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
    return html.Ul(wall, className="workshop-wall") if wall else html.P(t("No comments yet."))


def _mark_words(tally, fmt: Formatter) -> str:
    return t(
        "{mark} — votes: {votes} · comments: {comments}",
        mark=tally.label,
        votes=fmt.count(tally.votes),
        comments=fmt.count(tally.comments),
    )


def marks_block(tallies, comments: list[dict], fmt: Formatter, opened: bool = False):
    """The votes on a data slide's marks, one per mark with its comments: on the facilitator's screen
    each mark opens (a <details>, by keyboard too) to its comments; on the projector, once results are
    revealed (`opened`), every mark's comments are listed under it."""
    if not tallies:
        return None
    entries = []
    for tally in tallies:
        said = [
            html.Li(
                [
                    html.Span(stance_label(c["stance"]) + ": ", className="fw-semibold"),
                    in_its_language(c["text"], c.get("language", "")),
                ]
            )
            for c in comments
            if c.get("mark") == tally.mark and not c.get("hidden")
        ]
        listing = html.Ul(said, className="workshop-mark-comments") if said else None
        if opened is None:  # the projector before results are revealed: counts only
            entries.append(html.Li(_mark_words(tally, fmt), className="workshop-mark-count"))
        elif opened:
            entries.append(
                html.Li([html.Strong(_mark_words(tally, fmt)), listing], className="workshop-mark-count")
            )
        else:
            entries.append(
                html.Li(
                    html.Details(
                        [
                            html.Summary(_mark_words(tally, fmt), className="workshop-mark-summary"),
                            listing or html.P(t("No comments on this mark.")),
                        ]
                    ),
                    className="workshop-mark-count",
                )
            )
    return html.Div(
        [
            html.H3(t("Votes on the marks"), className="h5"),
            html.Ul(entries, className="list-unstyled workshop-mark-counts"),
        ],
        className="workshop-marks",
    )


def _stance_chart(graph_id: str, result, theme: str, fmt: Formatter, fill: bool):
    figure = stance_figure(result.counts, theme, fmt, height=None if fill else 0)
    caption = t("How the room voted; the same numbers are in the table of votes by stance.")
    if not fill:
        return graph(graph_id, figure, caption, config={"displayModeBar": False})
    return html.Figure(
        [
            dcc.Graph(
                id=graph_id,
                figure=figure,
                responsive=True,
                config=graph_config(displayModeBar=False, staticPlot=True),
                className="workshop-fill",
            ),
            html.Figcaption(caption, className="cp-caption"),
        ],
        className="cp-figure workshop-chart-box",
    )


def _stance_table(result, fmt: Formatter):
    return table(
        [Column(t("Stance"), row_header=True), Column(t("Votes"), numeric=True)],
        [(stance_label(s), fmt.count(result.counts[s])) for s in STANCES],
        caption=t("Votes by stance"),
        className="workshop-stance-table",
    )


def results_block(
    result, compared, comments, pilots: dict[str, str], theme: str, fmt: Formatter, tallies=(), outcome=True
):
    """The facilitator's results: chart and table, rounds compared, splits, the votes on a data
    slide's marks and the comment wall."""
    labels = {x.mark: x.label for x in tallies}
    return html.Div(
        [
            summary_line(result, fmt, outcome=outcome),
            dbc.Row(
                [
                    dbc.Col(_stance_chart(ids.WORKSHOP_FAC_GRAPH, result, theme, fmt, fill=False), md=8),
                    dbc.Col(_stance_table(result, fmt), md=4),
                ]
            ),
            rounds_table(compared, fmt),
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
            marks_block(tallies, comments, fmt),
            html.H3(t("Comments"), className="h5"),
            comment_wall(comments, facilitator=True, labels=labels),
        ]
    )


def status_line(state: dict, fmt: Formatter) -> str:
    parts = [t("Round {r} of {n}", r=fmt.count(state["round"]), n=fmt.count(state["rounds_planned"]))]
    parts.append(t("voting open") if state["voting_open"] else t("voting closed"))
    if state["seconds_left"] is not None:
        parts.append(t("{s} s left", s=fmt.count(state["seconds_left"])))
    parts.append(t("results shown") if state["revealed"] else t("results hidden"))
    parts.append(t("{n} joined", n=fmt.count(state["participants"])))
    if state.get("practice"):
        parts.insert(0, t("Practice"))
    return " · ".join(parts)


def decision_block(decision, fmt: Formatter):
    """The outcome in force for the current item, with its reason: what the room is told."""
    if decision is None:
        return None
    return html.Div(
        [
            html.Strong(t("Decision: {status}", status=status_label(decision.status))),
            " — ",
            html.Span(decision.reason, className="workshop-decision-reason"),
            html.Span(
                t(
                    " ({by}, {when})",
                    by=decision.decided_by,
                    when=fmt.datetime(decision.decided_at),
                ),
                className="workshop-decision-by",
            ),
        ],
        className="workshop-decision",
        role="status",
    )


def _decision_line(decision, fmt: Formatter) -> str:
    return (
        f"{fmt.datetime(decision.decided_at)} — {status_label(decision.status)} — "
        f"{decision.decided_by}: {decision.reason}"
    )


def item_title(state: dict, fmt: Formatter) -> str:
    return t(
        "Item {n} of {m}: {title}",
        n=fmt.count(state["position"] + 1),
        m=fmt.count(len(state["agenda"])),
        title=state["item"]["title"],
    )


def agenda_list(state: dict) -> html.Ol:
    """The agenda as buttons (go to an item); drawn again only when the agenda or the current item
    changes, so a button that has the keyboard focus keeps it."""
    return html.Ol(
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


def facilitator_view(
    state: dict, result, compared, comments, pilots, decisions, fmt: Formatter, evidence=None, tallies=()
) -> html.Div:
    """The item on the facilitator's screen: its evidence, the results (always visible to them) and
    the decisions recorded on it."""
    item = state["item"]
    body = [
        html.P(
            [
                t("Join code: "),
                html.Strong(state["join_code"], className="workshop-code"),
                " ",
                practice_badge(state),
            ],
            className="workshop-fac-code",
        ),
        html.H2(item_title(state, fmt), className="h3"),
        evidence,
    ]
    slide = item["kind"] == "slide"
    body.append(results_block(result, compared, comments, pilots, "standard", fmt, tallies, not slide))
    if item["kind"] != "slide":
        if decisions:
            body.append(html.H3(t("Decisions on this item"), className="h5"))
            body.append(
                html.Ul([html.Li(_decision_line(d, fmt)) for d in decisions], className="workshop-decisions")
            )
    return html.Div(body)


def qr_code(url: str) -> html.Img:
    """The join link as a QR code, drawn on the server (segno) as an SVG data URI: no call out."""
    import segno

    code = segno.make(url, error="m")
    return html.Img(
        src=code.svg_data_uri(scale=4, border=2, dark="#000000", light="#ffffff"),
        alt=t("QR code of the join link {url}", url=url),
        className="workshop-qr",
    )


def present_view(
    state: dict,
    result,
    compared,
    comments,
    pilots,
    fmt: Formatter,
    *,
    evidence=None,
    decision=None,
    join_url: str = "",
    tallies=(),
) -> html.Div:
    """The projector: made to fill one screen (1280x720 or 1920x1080) with nothing below the fold.
    Long tables and the comment wall are paged by assets/workshop.js, never scrolled."""
    item = state["item"]
    join = html.Div(
        [
            html.Div(
                [
                    html.Div(t("Join at"), className="workshop-join-label"),
                    html.Div(join_url, className="workshop-join-url"),
                    html.Div(
                        [t("code "), html.Strong(state["join_code"], className="workshop-code")],
                        className="workshop-join-code",
                    ),
                ]
            ),
            qr_code(join_url) if join_url else None,
        ],
        className="workshop-join-box",
    )
    header = html.Div(
        [
            html.Div(
                [
                    html.P(
                        [
                            practice_badge(state),
                            " ",
                            t(
                                "Item {n} of {m}",
                                n=fmt.count(state["position"] + 1),
                                m=fmt.count(len(state["agenda"])),
                            ),
                        ],
                        className="workshop-kicker",
                    ),
                    html.H2(item["title"], className="workshop-present-title"),
                    html.P(status_line(state, fmt), className="workshop-present-status"),
                ],
                className="workshop-present-heading",
            ),
            join,
        ],
        className="workshop-present-header",
    )
    if item["kind"] == "slide":
        main = _present_slide(state, result, comments, fmt, evidence, tallies)
    elif state["revealed"]:
        main = html.Div(
            [
                html.Div(
                    [
                        summary_line(result, fmt),
                        _stance_chart(ids.WORKSHOP_PRESENT_GRAPH, result, "projector", fmt, fill=True),
                    ],
                    className="workshop-present-col workshop-present-chart",
                ),
                html.Div(
                    [
                        _stance_table(result, fmt),
                        rounds_table(compared, fmt),
                        _split_table(
                            t("Pilot"), result.by_pilot, lambda p: pilots.get(p, p) or t("Not given"), fmt
                        ),
                        _split_table(t("Stakeholder type"), result.by_stakeholder, stakeholder_label, fmt),
                    ],
                    className="workshop-present-col workshop-paged",
                    tabIndex="0",
                    role="region",
                    **{"aria-label": t("Votes by stance, by pilot and by stakeholder type")},
                ),
                html.Div(
                    [html.H3(t("Comments"), className="h4"), comment_wall(comments)],
                    className="workshop-present-col workshop-paged",
                    tabIndex="0",
                    role="region",
                    **{"aria-label": t("Comments")},
                ),
            ],
            className="workshop-present-main workshop-present-results",
        )
    else:
        main = html.Div(
            [
                html.Div(evidence, className="workshop-present-col workshop-present-claim"),
                html.P(
                    votes_so_far(result.total),
                    className="workshop-waiting",
                ),
            ],
            className="workshop-present-main workshop-present-waiting",
        )
    return html.Div([header, decision_block(decision, fmt), main], className="workshop-present-screen")


def votes_so_far(n: int) -> str:
    return tn(
        "{n} vote so far. Results appear when the facilitator reveals them.",
        "{n} votes so far. Results appear when the facilitator reveals them.",
        n,
    )


def _present_slide(state: dict, result, comments, fmt: Formatter, evidence, tallies) -> html.Div:
    """A data slide on the projector: the view, its voted marks drawn on it, and beside it the votes on
    the marks (with their comments once the facilitator reveals the results)."""
    if result is None or not (result.total or state["voting_open"]):
        return html.Div(evidence, className="workshop-present-main workshop-present-slide")
    revealed = state["revealed"]
    side = [
        summary_line(result, fmt, outcome=False)
        if revealed
        else html.P(
            votes_so_far(result.total),
            className="workshop-waiting",
        ),
        marks_block(tallies, comments, fmt, opened=True if revealed else None),
    ]
    if revealed:
        unmarked = [c for c in comments if not c.get("mark")]
        if unmarked:
            side += [html.H3(t("On the whole view"), className="h5"), comment_wall(unmarked)]
    return html.Div(
        [
            html.Div(
                evidence, className="workshop-present-col workshop-present-chart workshop-present-slide"
            ),
            html.Div(
                side,
                className="workshop-present-col workshop-paged",
                tabIndex="0",
                role="region",
                **{"aria-label": t("Votes on the marks")},
            ),
        ],
        className="workshop-present-main workshop-present-results",
    )


def present_layout(context, query, theme) -> html.Div:
    room, notices = view.parse_room(context.derived, query)
    return html.Div(
        [
            html.H1(t("Workshop results"), className="visually-hidden"),
            notices_of(notices),
            dcc.Store(id=ids.WORKSHOP_PRESENT_ID, data=room.w),
            dcc.Store(id=ids.WORKSHOP_PRESENT_HASH),
            # Live counts every 1.5 s; a move of the room within half a second (the pulse, polled by
            # assets/40-workshop.js, sets this store when the room's version changes).
            dcc.Interval(id=ids.WORKSHOP_PRESENT_POLL, interval=POLL_MS),
            dcc.Store(id=ids.WORKSHOP_PRESENT_PULSE),
            html.Div(
                id=ids.WORKSHOP_PRESENT_BODY, className="workshop-present-body", **{"aria-live": "polite"}
            ),
        ],
        className="workshop-present",
    )
