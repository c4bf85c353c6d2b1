"""Metrics of a tie graph (per actor and for the whole network), its actors grouped, and the CSV export.

Path-based metrics use python-igraph (networkx needs minutes at 10,000 nodes, see NOTES.md); tests
check them against networkx. Above `SAMPLE_ABOVE` actors, betweenness, closeness and the average path
length are estimated from shortest paths out of `SAMPLES` sampled actors (Brandes and Pich 2007;
Eppstein and Wang 2004): at 10,000 actors / 50,000 ties exact betweenness and closeness cost about 14 s
here, the estimate about 1 s. The analysis then says `samples` (0: exact), and every place that shows
those metrics says "estimated (k samples)".
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from crosspilot.networks.labels import NODE_COLUMNS, NODE_METRIC_KEYS
from crosspilot.provenance import Inputs
from crosspilot.spreadsheet import safe_cell


def to_igraph(ties: nx.Graph) -> tuple[ig.Graph, list]:
    """`ties` as an undirected igraph with a `weight` edge attribute, and the node order used."""
    order = list(ties.nodes())
    index = {n: i for i, n in enumerate(order)}
    edges = [(index[u], index[v]) for u, v in ties.edges()]
    g = ig.Graph(n=len(order), edges=edges, directed=False)
    g.es["weight"] = [d.get("weight", 1.0) for *_, d in ties.edges(data=True)]
    return g, order


# Above this many actors, path-based metrics are estimated from SAMPLES source actors (see the docstring).
SAMPLE_ABOVE = 2000
SAMPLES = 500
SEED = 770492  # the same sample every time for the same network: the numbers do not move between runs
ESTIMATED_NODE_METRICS = ("betweenness", "closeness")
ESTIMATED_NETWORK_METRICS = ("average_path_length",)

# What `progress(share, step)` is told while computing; shares of the whole analysis' time.
Progress = Callable[[float, str], None]


def _paths(g: ig.Graph, samples: int | None):
    """Betweenness (unnormalised, each unordered pair once) and, per actor, the sum of its distances to
    the actors it reaches; exact when `samples` is None, else estimated from `samples` source actors per
    large component (small components, at most `samples` actors, are always exact)."""
    n = g.vcount()
    if samples is None:
        between = np.array(g.betweenness(directed=False), dtype=float)
        inverse = np.nan_to_num(np.array(g.closeness(normalized=False), dtype=float), nan=0.0)
        return between, np.divide(1.0, inverse, out=np.zeros_like(inverse), where=inverse > 0)
    rng = np.random.default_rng(SEED)
    between, distance_sum = np.zeros(n), np.zeros(n)
    small: list[int] = []
    for members in g.connected_components():
        if len(members) <= samples:
            small += members
            continue
        members = np.array(members)
        sources = np.sort(rng.choice(members, size=samples, replace=False)).tolist()
        # The sampled sources' dependencies, scaled up to every actor of the component as a source.
        part = np.array(g.betweenness(directed=False, sources=sources, targets=members.tolist()))
        between[members] += part[members] * len(members) / samples
        hops = np.array(g.distances(source=sources, target=members.tolist()), dtype=float)
        is_source = np.isin(members, sources)
        # Mean distance to the sampled actors (not counting itself), times the actors it reaches.
        others = samples - is_source.astype(float)
        distance_sum[members] = hops.sum(axis=0) / others * (len(members) - 1)
    if small:
        part = np.array(g.betweenness(directed=False, sources=small, targets=small))
        between[small] += part[small]
        hops = np.array(g.distances(source=small, target=small), dtype=float)
        hops[~np.isfinite(hops)] = 0.0
        distance_sum[small] = hops.sum(axis=1)
    return between, distance_sum


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

    @property
    def samples(self) -> int:
        """How many sampled source actors the path-based metrics are estimated from; 0: exact."""
        return int(self.network.get("samples", 0))

    def positions(self) -> dict:
        return dict(zip(self.nodes.index, zip(self.nodes["x"], self.nodes["y"], strict=True), strict=True))


def compute_metrics(
    ties: nx.Graph, samples: int | None = None, progress: Progress | None = None
) -> tuple[pd.DataFrame, dict[str, float], tuple[tuple, ...]]:
    """Node metrics (frame indexed by node id), network metrics and communities of a tie graph.

    `samples`: estimate path-based metrics from that many source actors (None: `SAMPLES` above
    `SAMPLE_ABOVE` actors, else exact; 0: always exact). `network["samples"]` says which (0: exact).
    `progress(share, step)` is told, between the steps, the share of the work done."""
    tell = progress or (lambda share, step: None)
    g, order = to_igraph(ties)
    n, m = g.vcount(), g.ecount()
    if samples is None:
        samples = SAMPLES if n > SAMPLE_ABOVE else 0
    sampled = 0 < samples < n
    frame = pd.DataFrame(
        {c: [ties.nodes[v].get(c, "") for v in order] for c in NODE_COLUMNS if c != "node_id"},
        index=pd.Index(order, name="node_id"),
    )
    degree = np.array(g.degree(), dtype=float)
    frame["degree"] = degree.astype(int)
    frame["weighted_degree"] = np.array(g.strength(weights="weight") if m else [0.0] * n, dtype=float)
    pairs = (n - 1) * (n - 2) / 2
    tell(0.05, "paths")
    between, distance_sum = _paths(g, samples if sampled else None)
    tell(0.7, "eigenvector")
    frame["betweenness"] = between / pairs if pairs else 0.0
    # Closeness as networkx defines it (Wasserman–Faust): scaled by the share of actors reachable.
    inverse = np.divide(1.0, distance_sum, out=np.zeros_like(distance_sum), where=distance_sum > 0)
    membership = g.connected_components().membership
    size = np.bincount(membership, minlength=1)[membership] - 1 if n else np.array([])
    frame["closeness"] = inverse * size * size / (n - 1) if n > 1 else 0.0
    if m:
        with warnings.catch_warnings():  # igraph warns on disconnected networks; the values stay usable
            warnings.simplefilter("ignore", RuntimeWarning)
            frame["eigenvector"] = np.array(g.eigenvector_centrality(scale=True), dtype=float)
    else:
        frame["eigenvector"] = 0.0
    tell(0.72, "brokerage")
    brokerage = _brokerage(ties)
    frame["brokerage"] = [brokerage[v] for v in order]

    tell(0.8, "communities")
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
        "samples": float(samples if sampled else 0),
    }
    tell(1.0, "done")
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


def node_metrics_csv(analysis: Analysis, inputs: Inputs | None = None) -> str:
    """The actors' metrics as CSV, each row ending with what the metrics are computed from (the
    network's stakeholders and ties: crosspilot.provenance.CSV_COLUMNS); `status` is the actor's own."""
    frame = analysis.nodes.reset_index()[["node_id", *NODE_COLUMNS[1:], *NODE_METRIC_KEYS, "community"]]
    frame = frame.assign(pilot_id=analysis.pilot, phase=analysis.phase)
    if inputs is None:
        from crosspilot.networks.summary import tie_graph_inputs  # summary imports this module

        inputs = tie_graph_inputs(analysis.ties)
    frame = frame.assign(**inputs.csv_cells())
    text_columns = ["pilot_id", "phase", "node_id", "label", "sector", "role", "status", "computed_from"]
    for column in text_columns:
        frame[column] = frame[column].astype(str).map(safe_cell)
    return frame[["pilot_id", "phase", *[c for c in frame.columns if c not in ("pilot_id", "phase")]]].to_csv(
        index=False, float_format="%.6g"
    )
