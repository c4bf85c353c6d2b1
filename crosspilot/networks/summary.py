"""A network in plain words: size, central actors, bridges between sectors, isolated groups."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.networks.analysis import Analysis
from crosspilot.networks.labels import and_list, phase_label, sector_label


def _names(frame: pd.DataFrame, node_ids: Iterable) -> str:
    return ", ".join(str(frame.at[v, "label"]) for v in node_ids)


def bridged_sectors(ties: nx.Graph, node) -> tuple[str, ...]:
    """The sectors of an actor's partners (besides its own) that it links."""
    own = ties.nodes[node].get("sector", "")
    found = {ties.nodes[m].get("sector", "") for m in ties[node]} - {"", own}
    return tuple(sorted(found))


def summary(analysis: Analysis, name: str = "", fmt: Formatter | None = None) -> list[str]:
    """Plain-language sentences about one network: size, central actors, bridges, isolated groups."""
    fmt = fmt or Formatter()
    frame, net, ties = analysis.nodes, analysis.network, analysis.ties
    n, m = int(net["nodes"]), int(net["ties"])
    sentences = [
        t(
            "{name} in {phase}: {n} actors and {m} ties; {pct} of all possible ties exist.",
            name=name or analysis.pilot,
            phase=phase_label(analysis.phase),
            n=fmt.count(n),
            m=fmt.count(m),
            pct=fmt.percent(net["density"]),
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
            k=fmt.count(frame.at[hub, "degree"]),
            others=fmt.count(n - 1),
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
            t(
                "{k} group(s) have no tie to the main network: {groups}.",
                k=fmt.count(len(cut_off)),
                groups=groups,
            )
        )
    if isolated:
        names = _names(frame, [next(iter(c)) for c in isolated[:5]])
        sentences.append(
            t(
                "{k} actor(s) have no tie at all: {names}{more}.",
                k=fmt.count(len(isolated)),
                names=names,
                more="…" if len(isolated) > 5 else "",
            )
        )
    sentences.append(
        t(
            "{c} of ties involve citizens or hard-to-reach groups, and {x} join different sectors.",
            c=fmt.percent(net["citizen_share"]),
            x=fmt.percent(net["cross_sector_share"]),
        )
    )
    illustrative = sum(1 for *_, d in ties.edges(data=True) if d.get("status") == "illustrative")
    if illustrative:
        sentences.append(
            t(
                "{k} of the {m} ties are illustrative: no source states them; they are drawn dotted.",
                k=fmt.count(illustrative),
                m=fmt.count(m),
            )
        )
    return sentences
