"""Plotly drawings of networks: WebGL (Scattergl) for large networks, and small multiples of every pilot."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crosspilot.figures.networks.encoding import (
    CHANGE_COLOURS,
    DEFAULT_VIEW,
    MAX_CYTOSCAPE_ELEMENTS,
    SELECTED_COLOUR,
    NetworkView,
    Panel,
    node_sizes,
    role_shape,
    sector_colour,
)
from crosspilot.figures.theme import STATUS_DASH, status_label, template
from crosspilot.formatting import Formatter
from crosspilot.i18n import N_, t
from crosspilot.networks import TieArrays, sector_label, tie_arrays

# A phase diff's ties, named in the legend (crosspilot.networks.arrays: change per tie).
CHANGE_NAMES = {"added": N_("Added ties"), "removed": N_("Removed ties"), "kept": N_("Kept ties")}


def _segments(xy: np.ndarray, source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line segments as float arrays with NaN gaps: one slice per end, no loop over the ties."""
    ends = np.full((len(source), 3, 2), np.nan)
    ends[:, 0] = xy[source]
    ends[:, 1] = xy[target]
    return ends[:, :, 0].ravel(), ends[:, :, 1].ravel()


def _symbols(roles: np.ndarray) -> np.ndarray:
    """Each actor's plotly marker symbol, looked up once per distinct role."""
    found, position = np.unique(roles.astype(str), return_inverse=True)
    return np.array([role_shape(r)[1] for r in found], dtype=object)[position.reshape(-1)]


def hover_texts(arrays: TieArrays, metrics: pd.DataFrame, size_by: str, fmt: Formatter) -> np.ndarray:
    """Each actor's hover text ("name · value of `size_by`"), in `arrays.nodes` order. Formatting
    10,000 numbers through the Formatter takes ~0.1–0.3 s: the page keeps the result per pilot, phase
    and metric and passes it back as `texts`."""
    values = (
        metrics[size_by].reindex(arrays.nodes).fillna(0).tolist()
        if size_by in metrics
        else [0] * len(arrays.nodes)
    )
    texts = np.empty(len(arrays.nodes), dtype=object)
    texts[:] = [f"{label} · {fmt.number(v, digits=3)}" for label, v in zip(arrays.label, values, strict=True)]
    return texts


def _tie_name(change: str, status: str) -> str:
    return (
        t(CHANGE_NAMES[change]) if change in CHANGE_NAMES else t("{status} ties", status=status_label(status))
    )


def _tie_trace(scatter, xy, arrays: TieArrays, edges: np.ndarray, change: str, status: str, **extra) -> dict:
    """Ties of one (change, status) group as line segments with NaN gaps."""
    xs, ys = _segments(xy, arrays.source[edges], arrays.target[edges])
    name = _tie_name(change, status)
    return scatter(
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
        **extra,
    )


def _node_marks(arrays: TieArrays, view: NetworkView) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every actor's (opacity, outline width, outline colour): faded outside the focus, the selected
    actor outlined. A focus change changes only these, so the page patches them alone."""
    in_focus = np.ones(len(arrays.nodes), dtype=bool)
    if view.focus is not None:
        in_focus[:] = False
        in_focus[[arrays.index[n] for n in view.focus if n in arrays.index]] = True
    selected = np.zeros(len(arrays.nodes), dtype=bool)
    if view.selected in arrays.index:
        selected[arrays.index[view.selected]] = True
    # a dark outline: the orange alone is 2.3:1 on white
    colour = np.where(selected, SELECTED_COLOUR, "#000000").astype(object)
    return np.where(in_focus, 1.0, 0.15), np.where(selected, 3.0, 1.0), colour


def _actor_trace(scatter, arrays, xy, sector, ids, sizes, symbols, texts, marks, legend, **extra) -> dict:
    """One sector's actors as markers."""
    opacity, width, colour = marks
    return scatter(
        x=xy[ids, 0],
        y=xy[ids, 1],
        mode="markers",
        marker=dict(
            color=sector_colour(sector),
            symbol=symbols[ids],
            size=sizes[ids],
            opacity=opacity[ids],
            line=dict(width=width[ids], color=colour[ids]),
        ),
        customdata=arrays.nodes[ids],
        text=texts[ids],
        hovertemplate="%{text}<extra>" + sector_label(sector) + "</extra>",
        name=sector_label(sector),
        legendgroup=f"sector-{sector}",
        showlegend=legend,
        **extra,
    )


def _network_traces(
    ties: nx.Graph,
    positions: Mapping,
    metrics: pd.DataFrame,
    view: NetworkView,
    gl: bool,
    legend: bool,
    arrays: TieArrays | None,
    fmt: Formatter,
    texts: np.ndarray | None = None,
    toggles: bool = False,
) -> list:
    # Plain dicts of numpy arrays, sliced from the tie graph's cached arrays with the view's masks:
    # the page builds this on every view change of networks up to 10,000 actors and 50,000 ties.
    # `toggles`: every sector's actors and ties are drawn, those filtered out with `visible: false`,
    # so that a sector filter is a change of visibility only (`network_slots`).
    kind = "scattergl" if gl else "scatter"
    scatter = lambda **trace: {"type": kind, **trace}  # noqa: E731
    arrays = tie_arrays(ties) if arrays is None else arrays
    node_ok, edge_ok = arrays.masks(view.sectors, view.relations)
    xy = np.array([positions.get(n, (500.0, 500.0)) for n in arrays.nodes], dtype=float).reshape(-1, 2)
    sizes = (
        node_sizes(metrics, view.size_by, smallest=6 if gl else 8, largest=28)
        .reindex(arrays.nodes)
        .fillna(6)
        .to_numpy(dtype=float)
    )
    texts = hover_texts(arrays, metrics, view.size_by, fmt) if texts is None else texts
    marks, symbols = _node_marks(arrays, view), _symbols(arrays.role)
    if toggles:
        slots, shown = network_slots(arrays, view.relations), network_visibility(arrays, view)
        traces = []
        for slot, visible in zip(slots, shown, strict=True):
            kind_, key, ids = slot
            if kind_ == "actors":
                traces.append(
                    _actor_trace(
                        scatter, arrays, xy, key, ids, sizes, symbols, texts, marks, legend, visible=visible
                    )
                )
            elif kind_ == "ties":
                traces.append(
                    _tie_trace(scatter, xy, arrays, ids, *key[0], showlegend=False, visible=visible)
                )
            else:  # the legend's entry of a group of ties, drawn once whatever the sector pairs
                trace = _tie_trace(scatter, xy, arrays, ids[:0], *key, showlegend=legend, visible=visible)
                traces.append({**trace, "x": [None], "y": [None], "meta": "legend"})
        return traces
    traces = []
    for (change, status), members in arrays.edge_groups:
        edges = members[edge_ok[members]]
        if len(edges):
            traces.append(_tie_trace(scatter, xy, arrays, edges, change, status, showlegend=legend))
    for sector in sorted(set(arrays.sector[node_ok])):
        ids = np.flatnonzero(node_ok & (arrays.sector == sector))
        traces.append(_actor_trace(scatter, arrays, xy, sector, ids, sizes, symbols, texts, marks, legend))
    return traces


def network_slots(arrays: TieArrays, relations=()) -> list[tuple[str, object, np.ndarray]]:
    """The traces of the page's WebGL drawing, in order, whatever sectors are shown: for each (change,
    status) group of ties (of `relations`; empty: all) one legend entry ("legend", (change, status),
    its ties) then one trace per pair of sectors ("ties", ((change, status), (sector, sector)), ties);
    then one trace per sector's actors ("actors", sector, actors). Pure and cheap (array operations)."""
    _, edge_ok = arrays.masks((), relations)
    sectors = sorted(set(arrays.sector))
    code = {s: i for i, s in enumerate(sectors)}
    codes = np.array([code[s] for s in arrays.sector], dtype=np.int64)
    a, b = codes[arrays.source], codes[arrays.target]
    pair = np.minimum(a, b) * len(sectors) + np.maximum(a, b)
    slots: list = []
    for key, members in arrays.edge_groups:
        edges = members[edge_ok[members]]
        if not len(edges):
            continue
        slots.append(("legend", key, edges))
        for p in np.unique(pair[edges]):
            pair_key = (sectors[p // len(sectors)], sectors[p % len(sectors)])
            slots.append(("ties", (key, pair_key), edges[pair[edges] == p]))
    slots += [("actors", s, np.flatnonzero(codes == code[s])) for s in sectors]
    return slots


def network_visibility(arrays: TieArrays, view: NetworkView) -> list[bool]:
    """Which of `network_slots(arrays, view.relations)` are visible with `view.sectors` shown."""
    shown = set(view.sectors) or set(arrays.sector)
    visible, groups = [], {}
    for kind, key, _ in network_slots(arrays, view.relations):
        if kind == "actors":
            visible.append(key in shown)
        elif kind == "ties":
            on = key[1][0] in shown and key[1][1] in shown
            visible.append(on)
            groups[key[0]] = groups.get(key[0], False) or on
        else:
            visible.append(key)  # filled in below, once the group's pairs are known
    return [groups.get(v, False) if isinstance(v, tuple) else v for v in visible]


def network_marks(arrays: TieArrays, view: NetworkView) -> list[tuple[int, dict]]:
    """What a focus or selection change changes in the page's WebGL drawing: for each actors' trace
    (its index among `network_slots`), its markers' opacity and outline, as typed arrays."""
    opacity, width, colour = _node_marks(arrays, view)
    return [
        (i, _typed({"opacity": opacity[ids], "line": {"width": width[ids], "color": list(colour[ids])}}))
        for i, (kind, _, ids) in enumerate(network_slots(arrays, view.relations))
        if kind == "actors"
    ]


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
    ties: nx.Graph, positions: Mapping, metrics: pd.DataFrame, view: NetworkView = DEFAULT_VIEW, **options
) -> go.Figure:
    """A large network in WebGL (plotly Scattergl): nodes by sector and role, ties by provenance.
    `options` (arrays, fmt, texts) as `network_figure_dict` takes them; numbers stay plain arrays."""
    return go.Figure(
        network_figure_dict(ties, positions, metrics, view, typed=False, **options), _validate=False
    )


def network_figure_dict(
    ties: nx.Graph,
    positions: Mapping,
    metrics: pd.DataFrame,
    view: NetworkView = DEFAULT_VIEW,
    *,
    arrays: TieArrays | None = None,
    fmt: Formatter | None = None,
    texts: np.ndarray | None = None,
    typed: bool = True,
    toggles: bool = False,
) -> dict:
    """The network as the plain dict dcc.Graph takes: no copy, no validation, numbers as typed arrays
    unless `typed` is False (the page's fast path). `arrays`: `tie_arrays(ties)` and `texts`:
    `hover_texts(...)`, when the caller keeps them. `toggles`: drawn as `network_slots` (every sector,
    those filtered out invisible), so that `network_visibility` and `network_marks` can patch it."""
    traces = _network_traces(
        ties, positions, metrics, view, True, True, arrays, fmt or Formatter(), texts, toggles
    )
    return {"data": _typed(traces) if typed else traces, "layout": _network_layout(view)}


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


# Panels a row: four on a 1280-pixel screen, three with the projector's larger type, so that titles
# (a pilot's short label) never run into each other; a longer title breaks before its bracket.
MULTIPLES_COLUMNS = {"standard": 4, "projector": 3}
TITLE_CHARACTERS = {"standard": 34, "projector": 30}
PANEL_PX = 300
_PAD = 90  # layout units around the 0-1000 box: the largest marker stays inside its panel, off its title


def _panel_title(title: str, theme: str) -> str:
    if len(title) <= TITLE_CHARACTERS.get(theme, 34) or " (" not in title:
        return title
    head, _, tail = title.partition(" (")
    return f"{head}<br>({tail}"


def small_multiples_figure(
    panels: Sequence[Panel],
    view: NetworkView = DEFAULT_VIEW,
    columns: int | None = None,
    fmt: Formatter | None = None,
) -> go.Figure:
    """Every pilot's network in its own panel, with the same colours, shapes and sizes. One legend
    names every sector and kind of tie drawn in any panel (each once). `columns`: panels a row
    (default MULTIPLES_COLUMNS of the theme)."""
    fmt = fmt or Formatter()
    columns = columns or MULTIPLES_COLUMNS.get(view.theme, 4)
    rows = max(1, math.ceil(len(panels) / columns))
    title_px = 2 * template(view.theme).layout.font.size + 16  # two lines of title above each panel
    height = (PANEL_PX + title_px) * rows + 80
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[_panel_title(p.title, view.theme) for p in panels],
        horizontal_spacing=0.03,
        vertical_spacing=title_px / height,
    )
    named: set[str] = set()
    for i, panel in enumerate(panels):
        big = panel.ties.number_of_nodes() + panel.ties.number_of_edges() > MAX_CYTOSCAPE_ELEMENTS
        traces = _network_traces(
            panel.ties, panel.positions, panel.metrics, view, big, True, panel.arrays, fmt
        )
        for trace in traces:
            # The first panel that draws a sector or kind of tie names it in the legend.
            trace["showlegend"] = trace["legendgroup"] not in named
            named.add(trace["legendgroup"])
            fig.add_trace(trace, row=i // columns + 1, col=i % columns + 1)
    fig.update_layout(
        template=template(view.theme),
        height=height,
        margin=dict(l=10, r=10, t=title_px, b=10),
        legend=dict(orientation="h", y=-0.02, yanchor="top"),
        hovermode="closest",
    )
    # make_subplots writes its panel titles at a fixed 16 px; they follow the theme (20+ on a projector).
    fig.update_annotations(font_size=template(view.theme).layout.font.size)
    _clean_axes(fig)
    fig.update_xaxes(range=[-_PAD, 1000 + _PAD])
    fig.update_yaxes(range=[1000 + _PAD, -_PAD], autorange=False)
    return fig
