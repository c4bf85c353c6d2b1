"""Networks: each pilot's stakeholder network, its metrics in plain words, and all pilots compared."""

from __future__ import annotations

from collections.abc import Collection

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
from dash import dcc, html

from crosspilot import networks as nw
from crosspilot.figures.networks import SELECTED_COLOUR, metric_text, stylesheet
from crosspilot.figures.theme import status_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import t, tn
from crosspilot.provenance import Inputs
from crosspilot.views import networks as views
from crosspilot.vocabulary import term, terms
from layouts import ids
from layouts.common import ANY, computed_from, graph_config, marks_note, source_links, status_badge
from layouts.controls import checklist, select
from layouts.static import static
from layouts.tables import Column, table

# Every suggested name is a component that Dash's renderer mounts on its own, and every later store
# action re-runs each mounted component's selector (bench/trace_page.py; the mounts' own no-op resets
# are skipped by assets/01-renderer.js): 2,000 suggestions took seconds to show. The tables are one
# component each (layouts.static), and a page of 25 rows is still what a reader can take in.
TABLE_ROWS = 25  # actors a page of the table: never 10,000 rows
FIND_SUGGESTIONS = 50  # names the find box suggests


def view_labels() -> dict[str, str]:
    return terms("network_view")


def pilot_options(derived) -> dict[str, str]:
    """Pilots with a network, named as on every page ("Hull: My Direction")."""
    return {p: derived.pilots.long.get(p, p) for p in derived.networks.pilots()}


def phase_options(store: nw.NetworkStore, pilot: str, include_all: bool = True) -> dict[str, str]:
    found = {p: nw.phase_label(p) for p in store.phases(pilot)} if pilot in store.pilots() else {}
    return (
        ({nw.ALL_PHASES: t("All phases")} | found) if include_all else ({ANY: t("(no comparison)")} | found)
    )


def sector_options(store: nw.NetworkStore, pilot: str) -> list[dict]:
    known = store.sectors(pilot) if pilot in store.pilots() else ()
    return [{"label": nw.sector_label(s), "value": s} for s in known if s]


def relation_options(store: nw.NetworkStore, pilot: str) -> list[dict]:
    known = store.relations(pilot) if pilot in store.pilots() else ()
    return [{"label": nw.relation_label(r), "value": r} for r in known if r]


def _col(component, **widths) -> dbc.Col:
    return dbc.Col(component, **(widths or {"xs": 12, "sm": 6, "lg": True}))


def _filter_boxes(component_id: str, legend: str, options: list[dict], chosen) -> html.Fieldset:
    """Checkboxes in a row; nothing chosen in the URL means every box ticked."""
    return checklist(
        component_id, legend, options, list(chosen) or [o["value"] for o in options], inline=True
    )


def find_options(store: nw.NetworkStore, pilot: str) -> list:
    """The find box's suggestions: every actor's name, or the most connected actors' in a large network."""
    known = store.suggestions(pilot, FIND_SUGGESTIONS) if pilot in store.pilots() else []
    return [html.Option(value=label) for label in known]


def find_hint(store: nw.NetworkStore, pilot: str, fmt: Formatter) -> str:
    """What the find box says under it when it suggests only some of the names (else nothing)."""
    actors = store.graph(pilot).number_of_nodes() if pilot in store.pilots() else 0
    if actors <= FIND_SUGGESTIONS:
        return ""
    return t(
        "Suggested: the {k} actors with the most ties, of {n}. Any other actor is found too: type its "
        "name, or part of it, and press Enter.",
        k=fmt.count(FIND_SUGGESTIONS),
        n=fmt.count(actors),
    )


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    store = context.derived.networks
    view, notices = views.parse(context.derived, query)
    if view.pilot not in store.pilots():
        return html.Div(
            [html.H1(t("Networks")), html.P(t("This dataset has no stakeholder networks (nodes and edges)."))]
        )
    graph = store.graph(view.pilot)
    sectors, relations = sector_options(store, view.pilot), relation_options(store, view.pilot)
    focus_label = str(graph.nodes[view.focus].get("label", view.focus)) if view.focus else ""
    sizes = {m.key: m.label for m in nw.node_metrics()}
    phases = {p: p for p in store.phases(view.pilot)}
    controls = dbc.Form(
        [
            dbc.Row(
                [
                    _col(select(ids.NETWORKS_PILOT, t("Pilot"), pilot_options(context.derived), view.pilot)),
                    _col(
                        select(ids.NETWORKS_PHASE, t("Phase"), phase_options(store, view.pilot), view.phase)
                    ),
                    # dbc.Select hides an option whose value is empty: "no comparison" is ANY.
                    _col(
                        select(
                            ids.NETWORKS_BEFORE,
                            t("What changed since"),
                            phases,
                            view.before,
                            everything=t("(no comparison)"),
                        )
                    ),
                    _col(select(ids.NETWORKS_SIZE, t("Size by"), sizes, view.size)),
                    _col(select(ids.NETWORKS_VIEW, t("Drawing"), view_labels(), view.view)),
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
                            html.Datalist(find_options(store, view.pilot), id=ids.NETWORKS_FIND_OPTIONS),
                            dbc.FormText(
                                find_hint(store, view.pilot, context.fmt),
                                id=ids.NETWORKS_FIND_HINT,
                                className="d-block",
                            ),
                        ],
                        xs=12,
                        md=5,
                    ),
                    _col(
                        select(
                            ids.NETWORKS_STEPS,
                            t("Show around it"),
                            {str(s): tn("{n} step", "{n} steps", s) for s in views.STEPS},
                            str(view.steps),
                        )
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
                    _col(
                        _filter_boxes(ids.NETWORKS_SECTORS, t("Sectors shown"), sectors, view.sectors),
                        xs=12,
                        md=6,
                    ),
                    _col(
                        _filter_boxes(
                            ids.NETWORKS_RELATIONS, t("Relations shown"), relations, view.relations
                        ),
                        xs=12,
                        md=6,
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
            dbc.Button(
                t("Draw every actor"),
                id=ids.NETWORKS_DRAW_ALL,
                n_clicks=0,
                color="primary",
                outline=True,
                className="networks-draw-all mb-2",
                style={"display": "none"},
                type="button",
            ),
            dcc.Store(id=ids.NETWORKS_DRAWN),
            progress_box(),
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
                                    config=graph_config(scrollZoom=True),
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
                    table_pager(),
                ],
                className="networks-table-details",
                open=True,
            ),
            html.Section(
                [
                    html.H2(t("All pilots compared")),
                    html.P(
                        t(
                            "The same metrics for every pilot's network in the chosen phase, "
                            "then every network drawn alike."
                        ),
                    ),
                    # Drawn when the reader comes near (assets/16-near.js): two charts of a dozen panels
                    # each, far below the first screen, were half of every visit's load.
                    dcc.Store(id=ids.NETWORKS_COMPARE_NEAR, data=False),
                    html.Div(
                        html.P(t("Drawn when you scroll down to it."), className="small"),
                        id=ids.NETWORKS_COMPARE_CHART,
                    ),
                    html.Div(id=ids.NETWORKS_COMPARE_TABLE),
                    html.Div(
                        [
                            dbc.Button(
                                t("Download every pilot's metrics (CSV)"),
                                id=ids.NETWORKS_COMPARE_CSV,
                                n_clicks=0,
                                size="sm",
                            ),
                            dcc.Download(id=ids.NETWORKS_COMPARE_DOWNLOAD),
                        ],
                        className="networks-exports d-flex flex-wrap gap-2 my-2",
                    ),
                    html.Div(id=ids.NETWORKS_MULTIPLES),
                ],
                id=ids.NETWORKS_COMPARE_SECTION,
            ),
        ],
        className="networks-page",
    )


# ------------------------------------------------------------------ pieces the callbacks fill in


def progress_box() -> html.Div:
    """A large network's first analysis while it runs in the background: a labelled progress bar and
    what it does in words (shown by the background callback's `running`, polled from the job's file)."""
    return html.Div(
        [
            html.Label(t("Analysing this network"), htmlFor=ids.NETWORKS_PROGRESS, className="form-label"),
            html.Progress(id=ids.NETWORKS_PROGRESS, max=100, value=0, className="networks-progress w-100"),
            html.P(id=ids.NETWORKS_PROGRESS_TEXT, className="small", **{"aria-live": "polite"}),
            dcc.Store(id=ids.NETWORKS_JOB),
            dcc.Store(id=ids.NETWORKS_READY),
            dcc.Interval(id=ids.NETWORKS_PROGRESS_POLL, interval=500, disabled=True),
            dcc.Interval(id=ids.NETWORKS_RETRY, interval=5000, disabled=True),
        ],
        id=ids.NETWORKS_PROGRESS_BOX,
        style={"display": "none"},
    )


def estimated(samples: int, fmt: Formatter) -> str:
    """What every place that shows a sampled metric adds to its name."""
    return t("estimated ({k} samples)", k=fmt.count(samples))


def metric_label(metric: nw.Metric, samples: int, fmt: Formatter) -> str:
    """A metric's name, with "estimated (k samples)" when this network's values of it are estimated."""
    sampled = metric.key in (*nw.ESTIMATED_NODE_METRICS, *nw.ESTIMATED_NETWORK_METRICS)
    return f"{metric.label}, {estimated(samples, fmt)}" if samples and sampled else metric.label


def _swatch(style: dict, class_name: str = "legend-swatch") -> html.Span:
    return html.Span(className=class_name, style=style, **{"aria-hidden": "true"})


def legend(
    entries: dict[str, list[dict]], size_label: str, selected: bool = False, focus: bool = False
) -> list:
    """The legend of a network's `entries` (figures.networks.legend_entries), always on screen: every
    colour drawn has an entry (`selected`: an actor is outlined; `focus`: actors outside are faded).
    In "what changed" the line colour shows the change, so relations are told by their middle mark."""
    items = [html.H2(t("Legend"), className="h5")]
    changes = bool(entries["changes"])
    mark_word = t("mark")

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
        t("Line: relation (middle mark)") if changes else t("Line: relation (colour and middle mark)"),
        [
            html.Li(
                [
                    # In "what changed" no relation colour is drawn: the swatch shows the mark's line only.
                    _swatch(
                        {"borderTop": f"4px solid {'#555555' if changes else e['colour']}"}, "legend-line"
                    ),
                    e["label"]
                    + (f" ({mark_word}: {term('mark_shape', e['mark'])})" if e["mark"] != "none" else ""),
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
    if changes:
        words = {
            "added": t("added: thick, marked +"),
            "removed": t("removed: thick, marked −"),
            "kept": t("kept: thin and pale"),
        }
        group(
            t("Line colour and mark: what changed"),
            [
                html.Li(
                    [
                        _swatch(
                            {"borderTop": f"{5 if e['key'] != 'kept' else 2}px solid {e['colour']}"},
                            "legend-line",
                        ),
                        f"{e['mark']} {words[e['key']]}".strip(),
                    ],
                    className=f"legend-change-{e['key']}",
                )
                for e in entries["changes"]
            ],
        )
    marks = []
    if selected:
        marks.append(
            html.Li(
                [
                    _swatch({"border": f"4px solid {SELECTED_COLOUR}", "borderRadius": "50%"}),
                    t("the actor shown in the panel"),
                ]
            )
        )
    if focus:
        marks.append(
            html.Li(
                [_swatch({"background": "#333333", "opacity": 0.12}), t("faded: outside the neighbourhood")]
            )
        )
    group(t("Outline and fading"), marks)
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


def metric_inputs(arrays: nw.TieArrays, key: str) -> Inputs:
    """What a whole-network metric is computed from: the count of actors from the stakeholders alone,
    every other metric from the stakeholders and the ties."""
    return arrays.stakeholder_inputs if key == "nodes" else arrays.inputs


def metrics_list(network: dict, fmt: Formatter, arrays: nw.TieArrays) -> html.Div:
    """The network's metrics, each value marked and followed by what it is computed from (`arrays`: the
    phase's tie arrays, whose stakeholders and ties the metrics were computed from)."""
    rows = []
    samples = int(network.get("samples", 0))
    for metric in nw.network_metrics():
        inputs = metric_inputs(arrays, metric.key)
        shown = inputs.marked(metric_text(metric.key, network.get(metric.key, 0.0), fmt))
        rows += [
            html.Dt([metric_label(metric, samples, fmt), ": ", html.Span(shown, className="metric-value")]),
            html.Dd([metric.explanation, " ", computed_from(inputs, fmt)], className="metric-explanation"),
        ]
    return html.Div([html.Dl(rows, className="networks-metrics-list"), marks_note()])


def findings_list(findings: list[nw.Finding], fmt: Formatter) -> list:
    """The network in plain words: each finding followed by what it is computed from."""
    return [html.Li([f.text, " ", computed_from(f.inputs, fmt)]) for f in findings]


def _explained(metric: nw.Metric, label: str | None = None) -> html.Span:
    return html.Span(label or metric.label, title=metric.explanation)


def table_pages(analysis: nw.Analysis, sectors: Collection) -> tuple[int, int]:
    """(actors in the table, its pages) for the sectors shown (empty: all)."""
    frame = analysis.nodes
    shown = int(frame["sector"].isin(list(sectors)).sum()) if sectors else len(frame)
    return shown, max(1, -(-shown // TABLE_ROWS))


def table_status(number: int, pages: int, shown: int, fmt: Formatter) -> str:
    """Where the table is, in words: "Page 2 of 400: actors 26–50 of 10,000."."""
    first = (number - 1) * TABLE_ROWS + 1 if shown else 0
    return t(
        "Page {p} of {n}: actors {first}–{last} of {total}.",
        p=fmt.count(number),
        n=fmt.count(pages),
        first=fmt.count(first),
        last=fmt.count(min(number * TABLE_ROWS, shown)),
        total=fmt.count(shown),
    )


def table_pager() -> html.Nav:
    """The actors' table's page buttons (they stay on the page, so the keyboard focus stays on the one
    pressed) and where the table is, said to screen readers as it changes."""

    def button(component_id: str, text: str) -> dbc.Button:
        return dbc.Button(
            text, id=component_id, n_clicks=0, color="secondary", outline=True, size="sm", type="button"
        )

    return html.Nav(
        [
            button(ids.NETWORKS_TABLE_FIRST, t("First page")),
            button(ids.NETWORKS_TABLE_PREV, t("Previous page")),
            html.P(id=ids.NETWORKS_TABLE_STATUS, className="mb-0 small", role="status"),
            button(ids.NETWORKS_TABLE_NEXT, t("Next page")),
            button(ids.NETWORKS_TABLE_LAST, t("Last page")),
            dcc.Store(id=ids.NETWORKS_TABLE_PAGE, data=1),
        ],
        className="networks-table-pager d-flex flex-wrap align-items-center gap-2 my-2",
        **{"aria-label": t("Pages of the actors' table")},
    )


def actors_table(
    analysis: nw.Analysis,
    arrays: nw.TieArrays,
    size_by: str,
    sectors: Collection,
    fmt: Formatter,
    page: int = 1,
) -> dcc.Markdown:
    """Page `page` of the actors shown (of `sectors`; empty: all), the most central by `size_by` first,
    TABLE_ROWS a page. `arrays`: the phase's tie arrays, whose kept partner order names partners without
    a pass over a hub's ties. Only the page's rows are sorted out and built."""
    frame = analysis.nodes
    if sectors:
        frame = frame[frame["sector"].isin(list(sectors))]
    shown, pages = table_pages(analysis, sectors)
    page = min(max(page, 1), pages)
    start = (page - 1) * TABLE_ROWS
    rows_of = frame.sort_values([size_by, "degree"], ascending=False).iloc[start : start + TABLE_ROWS]
    metrics = nw.node_metrics()
    columns = [
        Column(t("Actor"), row_header=True),
        Column(t("Sector")),
        Column(t("Role")),
        *[Column(_explained(m, metric_label(m, analysis.samples, fmt)), numeric=True) for m in metrics],
        Column(t("Ties with")),
    ]
    rows = []
    for node, row in zip(rows_of.index, rows_of.to_dict("records"), strict=True):
        partners = arrays.partner_names(node, 8)
        more = int(row["degree"]) - 8
        rows.append(
            [
                row["label"],
                nw.sector_label(row["sector"]) + (t(" (hard to reach)") if row["hard_to_reach"] else ""),
                nw.role_label(row["role"]),
                *[metric_text(m.key, row[m.key], fmt) for m in metrics],
                ", ".join(map(str, partners)) + (t(" and {n} more", n=fmt.count(more)) if more > 0 else ""),
            ]
        )
    size_label = next((m.label for m in metrics if m.key == size_by), size_by)
    note = t(
        "{n} actors, the highest {metric} first; the CSV has them all.",
        n=fmt.count(shown),
        metric=size_label.lower(),
    )
    return static(
        html.Div(
            [
                html.P(
                    [note, " ", t("Their metrics are"), " ", computed_from(arrays.inputs, fmt), "."],
                    className="small",
                ),
                table(
                    columns,
                    rows,
                    striped=True,
                    caption=table_status(page, pages, shown, fmt),
                    scroll_label=t("Actors, scrollable"),
                ),
            ]
        )
    )


def node_panel(analysis: nw.Analysis, node, graph, fmt: Formatter, inputs: Inputs) -> list:
    """The clicked actor: its attributes, each metric with its meaning, and its ties."""
    row = analysis.nodes.loc[node]
    data = graph.nodes[node]
    ties = nw.node_ties(analysis.ties, node)
    rank = int((analysis.nodes["betweenness"] > row["betweenness"]).sum()) + 1
    facts = [
        html.Dt(t("Sector")),
        html.Dd(nw.sector_label(row["sector"])),
        html.Dt(t("Role")),
        html.Dd(nw.role_label(row["role"]) or t("not given")),
        html.Dt(t("Hard to reach")),
        html.Dd(t("yes") if row["hard_to_reach"] else t("no")),
        html.Dt(t("Provenance")),
        html.Dd([status_badge(row["status"]), " ", *_source(data.get("source", ""))]),
    ]
    metric_rows = [
        html.Li(
            [
                html.Strong(
                    f"{metric_label(m, analysis.samples, fmt)}: {metric_text(m.key, row[m.key], fmt)}"
                ),
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
                t(", strength {w}", w=fmt.number(r["weight"], digits=3)),
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
                "Ranked {rank} of {n} by betweenness, with {ties} in {phase}.",
                rank=fmt.count(rank),
                n=fmt.count(len(analysis.nodes)),
                ties=tn("{n} direct tie", "{n} direct ties", int(row["degree"])),
                phase=nw.phase_label(analysis.phase),
            ),
            className="networks-panel-lead",
        ),
        html.Dl(facts, className="networks-panel-facts"),
        html.H3(t("Metrics"), className="h6"),
        html.P(computed_from(inputs, fmt), className="small mb-1"),
        html.Ul(metric_rows, className="networks-panel-metrics"),
        html.H3(t("Ties"), className="h6"),
        html.Ul(tie_rows) if tie_rows else html.P(t("No ties in this phase.")),
    ]


def _source(source: str) -> list:
    return source_links(source) if source else [t("no source given")]


def comparison_table(compared: list[nw.ComparedNetwork], metrics, fmt: Formatter) -> dcc.Markdown:
    """The pilots' network metrics (one row per pilot), as the chart above shows them: every value
    marked, and what each pilot's metrics are computed from in words."""
    columns = [
        Column(t("Pilot"), row_header=True),
        *[Column(_explained(m), numeric=True) for m in metrics],
        t("Computed from"),
    ]

    def cell(metric: nw.Metric, row: nw.ComparedNetwork) -> str:
        text = row.inputs_of(metric.key).marked(metric_text(metric.key, row.network.get(metric.key), fmt))
        samples = int(row.network.get("samples", 0) or 0)
        return (
            f"{text} ({estimated(samples, fmt)})"
            if metric_label(metric, samples, fmt) != metric.label
            else text
        )

    rows = [[r.name, *[cell(m, r) for m in metrics], computed_from(r.inputs, fmt)] for r in compared]
    return static(
        html.Div(
            [
                table(
                    columns,
                    rows,
                    striped=True,
                    id=ids.NETWORKS_COMPARE_TABLE_BODY,
                    scroll_label=t("Pilots' networks compared, scrollable"),
                ),
                marks_note(),
            ]
        )
    )


def empty_panel() -> list:
    return [
        html.H2(t("Actor"), className="h4"),
        html.P(t("Click an actor in the graph, or find one by name, to see its ties and metrics here.")),
    ]


def provenance_note(arrays: nw.TieArrays, fmt: Formatter) -> str:
    """Ties counted by provenance ("Published: 12, Illustrative: 4"), from the arrays' kept counts."""
    return ", ".join(f"{status_label(s)}: {fmt.count(n)}" for s, n in arrays.status_counts.items())
