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
        **{
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": dict(
                color=CHANGE_COLOURS.get(change, "#6b6b6b"),
                width=4 if change in ("added", "removed") else 1,
                dash=STATUS_DASH.get(status, "dot"),
            ),
            "opacity": _tie_opacity(change),
            "hoverinfo": "skip",
            "name": name,
            "legendgroup": name,
            **extra,
        }
    )


def _tie_opacity(change: str) -> float:
    return 0.9 if change else 0.55


FADED = 0.15  # what is outside the focus: drawn, but faint (cytoscape's `.faded` is 0.12)
# Above this many ties shown, a focus hides the ties outside it instead of fading them: redrawing
# 50,000 faint lines took 7–11 s in a browser without a GPU (0.4–0.8 s with them hidden), and the
# focus's own ties, drawn again on top, are what the reader looks at.
HIDE_TIES_ABOVE = 20_000


def hides_ties(arrays: TieArrays, view: NetworkView) -> bool:
    """Whether the drawing of `view` hides the ties outside its focus (see HIDE_TIES_ABOVE)."""
    if view.focus is None:
        return False
    _, edge_ok = arrays.masks(view.sectors, view.relations)
    return int(edge_ok.sum()) > HIDE_TIES_ABOVE


def _in_focus(arrays: TieArrays, view: NetworkView) -> np.ndarray | None:
    """Which actors are in the focus (None: no focus, everyone drawn in full)."""
    if view.focus is None:
        return None
    in_focus = np.zeros(len(arrays.nodes), dtype=bool)
    in_focus[[arrays.index[n] for n in view.focus if n in arrays.index]] = True
    return in_focus


def _markers(scatter, arrays, xy, sector, ids, sizes, symbols, texts, outline, legend, **extra) -> dict:
    """Actors `ids` of one sector as markers with the sector's colour, their shapes and sizes."""
    return scatter(
        x=xy[ids, 0],
        y=xy[ids, 1],
        mode="markers",
        marker=dict(color=sector_colour(sector), symbol=symbols[ids], size=sizes[ids], **outline),
        customdata=arrays.nodes[ids],
        text=texts[ids],
        hovertemplate="%{text}<extra>" + sector_label(sector) + "</extra>",
        name=sector_label(sector),
        legendgroup=f"sector-{sector}",
        showlegend=legend,
        **extra,
    )


def _actor_trace(scatter, arrays, xy, sector, ids, sizes, symbols, texts, opacity, legend, **extra) -> dict:
    """One sector's actors as markers, each with its own opacity (faded outside the focus)."""
    # a dark outline: light sector colours keep 3:1 against white
    outline = {"opacity": opacity[ids], "line": dict(width=1, color="#000000")}
    return _markers(scatter, arrays, xy, sector, ids, sizes, symbols, texts, outline, legend, **extra)


def _selected_trace(scatter, arrays, xy, ids, sizes, symbols, texts, **extra) -> dict:
    """The actor whose panel is open (`ids`: it, or none), drawn again on top with a thick outline in the
    panel's colour (the orange alone is 2.3:1 on white: the actor's own colour and shape stay inside)."""
    sector = str(arrays.sector[ids[0]]) if len(ids) else ""
    outline = {"line": dict(width=3, color=SELECTED_COLOUR)}
    return _markers(scatter, arrays, xy, sector, ids, sizes, symbols, texts, outline, False, **extra)


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
    # Few traces, whatever the network: one per kind of tie, one per sector's actors; a focus fades them
    # and draws its own ties (and the chosen actor) again in full on top, in a trace per kind of tie.
    # Plotly redraws every WebGL trace on any change. Measured in headless Chromium (software GL), the
    # number of traces is not what a focus costs: drawing the 50,000 ties again is (~7-10 s at 10,000
    # actors; ~0.5 s with the ties hidden), whatever the traces they are split into.
    # `toggles`: the same traces whatever the view (every sector's actors, those filtered out with
    # `visible: false`; empty traces kept), each with its part in `meta`, so that `network_patch` can
    # change a few of their properties in place.
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
    symbols = _symbols(arrays.role)
    in_focus = _in_focus(arrays, view)
    opacity = np.ones(len(arrays.nodes)) if in_focus is None else np.where(in_focus, 1.0, FADED)
    part = (lambda name: {"meta": name}) if toggles else (lambda name: {})  # noqa: E731
    # The kinds of tie drawn: with `toggles`, every kind among the relations shown, whatever the sectors.
    _, related = arrays.masks((), view.relations)
    groups = [
        (key, members, members[edge_ok[members]])
        for key, members in arrays.edge_groups
        if (related if toggles else edge_ok)[members].any()
    ]
    traces = []
    hidden = in_focus is not None and hides_ties(arrays, view)
    for (change, status), _, edges in groups:
        extra = {"visible": bool(len(edges)) and not hidden} if toggles else {}
        if hidden and not toggles:
            extra["visible"] = False
        if in_focus is not None:
            extra["opacity"] = FADED
        traces.append(
            _tie_trace(scatter, xy, arrays, edges, change, status, showlegend=legend, **extra, **part("ties"))
        )
    sectors = sorted(set(arrays.sector if toggles else arrays.sector[node_ok]))
    shown = set(arrays.sector[node_ok])
    for sector in sectors:
        ids = np.flatnonzero((arrays.sector == sector) & (node_ok | toggles))
        extra = {"visible": sector in shown, **part("actors")} if toggles else {}
        traces.append(
            _actor_trace(scatter, arrays, xy, sector, ids, sizes, symbols, texts, opacity, legend, **extra)
        )
    if in_focus is None and not toggles:
        return traces
    focused = np.zeros(len(arrays.nodes), dtype=bool) if in_focus is None else in_focus & node_ok
    for (change, status), _, edges in groups:
        within = edges[focused[arrays.source[edges]] & focused[arrays.target[edges]]]
        traces.append(_tie_trace(scatter, xy, arrays, within, change, status, showlegend=False, meta="focus"))
    chosen = arrays.index.get(view.selected) if view.selected is not None else None
    ids = np.array([chosen] if chosen is not None and focused[chosen] else [], dtype=np.int64)
    traces.append(_selected_trace(scatter, arrays, xy, ids, sizes, symbols, texts, meta="focus"))
    return traces


# What a change of the view changes in the page's drawing (`toggles`), by the part each trace plays.
_FILTERED = {"ties": (("x",), ("y",), ("visible",)), "actors": (("visible",),)}
_FOCUSED = {"ties": (("opacity",), ("visible",)), "actors": (("marker", "opacity"),)}


def network_patch(figure: dict, sectors: bool, focus: bool) -> list[tuple[int, tuple, object]]:
    """What to set in the drawing the browser shows (built with `toggles` for the same network and
    relations) so that it becomes `figure` (the same, for the new view), as (trace, path, value): after a
    change of the sectors shown (`sectors`), each kind of tie's segments and each sector's visibility;
    of the focus (`focus`), the fading; after either, the focus's own traces (a few hundred points)."""
    changes = []
    for i, trace in enumerate(figure["data"]):
        part = trace.get("meta")
        if part == "focus":
            if sectors or focus:
                changes.append((i, (), trace))
            continue
        paths = (_FILTERED.get(part, ()) if sectors else ()) + (_FOCUSED.get(part, ()) if focus else ())
        for path in paths:
            value = trace
            for key in path:
                value = value.get(key, {}) if isinstance(value, dict) else {}
            changes.append((i, path, value))
    return changes


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
    `hover_texts(...)`, when the caller keeps them. `toggles`: the same traces whatever the sectors and
    focus (every sector's actors, those filtered out invisible), so that `network_patch` can patch it."""
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


def drawn_grouped(panel: Panel) -> bool:
    """Whether `small_multiples_figure` draws `panel` grouped by sector: more actors and ties than the
    page draws apart at first (MAX_CYTOSCAPE_ELEMENTS), far more than a 300-pixel chart can show."""
    return panel.ties.number_of_nodes() + panel.ties.number_of_edges() > MAX_CYTOSCAPE_ELEMENTS


def _grouped_traces(arrays: TieArrays, fmt: Formatter) -> list[dict]:
    """A network's actors grouped by sector, as the page's grouped view places them (on a circle, the
    largest first): one circle per sector, its area the actors in it, and a line per pair of sectors,
    its width the ties between them. A few dozen points, whatever the network's size."""
    names, codes = np.unique(arrays.sector.astype(str), return_inverse=True)
    counts = np.bincount(codes.reshape(-1), minlength=len(names))
    order = sorted(range(len(names)), key=lambda i: (-counts[i], names[i]))
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    a, b = rank[codes.reshape(-1)[arrays.source]], rank[codes.reshape(-1)[arrays.target]]
    between = np.zeros((len(names), len(names)), dtype=np.int64)
    np.add.at(between, (np.minimum(a, b), np.maximum(a, b)), 1)
    angles = 2 * np.pi * np.arange(len(names)) / max(len(names), 1)
    x, y = 500 + 350 * np.cos(angles), 500 + 350 * np.sin(angles)
    most_ties = max(int(between[np.triu_indices(len(names), 1)].max(initial=0)), 1)
    traces = [
        {
            "type": "scatter",
            "x": [x[i], x[j]],
            "y": [y[i], y[j]],
            "mode": "lines",
            "line": {"color": "#444444", "width": round(1 + 9 * int(between[i, j]) / most_ties, 1)},
            "hoverinfo": "skip",
            "showlegend": False,
            "legendgroup": "grouped",
        }
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if between[i, j]
    ]
    most = max(int(counts.max(initial=0)), 1)
    for k, i in enumerate(order):
        sector, members = str(names[i]), int(counts[i])
        label = t("{label} ({n} actors)", label=sector_label(sector), n=fmt.count(members))
        traces.append(
            {
                "type": "scatter",
                "x": [x[k]],
                "y": [y[k]],
                "mode": "markers",
                "marker": {
                    "color": sector_colour(sector),
                    "size": round(10 + 30 * math.sqrt(members / most), 1),
                    "line": {"width": 1, "color": "#000000"},
                },
                "text": [label],
                "hovertemplate": "%{text}<extra></extra>",
                "name": sector_label(sector),
                "legendgroup": f"sector-{sector}",
                "showlegend": True,
            }
        )
    return traces


def small_multiples_figure(
    panels: Sequence[Panel],
    view: NetworkView = DEFAULT_VIEW,
    columns: int | None = None,
    fmt: Formatter | None = None,
) -> go.Figure:
    """Every pilot's network in its own panel, with the same colours, shapes and sizes. One legend
    names every sector and kind of tie drawn in any panel (each once). A panel too large for a small
    chart (`drawn_grouped`) shows its sectors instead of its actors; the caption should say so.
    `columns`: panels a row (default MULTIPLES_COLUMNS of the theme)."""
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
        # Every panel drawn has at most MAX_CYTOSCAPE_ELEMENTS: SVG draws that as fast as WebGL would.
        traces = (
            _grouped_traces(panel.arrays or tie_arrays(panel.ties), fmt)
            if drawn_grouped(panel)
            else _network_traces(
                panel.ties, panel.positions, panel.metrics, view, False, True, panel.arrays, fmt
            )
        )
        for trace in traces:
            # The first panel that draws a sector or kind of tie names it in the legend.
            if trace["showlegend"]:
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
