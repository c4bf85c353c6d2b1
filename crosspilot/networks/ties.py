"""Tie graphs: one undirected edge per pair of actors, summarising a snapshot network's parallel rows.

The snapshot holds one multigraph per pilot (one edge per tie and phase). Everything else in this
package works on the *tie graph*: a simple undirected graph with one edge per pair of actors, whose
weight, relations, phases and provenance summarise the parallel rows. Nothing here caches: the
NetworkStore keeps what is worth keeping, per snapshot.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from crosspilot.contract import STAGES
from crosspilot.networks.labels import ALL_PHASES, NODE_COLUMNS, STATUS_RANK


@dataclass(frozen=True)
class Facets:
    """What a network's rows are given for: phases (co-creation order), relations and sectors."""

    phases: tuple[str, ...]
    relations: tuple[str, ...]
    sectors: tuple[str, ...]


def facets(graph: nx.Graph) -> Facets:
    """One pass over the ties (50,000 ties: ~0.2 s, so the store keeps the answer per pilot)."""
    found_phases, found_relations = set(), set()
    for *_, d in graph.edges(data=True):
        found_phases.add(d.get("phase") or "")
        found_relations.add(d.get("relation") or "")
    order = {stage: i for i, stage in enumerate(STAGES)}
    ordered = tuple(sorted(found_phases - {""}, key=lambda p: (order.get(p, len(order)), p)))
    found_sectors = {d.get("sector") or "" for _, d in graph.nodes(data=True)}
    return Facets(ordered, tuple(sorted(found_relations)), tuple(sorted(found_sectors)))


def phases(graph: nx.Graph) -> tuple[str, ...]:
    """The phases a network's ties are given for, in co-creation order (unknown names last, sorted)."""
    return facets(graph).phases


def relations(graph: nx.Graph) -> tuple[str, ...]:
    return facets(graph).relations


def sectors(graph: nx.Graph) -> tuple[str, ...]:
    return facets(graph).sectors


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


def neighbourhood(ties: nx.Graph, node, steps: int) -> set:
    """The actors within `steps` ties of `node` (itself included); empty when `node` is unknown."""
    if node not in ties:
        return set()
    return set(nx.single_source_shortest_path_length(ties, node, cutoff=max(0, int(steps))))


def suggested_names(ties: nx.Graph, limit: int) -> list[str]:
    """The names the find box suggests, alphabetically: every actor's, or in a network of more than
    `limit` actors those of the `limit` with the most ties (ties broken by name). Any other actor is
    still found by typing its name (find_node)."""
    named = [(ties.degree(n), str(d.get("label", n))) for n, d in ties.nodes(data=True)]
    if len(named) > limit:
        named = heapq.nsmallest(limit, named, key=lambda pair: (-pair[0], pair[1]))
    return sorted({label for _, label in named})


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
