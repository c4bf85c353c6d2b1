"""Sign-in in a real browser: the form by keyboard, the account area, the admin page (axe in both
themes), an invitation link made there, and signing out (a form posting its CSRF token)."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.a11y import ALL_IMPACTS, STRUCTURE, WCAG, axe_violations
from tests.conftest import make_app

PORT = 8163
PASSWORD = "a long test password"


@pytest.fixture
def app(tmp_path):
    app = make_app(database_url=f"sqlite:///{tmp_path / 'accounts.db'}")
    app.context.accounts().add("ada@example.org", "admin", PASSWORD)
    return app


def _check(dash_duo, where: str) -> None:
    found = axe_violations(dash_duo.driver, tags=WCAG + STRUCTURE, impacts=ALL_IMPACTS)
    assert found == [], f"{where}: {found}"


def _type(dash_duo, *keys) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def test_a_partner_signs_in_by_keyboard_runs_the_admin_page_and_signs_out(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    dash_duo.wait_for_page(base + "/networks?pilot=hull")
    dash_duo.wait_for_element("#shell-sign-in", timeout=10).click()
    dash_duo.wait_for_element("#login-email", timeout=10)
    assert "next=%2Fnetworks%3Fpilot%3Dhull" in dash_duo.driver.current_url
    _check(dash_duo, "sign-in form")
    # The email field has the focus; the password follows by Tab; Enter sends the form.
    _type(dash_duo, "ada@example.org", Keys.TAB, "wrong password here", Keys.ENTER)
    dash_duo.wait_for_contains_text(".alert-danger", "Wrong email or password", timeout=10)
    _check(dash_duo, "sign-in form with its error")
    dash_duo.find_element("#login-password").send_keys(PASSWORD, Keys.ENTER)
    # Back on the page the visitor came from, signed in, with the role named.
    dash_duo.wait_for_contains_text("#shell-account", "ada@example.org", timeout=10)
    assert dash_duo.driver.current_url.endswith("/networks?pilot=hull")
    assert "Admin" in dash_duo.find_element("#shell-account .account-who").text

    for theme in ("projector", "standard"):
        dash_duo.wait_for_page(base + ("/admin" if theme == "standard" else "/admin?theme=projector"))
        dash_duo.wait_for_element("#admin-accounts", timeout=10)
        _check(dash_duo, f"admin page ({theme})")
    dash_duo.find_element("#admin-invite-email").send_keys("new@partner.org")
    dash_duo.find_element("#admin-invite").send_keys(Keys.ENTER)
    link = dash_duo.wait_for_element("#admin-invite-result-link", timeout=10).text
    assert re.fullmatch(re.escape(base) + r"/invite/\S+", link)
    dash_duo.wait_for_contains_text("#admin-invitations", "new@partner.org", timeout=10)
    dash_duo.wait_for_contains_text("#admin-audit", "invited", timeout=10)

    dash_duo.find_element("#shell-sign-out").send_keys(Keys.ENTER)  # the form posts its CSRF token
    try:
        dash_duo.wait_for_element("#shell-sign-in", timeout=30)  # the overview, anonymous again
    except Exception as error:  # say where the browser ended up
        body = dash_duo.driver.find_element("tag name", "body").text[:500]
        raise AssertionError(f"not signed out: {dash_duo.driver.current_url}: {body}") from error
    # Opened by its link, the admin page is now the server's refusal (401) with a way to sign in.
    dash_duo.driver.get(base + "/admin")
    dash_duo.wait_for_contains_text("main [role=alert]", "This needs an admin", timeout=10)
    assert "/login?next=%2Fadmin" in dash_duo.find_element("main a").get_attribute("href")
    # The only console lines are the two refusals this test asked for (a wrong password, /admin).
    logs = dash_duo.get_logs()
    assert [entry for entry in logs if "status of 401" not in entry["message"]] == [] and len(logs) == 2
