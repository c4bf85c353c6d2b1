"""Networks page in headless Chromium: choose a pilot, click an actor, read its panel."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.conftest import make_app
from tests.datasets import write_tables

PORT = 8152


@pytest.fixture
def app():
    return make_app()


def _tap(dash_duo, node_id: str) -> None:
    # A real tap on the canvas at the node's rendered position, as a user's click.
    dash_duo.driver.execute_script(
        """
        var cy = document.getElementById('networks-cyto')._cyreg.cy;
        cy.getElementById(arguments[0]).emit('tap');
        """,
        node_id,
    )


def test_select_a_pilot_click_an_actor_and_read_its_panel(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/networks")
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Networks", timeout=10)
    Select(dash_duo.find_element("#networks-pilot")).select_by_value("hull")
    dash_duo.wait_for_contains_text("#networks-summary", "Hull", timeout=10)
    assert "pilot=hull" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text("#networks-mode", "11 actors", timeout=10)
    _tap(dash_duo, "interserve")
    dash_duo.wait_for_contains_text(
        "#networks-panel", "Interserve Community Rehabilitation Company", timeout=10
    )
    panel = dash_duo.find_element("#networks-panel").text
    assert "Betweenness" in panel and "shortest route" in panel
    assert "Ranked 1 of 11 by betweenness" in panel
    # The legend stays on screen and names the sectors drawn.
    legend = dash_duo.find_element("#networks-legend").text
    assert "commercial" in legend and "Illustrative" in legend
    assert dash_duo.get_logs() == []


def test_find_an_actor_by_keyboard_focuses_and_writes_the_url(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/networks?pilot=hull")
    dash_duo.wait_for_contains_text("#networks-summary", "Hull", timeout=10)
    box = dash_duo.find_element("#networks-find")
    box.send_keys("Manchester\n")
    dash_duo.wait_for_contains_text("#networks-panel", "Manchester Metropolitan University", timeout=10)
    assert "focus=mmu" in dash_duo.driver.current_url
    faded = dash_duo.driver.execute_script(
        "return document.getElementById('networks-cyto')._cyreg.cy.nodes('.faded').length;"
    )
    assert faded > 0
    assert dash_duo.get_logs() == []


def _big_dataset(folder: Path) -> Path:
    """A dataset whose network is too big for cytoscape (900 actors, 1,200 ties): drawn with WebGL."""
    data = write_tables(folder)
    graph = nx.gnm_random_graph(900, 1200, seed=3)
    network = nx.Graph()
    for n in graph.nodes:
        network.add_node(f"a{n}", label=f"Actor {n}", sector=("public", "citizen")[n % 2], status="published")
    for u, v in graph.edges:
        network.add_edge(f"a{u}", f"a{v}", relation="partnership", status="illustrative")
    (data / "networks").mkdir()
    (data / "networks" / "voru.json").write_text(json.dumps(nx.node_link_data(network, edges="links")))
    return data


_DRAWN = """
var gd = document.querySelector('#networks-webgl .js-plotly-plot');
if (!gd || !gd._fullData) { return null; }
var points = 0, segments = 0, gaps = 0, inside = true;
gd._fullData.forEach(function (t) {
  // Sectors filtered out stay in the figure, invisible; the focus's traces draw what is already drawn.
  if (t.visible !== true || t.meta === 'focus') { return; }
  for (var i = 0; i < t.x.length; i++) {
    var x = t.x[i];
    if (x === null || Number.isNaN(x)) { gaps++; } else if (x < 0 || x > 1000) { inside = false; }
  }
  if (t.mode === 'markers') { points += t.x.length; } else { segments += t.x.length / 3; }
});
return [points, segments, gaps, inside];
"""


def test_a_big_network_is_drawn_with_webgl_and_filters_redraw_it(dash_duo, tmp_path):
    dash_duo.start_server(make_app(_big_dataset(tmp_path)), port=PORT)
    # Drawn with WebGL whatever the filter leaves (automatic would switch to cytoscape below 1,500).
    dash_duo.wait_for_page(f"{dash_duo.server_url}/networks?pilot=voru&view=webgl")
    dash_duo.wait_for_contains_text("#networks-mode", "WebGL drawing: 900 actors, 1,200 ties.", timeout=15)
    # Every actor and tie reaches the browser (numbers travel as typed arrays, decoded by plotly.js).
    until(lambda: dash_duo.driver.execute_script(_DRAWN) == [900, 1200, 1200, True], timeout=15)
    # Hide the citizens, by keyboard: only public actors and the ties between two of them stay.
    label = dash_duo.find_element(
        "//div[@id='networks-sectors']//label[normalize-space()='citizen']", "xpath"
    )
    dash_duo.find_element(label.get_attribute("for"), "id").send_keys(Keys.SPACE)
    dash_duo.wait_for_contains_text("#networks-mode", "WebGL drawing: 450 actors", timeout=15)
    mode = dash_duo.find_element("#networks-mode").text
    ties = int(mode.split("450 actors, ")[1].split(" ties")[0].replace(",", ""))  # "1,024": the Formatter
    assert 0 < ties < 1200
    until(lambda: dash_duo.driver.execute_script(_DRAWN) == [450, ties, ties, True], timeout=15)
    assert "sectors=public" in dash_duo.driver.current_url
    # The actors' table, a page at a time, by keyboard: the focus stays on the button pressed.
    status = "#networks-table-status"
    dash_duo.wait_for_text_to_equal(status, "Page 1 of 18: actors 1–25 of 450.", timeout=10)
    dash_duo.find_element("#networks-table-next").send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal(status, "Page 2 of 18: actors 26–50 of 450.", timeout=10)
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == "networks-table-next"
    assert len(dash_duo.find_elements("#networks-table tbody tr")) == 25
    dash_duo.find_element("#networks-table-last").send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal(status, "Page 18 of 18: actors 426–450 of 450.", timeout=10)
    assert dash_duo.get_logs() == []


_WATCH_MODE = """
window.modeTexts = [];
new MutationObserver(function () {
  var mode = document.getElementById('networks-mode');
  var text = mode ? mode.textContent : '';
  if (text && text !== window.modeTexts[window.modeTexts.length - 1]) { window.modeTexts.push(text); }
}).observe(document.body, {childList: true, subtree: true, characterData: true});
"""


def test_a_large_cold_network_is_analysed_in_the_background_then_drawn(dash_duo, tmp_path):
    from app import create_app
    from crosspilot.config import Config

    app = create_app(Config(data_dir=_big_dataset(tmp_path / "data"), cache_dir=tmp_path / "cache"))
    store = app.context.derived.networks
    store.inline_actors = 100  # the 900-actor network counts as large: its analysis goes to the job
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(dash_duo.server_url)
    dash_duo.wait_for_element("#shell-content h1", timeout=10)
    # Every text the Networks page says about its drawing, from the click on, in order.
    dash_duo.driver.execute_script(_WATCH_MODE)
    dash_duo.find_element("a.nav-link[href='/networks']").click()
    # Too many actors to read at once: the first view groups them by sector.
    dash_duo.wait_for_contains_text("#networks-mode", "Grouped by sector: 2 groups", timeout=30)
    said = dash_duo.driver.execute_script("return window.modeTexts;")
    # First the page answered at once and said why nothing was drawn yet; then the job's answer drew.
    assert "laid out and measured for the first time, in the background" in said[0]
    assert said[-1].startswith("Grouped by sector")
    # Every actor is one press away (by keyboard: the button sits at the screen's lower edge).
    dash_duo.find_element("#networks-draw-all").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#networks-mode", "WebGL drawing: 900 actors, 1,200 ties.", timeout=30)
    until(lambda: dash_duo.driver.execute_script(_DRAWN) == [900, 1200, 1200, True], timeout=15)
    until(lambda: "view=webgl" in dash_duo.driver.current_url, timeout=5)
    # Computed by the background process into the shared cache, never inside a request.
    assert store.computed == {}
    assert list((tmp_path / "cache" / "networks").glob("metrics-*.json"))
    box = "#networks-progress-box"
    until(lambda: dash_duo.find_element(box).value_of_css_property("display") == "none", timeout=10)
    assert dash_duo.get_logs() == []


_BOXES = """
return Array.from(document.querySelectorAll(arguments[0])).map(function (e) {
    var r = e.getBoundingClientRect();
    return {text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
});
"""


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]


def _scroll_to_all_pilots_compared(dash_duo) -> None:
    # Once the parts above are drawn: scrolled to before, it is pushed back down below the screen.
    dash_duo.wait_for_contains_text("#networks-table", "Page 1 of", timeout=10)
    section = dash_duo.find_element("#networks-compare")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView()", section)


def test_all_pilots_compared_is_drawn_when_the_reader_comes_near_it(dash_duo, app):
    dash_duo.driver.set_window_size(1280, 800)
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/networks?pilot=hull")
    dash_duo.wait_for_contains_text("#networks-table", "Interserve", timeout=10)
    # A change above it redraws the pilot's network, and still not the section below the screen.
    Select(dash_duo.find_element("#networks-size")).select_by_value("degree")
    until(lambda: "size=degree" in dash_duo.driver.current_url, timeout=10)
    dash_duo.wait_for_contains_text("#networks-legend", "Size: Ties.", timeout=10)
    assert dash_duo.find_elements("#networks-compare .js-plotly-plot") == []
    assert dash_duo.find_element("#networks-compare-chart").text == "Drawn when you scroll down to it."
    _scroll_to_all_pilots_compared(dash_duo)
    dash_duo.wait_for_element("#networks-multiples-figure .js-plotly-plot", timeout=20)
    dash_duo.wait_for_element("#networks-compare-figure .js-plotly-plot", timeout=20)
    dash_duo.wait_for_contains_text("#networks-compare-table", "Hull", timeout=10)
    # Drawn with the page's choices: sizes by ties, as chosen above.
    assert "sizes (ties)" in dash_duo.find_element("#networks-multiples").text
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize(("theme", "smallest"), [("standard", 12), ("projector", 20)])
def test_all_pilots_compared_is_readable_at_1280x800(dash_duo, app, theme, smallest):
    dash_duo.driver.set_window_size(1280, 800)
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/networks?pilot=houten&theme={theme}")
    _scroll_to_all_pilots_compared(dash_duo)
    metrics = "#networks-compare-figure .annotation-text"
    until(lambda: len(dash_duo.driver.execute_script(_BOXES, metrics)) == 10, timeout=20)
    titles = dash_duo.driver.execute_script(_BOXES, metrics)
    # Each metric's title stands apart ("Degree centralisation", not "…centralisationCommunities…").
    assert _overlapping(titles) == [], titles
    assert max(t["right"] for t in titles) <= 1280
    # Titles side by side keep a clear gap, and each panel has room for its bars and values.
    rows = {}
    for title in titles:
        rows.setdefault(round(title["top"]), []).append(title)
    for row in rows.values():
        row.sort(key=lambda t: t["left"])
        assert all(b["left"] - a["right"] >= 40 for a, b in zip(row, row[1:], strict=False)), row
    widths = dash_duo.driver.execute_script(
        """
        var layout = document.querySelector('#networks-compare-figure .js-plotly-plot')._fullLayout;
        return Object.keys(layout).filter(function (k) { return /^xaxis[0-9]*$/.test(k); })
            .map(function (k) { return layout._size.w * (layout[k].domain[1] - layout[k].domain[0]); });
        """
    )
    assert len(widths) == 10 and min(widths) >= 250, widths
    multiples = "#networks-multiples-figure .annotation-text"
    until(lambda: len(dash_duo.driver.execute_script(_BOXES, multiples)) >= 10, timeout=20)
    assert _overlapping(dash_duo.driver.execute_script(_BOXES, multiples)) == []
    # The table under the chart says what each pilot's metrics are computed from.
    dash_duo.wait_for_contains_text("#networks-compare-table", "computed from 16 illustrative of 20 ties")
    # Node labels at the fitted zoom: at least 12 px (20 on a projector), never shrunk below.
    label = dash_duo.driver.execute_script(
        """
        var cy = document.getElementById('networks-cyto')._cyreg.cy, n = cy.nodes('[label != ""]')[0];
        return [parseFloat(n.style('font-size')) * cy.zoom(), parseFloat(n.style('min-zoomed-font-size'))];
        """
    )
    assert label[0] >= smallest and label[1] == smallest, label
    assert dash_duo.get_logs() == []
