"""Metrics of a tie graph (per actor and for the whole network), its actors grouped, and the CSV export.

Path-based metrics use python-igraph (networkx needs minutes at 10,000 nodes, see NOTES.md); tests
check them against networkx.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from crosspilot.networks.labels import NODE_COLUMNS, NODE_METRIC_KEYS
from crosspilot.spreadsheet import safe_cell


def to_igraph(ties: nx.Graph) -> tuple[ig.Graph, list]:
    """`ties` as an undirected igraph with a `weight` edge attribute, and the node order used."""
    order = list(ties.nodes())
    index = {n: i for i, n in enumerate(order)}
    edges = [(index[u], index[v]) for u, v in ties.edges()]
    g = ig.Graph(n=len(order), edges=edges, directed=False)
    g.es["weight"] = [d.get("weight", 1.0) for *_, d in ties.edges(data=True)]
    return g, order


def _brokerage(ties: nx.Graph) -> dict:
    """Per actor: pairs of its neighbours in different known sectors that have no direct tie."""
    sector = {n: d.get("sector", "") for n, d in ties.nodes(data=True)}
    counts = {}
    for node in ties:
        by_sector = Counter(sector[m] for m in ties[node] if sector[m])
        known = sum(by_sector.values())
        counts[node] = known * (known - 1) // 2 - sum(c * (c - 1) // 2 for c in by_sector.values())
    # A cross-sector pair that is tied directly needs no broker: remove it from every common neighbour.
    for u, v in ties.edges():
        if sector[u] and sector[v] and sector[u] != sector[v]:
            small, large = (u, v) if len(ties[u]) <= len(ties[v]) else (v, u)
            for common in ties[small]:
                if common in ties[large] and common not in (u, v):
                    counts[common] -= 1
    return counts


@dataclass(frozen=True)
class Analysis:
    """Metrics and positions of one pilot's network in one phase (read-only)."""

    pilot: str
    phase: str
    ties: nx.Graph
    nodes: pd.DataFrame  # index node_id; NODE_COLUMNS, node metrics, community, x, y
    network: Mapping[str, float]
    communities: tuple[tuple, ...] = field(default=())  # member ids, largest first

    def positions(self) -> dict:
        return dict(zip(self.nodes.index, zip(self.nodes["x"], self.nodes["y"], strict=True), strict=True))


def compute_metrics(ties: nx.Graph) -> tuple[pd.DataFrame, dict[str, float], tuple[tuple, ...]]:
    """Node metrics (frame indexed by node id), network metrics and communities of a tie graph."""
    g, order = to_igraph(ties)
    n, m = g.vcount(), g.ecount()
    frame = pd.DataFrame(
        {c: [ties.nodes[v].get(c, "") for v in order] for c in NODE_COLUMNS if c != "node_id"},
        index=pd.Index(order, name="node_id"),
    )
    degree = np.array(g.degree(), dtype=float)
    frame["degree"] = degree.astype(int)
    frame["weighted_degree"] = np.array(g.strength(weights="weight") if m else [0.0] * n, dtype=float)
    pairs = (n - 1) * (n - 2) / 2
    frame["betweenness"] = np.array(g.betweenness(directed=False), dtype=float) / pairs if pairs else 0.0
    # Closeness as networkx defines it (Wasserman–Faust): scaled by the share of actors reachable.
    inverse = np.nan_to_num(np.array(g.closeness(normalized=False), dtype=float), nan=0.0)
    membership = g.connected_components().membership
    size = np.bincount(membership, minlength=1)[membership] - 1 if n else np.array([])
    frame["closeness"] = inverse * size * size / (n - 1) if n > 1 else 0.0
    if m:
        with warnings.catch_warnings():  # igraph warns on disconnected networks; the values stay usable
            warnings.simplefilter("ignore", RuntimeWarning)
            frame["eigenvector"] = np.array(g.eigenvector_centrality(scale=True), dtype=float)
    else:
        frame["eigenvector"] = 0.0
    brokerage = _brokerage(ties)
    frame["brokerage"] = [brokerage[v] for v in order]

    if m:
        clusters = g.community_fastgreedy(weights="weight").as_clustering()
        groups = sorted(
            ([order[i] for i in members] for members in clusters),
            key=lambda members: (-len(members), members),
        )
        modularity = float(g.modularity(clusters.membership, weights="weight"))
    else:
        groups, modularity = [[v] for v in order], 0.0
    community_of = {v: number for number, members in enumerate(groups, start=1) for v in members}
    frame["community"] = [community_of[v] for v in order]

    distance_sum = np.divide(1.0, inverse, out=np.zeros_like(inverse), where=inverse > 0)
    reachable_pairs = float(size.sum()) if n else 0.0
    sectors_of = frame["sector"].to_dict()
    citizen = {v for v in order if sectors_of[v] == "citizen" or ties.nodes[v].get("hard_to_reach")}
    citizen_ties = sum(1 for u, v in ties.edges() if u in citizen or v in citizen)
    cross = sum(
        1 for u, v in ties.edges() if sectors_of[u] and sectors_of[v] and sectors_of[u] != sectors_of[v]
    )
    dmax = degree.max() if n else 0.0
    network = {
        "nodes": float(n),
        "ties": float(m),
        "density": 2 * m / (n * (n - 1)) if n > 1 else 0.0,
        "components": float(len(set(membership))) if n else 0.0,
        "average_path_length": float(distance_sum.sum() / reachable_pairs) if reachable_pairs else 0.0,
        "degree_centralisation": float((dmax - degree).sum() / ((n - 1) * (n - 2))) if n > 2 else 0.0,
        "communities": float(len(groups)),
        "modularity": modularity,
        "citizen_share": citizen_ties / m if m else 0.0,
        "cross_sector_share": cross / m if m else 0.0,
    }
    return frame, network, tuple(tuple(members) for members in groups)


def aggregate(analysis: Analysis, by: str = "sector") -> nx.Graph:
    """Actors grouped by `sector` or `community`: group nodes with member counts, ties counted between."""
    frame = analysis.nodes
    group_of = frame[by].astype(str).to_dict()
    groups = nx.Graph()
    for group, members in frame.groupby(frame[by].astype(str)).groups.items():
        groups.add_node(group, members=len(members), ties_within=0)
    for u, v in analysis.ties.edges():
        a, b = group_of[u], group_of[v]
        if a == b:
            groups.nodes[a]["ties_within"] += 1
        elif groups.has_edge(a, b):
            groups.edges[a, b]["ties"] += 1
        else:
            groups.add_edge(a, b, ties=1)
    return groups


def node_metrics_csv(analysis: Analysis) -> str:
    frame = analysis.nodes.reset_index()[["node_id", *NODE_COLUMNS[1:], *NODE_METRIC_KEYS, "community"]]
    frame = frame.assign(pilot_id=analysis.pilot, phase=analysis.phase)
    text_columns = ["pilot_id", "phase", "node_id", "label", "sector", "role", "status"]
    for column in text_columns:
        frame[column] = frame[column].astype(str).map(safe_cell)
    return frame[["pilot_id", "phase", *[c for c in frame.columns if c not in ("pilot_id", "phase")]]].to_csv(
        index=False, float_format="%.6g"
    )
