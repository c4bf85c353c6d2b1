"""Stakeholder network analysis: tie graphs per phase, metrics, layouts, diffs, summaries and their store.

    labels   metrics with their explanations; sector, relation and phase names in words
    ties     tie graphs (one edge per pair of actors), facets, filters, neighbourhoods, finding an actor
    arrays   a tie graph as numpy arrays: filters as masks, partners and tie groups kept with them
    analysis per-actor and whole-network metrics (python-igraph), grouping, the actors' CSV
    layout   positions (Fruchterman–Reingold, the same every time)
    diff     what changed between two phases
    comparison  every pilot's network metrics side by side, with what they are computed from, and its CSV
    summary  a network in plain words
    store    NetworkStore: all of the above per snapshot, in memory and on disk

Callers import from here (`from crosspilot import networks as nw`); the modules are the rooms.
"""

from crosspilot.networks.analysis import (
    ESTIMATED_NETWORK_METRICS,
    ESTIMATED_NODE_METRICS,
    SAMPLE_ABOVE,
    SAMPLES,
    Analysis,
    aggregate,
    compute_metrics,
    node_metrics_csv,
    to_igraph,
)
from crosspilot.networks.arrays import TieArrays, tie_arrays
from crosspilot.networks.comparison import ComparedNetwork, comparison_csv, comparison_frame
from crosspilot.networks.diff import PhaseDiff, diff_summary, diff_ties, phase_diff
from crosspilot.networks.labels import (
    ALL_PHASES,
    NODE_COLUMNS,
    NODE_METRIC_KEYS,
    STATUS_RANK,
    Metric,
    and_list,
    network_metrics,
    node_metrics,
    phase_label,
    relation_label,
    role_label,
    sector_label,
)
from crosspilot.networks.layout import compute_layout
from crosspilot.networks.store import NetworkStore
from crosspilot.networks.summary import Finding, bridged_sectors, summary, tie_graph_inputs
from crosspilot.networks.ties import (
    Facets,
    facets,
    filtered,
    find_node,
    neighbourhood,
    node_ties,
    phases,
    relations,
    sectors,
    suggested_names,
    tie_graph,
)

__all__ = [
    "ALL_PHASES",
    "ESTIMATED_NETWORK_METRICS",
    "ESTIMATED_NODE_METRICS",
    "SAMPLES",
    "SAMPLE_ABOVE",
    "NODE_COLUMNS",
    "NODE_METRIC_KEYS",
    "STATUS_RANK",
    "Analysis",
    "ComparedNetwork",
    "Facets",
    "Finding",
    "Metric",
    "NetworkStore",
    "PhaseDiff",
    "TieArrays",
    "aggregate",
    "and_list",
    "bridged_sectors",
    "compute_layout",
    "comparison_csv",
    "comparison_frame",
    "compute_metrics",
    "diff_summary",
    "diff_ties",
    "facets",
    "filtered",
    "find_node",
    "neighbourhood",
    "network_metrics",
    "node_metrics",
    "node_metrics_csv",
    "node_ties",
    "phase_diff",
    "phase_label",
    "phases",
    "relation_label",
    "role_label",
    "relations",
    "sector_label",
    "sectors",
    "suggested_names",
    "summary",
    "tie_arrays",
    "tie_graph",
    "tie_graph_inputs",
    "to_igraph",
]
