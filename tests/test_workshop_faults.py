"""Faults answered, then recovered: the workshop database stopped, read-only or locked gets a 503 JSON
with Retry-After saying the vote was not saved, and the first request after it is back succeeds; four
workers starting on a fresh database at once answer no 500 and lose no acknowledged vote."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from callbacks.workshop_api import BROWSER_COOKIE
from tests.conftest import make_app
from tests.helpers import sign_in
from tests.test_workshop_contract import own_database

ROOT = Path(__file__).resolve().parent.parent
IS_ROOT = os.geteuid() == 0


def read_only(paths: list[Path], on: bool) -> None:
    """Make files (or a folder) unwritable. Root ignores file modes, so as root the immutable flag
    (chattr +i) does it. The -shm file stays writable: SQLite maps it, and an immutable map is a SIGBUS."""
    for path in paths:
        if not path.exists():
            continue
        if IS_ROOT:
            subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True)
        else:
            path.chmod(0o555 if path.is_dir() else 0o444) if on else path.chmod(
                0o755 if path.is_dir() else 0o644
            )


def room_on(url: str):
    app = make_app(database_url=url)
    client = sign_in(app)
    room = client.post("/api/workshops", json={"title": "Faults", "items": ["governance:hull"]}).json
    key = {"X-Facilitator-Key": room["facilitator_key"]}
    client.post(f"/api/workshops/{room['id']}/control", json={"action": "open"}, headers=key)
    tokens = []
    for _ in range(3):
        client.delete_cookie(BROWSER_COOKIE)
        tokens.append(client.post("/api/join", json={"code": room["join_code"]}).json["token"])
    return SimpleNamespace(app=app, client=client, room=room, key=key, tokens=tokens)


def vote(r, token: str, stance: str):
    return r.client.post(
        f"/api/workshops/{r.room['id']}/votes",
        json={"position": 0, "stance": stance},
        headers={"X-Participant-Token": token},
    )


def counts(r) -> dict:
    return r.client.get(f"/api/workshops/{r.room['id']}/results?position=0", headers=r.key).json["counts"]


def assert_unavailable(response, saying: str = "not saved") -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json" and saying in response.json["error"]
    assert int(response.headers["Retry-After"]) >= 1


def test_a_read_only_sqlite_file_is_a_503_and_the_first_vote_after_it_is_writable_is_stored(tmp_path):
    db = tmp_path / "faults.db"
    r = room_on(f"sqlite:///{db}")
    assert vote(r, r.tokens[0], "agree").status_code == 200
    unwritable = [db, Path(f"{db}-wal")]
    read_only(unwritable, True)
    try:
        for token in r.tokens:
            refused = vote(r, token, "disagree")
            assert_unavailable(refused, "your vote was not saved")
        # Reading still works, and shows that nothing was half-saved.
        assert counts(r)["disagree"] == 0
        assert_unavailable(
            r.client.post(f"/api/workshops/{r.room['id']}/control", json={"action": "close"}, headers=r.key),
            "nothing was saved",
        )
    finally:
        read_only(unwritable, False)
    # The first try after recovery succeeds (a connection opened read-only is not reused).
    assert [vote(r, token, "disagree").status_code for token in r.tokens] == [200, 200, 200]
    assert counts(r) == {"agree": 0, "agree_with_changes": 0, "disagree": 3, "cant_judge": 0}


def test_a_read_only_folder_before_the_database_exists_is_a_503_then_it_is_created(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir()
    # No database yet, so no account: a script creates the workshop with the admin password.
    app = make_app(database_url=f"sqlite:///{folder / 'new.db'}", admin_password="admin-pass-123")
    client = app.server.test_client()
    client.environ_base["HTTP_X_FACILITATOR_KEY"] = "admin-pass-123"
    read_only([folder], True)
    try:
        refused = client.post("/api/workshops", json={"title": "Early", "items": ["governance:hull"]})
        assert_unavailable(refused, "nothing was saved")
        assert_unavailable(client.get("/api/workshops/abcdef"), "unavailable")
    finally:
        read_only([folder], False)
    created = client.post("/api/workshops", json={"title": "Early", "items": ["governance:hull"]})
    assert created.status_code == 201
    assert client.get(f"/api/workshops/{created.json['id']}").json["title"] == "Early"


def test_a_locked_sqlite_database_is_a_503_not_a_500(tmp_path):
    db = tmp_path / "locked.db"
    r = room_on(f"sqlite:///{db}")
    r.app.context.workshop().engine.dispose()
    import sqlite3

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
    from crosspilot.workshop import store

    before, store.BUSY_TIMEOUT_MS = store.BUSY_TIMEOUT_MS, 200
    try:
        engine = store.make_engine(f"sqlite:///{db}", upgrade=False)  # picks up the short busy timeout
        r.app.context.workshop().engine = engine
        assert_unavailable(vote(r, r.tokens[0], "agree"), "your vote was not saved")
    finally:
        store.BUSY_TIMEOUT_MS = before
        holder.execute("ROLLBACK")
        holder.close()
    assert vote(r, r.tokens[0], "agree").status_code == 200
    assert counts(r)["agree"] == 1


PG_DIR_OPTIONS = "-p {port} -c listen_addresses=127.0.0.1 -k {dir} -c fsync=off -c max_connections=200"


def start_postgres_keeping_its_data() -> None:
    """Start the stopped test server on its data folder. `pg_test_server.sh` alone would start it on a
    new, empty folder (it removes the old one), and the point here is that nothing acknowledged is lost."""
    port = os.environ.get("CROSSPILOT_PG_PORT", "54329")
    folder = os.environ.get("CROSSPILOT_PG_DIR", f"/tmp/crosspilot-pg-{port}")
    binary = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(binary / "pg_ctl"),
            "-D",
            folder,
            "-l",
            f"{folder}/server.log",
            "-w",
            "-o",
            PG_DIR_OPTIONS.format(port=port, dir=folder),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(["bash", "scripts/pg_test_server.sh"], cwd=ROOT, check=True, capture_output=True)


@pytest.mark.skipif(not IS_ROOT, reason="stopping and starting the PostgreSQL test server needs root")
def test_postgresql_stopped_mid_run_is_a_503_and_the_first_vote_after_it_is_back_is_stored(tmp_path):
    url, drop = own_database("postgresql", tmp_path)
    try:
        r = room_on(url)
        assert vote(r, r.tokens[0], "agree").status_code == 200
        subprocess.run(["bash", "scripts/pg_test_server.sh", "stop"], cwd=ROOT, check=True)
        try:
            assert_unavailable(vote(r, r.tokens[1], "agree"), "your vote was not saved")
            assert_unavailable(r.client.get(f"/api/workshops/{r.room['id']}"), "unavailable")
        finally:
            start_postgres_keeping_its_data()
        assert vote(r, r.tokens[1], "agree").status_code == 200  # the first try after it is back
        assert vote(r, r.tokens[2], "disagree").status_code == 200
        assert counts(r) == {"agree": 2, "agree_with_changes": 0, "disagree": 1, "cant_judge": 0}
        r.app.context.workshop().engine.dispose()
    finally:
        drop()


# --- four workers on a fresh database -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(base: str, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_four_workers_on_a_fresh_database_at_once_no_500_and_no_acknowledged_vote_lost(kind, tmp_path):
    url, drop = own_database(kind, tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # A fresh database has no accounts yet: the rooms are made with the admin password, as a script would.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "faults",
        "CROSSPILOT_CACHE": "off",
        "CROSSPILOT_ADMIN_PASSWORD": "admin-pass-123",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "4",
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:server",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        # 16 first requests at once over 4 workers: each worker makes its engine and upgrades the schema.
        with ThreadPoolExecutor(16) as pool:
            created = list(
                pool.map(
                    lambda n: http(
                        base,
                        "POST",
                        "/api/workshops",
                        {"title": f"Room {n}", "items": ["governance:hull"]},
                        {"X-Facilitator-Key": "admin-pass-123"},
                    ),
                    range(16),
                )
            )
        statuses = [status for status, _ in created]
        assert 500 not in statuses and statuses.count(201) >= 1, created
        room = next(body for status, body in created if status == 201)
        key = {"X-Facilitator-Key": room["facilitator_key"]}
        assert http(base, "POST", f"/api/workshops/{room['id']}/control", {"action": "open"}, key)[0] == 200

        def person(n: int) -> tuple[list[int], str]:
            seen = []
            for _ in range(20):  # a phone retries a 503 until it is acknowledged
                status, body = http(base, "POST", "/api/join", {"code": room["join_code"]})
                seen.append(status)
                if status == 201:
                    break
                time.sleep(0.2)
            token = body["token"]
            for _ in range(20):
                status, _answer = http(
                    base,
                    "POST",
                    f"/api/workshops/{room['id']}/votes",
                    {"position": 0, "stance": "agree"},
                    {"X-Participant-Token": token},
                )
                seen.append(status)
                if status == 200:
                    return seen, "acknowledged"
                time.sleep(0.2)
            return seen, "gave up"

        with ThreadPoolExecutor(16) as pool:
            people = list(pool.map(person, range(48)))
        every_status = [s for seen, _ in people for s in seen]
        assert 500 not in every_status
        assert set(every_status) <= {200, 201, 503}
        acknowledged = sum(1 for _, outcome in people if outcome == "acknowledged")
        assert acknowledged == 48
        status, results = http(base, "GET", f"/api/workshops/{room['id']}/results?position=0", headers=key)
        assert status == 200 and results["counts"]["agree"] == acknowledged
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        drop()
