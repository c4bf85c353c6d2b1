"""The Compare callbacks, called directly as Dash calls them (dict-grouped controls), and once over HTTP."""

from __future__ import annotations

import csv
import io
import json

import pytest
from dash import no_update

from callbacks.compare import CONTROLS, csv_download, update, update_table, view_from_controls
from tests.helpers import markers, post_callback, text_of


@pytest.fixture(scope="module")
def context(cosie_app):
    return cosie_app.context


def controls(**changes):
    """The controls as the page draws them for the default view, with `changes`."""
    values = {
        "indicators": ["participants"],
        "pilots": [],
        "start": "*",
        "end": "*",
        "group": "*",
        "mode": "absolute",
        "form": "dots",
    }
    return {**values, **changes}


def test_a_changed_control_redraws_the_chart_and_writes_the_url_keeping_the_theme(context):
    out = update(context, controls(mode="indexed"), "?theme=projector")
    assert out["search"] == "?mode=indexed&theme=projector"
    assert markers(out["figure"]) == {"Võru county": 389.0}
    assert out["figure"].layout.title.text.endswith("Indexed (baseline = 100)")
    # Võru's baseline is one event (about 100 people), its latest a five-year cumulative total (389):
    # the badge says so, and the change is not called better.
    badge = text_of(out["badge"])
    assert "Not directly comparable" in badge
    assert "from one event (2018-10-05) to cumulative total" in badge and "not called better" in badge
    assert "only one period" not in text_of(out["summary"]) and "No data for" in text_of(out["summary"])
    assert out["notice"] is None


def test_values_the_browser_should_never_send_fall_back_to_defaults_with_a_notice(context):
    out = update(
        context,
        {"indicators": "x", "pilots": ["nowhere"], "start": 5, "mode": "evil", "form": "pie"},
        "?mode=indexed",
    )
    notice = text_of(out["notice"])
    assert "No indicator was chosen" in notice and "nowhere" in notice and "'pie'" in notice
    assert out["search"] == ""  # back to the default view: an empty query
    assert set(markers(out["figure"])) >= {"Võru county", "Valencia"}
    assert update(context, None, None)["notice"] is not None  # not even a dict: defaults, said so


def test_controls_that_show_the_links_view_change_nothing(context):
    # A component reporting its value as it mounts must not redraw, nor wipe the link's notices.
    assert update(context, controls(mode="indexed"), "?mode=indexed&x=1") == dict.fromkeys(
        ("figure", "badge", "summary", "notice", "search"), no_update
    )
    assert update_table(context, controls(), "") == {"table": no_update, "sources": no_update}


def test_the_table_lists_the_plotted_values_formatted_and_the_sources(context):
    out = update_table(context, controls(indicators=["tweets"]), "")
    table = text_of(out["table"])
    assert "1,470" in table and "1470" not in table  # the one Formatter, as on every other page
    assert "Valencia" in table
    assert text_of(out["sources"])  # the sources of the plotted values are listed


def test_csv_download_is_the_checked_view_of_the_controls(context):
    assert csv_download(context, None, controls()) is no_update
    sent = csv_download(context, 1, controls(pilots=["voru", "turku"]))
    assert sent["filename"] == "crosspilot-compare.csv"
    rows = list(csv.DictReader(io.StringIO(sent["content"])))
    assert [(r["pilot_id"], r["value"], r["status"]) for r in rows] == [
        ("voru", "389", "published"),
        ("turku", "", ""),
    ]
    assert rows[1]["no_data"] == "no value in the selected periods"
    tweets = csv_download(context, 2, controls(indicators=["tweets"]))["content"]
    assert ",1470," in tweets  # machine numbers in the CSV, never "1,470"


def test_view_from_controls_reads_the_native_selects_every_option(context):
    view, notices = view_from_controls(context.derived, controls(start="2018", group="*", form="lines"))
    assert view.periods == ("2018", "") and view.group == "" and view.form == "lines" and notices == []


def test_the_wired_callback_answers_the_browsers_request(cosie_app):
    """Over HTTP as the browser sends it: the dict-grouped inputs arrive as a flat list, in order."""
    client = cosie_app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    chart = next(d for d in deps if "compare-graph.figure" in d["output"])
    values = controls(mode="change", indicators=["participants"])
    inputs = [{"id": CONTROLS[name], "property": "value", "value": values[name]} for name in CONTROLS]
    outputs = [
        dict(zip(("id", "property"), o.split("."), strict=True))
        for o in chart["output"].strip(".").split("...")
    ]
    response = post_callback(
        client,
        chart["output"],
        outputs,
        inputs,
        [f"{CONTROLS['mode']}.value"],
        state=[{"id": "shell-url", "property": "search", "value": ""}],
    )
    assert response.status_code == 200, response.data[:300]
    body = response.get_json()["response"]
    assert body["shell-url"]["search"] == "?mode=change"
    figure = body["compare-graph"]["figure"]
    assert "Change from baseline" in json.dumps(figure["layout"]["title"])


@pytest.mark.parametrize(
    ("mode", "form"),
    [("change_pct", "dots"), ("indexed", "dots"), ("absolute", "slope"), ("change_pct", "slope")],
)
def test_the_badge_and_its_reason_come_with_every_mode_and_the_slope_on_mixed_bases(context, mode, form):
    out = update(context, controls(mode=mode, form=form), "")
    badge = text_of(out["badge"])
    assert "Not directly comparable" in badge
    # Võru: about 100 people at one event, against 389 over five years, cumulative.
    assert "Võru county: the change runs from one event (2018-10-05) to cumulative total" in badge
    annotations = [a.text for a in out["figure"].layout.annotations]
    assert "⚠ Not directly comparable" in annotations
    hover = " ".join(str(h) for trace in out["figure"].data for h in (trace.hovertext or ()))
    if mode != "absolute":  # a change across bases is never called better: the hover says why
        assert "<br>better<br>" not in hover and "no verdict: different bases" in hover
    else:  # the slope from one event to a five-year total is not drawn as one line
        voru = [list(tr.x) for tr in out["figure"].data if tr.name == "Võru county"]
        assert voru == [["Baseline"], ["Latest"]]
    table = text_of(update_table(context, controls(mode=mode, form=form), "")["table"])
    assert "cumulative total" in table and "not directly comparable" in table


def test_the_csv_of_a_flagged_view_carries_its_assessment(context):
    sent = csv_download(context, 1, controls(mode="change_pct", pilots=["voru", "valencia"]))
    rows = {r["pilot_id"]: r for r in csv.DictReader(io.StringIO(sent["content"]))}
    voru = rows["voru"]
    assert voru["value"] == "289" and voru["basis"] == "cumulative" and voru["baseline_basis"] == "event"
    assert voru["assessment"].startswith("no verdict: different bases (baseline: one event; this value: ")
    assert (
        "not directly comparable: Participants, Võru county: the change runs from one event"
        in voru["assessment"]
    )
    assert rows["valencia"]["assessment"] == ""  # one period only: no value drawn, nothing assessed
