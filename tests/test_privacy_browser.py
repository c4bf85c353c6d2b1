"""Privacy tiers in a real browser: a public visitor's Networks page draws pseudonyms where a partner,
signed in through the form, sees the names, in the same picture."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.conftest import make_app
from tests.privacy_data import PARTNERS_PILOT, protected_dataset

PORT = 8164
PASSWORD = "a long test password"
NODES = (
    "return document.getElementById('networks-cyto')._cyreg.cy.nodes()"
    ".map(n => [n.data('label'), n.position('x')]);"
)


@pytest.fixture
def app(tmp_path):
    folder, _ = protected_dataset(tmp_path / "data")
    app = make_app(folder, database_url=f"sqlite:///{tmp_path / 'p.db'}")
    app.context.accounts().add("partner@example.org", "partner", PASSWORD)
    return app


def test_the_public_sees_pseudonyms_and_a_signed_in_partner_the_names_in_the_same_places(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    page = f"{dash_duo.server_url}/networks?pilot={PARTNERS_PILOT}"
    dash_duo.wait_for_page(page)
    dash_duo.wait_for_contains_text("#networks-table", "Public actor 1", timeout=15)
    assert "Zqx" not in dash_duo.find_element("#shell-content").text
    public = sorted(dash_duo.driver.execute_script(NODES), key=lambda n: n[1])
    assert public and not any("Zqx" in label for label, _ in public)

    dash_duo.find_element("#shell-sign-in").click()
    dash_duo.wait_for_element("#login-email", timeout=10).send_keys("partner@example.org")
    dash_duo.find_element("#login-password").send_keys(PASSWORD, Keys.ENTER)
    dash_duo.wait_for_contains_text("#networks-table", "Zqx Confidential Org", timeout=15)
    partner = sorted(dash_duo.driver.execute_script(NODES), key=lambda n: n[1])
    assert all("Zqx" in label for label, _ in partner)
    # The same picture: as many actors, each at the same place.
    assert [x for _, x in partner] == [x for _, x in public]
    assert dash_duo.get_logs() == []
