"""Workshops in headless Chromium, as a room would use them: the facilitator's set-up, a projector at
1280x720 and 1920x1080 drawing saved Compare and Networks views with nothing scrolled or clipped, a
phone at 390x844 composing and sending one vote, a vote on one pilot's mark drawn on the projector, the
facilitator's keyboard focus kept while a timer runs, and a practice run that decides nothing."""

from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from crosspilot.workshop.agenda import catalogue
from tests.conftest import make_app

PORT = 8154
LESSON = "formats-that-outlive-the-project"


@pytest.fixture
def app(tmp_path):
    return make_app(database_url=f"sqlite:///{tmp_path / 'browser.db'}", admin_password=ADMIN)


def post(url: str, body: dict, headers: dict | None = None) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def until(dash_duo, condition, timeout: float = 15):
    return WebDriverWait(dash_duo.driver, timeout).until(lambda _d: condition())


def tap(dash_duo, selector: str) -> None:
    """Scroll an element into view and click it, as a thumb would (a DOM click: selenium's pointer
    misplaces clicks under a mobile viewport emulation)."""
    element = dash_duo.wait_for_element(selector, timeout=10)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element
    )


def viewport(dash_duo, width: int, height: int, mobile: bool = False) -> None:
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


ADMIN = "admin-pass-123"


class Room:
    """A workshop made through the JSON API, run through it by the facilitator's key."""

    def __init__(self, base: str, items: list[str], **options):
        self.base = base
        # Made as a script makes one: with the admin password (a partner would sign in instead).
        created = post(
            f"{base}/api/workshops",
            {"title": "Validation day", "items": items, **options},
            {"X-Facilitator-Key": ADMIN},
        )
        self.id, self.code = created["id"], created["join_code"]
        self.key = {"X-Facilitator-Key": created["facilitator_key"]}
        self.facilitator_url = base + created["facilitator_url"]

    def control(self, action: str, **values) -> dict:
        return post(f"{self.base}/api/workshops/{self.id}/control", {"action": action, **values}, self.key)

    def state(self) -> dict:
        return get(f"{self.base}/api/workshops/{self.id}")


# What the projector shows, measured: page and screen scroll, parts below the fold, chart text outside
# its chart, and the data drawn (plotly's own full data, or the cytoscape graph's actors).
MEASURE = """
const d = document.documentElement, screen = document.querySelector('.workshop-present');
const below = Array.from(document.querySelectorAll(
    '.workshop-present-header, .workshop-present-main, .workshop-decision, .workshop-join-box'))
  .filter(e => e.getBoundingClientRect().bottom > window.innerHeight + 1)
  .map(e => e.className);
const plot = document.querySelector(arguments[0] + ' .js-plotly-plot');
let cut = [], small = [], drawn = 0;
if (plot) {
  const r = plot.getBoundingClientRect();
  const texts = Array.from(plot.querySelectorAll('.main-svg text')).filter(t => t.textContent.trim());
  const outside = b => b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1
    || b.bottom > r.bottom + 1;
  cut = texts.filter(t => { const b = t.getBoundingClientRect(); return b.width && outside(b); })
    .map(t => t.textContent);
  small = texts.filter(t => parseFloat(getComputedStyle(t).fontSize) < 20)
    .map(t => t.textContent).slice(0, 5);
  drawn = (plot._fullData || []).reduce(
    (n, t) => n + ((t.x || []).filter(v => v === v && v !== null).length), 0);
}
const net = document.getElementById('workshop-slide-network');
if (net && net._cyreg) { drawn = net._cyreg.cy.nodes().length; }
const chart = plot || net;
return {page: d.scrollHeight - d.clientHeight, screen: screen.scrollHeight - screen.clientHeight,
        below: below, cut: cut, small: small, drawn: drawn,
        height: chart ? chart.getBoundingClientRect().height : 0,
        nav: document.querySelector('#shell-nav').offsetParent !== null};
"""


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_projector_draws_saved_views_and_results_on_one_screen(dash_duo, app, size):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    room = Room(
        base,
        [f"lesson:{LESSON}", "/compare?indicator=participants&form=bars", "/networks?pilot=hull"],
    )
    viewport(dash_duo, *size)
    dash_duo.wait_for_page(f"{base}/workshop/present?w={room.id}&theme=projector")
    dash_duo.wait_for_text_to_equal(".workshop-code", room.code, timeout=15)
    assert dash_duo.find_element(".workshop-qr").get_attribute("src").startswith("data:image/svg+xml")

    room.control("next")  # the Compare slide
    dash_duo.wait_for_element("#workshop-slide-graph .js-plotly-plot .bars", timeout=15)
    until(dash_duo, lambda: dash_duo.driver.execute_script(MEASURE, "#workshop-slide-graph")["drawn"] > 0)
    found = dash_duo.driver.execute_script(MEASURE, "#workshop-slide-graph")
    assert found["page"] <= 0 and found["screen"] <= 0 and found["below"] == [], found
    assert found["cut"] == [] and found["small"] == [], found
    assert found["height"] > size[1] * 0.4 and not found["nav"], found

    room.control("next")  # the Networks slide
    dash_duo.wait_for_element("#workshop-slide-network canvas", timeout=15)
    until(dash_duo, lambda: dash_duo.driver.execute_script(MEASURE, "#workshop-slide-network")["drawn"] > 5)
    found = dash_duo.driver.execute_script(MEASURE, "#workshop-slide-network")
    assert found["page"] <= 0 and found["screen"] <= 0 and found["below"] == [], found
    assert found["height"] > size[1] * 0.4, found

    # The lesson with votes revealed: the stance labels in full, splits and comments beside the chart.
    room.control("goto", position=0)
    room.control("open")
    for pilot, stance in (("hull", "agree"), ("voru", "agree_with_changes"), ("turku", "disagree")):
        joined = post(f"{base}/api/join", {"code": room.code, "pilot": pilot})
        post(
            f"{base}/api/workshops/{room.id}/votes",
            {"position": 0, "stance": stance, "confidence": 4, "comment": f"From {pilot}: " + "long " * 30},
            {"X-Participant-Token": joined["token"]},
        )
    room.control("reveal")
    dash_duo.wait_for_element("#workshop-present-graph .js-plotly-plot .bars", timeout=15)
    until(dash_duo, lambda: dash_duo.driver.execute_script(MEASURE, "#workshop-present-graph")["drawn"] == 4)
    found = dash_duo.driver.execute_script(MEASURE, "#workshop-present-graph")
    assert found["page"] <= 0 and found["screen"] <= 0 and found["below"] == [], found
    assert found["cut"] == [] and found["small"] == [], found
    labels = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#workshop-present-graph .ytick text'))"
        ".map(t => t.textContent);"
    )
    assert sorted(labels) == ["Agree", "Agree with changes", "Can't judge", "Disagree"]  # in full
    assert dash_duo.find_elements(".workshop-split") and dash_duo.find_elements(".workshop-comment")
    assert dash_duo.get_logs() == []


def test_a_phone_sees_the_claim_composes_its_vote_and_sends_it_once(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    room = Room(base, [f"lesson:{LESSON}", "governance:hull"])
    room.control("open")
    viewport(dash_duo, 390, 844, mobile=True)
    dash_duo.wait_for_page(f"{base}/workshop/join?code={room.code}")
    tap(dash_duo, "#workshop-join-button")
    dash_duo.wait_for_text_to_equal("#workshop-vote-state", "Voting is open", timeout=15)
    # Focus moves into the voting panel; the site navigation is folded away.
    until(
        dash_duo,
        lambda: dash_duo.driver.execute_script("return document.activeElement.id") == "workshop-vote-item",
    )
    assert not dash_duo.find_element("#shell-nav").is_displayed()
    evidence = dash_duo.find_element("#workshop-vote-evidence").text
    assert "Evidenced in" in evidence and "Strength" in evidence
    # Every control of the ballot is at least 44 px tall and fits the screen's width.
    sizes = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.workshop-stance-option, .workshop-confidence-option,"
        " #workshop-send')).map(e => [e.getBoundingClientRect().height, e.getBoundingClientRect().right]);"
    )
    assert sizes and all(h >= 44 and right <= 390 for h, right in sizes), sizes
    assert dash_duo.driver.execute_script("return document.documentElement.scrollWidth") <= 390

    tap(dash_duo, "label[for$='agree_with_changes']")
    tap(dash_duo, "label[for$='_input_5']")
    dash_duo.find_element("#workshop-comment").send_keys("Only with a librarian on the team")
    assert get(f"{base}/api/workshops/{room.id}/results?position=0", room.key)["total"] == 0  # not sent yet
    tap(dash_duo, "#workshop-send")
    dash_duo.wait_for_text_to_equal(
        "#workshop-send-status", "Stored: Agree with changes, confidence 5, with your comment.", timeout=15
    )
    results = get(f"{base}/api/workshops/{room.id}/results?position=0", room.key)
    assert results["total"] == 1 and results["counts"]["agree_with_changes"] == 1
    assert [c["text"] for c in results["comments"]] == ["Only with a librarian on the team"]
    dash_duo.wait_for_text_to_equal(
        "#workshop-vote-feedback",
        "The server holds your vote: Agree with changes, confidence 5, with a comment.",
        timeout=15,
    )
    assert dash_duo.get_logs() == []


def test_an_unsent_vote_is_kept_and_sent_again_when_the_server_answers(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    room = Room(base, [f"lesson:{LESSON}"])
    room.control("open")
    dash_duo.wait_for_page(f"{base}/workshop/join?code={room.code}")
    tap(dash_duo, "#workshop-join-button")
    dash_duo.wait_for_text_to_equal("#workshop-vote-state", "Voting is open", timeout=15)
    # The first two sends get a 503 (as a database fault answers), the third goes through.
    dash_duo.driver.execute_script(
        """window.__fails = 2; const real = window.fetch;
        window.fetch = function (url, options) {
          if (String(url).indexOf('/votes') > 0 && window.__fails > 0) {
            window.__fails -= 1;
            return Promise.resolve(new Response('{"error": "unavailable"}',
              {status: 503, headers: {'Retry-After': '1', 'Content-Type': 'application/json'}}));
          }
          return real.apply(this, arguments);
        };"""
    )
    tap(dash_duo, "label[for$='_input_agree']")
    tap(dash_duo, "#workshop-send")
    dash_duo.wait_for_contains_text("#workshop-send-status", "kept on this phone", timeout=10)
    dash_duo.wait_for_text_to_equal("#workshop-send-status", "Stored: Agree, confidence 3.", timeout=15)
    assert get(f"{base}/api/workshops/{room.id}/results?position=0", room.key)["counts"]["agree"] == 1
    assert dash_duo.get_logs() == []


def test_the_facilitator_keeps_the_keyboard_focus_while_a_timer_runs(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    room = Room(base, [f"lesson:{LESSON}", "governance:hull"])
    viewport(dash_duo, 1280, 900)
    dash_duo.wait_for_page(room.facilitator_url)
    dash_duo.wait_for_element("#workshop-fac-agenda .workshop-agenda-item", timeout=15)
    room.control("open")
    room.control("timer", seconds=45)
    dash_duo.wait_for_contains_text("#workshop-fac-status-line", "s left", timeout=15)
    reason = dash_duo.find_element("#workshop-fac-reason")
    reason.click()
    first = dash_duo.find_element("#workshop-fac-status-line").text
    # The status line counts down (the page redraws) while focus stays where the facilitator put it.
    until(dash_duo, lambda: dash_duo.find_element("#workshop-fac-status-line").text != first)
    assert dash_duo.driver.execute_script("return document.activeElement.id") == "workshop-fac-reason"
    # A vote arriving redraws the results; Tab still moves on from the focused control to the next one.
    joined = post(f"{base}/api/join", {"code": room.code})
    post(
        f"{base}/api/workshops/{room.id}/votes",
        {"position": 0, "stance": "agree", "confidence": 3},
        {"X-Participant-Token": joined["token"]},
    )
    dash_duo.wait_for_contains_text("#workshop-fac-view .workshop-summary", "1 vote", timeout=15)
    assert dash_duo.driver.execute_script("return document.activeElement.id") == "workshop-fac-reason"
    ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
    assert dash_duo.driver.execute_script("return document.activeElement.id") == "workshop-fac-by"
    assert dash_duo.get_logs() == []


def test_a_practice_run_leaves_decisions_and_the_lessons_status_unchanged(dash_duo, app):
    ref = f"lesson:{LESSON}"
    assert ref in catalogue(app.context.snapshot)
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    dash_duo.wait_for_page(f"{base}/lessons?lesson={LESSON}")
    status = dash_duo.wait_for_element(".lesson-status", timeout=15).text
    room = Room(base, [ref], practice=True)
    room.control("open")
    for pilot in ("hull", "turku", "voru", "wroclaw"):
        joined = post(f"{base}/api/join", {"code": room.code, "pilot": pilot})
        post(
            f"{base}/api/workshops/{room.id}/votes",
            {"position": 0, "stance": "agree", "confidence": 5},
            {"X-Participant-Token": joined["token"]},
        )
    room.control("close")
    room.control("override", position=0, status="validated", reason="Rehearsal")
    # The projector says it is practice, and shows the practice decision.
    dash_duo.wait_for_page(f"{base}/workshop/present?w={room.id}&theme=projector")
    dash_duo.wait_for_contains_text(".workshop-decision", "Rehearsal", timeout=15)
    assert dash_duo.find_element(".workshop-practice").text.lower() == "practice"
    assert get(f"{base}/api/decisions?item={ref}") == []  # a fresh database: there were none before
    dash_duo.wait_for_page(f"{base}/lessons?lesson={LESSON}")
    dash_duo.wait_for_text_to_equal(".lesson-status", status, timeout=15)
    assert dash_duo.get_logs() == []


def test_a_vote_on_one_pilots_mark_appears_on_the_projectors_overlay(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    room = Room(base, ["/compare?indicators=participants"])
    room.control("open")
    # A phone-sized window (without touch emulation, so that the pointer lands where it is sent).
    viewport(dash_duo, 390, 844)
    dash_duo.wait_for_page(f"{base}/workshop/join?code={room.code}")
    tap(dash_duo, "#workshop-join-button")
    dash_duo.wait_for_text_to_equal("#workshop-vote-state", "Voting is open", timeout=15)
    assert dash_duo.find_element("#workshop-mark").get_attribute("value") == "*"  # the whole view
    point = dash_duo.wait_for_element("#workshop-pick-graph .scatterlayer .point", timeout=15)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", point)
    ActionChains(dash_duo.driver).move_to_element(point).click().perform()
    until(
        dash_duo, lambda: dash_duo.find_element("#workshop-mark").get_attribute("value").startswith("pilot:")
    )
    mark = dash_duo.find_element("#workshop-mark").get_attribute("value")
    pilot = dash_duo.driver.execute_script(
        "const s = document.getElementById('workshop-mark'); return s.options[s.selectedIndex].text;"
    )
    tap(dash_duo, "label[for$='_input_disagree']")
    dash_duo.find_element("#workshop-comment").send_keys("A single event against a total")
    tap(dash_duo, "#workshop-send")
    dash_duo.wait_for_text_to_equal(
        "#workshop-send-status",
        f"Stored: Disagree, confidence 3, with your comment. About: {pilot}.",
        timeout=15,
    )
    stored = get(f"{base}/api/workshops/{room.id}/results?position=0", room.key)["marks"]
    assert [(m["mark"], m["votes"], m["comments"]) for m in stored] == [(mark, 1, 1)]

    viewport(dash_duo, 1280, 720)
    dash_duo.wait_for_page(f"{base}/workshop/present?w={room.id}&theme=projector")
    overlay = "#workshop-slide-graph .annotation-text"
    until(
        dash_duo,
        lambda: "votes: 1 · comments: 1" in [e.text for e in dash_duo.find_elements(overlay)],
    )
    assert dash_duo.find_element(".workshop-marks").text.startswith("Votes on the marks")
    assert f"{pilot} — votes: 1 · comments: 1" in dash_duo.find_element(".workshop-marks").text
    assert "A single event against a total" not in dash_duo.find_element(".workshop-present").text
    room.control("reveal")
    dash_duo.wait_for_contains_text(".workshop-marks", "A single event against a total", timeout=15)
    assert dash_duo.get_logs() == []


def test_the_projector_follows_the_facilitators_move_through_the_pulse(dash_duo, app, monkeypatch):
    from layouts import workshop as page

    # The projector's own redraw every 1.5 s is turned off: only the room's pulse can move it on.
    monkeypatch.setattr(page, "POLL_MS", 3_600_000)
    items = [f"lesson:{LESSON}", "governance:hull"]
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    room = Room(base, items)
    dash_duo.wait_for_page(f"{base}/workshop/present?w={room.id}&theme=projector")
    title = ".workshop-present-title"
    first = dash_duo.wait_for_element(title, timeout=15).text
    room.control("goto", position=1)
    until(dash_duo, lambda: dash_duo.find_element(title).text not in ("", first), timeout=10)
    assert dash_duo.find_element(title).text.startswith("Governance model:")
    assert dash_duo.get_logs() == []
