"""Compare page in headless Chromium: a shared link reproduces the chart; controls write the URL."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import make_app

PORT = 8151
# The drawn figure's traces; numpy arrays reach plotly.js as typed arrays, so copy them to plain ones.
FIGURE_JS = """
const list = (v) => (v == null ? [] : Array.from(v._inputArray || v));
return document.querySelector('#compare-graph .js-plotly-plot').data.map((t) => (
    {mode: t.mode, x: list(t.x), y: list(t.y), text: list(t.text)}));
"""


@pytest.fixture
def app():
    return make_app()


def _marks(dash_duo) -> dict[str, float]:
    """Pilot label -> value of every drawn marker (legend-only traces have no values)."""
    values = {}
    for trace in dash_duo.driver.execute_script(FIGURE_JS):
        if trace.get("mode") == "markers":
            for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
                if x is not None:
                    values[y] = x
    return values


def _wait_for_graph(dash_duo):
    dash_duo.wait_for_element("#compare-graph .js-plotly-plot .scatterlayer", timeout=15)


def test_shared_link_draws_the_same_indexed_chart(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/compare?indicators=participants&mode=indexed")
    _wait_for_graph(dash_duo)
    assert _marks(dash_duo) == {"Võru county": 389}
    # Pilots with a single value are "no data", with the reason, in the table of plotted data.
    dash_duo.wait_for_contains_text("#compare-table", "only one period", timeout=10)
    assert dash_duo.find_element("#compare-mode input[value='indexed']").is_selected()
    # SVG export is drawn by plotly.js in the browser, offline, with the chart's values.
    svg = dash_duo.driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const gd = document.querySelector('#compare-graph .js-plotly-plot');
        Plotly.toImage(gd, {format: 'svg'}).then((url) => done(decodeURIComponent(url)));"""
    )
    assert svg.startswith("data:image/svg+xml") and "Võru county" in svg
    dash_duo.find_element("#compare-svg").send_keys(Keys.ENTER)  # the button: no error either
    assert dash_duo.get_logs() == []


def test_participants_for_all_pilots_shows_values_no_data_and_provenance(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/compare")
    _wait_for_graph(dash_duo)
    assert _marks(dash_duo) == {
        "Võru county": 389,
        "Valencia": 350,
        "Hull and the East Riding": 60,
        "Houten": 40,
        "Wrocław": 35,
    }
    no_data = [t for t in dash_duo.driver.execute_script(FIGURE_JS) if t.get("mode") == "text"][0]
    assert "Jönköping" in no_data["y"] and set(no_data["text"]) == {"no data"}
    assert "Not directly comparable" in dash_duo.find_element("#compare-badge").text
    # Switching the mode (by keyboard) redraws the chart and writes the view into the URL.
    radio = dash_duo.find_element("#compare-mode input[value='indexed']")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
    radio.send_keys(Keys.SPACE)
    dash_duo.wait_for_contains_text("#compare-table", "only one period", timeout=10)
    assert "mode=indexed" in dash_duo.driver.current_url
    assert _marks(dash_duo) == {"Võru county": 389}
    assert dash_duo.get_logs() == []


def test_garbage_link_shows_a_notice_and_the_default_chart(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/compare?form=pie&indicators=%3Cscript%3E&theme=projector")
    _wait_for_graph(dash_duo)
    notice = dash_duo.find_element("#compare-notice").text
    assert "form='pie'" in notice and "indicators=" in notice
    assert _marks(dash_duo)["Võru county"] == 389
    assert dash_duo.find_element("#shell-root").get_attribute("class") == "theme-projector"
    sizes = [
        float(el.value_of_css_property("font-size").rstrip("px"))
        for el in dash_duo.driver.find_elements(By.CSS_SELECTOR, "#compare-graph .ytick text")
    ]
    assert sizes and min(sizes) >= 20
    assert dash_duo.get_logs() == []


def test_a_saved_old_link_opens_its_indicator_with_numbers_as_everywhere_else(dash_duo, app):
    """`/compare?indicator=…` (how the workshop told facilitators to save slides) opens that indicator."""
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/compare?indicator=tweets")
    _wait_for_graph(dash_duo)
    assert _marks(dash_duo) == {"Valencia": 1470}
    assert dash_duo.find_element("#compare-indicators input[value='tweets']").is_selected()
    assert not dash_duo.find_element("#compare-indicators input[value='participants']").is_selected()
    assert dash_duo.find_element("#compare-notice").text == ""  # the old name was understood
    table = dash_duo.find_element("#compare-table").text
    assert "1,470" in table and "1470" not in table
    assert dash_duo.get_logs() == []
