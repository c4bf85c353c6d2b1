"""The one provenance rule: a value computed from rows carries its inputs' status, counted, in words and
as a mark; never "Published". Checked on the rule itself, on the bundled data and on pilots' short names."""

from __future__ import annotations

import pandas as pd
import pytest

from crosspilot.dataset import BUNDLED, load_dataset
from crosspilot.lessons import LessonIndex, evidence_inputs
from crosspilot.pilots import PilotLabels
from crosspilot.provenance import CSV_COLUMNS, Inputs, mark_key, weakest
from crosspilot.roadmap import roadmap_sections, to_html, to_markdown
from crosspilot.structure import METRICS, metric_status, structures
from tests.datasets import PILOTS, TABLES, write_tables


@pytest.fixture(scope="module")
def snapshot():
    return load_dataset(BUNDLED).snapshot


def test_all_published_inputs_say_computed_from_published_data_and_carry_no_mark():
    inputs = Inputs.of(["published"] * 4, "ties") + Inputs.of(["published"] * 3, "stakeholders")
    assert inputs.words() == "computed from published data"
    assert inputs.status == "published" and inputs.mark == "" and inputs.marked("0.5") == "0.5"
    assert "Published" not in inputs.words()


def test_mixed_inputs_are_counted_in_words_and_marked():
    ties = Inputs.of(["illustrative"] * 16 + ["published"] * 4, "ties")
    assert ties.words() == "computed from 16 illustrative of 20 ties"
    assert ties.status == "illustrative" and ties.marked("0.641") == "0.641\u00a0\u2020"
    # Published stakeholders need no words: the ties are what is not published.
    assert (Inputs.of(["published"] * 14, "stakeholders") + ties).words() == ties.words()
    values = Inputs.of(["estimate", "published", "illustrative"], "values")
    assert values.words() == "computed from 1 estimated and 1 illustrative of 3 values"
    estimated = Inputs.of(["estimate", "published"], "values")
    assert estimated.words() == "computed from 1 estimated of 2 values" and estimated.mark == "*"
    both = Inputs.of(["estimate"], "values") + Inputs.of(["illustrative"], "ties")
    assert both.words() == "computed from 1 estimated of 1 value and 1 illustrative of 1 tie"
    assert both.status == "illustrative"
    assert [mark for mark, _ in mark_key()] == ["\u2020", "*"]


def test_a_missing_or_unknown_status_counts_as_illustrative():
    inputs = Inputs.of([None, "", "rumour", "published"], "ties")
    assert inputs.count("illustrative") == 3 and inputs.words() == "computed from 3 illustrative of 4 ties"
    assert weakest(["published", "estimate"]) == "estimate" and weakest([]) == "illustrative"
    assert Inputs().words() == "computed from no data" and Inputs().status == "illustrative"


def test_inputs_of_the_same_kind_add_up_and_go_to_csv_columns():
    inputs = Inputs.of(["published", "illustrative"], "ties") + Inputs.of(["illustrative"], "ties")
    assert inputs.words() == "computed from 2 illustrative of 3 ties"
    cells = inputs.csv_cells()
    assert tuple(cells) == CSV_COLUMNS
    assert cells == {
        "computed_from": "computed from 2 illustrative of 3 ties",
        "inputs_status": "illustrative",
        "published_inputs": 1,
        "estimate_inputs": 0,
        "illustrative_inputs": 2,
    }


def _tie_counts(snapshot, pilot: str) -> tuple[int, int]:
    """(illustrative ties, ties) of a pilot counted straight from the edges table: one tie per pair of
    stakeholders, published when any of its rows is."""
    edges = snapshot.edges[snapshot.edges["pilot_id"].eq(pilot)]
    pairs = edges.assign(pair=[frozenset(p) for p in zip(edges["source"], edges["target"], strict=True)])
    published = pairs.groupby("pair")["status"].agg(lambda s: (s == "published").any())
    return int((~published).sum()), len(published)


def test_a_lesson_share_is_computed_from_its_inputs_never_published(snapshot):
    found = structures(snapshot.networks)
    hull = found["hull"]
    # Hull's stakeholders are all published: the share of hard-to-reach ones says so, and no more.
    assert hull.inputs("hard_to_reach_share").words() == "computed from published data"
    k, n = _tie_counts(snapshot, "hull")
    assert hull.inputs("citizen_tie_share").words() == f"computed from {k} illustrative of {n} ties"
    assert hull.status("citizen_tie_share") == "illustrative"
    # The tables-only answer (what the lesson index uses) agrees with the graph's for every metric.
    tables = {"nodes": snapshot.nodes, "edges": snapshot.edges}
    for pilot, structure in found.items():
        for metric in METRICS:
            assert metric_status(tables, pilot, metric) == structure.status(metric), (pilot, metric)


def test_roadmap_statements_say_the_data_behind_them(snapshot):
    found = structures(snapshot.networks)
    lessons = {lesson.id: lesson for lesson in snapshot.lessons}
    hull = lessons["lived-experience-intermediaries"]
    index = LessonIndex.of({name: getattr(snapshot, name) for name in _TABLES})
    inputs = evidence_inputs(hull, index, found)
    statuses = snapshot.outcomes[
        snapshot.outcomes["pilot_id"].isin([p for i in hull.evidence.indicators for p in i.pilots])
        & snapshot.outcomes["indicator_id"].isin([i.indicator for i in hull.evidence.indicators])
    ]["status"]
    assert inputs.count("illustrative") == int(statuses.eq("illustrative").sum())
    assert inputs.total == len(statuses) + len(snapshot.nodes[snapshot.nodes["pilot_id"].eq("hull")])
    sections = roadmap_sections(
        snapshot.lessons,
        include_under_validation=True,
        inputs_of=lambda lesson: evidence_inputs(lesson, index, found),
    )
    markdown, page = to_markdown(sections, {}), to_html(sections, {})
    entries = [e for entries in sections.values() for e in entries]
    assert entries and all(e.inputs is not None for e in entries)
    assert markdown.count("**Data behind it:**") == len(entries)
    assert page.count("<strong>Data behind it:</strong>") == len(entries)
    assert any("illustrative of" in e.inputs.words() for e in entries if e.inputs.total)


_TABLES = ("pilots", "indicators", "outcomes", "stories", "nodes", "edges")


def test_short_name_names_the_pilot_and_defaults_to_the_place():
    pilots = pd.DataFrame(
        {
            "pilot_id": ["hull", "hungary", "a", "b"],
            "name": ["My Direction", "Household economy", "X", "Y"],
            "country": ["GB", "HU", "FI", "FI"],
            "place": ["Hull and the East Riding", "10 disadvantaged rural settlements (unconfirmed)", "", ""],
            "short_name": ["Hull", "", "Same", "Same"],
        }
    )
    labels = PilotLabels.of(pilots)
    assert labels.short["hull"] == "Hull" and labels.long["hull"] == "Hull: My Direction"
    assert labels.short["hungary"] == "Hungary"  # the place is too long: its country
    assert labels.short["a"] == "Same (a)" and labels.short["b"] == "Same (b)"


def test_a_short_name_too_long_is_an_error_naming_file_line_and_column(tmp_path):
    pilots = [
        row + [name]
        for row, name in zip(
            PILOTS, ["short_name", "", "A name far longer than any axis has room for", "Wro"], strict=True
        )
    ]
    errors = [
        str(e) for e in load_dataset(write_tables(tmp_path, {**TABLES, "pilots": pilots})).report.errors
    ]
    assert errors == [
        "pilots.csv line 3, column short_name: 'A name far longer than any axis has room for' has 44 "
        "characters; at most 24 fit where it is shown"
    ]
    fine = [row + [name] for row, name in zip(PILOTS, ["short_name", "", "Jönköping", "Wro"], strict=True)]
    loaded = load_dataset(write_tables(tmp_path / "fine", {**TABLES, "pilots": fine}))
    assert loaded.report.errors == []
    assert PilotLabels.of(loaded.snapshot.pilots).short == {
        "voru": "Võru",
        "jonkoping": "Jönköping",
        "wroclaw": "Wro",
    }
