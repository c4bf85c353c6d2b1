"""Browser tests of the Lessons section in headless Chromium: a lesson link, filters, governance, roadmap."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.conftest import make_app

PORT = 8153


@pytest.fixture
def app():
    return make_app()


def test_a_lesson_link_opens_the_lesson_with_its_evidence_chart(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/lessons?lesson=formats-that-outlive-the-project")
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Formats that outlive the project", timeout=10)
    text = dash_duo.find_element("#shell-content").text
    assert "Evidenced in 1 of 10 pilots" in text
    assert "Strength 1/4" in text
    assert "Under validation" in text
    # The indicator chart is drawn, and its table lists every value with its provenance.
    dash_duo.wait_for_element("#lessons-indicator-participants .scatterlayer .point", timeout=10)
    table = dash_duo.find_elements(".evidence-table")[0].text
    assert "100 people" in table and "389 people" in table and "Published" in table
    # Every fact's source is a link, and the network feature is in a table with its provenance.
    assert dash_duo.find_elements(".lesson-sources a[href^='https://vunkimano.ee']")
    assert "Share of ties with citizens" in dash_duo.find_element("#lessons-network-table").text
    assert dash_duo.get_logs() == []


def _wait_for_url(dash_duo, part: str, timeout: float = 10) -> None:
    """Wait until the address bar holds `part`: the change a filter causes, written by its callback."""
    WebDriverWait(dash_duo.driver, timeout).until(
        lambda driver: part in driver.current_url,
        f"the URL never got {part!r}: {dash_duo.driver.current_url}",
    )


def test_filters_go_to_the_url_and_a_card_opens_its_lesson(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/lessons")
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Lessons", timeout=10)
    assert dash_duo.find_element("#lessons-count").text == "Showing 15 of 15 lessons."
    Select(dash_duo.find_element("#lessons-pilot")).select_by_value("wroclaw")
    # The count changes from 15 to 2, and the same callback writes the URL: wait for both.
    dash_duo.wait_for_text_to_equal("#lessons-count", "Showing 2 of 15 lessons.", timeout=10)
    _wait_for_url(dash_duo, "pilot=wroclaw")
    # Strength 2 keeps both lessons, so the count does not change: what changes is the URL.
    Select(dash_duo.find_element("#lessons-strength")).select_by_value("2")
    _wait_for_url(dash_duo, "strength=2")
    assert dash_duo.find_element("#lessons-count").text == "Showing 2 of 15 lessons."
    assert "pilot=wroclaw" in dash_duo.driver.current_url
    # By keyboard, as on a projector.
    dash_duo.find_element("#lesson-card-pivot-on-user-insight a").send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Let user insight change the plan", timeout=10)
    assert "lesson=pivot-on-user-insight" in dash_duo.driver.current_url
    dash_duo.wait_for_element("#lessons-indicator-ideas .scatterlayer .point", timeout=10)
    # Back to the list keeps the filters (the count was not on the lesson's page: it is drawn anew).
    dash_duo.find_element(".back-link").send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#lessons-count", "Showing 2 of 15 lessons.", timeout=10)
    assert "lesson=" not in dash_duo.driver.current_url and "strength=2" in dash_duo.driver.current_url
    assert Select(dash_duo.find_element("#lessons-pilot")).first_selected_option.text.startswith("Co-housing")
    assert dash_duo.get_logs() == []


def test_governance_and_roadmap_pages(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/lessons/governance")
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Governance models", timeout=10)
    dash_duo.wait_for_element("#lessons-governance-matrix .scatterlayer .point", timeout=10)
    row = dash_duo.find_element("#governance-valencia").text
    assert "4 · empower" in row and "Illustrative" in row
    assert "Lessons" in dash_duo.find_element("#shell-nav-lessons").text
    dash_duo.find_element(".lessons-subnav a[href='/lessons/roadmap']").click()
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Roadmap to co-creation", timeout=10)
    assert len(dash_duo.find_elements(".roadmap-lesson")) == 15
    dash_duo.find_element("#lessons-roadmap-scope input").click()
    dash_duo.wait_for_text_to_equal(
        "#lessons-roadmap-body .roadmap-section p", "No lessons under this heading yet.", timeout=10
    )
    assert "scope=validated" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
