"""The Networks page sends only what changed: a focus, filter or highlight is a Patch of the drawing,
what did not change is not sent, and the actors' table comes a page at a time."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import plotly.utils
import pytest
from dash import Patch, no_update

from callbacks import networks as cb
from crosspilot.dataset import BUNDLED, load_dataset
from layouts import ids
from tests.helpers import context_of, text_of
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


def test_webgl_focus_is_a_patch_of_the_actors_opacity_and_outline_only(big):
    controls = {**CONTROLS, "pilot": "big", "view": "webgl"}
    first = cb.update(big, controls, "", None)
    traces = first["figure"]["data"]
    actors = [i for i, tr in enumerate(traces) if tr["mode"] == "markers"]
    found = cb.update(big, {**controls, "find": "Actor 7"}, "", ids.NETWORKS_FIND, first["drawn"])
    operations = _operations(found["figure"])
    assert {tuple(op["location"][2:]) for op in operations} == {("marker", "opacity"), ("marker", "line")}
    assert {op["location"][1] for op in operations} == set(actors)
    # Actor 7 (a citizen) is outlined in the panel's colour; everyone outside its neighbourhood faded.
    citizens = next(i for i in actors if traces[i]["name"] == "citizen")
    line = next(op for op in operations if op["location"] == ["data", citizens, "marker", "line"])
    assert line["params"]["value"]["color"].count(cb.nf.SELECTED_COLOUR) == 1
    assert found["elements"] is no_update and found["table"] is no_update
    assert _sent(found) * 4 < _sent(first)  # what travels: a fraction of the drawing


def test_webgl_sector_filter_is_a_patch_of_visibility_and_the_table_starts_again(big):
    controls = {**CONTROLS, "pilot": "big", "view": "webgl"}
    first = cb.update(big, controls, "", None)
    traces = first["figure"]["data"]
    shown = cb.update(big, {**controls, "sectors": ["public"]}, "", ids.NETWORKS_SECTORS, first["drawn"])
    operations = _operations(shown["figure"])
    assert {op["location"][2] for op in operations} == {"visible"}
    visible = {op["location"][1]: op["params"]["value"] for op in operations}
    by_name = {traces[i]["name"]: v for i, v in visible.items() if traces[i]["mode"] == "markers"}
    assert by_name == {"citizen": False, "public": True}
    # Ties are kept by the pair of sectors they join: only public–public ones stay visible.
    assert {
        (traces[i]["legendgroup"], bool(v))
        for i, v in visible.items()
        if traces[i]["mode"] == "lines" and traces[i].get("meta") != "legend"
    } == {("Illustrative ties", True), ("Illustrative ties", False)}
    assert shown["mode"].startswith("WebGL drawing: 450 actors")
    assert "Page 1 of 9: actors 1–50 of 450." in text_of(shown["table"])
    # The drawing's change is a few hundred bytes; the table's new first page is most of the answer.
    assert _sent({"figure": shown["figure"]}) * 50 < _sent({"figure": first["figure"]})
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
    assert first["table_status"] == "Page 1 of 18: actors 1–50 of 900."
    assert first["table_page"] == 1
    frame = big.derived.networks.analysis("big", "all").nodes.sort_values(
        ["degree", "degree"], ascending=False
    )

    def labels(table) -> list[str]:
        rows = [r for r in _rows(table)]
        return [text_of(r.children[0]) for r in rows]

    assert labels(first["table"]) == list(frame["label"][:50])
    second = cb.turn_page(big, controls, 1, ids.NETWORKS_TABLE_NEXT)
    assert second["table_page"] == 2 and second["table_status"] == "Page 2 of 18: actors 51–100 of 900."
    assert labels(second["table"]) == list(frame["label"][50:100])
    last = cb.turn_page(big, controls, 2, ids.NETWORKS_TABLE_LAST)
    assert (
        last["table_status"] == "Page 18 of 18: actors 851–900 of 900." and len(labels(last["table"])) == 50
    )
    assert cb.turn_page(big, controls, 18, ids.NETWORKS_TABLE_NEXT)["table_page"] == 18  # stays at the end
    assert cb.turn_page(big, controls, "<x>", ids.NETWORKS_TABLE_PREV)["table_page"] == 1
    assert cb.turn_page(big, controls, 5, ids.NETWORKS_TABLE_FIRST)["table_page"] == 1
    # The caption names the page, so a screen reader knows which rows these are.
    assert "Page 2 of 18" in text_of(_caption(second["table"]))


def _rows(component) -> list:
    from dash import html

    found = []

    def walk(c):
        if isinstance(c, html.Tbody):
            found.extend(c.children)
            return
        children = getattr(c, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "children"):
                walk(child)

    walk(component)
    return found


def _caption(component):
    from dash import html

    children = getattr(component, "children", None)
    if isinstance(component, html.Caption):
        return component
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "children") and (found := _caption(child)) is not None:
            return found
    return None


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
