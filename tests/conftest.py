"""Shared fixtures: apps on the tiny and the bundled dataset, and the browser requirement."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"

from app import create_app  # noqa: E402
from crosspilot.config import Config  # noqa: E402
from crosspilot.dataset import BUNDLED  # noqa: E402


def make_app(data_dir: Path = BUNDLED, **overrides):
    return create_app(Config(data_dir=data_dir, cache_dir=None, **overrides))


@pytest.fixture
def redis_url():
    """The test server's URL, its database emptied; only a developer without one skips."""
    url = os.environ.get("CROSSPILOT_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") or os.environ.get("CROSSPILOT_REQUIRE_BROWSER"):
            pytest.fail("CROSSPILOT_TEST_REDIS_URL must be set here (see scripts/redis_test_server.sh)")
        pytest.skip("CROSSPILOT_TEST_REDIS_URL is not set: no Redis server to test against")
    import redis

    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(scope="session")
def cosie_app():
    return make_app(BUNDLED)


@pytest.fixture(scope="session")
def tiny_app():
    return make_app(FIXTURES / "tiny")


def pytest_collection_modifyitems(config, items):
    """Every test that opens Chromium carries the `browser` marker (`-m "not browser"` runs the fast
    suite). Browser tests skip only where no Chromium is installed, and never in CI."""
    for item in items:
        if "dash_duo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    have_browser = shutil.which("chromedriver") and (
        shutil.which("chromium") or shutil.which("google-chrome")
    )
    if have_browser:
        return
    if os.environ.get("CROSSPILOT_REQUIRE_BROWSER") or os.environ.get("CI"):
        raise pytest.UsageError("browser tests must run here but chromium/chromedriver are missing")
    skip = pytest.mark.skip(reason="chromium and chromium-driver are not installed")
    for item in items:
        if "dash_duo" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)
