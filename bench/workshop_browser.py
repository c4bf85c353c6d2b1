"""What workshop users wait for, in headless Chromium: vote, next item, projector, against bare Dash.

The same measurement as bench/browser_bench.py (whose browser, Scenario, run and report this reuses):
Crosspilot under gunicorn with 4 workers, each change timed from the moment it is made to the last
redraw it caused, interleaved with the bare Dash baseline (bench/baseline_app.py), so a busy machine
slows both alike. Here a change also has to show what the user is waiting for: a redraw that does not
change the watched element does not end the wait. The workshop (a lesson and a governance model, then
two more items) is made through the JSON API on a fresh SQLite file in a temporary folder.

1. Phone: a participant on /workshop/join (joined through the page) chooses a stance and presses
   "Send my vote" -> the page shows the vote the server holds (the stance alternates, so the text
   changes every time; a fresh participant joins every 25 votes, under the limit of 30 a minute).
2. Facilitator: Right arrow on /workshop/facilitate (Next; Left arrow goes back, untimed) -> the new
   item's title and view drawn.
3. Projector: the facilitator moves on through `POST /api/workshops/<id>/control` (goto) -> the new
   item on /workshop/present. This includes the projector's pulse interval (0.5 s, assets/40-workshop.js;
   each move is made at a random moment of the page's 1.5 s redraw cycle, as a facilitator's are).

    python bench/workshop_browser.py [--reps 20] [--timeout 20] [--port 8290]

It binds fixed ports on 127.0.0.1; run it in a network namespace of its own if other benchmarks are
running (`ip netns add wsb; ip netns exec wsb ip link set lo up; ip netns exec wsb python ...`).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from browser_bench import ARM, Scenario, percentile, report, run, settle  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from servers import serve  # noqa: E402
from workshop_load import ADMIN, call  # noqa: E402

ITEMS = ["lesson:equal-participants", "governance:hull", "lesson:starting-from-zero", "governance:turku"]
POLL_S = 1.5  # layouts/workshop.py POLL_MS: how often the projector and the facilitator redraw the room
VOTES_PER_PARTICIPANT = 25  # the server allows 30 a minute per participant

# Arms the measurement (browser_bench's ARM) and remembers the watched element's text: the wait ends
# only once that text has changed (`seen`, the first moment it had) and the page is quiet again.
WATCH = (
    ARM
    + """
var b = window.__bench, el = document.querySelector(arguments[0]);
b.watched = arguments[0];
b.before = el ? el.textContent : null;
b.seen = null;
if (!window.__benchWatcher) {
  window.__benchWatcher = new MutationObserver(function () {
    var w = window.__bench;
    if (!w || !w.watched || w.seen !== null) { return; }
    var now = document.querySelector(w.watched);
    if (now && now.textContent && now.textContent !== w.before) { w.seen = performance.now(); }
  });
  window.__benchWatcher.observe(document.body, {childList: true, subtree: true, characterData: true});
}
"""
)
SEEN = "var b = window.__bench; return b && b.seen !== null ? b.seen - b.t0 : null;"
VOTE = (
    WATCH
    + """
document.querySelector("#workshop-stance-choice input[value='" + arguments[1] + "']").click();
document.querySelector('#workshop-send').click();
"""
)
KEY = WATCH + "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[1], bubbles: true}));"
# What each page shows before its change can be made.
JOINED = """
var panel = document.getElementById('workshop-vote-panel'), send = document.getElementById('workshop-send');
return Boolean(panel && !panel.hidden && send && !send.disabled && send.name);
"""
FACILITATING = """
var key = document.getElementById('workshop-fac-key');
var title = document.querySelector('#workshop-fac-view h2');
return Boolean(key && key.value && title && title.textContent);
"""
PRESENTING = "var t = document.querySelector('.workshop-present-title'); return Boolean(t && t.textContent);"


class Watched(Scenario):
    """A Scenario whose step ends once the watched element changed; `shown` keeps those moments (ms
    after the change) of the timed steps, beside `samples` (the last redraw)."""

    def __init__(self, name: str, url: str, step, timeout: float, ready: str):
        super().__init__(name, url, step)
        self.shown: list[float] = []
        self.timeout, self.ready = timeout, ready

    def prepare(self, driver) -> None:
        """Before arming: the page shows what the change will replace (a page that is quiet may still
        be waiting for its first view, e.g. the facilitator's key read from the link)."""
        if not driver.execute_script(self.ready):
            until(driver, self.ready, self.timeout)
            settle(driver)

    def wait(self, driver, i: int) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            seen = driver.execute_script(SEEN)
            if seen is not None:
                if i % 2 == 0:
                    self.shown.append(seen)
                return
            time.sleep(0.02)
        raise TimeoutException(f"{self.name}: the watched element did not change")  # run() counts it


def until(driver, script: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not driver.execute_script(script):
        if time.monotonic() > deadline:
            raise TimeoutException(f"not true within {timeout} s: {script.strip()[:60]}")
        time.sleep(0.05)


def workshop_scenarios(app: str, room: dict, timeout: float) -> list[Watched]:
    wid, code = room["id"], room["join_code"]
    key = {"X-Facilitator-Key": room["facilitator_key"]}
    votes = 0
    # Each step starts just after the page's last redraw, which on the projector follows one of its
    # polls: without a random pause every move would come at the same moment of the poll's cycle.
    phase = random.Random(2024)

    def join(d) -> None:
        """A fresh participant, joined through the page: new browser id, empty local storage."""
        d.delete_cookie("crosspilot_browser")
        d.execute_script("window.localStorage.clear();")
        d.get(phone.url)
        until(d, "return Boolean(document.getElementById('workshop-join-button'));", timeout)
        settle(d)
        d.execute_script("document.getElementById('workshop-join-button').click();")
        until(d, JOINED, timeout)
        settle(d)

    def vote(d, i: int) -> None:
        nonlocal votes
        if votes % VOTES_PER_PARTICIPANT == 0:  # untimed: the arming comes after
            join(d)
        votes += 1
        phone.prepare(d)
        d.execute_script(VOTE, "#workshop-vote-feedback", ("agree", "disagree")[i % 2])
        phone.wait(d, i)

    def press(d, i: int) -> None:
        facilitator.prepare(d)
        d.execute_script(KEY, "#workshop-fac-view h2", ("ArrowRight", "ArrowLeft")[i % 2])
        facilitator.wait(d, i)

    def moved(d, i: int) -> None:
        projector.prepare(d)
        time.sleep(phase.uniform(0, POLL_S))
        d.execute_script(WATCH, ".workshop-present-title")
        status, answer = call(
            app, "POST", f"/api/workshops/{wid}/control", {"action": "goto", "position": 1 - i % 2}, key
        )
        if status != 200:
            raise SystemExit(f"goto refused: {status} {answer}")
        projector.wait(d, i)

    phone = Watched(
        "Phone: stance + send -> vote shown", f"{app}/workshop/join?code={code}", vote, timeout, JOINED
    )
    facilitator = Watched(
        "Facilitator: Next -> next item shown",
        f"{app}/workshop/facilitate?w={wid}#key={room['facilitator_key']}",
        press,
        timeout,
        FACILITATING,
    )
    projector = Watched(
        "Projector: goto -> new item (incl. poll)",
        f"{app}/workshop/present?w={wid}&theme=projector",
        moved,
        timeout,
        PRESENTING,
    )
    return [phone, facilitator, projector]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8290, help="first of the two ports the servers use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        env = {
            "CROSSPILOT_CACHE": str(Path(folder) / "cache"),
            "DATABASE_URL": f"sqlite:///{folder}/ws.db",
            "CROSSPILOT_ADMIN_PASSWORD": ADMIN,
            "SECRET_KEY": "bench",  # else one is generated and kept in the repository's instance/
        }
        baseline = stack.enter_context(serve("bench.baseline_app:server", args.port, args.workers))
        app = stack.enter_context(serve("wsgi:server", args.port + 1, args.workers, env))
        status, room = call(
            app,
            "POST",
            "/api/workshops",
            {"title": "Bench", "items": ITEMS, "rounds": 1},
            {"X-Facilitator-Key": ADMIN},
        )
        if status != 201:
            raise SystemExit(f"the workshop was not created: {status} {room}")
        key = {"X-Facilitator-Key": room["facilitator_key"]}
        status, answer = call(app, "POST", f"/api/workshops/{room['id']}/control", {"action": "open"}, key)
        if status != 200:
            raise SystemExit(f"voting did not open: {status} {answer}")
        # In this order: the phone votes on the first item while voting is open; moving on closes it.
        scenarios = workshop_scenarios(app, room, args.timeout)
        base = run(scenarios, baseline, args.reps, args.timeout)
        report(scenarios, base)
        print(f"\n{'change -> watched element first changed (ms)':44}{'p50':>8}{'p95':>8}")
        for s in scenarios:
            if s.shown:
                print(f"{s.name:44}{percentile(s.shown, 0.5):8.0f}{percentile(s.shown, 0.95):8.0f}")
        print(
            f"\nPhone: until the page says what the server holds (#workshop-vote-feedback, a Dash callback "
            f"after the vote's API answer). Projector: includes the room's pulse interval (0.5 s, on "
            f"average half of it). The facilitator's page polls every {POLL_S} s, but Next "
            f"re-reads at once."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
