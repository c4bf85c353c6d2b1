"""Compare: the domain and the figure builders on tiny frames, the CSV. The view (URL) is tested in
test_compare_views.py, the callbacks in test_compare_callbacks.py."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from crosspilot.compare import build_index, compare, period_key, to_csv
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.figures.compare import STATUS_GLYPHS, compare_figure, figure_for, scaled_scores
from crosspilot.figures.theme import STATUS_SYMBOLS
from crosspilot.formatting import Formatter
from crosspilot.pilots import PilotLabels
from crosspilot.spreadsheet import safe_cell
from crosspilot.views.compare import View
from layouts import compare as page
from tests.helpers import context_of, text_of

PILOTS = pd.DataFrame(
    {
        "pilot_id": ["a", "b", "c", "d"],
        "name": ["Alpha pilot", "Beta pilot", "Gamma pilot", "Delta pilot"],
        "place": ["Aville", "Btown", "Cford", "Dham"],
        "country": ["FI", "NL", "EE", "PL"],
    }
)
INDICATORS = pd.DataFrame(
    {
        "indicator_id": ["participants", "waiting", "ideas"],
        "label": ["Participants", "Waiting days", "Ideas"],
        "unit": ["people", "days", "ideas"],
        "direction": ["higher_is_better", "lower_is_better", "higher_is_better"],
        "definition": [
            "People taking part, as each pilot counted them; not directly comparable across pilots.",
            "Days waited for a first appointment.",
            "Ideas produced.",
        ],
    }
)


def _outcomes(rows):
    columns = ["pilot_id", "indicator_id", "period", "value", "group", "status", "source", "note", "basis"]
    return pd.DataFrame([(*row, "")[:9] for row in rows], columns=columns)


OUTCOMES = _outcomes(
    [
        ("a", "participants", "2019", 100, "", "published", "https://a.example/1", "single event", "event"),
        ("a", "participants", "2021", 150, "", "published", "https://a.example/2", "", "event"),
        ("b", "participants", "2019", 80, "", "estimate", "https://b.example", "estimated", "event"),
        ("b", "participants", "2021", 40, "", "illustrative", "", "not stated; for illustration", "event"),
        ("c", "participants", "2021", 300, "", "published", "https://c.example", "since 2017", "cumulative"),
        ("a", "waiting", "2021", 30, "", "published", "https://a.example/w", "", "per_period"),
        ("b", "waiting", "2021", 10, "", "published", "https://b.example/w", "", "per_period"),
        ("c", "waiting", "2021", 20, "", "illustrative", "", "", "per_period"),
        ("a", "ideas", "2021", 12, "", "published", '=HYPERLINK("x")', "+cmd|' /C calc'!A0", "cumulative"),
    ]
)


@pytest.fixture(scope="module")
def index():
    return build_index(OUTCOMES, INDICATORS, PILOTS, version="tiny")


def plotted(table: pd.DataFrame) -> dict[str, float]:
    rows = table[table["no_data"] == ""]
    return dict(zip(rows["pilot_id"], rows["value"], strict=True))


# Domain ---------------------------------------------------------------------------------------


def test_periods_sort_baseline_first_dates_in_order_and_labelled_totals_last():
    labels = [
        "first five years (cumulative)",
        "2018-11",
        "baseline",
        "2018",
        "end of project",
        "undated",
        "2018-2019",
    ]
    assert sorted(labels, key=period_key) == [
        "baseline",
        "undated",
        "2018",
        "2018-11",
        "2018-2019",
        "end of project",
        "first five years (cumulative)",
    ]


def test_ranked_latest_values_best_first_and_no_data_row_for_a_pilot_without_values(index):
    result = compare(index, View(("participants",)))
    assert plotted(result.table) == {"c": 300, "a": 150, "b": 40}
    assert result.pilot_order == ("c", "a", "b", "d")
    missing = result.missing
    assert list(missing["pilot_id"]) == ["d"] and "no value" in missing["no_data"].iat[0]


def test_lower_is_better_puts_the_lowest_value_first(index):
    result = compare(index, View(("waiting",)))
    assert result.pilot_order[:3] == ("b", "c", "a")


def test_indexed_and_change_modes_use_each_pilots_baseline_and_flag_single_values(index):
    indexed = compare(index, View(("participants",), mode="indexed"))
    assert plotted(indexed.table) == {"a": 150.0, "b": 50.0}
    assert "only one period" in indexed.table.set_index("pilot_id").at["c", "no_data"]
    assessments = indexed.table.set_index("pilot_id")["assessment"]
    assert assessments["a"] == "better" and assessments["b"] == "worse"
    change = compare(index, View(("participants",), mode="change"))
    assert plotted(change.table) == {"a": 50.0, "b": -40.0}
    pct = compare(index, View(("participants",), mode="change_pct"))
    assert plotted(pct.table) == {"a": 50.0, "b": -50.0}


def test_per_participant_divides_by_the_pilots_latest_participants(index):
    result = compare(index, View(("waiting",), mode="per_participant"))
    assert plotted(result.table) == pytest.approx({"a": 30 / 150, "b": 10 / 40, "c": 20 / 300})
    result = compare(index, View(("ideas",), mode="per_participant"))
    assert plotted(result.table) == {"a": 12 / 150}


def test_lines_plot_every_period_and_periods_filter_them(index):
    lines = compare(index, View(("participants",), form="lines"))
    rows = lines.plotted
    assert list(zip(rows["pilot_id"], rows["period"], rows["value"], strict=True)) == [
        ("c", "2021", 300),
        ("a", "2019", 100),
        ("a", "2021", 150),
        ("b", "2019", 80),
        ("b", "2021", 40),
    ]
    early = compare(index, View(("participants",), form="lines", periods=("", "2019")))
    assert set(early.plotted["period"]) == {"2019"}
    assert "c" in set(early.missing["pilot_id"])


def test_pilot_selection_keeps_only_the_chosen_pilots(index):
    result = compare(index, View(("participants",), pilots=("b", "d")))
    assert set(result.table["pilot_id"]) == {"b", "d"}


def test_comparability_reasons_come_from_the_bases_in_the_data_not_from_words(index):
    result = compare(index, View(("participants",)))
    text = " ".join(result.reasons)
    assert not result.comparable
    # The definition says "not directly comparable" and a note says "single event": neither counts.
    assert "not directly comparable across pilots" not in text
    assert "different bases: one event (Aville, Btown); cumulative total (Cford)" in text
    assert compare(index, View(("waiting",))).comparable
    # One value alone compares with nothing; two pilots on one basis are comparable.
    assert compare(index, View(("participants",), pilots=("a",))).comparable
    assert compare(index, View(("participants",), pilots=("a", "b"))).comparable


def test_index_of_a_snapshot_is_built_once_per_context():
    context = context_of(load_dataset(BUNDLED).snapshot)
    assert context.derived.compare_index is context.derived.compare_index


# Figures --------------------------------------------------------------------------------------


def test_dots_plot_the_values_in_rank_order_with_provenance_symbols(index):
    figure = compare_figure(index, ["participants"], form="dots")
    marks = {trace.name: trace for trace in figure.data if trace.mode == "markers" and trace.x[0] is not None}
    assert list(marks["Published"].x) == [300, 150]
    assert marks["Published"].marker.symbol == STATUS_SYMBOLS["published"]
    assert list(marks["Illustrative"].y) == ["Btown"]
    assert (
        marks["Illustrative"].marker.symbol == STATUS_SYMBOLS["illustrative"] != STATUS_SYMBOLS["published"]
    )
    assert "not stated; for illustration" in marks["Illustrative"].hovertext[0]
    assert list(figure.layout.yaxis.categoryarray) == ["Cford", "Aville", "Btown", "Dham"]
    legend = {trace.name for trace in figure.data if trace.showlegend is not False and trace.x[0] is None}
    assert {"Published", "Illustrative"} <= legend


def test_no_data_is_written_on_the_chart(index):
    figure = compare_figure(index, ["participants"], form="dots")
    texts = [trace for trace in figure.data if trace.mode == "text"]
    assert list(texts[0].y) == ["Dham"] and list(texts[0].text) == ["no data"]


def test_bars_draw_illustrative_values_patterned(index):
    figure = compare_figure(index, ["participants"], form="bars")
    bars = {trace.name: trace for trace in figure.data if trace.type == "bar"}
    assert bars["Published"].marker.pattern.shape in (None, "")
    assert bars["Illustrative"].marker.pattern.shape == "."


def test_comparability_badge_is_on_the_chart(index):
    texts = [a.text for a in compare_figure(index, ["participants"]).layout.annotations]
    assert any("Not directly comparable" in text for text in texts)
    texts = [a.text for a in compare_figure(index, ["waiting"]).layout.annotations]
    assert not any("Not directly comparable" in text for text in texts)


def test_heatmap_scales_each_indicator_by_direction():
    assert list(scaled_scores(np.array([10.0, 30.0, np.nan]), "lower_is_better")[:2]) == [1.0, 0.0]
    assert list(scaled_scores(np.array([10.0, 30.0]), "higher_is_better")) == [0.0, 1.0]


def test_builders_do_not_change_their_input(index):
    before = OUTCOMES.copy()
    compare_figure(OUTCOMES, ["participants"], form="lines")
    pd.testing.assert_frame_equal(OUTCOMES, before)


# CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert safe_cell(cell) == "'" + cell
    assert safe_cell("plain") == "plain"


def test_csv_has_exactly_the_plotted_rows_and_neutralised_text(index):
    result = compare(index, View(("ideas", "participants")))
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert len(rows) == len(result.table)
    ideas = next(r for r in rows if r["indicator_id"] == "ideas" and r["pilot_id"] == "a")
    assert ideas["value"] == "12"
    assert ideas["source"].startswith("'=") and ideas["note"].startswith("'+")
    assert {r["pilot_id"] for r in rows if r["no_data"]} == {"b", "c", "d"}


# The bundled data ----------------------------------------------------------------------------


def test_bundled_participants_for_all_pilots_shows_no_data_for_pilots_without_a_count():
    snapshot = load_dataset(BUNDLED).snapshot
    result = compare(context_of(snapshot).derived.compare_index, View(("participants",)))
    assert plotted(result.table) == {"voru": 389, "valencia": 350, "hull": 60, "houten": 40, "wroclaw": 35}
    assert {"jonkoping", "hungary", "reggio-emilia", "nieuwegein", "turku"} == set(result.missing["pilot_id"])
    assert not result.comparable


# What each form draws: its kind of trace, and for every plotted row of the table one mark with that value.
DRAWN_AS = {
    "dots": {("scatter", "markers"), ("scatter", "text")},  # values, and "no data" written in words
    "bars": {("bar", None), ("scatter", "text")},
    "lines": {("scatter", "lines+markers")},
    "slope": {("scatter", "lines+markers+text")},
    "multiples": {("scatter", "lines+markers")},
    "heatmap": {("heatmap", None)},
}


def _mode(trace) -> str | None:
    return getattr(trace, "mode", None)  # bars and heatmaps have none


def _axis_number(name: str | None) -> int:
    return int(name[1:] or 1) if name and len(name) > 1 else 1


def drawn_marks(figure, comparison, fmt: Formatter) -> list[tuple[str, str, object]]:
    """(pilot label, indicator label, value) of every mark the figure draws; the heatmap's value is the
    text written in its cell."""
    form = comparison.view.form
    labels = [i.label for i in comparison.indicators]
    pilots = [comparison.pilot_labels[p] for p in comparison.pilot_order]
    marks = []
    for trace in figure.data:
        if trace.type == "heatmap":
            for i, row in enumerate(trace.text):
                for j, text in enumerate(row):
                    if text != "no data":
                        marks.append((trace.y[i], trace.x[j].split("<br>")[0], text))
        elif form in ("dots", "bars") and _mode(trace) != "text" and trace.x[0] is not None:
            label = labels[_axis_number(trace.xaxis) - 1]
            marks += [(pilot, label, x) for x, pilot in zip(trace.x, trace.y, strict=True)]
        elif form in ("lines", "slope") and trace.x[0] is not None:
            label = labels[_axis_number(trace.yaxis) - 1]
            marks += [(trace.name, label, y) for y in trace.y]
        elif form == "multiples" and trace.x[0] is not None:
            pilot = pilots[_axis_number(trace.xaxis) - 1]
            marks += [(pilot, trace.name, y) for y in trace.y]
    return sorted(marks, key=str)


def expected_marks(comparison, fmt: Formatter) -> list[tuple[str, str, object]]:
    rows = comparison.plotted
    if comparison.view.form == "heatmap":
        values = [
            f"{fmt.number(v)} {STATUS_GLYPHS[s]}" for v, s in zip(rows["value"], rows["status"], strict=True)
        ]
    else:
        values = rows["value"].tolist()
    return sorted(zip(rows["pilot"], rows["indicator"], values, strict=True), key=str)


@pytest.mark.parametrize("form", ["dots", "bars", "lines", "slope", "multiples", "heatmap"])
@pytest.mark.parametrize("mode", ["absolute", "indexed", "per_participant"])
def test_every_form_draws_each_plotted_value_once_and_is_a_valid_plotly_figure(index, form, mode):
    """The builders skip plotly's validation for speed; here every form is validated in full, and what
    it draws is read back: its kind of trace and one mark per value of the table, no more."""
    import plotly.graph_objects as go

    fmt = Formatter()
    comparison = compare(index, View(("participants", "waiting"), form=form, mode=mode))
    assert len(comparison.plotted), "the view plots something"
    for theme in ("standard", "projector"):
        figure = figure_for(comparison, theme, fmt)
        go.Figure(figure.to_plotly_json())  # raises on any property plotly does not know
        kinds = {(trace.type, _mode(trace)) for trace in figure.data if trace.hoverinfo != "skip"}
        assert kinds == DRAWN_AS[form] or (kinds == DRAWN_AS[form] - {("scatter", "text")})
        assert drawn_marks(figure, comparison, fmt) == expected_marks(comparison, fmt)


def test_a_known_view_draws_its_values_in_each_form(index):
    """Participants (absolute): latest values as dots, bars and heatmap cells; every period as lines."""
    latest = {("Cford", 300), ("Aville", 150), ("Btown", 40)}
    for form in ("dots", "bars"):
        comparison = compare(index, View(("participants",), form=form))
        assert {(p, v) for p, _, v in drawn_marks(figure_for(comparison), comparison, Formatter())} == latest
    comparison = compare(index, View(("participants",), form="heatmap"))
    cells = {(p, v) for p, _, v in drawn_marks(figure_for(comparison), comparison, Formatter())}
    assert cells == {("Cford", "300 ●"), ("Aville", "150 ●"), ("Btown", "40 ○")}
    comparison = compare(index, View(("participants",), form="lines"))
    points = [(p, v) for p, _, v in drawn_marks(figure_for(comparison), comparison, Formatter())]
    assert sorted(points) == [("Aville", 100), ("Aville", 150), ("Btown", 40), ("Btown", 80), ("Cford", 300)]
    comparison = compare(index, View(("participants",), form="slope", mode="indexed"))
    ends = [(p, v) for p, _, v in drawn_marks(figure_for(comparison), comparison, Formatter())]
    assert sorted(ends) == [("Aville", 100.0), ("Aville", 150.0), ("Btown", 50.0), ("Btown", 100.0)]


# Shown numbers go through the one Formatter; the CSV keeps plain numbers ---------------------------

BIG = _outcomes(
    [
        ("a", "waiting", "2021", 1234.5, "", "published", "", ""),
        ("b", "waiting", "2021", 20000, "", "published", "", ""),
    ]
)


def test_a_value_shows_grouped_on_the_chart_the_table_and_the_summary_but_plain_in_the_csv():
    index = build_index(BIG, INDICATORS, PILOTS)
    fmt = Formatter()
    comparison = compare(index, View(("waiting",)))
    hover = " ".join(
        h
        for trace in figure_for(comparison, fmt=fmt).data
        if trace.hovertext is not None
        for h in trace.hovertext
    )
    assert "1,234.5 days" in hover and "20,000 days" in hover
    heat = compare(index, View(("waiting",), form="heatmap"))
    cells = {v for _, _, v in drawn_marks(figure_for(heat, fmt=fmt), heat, fmt)}
    assert cells == {"1,234.5 ●", "20,000 ●"}
    shown = text_of(page.table(comparison, fmt))
    assert "1,234.5" in shown and "20,000" in shown and "1234.5" not in shown
    rows = list(csv.DictReader(io.StringIO(to_csv(comparison))))
    assert {r["pilot_id"]: r["value"] for r in rows if r["value"]} == {"a": "1234.5", "b": "20000"}


def test_pilots_are_named_as_on_every_other_page():
    labels = PilotLabels.of(PILOTS)
    index = build_index(OUTCOMES, INDICATORS, PILOTS)
    assert dict(index.pilot_labels) == dict(labels.short)
    snapshot = load_dataset(BUNDLED).snapshot
    derived = context_of(snapshot).derived
    assert dict(derived.compare_index.pilot_labels) == dict(derived.pilots.short)


def test_long_series_are_thinned_evenly_and_the_table_says_what_is_plotted():
    periods = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(120)]
    rows = [("a", "participants", p, i + 1, "", "published", "", "") for i, p in enumerate(periods)]
    index = build_index(_outcomes(rows), INDICATORS, PILOTS)
    result = compare(index, View(("participants",), form="lines"), max_points=30)
    kept = result.plotted["period"].tolist()
    assert result.thinned == (len(kept), 120)
    assert kept[0] == periods[0] and kept[-1] == periods[-1] and 20 <= len(kept) <= 30
