"""Network analysis and builders: metrics against known graphs, phase diffs, summaries, cache, files."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from crosspilot import networks as nw
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.figures import networks as nf
from crosspilot.figures.theme import SECTOR_COLOURS
from tests.datasets import write_tables
from tests.helpers import by_id, context_of, text_of
from tests.test_readers import load_ok, shown


def _labelled(graph: nx.Graph) -> nx.Graph:
    for node in graph:
        graph.nodes[node].setdefault("label", str(node))
    return graph


def _multigraph(rows: list[tuple], nodes: dict[str, str]) -> nx.MultiGraph:
    """A snapshot-like network: (source, target, relation, phase, status[, weight]) rows, node -> sector."""
    graph = nx.MultiGraph()
    for node, sector in nodes.items():
        graph.add_node(node, node_id=node, label=node.title(), sector=sector, role="", hard_to_reach=False)
    for row in rows:
        u, v, relation, phase, status, *weight = row
        graph.add_edge(
            u, v, relation=relation, phase=phase, status=status, weight=weight[0] if weight else 1.0
        )
    return nx.freeze(graph)


# Metrics against known values -------------------------------------------------------------------


def test_medici_betweenness_closeness_and_eigenvector_match_networkx():
    florentine = _labelled(nx.florentine_families_graph())
    frame, network, _ = nw.compute_metrics(florentine)
    assert frame.at["Medici", "betweenness"] == pytest.approx(0.521978, abs=1e-6)
    assert frame.at["Medici", "betweenness"] == pytest.approx(nx.betweenness_centrality(florentine)["Medici"])
    assert frame["betweenness"].idxmax() == "Medici"
    closeness = nx.closeness_centrality(florentine)
    eigen = nx.eigenvector_centrality(florentine, max_iter=1000)
    top = max(eigen.values())
    for family in florentine:
        assert frame.at[family, "closeness"] == pytest.approx(closeness[family])
        assert frame.at[family, "eigenvector"] == pytest.approx(eigen[family] / top, abs=1e-4)
    assert network["average_path_length"] == pytest.approx(nx.average_shortest_path_length(florentine))
    assert network["density"] == pytest.approx(nx.density(florentine))
    assert network["components"] == 1
    communities = nx.community.greedy_modularity_communities(florentine)
    assert network["modularity"] == pytest.approx(nx.community.modularity(florentine, communities))


def test_disconnected_graph_metrics_follow_networkx_and_freeman():
    graph = _labelled(nx.karate_club_graph())
    graph.add_edge("x", "y")
    graph.add_node("alone")
    frame, network, _ = nw.compute_metrics(nx.Graph(graph))
    expected = nx.closeness_centrality(graph)
    for node in graph:
        assert frame.at[node, "closeness"] == pytest.approx(expected[node]), node
    assert frame.at["alone", "closeness"] == 0
    assert network["components"] == 3
    star = _labelled(nx.star_graph(5))
    assert nw.compute_metrics(star)[1]["degree_centralisation"] == pytest.approx(1.0)
    ring = _labelled(nx.cycle_graph(6))
    assert nw.compute_metrics(ring)[1]["degree_centralisation"] == pytest.approx(0.0)


def test_brokerage_counts_unlinked_cross_sector_pairs_and_shares():
    # The foundation ties seniors and the housing cooperative, who have no tie of their own.
    ties = nw.tie_graph(
        _multigraph(
            [
                ("fdn", "seniors", "co_design", "", "published"),
                ("fdn", "coop", "partnership", "", "illustrative"),
            ],
            {"fdn": "civil_society", "seniors": "citizen", "coop": "commercial"},
        )
    )
    frame, network, _ = nw.compute_metrics(ties)
    assert frame["brokerage"].to_dict() == {"fdn": 1, "seniors": 0, "coop": 0}
    assert network["cross_sector_share"] == 1.0
    assert network["citizen_share"] == 0.5
    closed = nw.tie_graph(
        _multigraph(
            [
                ("a", "b", "x", "", "published"),
                ("b", "c", "x", "", "published"),
                ("a", "c", "x", "", "published"),
            ],
            {"a": "public", "b": "public", "c": "citizen"},
        )
    )
    assert nw.compute_metrics(closed)[0]["brokerage"].sum() == 0


# Tie graphs, phases and diffs -------------------------------------------------------------------

PHASED = _multigraph(
    [
        ("city", "ngo", "partnership", "co-design", "published", 2.0),
        ("city", "ngo", "partnership", "co-implementation", "published", 3.0),
        ("ngo", "youth", "service_delivery", "co-implementation", "illustrative"),
        ("city", "youth", "information", "co-design", "estimate"),
        ("city", "ngo", "funding", "", "illustrative", 1.0),
    ],
    {"city": "public", "ngo": "civil_society", "youth": "citizen"},
)


def test_tie_graph_merges_parallel_rows_per_phase():
    assert nw.phases(PHASED) == ("co-design", "co-implementation")
    whole = nw.tie_graph(PHASED)
    tie = whole.edges["city", "ngo"]
    # Strongest phase per relation, summed over relations; best provenance wins.
    assert tie["weight"] == 4.0
    assert tie["relations"] == ("funding", "partnership")
    assert tie["status"] == "published"
    design = nw.tie_graph(PHASED, "co-design")
    assert sorted(map(sorted, design.edges())) == [["city", "ngo"], ["city", "youth"]]
    assert design.number_of_nodes() == 3  # actors without a tie in the phase stay in the network


def test_phase_diff_names_added_removed_and_kept_ties():
    diff = nw.phase_diff(PHASED, "co-design", "co-implementation")
    assert diff.added == {frozenset({"ngo", "youth"})}
    assert diff.removed == {frozenset({"city", "youth"})}
    assert diff.kept == {frozenset({"city", "ngo"})}
    union = nw.diff_ties(PHASED, "co-design", "co-implementation")
    assert {frozenset((u, v)): d["change"] for u, v, d in union.edges(data=True)} == {
        frozenset({"ngo", "youth"}): "added",
        frozenset({"city", "youth"}): "removed",
        frozenset({"city", "ngo"}): "kept",
    }
    assert "1 tie added, 1 removed, 1 kept" in nw.diff_summary(diff)


def test_filters_neighbourhood_and_find():
    ties = nw.tie_graph(PHASED)
    assert set(nw.filtered(ties, sectors=["public", "citizen"]).nodes) == {"city", "youth"}
    assert sorted(map(sorted, nw.filtered(ties, relations=["service_delivery"]).edges())) == [
        ["ngo", "youth"]
    ]
    path = _labelled(nx.path_graph(["a", "b", "c", "d"]))
    assert nw.neighbourhood(path, "b", 1) == {"a", "b", "c"}
    assert nw.neighbourhood(path, "b", 2) == {"a", "b", "c", "d"}
    assert nw.neighbourhood(path, "zz", 2) == set()
    assert nw.find_node(ties, "Ngo") == "ngo"
    assert nw.find_node(ties, "you") == "youth"
    assert nw.find_node(ties, "nobody") is None


# Summaries and exports ---------------------------------------------------------------------------


def test_summary_names_central_actor_bridges_and_isolated_groups():
    graph = _multigraph(
        [
            ("fdn", "seniors", "co_design", "", "published"),
            ("fdn", "coop", "partnership", "", "illustrative"),
            ("fdn", "city", "partnership", "", "published"),
            ("club", "pub", "peer_support", "", "illustrative"),
        ],
        {
            "fdn": "civil_society",
            "seniors": "citizen",
            "coop": "commercial",
            "city": "public",
            "club": "informal",
            "pub": "commercial",
            "hermit": "citizen",
        },
    )
    store = nw.NetworkStore(_FakeSnapshot({"p": graph}))
    findings = store.summary("p", nw.ALL_PHASES, "Wrocław")
    text = " ".join(f.said() for f in findings)
    assert text.startswith("Wrocław in all phases: 7 actors and 4 ties")
    assert "The most central actors, on the most routes between others, are: Fdn." in text
    assert "Fdn (civil society) bridges citizen, commercial and public actors" in text
    assert "1 group has no tie to the main network: Club, Pub." in text
    assert "1 actor has no tie at all: Hermit." in text
    # Every finding says what it is computed from: 2 of the 4 ties are illustrative, and so are these
    # stakeholders, which have no status (the contract reads a missing status as illustrative).
    said = "Computed from 7 illustrative of 7 stakeholders and 2 illustrative of 4 ties."
    assert all(f.said().endswith(said) for f in findings)
    assert {f.inputs.mark for f in findings} == {"†"}


def test_node_metrics_csv_is_safe_from_formula_injection():
    graph = _multigraph([("=cmd", "b", "x", "", "published")], {"=cmd": "public", "b": "citizen"})
    graph = nx.MultiGraph(graph)
    graph.nodes["=cmd"]["label"] = '=HYPERLINK("http://x")'
    store = nw.NetworkStore(_FakeSnapshot({"p": nx.freeze(graph)}))
    text = nw.node_metrics_csv(store.analysis("p"))
    rows = pd.read_csv(__import__("io").StringIO(text), dtype=str)
    assert rows.loc[0, "label"].startswith("'=HYPERLINK")
    assert rows.loc[0, "node_id"] == "'=cmd"
    assert list(rows.columns[:3]) == ["pilot_id", "phase", "node_id"]


# Cache -------------------------------------------------------------------------------------------


class _FakeSnapshot:
    def __init__(self, networks, version="v1"):
        self.networks = networks
        self.version = version


def test_layout_and_metrics_are_computed_once_then_read_from_disk(tmp_path):
    first = nw.NetworkStore(_FakeSnapshot({"p": PHASED}), tmp_path)
    a = first.analysis("p", "co-design")
    first.analysis("p", "co-design")
    first.analysis("p", "co-implementation")
    assert first.computed == {"metrics": 2, "layout": 1}  # one layout serves every phase
    assert a.positions() == first.analysis("p", "co-implementation").positions()
    second = nw.NetworkStore(_FakeSnapshot({"p": PHASED}), tmp_path)  # another worker, same data
    b = second.analysis("p", "co-design")
    assert second.computed == {}
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    assert dict(b.network) == dict(a.network)
    changed = nw.NetworkStore(_FakeSnapshot({"p": PHASED}, version="v2"), tmp_path)
    changed.analysis("p", "co-design")
    assert changed.computed == {"metrics": 1, "layout": 1}  # a new dataset version is never served stale


def test_damaged_cache_entry_is_recomputed(tmp_path):
    nw.NetworkStore(_FakeSnapshot({"p": PHASED}), tmp_path).analysis("p")
    for entry in (tmp_path / "networks").glob("*"):
        entry.write_bytes(b"garbage")
    again = nw.NetworkStore(_FakeSnapshot({"p": PHASED}), tmp_path)
    assert again.analysis("p").network["ties"] == 3
    assert again.computed == {"metrics": 1, "layout": 1}


def test_layout_is_deterministic_and_in_the_box():
    ties = nw.tie_graph(PHASED)
    one, two = nw.compute_layout(ties), nw.compute_layout(ties)
    assert one == two
    assert all(0 <= x <= 1000 and 0 <= y <= 1000 for x, y in one.values())


# Builders on tiny graphs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hull():
    snapshot = load_dataset(BUNDLED).snapshot
    return nw.NetworkStore(snapshot).analysis("hull")


def test_graph_to_elements_encodes_sector_role_size_and_provenance(hull):
    elements = nf.graph_to_elements(hull.ties, hull.positions(), hull.nodes, nf.NetworkView(size_by="degree"))
    nodes = {e["data"]["id"]: e for e in elements if "source" not in e["data"]}
    edges = [e for e in elements if "source" in e["data"]]
    assert len(nodes) == 11 and len(edges) == 16
    interserve = nodes["interserve"]
    assert interserve["data"]["colour"] == SECTOR_COLOURS["commercial"]
    assert interserve["data"]["shape"] == "rectangle"  # Deployer
    assert interserve["data"]["size"] == 60  # the most ties: the largest
    assert interserve["position"] == dict(zip(("x", "y"), hull.positions()["interserve"], strict=True))
    assert {e["classes"].split()[0] for e in edges} == {"status-published", "status-illustrative"}
    styles = {s["selector"]: s["style"] for s in nf.stylesheet()}
    assert styles["edge.status-illustrative"]["line-style"] == "dotted"
    assert styles["edge.status-published"]["line-style"] == "solid"


def test_focus_fades_everything_outside_the_neighbourhood(hull):
    focus = frozenset(nw.neighbourhood(hull.ties, "mmu", 1))
    elements = nf.graph_to_elements(hull.ties, hull.positions(), hull.nodes, nf.NetworkView(focus=focus))
    faded = {e["data"]["id"] for e in elements if "faded" in e["classes"] and "source" not in e["data"]}
    assert faded == set(hull.ties.nodes) - focus and faded


def test_diff_elements_mark_added_and_removed_ties():
    union = nw.diff_ties(PHASED, "co-design", "co-implementation")
    analysis = nw.NetworkStore(_FakeSnapshot({"p": PHASED})).analysis("p", "co-implementation")
    elements = nf.graph_to_elements(union, analysis.positions(), analysis.nodes)
    marks = {e["data"]["id"]: e["data"]["change_mark"] for e in elements if "source" in e["data"]}
    assert sorted(marks.values()) == ["", "+", "−"]


def test_webgl_figure_aggregate_multiples_and_comparison(hull):
    figure = nf.network_figure(hull.ties, hull.positions(), hull.nodes)
    markers = [t for t in figure.data if t.mode == "markers"]
    assert sum(len(t.x) for t in markers) == 11
    assert all(t.type == "scattergl" for t in figure.data)
    assert {t.name for t in figure.data if t.mode == "lines"} == {"Published ties", "Illustrative ties"}
    groups = nw.aggregate(hull, "sector")
    assert sum(d["members"] for _, d in groups.nodes(data=True)) == 11
    assert (
        sum(d["ties_within"] for _, d in groups.nodes(data=True))
        + sum(d["ties"] for *_, d in groups.edges(data=True))
        == 16
    )
    assert len(nf.aggregate_elements(groups)) == groups.number_of_nodes() + groups.number_of_edges()
    panels = [nf.Panel("Hull", hull.ties, hull.positions(), hull.nodes)] * 2
    multiples = nf.small_multiples_figure(panels, columns=2)
    assert [a.text for a in multiples.layout.annotations] == ["Hull", "Hull"]
    arrays = nw.tie_arrays(hull.ties)
    rows = [
        nw.ComparedNetwork(p, p, "all", hull.network, arrays.inputs, arrays.stakeholder_inputs) for p in "AB"
    ]
    chart = nf.metrics_comparison_figure(rows, nw.network_metrics()[:3])
    assert [list(bar.y) for bar in chart.data] == [["A", "B"]] * 3
    # Actors are counted from the (published) stakeholders; ties from ties, 11 of 16 illustrative.
    assert chart.data[0].text == ("11", "11") and chart.data[0].marker.pattern.shape is None
    assert chart.data[1].text == ("16 †", "16 †") and chart.data[1].marker.pattern.shape == "."
    assert chart.data[1].name == "computed in part from illustrative data \u2020"
    # On a projector every panel title is at least 20 px, like the rest of the chart text.
    projector = nf.NetworkView(theme="projector")
    for figure in (
        nf.small_multiples_figure(panels, projector, columns=2),
        nf.metrics_comparison_figure(rows, nw.network_metrics()[:3], "projector"),
    ):
        assert min(a.font.size for a in figure.layout.annotations) >= 20


# Network files of the data contract feed the page ------------------------------------------------


def _contract_graph() -> nx.Graph:
    graph = nx.Graph()
    graph.add_node("city", label="City", sector="public", status="published")
    graph.add_node("youth", label="Young people", sector="citizen", hard_to_reach=True, status="published")
    graph.add_node("ngo", label="NGO", sector="civil_society", status="published")
    graph.add_edge("city", "ngo", relation="partnership", phase="co-design", status="published")
    graph.add_edge("ngo", "youth", relation="peer_support", phase="co-implementation", status="illustrative")
    return graph


@pytest.mark.parametrize(
    "write",
    [
        lambda g, p: nx.write_graphml(g, p.with_suffix(".graphml")),
        lambda g, p: nx.write_gexf(g, p.with_suffix(".gexf")),
        lambda g, p: p.with_suffix(".json").write_text(json.dumps(nx.node_link_data(g, edges="links"))),
    ],
    ids=["graphml", "gexf", "json"],
)
def test_each_network_format_loads_and_is_analysed(tmp_path, write):
    folder = write_tables(tmp_path)
    (folder / "networks").mkdir()
    write(_contract_graph(), Path(folder / "networks" / "voru"))
    snapshot, _ = load_ok(folder)
    store = nw.NetworkStore(snapshot)
    assert store.phases("voru") == ("co-design", "co-implementation")
    analysis = store.analysis("voru")
    assert analysis.nodes.at["ngo", "betweenness"] == 1.0
    assert analysis.nodes.at["youth", "hard_to_reach"]
    diff = store.diff("voru", "co-design", "co-implementation")
    assert diff.added == {frozenset({"ngo", "youth"})}


def test_broken_network_file_gets_the_contract_errors(tmp_path):
    folder = write_tables(tmp_path)
    (folder / "networks").mkdir()
    (folder / "networks" / "voru.json").write_text(
        json.dumps(
            {
                "nodes": [{"id": "a"}, {"id": "a"}, {"id": "b"}],
                "links": [{"source": "a", "target": "ghost"}, {"source": "b", "target": "b"}],
            }
        )
    )
    result = load_dataset(folder)
    messages = shown(result.report)
    assert result.snapshot is None
    assert "networks/voru.json node 'a': duplicate node id 'a'" in messages
    assert any("tie 'a'–'ghost'" in m and "'ghost' is not a node of this network" in m for m in messages)
    assert any("tie 'b'–'b'" in m and "self-loop" in m for m in messages)


# The page's pure parts ---------------------------------------------------------------------------


def test_above_the_element_limit_the_first_view_is_grouped_and_every_actor_one_click_away():
    from callbacks.networks import draw_everyone, page_view
    from crosspilot.views import networks as views

    big = nx.gnm_random_graph(900, 1200, seed=1)
    multi = _multigraph(
        [(str(u), str(v), "partnership", "", "illustrative") for u, v in big.edges()],
        {str(n): ("public", "citizen")[n % 2] for n in big.nodes},
    )
    snapshot = _FakeSnapshot({"big": multi})
    snapshot.pilots = pd.DataFrame({"pilot_id": ["big"], "name": ["Big"], "place": [""]})
    context = context_of(snapshot)
    view, notices = views.parse(context.derived, {"pilot": "big"})
    first = page_view(context, view, "standard")
    assert len(first["elements"]) == 3  # two sectors and the ties between them
    assert first["mode"].startswith("Grouped by sector: 2 groups")
    assert "900 actors and 1,200 ties are too many to read at once" in first["mode"]
    assert first["draw_all_style"] == {} and first["webgl_style"] == {"display": "none"}
    assert draw_everyone(context, 1) == "webgl"
    out = page_view(context, dataclasses.replace(view, view="webgl"), "standard")
    assert out["elements"] == [] and out["webgl_style"] == {}
    assert out["draw_all_style"] == {"display": "none"}
    assert out["mode"].startswith("WebGL drawing: 900 actors, 1,200 ties.")
    assert "Page 1 of 36: actors 1–25 of 900." in text_of(out["table"])
    # Finding an actor draws every actor, so that it can be seen.
    found = page_view(context, dataclasses.replace(view, focus="1"), "standard")
    assert found["mode"].startswith("WebGL drawing: 900 actors")
    grouped = page_view(context, dataclasses.replace(view, view="sector"), "standard")
    assert len(grouped["elements"]) == 3 and grouped["draw_all_style"] == {"display": "none"}


def test_the_find_box_suggests_the_most_connected_actors_of_a_large_network_and_finds_any():
    """Every suggestion is a component the browser mounts one at a time: a large network's box
    suggests a few names, says so, and still finds any actor by a part of its name."""
    from callbacks.networks import checked_view, controls_for_pilot
    from layouts import ids
    from layouts import networks as page

    star = nx.star_graph(120)  # actor 0 has a tie with every other; the rest one tie each
    star.add_edges_from([(1, 2), (1, 3), (2, 3)])
    multi = _multigraph(
        [(str(u), str(v), "partnership", "", "illustrative") for u, v in star.edges()],
        {str(n): "public" for n in star.nodes},
    )
    assert nw.suggested_names(nw.tie_graph(multi), 3) == ["0", "1", "2"]
    assert nw.suggested_names(nw.tie_graph(multi), 500) == sorted(str(n) for n in star.nodes)
    snapshot = _FakeSnapshot({"big": multi})
    snapshot.pilots = pd.DataFrame({"pilot_id": ["big"], "name": ["Big"], "place": [""]})
    context = context_of(snapshot)
    shown = page.layout(context, {"pilot": "big"}, "standard")
    options = by_id(shown, ids.NETWORKS_FIND_OPTIONS).children
    assert len(options) == page.FIND_SUGGESTIONS and options[0].value == "0"
    assert text_of(by_id(shown, ids.NETWORKS_FIND_HINT)) == (
        f"Suggested: the {page.FIND_SUGGESTIONS} actors with the most ties, of 121. Any other actor is "
        "found too: type its name, or part of it, and press Enter."
    )
    reset = controls_for_pilot(context, "big", ids.NETWORKS_PILOT)
    assert len(reset["find_options"]) == page.FIND_SUGGESTIONS and reset["find_hint"].startswith("Suggested")
    view, _ = checked_view(context, {"pilot": "big", "find": "119"})  # never suggested, still found
    assert view.focus == "119"


def test_no_comparison_is_a_choosable_option_and_means_no_diff():
    """dbc.Select hides an empty-valued option, so "(no comparison)" carries ANY and reads back as ""."""
    from callbacks.networks import checked_view
    from layouts import ids
    from layouts import networks as page
    from layouts.common import ANY

    snapshot = load_dataset(BUNDLED).snapshot
    select = by_id(page.layout(context_of(snapshot), {"pilot": "hull"}, "standard"), ids.NETWORKS_BEFORE)
    assert select.value == ANY
    assert {"label": "(no comparison)", "value": ANY} in select.options
    view, notices = checked_view(context_of(snapshot), {"pilot": "hull", "before": ANY})
    assert view.before == "" and notices == []
