"""Browser tests in headless Chromium (dash[testing]): every page opens with a clean console."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import make_app

PAGES = [
    ("/", "Overview"),
    ("/compare", "Compare"),
    ("/networks", "Networks"),
    ("/lessons", "Lessons"),
    ("/workshop", "Workshop"),
    ("/data", "Data"),
]


@pytest.fixture
def app():
    return make_app()


def test_every_page_opens_with_a_clean_console(dash_duo, app):
    dash_duo.start_server(app)
    for path, heading in PAGES:
        dash_duo.wait_for_page(f"{dash_duo.server_url}{path}")
        dash_duo.wait_for_text_to_equal("#shell-content h1", heading, timeout=10)
        assert dash_duo.get_logs() == [], path


def test_overview_shows_all_ten_cosie_sites_with_sourced_figures(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_element(".pilot-card", timeout=10)
    cards = dash_duo.find_elements(".pilot-card")
    assert len(cards) == 10
    text = dash_duo.find_element("#shell-content").text
    for place in (
        "Hull",
        "Turku",
        "Wrocław",
        "Võru",
        "Jönköping",
        "Valencia",
        "Houten",
        "Nieuwegein",
        "Reggio Emilia",
    ):
        assert place in text
    # The map draws one marker per pilot on the offline base map.
    dash_duo.wait_for_element("#overview-map .scattergeo .point", timeout=10)
    assert len(dash_duo.find_elements("#overview-map .scattergeo .point")) == 10
    badges = {b.text.strip("≈\u00a0 ") for b in dash_duo.find_elements(".status-badge")}
    assert {"Published", "Illustrative"} <= badges
    sources = dash_duo.find_elements(".pilot-card a[href^='https://']")
    assert len(sources) >= 10
    assert dash_duo.get_logs() == []


def test_projector_view_by_link_and_by_keyboard(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Overview", timeout=10)
    toggle = dash_duo.find_element("#shell-theme-toggle")
    toggle.send_keys(Keys.ENTER)
    dash_duo.wait_for_class_to_equal("#shell-root", "theme-projector", timeout=10)
    assert "theme=projector" in dash_duo.driver.current_url
    # The chart text follows the theme: at least 20 px on a projector.
    sizes = [
        float(el.value_of_css_property("font-size").rstrip("px"))
        for el in dash_duo.driver.find_elements(By.CSS_SELECTOR, "#overview-map .scattergeo text")
    ]
    assert sizes and min(sizes) >= 20
    # Navigation keeps the projector theme.
    dash_duo.find_element("#shell-nav-data").click()
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Data", timeout=10)
    assert dash_duo.find_element("#shell-root").get_attribute("class") == "theme-projector"
    assert dash_duo.get_logs() == []


def test_shared_projector_url_opens_in_projector_theme(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/data?theme=projector")
    dash_duo.wait_for_class_to_equal("#shell-root", "theme-projector", timeout=10)
    html_lang = dash_duo.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    assert html_lang == "en"
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize(
    ("path", "heading"), [("/", "Overview"), ("/data", "Data"), ("/?theme=projector", "Overview")]
)
def test_pages_pass_automated_wcag_checks(dash_duo, app, path, heading):
    from tests.a11y import axe_violations

    dash_duo.driver.set_script_timeout(30)
    dash_duo.start_server(app)
    dash_duo.wait_for_page(f"{dash_duo.server_url}{path}")
    dash_duo.wait_for_text_to_equal("#shell-content h1", heading, timeout=10)
    assert axe_violations(dash_duo.driver) == []
    assert dash_duo.get_logs() == []
