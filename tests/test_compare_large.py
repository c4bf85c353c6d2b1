"""Compare on a large programme: what each form can show is capped, and the page says so in words.

A synthetic dataset is generated here (40 pilots, 2 indicators, 150 monthly periods: 12,000 values),
big enough that every cap applies and small enough to load in a moment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from callbacks.compare import update, update_table
from crosspilot.compare import MAX_PANELS, MAX_POINTS, MAX_SLOPES
from crosspilot.dataset import load_dataset
from layouts.compare import MAX_TABLE_ROWS
from tests.helpers import context_of, text_of

PILOTS, MONTHS = 40, 150


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large")
    pilot_ids = [f"p{i:02d}" for i in range(PILOTS)]
    pd.DataFrame(
        {
            "pilot_id": pilot_ids,
            "name": [f"Synthetic pilot {i}" for i in range(PILOTS)],
            "country": ["FI"] * PILOTS,
            "place": [f"Place {i}" for i in range(PILOTS)],
        }
    ).to_parquet(folder / "pilots.parquet", index=False)
    pd.DataFrame(
        {
            "indicator_id": ["i0", "i1"],
            "label": ["Synthetic indicator 0", "Synthetic indicator 1"],
            "unit": ["units", "units"],
            "direction": ["higher_is_better", "lower_is_better"],
            "category": ["synthetic", "synthetic"],
            "definition": ["Synthetic test indicator; values are random."] * 2,
        }
    ).to_parquet(folder / "indicators.parquet", index=False)
    months = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS)]
    n = PILOTS * 2 * MONTHS
    rng = np.random.default_rng(7)
    pd.DataFrame(
        {
            "pilot_id": np.repeat(pilot_ids, 2 * MONTHS),
            "indicator_id": np.tile(np.repeat(["i0", "i1"], MONTHS), PILOTS),
            "period": np.tile(months, 2 * PILOTS),
            "value": np.round(rng.uniform(50, 500, n), 2),
            "group": "",
            "status": "illustrative",
            "source": "",
            "note": "synthetic test value (random)",
        }
    ).to_parquet(folder / "outcomes.parquet", index=False)
    result = load_dataset(folder)
    assert result.ok, result.report.format()
    return context_of(result.snapshot)


def controls(**changes):
    values = {"indicators": ["i0"], "pilots": [], "start": "*", "end": "*", "group": "*"}
    return {**values, "mode": "absolute", "form": "dots", **changes}


def panel_titles(figure) -> list[str]:
    return [a.text for a in figure.layout.annotations if "Place " in a.text]


def test_small_multiples_of_many_pilots_show_the_first_panels_and_say_so(context):
    out = update(context, controls(form="multiples"), "")
    assert len(panel_titles(out["figure"])) == MAX_PANELS
    summary = text_of(out["summary"])
    assert f"Small multiples show the first {MAX_PANELS} of {PILOTS} pilots" in summary
    assert "choose pilots to see others" in summary
    # Chosen pilots are all shown, without the notice.
    few = update(context, controls(form="multiples", pilots=["p01", "p02"]), "")
    assert len(panel_titles(few["figure"])) == 2 and "first" not in text_of(few["summary"])


def test_a_slope_chart_of_many_pilots_draws_the_first_lines_and_says_so(context):
    out = update(context, controls(form="slope"), "")
    named = {d.name for d in out["figure"].data if d.mode == "lines+markers+text"}
    assert len(named) == MAX_SLOPES
    assert f"The slope chart shows the first {MAX_SLOPES} of {PILOTS} pilots" in text_of(out["summary"])


def test_long_series_of_many_pilots_are_thinned_to_a_drawable_chart_with_a_notice(context):
    out = update(context, controls(form="lines", indicators=["i0", "i1"]), "")
    drawn = sum(
        int(np.isfinite(np.asarray(d.y, dtype=float)).sum()) for d in out["figure"].data if d.y is not None
    )
    assert 0 < drawn <= MAX_POINTS
    summary = text_of(out["summary"])
    assert "The series are long:" in summary and f"of {PILOTS * 2 * MONTHS:,} values are drawn" in summary
    table = update_table(context, controls(form="lines", indicators=["i0", "i1"]), "")["table"]
    # The table lists what is plotted, a page of it, and says the CSV has the rest.
    assert len([r for r in _rows(table)]) == MAX_TABLE_ROWS
    assert f"The first {MAX_TABLE_ROWS} are shown here; the CSV has them all." in text_of(table)


def test_dots_of_many_pilots_show_every_pilot_without_a_notice(context):
    out = update(context, controls(form="dots", mode="change"), "")
    pilots = {y for d in out["figure"].data if d.y is not None for y in d.y if str(y).startswith("Place ")}
    assert len(pilots) == PILOTS and out["summary"] is None


def _rows(table):
    from dash import html

    from tests.helpers import of_type

    body = of_type(table, html.Tbody)[0]
    return of_type(body, html.Tr)
