"""Several hosts: background jobs on a Celery worker queued in Redis, and the networks' analyses, locks
and progress shared through Redis instead of a disk, against a real Redis server
(scripts/redis_test_server.sh; CI starts one)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time

import pytest
import redis

from crosspilot import networks as nw
from crosspilot.networks.shelf import RedisShelf
from tests.conftest import ROOT
from tests.test_networks_background import MID, _Snapshot
from tests.test_networks_browser import _DRAWN, _WATCH_MODE, _big_dataset

PORT = 8157


def _hold_and_die(url, held) -> None:
    shelf = RedisShelf.from_url(url, lease=1)
    with shelf.hold("layout-x"):
        held.set()
        time.sleep(0.6)  # renewed once (every lease / 3 s) while it lives
        os._exit(1)  # dies holding the lock: no release


def test_a_lock_whose_holder_died_lapses_and_a_living_holder_keeps_it(redis_url):
    fork = multiprocessing.get_context("fork")
    held = fork.Event()
    dying = fork.Process(target=_hold_and_die, args=(redis_url, held))
    dying.start()
    assert held.wait(30)
    dying.join(30)
    started = time.monotonic()
    with RedisShelf.from_url(redis_url, lease=1).hold("layout-x"):
        waited = time.monotonic() - started
    assert waited < 3  # the dead holder's lease ran out; nobody waits for it forever
    # A holder working longer than its lease keeps the lock: it renews it.
    shelf, other = RedisShelf.from_url(redis_url, lease=1), RedisShelf.from_url(redis_url, lease=1)
    with shelf.hold("metrics-y"):
        time.sleep(1.5)
        assert not other.client.lock(other.prefix + "metrics-y:lock").acquire(blocking=False)


def test_with_redis_gone_the_store_still_answers_computing_on_its_own(redis_url):
    gone = RedisShelf.from_url("redis://127.0.0.1:9/0")  # nothing listens on port 9
    assert gone.get("x") is None and gone.has("x") is False
    gone.put("x", b"dropped")  # no error: a write that cannot happen only costs time
    store = nw.NetworkStore(_Snapshot(MID), gone, inline_actors=0)
    assert not store.ready("big", "one")
    assert store.prepare("big", "one").nodes.shape[0] == 3005
    assert store.computed == {"layout": 1, "metrics": 1}


def test_while_redis_is_gone_the_page_says_so_and_asks_again_until_it_is_back(redis_url):
    from dash import no_update

    from callbacks import networks as cb
    from tests.helpers import context_of

    context = context_of(_Snapshot(MID))
    store = context.derived.networks
    store.inline_actors, store.shelf = 1000, RedisShelf.from_url("redis://127.0.0.1:9/0")
    controls = {**dict.fromkeys(cb.CONTROLS), "pilot": "big", "phase": "two", "view": "webgl"}
    mode = cb.update(context, controls, "", None)["mode"]
    assert "the background service cannot be reached just now" in mode
    assert "asks again every few seconds" in mode
    # No job is queued where nothing can run it; the retry timer is on.
    assert cb.ask(context, "big", "two") == {"job": no_update, "retry_off": False}
    assert store.computed == {}  # and nothing heavy ran in the request instead
    store.shelf = RedisShelf.from_url(redis_url)  # the service is back: the next tick asks for the job
    asked = cb.ask(context, "big", "two", _retry=3, now=5.0)
    assert asked == {"job": {"pilot": "big", "phase": "two", "asked": 5.0}, "retry_off": True}
    assert "is being laid out and measured" in cb.update(context, controls, "", None)["mode"]


@pytest.fixture
def celery_worker(tmp_path, redis_url):
    """A Celery worker on the same dataset, as on another host: its own cache folder, its own database."""
    data = _big_dataset(tmp_path / "data")
    env = {
        **os.environ,
        "CROSSPILOT_DATA": str(data),
        "CROSSPILOT_CACHE": str(tmp_path / "worker-cache"),
        "CROSSPILOT_REDIS_URL": redis_url,
        "CROSSPILOT_INLINE_ACTORS": "100",  # the 900-actor network counts as large: a job's work
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.db'}",
        "SECRET_KEY": "several-hosts-test",
    }
    command = [sys.executable, "-m", "celery", "-A", "crosspilot_celery:celery", "worker", "--pool=solo"]
    command += ["--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield data, worker, tmp_path / "worker.log"
    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()
    log.close()


def test_a_celery_worker_analyses_a_large_network_that_the_web_host_then_draws(
    dash_duo, tmp_path, redis_url, celery_worker
):
    from dash.testing.wait import until
    from selenium.webdriver.common.keys import Keys

    from app import create_app
    from crosspilot.config import Config

    data, worker, worker_log = celery_worker
    web_cache = tmp_path / "web-cache"
    config = Config(data_dir=data, cache_dir=web_cache, redis_url=redis_url, inline_actors=100)
    app = create_app(config)
    store = app.context.derived.networks
    dash_duo.start_server(app, port=PORT)
    dash_duo.wait_for_page(dash_duo.server_url)
    dash_duo.wait_for_element("#shell-content h1", timeout=10)
    dash_duo.driver.execute_script(_WATCH_MODE)
    dash_duo.find_element("a.nav-link[href='/networks']").click()
    try:
        dash_duo.wait_for_contains_text("#networks-mode", "Grouped by sector: 2 groups", timeout=90)
    except Exception:
        raise AssertionError((worker.poll(), worker_log.read_text(errors="replace")[-3000:])) from None
    said = dash_duo.driver.execute_script("return window.modeTexts;")
    assert "laid out and measured for the first time, in the background" in said[0]
    dash_duo.find_element("#networks-draw-all").send_keys(Keys.ENTER)  # at the screen's lower edge
    dash_duo.wait_for_contains_text("#networks-mode", "WebGL drawing: 900 actors, 1,200 ties.", timeout=30)
    until(lambda: dash_duo.driver.execute_script(_DRAWN) == [900, 1200, 1200, True], timeout=15)
    # The worker computed it, the web host only read it, and no disk was shared: it is all in Redis.
    assert store.computed == {}
    assert not list(web_cache.glob("networks/*")) and not list((tmp_path / "worker-cache").glob("networks/*"))
    keys = {k.decode().split("-")[0] for k in redis.Redis.from_url(redis_url).keys("crosspilot:networks:*")}
    assert {"crosspilot:networks:layout", "crosspilot:networks:metrics", "crosspilot:networks:job"} <= keys
    assert dash_duo.get_logs() == []
