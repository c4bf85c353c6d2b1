"""Servers for the user-level benchmarks: Crosspilot and the bare Dash baseline under gunicorn, and a
dataset with a large synthetic network (bundled data with one pilot's network replaced)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


@contextlib.contextmanager
def serve(target: str, port: int, workers: int = 4, env: dict | None = None, timeout: float = 180):
    """`gunicorn --workers N target` on 127.0.0.1:port until the block ends; waits for GET / to answer."""
    command = [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", target]
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-server-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{target} did not start; see {log.name}") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def network_dataset(folder: Path, actors: int, pilot: str = "hungary") -> Path:
    """The bundled CoSIE data with `pilot`'s network replaced by a synthetic one of `actors` actors
    (~5 ties each, as bench/networks_bench.py draws them)."""
    import pandas as pd

    sys.path.insert(0, str(ROOT / "bench"))
    from networks_bench import synthetic

    shutil.copytree(ROOT / "data" / "cosie", folder, dirs_exist_ok=True)
    graph = synthetic(actors)
    nodes = pd.read_csv(folder / "nodes.csv")
    edges = pd.read_csv(folder / "edges.csv")
    new_nodes = pd.DataFrame(
        [
            {
                "pilot_id": pilot,
                **{k: d[k] for k in ("node_id", "label", "sector", "role", "hard_to_reach", "status")},
            }
            for _, d in graph.nodes(data=True)
        ]
    )
    new_edges = pd.DataFrame(
        [
            {
                "pilot_id": pilot,
                "source": u,
                "target": v,
                "relation": d["relation"],
                "weight": d["weight"],
                "phase": d["phase"],
                "directed": False,
                "status": d["status"],
            }
            for u, v, d in graph.edges(data=True)
        ]
    )
    pd.concat([nodes[nodes.pilot_id != pilot], new_nodes]).to_csv(folder / "nodes.csv", index=False)
    pd.concat([edges[edges.pilot_id != pilot], new_edges]).to_csv(folder / "edges.csv", index=False)
    return folder
