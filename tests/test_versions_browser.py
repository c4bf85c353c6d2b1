"""Dataset versions in a real browser: an editor signs in, uploads a changed outcomes file on /data,
reads the report and the diff, activates it, and the page says it is the active version."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.test_versions import changed_outcomes, make

PORT = 8171
PASSWORD = "a long test password"


@pytest.fixture
def app(tmp_path):
    app = make(tmp_path, f"sqlite:///{tmp_path / 'versions.db'}")
    app.context.accounts().add("eve@example.org", "editor", PASSWORD)
    return app


@pytest.mark.browser
def test_an_editor_uploads_a_changed_file_sees_the_diff_and_activates_it(dash_duo, app, tmp_path):
    upload = tmp_path / "outcomes.csv"
    upload.write_bytes(changed_outcomes())
    dash_duo.start_server(app, port=PORT)
    base = dash_duo.server_url
    dash_duo.driver.get(base + "/login?next=%2Fdata")  # a plain form, not a Dash page
    dash_duo.wait_for_element("#login-email", timeout=10).send_keys("eve@example.org")
    dash_duo.find_element("#login-password").send_keys(PASSWORD, Keys.ENTER)
    dash_duo.wait_for_element("#data-upload", timeout=15)
    dash_duo.find_element("#data-upload-label").send_keys("Corrected Hungary")
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(upload))
    # The report and the diff: one outcome row added, one changed, one removed.
    dash_duo.wait_for_contains_text("#data-upload-result", "Result: 0 error(s)", timeout=30)
    rows = [r.text.split() for r in dash_duo.find_elements("#data-diff-tables tr")]
    assert ["outcomes", "1", "1", "1"] in rows and ["pilots", "0", "0", "0"] in rows
    assert "Configured data folder" in dash_duo.find_element("#data-versions-table").text
    dash_duo.find_element("#data-activate-upload").send_keys(Keys.ENTER)  # by keyboard
    dash_duo.wait_for_contains_text("#data-versions-status", "Activated", timeout=30)
    dash_duo.wait_for_contains_text("#data-versions-table", "Corrected Hungary", timeout=10)
    first = next(r.text for r in dash_duo.find_elements("#data-versions-table tr") if "Corrected" in r.text)
    assert "Active" in first
    assert app.context.snapshot.outcomes.iloc[0]["value"] == 11.0
    assert dash_duo.get_logs() == []
