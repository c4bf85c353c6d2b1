"""The NetworkStore: a snapshot's network analyses, computed once and kept in memory and on disk.

`context.derived.networks` owns one per snapshot, so everything here lives exactly as long as the data
it was computed from and is never stale. Layout and metrics are also written to a shelf,
keyed by a content hash of the dataset version and of this package's code, so another worker (or the
next start) reads them instead of computing them again.

A large network's first analysis takes seconds, longer than a request may run. `ready()` says whether
an analysis can be read at once (in memory, on the shelf, or small enough to compute in the request);
otherwise the page asks a background job to `prepare()` it. Each shelf entry is computed under an
exclusive lock of its own, so several workers (or their background jobs) asking for the same cold
network at once compute it once: the others wait for the lock, then read what the first wrote. While
it computes, the job writes its progress (share done, step, start, estimate) to a small JSON entry that
`progress()` reads from any worker.

The shelf (crosspilot.networks.shelf) is the cache folder on one host, or Redis for several hosts.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import threading
import time
from collections import Counter, OrderedDict
from pathlib import Path

import networkx as nx
import pandas as pd

from crosspilot.formatting import Formatter
from crosspilot.networks.analysis import Analysis, compute_metrics
from crosspilot.networks.arrays import TieArrays, tie_arrays
from crosspilot.networks.diff import PhaseDiff, diff_ties, phase_diff
from crosspilot.networks.labels import ALL_PHASES
from crosspilot.networks.layout import compute_layout
from crosspilot.networks.shelf import FolderShelf, RedisShelf
from crosspilot.networks.summary import Finding, summary
from crosspilot.networks.ties import Facets, facets, suggested_names, tie_graph

_PACKAGE = Path(__file__).resolve().parent
# Any change to how networks are analysed or laid out makes older disk entries unreachable.
# Networks up to this many actors are analysed inside the request (well under a second here).
INLINE_ACTORS = 2000
_CODE_HASH = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(_PACKAGE.glob("*.py")))).hexdigest()[:12]


class NetworkStore:
    """Analyses of a snapshot's networks, computed once and kept in memory and on disk.

    Positions are computed on the whole network (all phases) and shared by every phase, so that
    switching phase or showing what changed never moves an actor. Everything is keyed by stable
    values (pilot, phases, ...), never by an object's identity.

    `shelf` is where analyses are shared: a FolderShelf or RedisShelf, a cache folder (its `networks`
    subfolder becomes a FolderShelf), or None (memory only; every analysis is then computed inline).
    """

    def __init__(
        self,
        snapshot,
        shelf: FolderShelf | RedisShelf | Path | None = None,
        memory: int = 256,
        inline_actors: int = INLINE_ACTORS,
    ):
        self.snapshot = snapshot
        self.inline_actors = inline_actors
        self.shelf = FolderShelf(Path(shelf) / "networks") if isinstance(shelf, (str, Path)) else shelf
        self._memory: OrderedDict[tuple, object] = OrderedDict()
        self._limit = memory
        self._lock = threading.Lock()
        self._key_locks: dict[tuple, threading.Lock] = {}
        self.computed = Counter()  # how often each kind of result was computed (tests, bench)
        self._progress: dict[tuple, object] = {}  # (pilot, phase) -> tell(share, step) while preparing

    def pilots(self) -> tuple[str, ...]:
        return tuple(self.snapshot.networks)

    def graph(self, pilot: str) -> nx.Graph:
        return self.snapshot.networks[pilot]

    def facets(self, pilot: str) -> Facets:
        return self._memo(("facets", pilot), lambda: facets(self.graph(pilot)))

    def phases(self, pilot: str) -> tuple[str, ...]:
        return self.facets(pilot).phases

    def sectors(self, pilot: str) -> tuple[str, ...]:
        return self.facets(pilot).sectors

    def relations(self, pilot: str) -> tuple[str, ...]:
        return self.facets(pilot).relations

    def ties(self, pilot: str, phase: str = ALL_PHASES) -> nx.Graph:
        return self._memo(("ties", pilot, phase), lambda: tie_graph(self.graph(pilot), phase))

    def suggestions(self, pilot: str, limit: int) -> list[str]:
        """The names the find box suggests for `pilot` (ties.suggested_names), worked out once."""
        return self._memo(("suggestions", pilot, limit), lambda: suggested_names(self.ties(pilot), limit))

    def arrays(self, pilot: str, phase: str = ALL_PHASES) -> TieArrays:
        """The phase's tie graph as arrays (every view change slices them)."""
        return self._memo(("arrays", pilot, phase), lambda: tie_arrays(self.ties(pilot, phase)))

    def diff(self, pilot: str, before: str, after: str) -> PhaseDiff:
        return self._memo(
            ("diff", pilot, before, after), lambda: phase_diff(self.graph(pilot), before, after)
        )

    def diff_ties(self, pilot: str, before: str, after: str) -> nx.Graph:
        return self._memo(
            ("diff_ties", pilot, before, after), lambda: diff_ties(self.graph(pilot), before, after)
        )

    def diff_arrays(self, pilot: str, before: str, after: str) -> TieArrays:
        return self._memo(
            ("diff_arrays", pilot, before, after), lambda: tie_arrays(self.diff_ties(pilot, before, after))
        )

    def analysis(self, pilot: str, phase: str = ALL_PHASES) -> Analysis:
        return self._memo(("analysis", pilot, phase), lambda: self._analysis(pilot, phase))

    def summary(self, pilot: str, phase: str, name: str, fmt: Formatter | None = None) -> list[Finding]:
        """The network in plain words, each finding with what it is computed from."""
        fmt = fmt or Formatter()
        return self._memo(
            ("summary", pilot, phase, name, fmt.language),
            lambda: summary(self.analysis(pilot, phase), name, fmt, self.arrays(pilot, phase).inputs),
        )

    def positions(self, pilot: str) -> dict:
        return self._memo(("layout", pilot), lambda: self._positions(pilot))

    def ready(self, pilot: str, phase: str = ALL_PHASES) -> bool:
        """Whether `analysis(pilot, phase)` answers at once: kept in memory, written on disk, small
        enough to compute in a request, or there is no disk cache for a background job to fill."""
        if ("analysis", pilot, phase) in self._memory or self.shelf is None:
            return True
        if self.graph(pilot).number_of_nodes() <= self.inline_actors:
            return True
        layout, metrics = self._name("layout", pilot), self._name("metrics", pilot, phase)
        return self.shelf.has(f"{layout}.parquet", f"{metrics}.parquet", f"{metrics}.json")

    def shelf_alive(self) -> bool:
        """Whether the shelf answers (a Redis shelf's server also queues the background jobs)."""
        return self.shelf is None or self.shelf.alive()

    def prepare(self, pilot: str, phase: str = ALL_PHASES) -> Analysis:
        """The analysis, computed (once across workers) with its progress written for `progress()`:
        what a background job calls."""
        job = self._name("job", pilot, phase)
        started = time.time()
        graph = self.graph(pilot)
        estimate = expected_seconds(graph.number_of_nodes(), graph.number_of_edges())

        def tell(share: float, step: str) -> None:
            if self.shelf is not None:
                record = {"share": share, "step": step, "started": started, "estimate": estimate}
                self.shelf.put(f"{job}.json", json.dumps(record).encode())

        self._progress[(pilot, phase)] = tell
        try:
            return self.analysis(pilot, phase)
        finally:
            self._progress.pop((pilot, phase), None)

    def progress(self, pilot: str, phase: str = ALL_PHASES) -> dict | None:
        """What the job computing `pilot`'s `phase` last said: share (0-1), step, started (epoch s),
        estimate (s, from the network's size); None before it has said anything."""
        said = self.shelf.get(f"{self._name('job', pilot, phase)}.json") if self.shelf is not None else None
        try:
            record = json.loads(said)
            return {k: record[k] for k in ("share", "step", "started", "estimate")}
        except Exception:  # noqa: BLE001 - not started, or not this layout: no progress to show
            return None

    def remember(self, key: tuple, compute):
        """Any other value derived only from this snapshot, computed once (kept with the analyses)."""
        return self._memo(("other", *key), compute)

    def _memo(self, key: tuple, compute):
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # two requests for the same cold network compute it once
            with self._lock:
                if key in self._memory:
                    return self._memory[key]
            with collector_paused():
                value = compute()
            with self._lock:
                self._memory[key] = value
                while len(self._memory) > self._limit:
                    self._memory.popitem(last=False)
            return value

    def _name(self, kind: str, *parts: str) -> str:
        """The shelf entry's name (without its suffix) for this dataset version and this code."""
        digest = hashlib.sha256("\0".join((self.snapshot.version, _CODE_HASH, kind, *parts)).encode())
        return f"{kind}-{digest.hexdigest()[:24]}"

    def _hold(self, name: str):
        """The entry's lock across workers (none without a shelf)."""
        return self.shelf.hold(name) if self.shelf is not None else contextlib.nullcontext()

    def _tell(self, pilot: str, start: float, end: float):
        """The running job's progress reporter for the span [start, end] of its work, if any job."""
        tells = [tell for (p, _), tell in list(self._progress.items()) if p == pilot]
        return lambda share, step: [tell(start + (end - start) * share, step) for tell in tells]

    def _positions(self, pilot: str) -> dict:
        name = self._name("layout", pilot)
        with self._hold(name):  # another worker computing the same layout: wait, then read its entry
            frame = _frame(self._get(f"{name}.parquet"))
            if frame is not None:
                return dict(zip(frame["node_id"], zip(frame["x"], frame["y"], strict=True), strict=True))
            return self._compute_positions(pilot, name)

    def _get(self, name: str) -> bytes | None:
        return self.shelf.get(name) if self.shelf is not None else None

    def _put(self, name: str, data: bytes) -> None:
        if self.shelf is not None:
            self.shelf.put(name, data)

    def _compute_positions(self, pilot: str, name: str) -> dict:
        self.computed["layout"] += 1
        tell = self._tell(pilot, 0.0, 0.35)
        tell(0.0, "ties")
        ties = self.ties(pilot)
        tell(0.5, "layout")
        positions = compute_layout(ties)
        tell(1.0, "layout")
        if self.shelf is not None:
            frame = pd.DataFrame(
                {
                    "node_id": list(positions),
                    "x": [p[0] for p in positions.values()],
                    "y": [p[1] for p in positions.values()],
                }
            )
            self._put(f"{name}.parquet", frame.to_parquet(index=False))
        return positions

    def _analysis(self, pilot: str, phase: str) -> Analysis:
        positions = self.positions(pilot)  # first: the job's progress runs layout, then metrics
        name = self._name("metrics", pilot, phase)
        with self._hold(name):
            loaded = _metrics(self._get(f"{name}.parquet"), self._get(f"{name}.json"))
            if loaded is None:
                self.computed["metrics"] += 1
                tell = self._tell(pilot, 0.35, 1.0)
                tell(0.0, "ties")
                ties = self.ties(pilot, phase)
                frame, network, communities = compute_metrics(ties, progress=tell)
                if self.shelf is not None:
                    payload = {"network": network, "communities": [list(map(str, c)) for c in communities]}
                    self._put(f"{name}.parquet", frame.to_parquet())
                    self._put(f"{name}.json", json.dumps(payload).encode())
            else:
                frame, network, communities = loaded
        ties = self.ties(pilot, phase)
        self.arrays(pilot, phase).partner_order  # noqa: B018 - built with the analysis, not on a view change
        frame = frame.assign(
            x=[positions.get(v, (500.0, 500.0))[0] for v in frame.index],
            y=[positions.get(v, (500.0, 500.0))[1] for v in frame.index],
        )
        return Analysis(pilot, phase, ties, frame, network, communities)


_paused = 0  # builds running now
_paused_lock = threading.Lock()
_was_enabled = True  # the collector's state before the first of them


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector held off while a network's structures are built: a build
    makes hundreds of thousands of objects that are all kept, and the collector, run again and again
    over them, cost 40% of building a 10,000-actor tie graph (0.77 s of CPU against 0.44 s). Nested
    and concurrent builds are counted, so the collector comes back when the last one ends."""
    global _paused, _was_enabled
    with _paused_lock:
        _paused += 1
        if _paused == 1:
            _was_enabled = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


def expected_seconds(actors: int, ties: int) -> float:
    """A first guess at a cold analysis' time here (10,000 actors, 50,000 ties: about 5 s), shown until
    the job's own progress gives a better one."""
    return 0.5 + actors * 2e-4 + ties * 6e-5


def _frame(data: bytes | None) -> pd.DataFrame | None:
    try:
        return pd.read_parquet(io.BytesIO(data)) if data is not None else None
    except Exception:  # noqa: BLE001 - damaged: compute again
        return None


def _metrics(table: bytes | None, about: bytes | None):
    frame = _frame(table)
    if frame is None or about is None:
        return None
    try:
        payload = json.loads(about)
        return frame, payload["network"], tuple(tuple(c) for c in payload["communities"])
    except Exception:  # noqa: BLE001 - damaged: compute again
        return None


class PublicNetworkStore(NetworkStore):
    """The networks as a public visitor may see them (crosspilot.privacy): protected pilots' graphs
    replaced by their public graphs, analysed here (on disk under their own key), laid out where the
    full network's store put their actors; every other pilot is the full store's, shared."""

    _SHARED = ("facets", "ties", "arrays", "diff", "diff_ties", "diff_arrays", "analysis", "summary")

    def __init__(self, snapshot, full: NetworkStore, members: dict):
        super().__init__(snapshot, full.shelf, inline_actors=full.inline_actors)
        self.full = full
        self.members = members  # protected pilot -> public node -> the full graph's nodes it stands for
        for name in self._SHARED:
            own = getattr(self, name)
            setattr(self, name, self._either(name, own))

    def _either(self, name, own):
        full = getattr(self.full, name)
        return lambda pilot, *args, **kwargs: (own if pilot in self.members else full)(pilot, *args, **kwargs)

    def positions(self, pilot: str) -> dict:
        if pilot not in self.members:
            return self.full.positions(pilot)
        from crosspilot.privacy import centroid_positions

        return self._memo(
            ("layout", pilot), lambda: centroid_positions(self.full.positions(pilot), self.members[pilot])
        )

    def ready(self, pilot: str, phase: str = ALL_PHASES) -> bool:
        if pilot not in self.members:
            return self.full.ready(pilot, phase)
        if not self.full.ready(pilot, phase):
            return False
        if ("analysis", pilot, phase) in self._memory or self.shelf is None:
            return True
        if self.graph(pilot).number_of_nodes() <= self.inline_actors:
            return True
        metrics = self._name("metrics", pilot, phase)  # positions are the full store's: no layout entry
        return self.shelf.has(f"{metrics}.parquet", f"{metrics}.json")

    def prepare(self, pilot: str, phase: str = ALL_PHASES) -> Analysis:
        self.full.prepare(pilot, phase)  # the layout comes from the full network: first
        return super().prepare(pilot, phase) if pilot in self.members else self.full.analysis(pilot, phase)

    def progress(self, pilot: str, phase: str = ALL_PHASES) -> dict | None:
        own = super().progress(pilot, phase) if pilot in self.members else None
        return own or self.full.progress(pilot, phase)
