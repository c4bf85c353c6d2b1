"""Readers: messy but valid files load with the right values; broken files are named, never raised."""

from __future__ import annotations

import json
import time
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from openpyxl import Workbook

from crosspilot.dataset import load_dataset
from crosspilot.problems import WARNING, Report
from tests.datasets import INDICATORS, OUTCOMES, PILOTS, TABLES, csv_text, write_tables

NAMES = ["Võru pilot", "Jönköping pilot", "Wrocław pilot"]


def load_ok(folder: Path):
    result = load_dataset(folder)
    assert result.snapshot is not None, result.report.format()
    return result.snapshot, result.report


def shown(report: Report) -> list[str]:
    return [str(p) for p in report.problems]


# Messy but valid ----------------------------------------------------------------------------------


def test_non_ascii_names_load_intact(tmp_path):
    snapshot, report = load_ok(write_tables(tmp_path))
    assert shown(report) == []
    assert list(snapshot.pilots["name"]) == NAMES
    assert list(snapshot.pilots["place"]) == ["Võru", "Jönköping", "Wrocław"]


def test_semicolons_with_decimal_commas(tmp_path):
    pilots = [PILOTS[0], ["voru", "Võru pilot", "EE", "Võru", "57,83", "27,02"]]
    outcomes = [
        OUTCOMES[0],
        ["voru", "participants", "2018", "1,5", "published"],
        ["voru", "participants", "2019", "1.234,5", "published"],
        ["voru", "ideas", "2019", "12", "published"],
    ]
    folder = write_tables(tmp_path, {**TABLES, "pilots": pilots, "outcomes": outcomes}, delimiter=";")
    snapshot, report = load_ok(folder)
    assert shown(report) == []
    assert list(snapshot.outcomes["value"]) == [1.5, 1234.5, 12.0]
    assert (snapshot.pilots.loc[0, "lat"], snapshot.pilots.loc[0, "lon"]) == (57.83, 27.02)


def test_tab_delimited(tmp_path):
    pilots = [PILOTS[0], ["voru", "Võru, Estonia", "EE", "Võru", "57.83", "27.02"]]
    outcomes = [OUTCOMES[0], ["voru", "participants", "2018", "100", "published"]]
    folder = write_tables(tmp_path, {**TABLES, "pilots": pilots, "outcomes": outcomes}, delimiter="\t")
    snapshot, report = load_ok(folder)
    assert shown(report) == []
    assert list(snapshot.pilots["name"]) == ["Võru, Estonia"]
    assert list(snapshot.outcomes["value"]) == [100.0]


def test_utf8_with_bom(tmp_path):
    snapshot, report = load_ok(write_tables(tmp_path, encoding="utf-8-sig"))
    assert shown(report) == []
    assert list(snapshot.pilots["pilot_id"]) == ["voru", "jonkoping", "wroclaw"]
    assert list(snapshot.pilots["name"]) == NAMES


def test_cp1252_loads_intact_with_a_warning_naming_the_file(tmp_path):
    pilots = [PILOTS[0], ["jonkoping", "Jönköping pilot", "SE", "Jönköping", "57.78", "14.16"]]
    outcomes = [OUTCOMES[0], ["jonkoping", "participants", "2018", "40", "estimate"]]
    folder = write_tables(tmp_path, {**TABLES, "pilots": pilots, "outcomes": outcomes})
    (folder / "pilots.csv").write_bytes(csv_text(pilots).encode("cp1252"))
    snapshot, report = load_ok(folder)
    assert list(snapshot.pilots["name"]) == ["Jönköping pilot"]
    assert list(snapshot.pilots["place"]) == ["Jönköping"]
    assert shown(report) == ["pilots.csv: is not UTF-8 (first at line 2); read as Windows-1252 (cp1252)"]
    assert report.problems[0].severity == WARNING


def test_crlf_line_endings(tmp_path):
    pilots = PILOTS[:2] + [["uk", "Leeds pilot", "UK", "Leeds", "53.8", "-1.55"]]
    outcomes = OUTCOMES[:2] + [["uk", "ideas", "2018", "3", "estimate"]]
    folder = write_tables(tmp_path, {**TABLES, "pilots": pilots, "outcomes": outcomes}, newline="\r\n")
    assert b"\r\n" in (folder / "pilots.csv").read_bytes()
    snapshot, report = load_ok(folder)
    assert list(snapshot.outcomes["status"]) == ["published", "estimate"]
    assert list(snapshot.pilots["lon"]) == [27.02, -1.55]
    # Line numbers still count CRLF lines one each.
    assert shown(report) == [
        "pilots.csv line 3, column country: 'UK' is the EU abbreviation; read as ISO code GB"
    ]


def test_eu_alias_uk_is_read_as_gb_with_a_warning(tmp_path):
    pilots = PILOTS + [["leeds", "Leeds pilot", "uk", "Leeds", "53.8", "-1.55"]]
    snapshot, report = load_ok(write_tables(tmp_path, {**TABLES, "pilots": pilots}))
    assert list(snapshot.pilots["country"]) == ["EE", "SE", "PL", "GB"]
    assert shown(report) == [
        "pilots.csv line 5, column country: 'uk' is the EU abbreviation; read as ISO code GB"
    ]
    assert report.problems[0].severity == WARNING


def test_headers_matched_ignoring_case_and_spaces_and_extra_columns_kept(tmp_path):
    pilots = [
        [" Pilot_ID ", "NAME", " Country", "Place ", "Lat", "LON", "Budget EUR", "contact"],
        ["voru", "Võru pilot", "EE", "Võru", "57.83", "27.02", "12000", "Mari"],
        ["jonkoping", "Jönköping pilot", "SE", "Jönköping", "57.78", "14.16", "", ""],
        ["wroclaw", "Wrocław pilot", "PL", "Wrocław", "51.11", "17.03", "9000", "Ewa"],
    ]
    snapshot, report = load_ok(write_tables(tmp_path, {**TABLES, "pilots": pilots}))
    assert shown(report) == []
    assert list(snapshot.pilots["pilot_id"]) == ["voru", "jonkoping", "wroclaw"]
    assert list(snapshot.pilots["lat"]) == [57.83, 57.78, 51.11]
    assert list(snapshot.pilots["budget eur"]) == ["12000", "", "9000"]
    assert list(snapshot.pilots["contact"]) == ["Mari", "", "Ewa"]


def _typed_rows(rows: list[list[str]]) -> list[list[object]]:
    """Rows as a spreadsheet holds them: numbers as numbers."""

    def cell(value: str) -> object:
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value

    return [rows[0]] + [[cell(v) for v in row] for row in rows[1:]]


def _save_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def test_one_workbook_with_a_sheet_per_table(tmp_path):
    outcomes = OUTCOMES + [["voru", "ideas", "2019", "1.5", "estimate"]]
    sheets = {
        "Pilots": _typed_rows(PILOTS),
        "indicators": _typed_rows(INDICATORS),
        "outcomes": _typed_rows(outcomes),
        "Read me": [["This workbook holds the COSIE data"]],
    }
    _save_workbook(tmp_path / "cosie.xlsx", sheets)
    snapshot, report = load_ok(tmp_path)
    assert list(snapshot.pilots["name"]) == NAMES
    assert list(snapshot.pilots["lat"]) == [57.83, 57.78, 51.11]
    assert list(snapshot.outcomes["period"]) == ["2018", "2018", "2019", "2019"]
    assert list(snapshot.outcomes["value"]) == [100.0, 40.0, 12.0, 1.5]
    assert shown(report) == [
        "cosie.xlsx sheet Read me: ignored: 'read me' is not a table of the data contract"
    ]


def test_per_table_workbooks(tmp_path):
    for name, rows in TABLES.items():
        _save_workbook(tmp_path / f"{name}.xlsx", {"Sheet1": _typed_rows(rows)})
    snapshot, report = load_ok(tmp_path)
    assert shown(report) == []
    assert list(snapshot.pilots["name"]) == NAMES
    assert list(snapshot.outcomes["value"]) == [100.0, 40.0, 12.0]


@pytest.mark.parametrize("layout", ["one workbook", "per table"])
def test_workbook_cell_saying_n_a_is_named_not_read_as_empty(tmp_path, layout):
    outcomes = _typed_rows(OUTCOMES)
    outcomes[2][3] = "n/a"
    if layout == "one workbook":
        sheets = {"pilots": _typed_rows(PILOTS), "indicators": _typed_rows(INDICATORS), "outcomes": outcomes}
        _save_workbook(tmp_path / "cosie.xlsx", sheets)
        where = "cosie.xlsx sheet outcomes row 3"
    else:
        write_tables(tmp_path, {"pilots": PILOTS, "indicators": INDICATORS})
        _save_workbook(tmp_path / "outcomes.xlsx", {"Sheet1": outcomes})
        where = "outcomes.xlsx row 3"
    result = load_dataset(tmp_path)
    assert shown(result.report) == [f"{where}, column value: 'n/a' is not a number"]


def test_parquet_files(tmp_path):
    pd.DataFrame(
        {
            "pilot_id": ["voru", "wroclaw"],
            "name": ["Võru pilot", "Wrocław pilot"],
            "country": ["EE", "PL"],
            "lat": [57.83, 51.11],
            "lon": [27.02, 17.03],
        }
    ).to_parquet(tmp_path / "pilots.parquet")
    pd.DataFrame({"indicator_id": ["participants"], "label": ["Participants"]}).to_parquet(
        tmp_path / "indicators.parquet"
    )
    pd.DataFrame(
        {
            "pilot_id": ["voru", "wroclaw"],
            "indicator_id": ["participants", "participants"],
            "period": [2018, 2019],
            "value": [100.5, 12.0],
            "status": ["published", "estimate"],
        }
    ).to_parquet(tmp_path / "outcomes.parquet")
    snapshot, report = load_ok(tmp_path)
    assert shown(report) == []
    assert list(snapshot.pilots["name"]) == ["Võru pilot", "Wrocław pilot"]
    assert list(snapshot.pilots["lon"]) == [27.02, 17.03]
    assert list(snapshot.outcomes["period"]) == ["2018", "2019"]
    assert list(snapshot.outcomes["value"]) == [100.5, 12.0]


def _stakeholders(directed: bool = False) -> nx.Graph:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_node("city", label="Võru vald", sector="public", hard_to_reach=False)
    graph.add_node("ngo", label="MTÜ Noored", sector="civil_society", hard_to_reach=False)
    graph.add_node("youth", label="Young people", sector="citizen", hard_to_reach=True)
    graph.add_edge("city", "ngo", relation="partnership", weight=2.0, status="published")
    graph.add_edge("ngo", "youth", relation="service_delivery", weight=1.0, status="published")
    return graph


def _write_graphml(graph: nx.Graph, path: Path) -> None:
    nx.write_graphml(graph, path)


def _write_gexf(graph: nx.Graph, path: Path) -> None:
    nx.write_gexf(graph, path)


def _write_node_link(graph: nx.Graph, path: Path) -> None:
    path.write_text(json.dumps(nx.node_link_data(graph), ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("suffix", "write", "directed"),
    [
        (".graphml", _write_graphml, False),
        (".gexf", _write_gexf, False),
        (".json", _write_node_link, True),
    ],
)
def test_network_files_load_nodes_and_ties(tmp_path, suffix, write, directed):
    folder = write_tables(tmp_path)
    (folder / "networks").mkdir()
    write(_stakeholders(directed), folder / "networks" / f"voru{suffix}")
    snapshot, report = load_ok(folder)
    network = snapshot.networks["voru"]
    assert network.is_directed() == directed
    assert sorted(network.nodes) == ["city", "ngo", "youth"]
    assert network.nodes["city"]["label"] == "Võru vald"
    assert network.nodes["ngo"]["sector"] == "civil_society"
    assert network.nodes["youth"]["hard_to_reach"] is True
    ties = sorted((s, t, d["relation"], d["weight"]) for s, t, d in network.edges(data=True))
    assert ties == [("city", "ngo", "partnership", 2.0), ("ngo", "youth", "service_delivery", 1.0)]
    assert set(snapshot.nodes["pilot_id"]) == {"voru"}
    # Nodes carry no status or source: the one warning says so for the network file.
    assert shown(report) == [
        f"networks/voru{suffix} column status: 3 stakeholders have neither a status nor a source; "
        "they are shown as illustrative"
    ]


# Broken input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [2, 4])
def test_ragged_line_with_too_many_fields_is_named(tmp_path, line):
    rows = [list(r) for r in OUTCOMES] + [["voru", "ideas", "2020", "7", "estimate"]]
    rows[line - 1].append("Tartu, Estonia")
    result = load_dataset(write_tables(tmp_path, {**TABLES, "outcomes": rows}))
    assert result.snapshot is None
    # Only the ragged line: no "missing required table outcomes", as the file is there.
    assert shown(result.report) == [
        f"outcomes.csv line {line}: has 6 fields but the header has 5; check for an unquoted ',' in a value"
    ]


def test_quote_never_closed_is_named(tmp_path):
    folder = write_tables(tmp_path)
    unclosed = 'jonkoping,participants,2018,40,"estimate\n'  # line 3
    text = csv_text(OUTCOMES[:2]) + unclosed + "wroclaw,ideas,2019,12,estimate\n"
    (folder / "outcomes.csv").write_text(text, encoding="utf-8")
    result = load_dataset(folder)
    assert shown(result.report) == [
        'outcomes.csv line 3: a quoted value starts here and is never closed (a " is missing)'
    ]


def test_bytes_neither_utf8_nor_cp1252_name_the_line(tmp_path):
    folder = write_tables(tmp_path)
    text = csv_text(PILOTS[:2]).encode("cp1252") + b"jonkoping,J\x81\x8dnk\xf6ping,SE,,,\n"
    (folder / "pilots.csv").write_bytes(text)
    result = load_dataset(folder)
    assert result.snapshot is None
    assert shown(result.report) == [
        "pilots.csv line 3: byte 0x81 cannot be decoded as UTF-8 or cp1252; save the file as UTF-8"
    ]


def _network_folder(tmp_path: Path, name: str, text: str) -> Path:
    folder = write_tables(tmp_path)
    (folder / "networks").mkdir()
    (folder / "networks" / name).write_text(text, encoding="utf-8")
    return folder


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE graphml [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="label" attr.type="string"/>
  <graph edgedefault="undirected">
    <node id="city"><data key="d0">&lol9;</data></node>
  </graph>
</graphml>
"""


def test_entity_expansion_bomb_is_refused_quickly(tmp_path):
    folder = _network_folder(tmp_path, "voru.graphml", BILLION_LAUGHS)
    started = time.perf_counter()
    result = load_dataset(folder)
    assert time.perf_counter() - started < 5
    assert result.snapshot is None
    assert shown(result.report) == [
        "networks/voru.graphml: refused: the XML declares a DTD or entities (DTDForbidden), "
        "which are not allowed for safety"
    ]


def test_external_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    text = f"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="label" attr.type="string"/>
  <graph edgedefault="undirected"><node id="city"><data key="d0">&xxe;</data></node></graph>
</graphml>
"""
    result = load_dataset(_network_folder(tmp_path, "voru.graphml", text))
    assert shown(result.report) == [
        "networks/voru.graphml: refused: the XML declares a DTD or entities (DTDForbidden), "
        "which are not allowed for safety"
    ]
    assert "TOP-SECRET" not in result.report.format()


def test_malformed_xml_names_the_line(tmp_path):
    text = """<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <graph edgedefault="undirected">
    <node id="city"/>
    <node id="ngo">
  </graph>
</graphml>
"""
    result = load_dataset(_network_folder(tmp_path, "voru.graphml", text))
    assert result.snapshot is None
    assert shown(result.report) == [
        "networks/voru.graphml: is not well-formed XML (mismatched tag: line 6, column 4)"
    ]


def test_malformed_node_link_json_names_the_line(tmp_path):
    text = '{"nodes": [{"id": "city"},\n  {"id": "ngo"}\n  ], "edges": [}\n'
    result = load_dataset(_network_folder(tmp_path, "voru.json", text))
    assert result.snapshot is None
    [line] = shown(result.report)
    assert line.startswith("networks/voru.json: cannot be read (")
    assert "line 3" in line


def test_graphml_duplicate_node_and_dangling_tie_are_named(tmp_path):
    text = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="label" attr.type="string"/>
  <graph edgedefault="undirected">
    <node id="city"><data key="d0">City</data></node>
    <node id="ngo"><data key="d0">NGO</data></node>
    <node id="city"><data key="d0">City again</data></node>
    <edge source="city" target="ngo"/>
    <edge source="ngo" target="ghost"/>
  </graph>
</graphml>
"""
    result = load_dataset(_network_folder(tmp_path, "voru.graphml", text))
    assert result.snapshot is None
    errors = [str(p) for p in result.report.errors]
    assert errors == [
        "networks/voru.graphml node 'city': duplicate node id 'city'",
        "networks/voru.graphml tie 'ngo'–'ghost': the tie's target 'ghost' is not a node of this network",
    ]
