"""Where a page load's seconds go, in headless Chromium: each Dash callback request (which callback,
when it was sent, answered and read, its request and response bytes), Dash's store dispatches by kind
(each one runs every mounted component's selector), the main thread's long tasks, and a CPU profile
summed by script and by heaviest function, for one page load or one pilot switch.

    python bench/trace_page.py [--actors 10000] [--page '/networks?pilot=hungary'] [--switch hungary]
                               [--reps 2] [--port 8490] [--url URL] [--keep DIR] [--profile FILE]

--switch PILOT opens --page and then changes the pilot dropdown to PILOT (timed from the change).
--url traces a server already running; else one is started on --port with --actors synthetic actors
(--keep DIR keeps its dataset and analyses for the next run). --profile FILE writes the last
repetition's CPU profile (open it in Chromium's DevTools, Performance panel). Times are inflated by
the profiler itself; compare them with each other, and time with bench/page_bench.py.
Run it in a network namespace of its own (it binds fixed ports).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from browser_bench import ARM, SELECT, redrawn, warm  # noqa: E402
from selenium import webdriver  # noqa: E402
from servers import network_dataset, serve  # noqa: E402

# Before the page's own scripts: every callback request's output, times and sizes, and long tasks.
SPY = """
window.__spy = {requests: [], long: []};
const origFetch = window.fetch;
window.fetch = function (url, init) {
  const t0 = performance.now();
  let out = '';
  let sent = 0;
  if (init && typeof init.body === 'string') {
    sent = init.body.length;
    try { out = JSON.parse(init.body).output; } catch (e) {}
  }
  return origFetch.apply(this, arguments).then(function (response) {
    const t1 = performance.now();
    const copy = response.clone();
    copy.text().then(function (text) {
      window.__spy.requests.push({url: String(url), out: out, sent: sent, t0: t0, t1: t1,
                                  t2: performance.now(), bytes: text.length, status: response.status});
    });
    return response;
  });
};
window.__spy.dispatches = [];
(function () {
  let real;
  Object.defineProperty(window, 'store', {configurable: true, get: function () { return real; },
    set: function (store) {
      real = store;
      const dispatch = store.dispatch;
      store.dispatch = function (action) {
        const t0 = performance.now();
        const result = dispatch.apply(this, arguments);
        const type = action && action.type ? String(action.type) : typeof action;
        window.__spy.dispatches.push([t0, performance.now() - t0, type]);
        return result;
      };
    }});
})();
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__spy.long.push([e.startTime, e.duration]); });
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
"""


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SPY})
    return driver


def summarise(profile: dict) -> None:
    """The CPU profile's time by script (self time) and the heaviest functions with what they include."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    own: collections.Counter = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"][1:] + [0], strict=True):
        own[sample] += delta / 1000

    def name(node: dict) -> str:
        frame = node["callFrame"]
        where = Path(frame["url"]).name.split(".v")[0] if frame["url"] else ""
        return (
            f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber']}:{frame['columnNumber']}"
        )

    scripts: collections.Counter = collections.Counter()
    inclusive: collections.Counter = collections.Counter()
    for node_id, ms in own.items():
        frame = nodes[node_id]["callFrame"]
        scripts[Path(frame["url"]).name.split(".v")[0] or frame["functionName"]] += ms
        seen, at = set(), node_id
        while at is not None:
            label = name(nodes[at])
            if label not in seen:
                inclusive[label] += ms
                seen.add(label)
            at = parent.get(at)
    print("  CPU by script (self time, ms):")
    for script, ms in scripts.most_common(12):
        print(f"    {ms:8.0f}  {script}")
    print("  heaviest functions (inclusive, ms):")
    for label, ms in inclusive.most_common(30):
        print(f"    {ms:8.0f}  {label}")


def report(driver, took: float | None, since: float) -> None:
    spy = driver.execute_script("return window.__spy")
    print(f"  settled after {took} ms")
    print("  callback requests (ms from the start; sent, answered, read; bytes up / down):")
    for r in sorted(spy["requests"], key=lambda r: r["t0"]):
        if r["t2"] < since:
            continue
        out = r["out"] if len(r["out"]) < 90 else r["out"][:87] + "..."
        print(
            f"    {r['t0'] - since:7.0f} {r['t1'] - since:7.0f} {r['t2'] - since:7.0f}"
            f" {r['sent']:8d} {r['bytes']:9d}  {out or r['url']}"
        )
    dispatches = [(t - since, d, k) for t, d, k in spy["dispatches"] if t >= since]
    kinds = collections.defaultdict(lambda: [0, 0.0])
    for _, d, k in dispatches:
        kinds[k][0] += 1
        kinds[k][1] += d
    print(f"  store dispatches: {len(dispatches)}, {sum(d for _, d, _ in dispatches):.0f} ms in all:")
    for k, (n, d) in sorted(kinds.items(), key=lambda kv: -kv[1][1])[:12]:
        print(f"    {n:4d} {d:8.0f} ms  {k}")
    print(
        "    slowest: "
        + ", ".join(f"{t:.0f}+{d:.0f} {k}" for t, d, k in sorted(dispatches, key=lambda x: -x[1])[:10])
    )
    long = [(s - since, d) for s, d in spy["long"] if s >= since]
    print(f"  long tasks: {len(long)}, {sum(d for _, d in long):.0f} ms in all:")
    print("    " + ", ".join(f"{s:.0f}+{d:.0f}" for s, d in long))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=10000)
    parser.add_argument("--page", default="/networks?pilot=hungary")
    parser.add_argument("--switch")
    parser.add_argument("--ready", default="#networks-summary li", help="CSS of what must be shown")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--port", type=int, default=8490)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--url", help="trace this running server instead of starting one")
    parser.add_argument("--profile", type=Path, help="write the last repetition's CPU profile (.cpuprofile)")
    parser.add_argument(
        "--keep", type=Path, help="keep the dataset and cache in this folder, for the next run"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary, contextlib.ExitStack() as stack:
        if args.url:
            app = args.url
        else:
            folder = Path(args.keep or temporary)
            data = folder / "network"
            if not (data / "nodes.csv").exists():
                network_dataset(data, args.actors)
            env = {"CROSSPILOT_CACHE": str(folder / "cache"), "CROSSPILOT_DATA": str(data)}
            app = stack.enter_context(serve("wsgi:server", args.port, args.workers, env))
            warm(app, "hungary")
        driver = browser()

        def shown(timeout: float = 60) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not driver.execute_script(
                "return !!document.querySelector(arguments[0])", args.ready
            ):
                time.sleep(0.02)

        try:
            for _ in range(args.workers):  # every worker's first request, untimed
                driver.get(app + args.page)
                shown()
                driver.execute_script(ARM)
                redrawn(driver, 60)
            for rep in range(args.reps):
                print(
                    f"\nrep {rep + 1}: {args.page}" + (f" then pilot -> {args.switch}" if args.switch else "")
                )
                if args.switch:
                    driver.get(app + args.page)
                    shown()
                    driver.execute_script(ARM)
                    redrawn(driver, 60)
                driver.execute_cdp_cmd("Profiler.enable", {})
                driver.execute_cdp_cmd("Profiler.setSamplingInterval", {"interval": 500})
                driver.execute_cdp_cmd("Profiler.start", {})
                if args.switch:
                    driver.execute_script(SELECT, "#networks-pilot", args.switch)
                    since = driver.execute_script("return window.__bench.t0")
                else:
                    driver.get(app + args.page)
                    driver.execute_script(ARM.replace("performance.now()", "0", 1))
                    since = 0.0
                shown()
                took = redrawn(driver, 60)
                profile = driver.execute_cdp_cmd("Profiler.stop", {})["profile"]
                report(driver, took, since)
                summarise(profile)
                if args.profile:
                    args.profile.write_text(json.dumps(profile))
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
