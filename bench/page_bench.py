"""Whole page loads as a visitor waits for them, in headless Chromium, against bare Dash.

Each page is opened by its address (a new navigation, as from a shared link) and timed from the
navigation's start until Dash has no callback pending and the page has been quiet for 150 ms
(bench/browser_bench.py's `settle`), interleaved with the bare Dash app's one page. Both under gunicorn
with 4 workers (bench/servers.py); the first visit of each page is not timed (every worker's first
request of a page warms it).

    python bench/page_bench.py [--reps 10] [--large DIR] [--actors 10000]

--large DIR serves that dataset (e.g. bench/out/large, 1,000,000 outcome rows) instead of the bundled
one; --actors N replaces one pilot's network by N synthetic actors, analysed before timing. Run it in a
network namespace of its own (it binds fixed ports).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from browser_bench import browser, percentile, redrawn, warm  # noqa: E402
from servers import network_dataset, serve  # noqa: E402

ARM_ON_LOAD = """
window.__bench = {t0: 0, last: performance.now()};
new MutationObserver(function () { window.__bench.last = performance.now(); })
  .observe(document.body, {childList: true, subtree: true, characterData: true});
"""


def timed(driver, url: str, timeout: float) -> float | None:
    """Milliseconds from the navigation's start (performance.now()'s origin) to the page's last
    change, once settled; None if it did not settle within `timeout`."""
    driver.get(url)  # returns at the load event; Dash renders the page after it
    driver.execute_script(ARM_ON_LOAD)
    return redrawn(driver, timeout)  # `last` - t0, with t0 = 0: the navigation's start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--large", type=Path)
    parser.add_argument("--actors", type=int)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8380)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        env = {"CROSSPILOT_CACHE": str(Path(folder) / "cache")}
        label = "bundled"
        if args.large:
            env["CROSSPILOT_DATA"], label = str(args.large), f"{args.large.name}"
        if args.actors:
            env["CROSSPILOT_DATA"] = str(network_dataset(Path(folder) / "network", args.actors))
            label = f"{args.actors:,} actors"
        bare = stack.enter_context(serve("bench.baseline_app:server", args.port, args.workers))
        app = stack.enter_context(serve("wsgi:server", args.port + 1, args.workers, env))
        if args.actors:
            warm(app, "hungary")
        pages = [
            "/",
            "/compare",
            "/compare?form=lines",
            "/networks",
            "/lessons",
            "/lessons/governance",
            "/data",
        ]
        if args.actors:
            pages += ["/networks?pilot=hungary", "/networks?pilot=hungary&view=webgl"]
        driver, baseline = browser(), browser()
        samples: dict[str, list[float]] = {page: [] for page in pages}
        missed = dict.fromkeys(pages, 0)
        base: list[float] = []
        try:
            for page in pages:  # every worker's first request of each page, untimed
                for _ in range(args.workers):
                    timed(driver, app + page, args.timeout)
            timed(baseline, bare, args.timeout)
            for _ in range(args.reps):
                for page in pages:
                    took = timed(driver, app + page, args.timeout)
                    samples[page].append(took) if took is not None else None
                    missed[page] += took is None
                    took = timed(baseline, bare, args.timeout)
                    base.append(took) if took is not None else None
        finally:
            driver.quit()
            baseline.quit()
    b50, b95 = percentile(base, 0.5), percentile(base, 0.95)
    print(f"\npage load, {label} (ms)                      p50     p95   x p50   x p95  never settled")
    print(f"{'bare Dash: one page':44}{b50:7.0f}{b95:8.0f}{'':16}  0 of {len(base)}")
    for page in pages:
        s = samples[page]
        if not s:
            print(f"{page:44}{'':31}  {missed[page]} of {args.reps}")
            continue
        p50, p95 = percentile(s, 0.5), percentile(s, 0.95)
        print(
            f"{page:44}{p50:7.0f}{p95:8.0f}{p50 / b50:7.1f}x{p95 / b95:7.1f}x  {missed[page]} of {args.reps}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
