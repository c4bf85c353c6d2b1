"""Pure builders for stakeholder networks: cytoscape elements, WebGL and aggregated views, comparisons.

Every builder is pure (no I/O, no globals, no caches, never mutates its input) and takes the same
encoding, so the Networks page, a lesson's "network feature" evidence panel and an export draw alike:
colour = sector (SECTOR_COLOURS), shape = COSMOS role, size = a chosen centrality,
line style = provenance (published solid, estimate dashed, illustrative dotted),
edge colour + a mark in the middle = relation, width = tie strength.
Numbers they write go through `fmt` (crosspilot.formatting.Formatter; English when not given).

    encoding    the shared encoding, NetworkView, Panel, legend_entries
    cytoscape   graph_to_elements, stylesheet, aggregate_elements
    webgl       network_figure(_dict), small_multiples_figure
    comparison  metrics_comparison_figure

Signatures (ties: a tie graph from `crosspilot.networks.tie_graph`, or `diff_ties` for a phase diff;
positions: {node_id: (x, y)}; metrics: the `Analysis.nodes` frame indexed by node id; arrays: the
tie graph's `TieArrays` when the caller keeps them, e.g. `store.arrays(pilot, phase)`):

    graph_to_elements(ties, positions, metrics, view=NetworkView(), fmt=None) -> list[dict]  # cytoscape
    stylesheet(theme="standard") -> list[dict]                                               # its style
    network_figure(ties, positions, metrics, view, *, arrays=None, fmt=None) -> go.Figure    # Scattergl
    network_figure_dict(..., texts=None) -> dict   # fast path; texts=hover_texts(arrays, metrics, size, fmt)
    network_figure_dict(..., toggles=True) -> dict # the page's: the same few traces whatever the view
    network_patch(figure, sectors, focus) -> list[(i, path, value)]  # what a filter or focus changes
    hides_ties(arrays, view) -> bool               # a focus above HIDE_TIES_ABOVE ties hides the others
    aggregate_elements(groups, by="sector", theme="standard", fmt=None) -> list[dict]        # aggregate()
    small_multiples_figure(panels, view=NetworkView(), columns=5, fmt=None) -> go.Figure     # Panel(...)
    drawn_grouped(panel) -> bool  # a panel too large for a small chart: its sectors drawn, not its actors
    metrics_comparison_figure(table, metrics, theme="standard", fmt=None) -> go.Figure       # pilots x metric
    legend_entries(ties) -> dict[str, list[dict]]                                            # HTML legend

A lesson's evidence panel can call, for one pilot:
    a = store.analysis(pilot); graph_to_elements(a.ties, a.positions(), a.nodes, NetworkView(size_by=...))
"""

from crosspilot.figures.networks.comparison import metrics_comparison_figure
from crosspilot.figures.networks.cytoscape import aggregate_elements, graph_to_elements, stylesheet
from crosspilot.figures.networks.encoding import (
    CHANGE_COLOURS,
    CHANGE_MARKS,
    LABEL_ALL_UP_TO,
    MAX_CYTOSCAPE_ELEMENTS,
    OTHER_RELATION,
    OTHER_SHAPE,
    RELATION_STYLES,
    ROLE_SHAPES,
    SELECTED_COLOUR,
    NetworkView,
    Panel,
    legend_entries,
    metric_text,
    node_sizes,
    relation_style,
    role_shape,
    sector_colour,
)
from crosspilot.figures.networks.webgl import (
    HIDE_TIES_ABOVE,
    drawn_grouped,
    hides_ties,
    hover_texts,
    network_figure,
    network_figure_dict,
    network_patch,
    small_multiples_figure,
)

__all__ = [
    "CHANGE_COLOURS",
    "HIDE_TIES_ABOVE",
    "CHANGE_MARKS",
    "LABEL_ALL_UP_TO",
    "MAX_CYTOSCAPE_ELEMENTS",
    "OTHER_RELATION",
    "OTHER_SHAPE",
    "RELATION_STYLES",
    "ROLE_SHAPES",
    "SELECTED_COLOUR",
    "NetworkView",
    "Panel",
    "aggregate_elements",
    "drawn_grouped",
    "graph_to_elements",
    "hides_ties",
    "hover_texts",
    "legend_entries",
    "metric_text",
    "metrics_comparison_figure",
    "network_figure",
    "network_figure_dict",
    "network_patch",
    "node_sizes",
    "relation_style",
    "role_shape",
    "sector_colour",
    "small_multiples_figure",
    "stylesheet",
]
