"""The Networks page sends only what changed: a focus, filter or highlight is a Patch of the drawing,
what did not change is not sent, and the actors' table comes a page at a time."""

from __future__ import annotations

import base64
import json

import networkx as nx
import numpy as np
import pandas as pd
import plotly.utils
import pytest
from dash import Patch, no_update

from callbacks import networks as cb
from crosspilot import networks as nw
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.figures import networks as nf
from layouts import ids
from tests.helpers import context_of, of_type, text_of
from tests.test_networks import _FakeSnapshot, _multigraph
from tests.test_networks_callbacks import CONTROLS


@pytest.fixture(scope="module")
def hull():
    return context_of(load_dataset(BUNDLED).snapshot)


@pytest.fixture(scope="module")
def big():
    """900 actors (public and citizen, alternately) and 1,200 ties: drawn with WebGL when asked."""
    graph = nx.gnm_random_graph(900, 1200, seed=1)
    multi = _multigraph(
        [(str(u), str(v), "partnership", "", "illustrative") for u, v in graph.edges()],
        {str(n): ("public", "citizen")[n % 2] for n in graph.nodes},
    )
    for n in graph.nodes:
        multi.nodes[str(n)]["label"] = f"Actor {n}"
    snapshot = _FakeSnapshot({"big": multi})
    snapshot.pilots = pd.DataFrame({"pilot_id": ["big"], "name": ["Big"], "place": [""]})
    return context_of(snapshot)


def _operations(patch) -> list[dict]:
    assert isinstance(patch, Patch), f"expected a Patch, got {type(patch).__name__}"
    return patch.to_plotly_json()["operations"]


def _sent(out: dict) -> int:
    """Bytes of the callback's answer as Dash would send it (no_update outputs are left out)."""
    kept = {k: v for k, v in out.items() if v is not no_update}
    return len(json.dumps(kept, cls=plotly.utils.PlotlyJSONEncoder))


def test_finding_an_actor_patches_the_graphs_classes_and_resends_nothing_else(hull):
    first = cb.update(hull, CONTROLS, "", None)
    assert isinstance(first["elements"], list) and first["drawn"]["drawing"] == "graph"
    found = cb.update(hull, {**CONTROLS, "find": "Manchester"}, "", ids.NETWORKS_FIND, first["drawn"])
    operations = _operations(found["elements"])
    classes = {
        op["location"][0]: op["params"]["value"] for op in operations if op["location"][1:] == ["classes"]
    }
    assert len(classes) == len(first["elements"])  # every element's classes: whole whichever lands last
    names = [e["data"]["id"] for e in first["elements"]]
    assert "faded" not in classes[names.index("mmu")] and "selected-actor" in classes[names.index("mmu")]
    assert any("faded" in c for c in classes.values())
    # The metrics, the findings, the table and the stylesheet did not change: not sent.
    for key in ("metrics", "summary", "table", "table_status", "stylesheet", "diff"):
        assert found[key] is no_update, key
    assert "the actor shown in the panel" in text_of(found["legend"])
    assert found["url"] == "?pilot=hull&focus=mmu"
    # Back to everyone: the same patch, nothing faded.
    cleared = cb.update(hull, CONTROLS, "", ids.NETWORKS_FIND, found["drawn"])
    assert not any("faded" in op["params"]["value"] for op in _operations(cleared["elements"]))


def test_a_sector_filter_on_the_interactive_graph_resends_its_elements_and_its_table(hull):
    first = cb.update(hull, CONTROLS, "", None)
    sectors = [o["value"] for o in cb.page.sector_options(hull.derived.networks, "hull")]
    out = cb.update(hull, {**CONTROLS, "sectors": sectors[:1]}, "", ids.NETWORKS_SECTORS, first["drawn"])
    assert isinstance(out["elements"], list) and len(out["elements"]) < len(first["elements"])
    assert out["table"] is not no_update and out["metrics"] is no_update


def _numbers(value) -> np.ndarray:
    """A trace's numbers, whether sent as a plotly.js typed array or a list."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype="<f4")
    return np.asarray(value, dtype=float)


def _segments(x) -> int:
    return len(_numbers(x)) // 3  # each tie: two ends and a gap


def _changes(patch) -> dict:
    return {
        (op["location"][1], tuple(op["location"][2:])): op["params"]["value"] for op in _operations(patch)
    }


def test_webgl_draws_few_traces_and_a_focus_patches_the_fading_and_its_own_ties(big):
    controls = {**CONTROLS, "pilot": "big", "view": "webgl"}
    first = cb.update(big, controls, "", None)
    traces = first["figure"]["data"]
    # One trace per kind of tie and per sector, one for the focus's ties and one for the chosen actor:
    # plotly redraws every WebGL trace on any change.
    assert [tr["meta"] for tr in traces] == ["ties", "actors", "actors", "focus", "focus"]
    found = cb.update(big, {**controls, "find": "Actor 7"}, "", ids.NETWORKS_FIND, first["drawn"])
    changed = _changes(found["figure"])
    assert set(changed) == {
        (0, ("opacity",)),
        (0, ("visible",)),
        (1, ("marker", "opacity")),
        (2, ("marker", "opacity")),
        (3, ()),
        (4, ()),
    }
    assert changed[0, ("opacity",)] == cb.nf.webgl.FADED  # every tie faded (1,200: not hidden)...
    assert changed[0, ("visible",)] is True
    # ...and those between two actors of Actor 7's neighbourhood drawn again in full, in the same style.
    graph = big.derived.networks.analysis("big", "all").ties
    around = {"7", *graph.neighbors("7")}
    within = sum(1 for u, v in graph.edges() if u in around and v in around)
    assert _segments(changed[3, ()]["x"]) == within > 0
    assert changed[3, ()]["line"]["dash"] == traces[0]["line"]["dash"]
    # Actor 7 (a citizen) drawn again on top, outlined in the panel's colour; everyone outside faded.
    chosen = changed[4, ()]
    assert list(chosen["customdata"]) == ["7"] and chosen["marker"]["line"]["color"] == cb.nf.SELECTED_COLOUR
    citizens = next(i for i in (1, 2) if traces[i]["name"] == "citizen")
    opacity = _numbers(changed[citizens, ("marker", "opacity")])
    assert 0 < (opacity == 1).sum() < len(opacity)
    assert set(opacity.astype(float).round(2).tolist()) == {1.0, 0.15}
    assert found["elements"] is no_update and found["table"] is no_update
    assert _sent(found) * 4 < _sent(first)  # what travels: a fraction of the drawing
    # Back to everyone: nothing faded, the focus's traces empty.
    back = _changes(cb.update(big, controls, "", ids.NETWORKS_FIND, found["drawn"])["figure"])
    assert (
        back[0, ("opacity",)] == 0.55
        and _segments(back[3, ()]["x"]) == 0
        and len(_numbers(back[4, ()]["x"])) == 0
    )


def test_webgl_traces_stay_few_at_10000_actors():
    rng = np.random.default_rng(2)
    sectors = ("public", "civil_society", "citizen", "commercial", "informal")
    graph = nx.barabasi_albert_graph(10_000, 5, seed=2)
    multi = _multigraph(
        [
            (str(u), str(v), "partnership", "", ("published", "illustrative")[(u + v) % 2])
            for u, v in graph.edges()
        ],
        {str(n): sectors[n % 5] for n in graph.nodes},
    )
    ties = nw.tie_graph(multi)
    positions = {n: tuple(rng.uniform(0, 1000, 2)) for n in ties}
    metrics = pd.DataFrame({"betweenness": rng.uniform(0, 1, 10_000)}, index=[str(n) for n in graph.nodes])
    view = nf.NetworkView(focus=frozenset(nw.neighbourhood(ties, "0", 1)), selected="0")
    figure = nf.network_figure_dict(ties, positions, metrics, view, toggles=True)
    # 2 kinds of tie + 5 sectors + the focus's 2 kinds of tie + the chosen actor (37 when split by pairs).
    assert len(figure["data"]) == 10
    assert sum(len(_numbers(tr["x"])) for tr in figure["data"] if tr["meta"] == "actors") == 10_000
    # What a focus sends: the fading and the hub's own ties, never the network's 50,000 ties again.
    changes = nf.network_patch(figure, sectors=False, focus=True)
    assert not any(path == ("x",) for _, path, _ in changes)
    focus_ties = sum(_segments(v["x"]) for _, path, v in changes if path == () and v["mode"] == "lines")
    assert focus_ties >= graph.degree(0)
    # 50,000 ties are too many to redraw faded: the focus hides them and draws its own on top; the
    # actors stay, faded. Without a focus every tie is drawn again.
    assert nf.hides_ties(nw.tie_arrays(ties), view)
    background = [v for i, path, v in changes if path == ("visible",) and figure["data"][i]["meta"] == "ties"]
    assert background and not any(background)
    unfocused = nf.network_figure_dict(ties, positions, metrics, nf.NetworkView(), toggles=True)
    assert all(tr["visible"] for tr in unfocused["data"] if tr["meta"] == "ties")


def test_webgl_sector_filter_patches_the_ties_shown_and_visibility_and_the_table_starts_again(big):
    controls = {**CONTROLS, "pilot": "big", "view": "webgl"}
    first = cb.update(big, controls, "", None)
    traces = first["figure"]["data"]
    shown = cb.update(big, {**controls, "sectors": ["public"]}, "", ids.NETWORKS_SECTORS, first["drawn"])
    changed = _changes(shown["figure"])
    by_name = {
        traces[i]["name"]: v
        for (i, path), v in changed.items()
        if path == ("visible",) and traces[i]["meta"] == "actors"
    }
    assert by_name == {"citizen": False, "public": True}
    # The ties' trace now holds only the public–public ones; the focus's traces (empty) are resent.
    graph = big.derived.networks.analysis("big", "all").ties
    public = sum(1 for u, v in graph.edges() if int(u) % 2 == 0 and int(v) % 2 == 0)
    assert _segments(changed[0, ("x",)]) == public and changed[0, ("visible",)] is True
    assert {path for (i, path) in changed if traces[i]["meta"] == "focus"} == {()}
    assert shown["mode"].startswith("WebGL drawing: 450 actors")
    assert "Page 1 of 18: actors 1–25 of 450." in text_of(shown["table"])
    # The drawing's change is the ties shown: a fraction of the whole drawing.
    assert _sent({"figure": shown["figure"]}) * 3 < _sent({"figure": first["figure"]})
    assert _sent(shown) * 2 < _sent(first)


def test_a_forged_or_stale_drawing_state_gets_the_whole_drawing(big):
    controls = {**CONTROLS, "pilot": "big", "view": "webgl", "find": "Actor 7"}
    first = cb.update(big, {**controls, "find": ""}, "", None)
    for drawn in (
        {**first["drawn"], "version": "an older dataset"},
        {**first["drawn"], "drawing": "<script>"},
        {**first["drawn"], "query": {"pilot": "big", "focus": "nobody"}},
        "not a dict",
    ):
        out = cb.update(big, controls, "", ids.NETWORKS_FIND, drawn)
        assert isinstance(out["figure"], dict) and "data" in out["figure"], drawn


def test_the_table_shows_page_one_of_n_and_its_buttons_turn_it(big):
    controls = {**CONTROLS, "pilot": "big", "view": "webgl", "size": "degree"}
    first = cb.update(big, controls, "", None)
    assert first["table_status"] == "Page 1 of 36: actors 1–25 of 900."
    assert first["table_page"] == 1
    frame = big.derived.networks.analysis("big", "all").nodes.sort_values(
        ["degree", "degree"], ascending=False
    )

    def labels(table) -> list[str]:
        rows = [r for r in _rows(table)]
        return [text_of(r.children[0]) for r in rows]

    assert labels(first["table"]) == list(frame["label"][:25])
    second = cb.turn_page(big, controls, 1, ids.NETWORKS_TABLE_NEXT)
    assert second["table_page"] == 2 and second["table_status"] == "Page 2 of 36: actors 26–50 of 900."
    assert labels(second["table"]) == list(frame["label"][25:50])
    last = cb.turn_page(big, controls, 2, ids.NETWORKS_TABLE_LAST)
    assert (
        last["table_status"] == "Page 36 of 36: actors 876–900 of 900." and len(labels(last["table"])) == 25
    )
    assert cb.turn_page(big, controls, 36, ids.NETWORKS_TABLE_NEXT)["table_page"] == 36  # stays at the end
    assert cb.turn_page(big, controls, "<x>", ids.NETWORKS_TABLE_PREV)["table_page"] == 1
    assert cb.turn_page(big, controls, 5, ids.NETWORKS_TABLE_FIRST)["table_page"] == 1
    # The caption names the page, so a screen reader knows which rows these are.
    assert "Page 2 of 36" in text_of(_caption(second["table"]))


def _rows(component) -> list:
    from dash import html

    return [row for body in of_type(component, html.Tbody) for row in body.children]


def _caption(component):
    from dash import html

    (caption,) = of_type(component, html.Caption)
    return caption


def test_the_pager_is_labelled_and_every_button_is_a_real_button(hull):
    from layouts import networks as page
    from tests.helpers import by_id

    layout = page.layout(hull, {"pilot": "hull"}, "standard")
    for cid in (
        ids.NETWORKS_TABLE_FIRST,
        ids.NETWORKS_TABLE_PREV,
        ids.NETWORKS_TABLE_NEXT,
        ids.NETWORKS_TABLE_LAST,
    ):
        assert by_id(layout, cid).type == "button"
    status = by_id(layout, ids.NETWORKS_TABLE_STATUS)
    assert status.role == "status"


def test_a_new_pilot_leaves_all_phases_alone_so_all_pilots_compared_is_not_redrawn(hull):
    kept = cb.controls_for_pilot(hull, "turku", ids.NETWORKS_PILOT, phase="all")
    assert kept["phase"] is no_update and kept["find"] == ""
    assert cb.controls_for_pilot(hull, "turku", ids.NETWORKS_PILOT, phase="co-design")["phase"] == "all"


def test_all_pilots_compared_groups_a_large_network_by_sector_and_says_so(big):
    out = cb.compare_all(big, "all", "degree", "", near=True)
    figure = out["multiples"].children[0].figure
    # 900 actors and 1,200 ties: one circle per sector, sized by its actors, not 900 markers.
    circles = [tr for tr in figure.data if tr.mode == "markers"]
    assert sorted(tr.name for tr in circles) == ["citizen", "public"]
    assert sorted(tr.text[0] for tr in circles) == ["citizen (450 actors)", "public (450 actors)"]
    assert sum(len(tr.x) for tr in figure.data) < 10
    assert "Too many actors for a small chart in Big: drawn grouped by sector" in text_of(out["multiples"])
    # A network a small chart can show is drawn actor by actor, and the caption says nothing of groups.
    panel = nf.Panel("Big", *_small_network())
    assert not nf.drawn_grouped(panel)
    drawn = nf.small_multiples_figure([panel])
    assert sum(len(tr.x) for tr in drawn.data if tr.mode == "markers") == 3


def _small_network():
    multi = _multigraph(
        [("a", "b", "partnership", "", "published")], {"a": "public", "b": "citizen", "c": "public"}
    )
    analysis = nw.NetworkStore(_FakeSnapshot({"s": multi})).analysis("s", nw.ALL_PHASES)
    return analysis.ties, analysis.positions(), analysis.nodes
