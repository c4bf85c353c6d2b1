"""Snapshots in headless Chromium: "Publish this view" on Compare lands on /s/<id> with the chart drawn
from the frozen data; the citation is reachable by keyboard; the page passes axe; an unknown id says so."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.a11y import ALL_IMPACTS, STRUCTURE, WCAG, axe_violations
from tests.conftest import make_app
from tests.helpers import sign_in_browser

PORT = 8157
FIGURE_JS = """
const list = (v) => (v == null ? [] : Array.from(v._inputArray || v));
const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');
return gd ? gd.data.map((t) => ({mode: t.mode, x: list(t.x), y: list(t.y)})) : null;
"""


@pytest.fixture
def app(tmp_path):
    app = make_app(instance_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'snapshots.db'}")
    app.context.accounts().add("editor@example.org", "editor", "a long test password")  # editors publish
    return app


def _marks(dash_duo, selector: str) -> dict[str, float]:
    values = {}
    for trace in dash_duo.driver.execute_script(FIGURE_JS, selector) or []:
        if trace.get("mode") == "markers":
            for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
                if x is not None:
                    values[y] = x
    return values


def test_publish_on_compare_lands_on_the_snapshot_with_its_chart(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    sign_in_browser(dash_duo, "/compare?indicators=participants&mode=change", "editor@example.org")
    dash_duo.wait_for_element("#compare-graph .js-plotly-plot .scatterlayer .point", timeout=15)
    live = _marks(dash_duo, "#compare-graph")
    assert live  # the values the live view draws
    button = dash_duo.wait_for_element("#publish-button")
    assert button.is_displayed() and button.text == "Publish this view"
    assert button.size["height"] >= 44
    button.click()
    dash_duo.wait_for_element("#snapshot-graph .js-plotly-plot .scatterlayer .point", timeout=20)
    path = dash_duo.driver.current_url.split(dash_duo.server_url, 1)[1]
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{22}", path), path
    header = dash_duo.find_element("#snapshot-header").text
    version = app.context.snapshot.version[:8]
    assert re.search(rf"Snapshot of \d+ \w+ \d{{4}}, data version {version}\.", header), header
    assert "The current view shows the same data and decisions" in header
    assert not dash_duo.find_element("#publish-button").is_displayed()  # a snapshot is not re-published
    # The frozen chart draws the same values as the live view it was published from.
    assert _marks(dash_duo, "#snapshot-graph") == live
    record = app.context.snapshots().get(path.rsplit("/", 1)[1])
    assert record.link == "/compare?mode=change"
    # The citation box and its Copy button are reached by keyboard; Copy says what it did.
    citation = dash_duo.find_element("#snapshot-citation")
    assert path in citation.get_attribute("value")
    cite = dash_duo.find_element("#snapshot-header a[href='#snapshot-cite']")
    assert cite.size["height"] >= 44
    cite.send_keys(Keys.ENTER)  # to the citation, then Tab into its text
    WebDriverWait(dash_duo.driver, 5).until(
        lambda d: d.switch_to.active_element.get_attribute("id") == "snapshot-cite"
    )
    dash_duo.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == "snapshot-citation"
    dash_duo.driver.switch_to.active_element.send_keys(Keys.TAB)
    copy = dash_duo.driver.switch_to.active_element
    assert copy.get_attribute("id") == "snapshot-copy-citation" and copy.size["height"] >= 44
    copy.send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#snapshot-copy-citation", "Copied", timeout=5)
    # PNG and SVG by plotly.js in the browser, offline.
    svg = dash_duo.driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const gd = document.querySelector('#snapshot-graph .js-plotly-plot');
        Plotly.toImage(gd, {format: 'svg'}).then((url) => done(decodeURIComponent(url)));"""
    )
    assert svg.startswith("data:image/svg+xml") and "Võru county" in svg
    dash_duo.find_element("#snapshot-svg").send_keys(Keys.ENTER)
    violations = axe_violations(dash_duo.driver, impacts=ALL_IMPACTS, tags=WCAG + STRUCTURE)
    assert violations == [], "\n".join(violations)
    # Listed on the Data page, with a link back.
    dash_duo.find_element("#shell-nav-data").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#snapshot-list", path, timeout=10)
    assert "Compare: Participants" in dash_duo.find_element("#snapshot-list").text
    assert dash_duo.get_logs() == []


def test_an_unknown_snapshot_says_so(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/s/AAAAAAAAAAAAAAAAAAAAAA")
    dash_duo.wait_for_contains_text("#shell-content", "Snapshot not found", timeout=10)
    assert "No snapshot has the id AAAAAAAAAAAAAAAAAAAAAA" in dash_duo.find_element("#shell-content").text
    # The server answered the page itself with a 404 (Chromium logs exactly that failed load); Dash's
    # renderer still draws it, so the visitor reads why. Nothing else in the console.
    logs = dash_duo.get_logs()
    assert all("/s/AAAAAAAAAAAAAAAAAAAAAA" in e["message"] and "404" in e["message"] for e in logs), logs
