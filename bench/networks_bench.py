"""Time the Networks page: layout + metrics at 1,000 and 10,000 actors, and its update path when cached.

Synthetic networks (preferential attachment, ~5 ties per actor, five sectors, two phases) stand in
for a social-media network. The update path is what the page's main callback does for one view:
check the view → take the cached analysis → filter / focus → build the WebGL figure, legend,
table and summary → serialise the figure as Dash does (`plotly.io.json.to_json_plotly`).

    python bench/networks_bench.py [--views 40] [--skip-big]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.io.json as pjson  # noqa: E402

from callbacks.networks import page_view  # noqa: E402
from crosspilot import networks as nw  # noqa: E402
from layouts import networks as page  # noqa: E402

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


def stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (
        f"median {statistics.median(ordered) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms   (n={len(ordered)})"
    )


def cold(n: int, cache: Path) -> nw.NetworkStore:
    graph = synthetic(n)
    print(f"\n{n:,} actors, {nx.Graph(graph).number_of_edges():,} distinct ties (two phases)")
    store = nw.NetworkStore(Snapshot("synthetic", graph, f"bench-{n}"), cache)
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
    t4 = time.perf_counter()
    store.analysis("synthetic")  # cold store: computes and writes the disk cache
    t5 = time.perf_counter()
    again = nw.NetworkStore(Snapshot("synthetic", graph, f"bench-{n}"), cache)
    again.analysis("synthetic")  # another worker: reads the disk cache
    t6 = time.perf_counter()
    print(f"  cold analysis through the store (computes, writes cache) {t5 - t4:7.2f} s")
    print(f"  same analysis in a new process from the disk cache       {t6 - t5:7.2f} s")
    assert len(positions) == n and again.computed == {}
    return store


def update_path(store: nw.NetworkStore, views: int) -> None:
    snapshot = store.snapshot
    rng = random.Random(1)
    phases = [nw.ALL_PHASES, "co-design", "co-implementation"]
    for phase in phases:  # warm: each phase's analysis is computed once, as the page's cache holds it
        store.analysis("synthetic", phase)
    store.ties("synthetic", "co-design")
    samples, sizes = [], []
    for _ in range(views):
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
        view, _ = page.parse_view(snapshot, query)
        out = page_view(snapshot, store, view, "standard")
        payload = pjson.to_json_plotly(out["figure"]) if out["figure"] is not None else ""
        samples.append(time.perf_counter() - start)
        sizes.append(len(payload))
    print(f"  update path (cached, WebGL): {stats(samples)}   target p95 < 300 ms")
    print(f"  figure JSON: median {statistics.median(sizes) / 1e6:.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument("--skip-big", action="store_true", help="only the 1,000-actor network")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        small = cold(1000, cache)
        update_path(small, args.views)
        if not args.skip_big:
            big = cold(10000, cache)
            update_path(big, args.views)
    return 0


if __name__ == "__main__":
    sys.exit(main())
