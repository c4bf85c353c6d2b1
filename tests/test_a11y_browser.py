"""Accessibility in headless Chromium: axe-core on every page and state, in both themes; keyboard use."""

from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.a11y import ALL_IMPACTS, STRUCTURE, WCAG, axe_violations
from tests.conftest import make_app

PORT = 8155
LESSON = "formats-that-outlive-the-project"
THEMES = ("standard", "projector")

# path, then a selector that exists once the page's content (charts included) has been drawn.
PAGES = {
    "compare": ("/compare", "#compare-graph .js-plotly-plot .scatterlayer .point"),
    "compare-heatmap": (
        "/compare?form=heatmap&indicators=participants,ideas,stakeholders_involved",
        "#compare-graph .js-plotly-plot .heatmaplayer",
    ),
    "networks": ("/networks?pilot=hull&focus=mmu", "#networks-panel dl, #networks-panel ul"),
    "lessons": ("/lessons", "#lessons-count"),
    "lesson": (f"/lessons?lesson={LESSON}", "#lessons-indicator-participants .scatterlayer .point"),
    "governance": ("/lessons/governance", "#lessons-governance-matrix .scatterlayer .point"),
    "roadmap": ("/lessons/roadmap", ".roadmap-lesson"),
    "workshop": ("/workshop", "#workshop-sign-in"),  # a visitor: the sign-in prompt
    "glossary": ("/glossary", "#glossary-table-stage"),
    "about-translations": ("/about/translations", "#about-translations-table"),
    # Other languages: longer words, another script, text marked with its own language.
    "lesson-fi": (
        f"/lessons?lesson={LESSON}&lang=fi",
        "#lessons-indicator-participants .scatterlayer .point",
    ),
    "compare-el": ("/compare?lang=el", "#compare-graph .js-plotly-plot .scatterlayer .point"),
}
# Parts drawn only when the reader comes near them: what must be drawn above them first (else the
# section is pushed back down below the screen), the section scrolled to, what exists once drawn.
BELOW = {"networks": ("#networks-table caption", "#networks-compare", "#networks-multiples .js-plotly-plot")}


ADMIN = "admin-pass-123"


@pytest.fixture
def app(tmp_path):
    return make_app(database_url=f"sqlite:///{tmp_path / 'a11y.db'}", admin_password=ADMIN)


def _url(path: str, theme: str) -> str:
    if theme == "standard":
        return path
    return path + ("&" if "?" in path else "?") + f"theme={theme}"


def _start(dash_duo, app) -> str:
    dash_duo.driver.set_script_timeout(60)
    dash_duo.start_server(app, port=PORT)
    return dash_duo.server_url


def _post(url: str, body: dict, headers: dict | None = None) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _workshop(base: str, *, voted: bool = False, revealed: bool = False) -> dict:
    """A workshop created through the JSON API, optionally with one vote in and results shown."""
    created = _post(
        f"{base}/api/workshops",
        {"title": "Accessibility day", "items": [f"lesson:{LESSON}", "governance:hull"]},
        {"X-Facilitator-Key": ADMIN},  # made as a script makes one
    )
    key = {"X-Facilitator-Key": created["facilitator_key"]}
    control = f"{base}/api/workshops/{created['id']}/control"
    _post(control, {"action": "open"}, key)
    if voted:
        joined = _post(f"{base}/api/join", {"code": created["join_code"], "pilot": "hull"})
        _post(
            f"{base}/api/workshops/{created['id']}/votes",
            {"position": 0, "stance": "agree", "confidence": 4, "comment": "Works with librarians"},
            {"X-Participant-Token": joined["token"]},
        )
    if revealed:
        _post(control, {"action": "reveal"}, key)
    return created


def _check(dash_duo, where: str) -> None:
    """No WCAG 2.1 A/AA violation and no structural best-practice miss, whatever its impact."""
    violations = axe_violations(dash_duo.driver, impacts=ALL_IMPACTS, tags=WCAG + STRUCTURE)
    assert violations == [], f"{where}:\n" + "\n".join(violations)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_passes_axe(dash_duo, app, page, theme):
    path, ready = PAGES[page]
    base = _start(dash_duo, app)
    dash_duo.wait_for_page(base + _url(path, theme))
    dash_duo.wait_for_element(ready, timeout=20)
    if page in BELOW:
        above, section, drawn = BELOW[page]
        dash_duo.wait_for_element(above, timeout=20)
        dash_duo.driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", section)
        dash_duo.wait_for_element(drawn, timeout=20)
    _check(dash_duo, f"{page} ({theme})")
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize("theme", THEMES)
def test_workshop_participant_facilitator_and_projector_pass_axe(dash_duo, app, theme):
    base = _start(dash_duo, app)
    created = _workshop(base, voted=True, revealed=True)
    # The phone: the join form, then the voting panel after joining.
    dash_duo.wait_for_page(base + _url(f"/workshop/join?code={created['join_code']}", theme))
    dash_duo.wait_for_element("#workshop-join-button", timeout=10)
    _check(dash_duo, f"join form ({theme})")
    dash_duo.find_element("#workshop-join-button").send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#workshop-vote-state", "Voting is open", timeout=10)
    _check(dash_duo, f"vote panel ({theme})")
    # The facilitator with the results revealed, then the projector.
    path, key = created["facilitator_url"].split("#", 1)
    dash_duo.wait_for_page(base + _url(path, theme) + "#" + key)
    dash_duo.wait_for_element("#workshop-fac-graph .js-plotly-plot .bars", timeout=10)
    _check(dash_duo, f"facilitator ({theme})")
    dash_duo.wait_for_page(base + _url(f"/workshop/present?w={created['id']}", theme))
    dash_duo.wait_for_element("#workshop-present-graph .js-plotly-plot .bars", timeout=10)
    _check(dash_duo, f"projector ({theme})")
    assert dash_duo.get_logs() == []


# --- Keyboard only ------------------------------------------------------------------------------

ACTIVE_MATCHES = "return document.activeElement && document.activeElement.matches(arguments[0]);"


def _press(dash_duo, *keys) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def _tab_to(dash_duo, selector: str, limit: int = 120) -> None:
    """Press Tab (from wherever focus is) until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if dash_duo.driver.execute_script(ACTIVE_MATCHES, selector):
            return
        _press(dash_duo, Keys.TAB)
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def _key(dash_duo, selector: str, *keys) -> None:
    """Tab to `selector`, then press `keys` there."""
    _tab_to(dash_duo, selector)
    _press(dash_duo, *keys)


def _wait_until(dash_duo, condition, timeout: float = 10) -> None:
    WebDriverWait(dash_duo.driver, timeout).until(lambda _driver: condition())


def _wait_for_url(dash_duo, fragment: str) -> None:
    """Until the address shows `fragment`: the change a control makes to the view's link."""
    _wait_until(dash_duo, lambda: fragment in dash_duo.driver.current_url)


def _traces(dash_duo, graph: str) -> list[dict]:
    return dash_duo.driver.execute_script(
        "return document.querySelector(arguments[0] + ' .js-plotly-plot').data"
        ".map(t => ({type: t.type || 'scatter', mode: t.mode || ''}));",
        graph,
    )


def test_shell_skip_link_and_navigation_by_keyboard(dash_duo, app):
    base = _start(dash_duo, app)
    dash_duo.wait_for_page(base + "/")
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Overview", timeout=10)
    _press(dash_duo, Keys.TAB)  # the first Tab lands on the skip link, which then shows
    assert dash_duo.driver.execute_script(ACTIVE_MATCHES, ".skip-link")
    assert dash_duo.find_element(".skip-link").location["x"] >= 0
    _key(dash_duo, "#shell-nav-data", Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Data", timeout=10)
    assert dash_duo.driver.current_url.endswith("/data")
    assert dash_duo.get_logs() == []


def test_compare_chart_and_indicators_by_keyboard(dash_duo, app):
    base = _start(dash_duo, app)
    dash_duo.wait_for_page(base + "/compare")
    dash_duo.wait_for_element(PAGES["compare"][1], timeout=20)
    assert {t["type"] for t in _traces(dash_duo, "#compare-graph")} == {"scatter"}
    # Tick a second indicator with Space: the chart gets a panel for it.
    _key(dash_duo, "#compare-indicators input[value='ideas']", Keys.SPACE)
    dash_duo.wait_for_contains_text("#compare-table", "Ideas", timeout=10)
    assert "indicators=" in dash_duo.driver.current_url and "ideas" in dash_duo.driver.current_url
    # The chart form: Tab reaches the checked radio button, an arrow key moves to the next form.
    _key(dash_duo, "#compare-form input[value='dots']", Keys.ARROW_DOWN)
    dash_duo.wait_for_element("#compare-graph .js-plotly-plot .barlayer .point", timeout=10)
    assert "bar" in {t["type"] for t in _traces(dash_duo, "#compare-graph")}
    assert "form=bars" in dash_duo.driver.current_url
    # A period from the native select, by arrow key; the select shows "Latest" until then (dbc.Select's
    # hidden empty option once shadowed it, and the arrow keys could not leave it).
    shown = "return arguments[0].options[arguments[0].selectedIndex].text;"
    assert dash_duo.driver.execute_script(shown, dash_duo.find_element("#compare-to")) == "Latest"
    _key(dash_duo, "#compare-to", Keys.ARROW_DOWN)
    _wait_for_url(dash_duo, "periods=")
    assert dash_duo.driver.execute_script(shown, dash_duo.find_element("#compare-to")) == "baseline"
    assert dash_duo.get_logs() == []


def test_networks_pilot_and_actor_by_keyboard(dash_duo, app):
    base = _start(dash_duo, app)
    dash_duo.wait_for_page(base + "/networks")
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Networks", timeout=10)
    _tab_to(dash_duo, "#networks-pilot")
    first = dash_duo.find_element("#networks-pilot").get_attribute("value")
    _press(dash_duo, Keys.ARROW_DOWN)  # a closed native select changes its value with the arrows
    _wait_for_url(dash_duo, "pilot=")
    assert dash_duo.find_element("#networks-pilot").get_attribute("value") != first
    # The canvas needs a pointer; the search box reaches any actor and opens its panel.
    dash_duo.wait_for_page(base + "/networks?pilot=hull")
    dash_duo.wait_for_contains_text("#networks-summary", "Hull", timeout=10)
    _key(dash_duo, "#networks-find", "Interserve", Keys.ENTER)
    dash_duo.wait_for_contains_text("#networks-panel", "Interserve", timeout=10)
    assert "focus=interserve" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_lessons_filter_and_open_a_lesson_by_keyboard(dash_duo, app):
    base = _start(dash_duo, app)
    dash_duo.wait_for_page(base + "/lessons")
    dash_duo.wait_for_text_to_equal("#lessons-count", "Showing 15 of 15 lessons.", timeout=10)
    _key(dash_duo, "#lessons-status input[value='validated']", Keys.SPACE)
    _wait_for_url(dash_duo, "status=validated")
    assert dash_duo.find_element("#lessons-count").text != "Showing 15 of 15 lessons."
    _press(dash_duo, Keys.SPACE)  # and off again
    dash_duo.wait_for_text_to_equal("#lessons-count", "Showing 15 of 15 lessons.", timeout=10)
    _key(dash_duo, f"#lesson-card-{LESSON} a", Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#shell-content h1", "Formats that outlive the project", timeout=10)
    assert f"lesson={LESSON}" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_workshop_participant_joins_and_votes_by_keyboard(dash_duo, app):
    base = _start(dash_duo, app)
    created = _workshop(base)
    dash_duo.wait_for_page(base + f"/workshop/join?code={created['join_code']}")
    dash_duo.wait_for_element("#workshop-join-button", timeout=10)
    _key(dash_duo, "#workshop-join-button", Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#workshop-vote-state", "Voting is open", timeout=10)
    # The stance and the confidence with the arrow keys (one Tab stop each), then one press of Send.
    _key(dash_duo, "#workshop-stance-choice input[value='agree']", Keys.ARROW_DOWN)
    _key(dash_duo, "#workshop-confidence input[type='radio']:checked", Keys.ARROW_RIGHT)
    _key(dash_duo, "#workshop-send", Keys.ENTER)
    dash_duo.wait_for_text_to_equal(
        "#workshop-vote-feedback", "The server holds your vote: Agree with changes, confidence 4.", timeout=10
    )
    assert dash_duo.get_logs() == []


# --- Projector: large chart text, nothing off screen -------------------------------------------

CHART_TEXT = """
const graph = document.querySelector(arguments[0] + ' .js-plotly-plot');
const edge = graph.getBoundingClientRect().right;
// Not the "Aa" sample plotly draws (at most 16 px) as the legend symbol of a text trace: the legend
// entry's own label beside it is the text to read, and is measured.
const texts = Array.from(graph.querySelectorAll('.main-svg text'))
  .filter(t => t.textContent.trim() && !t.closest('.legendpoints'));
const d = document.documentElement;
return {
  sizes: texts.map(t => parseFloat(getComputedStyle(t).fontSize)),
  small: texts.filter(t => parseFloat(getComputedStyle(t).fontSize) < 20).map(t => t.textContent).slice(0, 5),
  cut: texts.filter(t => t.getBoundingClientRect().right > edge + 1).map(t => t.textContent).slice(0, 5),
  scroll: d.scrollWidth - d.clientWidth,
};
"""
PROJECTOR_CHARTS = [
    *[
        (f"/compare?form={form}&indicators=participants,ideas&theme=projector", "#compare-graph")
        for form in ("dots", "bars", "lines", "slope", "multiples", "heatmap")
    ],
    (f"/lessons?lesson={LESSON}&theme=projector", "#lessons-indicator-participants"),
    ("/lessons/governance?theme=projector", "#lessons-governance-matrix"),
]


def test_projector_charts_have_large_text_and_no_horizontal_scroll(dash_duo, app):
    base = _start(dash_duo, app)
    # A 1280 x 720 viewport, the commonest projector resolution.
    viewport = {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False}
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", viewport)
    for path, graph in PROJECTOR_CHARTS:
        dash_duo.wait_for_page(base + path)
        dash_duo.wait_for_element(f"{graph} .js-plotly-plot .main-svg .cartesianlayer", timeout=20)
        _wait_until(dash_duo, lambda graph=graph: dash_duo.driver.execute_script(CHART_TEXT, graph)["sizes"])
        found = dash_duo.driver.execute_script(CHART_TEXT, graph)
        assert found["small"] == [], f"{path}: chart text under 20 px"
        assert min(found["sizes"]) >= 20, path
        assert found["cut"] == [], f"{path}: chart text runs off the chart"
        assert found["scroll"] <= 0, f"{path}: the page scrolls sideways by {found['scroll']} px"
    assert dash_duo.get_logs() == []
