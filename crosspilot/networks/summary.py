"""A network in plain words: size, central actors, bridges between sectors, isolated groups.

Each sentence is a finding computed from the network's stakeholders and ties, and carries what it is
computed from (crosspilot.provenance): "… (6 of 9). Computed from 16 illustrative of 20 ties."
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from crosspilot.formatting import Formatter
from crosspilot.i18n import t, tn
from crosspilot.networks.analysis import Analysis
from crosspilot.networks.labels import and_list, phase_label, sector_label
from crosspilot.provenance import Inputs


@dataclass(frozen=True)
class Finding:
    """One plain-language sentence about a network and what it is computed from."""

    text: str
    inputs: Inputs

    def said(self, fmt: Formatter | None = None) -> str:
        """The sentence with its inputs in words, as plain text (slides, exports)."""
        words = self.inputs.words(fmt)
        return t("{text} {Inputs}.", text=self.text, Inputs=words[:1].upper() + words[1:])

    def __str__(self) -> str:
        return self.said()


def tie_graph_inputs(ties: nx.Graph) -> Inputs:
    """What a tie graph's metrics are computed from: its stakeholders and ties counted by status (the
    same counts as `TieArrays.inputs`, for callers without the arrays)."""
    stakeholders = Inputs.of((d.get("status") for _, d in ties.nodes(data=True)), "stakeholders")
    return stakeholders + Inputs.of((d.get("status") for *_, d in ties.edges(data=True)), "ties")


def _names(frame: pd.DataFrame, node_ids: Iterable) -> str:
    return ", ".join(str(frame.at[v, "label"]) for v in node_ids)


def bridged_sectors(ties: nx.Graph, node) -> tuple[str, ...]:
    """The sectors of an actor's partners (besides its own) that it links."""
    own = ties.nodes[node].get("sector", "")
    found = {ties.nodes[m].get("sector", "") for m in ties[node]} - {"", own}
    return tuple(sorted(found))


def summary(
    analysis: Analysis, name: str = "", fmt: Formatter | None = None, inputs: Inputs | None = None
) -> list[Finding]:
    """Plain-language findings about one network: size, central actors, bridges, isolated groups; each
    carries `inputs` (what the network is computed from; counted from `analysis.ties` when not given)."""
    fmt = fmt or Formatter()
    inputs = tie_graph_inputs(analysis.ties) if inputs is None else inputs
    return [Finding(text, inputs) for text in _sentences(analysis, name, fmt)]


def _sentences(analysis: Analysis, name: str, fmt: Formatter) -> list[str]:
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
            tn(
                "{n} group has no tie to the main network: {groups}.",
                "{n} groups have no tie to the main network: {groups}.",
                len(cut_off),
                groups=groups,
            )
        )
    if isolated:
        names = _names(frame, [next(iter(c)) for c in isolated[:5]])
        sentences.append(
            tn(
                "{n} actor has no tie at all: {names}{more}.",
                "{n} actors have no tie at all: {names}{more}.",
                len(isolated),
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
    return sentences
