"""What a workshop item shows of its evidence, drawn with the pages' own builders: a saved Compare view
as its Compare chart (provenance marks and the "not directly comparable" badge included), a saved
Networks view as its network, a lesson's claim with its first indicator chart, a governance model's row.

The projector, the facilitator's screen and the phones call the same functions; `compact` is the phone's
rendering (a smaller chart, its table one tap away in a <details>). A slide's link is read by its page's
view module (`crosspilot.views.parse_link`), as when the agenda was saved, so old links upgrade. A view
that can no longer be drawn (the dataset changed) says so and the room goes on.
"""

from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot import views
from crosspilot.compare import compare
from crosspilot.figures.compare import comparability_badge, figure_for
from crosspilot.figures.lessons import governance_matrix
from crosspilot.figures.networks import NetworkView, graph_to_elements, legend_entries, stylesheet
from crosspilot.governance import governance_models, level_label
from crosspilot.i18n import t
from crosspilot.lessons import resolve
from crosspilot.workshop import marks as marking
from layouts import compare as compare_page
from layouts import ids
from layouts.common import graph_config
from layouts.lessons_common import strength_meter
from layouts.tables import Column, table

log = logging.getLogger(__name__)

# Marks a participant can attach a vote to: a Compare chart's pilots, a network's actors.
MARK_PREFIX = {"compare": "pilot:", "networks": "actor:"}


def _graph(figure, caption: str, compact: bool, theme: str, graph_id: str = ids.WORKSHOP_SLIDE_GRAPH):
    """A chart that fills its box (the projector's) or keeps a phone-sized height."""
    figure = figure.update_layout(height=None if not compact else 300, autosize=True)
    if not compact:
        figure.update_layout(margin=dict(l=10, r=30, b=10))
    return html.Figure(
        [
            dcc.Graph(
                id=graph_id,
                figure=figure,
                responsive=True,  # the phone's width, the projector's whole box
                style={"height": "300px"} if compact else {},
                config=graph_config(displayModeBar=False),
                className="workshop-slide-figure",
            ),
            html.Figcaption(caption, className="cp-caption"),
        ],
        className="cp-figure workshop-evidence-figure",
    )


def _tap(summary: str, content) -> html.Details:
    """The table of a chart, one tap away on a phone."""
    return html.Details([html.Summary(summary, className="workshop-tap"), content], className="mt-2")


def _count_words(tally, fmt) -> str:
    return t(
        "votes: {votes} · comments: {comments}",
        votes=fmt.count(tally.votes),
        comments=fmt.count(tally.comments),
    )


def overlay_points(figure, tallies, theme: str, fmt, pickable: bool) -> None:
    """Counts of votes and comments drawn beside each voted pilot's mark on the chart (points carry
    their pilot in `customdata`); on a phone the points carry their mark, so a tap chooses it."""
    voted = {x.mark: x for x in tallies or ()}
    big = theme == "projector"
    done = set()
    for trace in figure.data:
        custom = getattr(trace, "customdata", None)
        if custom is None or trace.x is None or trace.y is None:
            continue
        points = [marking.mark(marking.PILOT, p) for p in custom]
        if pickable:
            trace.customdata = points
        for x, y, point in zip(trace.x, trace.y, points, strict=False):
            tally = voted.get(point)
            if tally is None or point in done:
                continue
            done.add(point)  # the first panel's mark, once
            figure.add_annotation(
                x=x,
                y=y,
                xref=trace.xaxis or "x",
                yref=trace.yaxis or "y",
                text=f"<b>{_count_words(tally, fmt)}</b>",
                showarrow=True,
                arrowhead=2,
                arrowwidth=2,
                ax=60 if big else 40,
                ay=-28 if big else -20,
                font=dict(size=20 if big else 12, color="#000000"),
                bgcolor="#ffffff",
                bordercolor="#000000",
                borderwidth=2,
                borderpad=3,
            )


def compare_slide(context, view, theme: str, compact: bool, tallies=(), pickable: bool = False) -> list:
    comparison = compare(context.derived.compare_index, view)
    badge = comparability_badge(comparison)
    figure = figure_for(comparison, theme, context.fmt)
    overlay_points(figure, tallies, theme, context.fmt, pickable)
    parts = [
        _graph(
            figure,
            t(
                "Shape shows provenance: filled published, ringed estimate, hollow illustrative. The values "
                "are in the table."
            ),
            compact,
            theme,
            ids.WORKSHOP_PICK_GRAPH if pickable else ids.WORKSHOP_SLIDE_GRAPH,
        ),
    ]
    if badge:
        parts.insert(0, html.P(badge, className="workshop-badge"))
    if compact or theme != "projector":
        parts.append(_tap(t("Table of the values"), compare_page.table(comparison, context.fmt)))
    return parts


def overlay_network(elements: list[dict], tallies, fmt) -> None:
    """Each actor and tie carries its mark (a tap on a phone chooses it); the voted ones are drawn
    with a thick double border or line and their counts written in their label."""
    voted = {x.mark: x for x in tallies or ()}
    names = {
        e["data"]["id"]: e["data"].get("name", e["data"]["id"]) for e in elements if "source" not in e["data"]
    }
    ties_label = {
        marking.mark(marking.TIE, e["data"]["source"], e["data"]["target"]): " – ".join(
            sorted((names.get(e["data"]["source"], ""), names.get(e["data"]["target"], "")))
        )
        for e in elements
        if "source" in e["data"]
    }
    for element in elements:
        data = element["data"]
        if "source" in data:
            data["pick"] = marking.mark(marking.TIE, data["source"], data["target"])
            data["pick_label"] = ties_label.get(data["pick"], data["pick"])
        else:
            data["pick"] = marking.mark(marking.ACTOR, data["id"])
            data["pick_label"] = data.get("name", data["id"])
        tally = voted.get(data["pick"])
        if tally is not None:
            words = _count_words(tally, fmt)
            data["label"] = f"{data.get('name', '')}\n{words}" if "source" not in data else words
            element["classes"] = (element.get("classes", "") + " has-votes").strip()


def vote_styles(theme: str) -> list[dict]:
    """What the stylesheet adds for voted marks: shape and line, not colour alone."""
    font = 22 if theme == "projector" else 13
    return [
        {
            "selector": "node.has-votes",
            "style": {
                "border-width": 6,
                "border-style": "double",
                "border-color": "#000000",
                "font-weight": "bold",
                "font-size": font,
                "z-index": 20,
            },
        },
        {
            "selector": "edge.has-votes",
            "style": {
                "label": "data(label)",
                "line-style": "dashed",
                "width": 7,
                "font-size": font,
                "font-weight": "bold",
                "text-background-color": "#ffffff",
                "text-background-opacity": 1,
                "z-index": 20,
            },
        },
    ]


def networks_slide(context, view, theme: str, compact: bool, tallies=(), pickable: bool = False) -> list:
    import dash_cytoscape as cyto

    store = context.derived.networks
    analysis = store.analysis(view.pilot, view.phase)
    options = NetworkView(
        size_by=view.size,
        theme=theme,
        sectors=frozenset(view.sectors),
        relations=frozenset(view.relations),
        selected=view.focus or None,
    )
    elements = graph_to_elements(
        analysis.ties, store.positions(view.pilot), analysis.nodes, options, context.fmt
    )
    overlay_network(elements, tallies, context.fmt)
    entries = legend_entries(analysis.ties)
    legend = html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        className="legend-swatch",
                        style={"background": e["colour"]},
                        **{"aria-hidden": "true"},
                    ),
                    e["label"],
                ]
            )
            for e in entries["sectors"]
        ],
        className="list-unstyled workshop-legend",
        **{"aria-label": t("Colour: sector")},
    )
    name = context.derived.pilots.long.get(view.pilot, view.pilot)
    summary = store.summary(view.pilot, view.phase, name, context.fmt)
    parts = [
        html.Div(
            [
                cyto.Cytoscape(
                    id=ids.WORKSHOP_PICK_NETWORK if pickable else ids.WORKSHOP_SLIDE_NETWORK,
                    layout={"name": "preset", "fit": True, "padding": 20},
                    elements=elements,
                    # The projector's slide fills what the screen leaves: about 480 px at 1280x720.
                    stylesheet=stylesheet(theme, 300 if compact else 480, 20) + vote_styles(theme),
                    style={"width": "100%", "height": "300px" if compact else "100%"},
                    userZoomingEnabled=False,
                    userPanningEnabled=False,
                    autoungrabify=True,
                    boxSelectionEnabled=False,
                    responsive=True,
                    className="workshop-slide-network",
                ),
                html.Div([html.P(t("Colour: sector"), className="fw-semibold mb-1"), legend]),
            ],
            className="workshop-network-box",
        ),
        html.P(summary[0].said(context.fmt) if summary else "", className="workshop-network-summary"),
    ]
    if compact or theme != "projector":
        parts.append(
            _tap(t("What the network says"), html.Ul([html.Li(s.said(context.fmt)) for s in summary]))
        )
    return parts


def governance_slide(context, theme: str, compact: bool, pilot: str | None = None) -> list:
    snapshot = context.derived.snapshot
    models = [m for m in governance_models(snapshot.governance, snapshot.pilots) if m.stages]
    if pilot is not None:
        models = [m for m in models if m.pilot_id == pilot]
    if not models:
        return [html.P(t("This dataset has no governance classification for this pilot."))]
    labels = context.derived.pilots.short
    parts = []
    if pilot is None or not compact:
        parts.append(
            _graph(
                governance_matrix(models, labels, theme),
                t("Citizens' role at each co-creation stage, as a number and a word; the table says so too."),
                compact,
                theme,
            )
        )
    rows = [(r.stage, level_label(r.level), r.lead_sector, r.status) for m in models for r in m.stages]
    roles = table(
        [Column(t("Stage"), row_header=True), t("Citizens' role"), t("Lead sector"), t("Provenance")],
        rows,
        className="workshop-governance-table",
    )
    parts.append(roles if pilot is not None else _tap(t("Table of the roles"), roles))
    return parts


def lesson_claim(context, lesson_id: str, theme: str, compact: bool) -> list:
    """The lesson's claim: its summary, strength and "evidenced in n of N pilots", then its first chart."""
    lesson = next((x for x in context.derived.lessons if x.id == lesson_id), None)
    if lesson is None:
        return []
    resolution = resolve(lesson, context.derived.lesson_index)
    fmt = context.fmt
    parts = [
        html.P(lesson.summary, className="workshop-claim"),
        html.P(
            [
                strength_meter(lesson.strength),
                " · ",
                t(
                    "Evidenced in {n} of {total} pilots",
                    n=fmt.count(resolution.n),
                    total=fmt.count(resolution.total_pilots),
                ),
            ],
            className="workshop-claim-meta",
        ),
    ]
    indicators = lesson.evidence.indicators
    if indicators and not (theme == "projector" and not compact):
        first = indicators[0]
        query = f"/compare?indicators={first.indicator}" + (
            f"&pilots={','.join(first.pilots)}" if first.pilots else ""
        )
        view = views.parse_link(context.derived, query).view
        parts += compare_slide(context, view, theme, compact=True)
    return parts


def evidence(
    context, item: dict, theme: str = "standard", compact: bool = False, tallies=(), pickable: bool = False
) -> html.Div:
    """What the room sees of one agenda item's evidence (empty for an item without any). `tallies`:
    the votes and comments on a data slide's marks, drawn on them; `pickable`: the phone's ballot, where
    a tap on a mark chooses what the vote is about."""
    kind, ref = item.get("kind"), item.get("ref", "")
    try:
        if kind == "lesson":
            parts = lesson_claim(context, ref.partition(":")[2], theme, compact)
        elif kind == "governance":
            parts = governance_slide(context, theme, compact, pilot=ref.partition(":")[2])
        elif kind == "slide":
            parts = slide_parts(context, ref, theme, compact, tallies, pickable)
        else:
            parts = []
    except Exception:  # noqa: BLE001 - the room goes on without the chart, and says why
        log.exception("could not draw the evidence of %r", ref)
        parts = [dbc.Alert(t("This view cannot be drawn with the data loaded now."), color="warning")]
    return html.Div(parts, className=f"workshop-evidence workshop-evidence-{kind}")


def slide_parts(context, ref: str, theme: str, compact: bool, tallies=(), pickable: bool = False) -> list:
    link = views.parse_link(context.derived, ref)
    if link.path == "/compare":
        return compare_slide(context, link.view, theme, compact, tallies, pickable)
    if link.path == "/networks":
        return networks_slide(context, link.view, theme, compact, tallies, pickable)
    if link.path == "/lessons/governance":
        return governance_slide(context, theme, compact)  # its marks are chosen from the list
    if link.path == "/lessons" and getattr(link.view, "lesson", ""):
        return lesson_claim(context, link.view.lesson, theme, compact)
    href = ref + ("&" if "?" in ref else "?") + "theme=projector" if theme == "projector" else ref
    return [html.P(html.A(t("Open this view"), href=href, className="workshop-slide-link"))]


def mark_options(context, item: dict) -> list[tuple[str, str]]:
    """The marks a phone offers for a vote on `item` (none unless it is a data slide)."""
    if item.get("kind") != "slide":
        return []
    return marking.listed(context.derived.slide_marks(item.get("ref", "")))
