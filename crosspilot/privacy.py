"""Privacy tiers of stakeholder networks: what a public visitor may see of each actor.

The data says, per network (`pilots.network_visibility`) and per actor (`nodes.visibility`):

- ``named``: anyone sees the actor's label (the default: data that says nothing is shown as today);
- ``partners``: public visitors see the actor's sector and role, under a pseudonym ("Public sector
  actor 3") and a pseudonymous id; partners (and up) see the name;
- ``aggregate``: public visitors see only how many actors of each sector and role there are: one node
  per (sector, role) group, groups smaller than `GROUP_MIN` merged into one "other actors" group.

An actor's tier is the stricter of its own and its network's.

This module is the one place that makes a network public: `public_network` turns a pilot's graph into
the graph a public visitor may be shown, and everything the Networks page, lessons, workshop slides,
snapshots and exports draw for a public visitor is drawn from that graph (crosspilot.context gives it
out as `derived.networks` to requests without a partner's role). Nothing else needs to know.

Public graphs keep the partner view's picture: each public node sits where its actor sits in the full
network's layout, an aggregated group at its members' centroid (`PublicNetworkStore` in
crosspilot.networks.store takes positions from the full network's store).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import networkx as nx
import pandas as pd

from crosspilot.i18n import t, tn
from crosspilot.provenance import STATUS_RANK
from crosspilot.vocabulary import term

TIERS = ("named", "partners", "aggregate")
RANK = {tier: rank for rank, tier in enumerate(TIERS)}
# An aggregated (sector, role) group of fewer actors than this is merged into one "other actors"
# group: a group of one would name its member as surely as a label.
GROUP_MIN = 3
# What a public node keeps of a protected actor; anything else a partner's file carries (an email, a
# note, a source link that names the organisation) is dropped.
KEPT = ("sector", "role", "hard_to_reach", "status")
KEPT_TIE = ("relation", "weight", "phase", "directed", "status")
OTHER = "other"


def tier_of(value: object) -> str:
    return value if value in RANK else "named"


def stricter(a: str, b: str) -> str:
    return a if RANK[tier_of(a)] >= RANK[tier_of(b)] else tier_of(b)


def network_tiers(pilots: pd.DataFrame) -> dict[str, str]:
    """pilot -> its network's tier (pilots.network_visibility; "named" where not given)."""
    if pilots is None or "network_visibility" not in pilots:
        return {}
    return {
        pilot: tier_of(tier)
        for pilot, tier in zip(pilots["pilot_id"], pilots["network_visibility"], strict=True)
        if isinstance(tier, str) and tier in RANK
    }


def actor_tiers(graph: nx.Graph, network_tier: str = "named") -> dict[str, str]:
    """node -> its tier: the stricter of its own `visibility` and its network's."""
    return {
        node: stricter(tier_of(data.get("visibility")), network_tier) for node, data in graph.nodes(data=True)
    }


def protected_pilots(snapshot) -> frozenset[str]:
    """The pilots whose networks hold an actor a public visitor may not see by name."""
    tiers = network_tiers(snapshot.pilots)
    return frozenset(
        pilot
        for pilot, graph in snapshot.networks.items()
        if any(tier != "named" for tier in actor_tiers(graph, tiers.get(pilot, "named")).values())
    )


def _sector_words(sector: str) -> str:
    return term("sector", sector, default=sector) if sector else t("unknown sector")


def pseudonym(sector: str, n: int) -> str:
    return t("{sector} actor {n}", sector=_sector_words(sector).capitalize(), n=n)


def group_label(sector: str, role: str, count: int) -> str:
    if sector == OTHER:
        return tn("Other actors: {n}", "Other actors: {n}", count)
    words = _sector_words(sector).capitalize()
    if role:
        words += " · " + term("role", role, default=role)
    return tn("{group}: {n} actor", "{group}: {n} actors", count, group=words)


def _weakest(statuses) -> str:
    found = [s for s in statuses if s in STATUS_RANK]
    return max(found, key=lambda s: STATUS_RANK[s]) if found else "illustrative"


def public_network(graph: nx.Graph, network_tier: str = "named") -> tuple[nx.Graph, dict[str, tuple]]:
    """The graph a public visitor may see, and each public node's members (the full graph's nodes it
    stands for: one for an actor, several for a group). Call in the reader's language: pseudonyms and
    group names are written in it."""
    tiers = actor_tiers(graph, network_tier)
    if all(tier == "named" for tier in tiers.values()):
        return graph, {node: (node,) for node in graph.nodes}
    public = graph.__class__()
    members: dict[str, tuple] = {}
    mapped: dict[object, str] = {}
    numbers: dict[str, int] = defaultdict(int)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    # Pseudonyms are numbered per sector in the order of the actors' ids, never of their names.
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        tier = tiers[node]
        if tier == "named":
            public.add_node(node, **data)
            mapped[node], members[node] = node, (node,)
        elif tier == "partners":
            sector = data.get("sector") or ""
            numbers[sector] += 1
            pid = f"actor-{sector or 'x'}-{numbers[sector]}"
            while pid in graph:  # a named actor's id that looks like a pseudonym: never merge the two
                pid += "-a"
            public.add_node(
                pid,
                **{k: data[k] for k in KEPT if k in data},
                node_id=pid,
                label=pseudonym(sector, numbers[sector]),
                visibility="partners",
            )
            mapped[node], members[pid] = pid, (node,)
        else:
            groups[(data.get("sector") or "", data.get("role") or "")].append(node)
    small = [key for key, nodes in groups.items() if len(nodes) < GROUP_MIN]
    if small:
        merged = [node for key in small for node in groups.pop(key)]
        groups[(OTHER, "")] = merged
    for number, ((sector, role), nodes) in enumerate(sorted(groups.items()), start=1):
        gid = f"group-{number}"
        datas = [graph.nodes[n] for n in nodes]
        public.add_node(
            gid,
            node_id=gid,
            label=group_label(sector, role, len(nodes)),
            sector="" if sector == OTHER else sector,
            role=role,
            hard_to_reach=any(d.get("hard_to_reach") is True for d in datas),
            status=_weakest(d.get("status") for d in datas),
            visibility="aggregate",
            group_size=len(nodes),
            internal_ties=0,
        )
        members[gid] = tuple(nodes)
        for node in nodes:
            mapped[node] = gid
    for u, v, data in graph.edges(data=True):
        a, b = mapped[u], mapped[v]
        if a == b and a.startswith("group-"):
            public.nodes[a]["internal_ties"] += 1  # counted on the group, never drawn as a loop
            continue
        protected = tiers[u] != "named" or tiers[v] != "named"
        kept = {k: data[k] for k in KEPT_TIE if k in data} if protected else dict(data)
        public.add_edge(a, b, **{**kept, "source": a, "target": b})
    return nx.freeze(public), members


def centroid_positions(base: Mapping[object, tuple], members: Mapping[str, tuple]) -> dict:
    """Each public node's position: its actor's in the full layout, a group's at its members' centroid."""
    out = {}
    for node, nodes in members.items():
        found = [base[m] for m in nodes if m in base]
        if found:
            out[node] = (
                round(sum(p[0] for p in found) / len(found), 1),
                round(sum(p[1] for p in found) / len(found), 1),
            )
    return out
