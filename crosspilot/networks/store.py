"""The NetworkStore: a snapshot's network analyses, computed once and kept in memory and on disk.

`context.derived.networks` owns one per snapshot, so everything here lives exactly as long as the data
it was computed from and is never stale. Layout and metrics are also written under the cache folder,
keyed by a content hash of the dataset version and of this package's code, so another worker (or the
next start) reads them instead of computing them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
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
from crosspilot.networks.summary import summary
from crosspilot.networks.ties import Facets, facets, tie_graph

_PACKAGE = Path(__file__).resolve().parent
# Any change to how networks are analysed or laid out makes older disk entries unreachable.
_CODE_HASH = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(_PACKAGE.glob("*.py")))).hexdigest()[:12]


class NetworkStore:
    """Analyses of a snapshot's networks, computed once and kept in memory and on disk.

    Positions are computed on the whole network (all phases) and shared by every phase, so that
    switching phase or showing what changed never moves an actor. Everything is keyed by stable
    values (pilot, phases, ...), never by an object's identity.
    """

    def __init__(self, snapshot, cache_dir: Path | None = None, memory: int = 256):
        self.snapshot = snapshot
        self.folder = Path(cache_dir) / "networks" if cache_dir is not None else None
        self._memory: OrderedDict[tuple, object] = OrderedDict()
        self._limit = memory
        self._lock = threading.Lock()
        self._key_locks: dict[tuple, threading.Lock] = {}
        self.computed = Counter()  # how often each kind of result was computed (tests, bench)

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

    def summary(self, pilot: str, phase: str, name: str, fmt: Formatter | None = None) -> list[str]:
        fmt = fmt or Formatter()
        return self._memo(
            ("summary", pilot, phase, name, fmt.language),
            lambda: summary(self.analysis(pilot, phase), name, fmt),
        )

    def positions(self, pilot: str) -> dict:
        return self._memo(("layout", pilot), lambda: self._positions(pilot))

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

    def _positions(self, pilot: str) -> dict:
        path = self._file("layout", pilot)
        if path is not None:
            try:
                frame = pd.read_parquet(path.with_suffix(".parquet"))
                return dict(zip(frame["node_id"], zip(frame["x"], frame["y"], strict=True), strict=True))
            except Exception:  # missing or damaged: compute again
                pass
        self.computed["layout"] += 1
        positions = compute_layout(self.ties(pilot))
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
        ties = self.ties(pilot, phase)
        path = self._file("metrics", pilot, phase)
        loaded = _read_metrics(path) if path is not None else None
        if loaded is None:
            self.computed["metrics"] += 1
            frame, network, communities = compute_metrics(ties)
            if path is not None:
                payload = {"network": network, "communities": [list(map(str, c)) for c in communities]}
                _atomic(path.with_suffix(".parquet"), lambda f: frame.to_parquet(f))
                _atomic(path.with_suffix(".json"), lambda f: Path(f).write_text(json.dumps(payload)))
        else:
            frame, network, communities = loaded
        self.arrays(pilot, phase).partner_order  # noqa: B018 - built with the analysis, not on a view change
        positions = self.positions(pilot)
        frame = frame.assign(
            x=[positions.get(v, (500.0, 500.0))[0] for v in frame.index],
            y=[positions.get(v, (500.0, 500.0))[1] for v in frame.index],
        )
        return Analysis(pilot, phase, ties, frame, network, communities)


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
