"""The comparison: `compare(index, view)` gives the table a chart plots, ordered best first.

The `table` has one row per drawn mark, plus a "no data" row for every selected pilot and indicator
that has none; the figure builders in `crosspilot.figures.compare` draw it, and the page shows and
exports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crosspilot.compare.comparability import basis_words, not_comparable_reasons
from crosspilot.compare.index import CompareIndex, Indicator
from crosspilot.compare.options import PARTICIPANTS, SINGLE_PERIOD_FORMS, value_unit
from crosspilot.compare.transforms import (
    CHANGE_MODES,
    R_NO_GROUP,
    R_NO_SLOPE,
    R_NO_VALUE,
    assessments,
    better_first,
    evenly,
    latest_positions,
    reason_texts,
    select_rows,
    take,
    transform,
    with_baselines,
)
from crosspilot.i18n import t

if TYPE_CHECKING:
    from crosspilot.views.compare import View

# What one chart draws at most, so that any view of a large programme redraws in a few hundred ms in
# the browser (bench/browser_bench.py); the page says in words what was left out, the CSV has it all.
MAX_POINTS = 2000  # per chart of lines or small multiples: long series are thinned evenly
MAX_PANELS = 12  # small multiples: the first pilots, in the dataset's order
MAX_SLOPES = 24  # slope chart: one labelled line per pilot, the first pilots in the dataset's order
MAX_PILOTS = {"multiples": MAX_PANELS, "slope": MAX_SLOPES}  # per form; the others show every pilot

TABLE_COLUMNS = (
    "pilot",
    "indicator",
    "period",
    "group",
    "value",
    "unit",
    "raw_value",
    "raw_unit",
    "baseline_period",
    "baseline_value",
    "assessment",
    "comparability",
    "basis",
    "baseline_basis",
    "comparability_note",
    "status",
    "source",
    "note",
    "no_data",
    "pilot_id",
    "indicator_id",
    "period_order",
)


@dataclass(frozen=True)
class Comparison:
    view: View
    table: pd.DataFrame  # TABLE_COLUMNS; exactly the plotted rows plus "no data" rows
    indicators: tuple[Indicator, ...]
    pilot_order: tuple[str, ...]  # pilot ids, best first on the first indicator, no data last
    pilot_names: Mapping[str, str]
    pilot_labels: Mapping[str, str]
    value_units: Mapping[str, str] = field(default_factory=dict)  # indicator id -> unit as plotted
    reasons: tuple[str, ...] = ()  # why the values are not directly comparable, every indicator's
    flagged: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # indicator id -> its reasons
    thinned: tuple[int, int] | None = None  # (points kept, points selected) when a long series was thinned
    capped: tuple[int, int] | None = None  # (pilots shown, pilots chosen) where the form has MAX_PILOTS
    arrays: Mapping[str, np.ndarray] = field(default_factory=dict)  # the table's columns, for builders

    @property
    def plotted(self) -> pd.DataFrame:
        return self.table[self.table["no_data"] == ""]

    @property
    def missing(self) -> pd.DataFrame:
        return self.table[self.table["no_data"] != ""]

    @property
    def comparable(self) -> bool:
        return not self.reasons


def compare(index: CompareIndex, view: View, max_points: int = MAX_POINTS) -> Comparison:
    """The plotted table of `view`, ordered best first, with "no data" rows and comparability."""
    n_pilots = len(index.pilot_names)
    position = {p: i for i, p in enumerate(index.pilot_names)}
    chosen = np.array(sorted({position[p] for p in view.pilots if p in position}), dtype=np.int32)
    if not len(chosen):
        chosen = np.arange(n_pilots, dtype=np.int32)
    capped = None
    most = MAX_PILOTS.get(view.form)
    if most is not None and len(chosen) > most:
        # One panel or one labelled line per pilot stays readable (and quick) up to a dozen or two.
        capped = (most, len(chosen))
        chosen = chosen[:most]
    pilot_ok = None
    if len(chosen) < n_pilots:
        pilot_ok = np.zeros(n_pilots, dtype=bool)
        pilot_ok[chosen] = True
    lo = index.period_rank.get(view.periods[0], 0)
    hi = index.period_rank.get(view.periods[1], np.iinfo(np.int32).max)
    group = None
    if view.group:
        group = (list(index.lookup["group"]).index(view.group)) if view.group in index.groups else -2
    per_pilot = per_basis = None
    if view.mode == "per_participant":
        per_pilot = np.full(n_pilots, np.nan)
        per_basis = np.zeros(n_pilots, dtype=np.int32)
        block = index.blocks.get(PARTICIPANTS)
        if block is not None:
            rows = select_rows(block, pilot_ok, lo, hi, None)
            latest = latest_positions(rows)
            per_pilot[rows["pilot"][latest]] = rows["value"][latest]
            per_basis[rows["pilot"][latest]] = rows["basis"][latest]
    indicators = tuple(index.indicators[i] for i in view.indicators if i in index.indicators)
    parts: list[dict[str, np.ndarray]] = []
    words = basis_words()
    selected = []
    for indicator in indicators:
        block = index.blocks.get(indicator.indicator_id)
        rows = select_rows(block, pilot_ok, lo, hi, group) if block is not None else None
        selected.append(with_baselines(rows) if rows is not None and len(rows["value"]) else None)
    # Lines and small multiples of long series keep evenly spaced periods (first and last always)
    # so that a chart stays drawable; the table lists exactly the kept points, and says so.
    total = sum(len(r["value"]) for r in selected if r is not None)
    thinned = None
    if view.form in ("lines", "multiples") and total > max_points:
        n_series = sum(len(np.unique(r["series_start"])) for r in selected if r is not None)
        keep_per_series = max(2, max_points // max(n_series, 1))
        selected = [None if r is None else take(r, evenly(r, keep_per_series)) for r in selected]
        thinned = (sum(len(r["value"]) for r in selected if r is not None), total)
    for number, (indicator, rows) in enumerate(zip(indicators, selected, strict=True)):
        if rows is not None and len(rows["value"]):
            if view.form in SINGLE_PERIOD_FORMS:
                rows = take(rows, latest_positions(rows))
            elif view.form == "slope":
                latest = latest_positions(rows)
                latest = latest[rows["series_length"][latest] >= 2]
                both = np.concatenate([rows["series_start"][latest], latest])
                rows = take(rows, both[np.lexsort((rows["rank"][both], rows["pilot"][both]))])
            shown, reason = transform(rows, view.mode, per_pilot)
            if view.form == "slope":
                keep = reason == 0
                rows, shown, reason = take(rows, keep), shown[keep], reason[keep]
            change = view.mode in CHANGE_MODES or view.form == "slope"
            verdict_text, verdict = assessments(
                indicator, view.mode, shown, rows["basis"], rows["baseline_basis"], words
            )
            part = {
                "pilot": rows["pilot"],
                "rank": rows["rank"],
                "group": rows["group"],
                "status": rows["status"],
                "source": rows["source"],
                "note": rows["note"],
                "value": shown,
                "raw_value": rows["value"],
                "baseline_rank": rows["baseline_rank"]
                if change or view.mode not in ("absolute", "per_participant")
                else np.full(len(shown), -1, dtype=np.int32),
                "baseline_value": rows["baseline_value"]
                if view.mode not in ("absolute", "per_participant")
                else np.full(len(shown), np.nan),
                "basis": rows["basis"],
                "baseline_basis": rows["baseline_basis"]
                if change
                else np.full(len(shown), -1, dtype=np.int32),
                "comparability_note": rows["comparability_note"],
                "baseline_comparability_note": rows["baseline_comparability_note"]
                if change
                else np.full(len(shown), -1, dtype=np.int32),
                "assessment": verdict_text,
                "verdict": verdict,
                "reason": reason,
                "indicator": np.full(len(shown), number, dtype=np.int32),
            }
            parts.append(part)
            have = np.unique(rows["pilot"])
        else:
            have = np.zeros(0, dtype=np.int32)
        missing = np.setdiff1d(chosen, have)
        if len(missing):
            why = R_NO_GROUP if view.group else R_NO_SLOPE if view.form == "slope" else R_NO_VALUE
            m = len(missing)
            minus = np.full(m, -1, dtype=np.int32)
            parts.append(
                {
                    "pilot": missing.astype(np.int32),
                    "rank": minus,
                    "group": minus,
                    "status": minus,
                    "source": minus,
                    "note": minus,
                    "value": np.full(m, np.nan),
                    "raw_value": np.full(m, np.nan),
                    "baseline_rank": minus,
                    "baseline_value": np.full(m, np.nan),
                    "basis": minus,
                    "baseline_basis": minus,
                    "comparability_note": minus,
                    "baseline_comparability_note": minus,
                    "assessment": np.full(m, "", dtype=object),
                    "verdict": np.zeros(m, dtype=np.int8),
                    "reason": np.full(m, why, dtype=np.int8),
                    "indicator": np.full(m, number, dtype=np.int32),
                }
            )
    if parts:
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    else:
        codes = ("pilot", "rank", "group", "status", "source", "note", "basis", "baseline_basis")
        codes += ("comparability_note", "baseline_comparability_note")
        cols = {k: np.zeros(0, dtype=np.int32) for k in codes}
        cols.update(
            value=np.zeros(0),
            raw_value=np.zeros(0),
            baseline_rank=np.zeros(0, dtype=np.int32),
            baseline_value=np.zeros(0),
            assessment=np.zeros(0, dtype=object),
            verdict=np.zeros(0, dtype=np.int8),
            reason=np.zeros(0, dtype=np.int8),
            indicator=np.zeros(0, dtype=np.int32),
        )

    # Pilots best first on their latest value of the first indicator; pilots without one last.
    first = (cols["indicator"] == 0) & np.isfinite(cols["value"])
    order_rows = take({k: cols[k] for k in ("pilot", "rank", "value")}, np.flatnonzero(first))
    latest = latest_positions(order_rows)
    ranked_codes = order_rows["pilot"][latest][
        better_first(order_rows["value"][latest], indicators[0].direction if indicators else "neutral")
    ]
    rest = np.setdiff1d(chosen, ranked_codes)
    names = list(index.pilot_names.values())
    rest = np.array(sorted(rest.tolist(), key=lambda c: names[c]), dtype=np.int32)
    pilot_order = np.concatenate([ranked_codes, rest]).astype(np.int32)
    pilot_position = np.zeros(n_pilots, dtype=np.int32)
    pilot_position[pilot_order] = np.arange(len(pilot_order))
    order = np.lexsort((cols["rank"], pilot_position[cols["pilot"]], cols["indicator"]))
    cols = {k: v[order] for k, v in cols.items()}

    lookup = index.lookup
    flagged = not_comparable_reasons(index, indicators, cols, view.mode, per_basis, view.form)
    # Each plotted row of a flagged indicator says so, and why, in its own words (the CSV carries it).
    verdicts = np.array(
        [
            t("not directly comparable: {reasons}", reasons=" ".join(flagged[i])) if i in flagged else ""
            for i in range(len(indicators))
        ]
        + [""],
        dtype=object,
    )
    comparability = np.where(cols["reason"] == 0, verdicts[cols["indicator"]], "")
    basis_ids = lookup["basis"]
    ind_ids = np.array([i.indicator_id for i in indicators] + [""], dtype=object)
    ind_labels = np.array([i.label for i in indicators] + [""], dtype=object)
    units = {i.indicator_id: value_unit(i, view.mode) for i in indicators}
    unit_arr = np.array([units[i.indicator_id] for i in indicators] + [""], dtype=object)
    raw_units = np.array([i.unit for i in indicators] + [""], dtype=object)
    arrays = {
        "pilot": lookup["label"][cols["pilot"]],
        "indicator": ind_labels[cols["indicator"]],
        "period": lookup["period"][cols["rank"]],
        "group": lookup["group"][cols["group"]],
        "value": cols["value"],
        "unit": unit_arr[cols["indicator"]],
        "raw_value": cols["raw_value"],
        "raw_unit": raw_units[cols["indicator"]],
        "baseline_period": lookup["period"][cols["baseline_rank"]],
        "baseline_value": cols["baseline_value"],
        "assessment": cols["assessment"],
        "comparability": comparability,
        "basis": basis_ids[cols["basis"]],
        "baseline_basis": basis_ids[cols["baseline_basis"]],
        "comparability_note": lookup["comparability_note"][cols["comparability_note"]],
        "status": lookup["status"][cols["status"]],
        "source": lookup["source"][cols["source"]],
        "note": lookup["note"][cols["note"]],
        "no_data": reason_texts()[cols["reason"]],
        "pilot_id": lookup["pilot"][cols["pilot"]],
        "indicator_id": ind_ids[cols["indicator"]],
        "period_order": cols["rank"],
    }
    return Comparison(
        view=view,
        table=pd.DataFrame(arrays, copy=False),
        indicators=indicators,
        pilot_order=tuple(lookup["pilot"][pilot_order]),
        pilot_names=index.pilot_names,
        pilot_labels=index.pilot_labels,
        value_units=units,
        reasons=tuple(r for i in sorted(flagged) for r in flagged[i]),
        flagged={indicators[i].indicator_id: tuple(flagged[i]) for i in sorted(flagged)},
        thinned=thinned,
        capped=capped,
        arrays={
            **arrays,
            "_indicator": cols["indicator"],
            "_status": cols["status"],
            "_verdict": cols["verdict"],
            "_pilot": cols["pilot"],
        },
    )
