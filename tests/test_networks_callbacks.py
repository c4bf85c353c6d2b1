"""Every Networks callback called directly, as its adapter calls it, and one through Dash's HTTP route."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from dash import no_update

from callbacks import networks as cb
from crosspilot.dataset import BUNDLED, load_dataset
from layouts import ids
from layouts.common import ANY
from tests.helpers import context_of, post_callback, text_of

CONTROLS = {
    "pilot": "hull",
    "phase": "all",
    "before": ANY,
    "sectors": None,
    "relations": None,
    "find": "",
    "steps": "1",
    "size": "betweenness",
    "view": "auto",
}


@pytest.fixture(scope="module")
def context():
    return context_of(load_dataset(BUNDLED).snapshot)


def test_update_draws_the_network_and_writes_the_view_in_the_url(context):
    out = cb.update(context, {**CONTROLS, "find": "Manchester", "steps": "2"}, "?theme=projector", "x")
    assert out["mode"].startswith("Interactive graph: 11 actors, 16 ties.")
    assert out["url"] == "?pilot=hull&focus=mmu&steps=2&theme=projector"
    faded = [e for e in out["elements"] if "faded" in e["classes"] and "source" not in e["data"]]
    assert faded and all(e["data"]["id"] != "mmu" for e in faded)
    assert "Hull and the East Riding: My Direction in all phases: 11 actors and 16 ties" in text_of(
        out["summary"]
    )
    assert out["notices_open"] is False


def test_as_the_page_loads_update_keeps_the_links_notices_and_the_url(context):
    out = cb.update(context, CONTROLS, "?pilot=hull&zoom=3", None)
    assert out["url"] is no_update and out["notices"] is no_update


def test_update_says_what_it_could_not_follow(context):
    out = cb.update(context, {**CONTROLS, "find": "Nobody at all", "sectors": []}, "", "x")
    text = text_of(out["notices"])
    assert "No actor called 'Nobody at all' in this network." in text
    assert "sectors=" in text  # nothing ticked: said, and every actor shown
    assert out["notices_open"] is True and out["mode"].startswith("Interactive graph: 11 actors")


def test_update_shows_what_changed_between_two_phases(context):
    out = cb.update(context, {**CONTROLS, "phase": "co-implementation", "before": "co-design"}, "", "x")
    diff = text_of(out["diff"])
    assert "From co-design to co-implementation: 10 tie(s) added, 4 removed, 2 kept." in diff
    marks = {e["data"]["change_mark"] for e in out["elements"] if "source" in e["data"]}
    assert marks == {"+", "−", ""}
    legend = text_of(out["legend"])
    assert "Line colour and mark: what changed" in legend and "removed: thick, marked −" in legend
    # The ties are drawn in their change's colour: the legend gives relations no colour of their own.
    assert "Line: relation (middle mark)" in legend and "colour and middle mark" not in legend
    # What changed is computed from the ties of both phases: all 16 of Hull's, 11 illustrative (edges.csv).
    assert "computed from 11 illustrative of 16 ties" in diff


def test_a_new_pilot_resets_its_controls_and_show_everyone_clears_the_search(context):
    reset = cb.controls_for_pilot(context, "turku", ids.NETWORKS_PILOT)
    assert reset["phase"] == "all" and reset["before"] == ANY and reset["find"] == ""
    assert {o["value"] for o in reset["sector_options"]} == set(reset["sectors"])
    assert "commercial" not in reset["sectors"]  # Turku has no commercial actors
    assert reset["before_options"][0] == {"label": "(no comparison)", "value": ANY}
    cleared = cb.controls_for_pilot(context, "turku", ids.NETWORKS_CLEAR)
    assert cleared["find"] == "" and cleared["phase"] is no_update
    assert all(
        v is no_update for v in cb.controls_for_pilot(context, "atlantis", ids.NETWORKS_PILOT).values()
    )


def test_the_actor_panel_follows_a_tap_a_webgl_click_or_the_search(context):
    tapped = cb.actor_panel(context, {"id": "interserve"}, None, "", "hull", "all", ids.NETWORKS_CYTO)
    assert "Ranked 1 of 11 by betweenness" in text_of(tapped)
    clicked = {"points": [{"customdata": "mmu"}]}
    assert "Manchester Metropolitan University" in text_of(
        cb.actor_panel(context, None, clicked, "", "hull", "all", ids.NETWORKS_WEBGL)
    )
    found = cb.actor_panel(context, None, None, "manchester", "hull", "co-design", ids.NETWORKS_FIND)
    assert "in co-design" in text_of(found)
    empty = text_of(cb.actor_panel(context, {"id": "<ghost>"}, None, "", "hull", "all", ids.NETWORKS_CYTO))
    assert empty.startswith("Actor Click an actor")


def test_exports_name_the_pilot_and_the_csv_keeps_plain_numbers(context):
    assert cb.export_image(context, "hull", ids.NETWORKS_SVG)["type"] == "svg"
    assert cb.export_image(context, "<x>", ids.NETWORKS_PNG) == {
        "type": "png",
        "action": "download",
        "filename": "crosspilot-network-network",
    }
    sent = cb.export_csv(context, "hull", "co-design")
    assert sent["filename"] == "crosspilot-hull-co-design-actors.csv"
    rows = pd.read_csv(io.StringIO(sent["content"]))
    assert len(rows) == 11 and rows["betweenness"].dtype == float
    assert cb.export_csv(context, "atlantis", "all") is no_update


def test_all_pilots_compared_writes_shares_as_percentages_and_is_built_once(context):
    first = cb.compare_all(context, "co-design", "degree", "")
    table = text_of(first["table"])
    # Pilots by their short label (the place), so that eleven panels stay readable.
    assert "Hull and the East Riding" in table and "My Direction" not in table and "%" in table
    chart = first["chart"].children[0].figure
    shares = [bar for bar in chart.data if bar.hovertemplate.endswith("<extra>Ties with citizens</extra>")]
    assert shares and all(text.rstrip(" †*").endswith("%") for bar in shares for text in bar.text)
    assert cb.compare_all(context, "co-design", "degree", "") is first
    assert "sizes (ties)" in text_of(first["multiples"])


def test_the_update_callback_answers_over_http_with_its_grouped_outputs(cosie_app):
    client = cosie_app.server.test_client()
    callbacks = json.loads(client.get("/_dash-dependencies").data)
    (update,) = [c for c in callbacks if f"{ids.NETWORKS_MODE}.children" in c["output"]]
    values = {**CONTROLS, "view": "webgl"}
    by_id = {cid: values[name] for name, cid in cb.CONTROLS.items()}
    # The background job's answer (networks-ready) has not come: nothing was asked of it.
    inputs = [{**i, "value": by_id.get(i["id"])} for i in update["inputs"]]
    state = [{**s, "value": "?pilot=hull" if s["id"] == ids.URL else None} for s in update["state"]]
    outputs = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
        for part in update["output"].strip(".").split("...")
    ]
    response = post_callback(client, update["output"], outputs, inputs, [ids.NETWORKS_VIEW + ".value"], state)
    assert response.status_code == 200, response.data[:300]
    body = json.loads(response.data)["response"]
    assert body[ids.NETWORKS_MODE]["children"].startswith("WebGL drawing: 11 actors, 16 ties.")
