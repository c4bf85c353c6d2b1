"""Networks page in headless Chromium: choose a pilot, click an actor, read its panel."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import Select

from tests.conftest import make_app

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
