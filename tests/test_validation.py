"""Validation as a user sees it: every problem named with its file, line and column, in one pass."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import crosspilot.limits
from crosspilot.dataset import load_dataset
from crosspilot.limits import LIMITS
from crosspilot.problems import ERROR, WARNING, Problem, Report
from tests.datasets import SMALL, csv_text, write_dataset

BROKEN = Path(__file__).parent / "fixtures" / "broken"

OUTCOMES = SMALL["outcomes"]


def shown(report: Report) -> list[str]:
    """The problem lines exactly as `validate` prints them."""
    return [str(p) for p in report.problems]


def find(report: Report, file: str, where: str, column: str, message: str) -> Problem:
    found = [
        p
        for p in report.problems
        if (p.file, p.where, p.column) == (file, where, column) and p.message.startswith(message)
    ]
    assert len(found) == 1, f"expected one {file} {where} {column}: {message!r} in\n{report.format()}"
    return found[0]


# (file, where, column, start of the message, severity) for every problem planted in fixtures/broken.
BROKEN_PROBLEMS = [
    ("outcomes.csv", "line 3", "value", "'n/a' is not a number", ERROR),
    ("outcomes.csv", "line 4", "pilot_id", "unknown pilot_id 'nowhere'; it is not in pilots", ERROR),
    ("outcomes.csv", "line 5", "indicator_id", "unknown indicator_id 'ghosts'; it is not in", ERROR),
    ("outcomes.csv", "line 6", "status", "'guess' is not one of the allowed values: published, ", ERROR),
    ("pilots.csv", "line 4", "pilot_id", "duplicate pilot_id 'alpha'; first given at line 2", ERROR),
    ("pilots.csv", "line 2", "lat", "95 is out of range; a latitude must be between -90 and 90", ERROR),
    ("pilots.csv", "line 3", "lon", "200 is out of range; a longitude must be between -180 and 180", ERROR),
    ("pilots.csv", "line 3", "country", "'XX' is not an ISO 3166 alpha-2 country code", ERROR),
    ("pilots.csv", "line 5", "name", "is empty; a value is required", ERROR),
    (
        "indicators.csv",
        "line 4",
        "indicator_id",
        "duplicate indicator_id 'participants'; first given at line 2",
        ERROR,
    ),
    ("indicators.csv", "line 3", "direction", "'up' is not one of the allowed values: higher_", ERROR),
    ("nodes.csv", "line 3", "sector", "'church' is not one of the allowed values: public, ", ERROR),
    ("nodes.csv", "line 3", "hard_to_reach", "'maybe' is not true or false", ERROR),
    ("edges.csv", "line 3", "target", "target 'ghost' is not a node_id of pilot 'alpha' in nodes", ERROR),
    ("edges.csv", "line 4", "target", "a self-loop: 'ngo' is tied to itself", WARNING),
    ("governance.xlsx", "row 2", "level", "7 is out of range; the level must be 0 to 4", ERROR),
    ("governance.xlsx", "row 3", "level", "'high' is not a number", ERROR),
    ("governance.csv", "", "", "is empty (0 bytes)", ERROR),
    ("stories.csv", "", "", "is a binary file, not text", ERROR),
    (
        "outcome_extra.csv",
        "",
        "",
        "ignored: not a table of the data contract (did you mean outcomes?)",
        WARNING,
    ),
]


@pytest.fixture(scope="module")
def broken_report() -> Report:
    result = load_dataset(BROKEN)  # must not raise, however broken the folder
    assert result.snapshot is None
    return result.report


@pytest.mark.parametrize(
    ("file", "where", "column", "message", "severity"),
    BROKEN_PROBLEMS,
    ids=[f"{f} {w} {c}".strip() for f, w, c, *_ in BROKEN_PROBLEMS],
)
def test_broken_dataset_names_each_problem(broken_report, file, where, column, message, severity):
    problem = find(broken_report, file, where, column, message)
    assert problem.severity == severity
    place = f"{file} {where}, column {column}" if where else file
    assert f"  - {place}: {message}" in broken_report.format()


def test_broken_dataset_reports_nothing_else(broken_report):
    # One line per planted problem: no noise such as "missing required table" or a status guessed
    # for a row whose status is merely misspelt.
    assert len(broken_report.problems) == len(BROKEN_PROBLEMS), broken_report.format()
    assert not broken_report.ok
    assert broken_report.format().endswith("Result: 18 errors, 2 warnings.")


def test_small_valid_dataset_loads_without_problems(tmp_path):
    result = load_dataset(write_dataset(tmp_path / "ok"))
    assert shown(result.report) == []
    assert list(result.snapshot.pilots["name"]) == ["Võru pilot", "Jönköping pilot"]


def test_missing_required_table_is_named(tmp_path):
    result = load_dataset(write_dataset(tmp_path / "pilotdata", indicators=None))
    assert result.snapshot is None
    assert shown(result.report)[0] == (
        "pilotdata: missing required table indicators: add indicators.csv, indicators.xlsx or "
        "indicators.parquet, or a sheet named indicators in a workbook"
    )


def test_missing_required_column_lists_the_columns_found(tmp_path):
    outcomes = [row[:3] + row[4:] for row in OUTCOMES]  # no value column
    result = load_dataset(write_dataset(tmp_path, outcomes=csv_text(outcomes)))
    assert result.snapshot is None
    assert shown(result.report) == [
        "outcomes.csv line 1: missing required column(s) value; found: pilot_id, indicator_id, period, status"
    ]


@pytest.mark.parametrize(
    ("limit", "size", "expected"),
    [
        (150, 200, "outcomes.csv: is 200 bytes; the limit is 150 bytes per file"),
        (2**20, 3 * 2**19, "outcomes.csv: is 1.5 MB; the limit is 1 MB per file"),
    ],
)
def test_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch, limit, size, expected):
    monkeypatch.setattr(crosspilot.limits, "LIMITS", replace(LIMITS, file_bytes=limit))
    outcomes = csv_text(OUTCOMES).encode()
    outcomes += b"#" * (size - len(outcomes))  # never parsed: a parse would fail on this line
    result = load_dataset(write_dataset(tmp_path, outcomes=outcomes))
    assert result.snapshot is None
    # The size is the one problem: no "missing required table outcomes" for a file that is there.
    assert shown(result.report) == [expected]


def test_unreadable_required_table_is_not_also_called_missing(tmp_path):
    result = load_dataset(write_dataset(tmp_path, indicators=b""))
    assert shown(result.report) == ["indicators.csv: is empty (0 bytes)"]


def test_duplicate_outcome_for_same_pilot_indicator_period_group(tmp_path):
    outcomes = [
        ["pilot_id", "indicator_id", "period", "group", "value", "status"],
        ["voru", "participants", "2018", "youth", "10", "published"],
        ["voru", "participants", "2018", "seniors", "12", "published"],  # another group: fine
        ["voru", "participants", "2018", "youth", "11", "published"],
    ]
    result = load_dataset(write_dataset(tmp_path, outcomes=csv_text(outcomes)))
    assert result.snapshot is None
    assert shown(result.report) == [
        "outcomes.csv line 4, column pilot_id: duplicate pilot_id, indicator_id, period, group "
        "'voru' / 'participants' / '2018' / 'youth'; first given at line 2"
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_lines_are_physical_lines_despite_blank_lines_and_quoted_newlines(tmp_path, newline):
    text = newline.join(
        [
            "pilot_id,indicator_id,period,value,note",  # line 1
            'voru,participants,2018,oops,"first line',  # line 2: the record starts here
            "",  # line 3, inside the quoted note
            'third line"',  # line 4
            "",  # line 5, blank: skipped
            "   ",  # line 6, only spaces: skipped
            "jonkoping,participants,2018,n/a,",  # line 7
            "",
        ]
    )
    result = load_dataset(write_dataset(tmp_path, outcomes=text))
    assert shown(result.report)[:2] == [
        "outcomes.csv line 2, column value: 'oops' is not a number",
        "outcomes.csv line 7, column value: 'n/a' is not a number",
    ]


def test_a_column_full_of_one_mistake_ends_in_one_summary_line(tmp_path):
    rows = [OUTCOMES[0]] + [["voru", "participants", str(2000 + i), "n/a", "estimate"] for i in range(25)]
    report = load_dataset(write_dataset(tmp_path, outcomes=csv_text(rows))).report
    lines = shown(report)
    assert len(lines) == 21
    assert lines[0] == "outcomes.csv line 2, column value: 'n/a' is not a number"
    assert lines[19] == "outcomes.csv line 21, column value: 'n/a' is not a number"
    assert lines[20] == "outcomes.csv column value: … and 5 more rows with the same problem (not a number)"
