"""What changed between two phases of a network: ties added, removed and kept."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from crosspilot.formatting import Formatter
from crosspilot.i18n import t, tn
from crosspilot.networks.ties import tie_graph


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


def diff_summary(diff: PhaseDiff, fmt: Formatter | None = None) -> str:
    fmt = fmt or Formatter()
    return t(
        "From {before} to {after}: {added}, {r} removed, {k} kept.",
        before=diff.before,
        after=diff.after,
        added=tn("{n} tie added", "{n} ties added", len(diff.added)),
        r=fmt.count(len(diff.removed)),
        k=fmt.count(len(diff.kept)),
    )
