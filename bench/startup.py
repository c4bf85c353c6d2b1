"""Start-up time: cold (import + validate the files) and warm (import + Parquet cache), side by side.

Each run is a fresh Python process that imports the app and calls create_app(); runs alternate
cold and warm so that machine noise hits both alike. Prints medians, p95 and the warm/cold ratio.

    python bench/startup.py [--runs 9] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from app import create_app
from crosspilot.config import Config
imported = time.perf_counter()
app = create_app(Config(data_dir=Path({data!r}), cache_dir=Path({cache!r})))
done = time.perf_counter()
snapshot = app.context.snapshot
print(json.dumps({{"import": imported - start, "total": done - start, "cached": snapshot.from_cache}}))
"""


def run_once(data: Path, cache: Path) -> dict:
    code = CHILD.format(root=str(ROOT), data=str(data), cache=str(cache))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--data", default=str(ROOT / "data" / "cosie"))
    args = parser.parse_args()
    data = Path(args.data)
    cold, warm, imports = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        warm_cache = Path(tmp) / "warm"
        run_once(data, warm_cache)  # fill the warm cache (and the OS file cache)
        for _ in range(args.runs):
            cold_cache = Path(tmp) / "cold"
            shutil.rmtree(cold_cache, ignore_errors=True)
            c = run_once(data, cold_cache)
            w = run_once(data, warm_cache)
            assert not c["cached"] and w["cached"], (c, w)
            cold.append(c["total"])
            warm.append(w["total"])
            imports.append(w["import"])
    print(f"dataset: {data}  runs: {args.runs} each, alternating")
    print(f"{'':26}{'median':>10}{'p95':>10}")
    for label, values in (
        ("cold start (files)", cold),
        ("warm start (cache)", warm),
        ("  of which imports", imports),
    ):
        print(f"{label:26}{statistics.median(values):9.3f}s{p95(values):9.3f}s")
    print(f"warm/cold ratio (median): {statistics.median(warm) / statistics.median(cold):.2f}")


if __name__ == "__main__":
    main()
