"""Time the Lessons section server-side: loading the cards, a lesson's page, governance, roadmap exports.

    python bench/lessons_bench.py [--repeat N] [--cards N]

`--cards` also times parsing and checking that many cards (copies of the bundled ones under new ids),
to show how loading scales with a larger programme's lesson library.
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

from callbacks import lessons as callbacks  # noqa: E402
from crosspilot.config import Config  # noqa: E402
from crosspilot.context import AppContext  # noqa: E402
from crosspilot.dataset import BUNDLED, load_dataset  # noqa: E402
from crosspilot.lessons import lesson_files, load_lessons  # noqa: E402
from crosspilot.problems import Report  # noqa: E402
from crosspilot.roadmap import roadmap_sections, to_html, to_markdown  # noqa: E402
from layouts import lessons, lessons_governance, lessons_roadmap  # noqa: E402


def timed(label: str, work, repeat: int) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        if hasattr(result, "to_plotly_json"):
            result.to_plotly_json()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"{label:<52} median {statistics.median(times):8.2f} ms   p95 {p95:8.2f} ms   (n={repeat})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cards", type=int, default=300)
    args = parser.parse_args()
    snapshot = load_dataset(BUNDLED).snapshot
    context = AppContext(snapshot=snapshot, config=Config(cache_dir=None))
    files = lesson_files(ROOT / "lessons")
    names = context.derived.pilots.name
    print(f"{len(snapshot.lessons)} bundled lessons, {len(snapshot.pilots)} pilots")

    timed(
        "load and check the bundled cards",
        lambda: load_lessons(files, snapshot.tables, Report()),
        args.repeat,
    )
    timed("Lessons list page (layout)", lambda: lessons.layout(context, {}, "standard"), args.repeat)
    for lesson_id in ("formats-that-outlive-the-project", "multi-stakeholder-networks"):
        timed(
            f"one lesson's page: {lesson_id[:26]}",
            lambda lesson_id=lesson_id: lessons.layout(context, {"lesson": lesson_id}, "standard"),
            args.repeat,
        )
    timed(
        "Governance models page (layout)",
        lambda: lessons_governance.layout(context, {}, "standard"),
        args.repeat,
    )
    timed("Roadmap page (layout)", lambda: lessons_roadmap.layout(context, {}, "standard"), args.repeat)
    sections = roadmap_sections(snapshot.lessons)
    timed("roadmap as Markdown", lambda: to_markdown(sections, names, snapshot.version), args.repeat)
    timed(
        "roadmap as self-contained HTML (template)",
        lambda: to_html(sections, names, snapshot.version),
        args.repeat,
    )
    timed(
        "filter callback (pilot=wroclaw)",
        lambda: callbacks.filter_list(context, "*", "wroclaw", [], "*", ""),
        args.repeat,
    )

    if args.cards:
        with tempfile.TemporaryDirectory() as folder:
            texts = [(p.stem, p.read_text(encoding="utf-8")) for p in files]
            for n in range(args.cards):
                stem, text = texts[n % len(texts)]
                new = f"{stem}-{n}"
                (Path(folder) / f"{new}.md").write_text(text.replace(f"id: {stem}\n", f"id: {new}\n", 1))
            many = lesson_files(Path(folder))
            timed(
                f"load and check {len(many)} cards",
                lambda: load_lessons(many, snapshot.tables, Report()),
                max(3, args.repeat // 6),
            )


if __name__ == "__main__":
    main()
