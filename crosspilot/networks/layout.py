"""Positions of a network's actors: Fruchterman–Reingold with python-igraph, the same every time."""

from __future__ import annotations

import random
import threading

import igraph as ig
import networkx as nx
import numpy as np

from crosspilot.networks.analysis import to_igraph

_LAYOUT_LOCK = threading.Lock()  # igraph's random generator is process-wide


def compute_layout(ties: nx.Graph, seed: int = 7) -> dict:
    """Fruchterman–Reingold positions in a 0–1000 box, the same every time for the same graph."""
    g, order = to_igraph(ties)
    n = g.vcount()
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (500.0, 500.0)}
    # A start matrix makes igraph's FR many times slower (its grid is skipped): seed igraph's own
    # generator instead, for the same layout every time, and put the default back afterwards.
    with _LAYOUT_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            layout = g.layout_fruchterman_reingold(grid="grid" if n > 1000 else "nogrid")
        finally:
            ig.set_random_number_generator(random)
    coords = np.array(layout.coords, dtype=float)
    coords -= coords.min(axis=0)
    span = coords.max(axis=0)
    coords = coords / np.where(span > 0, span, 1) * 1000
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(order, coords, strict=True)}
