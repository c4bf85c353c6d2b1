"""Comparability as data: the outcomes' `basis` and `comparability_note` columns, checked like every other
column, and the one rule that flags values not directly comparable in every chart form and value mode."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from crosspilot.compare import FORMS, MODES, build_index, compare, to_csv
from crosspilot.contract import BASES
from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.figures.compare import figure_for
from crosspilot.views.compare import View
from layouts import compare as page
from tests.datasets import csv_text, write_dataset
from tests.helpers import context_of, text_of

# Loading ---------------------------------------------------------------------------------------


def test_a_basis_outside_the_vocabulary_is_an_error_naming_file_line_and_column(tmp_path):
    outcomes = [
        ["pilot_id", "indicator_id", "period", "value", "status", "basis", "comparability_note"],
        ["voru", "participants", "2018", "100", "published", "Point in time", ""],
        ["jonkoping", "participants", "2018", "40", "estimate", "single event", "a plan"],
    ]
    result = load_dataset(write_dataset(tmp_path, outcomes=csv_text(outcomes)))
    assert result.snapshot is None
    assert [str(p) for p in result.report.problems] == [
        "outcomes.csv line 3, column basis: 'single event' is not one of the allowed values: "
        + ", ".join(BASES)
    ]


def test_a_basis_is_matched_like_every_enumerated_value_and_the_note_kept(tmp_path):
    outcomes = [
        ["pilot_id", "indicator_id", "period", "value", "basis", "Comparability_Note"],
        ["voru", "participants", "2018", "100", "Point in time", "counted differently"],
        ["jonkoping", "participants", "2018", "40", "", ""],
    ]
    result = load_dataset(write_dataset(tmp_path, outcomes=csv_text(outcomes)))
    assert result.report.errors == []
    frame = result.snapshot.outcomes
    assert list(frame["basis"]) == ["point_in_time", ""]
    assert list(frame["comparability_note"]) == ["counted differently", ""]


def test_an_old_dataset_without_the_columns_loads_with_no_basis_stated(tmp_path):
    result = load_dataset(write_dataset(tmp_path))
    assert result.report.problems == []
    assert set(result.snapshot.outcomes["basis"]) == {""}
    assert set(result.snapshot.outcomes["comparability_note"]) == {""}


def test_every_bundled_outcome_states_its_basis():
    outcomes = load_dataset(BUNDLED).snapshot.outcomes
    assert outcomes["basis"].isin(BASES).all()
    planned = outcomes[outcomes["basis"] == "planned"]
    assert set(planned["status"]) == {"estimate"}


# The rule, on a tiny dataset --------------------------------------------------------------------

PILOTS = pd.DataFrame(
    {"pilot_id": ["a", "b", "c"], "name": ["A", "B", "C"], "place": ["Aville", "Btown", "Cford"]}
)
INDICATORS = pd.DataFrame(
    {
        "indicator_id": ["people", "days", "events"],
        "label": ["People", "Days", "Events"],
        "unit": ["people", "days", "events"],
        "direction": ["higher_is_better", "lower_is_better", "neutral"],
        # Words that once raised the badge by themselves: now they do nothing.
        "definition": ["not directly comparable across pilots", "", ""],
    }
)
COLUMNS = ["pilot_id", "indicator_id", "period", "value", "status", "source", "note", "basis"]
COLUMNS += ["comparability_note"]
ROWS = [
    # a: a single event, then a five-year cumulative total, as Võru's 100 and 389.
    ("a", "people", "2018", 100, "published", "https://a.example", "single event", "event", ""),
    ("a", "people", "2023", 389, "published", "https://a.example", "", "cumulative", ""),
    # b: two events, like for like.
    ("b", "people", "2018", 50, "published", "https://b.example", "", "event", ""),
    ("b", "people", "2023", 70, "published", "https://b.example", "", "event", ""),
    # c: a plan, then a result on the same basis of events.
    ("c", "people", "2018", 30, "estimate", "https://c.example", "", "planned", ""),
    ("c", "people", "2023", 45, "published", "https://c.example", "", "event", ""),
    ("a", "days", "2018", 30, "published", "", "", "per_period", ""),
    ("a", "days", "2023", 20, "published", "", "", "per_period", ""),
    ("b", "days", "2018", 10, "published", "", "", "per_period", ""),
    ("b", "days", "2023", 12, "published", "", "", "per_period", "a lower bound"),
]


@pytest.fixture(scope="module")
def index():
    return build_index(pd.DataFrame(ROWS, columns=COLUMNS), INDICATORS, PILOTS, version="tiny")


def by_pilot(comparison, column: str) -> dict[str, list]:
    rows = comparison.plotted
    out: dict[str, list] = {}
    for pilot, value in zip(rows["pilot_id"], rows[column], strict=True):
        out.setdefault(pilot, []).append(value)
    return out


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("mode", [m for m in MODES if m != "per_participant"])
def test_mixed_bases_are_flagged_in_every_form_and_mode(index, form, mode):
    result = compare(index, View(("people",), mode=mode, form=form))
    assert not result.comparable
    assert set(result.flagged) == {"people"}
    text = " ".join(result.reasons)
    assert "not directly comparable across pilots" not in text  # the definition's words count for nothing
    assert "Aville" in text
    figure = figure_for(result)
    assert "Not directly comparable" in " ".join(a.text for a in figure.layout.annotations)
    assert "Aville" in text_of(page.badge(result))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("mode", MODES)
def test_values_on_one_basis_are_comparable_in_every_form_and_mode(index, form, mode):
    result = compare(index, View(("people",), pilots=("b",), mode=mode, form=form))
    assert result.comparable and page.badge(result) is None
    assert "Not directly comparable" not in " ".join(a.text for a in figure_for(result).layout.annotations)


@pytest.mark.parametrize("mode", ["change", "change_pct", "indexed"])
def test_a_change_across_bases_is_never_called_better_or_worse_and_says_why(index, mode):
    result = compare(index, View(("people",), mode=mode, form="dots"))
    verdicts = dict(zip(result.plotted["pilot_id"], result.plotted["assessment"], strict=True))
    assert verdicts["b"] == "better"  # 50 -> 70 people at events
    for pilot, baseline, latest in (("a", "one event", "cumulative total"), ("c", "planned", "one event")):
        assert "better" not in verdicts[pilot] and "worse" not in verdicts[pilot]
        assert verdicts[pilot].startswith("no verdict: different bases")
        assert baseline in verdicts[pilot] and latest in verdicts[pilot]
    assert any(
        "Aville: the change runs from one event (2018) to cumulative total (2023)" in r
        for r in result.reasons
    )


def test_a_single_pilots_change_across_bases_is_flagged(index):
    # One pilot, one value on the chart: its change from a baseline on another basis still compares.
    result = compare(index, View(("people",), pilots=("a",), mode="change_pct"))
    assert not result.comparable
    assert result.plotted["value"].tolist() == [289.0]


def test_a_comparability_note_flags_a_value_set_against_another(index):
    result = compare(index, View(("days",)))
    assert result.reasons == ("Days, Btown: a lower bound",)
    alone = compare(index, View(("days",), pilots=("b",), form="dots"))
    assert alone.comparable  # one value compares with nothing
    change = compare(index, View(("days",), pilots=("b",), mode="change"))
    assert not change.comparable  # 10 -> 12, the 12 being a lower bound


def test_the_csv_assessment_column_carries_the_verdict_and_the_reasons(index):
    result = compare(index, View(("people",), mode="change_pct"))
    rows = {r["pilot_id"]: r for r in csv.DictReader(io.StringIO(to_csv(result))) if not r["no_data"]}
    assert rows["a"]["assessment"].startswith("no verdict: different bases")
    assert "not directly comparable: People: values are counted on different bases" in rows["a"]["assessment"]
    assert rows["b"]["assessment"].startswith("better; not directly comparable")
    assert rows["a"]["basis"] == "cumulative" and rows["a"]["baseline_basis"] == "event"
    absolute = compare(index, View(("people",)))
    for row in csv.DictReader(io.StringIO(to_csv(absolute))):
        assert row["assessment"].startswith("not directly comparable: ")
    comparable = compare(index, View(("people",), pilots=("b",)))
    assert [r["assessment"] for r in csv.DictReader(io.StringIO(to_csv(comparable)))] == [""]


# Figures --------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["lines", "multiples"])
def test_lines_break_where_the_basis_or_the_status_changes(index, form):
    figure = figure_for(compare(index, View(("people",), form=form)))
    traces = [
        tr for tr in figure.data if tr.x is not None and tr.x[0] is not None and tr.mode == "lines+markers"
    ]
    pieces = sorted(sorted(float(v) for v in tr.y) for tr in traces)
    # a: event | cumulative; c: planned estimate | published event; b: one unbroken line.
    assert pieces == [[30.0], [45.0], [50.0, 70.0], [100.0], [389.0]]
    legend = {tr.name for tr in figure.data if tr.x is not None and tr.x[0] is None}
    assert "Gap in a line: the status or the basis changes there" in legend


def test_the_slope_is_not_drawn_across_bases_but_keeps_its_ends(index):
    figure = figure_for(compare(index, View(("people",), form="slope", mode="indexed")))
    aville = [tr for tr in figure.data if tr.name == "Aville"]
    assert [list(tr.x) for tr in aville] == [["Baseline"], ["Latest"]]
    assert [list(tr.text) for tr in aville] == [[""], ["Aville"]]
    btown = [tr for tr in figure.data if tr.name == "Btown"]
    assert [list(tr.x) for tr in btown] == [["Baseline", "Latest"]]


def test_ranked_change_colours_a_change_across_bases_as_no_verdict(index):
    figure = figure_for(compare(index, View(("people",), form="dots", mode="change")))
    colours = {}
    for tr in figure.data:
        if tr.mode == "markers" and tr.x is not None and tr.x[0] is not None:
            colour = tr.marker.color
            colours.update(
                zip(tr.y, [colour] * len(tr.y) if isinstance(colour, str) else colour, strict=True)
            )
    assert colours["Btown"] == "#0072B2"  # better
    assert colours["Aville"] == colours["Cford"] == "#6b6b6b"
    legend = {tr.name for tr in figure.data if tr.x is not None and tr.x[0] is None}
    assert "No verdict: counted on another basis than the baseline" in legend


def test_the_badge_sits_above_the_panel_titles_not_on_them(index):
    for form in ("lines", "multiples", "slope"):
        figure = figure_for(compare(index, View(("people",), form=form)))
        badge = next(a for a in figure.layout.annotations if "Not directly comparable" in a.text)
        titles = [a for a in figure.layout.annotations if a.text.startswith("<b>") and a.y == 1]
        assert titles, form
        # Both sit on the top of the plot area; the badge is lifted past a title's height.
        assert badge.yshift >= 28 and all((t.yshift or 0) == 0 for t in titles)
        assert figure.layout.margin.t >= badge.yshift + 28 + 40


def test_a_lone_value_gets_an_axis_from_zero_and_an_empty_panel_says_no_data(index):
    figure = figure_for(
        compare(index, View(("days",), pilots=("a", "c"), form="multiples", periods=("2023", "")))
    )
    assert list(figure.layout.yaxis.range) == pytest.approx([0, 23])
    no_data = [a for a in figure.layout.annotations if a.text == "no data"]
    assert [(a.xref, a.yref) for a in no_data] == [("x2 domain", "y2 domain")]
    # Plotly draws a panel only for axes a trace uses: the empty panel has one, with no point.
    assert any(tr.xaxis == "x2" and tr.yaxis == "y2" for tr in figure.data)


# The bundled data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cosie():
    return context_of(load_dataset(BUNDLED).snapshot).derived.compare_index


@pytest.mark.parametrize("mode", ["change_pct", "indexed"])
@pytest.mark.parametrize("form", ["dots", "slope", "lines"])
def test_voru_single_event_against_its_five_year_total_is_flagged_not_better(cosie, mode, form):
    result = compare(cosie, View(("participants",), mode=mode, form=form))
    assert not result.comparable
    assert any(
        "Võru county: the change runs from one event (2018-10-05) to cumulative total" in r
        for r in result.reasons
    )
    voru = result.plotted[result.plotted["pilot_id"] == "voru"]
    latest = voru.iloc[-1]
    assert latest["value"] == pytest.approx({"change_pct": 289.0, "indexed": 389.0}[mode])
    assert "better" not in latest["assessment"] and latest["assessment"].startswith("no verdict")


def test_bundled_hackathons_planned_are_not_joined_to_those_held(cosie):
    figure = figure_for(compare(cosie, View(("hackathon_events",), form="lines")))
    voru = [(list(tr.y), tr.marker.symbol) for tr in figure.data if tr.name == "Võru county"]
    # The plan (an estimate, its own marker) and the six held stand apart.
    assert [y for y, _ in voru] == [[3.0], [6.0]] and voru[0][1] != voru[1][1]


def test_per_participant_ratios_over_participants_counted_differently_are_flagged():
    rows = [
        ("a", "participants", "2019", 100, "published", "", "", "event", ""),
        ("b", "participants", "2019", 400, "published", "", "", "cumulative", ""),
        ("a", "days", "2019", 10, "published", "", "", "per_period", ""),
        ("b", "days", "2019", 20, "published", "", "", "per_period", ""),
    ]
    indicators = pd.DataFrame(
        {
            "indicator_id": ["participants", "days"],
            "label": ["Participants", "Days"],
            "unit": ["people", "days"],
        }
    )
    index = build_index(pd.DataFrame(rows, columns=COLUMNS), indicators, PILOTS)
    assert compare(index, View(("days",))).comparable
    result = compare(index, View(("days",), mode="per_participant"))
    assert result.reasons == (
        "Days per participant: the participants are counted on different bases: one event (Aville); "
        "cumulative total (Btown)",
    )
