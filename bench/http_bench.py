"""Callback throughput over HTTP at 1 and 20 concurrent clients, Crosspilot against bare Dash.

Each client is a thread with its own keep-alive connection (http.client) that POSTs one callback
request after another to /_dash-update-component for --seconds; the request bodies are built from the
app's own /_dash-dependencies, with the values a browser would send. Both apps under gunicorn with 4
workers (bench/servers.py). Prints requests per second, p50 and p95 latency, and the ratio.

The clients cycle through a few views, so after the first round Crosspilot answers its repeatable
callbacks from memory (crosspilot/responses.py), as for a room asking for the same views; the
"afresh" rows are the same requests with CROSSPILOT_RESPONSE_CACHE=0, every answer computed.

    python bench/http_bench.py [--seconds 10] [--clients 1,20] [--actors 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from servers import network_dataset, serve  # noqa: E402


def body_for(base: str, output_part: str, values: dict, changed: str, search: str = "") -> bytes:
    """The request the browser sends for the callback whose output names `output_part`."""
    with contextlib.closing(_connection(base)) as connection:
        connection.request("GET", "/_dash-dependencies")
        deps = json.loads(connection.getresponse().read())
    (dep,) = [d for d in deps if output_part in d["output"]]
    parts = [
        dict(zip(("id", "property"), p.rsplit(".", 1), strict=True))
        for p in dep["output"].strip(".").split("...")
    ]
    state = [
        {**s, "value": search if s["property"] == "search" else values.get(s["id"])} for s in dep["state"]
    ]
    payload = {
        "output": dep["output"],
        "outputs": parts if dep["output"].startswith("..") else parts[0],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "changedPropIds": [changed],
        "state": state,
    }
    return json.dumps(payload).encode()


def _connection(base: str) -> http.client.HTTPConnection:
    url = urlparse(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=60)


def load(base: str, bodies: list[bytes], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        connection, i = _connection(base), k
        mine = []
        while time.monotonic() < stop:
            body = bodies[i % len(bodies)]
            i += 1
            start = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    "/_dash-update-component",
                    body,
                    {"Content-Type": "application/json", "Accept-Encoding": "gzip, br"},
                )
                answer = connection.getresponse()
                answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = _connection(base)
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies) or [float("nan")]
    return {
        "rps": len(latencies) / elapsed,
        "p50": ordered[len(ordered) // 2] * 1000,
        "p95": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000,
        "errors": errors[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", default="1,20")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--actors", type=int, help="also the Networks callback on a network of N actors")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        env = {"CROSSPILOT_CACHE": str(Path(folder) / "cache")}
        bare = stack.enter_context(serve("bench.baseline_app:server", 8194, args.workers))
        app = stack.enter_context(serve("wsgi:server", 8195, args.workers, env))
        afresh = stack.enter_context(
            serve("wsgi:server", 8197, args.workers, {**env, "CROSSPILOT_RESPONSE_CACHE": "0"})
        )
        targets = {
            "bare Dash: radio -> 10-point scatter": (
                bare,
                [
                    body_for(bare, "graph.figure", {"choice": c}, "choice.value")
                    for c in ("one", "two", "three")
                ],
            ),
            "Compare bundled: chart": (
                app,
                [
                    body_for(
                        app,
                        "compare-graph.figure",
                        {"compare-form": f, "compare-mode": "absolute"},
                        "compare-form.value",
                    )
                    for f in ("dots", "bars", "lines", "heatmap")
                ],
            ),
            "Networks bundled: update": (
                app,
                [
                    body_for(
                        app,
                        "networks-mode.children",
                        {"networks-pilot": p, "networks-view": "auto"},
                        "networks-pilot.value",
                        f"?pilot={p}",
                    )
                    for p in ("hull", "hungary")
                ],
            ),
        }
        for name, (_app, bodies) in list(targets.items())[1:]:
            targets[f"{name}, afresh"] = (afresh, bodies)
        if args.actors:
            data = network_dataset(Path(folder) / "network", args.actors)
            big = stack.enter_context(
                serve("wsgi:server", 8196, args.workers, {**env, "CROSSPILOT_DATA": str(data)})
            )
            bodies = [
                body_for(
                    big,
                    "networks-mode.children",
                    {"networks-pilot": "hungary", "networks-view": v},
                    "networks-view.value",
                )
                for v in ("auto", "webgl")
            ]
            # First the background analysis, started as a visitor's browser does; not timed.
            from browser_bench import warm

            warm(big, "hungary")
            targets[f"Networks {args.actors:,} actors: update"] = (big, bodies)
        rows = {}
        for clients in counts:
            for name, (base, bodies) in targets.items():
                rows[(name, clients)] = load(base, bodies, clients, args.seconds)
        print(
            f"\n{'callback':40}{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'x fewer':>9}{'errs':>6}"
        )
        for clients in counts:
            bare_rps = rows[(next(iter(targets)), clients)]["rps"]
            for name in targets:
                r = rows[(name, clients)]
                print(
                    f"{name:40}{clients:8}{r['rps']:9.1f}{r['p50']:9.1f}{r['p95']:9.1f}"
                    f"{bare_rps / r['rps'] if r['rps'] else float('inf'):9.1f}{r['errors']:6}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
