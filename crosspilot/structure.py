"""Network structure of a pilot in a few numbers: centralisation, share of citizen ties, sector mix.

Used by lessons (a lesson may cite a pilot's network feature) and by the governance comparison.
A metric is computed from the stakeholders (and, but for NODE_METRICS, the ties): `inputs(metric)`
counts them by status (crosspilot.provenance), so the lessons say "computed from 12 illustrative of 18
ties" next to it; `status(metric)`, the weakest of those, decides whether it can count as evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from crosspilot.formatting import Formatter
from crosspilot.i18n import N_, t
from crosspilot.networks.ties import tie_graph
from crosspilot.provenance import STATUS_RANK, Inputs, status_of, weakest

# Metric id -> label. Lesson cards name metrics by these ids (validated at load).
METRICS: dict[str, str] = {
    "stakeholders": N_("Stakeholders"),
    "ties": N_("Ties"),
    "density": N_("Density"),
    "degree_centralisation": N_("Degree centralisation"),
    "citizen_tie_share": N_("Share of ties with citizens or hard-to-reach groups"),
    "hard_to_reach_share": N_("Share of hard-to-reach stakeholders"),
    "sectors": N_("Sectors represented"),
}
# Metrics computed from the stakeholders alone; the others depend on the ties too.
NODE_METRICS = frozenset({"stakeholders", "hard_to_reach_share", "sectors"})


@dataclass(frozen=True)
class Structure:
    pilot_id: str
    values: Mapping[str, float]
    stakeholders: Inputs  # the stakeholders counted by status
    ties: Inputs  # the ties (one per pair of stakeholders, as on the Networks page) counted by status

    def value(self, metric: str) -> float:
        return self.values[metric]

    def inputs(self, metric: str) -> Inputs:
        """What `metric` is computed from: the stakeholders, and the ties unless it is a NODE_METRIC."""
        return self.stakeholders if metric in NODE_METRICS else self.stakeholders + self.ties

    def status(self, metric: str) -> str:
        """A metric is as sound as the weakest record it is computed from."""
        return self.inputs(metric).status


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
    # A pair's status is its best row's, as the Networks page counts ties (crosspilot.networks.ties).
    pair_statuses = [d["status"] for *_, d in tie_graph(graph).edges(data=True)]
    values = {
        "stakeholders": float(n),
        "ties": float(pairs),
        "density": float(nx.density(simple)) if n > 1 else 0.0,
        "degree_centralisation": float(centralisation),
        "citizen_tie_share": citizen / pairs if pairs else 0.0,
        "hard_to_reach_share": hard / n if n else 0.0,
        "sectors": float(len({s for s in sectors.values() if s})),
    }
    stakeholders = Inputs.of((d.get("status") for _, d in graph.nodes(data=True)), "stakeholders")
    return Structure(pilot_id, values, stakeholders, Inputs.of(pair_statuses, "ties"))


def metric_status(tables: Mapping, pilot_id: str, metric: str) -> str:
    """The status `structure(...).status(metric)` would give, from the tables (no graph needed): the
    weakest of the stakeholders' and, unless a NODE_METRIC, of each pair of stakeholders' best tie row."""
    nodes = tables["nodes"]
    statuses = list(nodes.loc[nodes["pilot_id"].eq(pilot_id), "status"])
    if metric not in NODE_METRICS:
        edges = tables["edges"]
        rows = edges[edges["pilot_id"].eq(pilot_id) & edges["source"].ne(edges["target"])]
        best: dict[frozenset, str] = {}
        for u, v, status in zip(rows["source"], rows["target"], rows["status"], strict=True):
            pair, status = frozenset((u, v)), status_of(status)
            if pair not in best or STATUS_RANK[status] < STATUS_RANK[best[pair]]:
                best[pair] = status
        statuses += list(best.values())
    return weakest(statuses)


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
