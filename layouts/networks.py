"""Networks: each pilot's stakeholder network, its metrics in plain words, and all pilots compared."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from functools import lru_cache

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
from dash import dcc, html

from crosspilot import networks as nw
from crosspilot.dataset import Snapshot
from crosspilot.figures.networks import legend_entries, stylesheet
from crosspilot.figures.theme import status_label
from crosspilot.i18n import t
from crosspilot.views.base import Field, choice, choices, join, parse
from layouts import ids
from layouts.common import ANY, scroll_box, source_links, status_badge

VIEWS = ("auto", "graph", "webgl", "sector", "community")
STEPS = ("1", "2", "3")
TABLE_ROWS = 100


def view_labels() -> dict[str, str]:
    return {
        "auto": t("Automatic (WebGL above 1,500 elements)"),
        "graph": t("Interactive graph"),
        "webgl": t("WebGL points (large networks)"),
        "sector": t("Grouped by sector"),
        "community": t("Grouped by community"),
    }


def pilot_names(snapshot: Snapshot) -> dict[str, str]:
    """Pilots with a network, named by place and service ("Hull: My Direction") as partners know them."""
    pilots = snapshot.pilots
    places = pilots["place"] if "place" in pilots else [""] * len(pilots)
    names = {
        p: f"{place}: {name}" if place else name
        for p, place, name in zip(pilots["pilot_id"], places, pilots["name"], strict=True)
    }
    return {p: names.get(p, p) for p in snapshot.networks}


def fields(snapshot: Snapshot, pilot: str | None) -> list[Field]:
    """The URL fields of the page; phase, filters and focus are checked against `pilot`'s network."""
    pilots = tuple(snapshot.networks)
    graph = snapshot.networks.get(pilot) if pilot else None
    phase_options = (nw.ALL_PHASES, *nw.phases(graph)) if graph is not None else (nw.ALL_PHASES,)

    def node(value: str) -> str:
        if graph is None or value not in graph:
            raise ValueError(t("no such actor in this network"))
        return value

    return [
        Field("pilot", pilots[0] if pilots else "", choice(pilots)),
        Field("phase", nw.ALL_PHASES, choice(phase_options)),
        Field("before", "", choice(phase_options[1:])),
        Field("sectors", (), choices(nw.sectors(graph) if graph is not None else ()), join),
        Field("relations", (), choices(nw.relations(graph) if graph is not None else ()), join),
        Field("focus", "", node),
        Field("steps", "1", choice(STEPS)),
        Field("size", "betweenness", choice(nw.NODE_METRIC_KEYS)),
        Field("view", "auto", choice(VIEWS)),
    ]


def parse_view(snapshot: Snapshot, query: dict[str, str]) -> tuple[dict, list[str]]:
    """The checked view for a query: the pilot first, then what depends on its network."""
    pilot_only = [f for f in fields(snapshot, None) if f.name == "pilot"]
    pilot = parse({k: v for k, v in query.items() if k == "pilot"}, pilot_only)[0]["pilot"]
    return parse(query, fields(snapshot, pilot))


def _select(component_id: str, label: str, options: dict[str, str], value: str) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=component_id),
            dbc.Select(
                id=component_id, options=[{"label": v, "value": k} for k, v in options.items()], value=value
            ),
        ],
        xs=12,
        sm=6,
        lg=True,
    )


def _filter_boxes(component_id: str, legend: str, options: list[dict], chosen) -> dbc.Col:
    """A labelled group of checkboxes; nothing chosen in the URL means every box ticked."""
    return dbc.Col(
        html.Fieldset(
            [
                html.Legend(legend, className="form-label fs-6"),
                dbc.Checklist(
                    id=component_id,
                    options=options,
                    value=list(chosen) or [o["value"] for o in options],
                    inline=True,
                ),
            ]
        ),
        xs=12,
        md=6,
    )


def phase_options(graph, include_all: bool = True) -> dict[str, str]:
    found = {p: p for p in nw.phases(graph)} if graph is not None else {}
    return (
        ({nw.ALL_PHASES: t("All phases")} | found) if include_all else ({ANY: t("(no comparison)")} | found)
    )


def sector_options(graph) -> list[dict]:
    return [{"label": nw.sector_label(s), "value": s} for s in nw.sectors(graph) if s]


def relation_options(graph) -> list[dict]:
    return [{"label": nw.relation_label(r), "value": r} for r in nw.relations(graph) if r]


def find_options(graph, limit: int = 2000) -> list:
    labels = sorted({str(d.get("label", n)) for n, d in graph.nodes(data=True)})[:limit] if graph else []
    return [html.Option(value=label) for label in labels]


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    snapshot = context.snapshot
    view, notices = parse_view(snapshot, query)
    graph = snapshot.networks.get(view["pilot"])
    if graph is None:
        return html.Div(
            [html.H1(t("Networks")), html.P(t("This dataset has no stakeholder networks (nodes and edges)."))]
        )
    names = pilot_names(snapshot)
    focus_label = str(graph.nodes[view["focus"]].get("label", view["focus"])) if view["focus"] else ""
    sizes = {m.key: m.label for m in nw.node_metrics()}
    controls = dbc.Form(
        [
            dbc.Row(
                [
                    _select(ids.NETWORKS_PILOT, t("Pilot"), names, view["pilot"]),
                    _select(ids.NETWORKS_PHASE, t("Phase"), phase_options(graph), view["phase"]),
                    _select(
                        ids.NETWORKS_BEFORE,
                        t("What changed since"),
                        phase_options(graph, include_all=False),
                        # dbc.Select hides an option whose value is empty: "no comparison" is ANY.
                        view["before"] or ANY,
                    ),
                    _select(ids.NETWORKS_SIZE, t("Size by"), sizes, view["size"]),
                    _select(ids.NETWORKS_VIEW, t("Drawing"), view_labels(), view["view"]),
                ],
                className="g-2 mb-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("Find an actor by name"), html_for=ids.NETWORKS_FIND),
                            dbc.Input(
                                id=ids.NETWORKS_FIND,
                                type="search",
                                list=ids.NETWORKS_FIND_OPTIONS,
                                value=focus_label,
                                debounce=True,
                                placeholder=t("Type a name, then Enter"),
                                autocomplete="off",
                            ),
                            html.Datalist(find_options(graph), id=ids.NETWORKS_FIND_OPTIONS),
                        ],
                        xs=12,
                        md=5,
                    ),
                    _select(
                        ids.NETWORKS_STEPS,
                        t("Show around it"),
                        {s: t("{n} step(s)", n=s) for s in STEPS},
                        view["steps"],
                    ),
                    dbc.Col(
                        dbc.Button(
                            t("Show everyone"),
                            id=ids.NETWORKS_CLEAR,
                            color="secondary",
                            outline=True,
                            n_clicks=0,
                            # Enter in the search box submits the form: it must not "click" this.
                            type="button",
                        ),
                        xs=12,
                        sm=6,
                        lg=True,
                        className="d-flex align-items-end",
                    ),
                ],
                className="g-2 mb-2",
            ),
            dbc.Row(
                [
                    _filter_boxes(
                        ids.NETWORKS_SECTORS, t("Sectors shown"), sector_options(graph), view["sectors"]
                    ),
                    _filter_boxes(
                        ids.NETWORKS_RELATIONS,
                        t("Relations shown"),
                        relation_options(graph),
                        view["relations"],
                    ),
                ],
                className="g-2 mb-2",
            ),
        ],
        className="networks-controls",
    )
    return html.Div(
        [
            html.H1(t("Networks")),
            html.P(
                t(
                    "Who works with whom in each pilot. Click an actor (or find it by name) to read its "
                    "ties and why it matters; metrics describe the whole network of the chosen phase, "
                    "filters only hide actors and ties."
                ),
                className="lead",
            ),
            dbc.Alert(
                [html.P(n, className="mb-0") for n in notices],
                id=ids.NETWORKS_NOTICES,
                color="warning",
                is_open=bool(notices),
            ),
            controls,
            html.P(id=ids.NETWORKS_MODE, className="networks-mode", role="status"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Div(
                                cyto.Cytoscape(
                                    id=ids.NETWORKS_CYTO,
                                    layout={"name": "preset", "fit": True, "padding": 30},
                                    elements=[],
                                    stylesheet=stylesheet(theme),
                                    style={"width": "100%", "height": "560px"},
                                    minZoom=0.1,
                                    maxZoom=4,
                                    boxSelectionEnabled=False,
                                    responsive=True,
                                ),
                                id=ids.NETWORKS_CYTO_BOX,
                                className="networks-canvas",
                                role="img",
                                **{"aria-label": t("Network graph; its table and summary follow below.")},
                            ),
                            html.Div(
                                dcc.Graph(
                                    id=ids.NETWORKS_WEBGL,
                                    config={"displaylogo": False, "scrollZoom": True},
                                ),
                                id=ids.NETWORKS_WEBGL_BOX,
                                style={"display": "none"},
                            ),
                            html.Div(
                                [
                                    dbc.Button(t("Download PNG"), id=ids.NETWORKS_PNG, n_clicks=0, size="sm"),
                                    dbc.Button(t("Download SVG"), id=ids.NETWORKS_SVG, n_clicks=0, size="sm"),
                                    dbc.Button(
                                        t("Download actors' metrics (CSV)"),
                                        id=ids.NETWORKS_CSV,
                                        n_clicks=0,
                                        size="sm",
                                    ),
                                    dcc.Download(id=ids.NETWORKS_DOWNLOAD),
                                ],
                                className="networks-exports d-flex flex-wrap gap-2 my-2",
                            ),
                        ],
                        lg=8,
                    ),
                    dbc.Col(
                        [
                            html.Aside(id=ids.NETWORKS_LEGEND, className="networks-legend"),
                            html.Section(
                                id=ids.NETWORKS_PANEL,
                                className="networks-panel",
                                **{"aria-live": "polite"},
                            ),
                        ],
                        lg=4,
                    ),
                ]
            ),
            html.Div(id=ids.NETWORKS_DIFF),
            html.H2(t("In plain words")),
            html.Ul(id=ids.NETWORKS_SUMMARY, className="networks-summary"),
            html.H2(t("Network metrics")),
            html.Div(id=ids.NETWORKS_METRICS),
            html.Details(
                [
                    html.Summary(t("Table of actors, their ties and metrics")),
                    html.Div(id=ids.NETWORKS_TABLE),
                ],
                className="networks-table-details",
                open=True,
            ),
            html.H2(t("All pilots compared")),
            html.P(
                t(
                    "The same metrics for every pilot's network in the chosen phase, "
                    "then every network drawn alike."
                ),
            ),
            html.Div(id=ids.NETWORKS_COMPARE_CHART),
            html.Div(id=ids.NETWORKS_COMPARE_TABLE),
            html.Div(id=ids.NETWORKS_MULTIPLES),
        ],
        className="networks-page",
    )


# ------------------------------------------------------------------ pieces the callbacks fill in


def _swatch(style: dict, class_name: str = "legend-swatch") -> html.Span:
    return html.Span(className=class_name, style=style, **{"aria-hidden": "true"})


def legend(ties, size_label: str) -> list:
    entries = legend_entries(ties)
    items = [html.H2(t("Legend"), className="h5")]

    def group(title: str, rows: list) -> None:
        if rows:
            items.append(html.H3(title, className="h6 mt-2 mb-1"))
            items.append(html.Ul(rows, className="list-unstyled mb-1"))

    group(
        t("Colour: sector"),
        [
            html.Li([_swatch({"background": e["colour"], "borderRadius": "50%"}), e["label"]])
            for e in entries["sectors"]
        ],
    )
    group(
        t("Shape: role"),
        [
            html.Li(
                [
                    _swatch(
                        {
                            "background": "#333333",
                            "clipPath": e["clip"]
                            if e["clip"].startswith("circle")
                            else f"polygon({e['clip']})",
                        }
                    ),
                    e["label"],
                ]
            )
            for e in entries["roles"]
        ],
    )
    group(
        t("Line: relation (colour and middle mark)"),
        [
            html.Li(
                [
                    _swatch({"borderTop": f"4px solid {e['colour']}"}, "legend-line"),
                    e["label"] + (f" ({t('mark')}: {e['mark']})" if e["mark"] != "none" else ""),
                ]
            )
            for e in entries["relations"]
        ],
    )
    dash_css = {"solid": "solid", "dash": "dashed", "dot": "dotted"}
    group(
        t("Line style: provenance"),
        [
            html.Li(
                [
                    _swatch({"borderTop": f"4px {dash_css.get(e['dash'], 'dotted')} #000"}, "legend-line"),
                    e["label"],
                ]
            )
            for e in entries["statuses"]
        ],
    )
    if entries["changes"]:
        words = {"added": t("added"), "removed": t("removed"), "kept": t("kept")}
        group(
            t("What changed"),
            [
                html.Li(
                    [
                        _swatch({"borderTop": f"5px solid {e['colour']}"}, "legend-line"),
                        f"{e['mark']} {words[e['key']]}",
                    ]
                )
                for e in entries["changes"]
            ],
        )
    items.append(
        html.P(
            [
                t("Size: {metric}.", metric=size_label),
                " ",
                t("A double border marks hard-to-reach groups."),
            ],
            className="small mb-0",
        )
    )
    return items


def metrics_list(network: dict) -> html.Dl:
    rows = []
    for metric in nw.network_metrics():
        value = network.get(metric.key, 0.0)
        shown = f"{100 * value:.0f}%" if metric.key.endswith("_share") else _number(value)
        rows += [
            html.Dt([metric.label, ": ", html.Span(shown, className="metric-value")]),
            html.Dd(metric.explanation, className="metric-explanation"),
        ]
    return html.Dl(rows, className="networks-metrics-list")


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.3g}"


def actors_table(analysis: nw.Analysis, size_by: str, sectors: Collection = ()) -> html.Div:
    """The actors shown (of `sectors`; empty: all), the most central by `size_by` first."""
    frame = analysis.nodes
    if sectors:
        frame = frame[frame["sector"].isin(list(sectors))]
    frame = frame.sort_values([size_by, "degree"], ascending=False)
    metrics = nw.node_metrics()
    arrays = nw.tie_arrays(analysis.ties)  # partners from cached arrays: no pass over a hub's ties
    header = html.Tr(
        [html.Th(t("Actor"), scope="col"), html.Th(t("Sector"), scope="col"), html.Th(t("Role"), scope="col")]
        + [html.Th(m.label, scope="col", title=m.explanation) for m in metrics]
        + [html.Th(t("Ties with"), scope="col")]
    )
    rows = []
    for node, row in zip(frame.index[:TABLE_ROWS], frame.head(TABLE_ROWS).to_dict("records"), strict=True):
        partners = arrays.partner_names(node, 8)
        rows.append(
            html.Tr(
                [
                    html.Th(row["label"], scope="row"),
                    html.Td(
                        nw.sector_label(row["sector"])
                        + (t(" (hard to reach)") if row["hard_to_reach"] else "")
                    ),
                    html.Td(row["role"]),
                ]
                + [html.Td(_number(float(row[m.key])), className="text-end") for m in metrics]
                + [
                    html.Td(
                        ", ".join(map(str, partners))
                        + (t(" and {n} more", n=int(row["degree"]) - 8) if row["degree"] > 8 else "")
                    )
                ]
            )
        )
    note = (
        t(
            "The {k} actors with the highest {metric} of {n}; the CSV has them all.",
            k=TABLE_ROWS,
            metric=size_by,
            n=len(frame),
        )
        if len(frame) > TABLE_ROWS
        else t("{n} actors.", n=len(frame))
    )
    return html.Div(
        [
            html.P(note, className="small"),
            scroll_box(
                dbc.Table([html.Thead(header), html.Tbody(rows)], bordered=True, size="sm", striped=True),
                t("Actors, scrollable"),
            ),
        ]
    )


def node_panel(analysis: nw.Analysis, node, graph) -> list:
    """The clicked actor: its attributes, each metric with its meaning, and its ties."""
    row = analysis.nodes.loc[node]
    data = graph.nodes[node]
    ties = nw.node_ties(analysis.ties, node)
    rank = int((analysis.nodes["betweenness"] > row["betweenness"]).sum()) + 1
    facts = [
        html.Dt(t("Sector")),
        html.Dd(nw.sector_label(row["sector"])),
        html.Dt(t("Role")),
        html.Dd(row["role"] or t("not given")),
        html.Dt(t("Hard to reach")),
        html.Dd(t("yes") if row["hard_to_reach"] else t("no")),
        html.Dt(t("Provenance")),
        html.Dd([status_badge(row["status"]), " ", *_source(data.get("source", ""))]),
    ]
    metric_rows = [
        html.Li(
            [
                html.Strong(f"{m.label}: {_number(float(row[m.key]))}"),
                html.Br(),
                html.Span(m.explanation, className="small"),
            ]
        )
        for m in nw.node_metrics()
    ]
    tie_rows = [
        html.Li(
            [
                str(r["label"]),
                f" ({nw.sector_label(r['sector'])}) — ",
                ", ".join(nw.relation_label(x) for x in r["relations"]),
                t(", strength {w}", w=_number(r["weight"])),
                " ",
                status_badge(r["status"]),
            ]
        )
        for r in ties[:30]
    ]
    return [
        html.H2(row["label"], className="h4", id=ids.NETWORKS_PANEL_TITLE),
        html.P(
            t(
                "Ranked {rank} of {n} by betweenness, with {k} direct tie(s) in {phase}.",
                rank=rank,
                n=len(analysis.nodes),
                k=int(row["degree"]),
                phase=nw.phase_label(analysis.phase),
            ),
            className="networks-panel-lead",
        ),
        html.Dl(facts, className="networks-panel-facts"),
        html.H3(t("Metrics"), className="h6"),
        html.Ul(metric_rows, className="networks-panel-metrics"),
        html.H3(t("Ties"), className="h6"),
        html.Ul(tie_rows) if tie_rows else html.P(t("No ties in this phase.")),
    ]


def _source(source: str) -> list:
    return source_links(source) if source else [t("no source given")]


def comparison_table(table, metrics) -> html.Div:
    header = html.Tr(
        [html.Th(t("Pilot"), scope="col")]
        + [html.Th(m.label, scope="col", title=m.explanation) for m in metrics]
    )
    rows = [
        html.Tr(
            [html.Th(name, scope="row")]
            + [
                html.Td(
                    f"{100 * row[m.key]:.0f}%" if m.key.endswith("_share") else _number(row[m.key]),
                    className="text-end",
                )
                for m in metrics
            ]
        )
        for name, row in table.iterrows()
    ]
    return scroll_box(
        dbc.Table([html.Thead(header), html.Tbody(rows)], bordered=True, size="sm", striped=True),
        t("Pilots' networks compared, scrollable"),
    )


def empty_panel() -> list:
    return [
        html.H2(t("Actor"), className="h4"),
        html.P(t("Click an actor in the graph, or find one by name, to see its ties and metrics here.")),
    ]


@lru_cache(maxsize=64)
def provenance_note(ties) -> str:
    """Ties counted by provenance (kept per frozen tie graph: it never changes)."""
    counts = Counter(d.get("status", "illustrative") for *_, d in ties.edges(data=True))
    return ", ".join(f"{status_label(s)}: {n}" for s, n in sorted(counts.items()))
