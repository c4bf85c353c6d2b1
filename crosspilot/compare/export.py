"""The comparison as CSV: exactly the plotted table, numbers as plain machine numbers (never through the
Formatter), text cells neutralised against spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import numpy as np

from crosspilot.compare.comparison import Comparison
from crosspilot.spreadsheet import safe_cell

EXPORT_COLUMNS = {
    "pilot": "pilot",
    "pilot_id": "pilot_id",
    "indicator": "indicator",
    "indicator_id": "indicator_id",
    "period": "period",
    "group": "group",
    "value": "value",
    "unit": "unit",
    "raw_value": "original_value",
    "raw_unit": "original_unit",
    "baseline_period": "baseline_period",
    "baseline_value": "baseline_value",
    "assessment": "assessment",
    "basis": "basis",
    "baseline_basis": "baseline_basis",
    "comparability_note": "comparability_note",
    "status": "status",
    "source": "source",
    "note": "note",
    "no_data": "no_data",
}


def _rounded(value: float) -> str:
    """A reported or baseline value as the CSV has always written it: whole, or 4 significant digits."""
    if value is None or not np.isfinite(value):
        return ""
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.4g}" if abs(value) < 1000 else f"{value:.1f}"


def to_csv(comparison: Comparison) -> str:
    """The plotted table as CSV (numbers as numbers, text cells neutralised against formulas).

    `assessment` holds, for every plotted row, the verdict against the baseline (change modes) and,
    when the row's indicator is flagged, "not directly comparable: " with the reasons."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS.values())
    table = comparison.table
    assessed = [
        "; ".join(part for part in (verdict, comparable) if part)
        for verdict, comparable in zip(table["assessment"], table["comparability"], strict=True)
    ]
    frame = table[list(EXPORT_COLUMNS)].assign(assessment=assessed)
    for row in frame.itertuples(index=False):
        cells = []
        for name, cell in zip(EXPORT_COLUMNS, row, strict=True):
            if name in ("value", "raw_value", "baseline_value"):
                cells.append(_rounded(cell) if name != "value" else _plain(cell))
            else:
                cells.append(safe_cell(str(cell)))
        writer.writerow(cells)
    return out.getvalue()


def _plain(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else repr(float(value)).removesuffix(".0")
