"""Memory of gunicorn with 4 workers after every page has been opened, Crosspilot against bare Dash.

Both apps are served as in production (bench/servers.py: `gunicorn --workers 4`); Crosspilot serves
--data (default bench/out/large, bench/make_large_dataset.py's 1,000,000 outcome rows) from a fresh
cache, filled by a first start that is not measured. Then --browsers headless Chromiums open, at the
same time, every page --repeat times (Overview, Compare in several forms and modes, Networks, Lessons,
Data), each waiting until the page has no callback pending and has been quiet, so that every worker
serves the pages (the per-worker figures show it); the baseline's one page likewise. Then, for each
process, psutil's `memory_full_info()`: RSS (resident, counting shared pages in full in every
process), PSS (shared pages divided among the processes that map them: the sum over processes is
what the server really occupies) and USS (pages only that process holds).

    python bench/memory_bench.py [--data DIR] [--workers 4] [--no-preload] [--browsers 2] [--repeat 2]

Crosspilot is served with gunicorn.conf.py's settings: the app, the data and its indexes built once in
the master before the workers fork. --no-preload (CROSSPILOT_PRELOAD=0) builds them in every worker.
Run it in a network namespace of its own (it binds fixed ports).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from browser_bench import browser, settle  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from servers import serve  # noqa: E402

MB = 1 << 20
CROSSPILOT_PAGES = (
    "/",
    "/compare",
    "/compare?form=bars",
    "/compare?form=lines",
    "/compare?form=heatmap",
    "/compare?form=multiples&mode=indexed",
    "/compare?form=slope&mode=change_pct",
    "/networks",
    "/lessons",
    "/data",
)
BASELINE_PAGES = ("/",)


def gunicorn_processes(target: str) -> tuple[psutil.Process, list[psutil.Process]]:
    """The master serving `target` (a child of this process, started by servers.serve) and its workers."""
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if target in child.cmdline():
                return child, child.children()
    raise SystemExit(f"no gunicorn serving {target}")


def open_pages(base: str, pages: tuple[str, ...], browsers: int) -> list[str]:
    """`browsers` headless Chromiums open every page at once, each waiting for its page to settle;
    returns the pages that did not load in time (the measurement goes on without them)."""
    failures: list[str] = []

    def visit() -> None:
        driver = browser()
        driver.set_page_load_timeout(120)
        try:
            for page in pages:
                try:
                    driver.get(base + page)
                    settle(driver)
                except WebDriverException as error:
                    failures.append(f"{page}: {error.msg}")
        finally:
            driver.quit()

    threads = [threading.Thread(target=visit) for _ in range(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def measure(target: str) -> dict:
    master, workers = gunicorn_processes(target)
    rows = []
    for process in [master, *workers]:
        info = process.memory_full_info()
        rows.append((process.pid, info.rss / MB, info.pss / MB, info.uss / MB))
    return {"master": rows[0], "workers": rows[1:]}


def report(label: str, figures: dict) -> None:
    print(f"\n{label}")
    print(f"{'':14}{'RSS MB':>10}{'PSS MB':>10}{'USS MB':>10}")
    pid, rss, pss, uss = figures["master"]
    print(f"{'master ' + str(pid):14}{rss:10.0f}{pss:10.0f}{uss:10.0f}")
    for pid, rss, pss, uss in figures["workers"]:
        print(f"{'worker ' + str(pid):14}{rss:10.0f}{pss:10.0f}{uss:10.0f}")
    workers = figures["workers"]
    sums = [sum(row[k] for row in workers) for k in (1, 2, 3)]
    print(f"{'workers, sum':14}{sums[0]:10.0f}{sums[1]:10.0f}{sums[2]:10.0f}")
    print(f"{'all, PSS':14}{'':10}{sums[1] + figures['master'][2]:10.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "out" / "large")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-preload", action="store_true", help="build the app in every worker")
    parser.add_argument("--browsers", type=int, default=2, help="browsers opening the pages at once")
    parser.add_argument("--repeat", type=int, default=2, help="open every page this many times per browser")
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"{args.data} is not a folder; run python bench/make_large_dataset.py first")
    folder = tempfile.mkdtemp(prefix="memory-bench-")
    try:
        env = {"CROSSPILOT_CACHE": str(Path(folder) / "cache"), "CROSSPILOT_DATA": str(args.data)}
        # Fill the cache first, as a server that has started once has it (not measured).
        with serve("wsgi:server", 8280, 1, env):
            pass
        results = {}
        extra = {"CROSSPILOT_PRELOAD": "0"} if args.no_preload else {}
        for label, target, port, pages, app_env in (
            ("bare Dash baseline", "bench.baseline_app:server", 8281, BASELINE_PAGES, {}),
            (
                "Crosspilot" + (", built in every worker" if args.no_preload else ", preloaded"),
                "wsgi:server",
                8282,
                CROSSPILOT_PAGES,
                {**env, **extra},
            ),
        ):
            with serve(target, port, args.workers, app_env) as base:
                start = time.monotonic()
                missed = open_pages(base, pages * args.repeat, args.browsers)
                time.sleep(1)
                results[label] = measure(target)
                took = time.monotonic() - start
                print(
                    f"{label}: every page opened {args.repeat}x by {args.browsers} browsers in {took:.0f} s"
                )
                for failure in missed:
                    print(f"  did not load in time: {failure}")
        print(f"\ndata: {args.data}; {args.workers} workers")
        for label, figures in results.items():
            report(label, figures)
        # With the app preloaded the master holds a share of the pages too: the whole server's PSS
        # (master and workers) is the figure to compare.
        (label,) = [k for k in results if k.startswith("Crosspilot")]
        pss, base_pss = (
            sum(r[2] for r in [results[k]["master"], *results[k]["workers"]])
            for k in (label, "bare Dash baseline")
        )
        print(
            f"\nPSS, master and workers: Crosspilot {pss:.0f} MB, baseline {base_pss:.0f} MB,"
            f" ratio {pss / base_pss:.1f}x"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
