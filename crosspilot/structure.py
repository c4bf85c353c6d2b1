"""Network structure of a pilot in a few numbers: centralisation, share of citizen ties, sector mix.

Used by lessons (a lesson may cite a pilot's network feature) and by the governance comparison.
A metric drawn from ties that are illustrative is itself illustrative: `status` says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from crosspilot.formatting import Formatter
from crosspilot.i18n import t

# Metric id -> label. Lesson cards name metrics by these ids (validated at load).
METRICS: dict[str, str] = {
    "stakeholders": "Stakeholders",
    "ties": "Ties",
    "density": "Density",
    "degree_centralisation": "Degree centralisation",
    "citizen_tie_share": "Share of ties with citizens or hard-to-reach groups",
    "hard_to_reach_share": "Share of hard-to-reach stakeholders",
    "sectors": "Sectors represented",
}
# Metrics computed from the stakeholders alone; the others depend on the ties too.
NODE_METRICS = frozenset({"stakeholders", "hard_to_reach_share", "sectors"})
_RANK = {"published": 0, "estimate": 1, "illustrative": 2}


@dataclass(frozen=True)
class Structure:
    pilot_id: str
    values: Mapping[str, float]
    node_status: str  # the weakest status among the stakeholders
    tie_status: str  # the weakest status among the stakeholders and the ties

    def value(self, metric: str) -> float:
        return self.values[metric]

    def status(self, metric: str) -> str:
        """A metric is as sound as the weakest record it is computed from."""
        return self.node_status if metric in NODE_METRICS else self.tie_status


def metric_label(metric: str) -> str:
    return t(METRICS.get(metric, metric))


def structure(pilot_id: str, graph: nx.Graph) -> Structure:
    """Structure metrics of one pilot's network (parallel ties count once for centralisation)."""
    simple = nx.Graph(graph)  # collapse parallel and directed ties into one undirected tie
    simple.remove_edges_from(nx.selfloop_edges(simple))
    n = simple.number_of_nodes()
    degrees = [d for _, d in simple.degree()]
    # Freeman degree centralisation: 1 for a star, 0 when every stakeholder has the same degree.
    centralisation = (
        sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2)) if n > 2 and degrees else 0.0
    )
    sectors = {node: data.get("sector", "") for node, data in graph.nodes(data=True)}
    ties = list(graph.edges(data=True))
    # As on the Networks page: a pair of actors is one tie, and a citizen tie touches a citizen or a
    # hard-to-reach actor.
    citizens = {
        node
        for node, data in graph.nodes(data=True)
        if sectors[node] == "citizen" or data.get("hard_to_reach")
    }
    pairs = simple.number_of_edges()
    citizen = sum(1 for u, v in simple.edges() if u in citizens or v in citizens)
    hard = sum(1 for _, data in graph.nodes(data=True) if bool(data.get("hard_to_reach")))
    node_statuses = [d.get("status") or "illustrative" for _, d in graph.nodes(data=True)]
    tie_statuses = node_statuses + [d.get("status") or "illustrative" for _, _, d in ties]
    values = {
        "stakeholders": float(n),
        "ties": float(pairs),
        "density": float(nx.density(simple)) if n > 1 else 0.0,
        "degree_centralisation": float(centralisation),
        "citizen_tie_share": citizen / pairs if pairs else 0.0,
        "hard_to_reach_share": hard / n if n else 0.0,
        "sectors": float(len({s for s in sectors.values() if s})),
    }
    return Structure(pilot_id, values, weakest(node_statuses), weakest(tie_statuses))


def weakest(statuses) -> str:
    """The least sound of several statuses: illustrative beats estimate beats published."""
    statuses = list(statuses)
    return max(statuses, key=lambda s: _RANK.get(s, 2)) if statuses else "illustrative"


def metric_status(tables: Mapping, pilot_id: str, metric: str) -> str:
    """The status `structure(...).status(metric)` would give, from the tables (no graph needed)."""
    nodes = tables["nodes"]
    statuses = list(nodes.loc[nodes["pilot_id"].eq(pilot_id), "status"])
    if metric not in NODE_METRICS:
        edges = tables["edges"]
        statuses += list(edges.loc[edges["pilot_id"].eq(pilot_id), "status"])
    return weakest(s or "illustrative" for s in statuses)


def structures(networks: Mapping[str, nx.Graph]) -> dict[str, Structure]:
    return {pilot: structure(pilot, graph) for pilot, graph in sorted(networks.items())}


def format_metric(metric: str, value: float, fmt: Formatter | None = None) -> str:
    """A network metric as the lessons show it: counts whole, shares as percentages, the rest to 2 places."""
    fmt = fmt or Formatter()
    if metric in ("stakeholders", "ties", "sectors"):
        return fmt.count(round(value))
    if metric.endswith("_share"):
        return fmt.percent(value)
    return fmt.fixed(value, 2)
