"""Large networks: estimated path metrics against the exact ones, the analysis computed once across
processes in the background with its progress, and the page waiting for it, then drawing it."""

from __future__ import annotations

import multiprocessing
import random

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from dash import no_update

from callbacks import networks as cb
from crosspilot import networks as nw
from layouts import networks as page
from tests.helpers import context_of, text_of


class _Snapshot:
    """Just what the Networks page reads from a snapshot: one pilot's network."""

    def __init__(self, graph: nx.MultiGraph, version: str = "v1"):
        self.networks = {"big": graph}
        self.version = version
        self.pilots = pd.DataFrame({"pilot_id": ["big"], "name": ["Big pilot"], "place": [""]})


def _network(n: int, ties_each: int = 3, seed: int = 12) -> nx.MultiGraph:
    """A preferential-attachment network (a few hubs, as social networks have), two phases, plus two
    small groups apart from it (small components are always measured exactly)."""
    rng = random.Random(seed)
    graph = nx.MultiGraph()
    edges = ig.Graph.Barabasi(n, ties_each, directed=False).get_edgelist()
    edges += [(n, n + 1), (n + 1, n + 2), (n + 3, n + 4)]
    for v in range(n + 5):
        sector = ("public", "citizen", "civil_society")[v % 3]
        graph.add_node(
            f"a{v}", node_id=f"a{v}", label=f"Actor {v}", sector=sector, role="", status="published"
        )
    for u, v in edges:
        if u != v:
            graph.add_edge(
                f"a{u}", f"a{v}", relation="partnership", phase=rng.choice(("one", "two")), status="published"
            )
    return nx.freeze(graph)


MID = _network(3000)


def test_sampled_betweenness_and_closeness_are_close_to_the_exact_values():
    ties = nw.tie_graph(MID)
    exact, exact_network, _ = nw.compute_metrics(ties, samples=0)
    estimate, network, _ = nw.compute_metrics(ties, samples=300)
    assert exact_network["samples"] == 0 and network["samples"] == 300
    for metric, top_error in (("betweenness", 0.15), ("closeness", 0.03)):
        a, b = exact[metric], estimate[metric]
        assert np.corrcoef(a, b)[0, 1] > 0.98, metric
        assert b.sum() == pytest.approx(a.sum(), rel=0.05), metric
        # The actors a reader looks at first: the 30 most central, nearly all found, each close.
        top = a.nlargest(30).index
        assert len(set(top) & set(b.nlargest(30).index)) >= 24, metric
        assert float(((b[top] - a[top]).abs() / a[top]).median()) < top_error, metric
    assert network["average_path_length"] == pytest.approx(exact_network["average_path_length"], rel=0.03)
    # The small groups apart from the main network are exact: "Actor 3001" is the only route between
    # its two partners.
    assert estimate.loc["a3001", "betweenness"] == pytest.approx(exact.loc["a3001", "betweenness"])
    assert estimate.loc["a3003", "closeness"] == pytest.approx(exact.loc["a3003", "closeness"])
    # Other metrics do not depend on the sample.
    pd.testing.assert_series_equal(exact["brokerage"], estimate["brokerage"])


def test_networks_above_the_documented_size_are_estimated_and_say_so():
    small = nw.compute_metrics(nw.tie_graph(_network(200)))[1]
    assert small["samples"] == 0  # exact below SAMPLE_ABOVE actors
    big = nw.NetworkStore(_Snapshot(MID)).analysis("big")
    assert nw.SAMPLE_ABOVE < 3005 and big.samples == nw.SAMPLES
    fmt = context_of(_Snapshot(MID)).fmt
    arrays = nw.NetworkStore(_Snapshot(MID)).arrays("big")
    listed = text_of(page.metrics_list(big.network, fmt, arrays))
    assert f"Average path length, estimated ({nw.SAMPLES} samples)" in listed
    assert "Density, estimated" not in listed
    panel = text_of(page.node_panel(big, "a0", MID, fmt, arrays.inputs))
    assert f"Betweenness, estimated ({nw.SAMPLES} samples)" in panel
    assert f"Closeness, estimated ({nw.SAMPLES} samples)" in panel and "Ties, estimated" not in panel
    table = text_of(page.actors_table(big, arrays, "degree", (), fmt))
    assert f"Betweenness, estimated ({nw.SAMPLES} samples)" in table


def _shelf(where):
    """A shelf from what pickles across a fork: a cache folder, or a Redis URL (no disk at all)."""
    from crosspilot.networks.shelf import RedisShelf

    return RedisShelf.from_url(where) if isinstance(where, str) else where


def _prepare_in_another_process(where, barrier, answers) -> None:
    store = nw.NetworkStore(_Snapshot(MID), _shelf(where), inline_actors=0)  # a worker of its own
    barrier.wait()  # all three ask at the same moment
    store.prepare("big", "one")
    answers.put(dict(store.computed))


@pytest.mark.parametrize("kind", ["folder", "redis"])
def test_three_workers_asking_for_the_same_cold_network_at_once_compute_it_once(tmp_path, kind, request):
    # One host's workers share the cache folder; several hosts' share Redis (conftest's redis_url).
    where = tmp_path if kind == "folder" else request.getfixturevalue("redis_url")
    fork = multiprocessing.get_context("fork")
    barrier, answers = fork.Barrier(3), fork.Queue()
    workers = [
        fork.Process(target=_prepare_in_another_process, args=(where, barrier, answers)) for _ in "abc"
    ]
    for worker in workers:
        worker.start()
    computed = [answers.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert sum(c.get("layout", 0) for c in computed) == 1
    assert sum(c.get("metrics", 0) for c in computed) == 1
    # A fourth worker reads the analysis: ready at once, nothing computed again.
    store = nw.NetworkStore(_Snapshot(MID), _shelf(where), inline_actors=0)
    assert store.ready("big", "one") and not store.ready("big", "two")
    assert store.progress("big", "one")["share"] == 1.0
    assert store.analysis("big", "one").nodes.shape[0] == 3005 and store.computed == {}


def test_a_cold_large_network_waits_for_the_background_job_then_is_drawn(tmp_path):
    context = context_of(_Snapshot(MID), cache_dir=tmp_path)
    context.derived.networks.inline_actors = 1000  # this 3,005-actor network is "large" here
    controls = {**dict.fromkeys(cb.CONTROLS), "pilot": "big", "phase": "two", "view": "webgl"}
    out = cb.update(context, controls, "", None)
    asked = cb.ask(context, "big", "two", now=1000.0)
    job = asked["job"]
    assert asked == {"job": {"pilot": "big", "phase": "two", "asked": 1000.0}, "retry_off": True}
    assert "is being laid out and measured for the first time, in the background" in out["mode"]
    assert "3,005 actors" in out["mode"] and out["elements"] == [] and out["figure"] is no_update
    assert context.derived.networks.computed == {}  # nothing heavy ran in the request
    assert cb.progress(context, job, now=1010.0)["text"].startswith("Starting the analysis")
    # Nobody has started it half a minute later: the page says why it still waits.
    late = cb.progress(context, job, now=1031.0)["text"]
    assert late.startswith("The analysis has not started yet: the background workers are busy or stopped.")
    assert text_of(cb.actor_panel(context, None, None, "Actor 1", "big", "two", None)) == text_of(
        page.empty_panel()
    )

    done = cb.prepare(context, job)  # what the background process runs
    assert done == {"pilot": "big", "phase": "two", "version": "v1"}
    said = cb.progress(context, job)
    assert said["value"] == 100 and said["text"].startswith("Done: 100% done")
    drawn = cb.update(context, controls, "", "networks-ready")
    assert drawn["mode"].startswith("WebGL drawing: 3,005 actors")
    assert cb.ask(context, "big", "two")["job"] is no_update  # ready: no job, no process started
    assert cb.ask(context, "nowhere", "two")["job"] is no_update
    assert "Actor 1" in text_of(cb.actor_panel(context, None, None, "Actor 1", "big", "two", None))


def test_progress_says_the_step_and_the_time_left_from_the_pace_so_far(tmp_path):
    context = context_of(_Snapshot(MID), cache_dir=tmp_path)
    store = context.derived.networks
    job = store._name("job", "big", "one") + ".json"
    store.shelf.put(job, b'{"share": 0.25, "step": "paths", "started": 1000.0, "estimate": 40.0}')
    said = cb.progress(context, {"pilot": "big", "phase": "one"}, now=1004.0)
    # A quarter done in 4 s: about 12 s left (the pace so far, not the first guess of 40 s).
    assert said == {"value": 25, "text": "Measuring shortest paths: 25% done, about 12 s left."}


@pytest.mark.parametrize(
    "job", [None, "big", {"pilot": "nowhere", "phase": "one"}, {"pilot": "big", "phase": "<script>"}, []]
)
def test_a_forged_job_is_refused_and_computes_nothing(tmp_path, job):
    context = context_of(_Snapshot(MID), cache_dir=tmp_path)
    assert cb.prepare(context, job) is no_update
    assert cb.progress(context, job)["value"] == 0
    assert context.derived.networks.computed == {}


def test_the_master_warms_the_analyses_on_the_shelf_and_leaves_cold_ones_to_the_job(tmp_path):
    def master():
        context = context_of(_Snapshot(MID), cache_dir=tmp_path)
        context.derived.networks.inline_actors = 1000
        return context

    cold = master()
    assert cold.derived.warm_networks() == [] and cold.derived.networks.computed == {}
    cold.derived.prepare_networks("big", nw.ALL_PHASES)  # the background job
    warm = master()  # the next start: read from the shelf, in memory before the workers fork
    assert warm.derived.warm_networks() == ["big"]
    store = warm.derived.networks
    assert store.computed == {} and ("analysis", "big", nw.ALL_PHASES) in store._memory


def test_the_collector_is_held_off_while_a_network_is_built_and_comes_back_after():
    import gc
    import threading

    from crosspilot.networks.store import collector_paused

    seen = []
    store = nw.NetworkStore(_Snapshot(MID))
    store.remember(("probe",), lambda: seen.append(gc.isenabled()))
    assert seen == [False] and gc.isenabled()
    # Two builds at once: the collector comes back only when the last one ends.
    first_in, second_done = threading.Event(), threading.Event()

    def other_build():
        with collector_paused():
            first_in.wait(5)
        second_done.set()

    with collector_paused():
        worker = threading.Thread(target=other_build)
        worker.start()
        first_in.set()
        second_done.wait(5)
        assert not gc.isenabled()
    worker.join(5)
    assert gc.isenabled()
    gc.disable()  # a collector that was off before stays off
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
