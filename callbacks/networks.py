"""Networks page callbacks: check the controls, ask the cached analyses, call the figure builders."""

from __future__ import annotations

import dash_cytoscape as cyto
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from crosspilot import networks as nw
from crosspilot.figures import networks as nf
from crosspilot.i18n import t
from crosspilot.views.base import to_query
from layouts import ids
from layouts import networks as page
from layouts.common import ANY, from_select, graph
from layouts.shell import theme_of, with_theme


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def checked_view(snapshot, store: nw.NetworkStore, values: dict) -> tuple[dict, list[str]]:
    """The browser's control values, checked exactly like a URL (unknown values fall back to defaults)."""
    pilot = str(values.get("pilot") or "")
    graph = snapshot.networks.get(pilot)
    query = {"pilot": pilot}
    for name in ("phase", "before", "steps", "size", "view"):
        if values.get(name):
            query[name] = str(values[name])
    if graph is not None:
        # All boxes ticked is no filter at all; the URL then stays short.
        for name, known in (
            ("sectors", page.sector_options(graph)),
            ("relations", page.relation_options(graph)),
        ):
            if not isinstance(values.get(name), list):
                continue  # nothing sent: no filter
            chosen = _as_list(values.get(name))
            if set(chosen) != {o["value"] for o in known}:
                query[name] = ",".join(chosen) if chosen else "\u2205"  # nothing ticked: shown as a notice
        focus = nw.find_node(store.ties(pilot), str(values.get("find") or "")[:200])
        if focus is not None:
            query["focus"] = str(focus)
    return page.parse_view(snapshot, query)


def page_view(snapshot, store: nw.NetworkStore, view: dict, theme: str) -> dict:
    """Everything the one-pilot part of the page shows for a checked view (used by the bench too)."""
    pilot, phase = view["pilot"], view["phase"]
    analysis = store.analysis(pilot, phase)
    notes = []
    ties = analysis.ties
    diff = None
    if view["before"]:
        if phase == nw.ALL_PHASES or view["before"] == phase:
            notes.append(t("To see what changed, choose a phase different from the one to compare with."))
        else:
            ties = store.diff_ties(pilot, view["before"], phase)
            diff = store.diff(pilot, view["before"], phase)
    # Filters as boolean masks over the tie graph's cached arrays: no pass over the ties per request.
    arrays = nw.tie_arrays(ties)
    node_ok, edge_ok = arrays.masks(view["sectors"], view["relations"])
    n_shown, m_shown = int(node_ok.sum()), int(edge_ok.sum())
    focus = (
        frozenset(nw.neighbourhood(analysis.ties, view["focus"], int(view["steps"])))
        if view["focus"]
        else None
    )
    drawing = view["view"]
    if drawing in ("auto", "graph") and n_shown + m_shown > nf.MAX_CYTOSCAPE_ELEMENTS:
        if drawing == "graph":
            notes.append(
                t("Too many elements for the interactive graph on a phone: drawn with WebGL instead.")
            )
        drawing = "webgl"
    elif drawing == "auto":
        drawing = "graph"
    options = nf.NetworkView(
        size_by=view["size"],
        focus=focus,
        selected=view["focus"] or None,
        theme=theme,
        sectors=frozenset(view["sectors"]),
        relations=frozenset(view["relations"]),
    )
    positions = store.positions(pilot)  # the same for every phase, kept by the store
    size_label = next(m.label for m in nw.node_metrics() if m.key == view["size"])
    if drawing == "graph":
        elements, figure = nf.graph_to_elements(ties, positions, analysis.nodes, options), no_update
        mode = t("Interactive graph: {n} actors, {m} ties.", n=n_shown, m=m_shown)
    elif drawing == "webgl":
        elements, figure = [], nf.network_figure_dict(ties, positions, analysis.nodes, options)
        mode = t("WebGL drawing: {n} actors, {m} ties.", n=n_shown, m=m_shown)
    else:
        groups = nw.aggregate(analysis, by=drawing)
        elements, figure = nf.aggregate_elements(groups, by=drawing, theme=theme), no_update
        mode = t(
            "Grouped by {by}: {g} groups; line width and number = ties between groups.",
            by=t("sector") if drawing == "sector" else t("community"),
            g=groups.number_of_nodes(),
        )
    cyto_visible = drawing != "webgl"
    legend_ties = ties  # the phase's (or the diff's) frozen tie graph: its legend is computed once
    diff_part = []
    if diff is not None:
        diff_part = _diff_section(diff, analysis, store.ties(pilot, view["before"]))
    return {
        "elements": elements,
        "stylesheet": nf.stylesheet(theme),
        "cyto_style": {} if cyto_visible else {"display": "none"},
        "figure": figure,
        "webgl_style": {"display": "none"} if cyto_visible else {},
        "mode": " ".join([mode, *notes, t("Ties by provenance: {p}.", p=page.provenance_note(legend_ties))]),
        "legend": page.legend(legend_ties, size_label),
        "metrics": page.metrics_list(analysis.network),
        "summary": [
            html.Li(s) for s in store.summary(pilot, phase, page.pilot_names(snapshot).get(pilot, pilot))
        ],
        "table": page.actors_table(analysis, view["size"], view["sectors"]),
        "diff": diff_part,
    }


def _diff_section(diff: nw.PhaseDiff, after: nw.Analysis, before_ties) -> list:
    def names(pairs, graph) -> list:
        return sorted(
            " – ".join(sorted(str(graph.nodes[n].get("label", n)) for n in pair)) for pair in pairs
        )[:50]

    return [
        html.H2(t("What changed")),
        html.P(nw.diff_summary(diff, before_ties, after.ties)),
        html.Div(
            [
                html.H3(t("Ties added (+)"), className="h6"),
                html.Ul([html.Li(x) for x in names(diff.added, after.ties)])
                if diff.added
                else html.P(t("None.")),
                html.H3(t("Ties removed (−)"), className="h6"),
                html.Ul([html.Li(x) for x in names(diff.removed, before_ties)])
                if diff.removed
                else html.P(t("None.")),
            ],
            className="networks-diff-lists",
        ),
    ]


def comparison(snapshot, store: nw.NetworkStore, phase: str, size_by: str, theme: str) -> tuple:
    names = page.pilot_names(snapshot)
    rows, panels = {}, []
    for pilot in store.pilots():
        own = phase if phase in store.phases(pilot) else nw.ALL_PHASES
        analysis = store.analysis(pilot, own)
        title = names.get(pilot, pilot) + ("" if own == phase else t(" (all phases)"))
        rows[title] = analysis.network
        panels.append(nf.Panel(title, analysis.ties, analysis.positions(), analysis.nodes))
    table = pd.DataFrame.from_dict(rows, orient="index")
    metrics = [m for m in nw.network_metrics()]
    chart = nf.metrics_comparison_figure(table, metrics, theme)
    multiples = nf.small_multiples_figure(panels, nf.NetworkView(size_by=size_by, theme=theme))
    return (
        graph(
            ids.NETWORKS_COMPARE_FIGURE,
            chart,
            t(
                "Network metrics of every pilot, one small chart per metric; "
                "the table below gives the same values."
            ),
        ),
        page.comparison_table(table, metrics),
        graph(
            ids.NETWORKS_MULTIPLES_FIGURE,
            multiples,
            t(
                "Every pilot's network with the same colours (sector), shapes (role) and sizes ({m}).",
                m=size_by,
            ),
        ),
    )


def register(app, context) -> None:
    snapshot = context.snapshot
    store = context.derived.networks
    cyto.load_extra_layouts()  # bundled with the package: needed for SVG export, no network use

    @app.callback(
        Output(ids.NETWORKS_PHASE, "options"),
        Output(ids.NETWORKS_PHASE, "value"),
        Output(ids.NETWORKS_BEFORE, "options"),
        Output(ids.NETWORKS_BEFORE, "value"),
        Output(ids.NETWORKS_SECTORS, "options"),
        Output(ids.NETWORKS_SECTORS, "value"),
        Output(ids.NETWORKS_RELATIONS, "options"),
        Output(ids.NETWORKS_RELATIONS, "value"),
        Output(ids.NETWORKS_FIND_OPTIONS, "children"),
        Output(ids.NETWORKS_FIND, "value"),
        Input(ids.NETWORKS_PILOT, "value"),
        Input(ids.NETWORKS_CLEAR, "n_clicks"),
        prevent_initial_call=True,
    )
    def pilot_changed(pilot, _clicks):
        if ctx.triggered_id == ids.NETWORKS_CLEAR:
            return (*([no_update] * 9), "")
        graph = snapshot.networks.get(pilot)
        if graph is None:
            return (no_update,) * 10
        sectors, relations = page.sector_options(graph), page.relation_options(graph)
        as_options = lambda d: [{"label": v, "value": k} for k, v in d.items()]  # noqa: E731
        return (
            as_options(page.phase_options(graph)),
            nw.ALL_PHASES,
            as_options(page.phase_options(graph, include_all=False)),
            ANY,
            sectors,
            [o["value"] for o in sectors],
            relations,
            [o["value"] for o in relations],
            page.find_options(graph),
            "",
        )

    @app.callback(
        Output(ids.NETWORKS_CYTO, "elements"),
        Output(ids.NETWORKS_CYTO, "stylesheet"),
        Output(ids.NETWORKS_CYTO_BOX, "style"),
        Output(ids.NETWORKS_WEBGL, "figure"),
        Output(ids.NETWORKS_WEBGL_BOX, "style"),
        Output(ids.NETWORKS_MODE, "children"),
        Output(ids.NETWORKS_LEGEND, "children"),
        Output(ids.NETWORKS_METRICS, "children"),
        Output(ids.NETWORKS_SUMMARY, "children"),
        Output(ids.NETWORKS_TABLE, "children"),
        Output(ids.NETWORKS_DIFF, "children"),
        Output(ids.NETWORKS_NOTICES, "children", allow_duplicate=True),
        Output(ids.NETWORKS_NOTICES, "is_open", allow_duplicate=True),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.NETWORKS_PILOT, "value"),
        Input(ids.NETWORKS_PHASE, "value"),
        Input(ids.NETWORKS_BEFORE, "value"),
        Input(ids.NETWORKS_SECTORS, "value"),
        Input(ids.NETWORKS_RELATIONS, "value"),
        Input(ids.NETWORKS_FIND, "value"),
        Input(ids.NETWORKS_STEPS, "value"),
        Input(ids.NETWORKS_SIZE, "value"),
        Input(ids.NETWORKS_VIEW, "value"),
        State(ids.URL, "search"),
        prevent_initial_call="initial_duplicate",
    )
    def update(pilot, phase, before, sectors, relations, find, steps, size, view_name, search):
        values = dict(
            pilot=pilot,
            phase=phase,
            before=from_select(before),
            sectors=sectors,
            relations=relations,
            find=find,
            steps=steps,
            size=size,
            view=view_name,
        )
        view, notices = checked_view(snapshot, store, values)
        if find and not view["focus"]:
            notices.append(t("No actor called {name!r} in this network.", name=str(find)[:60]))
        theme = theme_of(search)
        out = page_view(snapshot, store, view, theme)
        fields = page.fields(snapshot, view["pilot"])
        url = no_update
        if ctx.triggered_id is not None:
            url = with_theme("", theme, to_query(view, fields))
        notice_children = [html.P(n, className="mb-0") for n in notices]
        if ctx.triggered_id is None and not notices:
            notice_children, notices_open = no_update, no_update  # keep the link's notices from the layout
        else:
            notices_open = bool(notices)
        return (
            out["elements"],
            out["stylesheet"],
            out["cyto_style"],
            out["figure"],
            out["webgl_style"],
            out["mode"],
            out["legend"],
            out["metrics"],
            out["summary"],
            out["table"],
            out["diff"],
            notice_children,
            notices_open,
            url,
        )

    @app.callback(
        Output(ids.NETWORKS_PANEL, "children"),
        Input(ids.NETWORKS_CYTO, "tapNodeData"),
        Input(ids.NETWORKS_WEBGL, "clickData"),
        Input(ids.NETWORKS_FIND, "value"),
        Input(ids.NETWORKS_PILOT, "value"),
        Input(ids.NETWORKS_PHASE, "value"),
    )
    def panel(tapped, clicked, find, pilot, phase):
        if pilot not in snapshot.networks:
            return page.empty_panel()
        phase = phase if phase in (nw.ALL_PHASES, *store.phases(pilot)) else nw.ALL_PHASES
        analysis = store.analysis(pilot, phase)
        node = None
        if ctx.triggered_id == ids.NETWORKS_CYTO and isinstance(tapped, dict):
            node = tapped.get("id")
        elif ctx.triggered_id == ids.NETWORKS_WEBGL and isinstance(clicked, dict):
            points = clicked.get("points") or [{}]
            node = points[0].get("customdata") if isinstance(points[0], dict) else None
        if node is None:
            node = nw.find_node(analysis.ties, str(find or "")[:200])
        if not isinstance(node, str) or node not in analysis.nodes.index:
            return page.empty_panel()
        return page.node_panel(analysis, node, snapshot.networks[pilot])

    @app.callback(
        Output(ids.NETWORKS_CYTO, "generateImage"),
        Input(ids.NETWORKS_PNG, "n_clicks"),
        Input(ids.NETWORKS_SVG, "n_clicks"),
        State(ids.NETWORKS_PILOT, "value"),
        prevent_initial_call=True,
    )
    def export_image(_png, _svg, pilot):
        kind = "svg" if ctx.triggered_id == ids.NETWORKS_SVG else "png"
        name = pilot if pilot in snapshot.networks else "network"
        return {"type": kind, "action": "download", "filename": f"crosspilot-{name}-network"}

    @app.callback(
        Output(ids.NETWORKS_DOWNLOAD, "data"),
        Input(ids.NETWORKS_CSV, "n_clicks"),
        State(ids.NETWORKS_PILOT, "value"),
        State(ids.NETWORKS_PHASE, "value"),
        prevent_initial_call=True,
    )
    def export_csv(_clicks, pilot, phase):
        if pilot not in snapshot.networks:
            return no_update
        phase = phase if phase in store.phases(pilot) else nw.ALL_PHASES
        text = nw.node_metrics_csv(store.analysis(pilot, phase))
        return dcc.send_string(text, f"crosspilot-{pilot}-{phase}-actors.csv", type="text/csv")

    @app.callback(
        Output(ids.NETWORKS_COMPARE_CHART, "children"),
        Output(ids.NETWORKS_COMPARE_TABLE, "children"),
        Output(ids.NETWORKS_MULTIPLES, "children"),
        Input(ids.NETWORKS_PHASE, "value"),
        Input(ids.NETWORKS_SIZE, "value"),
        State(ids.URL, "search"),
    )
    def compare_all(phase, size, search):
        known = {nw.ALL_PHASES, *(p for pilot in store.pilots() for p in store.phases(pilot))}
        phase = phase if phase in known else nw.ALL_PHASES
        size = size if size in nw.NODE_METRIC_KEYS else "betweenness"
        theme = theme_of(search)
        # The same for every visitor of this snapshot: built once (plotly's validation is the cost).
        return store.remember(
            ("comparison", phase, size, theme), lambda: comparison(snapshot, store, phase, size, theme)
        )
