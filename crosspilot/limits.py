"""How much of a partner's file Crosspilot will read: every limit refused with a message naming the file.

A hostile or broken file must cost seconds and bounded memory, never a traceback: a workbook that
declares a million rows by 16,384 columns, a zip that unpacks to gigabytes, a CSV header of 100,000
columns. The checks here look at a file's size, a workbook's zip directory and declared sheet
dimensions, and a CSV's header line before the real reader starts. The limits are documented in
data/README.md ("Limits").
"""

from __future__ import annotations

import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from crosspilot.i18n import t

MB = 2**20


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 200 * MB  # one table, network or workbook file on disk
    dataset_bytes: int = 1024 * MB  # all the files of one dataset together
    columns: int = 1_000  # columns of a table (CSV header, sheet, Parquet schema)
    field_chars: int = 1_000_000  # characters of one CSV cell
    xlsx_unpacked_bytes: int = 256 * MB  # a workbook's contents once unzipped
    xlsx_ratio: int = 200  # unpacked : packed size of one part of a workbook (a zip bomb is far above)
    xlsx_parts: int = 10_000  # files inside a workbook
    sheet_cells: int = 20_000_000  # cells a sheet declares (rows x columns)
    parquet_cells: int = 200_000_000  # rows x columns of a Parquet file
    parquet_unpacked_bytes: int = 2048 * MB  # a Parquet file's data once decompressed
    load_seconds: float = 600.0  # reading and checking one whole dataset
    upload_entries: int = 2_000  # files inside an uploaded dataset zip (or files uploaded at once)
    # An uploaded zip's contents once unzipped: `dataset_bytes` in all, `file_bytes` per entry, and no
    # entry unpacking more than `xlsx_ratio` times its packed size (a zip bomb is far above).


# The limits in force; read at call time (`limits.LIMITS`), so a test may lower one with monkeypatch.
LIMITS = Limits()


def current() -> Limits:
    return LIMITS


def size_text(size: int) -> str:
    """'200 MB', '1.5 KB', '12 bytes': one decimal where needed, so a file just over a limit never
    reads as the limit itself ("200.1 MB; the limit is 200 MB")."""
    for unit, scale in (("GB", 2**30), ("MB", MB), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


class Budget:
    """The time left for loading one dataset; `spent()` says so once it has run out."""

    def __init__(self, limits: Limits | None = None, clock=time.monotonic):
        self.limits = limits or current()
        self._clock = clock
        self._start = clock()

    def spent(self) -> bool:
        return self._clock() - self._start > self.limits.load_seconds


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def declared_cells(head: bytes) -> tuple[int, int] | None:
    """(rows, columns) a worksheet's XML declares in its <dimension ref="A1:XFD1048576"/>, if it does."""
    match = _DIMENSION.search(head)
    if not match or not match.group(3):
        return None
    first_col, first_row, last_col, last_row = match.groups()
    columns = _column_number(last_col) - _column_number(first_col or b"A") + 1
    rows = int(last_row) - int(first_row or b"1") + 1
    return max(rows, 0), max(columns, 0)


def workbook_problem(path: Path, limits: Limits | None = None) -> str | None:
    """Why a workbook must not be opened (zip bomb, too many parts, a sheet declaring too many cells),
    or None. Reads only the zip directory and the first bytes of each sheet."""
    limits = limits or current()
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > limits.xlsx_parts:
                return t("holds {n} parts; the limit is {limit}", n=len(parts), limit=limits.xlsx_parts)
            unpacked = sum(p.file_size for p in parts)
            if unpacked > limits.xlsx_unpacked_bytes:
                return t(
                    "unpacks to {size}; the limit is {limit} for a workbook",
                    size=size_text(unpacked),
                    limit=size_text(limits.xlsx_unpacked_bytes),
                )
            for part in parts:
                if part.file_size > MB and part.file_size > limits.xlsx_ratio * max(part.compress_size, 1):
                    return t(
                        "part {name} unpacks {ratio}x (a zip bomb?); the limit is {limit}x",
                        name=part.filename,
                        ratio=part.file_size // max(part.compress_size, 1),
                        limit=limits.xlsx_ratio,
                    )
            for part in parts:
                if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                    continue
                with archive.open(part) as handle:
                    declared = declared_cells(handle.read(4096))
                if declared is None:
                    continue
                rows, columns = declared
                if columns > limits.columns or rows * columns > limits.sheet_cells:
                    return t(
                        "sheet {name} declares {rows} rows by {columns} columns; the limits are "
                        "{max_columns} columns and {max_cells} cells",
                        name=Path(part.filename).stem,
                        rows=f"{rows:,}",
                        columns=f"{columns:,}",
                        max_columns=f"{limits.columns:,}",
                        max_cells=f"{limits.sheet_cells:,}",
                    )
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return t(
            "cannot be read as an .xlsx workbook ({error})", error=str(error)[:160] or type(error).__name__
        )
    return None


def parquet_problem(path: Path, limits: Limits | None = None) -> str | None:
    """Why a Parquet file must not be read (too many cells or too much data once decompressed), or None."""
    import pyarrow.parquet as pq

    limits = limits or current()
    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as error:  # noqa: BLE001 - pyarrow raises many types for a damaged file
        return t("cannot be read as Parquet ({error})", error=str(error).splitlines()[0][:160])
    if meta.num_columns > limits.columns:
        return t(
            "has {n} columns; the limit is {limit}", n=f"{meta.num_columns:,}", limit=f"{limits.columns:,}"
        )
    if meta.num_rows * meta.num_columns > limits.parquet_cells:
        return t(
            "has {n} cells; the limit is {limit}",
            n=f"{meta.num_rows * meta.num_columns:,}",
            limit=f"{limits.parquet_cells:,}",
        )
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > limits.parquet_unpacked_bytes:
        return t(
            "holds {size} of data once decompressed; the limit is {limit}",
            size=size_text(unpacked),
            limit=size_text(limits.parquet_unpacked_bytes),
        )
    return None
