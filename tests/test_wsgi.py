"""The production entry: gunicorn with several workers serves the app."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.helpers import router_request

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_gunicorn_workers_serve_pages_and_callbacks(tmp_path):
    port = _free_port()
    env = {**os.environ, "CROSSPILOT_DATA": str(FIXTURES / "tiny"), "CROSSPILOT_CACHE": str(tmp_path)}
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        pages = [urllib.request.urlopen(base + "/", timeout=5) for _ in range(8)]
        assert {p.status for p in pages} == {200}
        deps = json.load(urllib.request.urlopen(base + "/_dash-dependencies", timeout=5))
        body = json.dumps(router_request(deps, "/")).encode()
        for _ in range(4):  # several requests, so both workers are likely to answer one
            request = urllib.request.Request(
                base + "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
            )
            answer = json.load(urllib.request.urlopen(request, timeout=10))
            assert "Alpha pilot" in json.dumps(answer["response"]["shell-content"])
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_wsgi_refuses_an_invalid_dataset_with_the_report():
    env = {**os.environ, "CROSSPILOT_DATA": str(FIXTURES / "broken"), "CROSSPILOT_CACHE": "off"}
    done = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "outcomes.csv line" in done.stderr


def test_gunicorn_preloads_the_app_unless_told_not_to():
    # gunicorn.conf.py, read by `gunicorn wsgi:server` in the app's folder: one app in the master.
    def preload(**env) -> str:
        done = subprocess.run(
            [str(GUNICORN), "--print-config", "wsgi:server"],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        (line,) = [x for x in done.stdout.splitlines() if x.startswith("preload_app ")]
        return line.split("=")[1].strip()

    assert preload() == "True"
    assert preload(CROSSPILOT_PRELOAD="0") == "False"


WARMED = """
import gc, runpy, types, wsgi
derived = wsgi.app.context.derived
built = ("_compare_index", "_lesson_index", "_pilot_cards", "outcome_statuses")
before = sorted(k for k in built if k in derived.__dict__)
hooks = runpy.run_path("gunicorn.conf.py")
hooks["when_ready"](types.SimpleNamespace(cfg=types.SimpleNamespace(preload_app=True)))
after = sorted(k for k in built if k in derived.__dict__)
print(before, after)
print(sorted(key[1] for key in derived.networks._memory if key[0] == "analysis"))
print(gc.get_freeze_count() > 0, not any(o is derived for o in gc.get_objects()))
"""


def test_the_preloaded_master_builds_the_indexes_the_workers_then_share(tmp_path):
    env = {**os.environ, "CROSSPILOT_DATA": str(FIXTURES / "tiny"), "CROSSPILOT_CACHE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", WARMED], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == (
        "[] ['_compare_index', '_lesson_index', '_pilot_cards', 'outcome_statuses']"
    )
    # Every network's analysis too (all small here): a worker's first Networks page computes none.
    from crosspilot.dataset import load_dataset

    networks = sorted(load_dataset(FIXTURES / "tiny").snapshot.networks)
    assert networks and done.stdout.split("\n")[1] == str(networks)
    # Then frozen out of the collector's reach: a worker's collections leave the shared pages alone.
    assert done.stdout.split("\n")[2] == "True True"
