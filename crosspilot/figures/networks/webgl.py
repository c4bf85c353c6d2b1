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
) -> list:
    # Plain dicts of numpy arrays, sliced from the tie graph's cached arrays with the view's masks:
    # the page builds this on every view change of networks up to 10,000 actors and 50,000 ties.
    kind = "scattergl" if gl else "scatter"
    scatter = lambda **trace: {"type": kind, **trace}  # noqa: E731
    arrays = tie_arrays(ties) if arrays is None else arrays
    node_ok, edge_ok = arrays.masks(view.sectors, view.relations)
    xy = np.array([positions.get(n, (500.0, 500.0)) for n in arrays.nodes], dtype=float).reshape(-1, 2)
    traces = []
    for (change, status), members in arrays.edge_groups:
        edges = members[edge_ok[members]]
        if not len(edges):
            continue
        xs, ys = _segments(xy, arrays.source[edges], arrays.target[edges])
        name = (
            t(CHANGE_NAMES[change])
            if change in CHANGE_NAMES
            else t("{status} ties", status=status_label(status))
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
    texts = hover_texts(arrays, metrics, view.size_by, fmt) if texts is None else texts
    in_focus = np.ones(len(arrays.nodes), dtype=bool)
    if view.focus is not None:
        in_focus[:] = False
        in_focus[[arrays.index[n] for n in view.focus if n in arrays.index]] = True
    selected = np.zeros(len(arrays.nodes), dtype=bool)
    if view.selected in arrays.index:
        selected[arrays.index[view.selected]] = True
    symbols = _symbols(arrays.role)
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
                        color=np.where(selected[ids], SELECTED_COLOUR, "#000000").astype(object),
                    ),
                ),
                customdata=arrays.nodes[ids],
                text=texts[ids],
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
) -> dict:
    """The network as the plain dict dcc.Graph takes: no copy, no validation, numbers as typed arrays
    unless `typed` is False (the page's fast path). `arrays`: `tie_arrays(ties)` and `texts`:
    `hover_texts(...)`, when the caller keeps them."""
    traces = _network_traces(ties, positions, metrics, view, True, True, arrays, fmt or Formatter(), texts)
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
