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
