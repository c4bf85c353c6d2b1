"""Pure builders for stakeholder networks: cytoscape elements, WebGL and aggregated views, comparisons.

Every builder is pure (no I/O, no globals, never mutates its input) and takes the same encoding,
so the Networks page, a lesson's "network feature" evidence panel and an export draw alike:
colour = sector (SECTOR_COLOURS), shape = COSMOS role, size = a chosen centrality,
line style = provenance (published solid, estimate dashed, illustrative dotted),
edge colour + a mark in the middle = relation, width = tie strength.

Signatures (ties: a tie graph from `crosspilot.networks.tie_graph`, or `diff_ties` for a phase diff;
positions: {node_id: (x, y)}; metrics: the `Analysis.nodes` frame indexed by node id):

    graph_to_elements(ties, positions, metrics, view=NetworkView()) -> list[dict]   # dash-cytoscape
    stylesheet(theme="standard") -> list[dict]                                      # its stylesheet
    network_figure(ties, positions, metrics, view=NetworkView()) -> go.Figure       # Scattergl, > ~1,500
    aggregate_elements(groups, by="sector", theme="standard") -> list[dict]         # networks.aggregate()
    small_multiples_figure(panels, view=NetworkView()) -> go.Figure                 # panels: Panel(...)
    metrics_comparison_figure(table, metrics, theme="standard") -> go.Figure        # pilots x metrics
    legend_entries(ties) -> dict[str, list[dict]]                                   # for an HTML legend

A lesson's evidence panel can call, for one pilot:
    a = store.analysis(pilot); graph_to_elements(a.ties, a.positions(), a.nodes, NetworkView(size_by=...))
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crosspilot.figures.theme import SECTOR_COLOURS, SERIES_COLOURS, STATUS_DASH, status_label, template
from crosspilot.i18n import t
from crosspilot.networks import TieArrays, filtered, relation_label, sector_label, tie_arrays

# Above this many nodes + ties, cytoscape's canvas freezes phones: draw with WebGL or aggregate.
MAX_CYTOSCAPE_ELEMENTS = 1500
LABEL_ALL_UP_TO = 150  # more nodes than this: only the largest are labelled

# COSMOS role -> (cytoscape shape, plotly symbol, CSS clip-path polygon for the HTML legend).
_CROSS = (
    "33% 0, 67% 0, 67% 33%, 100% 33%, 100% 67%, 67% 67%, 67% 100%, 33% 100%, 33% 67%, 0 67%, 0 33%, 33% 33%"
)
ROLE_SHAPES: dict[str, tuple[str, str, str]] = {
    "Initiator": (
        "star",
        "star",
        "50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%",
    ),
    "Policy Definer": ("hexagon", "hexagon", "25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%"),
    "Specifier and Designer": ("pentagon", "pentagon", "50% 0, 100% 38%, 82% 100%, 18% 100%, 0 38%"),
    "Deployer": ("rectangle", "square", "0 0, 100% 0, 100% 100%, 0 100%"),
    "Deliverer": ("diamond", "diamond", "50% 0, 100% 50%, 50% 100%, 0 50%"),
    "User": ("ellipse", "circle", "circle(50%)"),
    "Beneficiary": ("triangle", "triangle-up", "50% 0, 100% 100%, 0 100%"),
    "Broker": (
        "octagon",
        "octagon",
        "30% 0, 70% 0, 100% 30%, 100% 70%, 70% 100%, 30% 100%, 0 70%, 0 30%",
    ),
    "Evaluator": ("vee", "triangle-down", "0 0, 100% 0, 50% 100%"),
    "External Organisations": ("polygon", "cross", _CROSS),
}
OTHER_SHAPE = ("round-rectangle", "square-open", "0 0, 100% 0, 100% 100%, 0 100%")

# Relation -> (line colour, symmetric mark in the middle of the tie: never colour alone).
RELATION_STYLES: dict[str, tuple[str, str]] = {
    "partnership": ("#000000", "none"),
    "co_design": ("#0072B2", "diamond"),
    "service_delivery": ("#D55E00", "square"),
    "information": ("#007a5a", "circle"),
    "peer_support": ("#CC79A7", "tee"),
    "representation": ("#8a5a00", "triangle-backcurve"),
    "funding": ("#3d6b99", "chevron"),
}
OTHER_RELATION = ("#555555", "none")
CHANGE_COLOURS = {"added": "#007a5a", "removed": "#b00020", "kept": "#9a9a9a"}
CHANGE_MARKS = {"added": "+", "removed": "−", "kept": ""}


@dataclass(frozen=True)
class NetworkView:
    """How to draw a network; every field has a safe default."""

    size_by: str = "betweenness"
    focus: frozenset | None = None  # actors drawn in full; the rest faded (None: all in full)
    selected: str | None = None  # the actor whose panel is open, outlined
    theme: str = "standard"
    sectors: frozenset = frozenset()  # only actors of these sectors are drawn (empty: all)
    relations: frozenset = frozenset()  # only ties of these relations are drawn (empty: all)


@dataclass(frozen=True)
class Panel:
    """One network among the small multiples."""

    title: str
    ties: nx.Graph
    positions: Mapping
    metrics: pd.DataFrame


def role_shape(role: str) -> tuple[str, str, str]:
    return ROLE_SHAPES.get(role, OTHER_SHAPE)


def relation_style(relation: str) -> tuple[str, str]:
    return RELATION_STYLES.get(relation, OTHER_RELATION)


def sector_colour(sector: str) -> str:
    return SECTOR_COLOURS.get(sector, SECTOR_COLOURS[""])


def node_sizes(metrics: pd.DataFrame, size_by: str, smallest: float = 18, largest: float = 60) -> pd.Series:
    """Marker sizes by area: the square root of the metric's share of its maximum."""
    if size_by not in metrics or not len(metrics):
        return pd.Series(smallest, index=metrics.index)
    values = pd.to_numeric(metrics[size_by], errors="coerce").fillna(0).clip(lower=0)
    top = values.max()
    share = values / top if top > 0 else values * 0
    return smallest + (largest - smallest) * share.pow(0.5)


def _format(value: float) -> str:
    return f"{value:.3g}" if isinstance(value, float) and not float(value).is_integer() else f"{value:g}"


def graph_to_elements(
    ties: nx.Graph, positions: Mapping, metrics: pd.DataFrame, view: NetworkView = NetworkView()
) -> list[dict]:
    """Cytoscape elements with preset positions; the encoding lives in each element's data and classes."""
    if view.sectors or view.relations:
        ties = filtered(ties, view.sectors, view.relations)
    sizes = node_sizes(metrics, view.size_by)
    labelled = set(ties.nodes)
    if ties.number_of_nodes() > LABEL_ALL_UP_TO:
        labelled = set(sizes.reindex(list(ties.nodes)).nlargest(20).index)
    elements = []
    for node, data in ties.nodes(data=True):
        sector, role = data.get("sector", ""), data.get("role", "")
        shape = role_shape(role)[0]
        classes = [f"role-{'polygon' if shape == 'polygon' else 'preset'}"]
        if view.focus is not None and node not in view.focus:
            classes.append("faded")
        if node == view.selected:
            classes.append("selected-actor")
        if data.get("hard_to_reach"):
            classes.append("hard-to-reach")
        x, y = positions.get(node, (500.0, 500.0))
        value = metrics[view.size_by].get(node, 0) if view.size_by in metrics else 0
        elements.append(
            {
                "data": {
                    "id": str(node),
                    "label": str(data.get("label", node)) if node in labelled else "",
                    "name": str(data.get("label", node)),
                    "sector": sector,
                    "role": role,
                    "colour": sector_colour(sector),
                    "shape": shape,
                    "size": round(float(sizes.get(node, 18)), 1),
                    "metric": _format(float(value)),
                },
                "position": {"x": float(x), "y": float(y)},
                "classes": " ".join(classes),
            }
        )
    for u, v, data in ties.edges(data=True):
        rels = data.get("relations", ()) or ("",)
        colour, mark = relation_style(rels[0])
        change = data.get("change")
        classes = [f"status-{data.get('status', 'illustrative')}"]
        if change:
            classes.append(f"change-{change}")
            colour = CHANGE_COLOURS[change]
        if view.focus is not None and not (u in view.focus and v in view.focus):
            classes.append("faded")
        elements.append(
            {
                "data": {
                    "id": f"{u}\u2194{v}",
                    "source": str(u),
                    "target": str(v),
                    "relation": ", ".join(rels),
                    "colour": colour,
                    "mark": mark,
                    "width": round(1.5 + 1.5 * min(float(data.get("weight", 1)), 6), 1),
                    "status": data.get("status", "illustrative"),
                    "change": change or "",
                    "change_mark": CHANGE_MARKS.get(change or "", ""),
                },
                "classes": " ".join(classes),
            }
        )
    return elements


def stylesheet(theme: str = "standard") -> list[dict]:
    """The cytoscape stylesheet: reads colour, shape, size, width and marks from the elements' data."""
    projector = theme == "projector"
    font = 22 if projector else 13
    return [
        {
            "selector": "node",
            "style": {
                "background-color": "data(colour)",
                "shape": "data(shape)",
                "width": "data(size)",
                "height": "data(size)",
                "label": "data(label)",
                "font-size": font,
                "color": "#000000",
                "text-valign": "bottom",
                "text-margin-y": 4,
                "text-wrap": "wrap",
                "text-max-width": 160 if projector else 120,
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.85,
                "text-background-padding": 2,
                "border-width": 1.5,
                "border-color": "#000000",
            },
        },
        {
            "selector": "node.role-polygon",
            "style": {
                "shape-polygon-points": "-0.33 -1 0.33 -1 0.33 -0.33 1 -0.33 1 0.33 0.33 0.33 0.33 1 "
                "-0.33 1 -0.33 0.33 -1 0.33 -1 -0.33 -0.33 -0.33"
            },
        },
        {"selector": "node.hard-to-reach", "style": {"border-width": 4, "border-style": "double"}},
        {
            "selector": "edge",
            "style": {
                "line-color": "data(colour)",
                "width": "data(width)",
                "curve-style": "bezier",
                "mid-target-arrow-shape": "data(mark)",
                "mid-target-arrow-color": "data(colour)",
                "arrow-scale": 1.2,
                "opacity": 0.85,
            },
        },
        {"selector": "edge.status-published", "style": {"line-style": "solid"}},
        {"selector": "edge.status-estimate", "style": {"line-style": "dashed"}},
        {"selector": "edge.status-illustrative", "style": {"line-style": "dotted"}},
        {
            "selector": "edge.change-added, edge.change-removed",
            "style": {
                "label": "data(change_mark)",
                "font-size": font + 8,
                "font-weight": "bold",
                "color": "data(colour)",
                "text-background-color": "#ffffff",
                "text-background-opacity": 1,
                "width": 6,
                "opacity": 1,
            },
        },
        {"selector": "edge.change-kept", "style": {"opacity": 0.5}},
        {"selector": ".faded", "style": {"opacity": 0.12, "text-opacity": 0}},
        {
            "selector": "node.selected-actor",
            "style": {"border-width": 6, "border-color": "#0b57d0", "z-index": 10},
        },
        {"selector": "node:selected", "style": {"border-width": 6, "border-color": "#0b57d0"}},
    ]


@lru_cache(maxsize=64)
def _edge_groups(arrays: TieArrays) -> tuple[tuple[tuple[str, str], np.ndarray], ...]:
    """Ties grouped by (change, status), one line trace each, in a stable order; kept per tie graph."""
    keys = list(zip(arrays.change, arrays.status, strict=True))
    found: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(keys):
        found.setdefault(key, []).append(i)
    return tuple((key, np.array(found[key], dtype=np.int64)) for key in sorted(found))


@lru_cache(maxsize=64)
def _symbols(arrays: TieArrays) -> np.ndarray:
    return np.array([role_shape(r)[1] for r in arrays.role], dtype=object)


def _segments(xy: np.ndarray, source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line segments as float arrays with NaN gaps: one slice per end, no loop over the ties."""
    ends = np.full((len(source), 3, 2), np.nan)
    ends[:, 0] = xy[source]
    ends[:, 1] = xy[target]
    return ends[:, :, 0].ravel(), ends[:, :, 1].ravel()


def _network_traces(
    ties: nx.Graph, positions: Mapping, metrics: pd.DataFrame, view: NetworkView, gl: bool, legend: bool
) -> list:
    # Plain dicts of numpy arrays, sliced from the tie graph's cached arrays with the view's masks:
    # the page builds this on every view change of networks up to 10,000 actors and 50,000 ties.
    kind = "scattergl" if gl else "scatter"
    scatter = lambda **trace: {"type": kind, **trace}  # noqa: E731
    arrays = tie_arrays(ties)
    node_ok, edge_ok = arrays.masks(view.sectors, view.relations)
    xy = np.array([positions.get(n, (500.0, 500.0)) for n in arrays.nodes], dtype=float).reshape(-1, 2)
    traces = []
    for (change, status), members in _edge_groups(arrays):
        edges = members[edge_ok[members]]
        if not len(edges):
            continue
        xs, ys = _segments(xy, arrays.source[edges], arrays.target[edges])
        name = (
            t("{change} ties", change=change) if change else t("{status} ties", status=status_label(status))
        )
        traces.append(
            scatter(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(
                    color=CHANGE_COLOURS.get(change, "#6b6b6b"),
                    width=4 if change in ("added", "removed") else 1,
                    dash=STATUS_DASH.get(status, "dot"),
                ),
                opacity=0.9 if change else 0.55,
                hoverinfo="skip",
                name=name,
                legendgroup=name,
                showlegend=legend,
            )
        )
    sizes = (
        node_sizes(metrics, view.size_by, smallest=6 if gl else 8, largest=28)
        .reindex(arrays.nodes)
        .fillna(6)
        .to_numpy(dtype=float)
    )
    values = (
        pd.to_numeric(metrics[view.size_by].reindex(arrays.nodes), errors="coerce").fillna(0).to_numpy(float)
        if view.size_by in metrics
        else np.zeros(len(arrays.nodes))
    )
    in_focus = np.ones(len(arrays.nodes), dtype=bool)
    if view.focus is not None:
        in_focus[:] = False
        in_focus[[arrays.index[n] for n in view.focus if n in arrays.index]] = True
    selected = np.zeros(len(arrays.nodes), dtype=bool)
    if view.selected in arrays.index:
        selected[arrays.index[view.selected]] = True
    symbols = _symbols(arrays)
    for sector in sorted(set(arrays.sector[node_ok])):
        ids = np.flatnonzero(node_ok & (arrays.sector == sector))
        traces.append(
            scatter(
                x=xy[ids, 0],
                y=xy[ids, 1],
                mode="markers",
                marker=dict(
                    color=sector_colour(sector),
                    symbol=symbols[ids],
                    size=sizes[ids],
                    opacity=np.where(in_focus[ids], 1.0, 0.15),
                    line=dict(
                        width=np.where(
                            selected[ids], 3.0, 1.0
                        ),  # a dark outline: the orange alone is 2.3:1 on white
                        color=np.where(selected[ids], "#0b57d0", "#000000").astype(object),
                    ),
                ),
                customdata=arrays.nodes[ids],
                text=np.array(
                    [
                        f"{lab} · {_format(float(val))}"
                        for lab, val in zip(arrays.label[ids], values[ids], strict=True)
                    ],
                    dtype=object,
                ),
                hovertemplate="%{text}<extra>" + sector_label(sector) + "</extra>",
                name=sector_label(sector),
                legendgroup=f"sector-{sector}",
                showlegend=legend,
            )
        )
    return traces


def _typed(value):
    """Numeric numpy arrays as plotly.js typed arrays (base64, as plotly.py itself sends them): encoding
    is a copy instead of a number-by-number JSON pass. Float32 keeps 7 digits, plenty for 0–1000 layouts."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        data = np.ascontiguousarray(value, dtype="<f4")
        return {"dtype": "f4", "bdata": base64.b64encode(data.tobytes()).decode("ascii")}
    return value


def _clean_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False)
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, autorange="reversed")


def network_figure(
    ties: nx.Graph, positions: Mapping, metrics: pd.DataFrame, view: NetworkView = NetworkView()
) -> go.Figure:
    """A large network in WebGL (plotly Scattergl): nodes by sector and role, ties by provenance."""
    traces = _network_traces(ties, positions, metrics, view, gl=True, legend=True)
    return go.Figure({"data": traces, "layout": _network_layout(view)}, _validate=False)


def network_figure_dict(
    ties: nx.Graph, positions: Mapping, metrics: pd.DataFrame, view: NetworkView = NetworkView()
) -> dict:
    """`network_figure` as the plain dict dcc.Graph takes: no copy, no validation, numbers as typed
    arrays (the page's fast path)."""
    traces = _network_traces(ties, positions, metrics, view, gl=True, legend=True)
    return {"data": _typed(traces), "layout": _network_layout(view)}


def _network_layout(view: NetworkView) -> dict:
    axis = dict(visible=False, showgrid=False, zeroline=False)
    return dict(
        template=template(view.theme).to_plotly_json(),
        height=640,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", y=-0.02, yanchor="top"),
        clickmode="event",
        dragmode="pan",
        hovermode="closest",
        xaxis=axis,
        yaxis={**axis, "autorange": "reversed"},
    )


def aggregate_elements(groups: nx.Graph, by: str = "sector", theme: str = "standard") -> list[dict]:
    """Cytoscape elements for actors grouped by sector or community, on a circle (preset positions)."""
    order = sorted(groups.nodes, key=lambda g: (-groups.nodes[g]["members"], str(g)))
    most = max((groups.nodes[g]["members"] for g in order), default=1)
    elements = []
    for i, group in enumerate(order):
        angle = 2 * math.pi * i / max(len(order), 1)
        members = groups.nodes[group]["members"]
        if by == "sector":
            colour, label = sector_colour(group), sector_label(group)
        else:
            colour = SERIES_COLOURS[i % (len(SERIES_COLOURS) - 1)]  # never the low-contrast yellow
            label = t("Community {n}", n=group)
        elements.append(
            {
                "data": {
                    "id": f"group-{group}",
                    "label": t("{label} ({n} actors)", label=label, n=members),
                    "name": label,
                    "colour": colour,
                    "shape": "ellipse",
                    "size": round(30 + 70 * math.sqrt(members / most), 1),
                    "metric": str(members),
                },
                "position": {"x": 500 + 350 * math.cos(angle), "y": 500 + 350 * math.sin(angle)},
                "classes": "group",
            }
        )
    most_ties = max((d["ties"] for *_, d in groups.edges(data=True)), default=1)
    for u, v, data in groups.edges(data=True):
        elements.append(
            {
                "data": {
                    "id": f"group-{u}\u2194{v}",
                    "source": f"group-{u}",
                    "target": f"group-{v}",
                    "relation": t("{n} ties", n=data["ties"]),
                    "colour": "#444444",
                    "mark": "none",
                    "width": round(2 + 12 * data["ties"] / most_ties, 1),
                    "status": "published",
                    "change": "",
                    "change_mark": str(data["ties"]),
                },
                "classes": "status-published group-tie",
            }
        )
    return elements


def small_multiples_figure(
    panels: Sequence[Panel], view: NetworkView = NetworkView(), columns: int = 5
) -> go.Figure:
    """Every pilot's network in its own panel, with the same colours, shapes and sizes."""
    rows = max(1, math.ceil(len(panels) / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[p.title for p in panels],
        horizontal_spacing=0.02,
        vertical_spacing=0.08,
    )
    for i, panel in enumerate(panels):
        big = panel.ties.number_of_nodes() + panel.ties.number_of_edges() > MAX_CYTOSCAPE_ELEMENTS
        for trace in _network_traces(panel.ties, panel.positions, panel.metrics, view, gl=big, legend=i == 0):
            fig.add_trace(trace, row=i // columns + 1, col=i % columns + 1)
    fig.update_layout(
        template=template(view.theme),
        height=300 * rows + 80,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=-0.02, yanchor="top"),
        hovermode="closest",
    )
    # make_subplots writes its panel titles at a fixed 16 px; they follow the theme (20+ on a projector).
    fig.update_annotations(font_size=template(view.theme).layout.font.size)
    _clean_axes(fig)
    return fig


def metrics_comparison_figure(table: pd.DataFrame, metrics: Sequence, theme: str = "standard") -> go.Figure:
    """One small bar chart per network metric, pilots on the shared vertical axis, values written on bars.

    `table`: one row per pilot (index: pilot name), one column per metric key; `metrics`: Metric items.
    """
    columns = min(4, max(1, len(metrics)))
    rows = math.ceil(len(metrics) / columns) if metrics else 1
    fig = make_subplots(
        rows=rows,
        cols=columns,
        shared_yaxes=True,
        subplot_titles=[m.label for m in metrics],
        horizontal_spacing=0.03,
        vertical_spacing=0.12,
    )
    names = [str(n) for n in table.index]
    for i, metric in enumerate(metrics):
        values = pd.to_numeric(table[metric.key], errors="coerce").fillna(0)
        fig.add_trace(
            go.Bar(
                x=list(values),
                y=names,
                orientation="h",
                marker=dict(color=SERIES_COLOURS[0], line=dict(color="#000000", width=1)),
                text=[_format(float(v)) for v in values],
                textposition="auto",
                name=metric.label,
                hovertemplate="%{y}: %{x:.3g}<extra>" + metric.label + "</extra>",
                showlegend=False,
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
    fig.update_layout(
        template=template(theme),
        height=max(320, (26 * len(names) + 90) * rows),
        margin=dict(l=10, r=10, t=50, b=30),
        bargap=0.25,
    )
    fig.update_annotations(font_size=template(theme).layout.font.size)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def legend_entries(ties: nx.Graph) -> dict[str, list[dict]]:
    """What the legend must explain for this network (kept per frozen tie graph: it never changes)."""
    return _legend_entries(ties) if nx.is_frozen(ties) else _legend_entries.__wrapped__(ties)


@lru_cache(maxsize=64)
def _legend_entries(ties: nx.Graph) -> dict[str, list[dict]]:
    """What the legend must explain for this network: sectors, roles, relations and provenance present."""
    sectors = sorted({d.get("sector", "") for _, d in ties.nodes(data=True)})
    roles = sorted({d.get("role", "") for _, d in ties.nodes(data=True)})
    rels = sorted({r for *_, d in ties.edges(data=True) for r in (d.get("relations") or ("",))})
    statuses = sorted(
        {d.get("status", "illustrative") for *_, d in ties.edges(data=True)},
        key=lambda s: ("published", "estimate", "illustrative").index(s) if s in STATUS_DASH else 9,
    )
    changes = sorted({d["change"] for *_, d in ties.edges(data=True) if d.get("change")})
    return {
        "sectors": [{"key": s, "label": sector_label(s), "colour": sector_colour(s)} for s in sectors],
        "roles": [{"key": r, "label": r or t("no role"), "clip": role_shape(r)[2]} for r in roles],
        "relations": [
            {
                "key": r,
                "label": relation_label(r),
                "colour": relation_style(r)[0],
                "mark": relation_style(r)[1],
            }
            for r in rels
        ],
        "statuses": [
            {"key": s, "label": status_label(s), "dash": STATUS_DASH.get(s, "dot")} for s in statuses
        ],
        "changes": [
            {"key": c, "label": c, "colour": CHANGE_COLOURS[c], "mark": CHANGE_MARKS[c]} for c in changes
        ],
    }
