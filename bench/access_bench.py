"""What signing in costs a request: the Networks page's layout request and a router render for an
anonymous visitor, a signed-in partner, and a public visitor of a dataset with a protected network
(pseudonyms), interleaved, printing medians, p95 and the ratio to the anonymous run.

    python bench/access_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import make_app  # noqa: E402
from tests.helpers import sign_in  # noqa: E402
from tests.privacy_data import protected_dataset  # noqa: E402
from tests.test_accounts import route  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    data, _ = protected_dataset(folder / "data")
    app = make_app(data, database_url=f"sqlite:///{folder / 'b.db'}")
    clients = {
        "anonymous": app.server.test_client(),
        "partner (signed in)": sign_in(app, role="partner"),
    }
    times = {name: [] for name in clients}
    for _ in range(args.repeat):
        for name, client in clients.items():  # interleaved
            start = time.perf_counter()
            client.get("/_dash-layout")
            route(client, "/networks", "?pilot=hull")
            times[name].append((time.perf_counter() - start) * 1000)
    base = statistics.median(times["anonymous"])
    for name, values in times.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        median = statistics.median(values)
        print(f"{name:22} median {median:6.1f} ms  p95 {p95:6.1f} ms  ratio {median / base:4.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
