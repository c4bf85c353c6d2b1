"""Stakeholder network analysis: tie graphs per phase, metrics, layouts, diffs, summaries and their cache.

The snapshot holds one multigraph per pilot (one edge per tie and phase). Everything here works on
the *tie graph*: a simple undirected graph with one edge per pair of actors, whose weight, relations,
phases and provenance summarise the parallel rows. Path-based metrics and layouts use python-igraph
(networkx needs minutes at 10,000 nodes, see NOTES.md); tests check them against networkx.

Layout and metrics are computed once per (snapshot.version, pilot, phase) and kept in memory and on
disk under the cache folder, keyed by a content hash that includes this module's own code.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import random
import tempfile
import threading
import warnings
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from crosspilot.contract import STAGES
from crosspilot.i18n import t
from crosspilot.spreadsheet import safe_cell

ALL_PHASES = "all"
STATUS_RANK = {"published": 0, "estimate": 1, "illustrative": 2}
_LAYOUT_LOCK = threading.Lock()  # igraph's random generator is process-wide
_FREEZE_ABOVE = 20_000  # actors + ties of an analysis worth keeping out of the garbage collector's passes
_CODE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    explanation: str  # one plain sentence, shown next to the number


def node_metrics() -> tuple[Metric, ...]:
    """Per-actor metrics, in display order (translated at call time)."""
    return (
        Metric("degree", t("Ties"), t("How many other actors this actor works with directly.")),
        Metric(
            "weighted_degree",
            t("Tie strength"),
            t("The sum of the strengths of its ties: many or intense working relationships score high."),
        ),
        Metric(
            "betweenness",
            t("Betweenness"),
            t(
                "How often it lies on the shortest route between two other actors: "
                "high means others depend on it to reach each other."
            ),
        ),
        Metric(
            "closeness",
            t("Closeness"),
            t("How few steps it needs to reach everyone else it is connected to: high means close to all."),
        ),
        Metric(
            "eigenvector",
            t("Eigenvector"),
            t("How well connected its partners are: high means it works with other central actors."),
        ),
        Metric(
            "brokerage",
            t("Brokerage"),
            t(
                "How many pairs of its partners come from different sectors and have no direct tie: "
                "it is the bridge between them."
            ),
        ),
    )


def network_metrics() -> tuple[Metric, ...]:
    """Whole-network metrics, in display order (translated at call time)."""
    return (
        Metric("nodes", t("Actors"), t("How many stakeholders the network has.")),
        Metric("ties", t("Ties"), t("How many pairs of actors work together.")),
        Metric(
            "density",
            t("Density"),
            t("The share of all possible ties that exist: 1 means everyone works with everyone."),
        ),
        Metric(
            "components",
            t("Components"),
            t("How many separate groups there are with no tie between them: 1 means everyone is reachable."),
        ),
        Metric(
            "average_path_length",
            t("Average path length"),
            t("How many steps it takes on average to get from one actor to another reachable one."),
        ),
        Metric(
            "degree_centralisation",
            t("Degree centralisation"),
            t("How much the ties concentrate on one actor: 1 is a star around a single hub, 0 is even."),
        ),
        Metric(
            "communities",
            t("Communities"),
            t("How many clusters of actors tie mostly among themselves (found by modularity)."),
        ),
        Metric(
            "modularity",
            t("Modularity"),
            t("How clearly those clusters separate: near 0 is one mixed group, above 0.3 distinct clusters."),
        ),
        Metric(
            "citizen_share",
            t("Ties with citizens"),
            t("The share of ties that involve citizens or hard-to-reach groups."),
        ),
        Metric(
            "cross_sector_share",
            t("Cross-sector ties"),
            t("The share of ties that join actors of different sectors."),
        ),
    )


NODE_METRIC_KEYS = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "brokerage")
NETWORK_METRIC_KEYS = (
    "nodes",
    "ties",
    "density",
    "components",
    "average_path_length",
    "degree_centralisation",
    "communities",
    "modularity",
    "citizen_share",
    "cross_sector_share",
)
NODE_COLUMNS = ("node_id", "label", "sector", "role", "hard_to_reach", "status")


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return t("{first} and {last}", first=", ".join(items[:-1]), last=items[-1])


def sector_label(sector: str) -> str:
    return {
        "public": t("public"),
        "civil_society": t("civil society"),
        "commercial": t("commercial"),
        "citizen": t("citizen"),
        "informal": t("informal"),
    }.get(sector, sector.replace("_", " ") if sector else t("no sector"))


def relation_label(relation: str) -> str:
    return relation.replace("_", " ") if relation else t("unspecified")


def phase_label(phase: str) -> str:
    return t("all phases") if phase == ALL_PHASES else phase


# --------------------------------------------------------------------------- tie graphs


@lru_cache(maxsize=64)
def _facets(graph: nx.Graph) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    # One pass over the ties, kept per graph: snapshot graphs are frozen, so the answer never changes,
    # and every view change of the page asks for these (50,000 ties: ~0.2 s a pass).
    found_phases, found_relations = set(), set()
    for *_, d in graph.edges(data=True):
        found_phases.add(d.get("phase") or "")
        found_relations.add(d.get("relation") or "")
    order = {stage: i for i, stage in enumerate(STAGES)}
    ordered = tuple(sorted(found_phases - {""}, key=lambda p: (order.get(p, len(order)), p)))
    found_sectors = {d.get("sector") or "" for _, d in graph.nodes(data=True)}
    return ordered, tuple(sorted(found_relations)), tuple(sorted(found_sectors))


def phases(graph: nx.Graph) -> tuple[str, ...]:
    """The phases a network's ties are given for, in co-creation order (unknown names last, sorted)."""
    return _facets(graph)[0] if nx.is_frozen(graph) else _facets.__wrapped__(graph)[0]


def relations(graph: nx.Graph) -> tuple[str, ...]:
    return _facets(graph)[1] if nx.is_frozen(graph) else _facets.__wrapped__(graph)[1]


def sectors(graph: nx.Graph) -> tuple[str, ...]:
    return _facets(graph)[2] if nx.is_frozen(graph) else _facets.__wrapped__(graph)[2]


def _weight(value: object) -> float:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        return 1.0
    return 1.0 if math.isnan(weight) or weight <= 0 else weight


def tie_graph(graph: nx.Graph, phase: str = ALL_PHASES) -> nx.Graph:
    """One undirected edge per pair of actors tied in `phase` (a tie without a phase is in every phase).

    Edge attributes: `weight` (per relation the strongest phase, summed over relations), `relations`,
    `phases` (tuples), `status` (the best provenance of its rows: published > estimate > illustrative).
    Self-loops are dropped (the loader already warned about them). Every actor is kept, tied or not.
    """
    ties = nx.Graph()
    for node, data in graph.nodes(data=True):
        ties.add_node(node, **{c: data.get(c, "") for c in NODE_COLUMNS if c != "node_id"})
        if not ties.nodes[node]["label"]:
            ties.nodes[node]["label"] = str(node)
        ties.nodes[node]["hard_to_reach"] = bool(data.get("hard_to_reach") is True)
    pairs: dict[tuple, dict] = {}
    for u, v, data in graph.edges(data=True):
        row_phase = data.get("phase") or ""
        if u == v or (phase != ALL_PHASES and row_phase not in ("", phase)):
            continue
        key = (u, v) if str(u) <= str(v) else (v, u)
        entry = pairs.setdefault(key, {"by_relation": {}, "phases": set(), "status": "illustrative"})
        relation = data.get("relation") or ""
        entry["by_relation"][relation] = max(
            entry["by_relation"].get(relation, 0.0), _weight(data.get("weight"))
        )
        if row_phase:
            entry["phases"].add(row_phase)
        status = data.get("status") or "illustrative"
        if STATUS_RANK.get(status, 2) < STATUS_RANK[entry["status"]]:
            entry["status"] = status
    ties.add_edges_from(
        (
            u,
            v,
            {
                "weight": float(sum(e["by_relation"].values())),
                "relations": tuple(sorted(e["by_relation"])),
                "phases": tuple(sorted(e["phases"])),
                "status": e["status"],
            },
        )
        for (u, v), e in pairs.items()
    )
    return nx.freeze(ties)


def filtered(ties: nx.Graph, sectors: Iterable[str] = (), relations: Iterable[str] = ()) -> nx.Graph:
    """A view of `ties` with only actors of `sectors` and ties of `relations` (empty means all)."""
    sectors, relations = set(sectors), set(relations)
    if not sectors and not relations:
        return ties
    node_ok = (lambda n: ties.nodes[n].get("sector", "") in sectors) if sectors else (lambda n: True)
    edge_ok = (
        (lambda u, v: bool(relations.intersection(ties.edges[u, v]["relations"])))
        if relations
        else (lambda u, v: True)
    )
    return nx.subgraph_view(ties, filter_node=node_ok, filter_edge=edge_ok)


@dataclass(frozen=True, eq=False)
class TieArrays:
    """A tie graph as read-only numpy arrays: filters become boolean masks, drawings array slices.

    Built once per frozen tie graph (`tie_arrays`); a view change then never loops over the ties
    in Python (50,000 ties: ~0.15 s a loop through networkx, well under 1 ms as masks).
    """

    nodes: np.ndarray  # object: node ids, in the tie graph's order
    sector: np.ndarray  # object, per node
    role: np.ndarray  # object, per node
    label: np.ndarray  # object (str), per node
    source: np.ndarray  # int, per tie: index into `nodes`
    target: np.ndarray
    relations: tuple[str, ...]  # the columns of `has_relation`
    has_relation: np.ndarray  # bool, ties x relations
    weight: np.ndarray  # float, per tie
    status: np.ndarray  # object, per tie
    change: np.ndarray  # object, per tie: "" outside a phase diff, else added / removed / kept
    index: Mapping  # node id -> position in `nodes`

    def masks(
        self, sectors: Iterable[str] = (), relations: Iterable[str] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """(actors shown, ties shown) exactly as `filtered`: a tie needs both ends and one relation shown."""
        sectors, relations = set(sectors), set(relations)
        node_ok = np.isin(self.sector, list(sectors)) if sectors else np.ones(len(self.nodes), dtype=bool)
        edge_ok = node_ok[self.source] & node_ok[self.target]
        if relations:
            columns = [i for i, r in enumerate(self.relations) if r in relations]
            edge_ok &= self.has_relation[:, columns].any(axis=1)
        return node_ok, edge_ok

    def partner_names(self, node, limit: int) -> list[str]:
        """The names of an actor's first `limit` partners in `node_ties` order: strongest tie, then name."""
        offsets, partners = _partner_order(self)
        i = self.index[node]
        return list(self.label[partners[offsets[i] : min(offsets[i + 1], offsets[i] + limit)]])


def _objects(values: list) -> np.ndarray:
    """A read-only object array, one item per value (np.array would split tuple ids into columns)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    array.setflags(write=False)
    return array


@lru_cache(maxsize=64)
def _tie_arrays(ties: nx.Graph) -> TieArrays:
    nodes = list(ties.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    attributes = [ties.nodes[n] for n in nodes]
    found = sorted({r for *_, d in ties.edges(data=True) for r in d.get("relations", ())})
    column = {r: i for i, r in enumerate(found)}
    m = ties.number_of_edges()
    source, target = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
    has_relation = np.zeros((m, len(found)), dtype=bool)
    weight = np.empty(m, dtype=float)
    status, change = [], []
    for i, (u, v, d) in enumerate(ties.edges(data=True)):
        source[i], target[i], weight[i] = index[u], index[v], d.get("weight", 1.0)
        for r in d.get("relations", ()):
            has_relation[i, column[r]] = True
        status.append(d.get("status", "illustrative"))
        change.append(d.get("change") or "")
    for array in (source, target, has_relation, weight):
        array.setflags(write=False)
    return TieArrays(
        nodes=_objects(nodes),
        sector=_objects([a.get("sector", "") for a in attributes]),
        role=_objects([a.get("role", "") for a in attributes]),
        label=_objects([str(a.get("label", n)) for n, a in zip(nodes, attributes, strict=True)]),
        source=source,
        target=target,
        relations=tuple(found),
        has_relation=has_relation,
        weight=weight,
        status=_objects(status),
        change=_objects(change),
        index=index,
    )


@lru_cache(maxsize=64)
def _partner_order(arrays: TieArrays) -> tuple[np.ndarray, np.ndarray]:
    """Every actor's partners, strongest tie first then by name, as offsets into one index array."""
    owner = np.concatenate([arrays.source, arrays.target])
    partner = np.concatenate([arrays.target, arrays.source])
    weight = np.concatenate([arrays.weight, arrays.weight])
    name_rank = np.empty(len(arrays.nodes), dtype=np.int64)
    name_rank[np.argsort(arrays.label.astype(str), kind="stable")] = np.arange(len(arrays.nodes))
    order = np.lexsort((name_rank[partner], -weight, owner))
    offsets = np.searchsorted(owner[order], np.arange(len(arrays.nodes) + 1))
    partner = partner[order]
    for array in (offsets, partner):
        array.setflags(write=False)
    return offsets, partner


def tie_arrays(ties: nx.Graph) -> TieArrays:
    """`ties` as arrays, kept per frozen tie graph (snapshot tie graphs never change)."""
    return _tie_arrays(ties) if nx.is_frozen(ties) else _tie_arrays.__wrapped__(ties)


@dataclass(frozen=True)
class PhaseDiff:
    before: str
    after: str
    added: frozenset  # pairs (u, v) as frozensets
    removed: frozenset
    kept: frozenset

    def change(self, u, v) -> str:
        pair = frozenset((u, v))
        return "added" if pair in self.added else "removed" if pair in self.removed else "kept"


def phase_diff(graph: nx.Graph, before: str, after: str) -> PhaseDiff:
    """Which ties exist in `after` but not in `before` (added), the reverse (removed), and both (kept)."""
    old = {frozenset(e) for e in tie_graph(graph, before).edges()}
    new = {frozenset(e) for e in tie_graph(graph, after).edges()}
    return PhaseDiff(before, after, frozenset(new - old), frozenset(old - new), frozenset(new & old))


def diff_ties(graph: nx.Graph, before: str, after: str) -> nx.Graph:
    """The ties of both phases in one graph, each marked `change`: added, removed or kept."""
    old, new = tie_graph(graph, before), tie_graph(graph, after)
    union = nx.Graph(new)
    for u, v, data in union.edges(data=True):
        data["change"] = "kept" if old.has_edge(u, v) else "added"
    union.add_edges_from(
        (u, v, {**d, "change": "removed"}) for u, v, d in old.edges(data=True) if not new.has_edge(u, v)
    )
    return nx.freeze(union)


def neighbourhood(ties: nx.Graph, node, steps: int) -> set:
    """The actors within `steps` ties of `node` (itself included); empty when `node` is unknown."""
    if node not in ties:
        return set()
    return set(nx.single_source_shortest_path_length(ties, node, cutoff=max(0, int(steps))))


def find_node(ties: nx.Graph, text: str):
    """The actor whose id or name matches `text`: exact first, then case-insensitive, then a prefix/part."""
    text = (text or "").strip()
    if not text:
        return None
    if text in ties:
        return text
    folded = text.casefold()
    labels = [(n, str(d.get("label", n)).casefold()) for n, d in ties.nodes(data=True)]
    for test in (
        lambda lab: lab == folded,
        lambda lab: lab.startswith(folded),
        lambda lab: folded in lab,
    ):
        match = next((n for n, lab in labels if test(lab)), None)
        if match is not None:
            return match
    return None


# --------------------------------------------------------------------------- metrics


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


def compute_layout(ties: nx.Graph, seed: int = 7) -> dict:
    """Fruchterman–Reingold positions in a 0–1000 box, the same every time for the same graph."""
    g, order = to_igraph(ties)
    n = g.vcount()
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (500.0, 500.0)}
    # A start matrix makes igraph's FR many times slower (its grid is skipped): seed igraph's own
    # generator instead, for the same layout every time, and put the default back afterwards.
    with _LAYOUT_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            layout = g.layout_fruchterman_reingold(grid="grid" if n > 1000 else "nogrid")
        finally:
            ig.set_random_number_generator(random)
    coords = np.array(layout.coords, dtype=float)
    coords -= coords.min(axis=0)
    span = coords.max(axis=0)
    coords = coords / np.where(span > 0, span, 1) * 1000
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(order, coords, strict=True)}


# --------------------------------------------------------------------------- summaries


def _names(frame: pd.DataFrame, node_ids: Iterable) -> str:
    return ", ".join(str(frame.at[v, "label"]) for v in node_ids)


def bridged_sectors(ties: nx.Graph, node) -> tuple[str, ...]:
    """The sectors of an actor's partners (besides its own) that it links."""
    own = ties.nodes[node].get("sector", "")
    found = {ties.nodes[m].get("sector", "") for m in ties[node]} - {"", own}
    return tuple(sorted(found))


def summary(analysis: Analysis, name: str = "") -> list[str]:
    """Plain-language sentences about one network: size, central actors, bridges, isolated groups."""
    frame, net, ties = analysis.nodes, analysis.network, analysis.ties
    n, m = int(net["nodes"]), int(net["ties"])
    sentences = [
        t(
            "{name} in {phase}: {n} actors and {m} ties; {pct:.0f}% of all possible ties exist.",
            name=name or analysis.pilot,
            phase=phase_label(analysis.phase),
            n=n,
            m=m,
            pct=100 * net["density"],
        )
    ]
    if not m:
        sentences.append(t("No actor has a tie in this phase."))
        return sentences
    top = frame.sort_values(["betweenness", "degree"], ascending=False).head(3)
    top = top[top["betweenness"] > 0]
    if len(top):
        sentences.append(
            t(
                "The most central actors, on the most routes between others, are: {names}.",
                names=_names(frame, top.index),
            )
        )
    hub = frame.sort_values(["degree", "weighted_degree"], ascending=False).index[0]
    sentences.append(
        t(
            "{hub} works with the most actors directly ({k} of {others}).",
            hub=frame.at[hub, "label"],
            k=int(frame.at[hub, "degree"]),
            others=n - 1,
        )
    )
    brokers = frame[frame["brokerage"] > 0].sort_values("brokerage", ascending=False).head(3)
    for node in brokers.index:
        bridged = bridged_sectors(ties, node)
        if bridged:
            sentences.append(
                t(
                    "{actor} ({sector}) bridges {sectors} actors who are not tied to each other.",
                    actor=frame.at[node, "label"],
                    sector=sector_label(frame.at[node, "sector"]),
                    sectors=and_list([sector_label(s) for s in bridged]),
                )
            )
    if not len(brokers):
        sentences.append(t("No actor brokers between sectors: every cross-sector pair is tied directly."))
    components = sorted(nx.connected_components(ties), key=len, reverse=True)
    isolated = [c for c in components[1:] if len(c) == 1]
    cut_off = [c for c in components[1:] if len(c) > 1]
    if len(components) == 1:
        sentences.append(t("Every actor can reach every other through the ties: there is no isolated group."))
    if cut_off:
        groups = "; ".join(
            _names(frame, sorted(c, key=str)[:4]) + ("…" if len(c) > 4 else "") for c in cut_off[:3]
        )
        sentences.append(
            t("{k} group(s) have no tie to the main network: {groups}.", k=len(cut_off), groups=groups)
        )
    if isolated:
        names = _names(frame, [next(iter(c)) for c in isolated[:5]])
        sentences.append(
            t(
                "{k} actor(s) have no tie at all: {names}{more}.",
                k=len(isolated),
                names=names,
                more="…" if len(isolated) > 5 else "",
            )
        )
    sentences.append(
        t(
            "{c:.0f}% of ties involve citizens or hard-to-reach groups, and {x:.0f}% join different sectors.",
            c=100 * net["citizen_share"],
            x=100 * net["cross_sector_share"],
        )
    )
    illustrative = sum(1 for *_, d in ties.edges(data=True) if d.get("status") == "illustrative")
    if illustrative:
        sentences.append(
            t(
                "{k} of the {m} ties are illustrative: no source states them; they are drawn dotted.",
                k=illustrative,
                m=m,
            )
        )
    return sentences


def diff_summary(diff: PhaseDiff, ties_before: nx.Graph, ties_after: nx.Graph) -> str:
    return t(
        "From {before} to {after}: {a} tie(s) added, {r} removed, {k} kept.",
        before=diff.before,
        after=diff.after,
        a=len(diff.added),
        r=len(diff.removed),
        k=len(diff.kept),
    )


def node_ties(ties: nx.Graph, node) -> list[dict]:
    """An actor's ties, strongest first: partner id, name, sector, relations, weight, status."""
    rows = [
        {
            "partner": other,
            "label": ties.nodes[other].get("label", other),
            "sector": ties.nodes[other].get("sector", ""),
            "relations": data["relations"],
            "weight": data["weight"],
            "status": data["status"],
        }
        for other, data in ties[node].items()
    ]
    return sorted(rows, key=lambda r: (-r["weight"], str(r["label"])))


# --------------------------------------------------------------------------- aggregation and export


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


# --------------------------------------------------------------------------- cache


class NetworkStore:
    """Analyses of a snapshot's networks, computed once and kept in memory and on disk.

    Positions are computed on the whole network (all phases) and shared by every phase, so that
    switching phase or showing what changed never moves an actor.
    """

    def __init__(self, snapshot, cache_dir: Path | None = None, memory: int = 64):
        self.snapshot = snapshot
        self.folder = Path(cache_dir) / "networks" if cache_dir is not None else None
        self._memory: OrderedDict[tuple, object] = OrderedDict()
        self._limit = memory
        self._lock = threading.Lock()
        self._key_locks: dict[tuple, threading.Lock] = {}
        self.computed = Counter()  # how often each kind of result was computed (tests, bench)

    def pilots(self) -> tuple[str, ...]:
        return tuple(self.snapshot.networks)

    def graph(self, pilot: str) -> nx.Graph:
        return self.snapshot.networks[pilot]

    def phases(self, pilot: str) -> tuple[str, ...]:
        return self._memo(("phases", pilot), lambda: phases(self.graph(pilot)))

    def ties(self, pilot: str, phase: str = ALL_PHASES) -> nx.Graph:
        return self._memo(("ties", pilot, phase), lambda: tie_graph(self.graph(pilot), phase))

    def diff(self, pilot: str, before: str, after: str) -> PhaseDiff:
        return self._memo(
            ("diff", pilot, before, after), lambda: phase_diff(self.graph(pilot), before, after)
        )

    def diff_ties(self, pilot: str, before: str, after: str) -> nx.Graph:
        return self._memo(
            ("diff_ties", pilot, before, after), lambda: diff_ties(self.graph(pilot), before, after)
        )

    def analysis(self, pilot: str, phase: str = ALL_PHASES) -> Analysis:
        return self._memo(("analysis", pilot, phase), lambda: self._analysis(pilot, phase))

    def summary(self, pilot: str, phase: str, name: str) -> list[str]:
        return self._memo(("summary", pilot, phase, name), lambda: summary(self.analysis(pilot, phase), name))

    def positions(self, pilot: str) -> dict:
        return self._memo(("layout", pilot), lambda: self._positions(pilot))

    def remember(self, key: tuple, compute):
        """Any other value derived only from this snapshot, computed once (kept with the analyses)."""
        return self._memo(("other", *key), compute)

    def _memo(self, key: tuple, compute):
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # two requests for the same cold network compute it once
            with self._lock:
                if key in self._memory:
                    return self._memory[key]
            value = compute()
            with self._lock:
                self._memory[key] = value
                while len(self._memory) > self._limit:
                    self._memory.popitem(last=False)
            return value

    def _file(self, kind: str, *parts: str) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256("\0".join((self.snapshot.version, _CODE_HASH, kind, *parts)).encode())
        return self.folder / f"{kind}-{digest.hexdigest()[:24]}"

    def _positions(self, pilot: str) -> dict:
        path = self._file("layout", pilot)
        if path is not None:
            try:
                frame = pd.read_parquet(path.with_suffix(".parquet"))
                return dict(zip(frame["node_id"], zip(frame["x"], frame["y"], strict=True), strict=True))
            except Exception:  # missing or damaged: compute again
                pass
        self.computed["layout"] += 1
        positions = compute_layout(self.ties(pilot))
        if path is not None:
            frame = pd.DataFrame(
                {
                    "node_id": list(positions),
                    "x": [p[0] for p in positions.values()],
                    "y": [p[1] for p in positions.values()],
                }
            )
            _atomic(path.with_suffix(".parquet"), lambda f: frame.to_parquet(f, index=False))
        return positions

    def _analysis(self, pilot: str, phase: str) -> Analysis:
        ties = self.ties(pilot, phase)
        path = self._file("metrics", pilot, phase)
        loaded = _read_metrics(path) if path is not None else None
        if loaded is None:
            self.computed["metrics"] += 1
            frame, network, communities = compute_metrics(ties)
            if path is not None:
                payload = {"network": network, "communities": [list(map(str, c)) for c in communities]}
                _atomic(path.with_suffix(".parquet"), lambda f: frame.to_parquet(f))
                _atomic(path.with_suffix(".json"), lambda f: Path(f).write_text(json.dumps(payload)))
        else:
            frame, network, communities = loaded
        _partner_order(tie_arrays(ties))  # the arrays every view change slices, built with the analysis
        positions = self.positions(pilot)
        frame = frame.assign(
            x=[positions.get(v, (500.0, 500.0))[0] for v in frame.index],
            y=[positions.get(v, (500.0, 500.0))[1] for v in frame.index],
        )
        analysis = Analysis(pilot, phase, ties, frame, network, communities)
        if ties.number_of_nodes() + ties.number_of_edges() > _FREEZE_ABOVE:
            # A big cached analysis lives as long as the process: move it (with the rest of the heap)
            # out of the cyclic collector's reach, else each full collection walks it again and lands
            # on a random view change (10,000 actors: ~135 ms pauses, p95 187 -> 79 ms frozen).
            gc.collect()
            gc.freeze()
        return analysis


def _read_metrics(path: Path):
    try:
        frame = pd.read_parquet(path.with_suffix(".parquet"))
        payload = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        return frame, payload["network"], tuple(tuple(c) for c in payload["communities"])
    except Exception:  # missing or damaged: compute again
        return None


def _atomic(path: Path, write) -> None:
    """Write through a temporary file so a half-written entry is never read; a full disk costs only time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".staging-", dir=path.parent)
        os.close(handle)
        write(temporary)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except (OSError, UnboundLocalError):
            pass
