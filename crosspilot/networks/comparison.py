"""Every pilot's network metrics side by side ("All pilots compared"), each row with what it is computed
from, and the same table as CSV (plain numbers, formula-safe text, the provenance columns)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from crosspilot.formatting import Formatter
from crosspilot.networks.labels import network_metrics
from crosspilot.provenance import CSV_COLUMNS, Inputs
from crosspilot.spreadsheet import safe_cell


@dataclass(frozen=True)
class ComparedNetwork:
    """One pilot's row: its network metrics in one phase and what they are computed from."""

    pilot: str  # pilot id
    name: str  # the pilot's short label, as the chart's axis shows it
    phase: str  # the phase analysed (the pilot's all phases when it has not the one asked for)
    network: Mapping[str, float]
    inputs: Inputs  # stakeholders and ties of that phase, counted by status
    stakeholder_inputs: Inputs  # the stakeholders alone (what the count of actors is computed from)

    def inputs_of(self, metric: str) -> Inputs:
        return self.stakeholder_inputs if metric == "nodes" else self.inputs


def comparison_frame(rows: Sequence[ComparedNetwork]) -> pd.DataFrame:
    """The metrics as a frame, one row per pilot (index: its name), one column per metric key."""
    return pd.DataFrame.from_dict({r.name: dict(r.network) for r in rows}, orient="index")


def comparison_csv(rows: Sequence[ComparedNetwork], fmt: Formatter | None = None) -> str:
    """The compared metrics as CSV: a row per pilot, every metric as a plain number, then what they are
    computed from (computed_from, inputs_status and the counts: crosspilot.provenance.CSV_COLUMNS)."""
    metrics = [m.key for m in network_metrics()]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["pilot_id", "pilot", "phase", *metrics, "samples", *CSV_COLUMNS])
    for row in rows:
        cells = [safe_cell(str(v)) for v in (row.pilot, row.name, row.phase)]
        cells += [_plain(row.network.get(key)) for key in (*metrics, "samples")]
        cells += [safe_cell(v) if isinstance(v, str) else v for v in row.inputs.csv_cells(fmt).values()]
        writer.writerow(cells)
    return out.getvalue()


def _plain(value: object) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return f"{number:.6g}" if number == number else ""
