"""Hostile and oversized partner files are refused fast, with a message naming the file and the limit."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from dataclasses import replace

import networkx as nx
import openpyxl
import pandas as pd
import pytest

import crosspilot.limits
from crosspilot.dataset import load_dataset
from crosspilot.limits import LIMITS
from crosspilot.spreadsheet import safe_cell
from tests.datasets import SMALL, csv_text, write_dataset
from tests.test_readers import load_ok, shown

PILOTS, OUTCOMES = SMALL["pilots"], SMALL["outcomes"]


def _lower(monkeypatch, **limits):
    monkeypatch.setattr(crosspilot.limits, "LIMITS", replace(LIMITS, **limits))


def _workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "outcomes"
    for row in rows:
        sheet.append(row)
    book.save(path)


def _declare(path, ref: str) -> None:
    """Rewrite the sheet's <dimension> as a hostile file does (a few bytes that claim billions of cells)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index("<dimension")
    end = sheet.index("/>", start) + 2
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + f'<dimension ref="{ref}"/>' + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_a_workbook_declaring_every_cell_of_a_sheet_is_refused_at_once(tmp_path):
    folder = write_dataset(tmp_path, outcomes=None)
    _workbook(folder / "outcomes.xlsx", OUTCOMES)
    _declare(folder / "outcomes.xlsx", "A1:XFD1048576")
    tracemalloc.start()
    started = time.perf_counter()
    result = load_dataset(folder)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.snapshot is None
    assert shown(result.report) == [
        "outcomes.xlsx: sheet sheet1 declares 1,048,576 rows by 16,384 columns; "
        "the limits are 1,000 columns and 20,000,000 cells"
    ]
    assert elapsed < 5 and peak < 50 * 2**20


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    _lower(monkeypatch, xlsx_unpacked_bytes=64 * 2**10)
    folder = write_dataset(tmp_path, outcomes=None)
    rows = OUTCOMES + [["voru", "participants", str(2000 + i % 20), str(i), "published"] for i in range(3000)]
    _workbook(folder / "outcomes.xlsx", rows)
    result = load_dataset(folder)
    [message] = shown(result.report)
    assert message.startswith("outcomes.xlsx: unpacks to ") and message.endswith(
        "; the limit is 64 KB for a workbook"
    )


def test_a_zip_bomb_part_is_refused_by_its_ratio(tmp_path):
    folder = write_dataset(tmp_path, outcomes=None)
    path = folder / "outcomes.xlsx"
    _workbook(path, OUTCOMES)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (8 * 2**20))  # 8 MB that pack to ~8 KB
    [message] = shown(load_dataset(folder).report)
    assert message.startswith("outcomes.xlsx: part xl/media/padding.bin unpacks ")
    assert message.endswith("x (a zip bomb?); the limit is 200x")


def test_a_csv_with_100000_columns_is_refused_in_well_under_a_second(tmp_path):
    header = ",".join(f"c{i}" for i in range(100_000))
    folder = write_dataset(tmp_path, outcomes=header + "\n" + ",".join("1" * 100_000) + "\n")
    started = time.perf_counter()
    result = load_dataset(folder)
    assert time.perf_counter() - started < 1
    assert shown(result.report) == ["outcomes.csv line 1: has 100,000 columns; the limit is 1,000"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_value_longer_than_the_field_limit_is_named_by_its_line(tmp_path, monkeypatch, delimiter):
    _lower(monkeypatch, field_chars=5_000)
    rows = [*OUTCOMES, ["voru", "participants", "2019", "7", "published"]]
    text = csv_text(rows).replace(",", delimiter)
    lines = text.splitlines()
    lines[3] = lines[3] + delimiter + '"' + "x" * 6_000 + '"'
    lines[0] = lines[0] + delimiter + "note"
    folder = write_dataset(tmp_path, outcomes="\n".join(lines) + "\n")
    messages = shown(load_dataset(folder).report)
    assert messages == [
        "outcomes.csv line 4: a value here is longer than 5,000 characters (or a quote is never closed)"
    ]


def test_a_parquet_file_with_too_many_columns_is_refused_before_it_is_read(tmp_path, monkeypatch):
    _lower(monkeypatch, columns=10)
    folder = write_dataset(tmp_path, outcomes=None)
    frame = pd.DataFrame([row for row in OUTCOMES[1:]], columns=OUTCOMES[0])
    for i in range(10):
        frame[f"extra{i}"] = "x"
    frame.to_parquet(folder / "outcomes.parquet")
    assert shown(load_dataset(folder).report) == ["outcomes.parquet: has 15 columns; the limit is 10"]


def test_a_dataset_larger_than_the_dataset_limit_is_refused_unread(tmp_path, monkeypatch):
    _lower(monkeypatch, dataset_bytes=100)
    folder = write_dataset(tmp_path)
    [message] = shown(load_dataset(folder).report)
    assert message.endswith("bytes; the limit is 100 bytes for a dataset")
    assert message.startswith(f"{folder.name}: its files add up to ")


def test_a_dataset_that_takes_longer_than_the_budget_stops_with_a_message(tmp_path, monkeypatch):
    _lower(monkeypatch, load_seconds=-1)
    folder = write_dataset(tmp_path)
    [message] = shown(load_dataset(folder).report)
    assert "reading stopped at indicators.csv: loading took longer than -1 s" in message


def _stakeholders() -> nx.Graph:
    graph = nx.Graph()
    graph.add_node("city", label="City", sector="public")
    graph.add_node("ngo", label="NGO", sector="civil_society")
    graph.add_edge("city", "ngo", relation="partnership", status="published")
    return graph


@pytest.mark.parametrize("file_name", ["Hull-01.graphml", "hull-01.graphml", "HULL-01.graphml"])
def test_a_network_file_is_matched_to_its_pilot_whatever_the_case_of_its_name(tmp_path, file_name):
    pilots = [PILOTS[0], ["Hull-01", "My Direction", "GB", "Hull", "53.74", "-0.33"], *PILOTS[1:]]
    folder = write_dataset(tmp_path, pilots=csv_text(pilots))
    (folder / "networks").mkdir()
    nx.write_graphml(_stakeholders(), folder / "networks" / file_name)
    snapshot, report = load_ok(folder)
    assert set(snapshot.networks) == {"Hull-01"}
    assert set(snapshot.nodes["pilot_id"]) == {"Hull-01"}


def test_a_network_file_named_after_no_pilot_is_refused_once(tmp_path):
    folder = write_dataset(tmp_path)
    (folder / "networks").mkdir()
    nx.write_graphml(_stakeholders(), folder / "networks" / "vooru.graphml")
    assert shown(load_dataset(folder).report) == [
        "networks/vooru.graphml: the file name 'vooru' is not a pilot id of pilots (did you mean voru?); "
        "name a network file after its pilot's id"
    ]


@pytest.mark.parametrize("cell", ["=1+1", ";=1+1", "a;=HYPERLINK(x)", "b\t+cmd", "ok, -5 is fine"])
def test_exported_cells_never_run_as_formulas_whatever_the_spreadsheet_splits_on(cell):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(cell)])
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter):
            assert not any(field.lstrip(" ").startswith(("=", "+", "@")) for field in row), (cell, row)
