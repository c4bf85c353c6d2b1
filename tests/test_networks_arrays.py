"""The Networks page's fast path: filters as masks over cached tie arrays draw what a per-tie loop draws."""

from __future__ import annotations

import base64
import itertools
import random

import networkx as nx
import numpy as np
import pytest

from crosspilot import networks as nw
from crosspilot.figures import networks as nf
from crosspilot.figures.networks.webgl import CHANGE_NAMES
from crosspilot.figures.theme import STATUS_DASH, status_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import t

SECTORS = ("public", "civil_society", "citizen", "commercial")
RELATIONS = ("partnership", "information", "peer_support")
ROLES = ("Deployer", "Deliverer", "User", "Broker", "")


def _random_network(n: int = 40, m: int = 90, seed: int = 4) -> nx.MultiGraph:
    rng = random.Random(seed)
    graph = nx.MultiGraph()
    for i in range(n):
        graph.add_node(
            f"a{i}",
            node_id=f"a{i}",
            label=f"Actor {rng.randrange(1000):03d}",  # names repeat: ties ordered by name, then kept order
            sector=SECTORS[i % len(SECTORS)],
            role=ROLES[i % len(ROLES)],
            hard_to_reach=i % 5 == 0,
            status="published",
        )
    for _ in range(m):
        u, v = rng.sample(range(n), 2)
        graph.add_edge(
            f"a{u}",
            f"a{v}",
            relation=rng.choice(RELATIONS),
            phase=rng.choice(("co-design", "co-implementation", "")),
            weight=float(rng.randint(1, 3)),
            status=rng.choice(("published", "estimate", "illustrative")),
        )
    return nx.freeze(graph)


NETWORK = _random_network()


def _reference_traces(ties, positions, metrics, view) -> list[dict]:
    """What the WebGL figure drew before the arrays: a loop over the filtered graph's ties and actors;
    with a focus, the ties between two actors in it and the chosen actor drawn again on top."""
    shown = nw.filtered(ties, view.sectors, view.relations)
    groups: dict[tuple[str, str], list] = {}
    for u, v, data in shown.edges(data=True):
        groups.setdefault((data.get("change") or "", data.get("status", "illustrative")), []).append((u, v))

    def lines(keep) -> list[dict]:
        traces = []
        for (change, status), edges in sorted(groups.items()):
            xs, ys = [], []
            for u, v in filter(keep, edges):
                xs += [positions[u][0], positions[v][0], np.nan]
                ys += [positions[u][1], positions[v][1], np.nan]
            name = t(CHANGE_NAMES[change]) if change else t("{status} ties", status=status_label(status))
            traces.append(
                {"mode": "lines", "name": name, "x": xs, "y": ys, "dash": STATUS_DASH.get(status, "dot")}
            )
        return traces

    def markers(ids, name, opacity) -> dict:
        return {
            "mode": "markers",
            "name": name,
            "x": [positions[n][0] for n in ids],
            "y": [positions[n][1] for n in ids],
            "symbol": [nf.role_shape(ties.nodes[n].get("role", ""))[1] for n in ids],
            "size": [sizes[n] for n in ids],
            "opacity": opacity,
            "customdata": ids,
            "text": [
                f"{ties.nodes[n]['label']} · {Formatter().number(metrics.at[n, view.size_by], digits=3)}"
                for n in ids
            ],
        }

    traces = lines(lambda edge: True)
    sizes = nf.node_sizes(metrics, view.size_by, smallest=6, largest=28)
    by_sector: dict[str, list] = {}
    for node, data in shown.nodes(data=True):
        by_sector.setdefault(data.get("sector", ""), []).append(node)
    for sector in sorted(by_sector):
        ids = by_sector[sector]
        opacity = [1.0 if view.focus is None or n in view.focus else 0.15 for n in ids]
        traces.append(markers(ids, nw.sector_label(sector), opacity))
    if view.focus is None:
        return traces
    traces += lines(lambda edge: edge[0] in view.focus and edge[1] in view.focus)
    chosen = [view.selected] if view.selected in shown else []
    sector = ties.nodes[view.selected].get("sector", "") if chosen else ""
    return [*traces, markers(chosen, nw.sector_label(sector), None)]


def _numbers(value) -> np.ndarray:
    if isinstance(value, dict):  # a plotly.js typed array, as the browser decodes it
        assert value["dtype"] == "f4"
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype="<f4").astype(float)
    return np.asarray(value, dtype=float)


def _assert_same_drawing(figure: dict, expected: list[dict]) -> None:
    drawn = figure["data"]
    assert [(tr["mode"], tr["name"]) for tr in drawn] == [(e["mode"], e["name"]) for e in expected]
    for trace, want in zip(drawn, expected, strict=True):
        for axis in ("x", "y"):
            np.testing.assert_allclose(_numbers(trace[axis]), want[axis], atol=1e-3, equal_nan=True)
        if want["mode"] == "lines":
            assert trace["line"]["dash"] == want["dash"]
            continue
        marker = trace["marker"]
        assert list(marker["symbol"]) == want["symbol"]
        np.testing.assert_allclose(_numbers(marker["size"]), want["size"], atol=1e-3)
        if want["opacity"] is None:  # the chosen actor, outlined in the panel's colour
            assert marker["line"] == {"width": 3, "color": nf.SELECTED_COLOUR}
        else:
            np.testing.assert_allclose(_numbers(marker["opacity"]), want["opacity"], atol=1e-6)
        assert list(trace["customdata"]) == want["customdata"]
        assert list(trace["text"]) == want["text"]


def _analysis(phase: str = nw.ALL_PHASES):
    return nw.NetworkStore(_Snapshot()).analysis("p", phase)


class _Snapshot:
    version = "arrays-test"
    networks = {"p": NETWORK}


FILTERS = [
    ((), ()),
    (("public",), ()),
    (("public", "citizen"), ("information",)),
    ((), ("peer_support", "partnership")),
    (("commercial",), ("partnership",)),
    (("civil_society",), ("no-such-relation",)),
]


@pytest.mark.parametrize(("sectors", "relations"), FILTERS)
def test_filtered_webgl_figure_draws_what_the_per_tie_loop_drew(sectors, relations):
    analysis = _analysis()
    positions = analysis.positions()
    hub = analysis.nodes["degree"].idxmax()
    for size_by, focus in itertools.product(("betweenness", "degree"), (None, hub)):
        view = nf.NetworkView(
            size_by=size_by,
            focus=frozenset(nw.neighbourhood(analysis.ties, focus, 1)) if focus else None,
            selected=focus,
            sectors=frozenset(sectors),
            relations=frozenset(relations),
        )
        figure = nf.network_figure_dict(analysis.ties, positions, analysis.nodes, view)
        _assert_same_drawing(figure, _reference_traces(analysis.ties, positions, analysis.nodes, view))


def test_phase_diff_figure_with_a_filter_marks_the_same_ties():
    after = _analysis("co-implementation")
    union = nw.diff_ties(NETWORK, "co-design", "co-implementation")
    view = nf.NetworkView(sectors=frozenset({"public", "citizen", "commercial"}))
    figure = nf.network_figure_dict(union, after.positions(), after.nodes, view)
    expected = _reference_traces(union, after.positions(), after.nodes, view)
    assert {tr["name"] for tr in expected if tr["mode"] == "lines"} >= {"Added ties", "Removed ties"}
    _assert_same_drawing(figure, expected)


def test_masks_keep_the_actors_and_ties_that_filtered_keeps():
    store = nw.NetworkStore(_Snapshot())
    ties, arrays = store.ties("p"), store.arrays("p")
    assert store.arrays("p") is arrays  # built once per pilot and phase, kept by the store
    for sectors, relations in FILTERS:
        node_ok, edge_ok = arrays.masks(sectors, relations)
        shown = nw.filtered(ties, sectors, relations)
        assert set(arrays.nodes[node_ok]) == set(shown.nodes)
        drawn = {
            frozenset((arrays.nodes[u], arrays.nodes[v]))
            for u, v in zip(arrays.source[edge_ok], arrays.target[edge_ok], strict=True)
        }
        assert drawn == {frozenset(e) for e in shown.edges()}


def test_partner_names_follow_node_ties_order():
    ties = nw.tie_graph(NETWORK)
    arrays = nw.tie_arrays(ties)
    for node in ties:
        expected = [str(r["label"]) for r in nw.node_ties(ties, node)]
        assert arrays.partner_names(node, 8) == expected[:8]
        assert arrays.partner_names(node, 1000) == expected
