"""Time the Networks page: layout + metrics at 1,000 and 10,000 actors, and its update path when cached.

Synthetic networks (preferential attachment, ~5 ties per actor, five sectors, two phases) stand in
for a social-media network. The update path is what the page's main callback does for one view:
check the view → take the cached analysis → filter / focus → build the WebGL figure, legend,
table and summary → serialise the figure as Dash does (`plotly.io.json.to_json_plotly`). A second
line times the same views serialising the callback's whole response (figure, table, legend, ...).

"Cached" means: every phase's analysis is computed and each phase has been viewed once (its
plain-language summary is kept per phase too), as on a server that has shown the pilot before.

    python bench/networks_bench.py [--views 40] [--skip-big] [--baseline REV] [--freeze]

--baseline REV runs the same views with the code of git revision REV (exported with `git archive`
into a temporary folder, run in a child process) and prints both side by side (revisions from before
crosspilot/views/networks.py are driven through their own parse_view / page_view).
--freeze calls gc.freeze() once after the warm-up, to time the update path with the cached analyses
out of the cyclic collector's reach (what the store did itself before; it no longer does).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --root DIR (used by --baseline): import the app's packages from another checkout.
CODE = Path(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.io.json as pjson  # noqa: E402

from callbacks.networks import page_view  # noqa: E402
from crosspilot import networks as nw  # noqa: E402
from layouts import networks as page  # noqa: E402

try:  # this tree: the view module and the app's context
    from crosspilot.config import Config
    from crosspilot.context import AppContext
    from crosspilot.views import networks as views
except ImportError:  # an older revision (--baseline): views as dicts, page_view(snapshot, store, ...)
    views = None

SECTORS = ("public", "civil_society", "commercial", "citizen", "informal")
ROLES = ("Deployer", "Deliverer", "User", "Broker", "Initiator")


class Snapshot:
    """Just what the Networks page reads from a snapshot."""

    def __init__(self, pilot: str, graph: nx.MultiGraph, version: str):
        self.networks = {pilot: graph}
        self.version = version
        self.pilots = pd.DataFrame({"pilot_id": [pilot], "name": [f"Synthetic {pilot}"], "place": [""]})


def synthetic(n: int, seed: int = 770492) -> nx.MultiGraph:
    rng = random.Random(seed)
    g = ig.Graph.Barabasi(n, 5, directed=False)
    graph = nx.MultiGraph()
    for v in range(n):
        graph.add_node(
            f"n{v}",
            node_id=f"n{v}",
            label=f"Actor {v}",
            sector=SECTORS[v % 5],
            role=ROLES[(v // 5) % 5],
            hard_to_reach=v % 7 == 0,
            status="illustrative",
        )
    for u, v in g.get_edgelist():
        if u == v:
            continue
        phase = rng.choice(("co-design", "co-implementation"))
        graph.add_edge(
            f"n{u}",
            f"n{v}",
            relation=rng.choice(("partnership", "information", "peer_support")),
            phase=phase,
            weight=float(rng.randint(1, 3)),
            status=rng.choice(("published", "illustrative")),
        )
    return nx.freeze(graph)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def stats(samples: list[float]) -> str:
    median, p95 = percentiles(samples)
    return f"median {median:8.1f} ms   p95 {p95:8.1f} ms   (n={len(samples)})"


class Page:
    """The page's update path for one query, through whichever API the code under test has."""

    def __init__(self, snapshot: Snapshot, cache: Path):
        if views is not None:
            self.context = AppContext(snapshot=snapshot, config=Config(cache_dir=cache))
            self.store = self.context.derived.networks
        else:
            self.store = nw.NetworkStore(snapshot, cache)

    def draw(self, query: dict) -> dict:
        if views is not None:
            view, _ = views.parse(self.context.derived, query)
            return page_view(self.context, view, "standard")
        view, _ = page.parse_view(self.store.snapshot, query)
        return page_view(self.store.snapshot, self.store, view, "standard")


def cold(n: int, cache: Path, results: dict) -> Page:
    graph = synthetic(n)
    print(f"\n{n:,} actors, {nx.Graph(graph).number_of_edges():,} distinct ties (two phases)")
    bench_page = Page(Snapshot("synthetic", graph, f"bench-{n}"), cache)
    store = bench_page.store
    t0 = time.perf_counter()
    ties = store.ties("synthetic")
    t1 = time.perf_counter()
    positions = nw.compute_layout(ties)
    t2 = time.perf_counter()
    nw.compute_metrics(ties)
    t3 = time.perf_counter()
    print(f"  tie graph      {t1 - t0:7.2f} s")
    print(f"  layout (FR)    {t2 - t1:7.2f} s")
    print(f"  metrics        {t3 - t2:7.2f} s")
    print(f"  layout+metrics {t3 - t1:7.2f} s")
    results[f"{n}:layout+metrics s"] = t3 - t1
    t4 = time.perf_counter()
    store.analysis("synthetic")  # cold store: computes and writes the disk cache
    t5 = time.perf_counter()
    again = nw.NetworkStore(Snapshot("synthetic", graph, f"bench-{n}"), cache)
    again.analysis("synthetic")  # another worker: reads the disk cache
    t6 = time.perf_counter()
    print(f"  cold analysis through the store (computes, writes cache) {t5 - t4:7.2f} s")
    print(f"  same analysis in a new process from the disk cache       {t6 - t5:7.2f} s")
    assert len(positions) == n and again.computed == {}
    return bench_page


def _serialisable(out: dict) -> dict:
    return {k: v for k, v in out.items() if v is not None and type(v).__name__ != "NoUpdate"}


def update_path(bench_page: Page, count: int, n: int, results: dict, freeze: bool) -> None:
    store = bench_page.store
    rng = random.Random(1)
    phases = [nw.ALL_PHASES, "co-design", "co-implementation"]
    for phase in phases:  # warm: each phase's analysis computed and the phase viewed once
        store.analysis("synthetic", phase)
        bench_page.draw({"pilot": "synthetic", "phase": phase})
    store.ties("synthetic", "co-design")
    if freeze:
        gc.collect()
        gc.freeze()
    samples, whole, sizes = [], [], []
    for _ in range(count):
        query = {
            "pilot": "synthetic",
            "phase": rng.choice(phases),
            "size": rng.choice(nw.NODE_METRIC_KEYS),
        }
        if rng.random() < 0.3:
            query["sectors"] = ",".join(rng.sample(SECTORS, 3))
        if rng.random() < 0.3:
            query["focus"] = f"n{rng.randrange(50)}"
            query["steps"] = "2"
        start = time.perf_counter()
        out = bench_page.draw(query)
        payload = pjson.to_json_plotly(out["figure"]) if out["figure"] is not None else ""
        samples.append(time.perf_counter() - start)
        sizes.append(len(payload))
        start = time.perf_counter()
        pjson.to_json_plotly(_serialisable(bench_page.draw(query)))
        whole.append(time.perf_counter() - start)
    print(f"  update path (cached, WebGL): {stats(samples)}   target p95 < 300 ms")
    print(f"  same, whole response:        {stats(whole)}")
    print(f"  figure JSON: median {statistics.median(sizes) / 1e6:.1f} MB")
    results[f"{n}:update median ms"], results[f"{n}:update p95 ms"] = percentiles(samples)
    results[f"{n}:response median ms"], results[f"{n}:response p95 ms"] = percentiles(whole)
    results[f"{n}:figure MB"] = statistics.median(sizes) / 1e6


def baseline(rev: str, args) -> dict:
    """The same bench with the code of `rev`, in a child process; its figures as a dict."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--root",
            folder,
            "--views",
            str(args.views),
        ]
        command += ["--skip-big"] if args.skip_big else []
        command += ["--freeze"] if args.freeze else []
        child = subprocess.run(
            [*command, "--json"], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}
        )
        if child.returncode:
            sys.stderr.write(child.stderr)
            raise SystemExit(f"baseline {rev} failed")
        return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument("--skip-big", action="store_true", help="only the 1,000-actor network")
    parser.add_argument("--baseline", metavar="REV", help="also run the code of this git revision")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() once after the warm-up")
    parser.add_argument("--root", help=argparse.SUPPRESS)  # read before the imports, see CODE
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # last line: figures
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        for n in (1000,) if args.skip_big else (1000, 10000):
            update_path(cold(n, cache, results), args.views, n, results, args.freeze)
    if args.json:
        print(json.dumps(results))
    if args.baseline:
        print(f"\nRunning the same views with {args.baseline} ...", flush=True)
        before = baseline(args.baseline, args)
        print(f"\n{'':34}{args.baseline[:12]:>12}{'this tree':>12}{'ratio':>8}")
        for key, now in results.items():
            if key in before:
                was = before[key]
                ratio = f"{was / now:7.1f}x" if now else ""
                print(f"{key:34}{was:12.1f}{now:12.1f} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
