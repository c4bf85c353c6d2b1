"""Every Networks callback called directly, as its adapter calls it, and one through Dash's HTTP route."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from dash import html, no_update

from callbacks import networks as cb
from crosspilot import networks as nw
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.provenance import CSV_COLUMNS
from layouts import ids
from layouts.common import ANY
from tests.helpers import by_id, context_of, of_type, post_callback, text_of

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
    assert "From co-design to co-implementation: 10 ties added, 4 removed, 2 kept." in diff
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
    assert "in Co-design" in text_of(found)
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


def test_all_pilots_compared_is_built_only_once_the_reader_is_near_it(context):
    # Until the browser says the section is near (true, nothing else), nothing is built or sent.
    for near in (False, None, "true", 1, [True]):
        assert cb.compare_all(context, "all", "degree", "", near=near) == dict.fromkeys(
            ("chart", "table", "multiples"), no_update
        )
    assert "sizes (ties)" in text_of(cb.compare_all(context, "all", "degree", "", near=True)["multiples"])


def test_all_pilots_compared_writes_shares_as_percentages_and_is_built_once(context):
    first = cb.compare_all(context, "co-design", "degree", "", near=True)
    table = text_of(first["table"])
    # Pilots by their short label (the place), so that eleven panels stay readable.
    assert "Hull and the East Riding" in table and "My Direction" not in table and "%" in table
    chart = first["chart"].children[0].figure
    shares = [bar for bar in chart.data if bar.hovertemplate.endswith("<extra>Ties with citizens</extra>")]
    assert shares and all(text.rstrip(" †*").endswith("%") for bar in shares for text in bar.text)
    assert cb.compare_all(context, "co-design", "degree", "", near=True) is first
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


def _illustrative_ties(context, pilot: str) -> tuple[int, int]:
    """(illustrative ties, ties) of a pilot counted from the edges table: a tie per pair of actors,
    published when any of its rows is (as data/README.md says)."""
    edges = context.snapshot.edges
    edges = edges[edges["pilot_id"].eq(pilot)]
    pairs = edges.groupby([frozenset(p) for p in zip(edges["source"], edges["target"], strict=True)])
    published = pairs["status"].agg(lambda s: (s == "published").any())
    return int((~published).sum()), len(published)


def test_houtens_metrics_and_findings_say_they_are_computed_from_illustrative_ties(context):
    k, n = _illustrative_ties(context, "houten")
    assert (k, n) == (16, 20)  # the count, from the data
    said = f"computed from {k} illustrative of {n} ties"
    out = cb.update(context, {**CONTROLS, "pilot": "houten"}, "", None)
    metrics = text_of(out["metrics"])
    assert "Degree centralisation : 0.641 \u2020" in metrics  # text_of reads the no-break space as one
    assert metrics.count(said) == len(nw.network_metrics()) - 1  # all but the count of actors
    assert "Actors : 14 How many stakeholders the network has. computed from published data" in metrics
    findings = [text_of(li) for li in out["summary"]]
    assert findings and all(f.endswith("\u2020 " + said) for f in findings)
    assert any("works with the most actors directly (10 of 13)." in f for f in findings)
    assert "Published" not in metrics and "Published" not in " ".join(findings)
    # The actors' table and the clicked actor's panel say it too.
    assert said in text_of(out["table"])
    panel = cb.actor_panel(context, {"id": "municipality"}, None, "", "houten", "all", ids.NETWORKS_CYTO)
    assert said in text_of(panel)


def test_all_pilots_compared_marks_every_value_in_the_table_the_chart_and_the_csv(context):
    out = cb.compare_all(context, "all", "degree", "", near=True)
    table = by_id(out["table"], ids.NETWORKS_COMPARE_TABLE_BODY)
    rows = {
        text_of(tr.children[0]): [text_of(td) for td in tr.children] for tr in of_type(table, html.Tr)[1:]
    }
    k, n = _illustrative_ties(context, "hungary")
    assert rows["Hungary"][-1] == f"\u2020 computed from {k} illustrative of {n} ties" and k == n == 15
    assert rows["Houten"][6] == "0.641 \u2020"  # degree centralisation, marked
    assert rows["Houten"][1] == "14"  # actors: counted from the published stakeholders, no mark
    assert "\u2020 computed in part from illustrative data" in text_of(out["table"])
    chart = out["chart"].children[0].figure
    dotted = [bar for bar in chart.data if bar.marker.pattern.shape == "."]
    assert dotted and all(text.endswith("\u2020") for bar in dotted for text in bar.text)
    assert {bar.name for bar in chart.data if bar.showlegend} == {
        "computed from published data",
        "computed in part from illustrative data \u2020",
    }
    sent = cb.export_comparison_csv(context, "all")
    assert sent["filename"] == "crosspilot-networks-all-compared.csv"
    csv = pd.read_csv(io.StringIO(sent["content"])).set_index("pilot_id")
    assert list(csv.columns[-5:]) == list(CSV_COLUMNS)
    assert csv.loc["houten", "computed_from"] == "computed from 16 illustrative of 20 ties"
    assert (
        csv.loc["houten", "inputs_status"] == "illustrative"
        and csv.loc["houten", "illustrative_inputs"] == 16
    )
    assert csv.loc["houten", "degree_centralisation"] == pytest.approx(0.641, abs=5e-4)
    assert len(csv) == len(context.derived.networks.pilots())
    # The actors' CSV ends with the same columns.
    actors = pd.read_csv(io.StringIO(cb.export_csv(context, "houten", "all")["content"]))
    assert set(actors["computed_from"]) == {"computed from 16 illustrative of 20 ties"}


def test_the_small_multiples_legend_names_every_sector_drawn_once(context):
    out = cb.compare_all(context, "all", "degree", "", near=True)
    figure = out["multiples"].children[0].figure
    drawn = {trace.name for trace in figure.data if trace.mode == "markers"}
    named = [trace.name for trace in figure.data if trace.showlegend]
    assert "informal" in drawn and drawn <= set(named) and len(named) == len(set(named))
    titles = [a.text for a in figure.layout.annotations]
    assert "Houten\u00a0\u2020" in titles and "Hungary\u00a0\u2020" in titles


def test_the_legend_covers_the_outline_of_the_chosen_actor_and_fading(context):
    out = cb.update(context, {**CONTROLS, "find": "Manchester"}, "", "x")
    legend = text_of(out["legend"])
    assert "the actor shown in the panel" in legend and "faded: outside the neighbourhood" in legend
    plain = text_of(cb.update(context, CONTROLS, "", None)["legend"])
    assert "the actor shown in the panel" not in plain and "Line: relation (colour and middle mark)" in plain


@pytest.mark.parametrize(("theme", "smallest"), [("standard", 12), ("projector", 20)])
def test_node_labels_are_never_drawn_smaller_than_12_px_or_20_on_a_projector(theme, smallest):
    from crosspilot.figures.networks import stylesheet

    for height, padding in ((560, 30), (340, 20)):
        node = next(s["style"] for s in stylesheet(theme, height, padding) if s["selector"] == "node")
        # Fitted into the canvas, the 0-1000 layout (and its labels below it) is drawn at this zoom.
        zoom = (height - 2 * padding) / 1100
        assert node["font-size"] * zoom >= smallest
        assert node["min-zoomed-font-size"] == smallest  # smaller than that: hidden, not shrunk
