"""Accessibility in headless Chromium: axe-core on every page and state, in both themes; keyboard use."""

from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.webdriver.common.keys import Keys

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
    "workshop": ("/workshop", "#workshop-create"),
}


@pytest.fixture
def app(tmp_path):
    app = make_app()
    app.server.config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'a11y.db'}"
    return app


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
