"""Read partners' table files (CSV, XLSX, Parquet) into raw frames, reporting what cannot be read.

Readers never raise on bad input: they add problems to the report and return what they could read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from crosspilot.i18n import t
from crosspilot.limits import current, parquet_problem, workbook_problem
from crosspilot.problems import Report

DELIMITERS = (",", ";", "\t")


@dataclass
class RawTable:
    """A table as read from a file: headers normalised, cells as text (numbers in Parquet)."""

    name: str
    file: str  # as shown to users: "outcomes.csv", "cosie.xlsx sheet outcomes"
    frame: pd.DataFrame
    row_word: str = "row"  # "line" for text files, "row" for sheets and Parquet
    first_row: int = 2  # the line or row number of the first data row
    decimal_comma: bool = False
    locations: list[str] | None = None  # explicit place of each row, e.g. "node 'x'"
    structure_checked: bool = False  # network files check duplicates and dangling ties themselves
    _line_of: list[int] | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)
    _delimiter: str = ","

    def where(self, index: int) -> str:
        """'line 14' for the record at positional `index` (0-based)."""
        if self.locations is not None:
            return self.locations[index]
        if self._text is not None:
            if self._line_of is None:
                self._line_of = _record_lines(self._text, self._delimiter)
            if index + 1 < len(self._line_of):
                return self._place(self._line_of[index + 1])
        return self._place(index + self.first_row)

    def _place(self, number: int) -> str:
        return t("line {n}", n=number) if self.row_word == "line" else t("row {n}", n=number)


def _record_lines(text: str, delimiter: str) -> list[int]:
    """Physical line where each non-blank record starts (header first), as pandas counts records."""
    lines = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            if not _is_blank(record):
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error:  # a field over the limit: read_csv_text has reported it; locate what came before
        pass
    return lines


def _is_blank(record: list[str]) -> bool:
    """A line pandas skips: empty, or only spaces and tabs with no delimiter."""
    return not record or (len(record) == 1 and record[0] != "" and not record[0].strip(" \t"))


def normalise_header(name: object) -> str:
    return str(name).strip().lower().lstrip("\ufeff").strip()


def _normalise_headers(frame: pd.DataFrame, file: str, report: Report) -> pd.DataFrame | None:
    names = [normalise_header(c) for c in frame.columns]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            report.add(file, t("header {name!r} appears twice", name=name), where="line 1")
            return None
        seen.add(name)
    return frame.set_axis(names, axis=1)


def decode_text(data: bytes, file: str, report: Report) -> str | None:
    """UTF-8 (with or without BOM), else cp1252; binary or undecodable files are problems."""
    if data.startswith(b"PK\x03\x04"):
        report.add(file, t("is an Excel or zip file, not text; save it as .xlsx or export CSV"))
        return None
    if b"\x00" in data[:8192]:
        report.add(file, t("is a binary file, not text (a CSV table was expected)"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            report.add(
                file,
                t(
                    "byte 0x{byte:02x} cannot be decoded as UTF-8 or cp1252; save the file as UTF-8",
                    byte=data[error.start],
                ),
                where=f"line {line}",
            )
            return None
        line = data[: utf8_error.start].count(b"\n") + 1
        report.warn(
            file,
            t("is not UTF-8 (first at line {line}); read as Windows-1252 (cp1252)", line=line),
        )
        return text


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields."""
    header = text.split("\n", 1)[0]
    counts = {d: len(next(csv.reader([header], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


def read_csv(path: Path, name: str, file: str, report: Report) -> RawTable | None:
    text = decode_text(path.read_bytes(), file, report)
    if text is None:
        return None
    return read_csv_text(text, name, file, report)


def _too_wide(text: str, file: str, report: Report) -> bool:
    """A header with more columns than the limit, counted without parsing (a 100,000-column header
    must cost microseconds, not the csv module's field limit)."""
    header = text[: current().field_chars].split("\n", 1)[0]
    columns = max(header.count(d) for d in DELIMITERS) + 1
    if columns > current().columns:
        report.add(
            file,
            t("has {n} columns; the limit is {limit}", n=f"{columns:,}", limit=f"{current().columns:,}"),
            where="line 1",
        )
        return True
    return False


def _long_field(text: str, delimiter: str, file: str, report: Report) -> bool:
    """A value longer than the limit, reported with the line it starts on."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        report.add(
            file,
            t(
                "a value here is longer than {limit} characters (or a quote is never closed)",
                limit=f"{current().field_chars:,}",
            ),
            where=f"line {start}",
        )
        return True
    return False


def read_csv_text(text: str, name: str, file: str, report: Report) -> RawTable | None:
    if not text.strip():
        report.add(file, t("is empty; a header row with the column names was expected"))
        return None
    if _too_wide(text, file, report):
        return None
    # Python's csv module refuses fields over 128 KiB by default (a traceback, not a message); ours is
    # the documented limit, and a longer field is reported with its line.
    csv.field_size_limit(current().field_chars)
    try:
        delimiter = sniff_delimiter(text)
    except csv.Error:
        _long_field(text, ",", file, report)
        return None
    if len(text) > current().field_chars and _long_field(text, delimiter, file, report):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as error:
        _report_unreadable(text, delimiter, file, report, error)
        return None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas silently takes the first column as an index (shifting every value one column left)
        # when the first data line has more fields than the header: that is a ragged line too.
        _report_unreadable(text, delimiter, file, report, None)
        return None
    frame = _normalise_headers(frame, file, report)
    if frame is None:
        return None
    return RawTable(
        name,
        file,
        frame,
        row_word="line",
        decimal_comma=delimiter == ";",
        _text=text,
        _delimiter=delimiter,
    )


def _report_unreadable(
    text: str, delimiter: str, file: str, report: Report, error: pd.errors.ParserError | None
) -> None:
    """Say which lines pandas could not parse: too many fields, or a quote never closed."""
    if _long_field(text, delimiter, file, report):
        return
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    width = None
    start = 1
    found = False
    last = "line 1"
    for record in reader:
        if not _is_blank(record):
            if width is None:
                width = len(record)
            elif len(record) > width:
                found = True
                report.add(
                    file,
                    t(
                        "has {n} fields but the header has {width}; "
                        "check for an unquoted {delim!r} in a value",
                        n=len(record),
                        width=width,
                        delim=delimiter,
                    ),
                    where=f"line {start}",
                    kind="too many fields",
                )
            last = f"line {start}"
        start = reader.line_num + 1
    if found:
        return
    if error is not None and "EOF inside string" in str(error):
        # The unclosed quote swallows the rest of the file into the last record, which starts there.
        report.add(file, t('a quoted value starts here and is never closed (a " is missing)'), where=last)
    else:
        detail = _short(error) if error is not None else t("fields do not match the header")
        report.add(file, t("cannot be read as CSV ({error})", error=detail))


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(path: Path, file: str, report: Report, only: str | None = None) -> dict[str, RawTable]:
    """Every sheet of an .xlsx workbook, keyed by normalised sheet name (or just `only`)."""
    problem = workbook_problem(path)
    if problem is not None:
        report.add(file, problem)
        return {}
    try:
        sheets = pd.read_excel(
            path, sheet_name=None, dtype=object, engine="openpyxl", keep_default_na=False, na_filter=False
        )
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        report.add(file, t("cannot be read as an .xlsx workbook ({error})", error=_short(error)))
        return {}
    tables = {}
    for sheet, frame in sheets.items():
        name = normalise_header(sheet)
        if only is not None and len(sheets) > 1 and name != only:
            continue
        label = file if only is not None else f"{file} sheet {sheet}"
        frame = frame.map(_cell_text)
        frame = _normalise_headers(frame, label, report)
        if frame is None:
            continue
        tables[only or name] = RawTable(only or name, label, frame)
    return tables


def read_parquet(path: Path, name: str, file: str, report: Report) -> RawTable | None:
    problem = parquet_problem(path)
    if problem is not None:
        report.add(file, problem)
        return None
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises many types for a damaged file
        report.add(file, t("cannot be read as Parquet ({error})", error=_short(error)))
        return None
    frame = _normalise_headers(frame, file, report)
    return None if frame is None else RawTable(name, file, frame, first_row=1)


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:160]
