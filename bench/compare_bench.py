"""Time the Compare page's chart update server-side over many random view states.

Two figures per dataset, over the same random views:
- chart path: check the control values → select → transform → build the figure → `to_plotly_json`;
- both callbacks: the chart's (figure, badge, URL) plus the table's (HTML table of plotted data, sources).
The per-snapshot index is built once before timing, as in the app.

    python bench/make_large_dataset.py            # once: bench/out/large (1,000,000 rows)
    python bench/compare_bench.py [--views N] [--large FOLDER]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from callbacks.compare import update, update_table, view_from_controls  # noqa: E402
from crosspilot.compare import FORMS, MODES, compare  # noqa: E402
from crosspilot.config import Config  # noqa: E402
from crosspilot.context import AppContext  # noqa: E402
from crosspilot.dataset import BUNDLED, load_dataset  # noqa: E402
from crosspilot.figures.compare import figure_for  # noqa: E402


def random_views(index, count: int, seed: int = 770492) -> list[dict]:
    """Control values as the browser sends them (the callbacks' `controls`), for random views."""
    rng = random.Random(seed)
    indicators = list(index.blocks)
    pilots = list(index.pilot_names)
    periods = list(index.periods)
    modes = MODES if index.has_participants else MODES[:-1]
    views = []
    for _ in range(count):
        chosen = rng.sample(indicators, rng.randint(1, min(3, len(indicators))))
        some = [] if rng.random() < 0.5 else rng.sample(pilots, rng.randint(1, min(10, len(pilots))))
        start = end = None
        if rng.random() < 0.5 and len(periods) > 2:
            a, b = sorted(rng.sample(range(len(periods)), 2))
            start, end = periods[a], periods[b]
        views.append(
            {
                "indicators": chosen,
                "pilots": some,
                "start": start,
                "end": end,
                "group": "",
                "mode": rng.choice(modes),
                "form": rng.choice(FORMS),
            }
        )
    return views


def run(name: str, snapshot, count: int) -> None:
    context = AppContext(snapshot=snapshot, config=Config(cache_dir=None))
    started = time.perf_counter()
    index = context.derived.compare_index
    built = time.perf_counter() - started
    print(f"{name}: {len(snapshot.outcomes):,} outcome rows; index built in {built:.2f} s")
    views = random_views(index, count)
    update(context, views[0], "")  # warm-up: imports, templates
    chart: list[float] = []
    whole: list[float] = []
    by_form: dict[str, list[float]] = {}
    for view in views:
        started = time.perf_counter()
        checked, _ = view_from_controls(context.derived, view)
        figure_for(compare(index, checked), "standard", context.fmt).to_plotly_json()
        elapsed = (time.perf_counter() - started) * 1000
        chart.append(elapsed)
        by_form.setdefault(view["form"], []).append(elapsed)
        started = time.perf_counter()
        update(context, view, "")["figure"].to_plotly_json()
        update_table(context, view, "")
        whole.append((time.perf_counter() - started) * 1000)
    print(f"  chart path, {count} random views: {summary(chart)}")
    for form, values in sorted(by_form.items()):
        print(f"    {form:9s} n={len(values):3d} {summary(values)}")
    print(f"  both callbacks (chart, then table and sources): {summary(whole)}")


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):6.1f} ms, p95 {p95(values):6.1f} ms"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--large", default=str(ROOT / "bench" / "out" / "large"))
    parser.add_argument("--cache", default=str(ROOT / "bench" / "out" / "cache"))
    args = parser.parse_args()
    run("bundled CoSIE data", load_dataset(BUNDLED).snapshot, args.views)
    large = Path(args.large)
    if not (large / "outcomes.parquet").exists():
        print(f"no large dataset at {large}: run bench/make_large_dataset.py first")
        return 0
    started = time.perf_counter()
    result = load_dataset(large, args.cache)
    if not result.ok:
        print(result.report.format())
        return 1
    loaded = time.perf_counter() - started
    print(f"large dataset loaded in {loaded:.1f} s (from the Parquet cache: {result.snapshot.from_cache})")
    run("synthetic 1M rows", result.snapshot, args.views)
    return 0


if __name__ == "__main__":
    sys.exit(main())
