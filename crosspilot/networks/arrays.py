"""A tie graph as read-only numpy arrays: the page's filters become boolean masks, drawings array slices."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np

from crosspilot.provenance import Inputs


@dataclass(frozen=True, eq=False)
class TieArrays:
    """A tie graph as read-only arrays, built by `tie_arrays` and kept by the NetworkStore per pilot and
    phase: a view change then never loops over the ties in Python (50,000 ties: ~0.15 s a loop through
    networkx, well under 1 ms as masks). What is derived from the arrays is computed on first use and
    kept with them (cached properties), so it lives exactly as long as the arrays do.
    """

    nodes: np.ndarray  # object: node ids, in the tie graph's order
    sector: np.ndarray  # object, per node
    role: np.ndarray  # object, per node
    label: np.ndarray  # object (str), per node
    node_status: np.ndarray  # object, per node: its provenance
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

    @cached_property
    def partner_order(self) -> tuple[np.ndarray, np.ndarray]:
        """Every actor's partners, strongest tie first then by name, as offsets into one index array."""
        owner = np.concatenate([self.source, self.target])
        partner = np.concatenate([self.target, self.source])
        weight = np.concatenate([self.weight, self.weight])
        name_rank = np.empty(len(self.nodes), dtype=np.int64)
        name_rank[np.argsort(self.label.astype(str), kind="stable")] = np.arange(len(self.nodes))
        order = np.lexsort((name_rank[partner], -weight, owner))
        offsets = np.searchsorted(owner[order], np.arange(len(self.nodes) + 1))
        partner = partner[order]
        for array in (offsets, partner):
            array.setflags(write=False)
        return offsets, partner

    def partner_names(self, node, limit: int) -> list[str]:
        """The names of an actor's first `limit` partners in `node_ties` order: strongest tie, then name."""
        offsets, partners = self.partner_order
        i = self.index[node]
        return list(self.label[partners[offsets[i] : min(offsets[i + 1], offsets[i] + limit)]])

    @cached_property
    def edge_groups(self) -> tuple[tuple[tuple[str, str], np.ndarray], ...]:
        """Ties grouped by (change, status), each with its tie positions, in a stable order."""
        found: dict[tuple[str, str], list[int]] = {}
        for i, key in enumerate(zip(self.change, self.status, strict=True)):
            found.setdefault(key, []).append(i)
        return tuple((key, np.array(found[key], dtype=np.int64)) for key in sorted(found))

    @cached_property
    def status_counts(self) -> dict[str, int]:
        """How many ties have each provenance, in name order."""
        return dict(sorted(Counter(self.status).items()))

    @cached_property
    def inputs(self) -> Inputs:
        """What every metric of this tie graph is computed from: its stakeholders and its ties, counted
        by status (crosspilot.provenance: "computed from 16 illustrative of 20 ties")."""
        return self.stakeholder_inputs + Inputs.of(self.status, "ties")

    @cached_property
    def stakeholder_inputs(self) -> Inputs:
        """What a count of actors is computed from: the stakeholders alone."""
        return Inputs.of(self.node_status, "stakeholders")


def _objects(values: list) -> np.ndarray:
    """A read-only object array, one item per value (np.array would split tuple ids into columns)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    array.setflags(write=False)
    return array


def tie_arrays(ties: nx.Graph) -> TieArrays:
    """`ties` (a tie graph, or a phase diff's) as arrays. Pure: the NetworkStore keeps the result."""
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
        node_status=_objects([a.get("status", "") for a in attributes]),
        source=source,
        target=target,
        relations=tuple(found),
        has_relation=has_relation,
        weight=weight,
        status=_objects(status),
        change=_objects(change),
        index=index,
    )
