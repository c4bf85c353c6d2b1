"""The NetworkStore: a snapshot's network analyses, computed once and kept in memory and on disk.

`context.derived.networks` owns one per snapshot, so everything here lives exactly as long as the data
it was computed from and is never stale. Layout and metrics are also written under the cache folder,
keyed by a content hash of the dataset version and of this package's code, so another worker (or the
next start) reads them instead of computing them again.

A large network's first analysis takes seconds, longer than a request may run. `ready()` says whether
an analysis can be read at once (in memory, on disk, or small enough to compute in the request);
otherwise the page asks a background job to `prepare()` it. Each disk entry is computed under an
exclusive lock on a file beside it, so several workers (or their background jobs) asking for the same
cold network at once compute it once: the others wait for the lock, then read what the first wrote.
While it computes, the job writes its progress (share done, step, start, estimate) to a small JSON file
that `progress()` reads from any worker.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
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
from crosspilot.networks.summary import Finding, summary
from crosspilot.networks.ties import Facets, facets, tie_graph

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
    """

    def __init__(
        self, snapshot, cache_dir: Path | None = None, memory: int = 256, inline_actors: int = INLINE_ACTORS
    ):
        self.snapshot = snapshot
        self.inline_actors = inline_actors
        self.folder = Path(cache_dir) / "networks" if cache_dir is not None else None
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
        if ("analysis", pilot, phase) in self._memory or self.folder is None:
            return True
        if self.graph(pilot).number_of_nodes() <= self.inline_actors:
            return True
        layout, metrics = self._file("layout", pilot), self._file("metrics", pilot, phase)
        files = (layout.with_suffix(".parquet"), *(metrics.with_suffix(s) for s in (".parquet", ".json")))
        return all(f.exists() for f in files)

    def prepare(self, pilot: str, phase: str = ALL_PHASES) -> Analysis:
        """The analysis, computed (once across workers) with its progress written for `progress()`:
        what a background job calls."""
        job = self._file("job", pilot, phase)
        started = time.time()
        graph = self.graph(pilot)
        estimate = expected_seconds(graph.number_of_nodes(), graph.number_of_edges())

        def tell(share: float, step: str) -> None:
            if job is not None:
                record = {"share": share, "step": step, "started": started, "estimate": estimate}
                _atomic(job.with_suffix(".json"), lambda f: Path(f).write_text(json.dumps(record)))

        self._progress[(pilot, phase)] = tell
        try:
            return self.analysis(pilot, phase)
        finally:
            self._progress.pop((pilot, phase), None)

    def progress(self, pilot: str, phase: str = ALL_PHASES) -> dict | None:
        """What the job computing `pilot`'s `phase` last said: share (0-1), step, started (epoch s),
        estimate (s, from the network's size); None before it has said anything."""
        job = self._file("job", pilot, phase)
        try:
            record = json.loads(job.with_suffix(".json").read_text(encoding="utf-8"))
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
            value = compute()
            with self._lock:
                self._memory[key] = value
                while len(self._memory) > self._limit:
                    self._memory.popitem(last=False)
            return value

    def _file(self, kind: str, *parts: str) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256("\0".join((self.snapshot.version, _CODE_HASH, kind, *parts)).encode())
        return self.folder / f"{kind}-{digest.hexdigest()[:24]}"

    def _tell(self, pilot: str, start: float, end: float):
        """The running job's progress reporter for the span [start, end] of its work, if any job."""
        tells = [tell for (p, _), tell in list(self._progress.items()) if p == pilot]
        return lambda share, step: [tell(start + (end - start) * share, step) for tell in tells]

    def _positions(self, pilot: str) -> dict:
        path = self._file("layout", pilot)
        with _exclusive(path):  # another worker computing the same layout: wait, then read its file
            if path is not None:
                try:
                    frame = pd.read_parquet(path.with_suffix(".parquet"))
                    return dict(zip(frame["node_id"], zip(frame["x"], frame["y"], strict=True), strict=True))
                except Exception:  # missing or damaged: compute again
                    pass
            return self._compute_positions(pilot, path)

    def _compute_positions(self, pilot: str, path: Path | None) -> dict:
        self.computed["layout"] += 1
        tell = self._tell(pilot, 0.0, 0.35)
        tell(0.0, "ties")
        ties = self.ties(pilot)
        tell(0.5, "layout")
        positions = compute_layout(ties)
        tell(1.0, "layout")
        if path is not None:
            frame = pd.DataFrame(
                {
                    "node_id": list(positions),
                    "x": [p[0] for p in positions.values()],
                    "y": [p[1] for p in positions.values()],
                }
            )
            _atomic(path.with_suffix(".parquet"), lambda f: frame.to_parquet(f, index=False))
        return positions

    def _analysis(self, pilot: str, phase: str) -> Analysis:
        positions = self.positions(pilot)  # first: the job's progress runs layout, then metrics
        path = self._file("metrics", pilot, phase)
        with _exclusive(path):
            loaded = _read_metrics(path) if path is not None else None
            if loaded is None:
                self.computed["metrics"] += 1
                tell = self._tell(pilot, 0.35, 1.0)
                tell(0.0, "ties")
                ties = self.ties(pilot, phase)
                frame, network, communities = compute_metrics(ties, progress=tell)
                if path is not None:
                    payload = {"network": network, "communities": [list(map(str, c)) for c in communities]}
                    _atomic(path.with_suffix(".parquet"), lambda f: frame.to_parquet(f))
                    _atomic(path.with_suffix(".json"), lambda f: Path(f).write_text(json.dumps(payload)))
            else:
                frame, network, communities = loaded
        ties = self.ties(pilot, phase)
        self.arrays(pilot, phase).partner_order  # noqa: B018 - built with the analysis, not on a view change
        frame = frame.assign(
            x=[positions.get(v, (500.0, 500.0))[0] for v in frame.index],
            y=[positions.get(v, (500.0, 500.0))[1] for v in frame.index],
        )
        return Analysis(pilot, phase, ties, frame, network, communities)


def expected_seconds(actors: int, ties: int) -> float:
    """A first guess at a cold analysis' time here (10,000 actors, 50,000 ties: about 5 s), shown until
    the job's own progress gives a better one."""
    return 0.5 + actors * 2e-4 + ties * 6e-5


@contextlib.contextmanager
def _exclusive(path: Path | None):
    """An exclusive lock across processes on `path`'s lock file (none without a disk cache). A full or
    read-only disk costs the lock, never the answer: each worker then computes on its own."""
    if path is None:
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_suffix(".lock"), "a+b")  # noqa: SIM115 - held for the block below
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process dies


def _read_metrics(path: Path):
    try:
        frame = pd.read_parquet(path.with_suffix(".parquet"))
        payload = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        return frame, payload["network"], tuple(tuple(c) for c in payload["communities"])
    except Exception:  # missing or damaged: compute again
        return None


def _atomic(path: Path, write) -> None:
    """Write through a temporary file so a half-written entry is never read; a full disk costs only time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".staging-", dir=path.parent)
        os.close(handle)
        write(temporary)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except (OSError, UnboundLocalError):
            pass


class PublicNetworkStore(NetworkStore):
    """The networks as a public visitor may see them (crosspilot.privacy): protected pilots' graphs
    replaced by their public graphs, analysed here (on disk under their own key), laid out where the
    full network's store put their actors; every other pilot is the full store's, shared."""

    _SHARED = ("facets", "ties", "arrays", "diff", "diff_ties", "diff_arrays", "analysis", "summary")

    def __init__(self, snapshot, full: NetworkStore, members: dict, cache_dir: Path | None = None):
        super().__init__(snapshot, cache_dir, inline_actors=full.inline_actors)
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
        if ("analysis", pilot, phase) in self._memory or self.folder is None:
            return True
        if self.graph(pilot).number_of_nodes() <= self.inline_actors:
            return True
        metrics = self._file("metrics", pilot, phase)  # positions are the full store's: no layout file
        return all(metrics.with_suffix(s).exists() for s in (".parquet", ".json"))

    def prepare(self, pilot: str, phase: str = ALL_PHASES) -> Analysis:
        self.full.prepare(pilot, phase)  # the layout comes from the full network: first
        return super().prepare(pilot, phase) if pilot in self.members else self.full.analysis(pilot, phase)

    def progress(self, pilot: str, phase: str = ALL_PHASES) -> dict | None:
        own = super().progress(pilot, phase) if pilot in self.members else None
        return own or self.full.progress(pilot, phase)
