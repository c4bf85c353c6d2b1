"""A workshop in headless Chromium: a facilitator, two participants voting, the projector showing it."""

from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from crosspilot.workshop.agenda import catalogue
from tests.conftest import make_app

PORT = 8154


@pytest.fixture
def app(tmp_path):
    return make_app(database_url=f"sqlite:///{tmp_path / 'browser.db'}")


def post(url: str, body: dict, headers: dict | None = None) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def click(dash_duo, selector: str) -> None:
    element = dash_duo.wait_for_element(selector, timeout=10)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def test_facilitator_two_phones_and_the_projector(dash_duo, app):
    lesson, title = next(
        (ref, title) for ref, title in catalogue(app.context.snapshot).items() if ref.startswith("lesson:")
    )
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    driver = dash_duo.driver
    driver.set_window_size(1280, 1000)

    # The facilitator creates a workshop: a lesson, a saved Compare view as a slide (an old link, which
    # is saved as the canonical link of the view it meant), a governance model.
    dash_duo.wait_for_page(f"{base}/workshop")
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Workshop", timeout=10)
    dash_duo.find_element("#workshop-title").send_keys("Validation day")
    agenda = dash_duo.find_element("#workshop-agenda")
    agenda.send_keys(Keys.CONTROL, "a")
    agenda.send_keys(Keys.DELETE)
    agenda.send_keys(f"{lesson}\n/compare?indicator=participants&mode=indexed\ngovernance:hull")
    click(dash_duo, "#workshop-create")
    link = dash_duo.wait_for_element("#workshop-created-facilitate", timeout=10)
    facilitate_url = link.get_attribute("href")
    code = dash_duo.find_element(".workshop-code").text
    assert "#key=" in facilitate_url and len(code) == 8

    dash_duo.wait_for_page(facilitate_url)
    facilitator = driver.current_window_handle
    dash_duo.wait_for_contains_text("#workshop-fac-view h2", title, timeout=10)
    click(dash_duo, "#workshop-fac-open")
    dash_duo.wait_for_contains_text("#workshop-fac-view", "voting open", timeout=10)

    # Phone 1 joins in its own window, from Hull, as a citizen, and votes "Agree" with a comment.
    driver.switch_to.new_window("window")
    dash_duo.wait_for_page(f"{base}/workshop/join?code={code}")
    Select(dash_duo.find_element("#workshop-join-pilot")).select_by_value("hull")
    Select(dash_duo.find_element("#workshop-join-stakeholder")).select_by_value("citizen")
    click(dash_duo, "#workshop-join-button")
    dash_duo.wait_for_contains_text("#workshop-vote-item", title, timeout=10)
    dash_duo.wait_for_text_to_equal("#workshop-vote-state", "Voting is open", timeout=10)
    dash_duo.find_element("#workshop-comment").send_keys("<b>Works</b> with librarians")
    dash_duo.find_element('button[id*=\'"stance":"agree"\']').click()
    dash_duo.wait_for_text_to_equal("#workshop-vote-feedback", "Your vote: Agree (confidence 3)", timeout=10)

    # Phone 2 votes through the API: disagree, then changes its mind to "agree with changes".
    joined = post(f"{base}/api/join", {"code": code, "pilot": "turku"})
    for stance in ("disagree", "agree_with_changes"):
        post(
            f"{base}/api/workshops/{joined['workshop_id']}/votes",
            {"position": 0, "stance": stance},
            {"X-Participant-Token": joined["token"]},
        )

    # The projector shows the count live, and the results once the facilitator reveals them.
    driver.switch_to.new_window("window")
    projector = driver.current_window_handle
    dash_duo.wait_for_page(f"{base}/workshop/present?w={joined['workshop_id']}&theme=projector")
    dash_duo.wait_for_contains_text("#workshop-present-body", "2 votes so far", timeout=10)
    driver.switch_to.window(facilitator)
    click(dash_duo, "#workshop-fac-reveal")
    driver.switch_to.window(projector)
    dash_duo.wait_for_element("#workshop-present-graph", timeout=10)
    table = dash_duo.find_element(".workshop-stance-table").text
    assert "Agree 1" in table and "Agree with changes 1" in table and "Disagree 0" in table
    splits = [t.text for t in dash_duo.find_elements(".workshop-split")]
    assert any("Hull and the East Riding" in s for s in splits) and any(
        "Citizen / service user" in s for s in splits
    )
    # The comment is shown as text, never as markup.
    comment = dash_duo.find_element(".workshop-comment")
    assert "<b>Works</b> with librarians" in comment.text
    assert not comment.find_elements(By.TAG_NAME, "b")
    assert "agreement 100%" in dash_duo.find_element(".workshop-summary").text
    assert dash_duo.find_element("#shell-root").get_attribute("class") == "theme-projector"

    # Next item by keyboard: the projector follows to the slide.
    driver.switch_to.window(facilitator)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    dash_duo.wait_for_contains_text("#workshop-fac-view h2", "Item 2 of 3", timeout=10)
    driver.switch_to.window(projector)
    dash_duo.wait_for_element(".workshop-slide-link", timeout=10)
    assert "/compare?mode=indexed&theme=projector" in dash_duo.find_element(
        ".workshop-slide-link"
    ).get_attribute("href")
    assert dash_duo.get_logs() == []


def test_facilitator_page_refuses_a_wrong_key(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    created = post(f"{base}/api/workshops", {"title": "Locked", "items": ["governance:hull"]})
    dash_duo.wait_for_page(f"{base}/workshop/facilitate?w={created['id']}#key=not-the-key")
    dash_duo.wait_for_contains_text("#workshop-fac-view", "facilitator key", timeout=10)
    click(dash_duo, "#workshop-fac-open")
    dash_duo.wait_for_contains_text("#workshop-fac-message", "facilitator key", timeout=10)
    state = json.loads(urllib.request.urlopen(f"{base}/api/workshops/{created['id']}", timeout=10).read())
    assert state["voting_open"] is False
    assert dash_duo.get_logs() == []


def test_a_slide_its_page_cannot_read_is_refused_with_the_reason(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.driver.set_window_size(1280, 1000)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/workshop")
    dash_duo.find_element("#workshop-title").send_keys("Day")
    agenda = dash_duo.find_element("#workshop-agenda")
    agenda.send_keys(Keys.CONTROL, "a")
    agenda.send_keys(Keys.DELETE)
    agenda.send_keys("governance:hull\n/compare?indicators=no-such-indicator")
    assert dash_duo.find_element("#workshop-created").text == ""
    click(dash_duo, "#workshop-create")
    dash_duo.wait_for_contains_text("#workshop-created", "Agenda item 2", timeout=10)
    refusal = dash_duo.find_element("#workshop-created").text
    assert "no-such-indicator" in refusal and "Workshop created" not in refusal
    assert dash_duo.get_logs() == []
