"""What a user waits for: change a control in headless Chromium -> the page redrawn, against bare Dash.

Both apps run under gunicorn with 4 workers (bench/servers.py). Each measurement starts in the page, at
the moment the control is changed (a radio or checkbox clicked, a select changed, a name typed and
Enter pressed), and ends at the last redraw it caused: the last `plotly_afterplot` of a chart or the
last DOM change in the page, once Dash has no callback pending and the page has been quiet for 150 ms.
A change that is not redrawn within --timeout counts as "never redrew". Crosspilot's measurements are
interleaved with the baseline's (bench/baseline_app.py: one radio group -> one 10-point scatter), so a
busy machine slows both alike; the ratio is p50 over the baseline's p50 (and p95 over p95).

    python bench/browser_bench.py [--reps 20] [--only compare|networks] [--large DIR] [--actors 10000]

--large DIR also serves a dataset such as bench/make_large_dataset.py's 1,000,000 rows (Compare);
--actors N also serves the bundled data with one pilot's network replaced by N synthetic actors
(Networks; its analysis is made before timing, as on a server that has shown it once). Its "size, all
compared" scenario scrolls to All pilots compared and changes "Size by" on a small pilot: what it times is
mostly that section, whose small multiples draw the large network too.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from servers import network_dataset, serve  # noqa: E402

FORMS = ("dots", "bars", "lines", "slope", "multiples", "heatmap")
MODES = ("absolute", "change", "change_pct", "indexed", "per_participant")

# Arms the measurement: every DOM change and every plotly_afterplot from now on moves `last`.
ARM = """
var b = window.__bench = {t0: performance.now(), last: null};
if (!window.__benchObserver) {
  window.__benchObserver = new MutationObserver(function () {
    if (window.__bench) { window.__bench.last = performance.now(); }
  });
  window.__benchObserver.observe(document.body, {childList: true, subtree: true, characterData: true});
}
document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
  if (!gd.__benchHooked && gd.on) {
    gd.__benchHooked = true;
    gd.on('plotly_afterplot', function () {
      if (window.__bench) { window.__bench.last = performance.now(); }
    });
  }
});
"""
# Then the change itself, in the same script so t0 is its moment.
CLICK = ARM + "document.querySelector(arguments[0]).click();"
SELECT = (
    ARM
    + """
var s = document.querySelector(arguments[0]);
Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, arguments[1]);
s.dispatchEvent(new Event('change', {bubbles: true}));
"""
)
STATE = """
var b = window.__bench, st = window.store && window.store.getState();
var pending = 0;  // callbacks requested, waiting or running (dash-renderer's lists in state.callbacks)
if (st && st.callbacks) {
  Object.keys(st.callbacks).forEach(function (k) {
    if (Array.isArray(st.callbacks[k])) { pending += st.callbacks[k].length; }
  });
}
return [b.last === null ? null : b.last - b.t0, performance.now() - (b.last || b.t0), pending];
"""


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options)  # chromedriver from PATH (Debian's chromium-driver)


def redrawn(driver, timeout: float) -> float | None:
    """Milliseconds from the change to its last redraw; None if nothing was redrawn in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            took, quiet, pending = driver.execute_script(STATE)
        except TimeoutException:  # the page's main thread is still busy (software GL, say)
            continue
        if took is not None and pending == 0 and quiet > 150:
            return took
        time.sleep(0.02)
    return None


def settle(driver) -> None:
    """Wait until the page loaded by `driver.get` has no callback pending and has been quiet."""
    driver.execute_script(ARM)
    redrawn(driver, 30)


class Scenario:
    """One kind of change on one page: `step(driver, i)` makes the change that is timed (i even) or
    undoes it (i odd, waited for but not timed), so every timed change is a real one."""

    def __init__(self, name: str, url: str, step):
        self.name, self.url, self.step = name, url, step
        self.samples: list[float] = []
        self.missed = 0


def compare_scenarios(base: str, label: str) -> list[Scenario]:
    out = []
    # Each form from the default (dots) and back, each mode from the default (absolute) and back; the
    # defaults themselves are timed as the way back from the next form or mode.
    for group, choices in (("form", FORMS), ("mode", MODES)):
        for k, choice in enumerate(choices):
            there, back = (choice, choices[0]) if k else (choices[0], choices[1])
            start = "" if k else f"?{group}={choices[1]}"
            out.append(
                Scenario(
                    f"Compare {label}: {group} {choice}",
                    f"{base}/compare{start}",
                    lambda d, i, g=group, a=there, b=back: d.execute_script(
                        CLICK, f"#compare-{g} input[value='{(a, b)[i % 2]}']"
                    ),
                )
            )
    return out


def networks_scenarios(
    base: str, label: str, pilots: tuple[str, str], actors: tuple[str, str], large: bool = False
) -> list:
    """Pilot, sector filter and focus. On a `large` network the filter and focus are timed on the full
    drawing (`view=webgl`; its first view is grouped by sector), and so is the click that draws it."""
    drawing = "&view=webgl" if large else ""

    def pilot(d, i):
        d.execute_script(SELECT, "#networks-pilot", pilots[i % 2])

    def sector(d, i):
        d.execute_script(CLICK, "#networks-sectors input")

    def focus(d, i):
        box = d.find_element(By.ID, "networks-find")
        d.execute_script("arguments[0].value = '';", box)
        d.execute_script(ARM)
        box.send_keys(actors[i % 2] + "\n")

    def size(d, i):
        # All pilots compared is drawn once the reader is near it (assets/16-near.js): not timed.
        if not d.find_elements(By.CSS_SELECTOR, "#networks-multiples .js-plotly-plot"):
            d.execute_script("document.getElementById('networks-compare').scrollIntoView()")
            settle(d)
        d.execute_script(SELECT, "#networks-size", ("degree", "betweenness")[i % 2])

    def draw_all(d, i):
        if i % 2:
            d.execute_script(SELECT, "#networks-view", "auto")
        else:
            d.execute_script(CLICK, "#networks-draw-all")

    scenarios = [
        Scenario(f"Networks {label}: pilot", f"{base}/networks?pilot={pilots[1]}", pilot),
        Scenario(f"Networks {label}: sector filter", f"{base}/networks?pilot={pilots[0]}{drawing}", sector),
        Scenario(f"Networks {label}: focus", f"{base}/networks?pilot={pilots[0]}{drawing}", focus),
    ]
    if large:
        scenarios.append(
            Scenario(f"Networks {label}: draw every actor", f"{base}/networks?pilot={pilots[0]}", draw_all)
        )
        # Size by: the small pilot's graph and All pilots compared (every network's small multiple).
        scenarios.append(
            Scenario(f"Networks {label}: size, all compared", f"{base}/networks?pilot={pilots[1]}", size)
        )
    return scenarios


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(scenarios: list[Scenario], baseline_url: str, reps: int, timeout: float) -> Scenario:
    crosspilot, bare = browser(), browser()
    base = Scenario("bare Dash: radio -> 10-point scatter", baseline_url, None)
    turn = 0
    try:
        bare.get(baseline_url)
        settle(bare)
        for scenario in scenarios:
            crosspilot.get(scenario.url)
            settle(crosspilot)
            for i in range(2 * reps):
                try:
                    scenario.step(crosspilot, i)
                    took = redrawn(crosspilot, timeout)
                except WebDriverException:  # the page too busy to answer even a script: never redrew
                    took = None
                if took is None:  # reload, so the next change starts from the page's own state
                    scenario.missed += i % 2 == 0
                    crosspilot.get(scenario.url)
                    settle(crosspilot)
                    continue
                if i % 2:
                    continue
                scenario.samples.append(took)
                # The baseline in between: the same moment's machine for both.
                turn += 1
                bare.execute_script(CLICK, f"#choice input[value='{('one', 'two')[turn % 2]}']")
                took = redrawn(bare, timeout)
                base.samples.append(took) if took is not None else None
                base.missed += took is None
            if scenario.samples and base.samples:  # as it goes, so a long run shows its figures early
                print(
                    f"{scenario.name}: p50 {percentile(scenario.samples, 0.5):.0f} ms, "
                    f"p95 {percentile(scenario.samples, 0.95):.0f} ms, {scenario.missed} never redrew; "
                    f"bare Dash so far p50 {percentile(base.samples, 0.5):.0f}, "
                    f"p95 {percentile(base.samples, 0.95):.0f}",
                    flush=True,
                )
    finally:
        crosspilot.quit()
        bare.quit()
    return base


def report(scenarios: list[Scenario], base: Scenario) -> None:
    b50, b95 = percentile(base.samples, 0.5), percentile(base.samples, 0.95)
    print(f"\n{'change -> redrawn (ms)':44}{'p50':>8}{'p95':>8}{'x p50':>8}{'x p95':>8}  never redrew")
    print(f"{base.name:44}{b50:8.0f}{b95:8.0f}{'':16}  {base.missed} of {len(base.samples) + base.missed}")
    for s in scenarios:
        if not s.samples:
            print(f"{s.name:44}{'':32}  {s.missed} of {s.missed}")
            continue
        p50, p95 = percentile(s.samples, 0.5), percentile(s.samples, 0.95)
        print(
            f"{s.name:44}{p50:8.0f}{p95:8.0f}{p50 / b50:7.1f}x{p95 / b95:7.1f}x"
            f"  {s.missed} of {len(s.samples) + s.missed}"
        )
    everything = [x for s in scenarios for x in s.samples]
    if everything:
        print(f"{'all of the above':44}{percentile(everything, 0.5):8.0f}{percentile(everything, 0.95):8.0f}")


def warm(url: str, pilot: str, timeout: float = 600) -> None:
    """Open the large network once and wait for its background analysis (not timed)."""
    driver = browser()
    try:
        driver.get(f"{url}/networks?pilot={pilot}&view=webgl")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = driver.find_elements(By.ID, "networks-mode")
            if shown and "drawing" in shown[0].text:
                return
            time.sleep(0.5)
        raise SystemExit("the large network's background analysis did not finish")
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--only", choices=("compare", "networks"))
    parser.add_argument("--large", type=Path, help="also Compare on this dataset (e.g. bench/out/large)")
    parser.add_argument("--actors", type=int, help="also Networks with a synthetic network of N actors")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8190, help="first of the four ports the servers use")
    parser.add_argument(
        "--afresh", action="store_true", help="every callback computed afresh (CROSSPILOT_RESPONSE_CACHE=0)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        env = {"CROSSPILOT_CACHE": str(Path(folder) / "cache")}
        if args.afresh:  # the repetitions ask for the same views again: without this, from memory
            env["CROSSPILOT_RESPONSE_CACHE"] = "0"
        baseline = stack.enter_context(serve("bench.baseline_app:server", args.port, args.workers))
        app = stack.enter_context(serve("wsgi:server", args.port + 1, args.workers, env))
        scenarios = []
        if args.only != "networks":
            scenarios += compare_scenarios(app, "bundled")
        if args.only != "compare":
            scenarios += networks_scenarios(
                app, "bundled", ("hull", "hungary"), ("Manchester", "Local Time Bank")
            )
        if args.large and args.only != "networks":
            large_env = {**env, "CROSSPILOT_DATA": str(args.large)}
            large = stack.enter_context(serve("wsgi:server", args.port + 2, args.workers, large_env))
            scenarios += compare_scenarios(large, "1M rows")
        if args.actors and args.only != "compare":
            data = network_dataset(Path(folder) / "network", args.actors)
            big = stack.enter_context(
                serve("wsgi:server", args.port + 3, args.workers, {**env, "CROSSPILOT_DATA": str(data)})
            )
            warm(big, "hungary")
            # Pilot: into the large network and back; filter and focus on it.
            label = f"{args.actors:,} actors"
            scenarios += networks_scenarios(
                big, label, ("hungary", "hull"), ("Actor 1", "Actor 2"), large=True
            )
        base = run(scenarios, baseline, args.reps, args.timeout)
        report(scenarios, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
