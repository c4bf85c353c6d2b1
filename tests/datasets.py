"""The small valid dataset tests build on: three pilots' tables as rows, written out as CSV files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

PILOTS = [
    ["pilot_id", "name", "country", "place", "lat", "lon"],
    ["voru", "Võru pilot", "EE", "Võru", "57.83", "27.02"],
    ["jonkoping", "Jönköping pilot", "SE", "Jönköping", "57.78", "14.16"],
    ["wroclaw", "Wrocław pilot", "PL", "Wrocław", "51.11", "17.03"],
]
INDICATORS = [
    ["indicator_id", "label", "unit", "direction"],
    ["participants", "Participants", "people", "higher_is_better"],
    ["ideas", "Ideas", "ideas", "neutral"],
]
OUTCOMES = [
    ["pilot_id", "indicator_id", "period", "value", "status"],
    ["voru", "participants", "2018", "100", "published"],
    ["jonkoping", "participants", "2018", "40", "estimate"],
    ["wroclaw", "ideas", "2019", "12", "illustrative"],
]
TABLES = {"pilots": PILOTS, "indicators": INDICATORS, "outcomes": OUTCOMES}
# Võru and Jönköping with their participants: small enough to stay under the byte limits tests set.
SMALL = {"pilots": PILOTS[:3], "indicators": INDICATORS[:2], "outcomes": OUTCOMES[:3]}

Table = list[list[str]] | str | bytes | None


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def write_tables(folder: Path, tables: dict[str, Table] | None = None, **options) -> Path:
    """Each table as `<name>.csv`: rows through `csv_text` (its options apply), text or bytes as they
    are, None for no file; `encoding` (default UTF-8) applies to rows and text."""
    encoding = options.pop("encoding", "utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (TABLES if tables is None else tables).items():
        if content is None:
            continue
        if isinstance(content, list):
            content = csv_text(content, **options)
        if isinstance(content, str):
            content = content.encode(encoding)
        (folder / f"{name}.csv").write_bytes(content)
    return folder


def write_dataset(folder: Path, **tables: Table) -> Path:
    """The SMALL dataset in `folder`; a keyword replaces (rows, text, bytes) or removes (None) a table."""
    return write_tables(folder, {**SMALL, **tables})
