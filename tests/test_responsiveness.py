"""What keeps an in-page change quick in the browser: assets/01-renderer.js skips dash-renderer's
no-op resets, which each re-ran every component's selector (a Compare change went from ~700 to ~390 ms
p50 on the 2-core test machine, bench/browser_bench.py)."""

from __future__ import annotations

import re
from pathlib import Path

import dash
import pytest
from selenium.webdriver.common.keys import Keys

from tests.conftest import make_app

PORT = 8172
RENDERER = Path(dash.__file__).parent / "dash-renderer" / "build" / "dash_renderer.dev.js"


def test_the_pinned_renderer_still_resets_only_the_counts_under_the_path():
    """The skip is sound only while the reducer's one effect of the action is to drop the layout
    hashes whose key starts with the comma-joined `itempath`. A dash upgrade that changes it fails here:
    check assets/01-renderer.js against the new reducer before pinning it."""
    source = RENDERER.read_text(encoding="utf-8")
    handled = [m.start() for m in re.finditer(r"action\.type === 'RESET_COMPONENT_STATE'", source)]
    assert len(handled) == 1, "RESET_COMPONENT_STATE is handled in more than one reducer now"
    branch = source[handled[0] : handled[0] + 700]
    assert re.search(
        r"var itempath = action\.payload\.itempath;\s*if \(itempath\) \{\s*"
        r"var prefixStr = \(0,\w+\.stringifyPath\)\(itempath\);\s*"
        r"// Remove all hashes for keys starting with prefixStr\s*"
        r"return Object\.fromEntries\(Object\.entries\(state\)\.filter\(function \(_ref\) \{[^}]*"
        r"return !key\.startsWith\(prefixStr\);",
        branch,
    ), branch
    assert re.search(
        r"function stringifyPath\(layoutPath\) \{\s*return \(0,\w+\[\"default\"\]\)\(',', layoutPath\);",
        source,
    )
    reducer = source.rfind("var layoutHashes = function layoutHashes()", 0, handled[0])
    assert 0 <= reducer and handled[0] - reducer < 1500, "no longer handled by the layoutHashes reducer"


@pytest.fixture
def app():
    return make_app()


def test_a_change_skips_the_no_op_resets_and_draws_the_new_view(dash_duo, app):
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(f"{dash_duo.server_url}/compare")
    dash_duo.wait_for_element("#compare-graph .js-plotly-plot .scatterlayer", timeout=15)
    assert "only one period" not in dash_duo.find_element("#compare-table").text
    before = dash_duo.driver.execute_script("return Object.assign({}, window.store.__crosspilotResets)")
    radio = dash_duo.find_element("#compare-mode input[value='indexed']")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
    radio.send_keys(Keys.SPACE)
    # The new view is drawn: the table of plotted data says what indexing left out.
    dash_duo.wait_for_contains_text("#compare-table", "only one period", timeout=10)
    after = dash_duo.driver.execute_script("return Object.assign({}, window.store.__crosspilotResets)")
    assert after["skipped"] - before["skipped"] >= 5  # the badge's reasons, the sources' links, drawn anew
    assert "mode=indexed" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
