"""The per-snapshot index of outcomes: one block of code arrays per indicator, and the lookups of the codes.

Built once per snapshot (`build_index`, kept by the app's `Derived`): one frame per indicator, sorted by
pilot, group and period, with categorical codes, so a request only filters a few small frames and never
scans the full table. Period labels sort in time order by `period_key`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from crosspilot.compare.options import PARTICIPANTS
from crosspilot.contract import BASES as CONTRACT_BASES
from crosspilot.pilots import PilotLabels

# ---------------------------------------------------------------------------------------------
# Periods: dates, years, ranges and labels such as "baseline" or "first five years (cumulative)".

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_RANGE = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


def period_key(label: str) -> tuple[int, str, str]:
    """Sort key of a period label: baseline, undated, dates in order, end of project, other labels.

    A range ("2018-2019") sorts by its end year; an undated value sorts before every dated one,
    so "latest" prefers a dated figure; labelled totals ("… (cumulative)") come last.
    """
    text = str(label).strip().lower()
    if text == "baseline":
        return (0, "", text)
    if text == "undated":
        return (1, "", text)
    if match := _RANGE.match(text):
        return (2, f"{match[2]}-00-00", text)
    if match := _DATE.match(text):
        year, month, day = match.groups()
        return (2, f"{year}-{int(month or 0):02d}-{int(day or 0):02d}", text)
    if text.startswith("end of"):
        return (3, "", text)
    return (4, "", text)


# ---------------------------------------------------------------------------------------------
# The per-snapshot index: one block of numpy arrays per indicator, and lookups of the codes.

STATUSES = ("published", "estimate", "illustrative")
BASES = ("", *CONTRACT_BASES)  # code 0: the data does not say what the value counts


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    label: str
    unit: str
    direction: str  # higher_is_better | lower_is_better | neutral
    definition: str


@dataclass(frozen=True)
class CompareIndex:
    """Outcomes grouped by indicator once, as code arrays, and the lookups every request needs.

    Each block is a dict of equal-length arrays sorted by pilot, group and period: `pilot`,
    `group`, `rank` (period position), `status`, `source`, `note`, `basis`, `comparability_note`
    (codes) and `value`. The lookup arrays end with an extra "" so that code -1 (a "no data" row)
    reads as empty text; `basis` codes are positions in `BASES` (0: not stated).
    """

    version: str
    indicators: Mapping[str, Indicator]
    pilot_names: Mapping[str, str]  # in the dataset's order; codes are positions here
    pilot_labels: Mapping[str, str]  # short labels for axes: the place, else the country
    periods: tuple[str, ...]  # every period label, in time order; codes are positions here
    period_rank: Mapping[str, int]
    groups: tuple[str, ...]  # non-empty group labels
    blocks: Mapping[str, Mapping[str, np.ndarray]]
    lookup: Mapping[str, np.ndarray]  # pilot, period, group, status, source, note, basis, … -> text

    @property
    def pilot_ids(self) -> tuple[str, ...]:
        return tuple(self.pilot_names)

    @property
    def has_participants(self) -> bool:
        return PARTICIPANTS in self.blocks


def _text(series: pd.Series | None, length: int) -> np.ndarray:
    """Trimmed text as an object array, "" for missing values (vectorised: 1M rows in well under 1 s)."""
    if series is None:
        return np.full(length, "", dtype=object)
    return series.astype("string").fillna("").str.strip().to_numpy(dtype=object)


def _codes(values: np.ndarray, categories: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of `values` and the lookup array (categories plus a trailing "")."""
    if categories is None:
        codes, uniques = pd.factorize(values)
        categories = list(uniques)
    else:
        position = {c: i for i, c in enumerate(categories)}
        codes = np.array([position[v] for v in values], dtype=np.int64)
    return codes.astype(np.int32), np.array([*categories, ""], dtype=object)


def build_index(
    outcomes: pd.DataFrame,
    indicators: pd.DataFrame | None = None,
    pilots: pd.DataFrame | None = None,
    version: str = "",
    labels: PilotLabels | None = None,
) -> CompareIndex:
    """Index `outcomes` (columns of the data contract); indicators and pilots add labels.

    `labels` are the app's pilot labels (`Derived.pilots`), made from `pilots` when not given, so that
    a pilot is called the same on Compare as on every other page."""
    n = len(outcomes)
    pilot_ids = _text(outcomes["pilot_id"], n)
    pilot_names: dict[str, str] = {}
    if pilots is not None and len(pilots):
        m = len(pilots)
        names = _text(pilots["name"], m) if "name" in pilots else _text(pilots["pilot_id"], m)
        for pid, name in zip(_text(pilots["pilot_id"], m), names, strict=True):
            pilot_names[pid] = name or pid
    for pid in pd.unique(pilot_ids):
        pilot_names.setdefault(pid, pid)
    labels = labels if labels is not None else PilotLabels.of(pilots)
    pilot_labels = {p: labels.short.get(p, name) for p, name in pilot_names.items()}

    info: dict[str, Indicator] = {}
    if indicators is not None and len(indicators):
        m = len(indicators)
        cols = {c: _text(indicators[c], m) for c in indicators.columns}
        blank = _text(None, m)
        for i, iid in enumerate(cols["indicator_id"]):
            direction = cols.get("direction", blank)[i]
            info[iid] = Indicator(
                iid,
                cols.get("label", blank)[i] or iid,
                cols.get("unit", blank)[i],
                direction if direction in ("higher_is_better", "lower_is_better") else "neutral",
                cols.get("definition", blank)[i],
            )
    indicator_ids = _text(outcomes["indicator_id"], n)
    for iid in pd.unique(indicator_ids):
        info.setdefault(iid, Indicator(iid, iid, "", "neutral", ""))

    period_text = _text(outcomes["period"], n)
    uniques = pd.unique(period_text)
    periods = tuple(sorted(uniques, key=period_key))
    period_rank = {p: i for i, p in enumerate(periods)}
    rank, period_lookup = _codes(period_text, list(periods))
    group_text = _text(outcomes["group"] if "group" in outcomes else None, n)
    groups = sorted(g for g in pd.unique(group_text) if g)
    group, group_lookup = _codes(group_text, ["", *groups])
    status_text = _text(outcomes["status"] if "status" in outcomes else None, n)
    status_text[~np.isin(status_text, STATUSES)] = "published"
    status, status_lookup = _codes(status_text, list(STATUSES))
    source, source_lookup = _codes(_text(outcomes["source"] if "source" in outcomes else None, n))
    note, note_lookup = _codes(_text(outcomes["note"] if "note" in outcomes else None, n))
    # The loader has checked `basis` against the contract; anything else here reads as "not stated".
    basis_text = _text(outcomes["basis"] if "basis" in outcomes else None, n)
    basis_text[~np.isin(basis_text, BASES)] = ""
    basis, basis_lookup = _codes(basis_text, list(BASES))
    comparability = outcomes["comparability_note"] if "comparability_note" in outcomes else None
    comparability_note, comparability_lookup = _codes(_text(comparability, n))
    pilot, pilot_lookup = _codes(pilot_ids, list(pilot_names))
    value = pd.to_numeric(outcomes["value"], errors="coerce").to_numpy(dtype=float)

    keep = np.isfinite(value)
    indicator_codes, indicator_uniques = pd.factorize(indicator_ids)
    order = np.lexsort((rank, group, pilot, indicator_codes))
    order = order[keep[order]]
    sorted_codes = indicator_codes[order]
    bounds = np.flatnonzero(np.diff(sorted_codes)) + 1
    blocks = {}
    for part in np.split(order, bounds):
        if len(part):
            blocks[str(indicator_uniques[indicator_codes[part[0]]])] = {
                "pilot": pilot[part],
                "group": group[part],
                "rank": rank[part],
                "status": status[part],
                "source": source[part],
                "note": note[part],
                "basis": basis[part],
                "comparability_note": comparability_note[part],
                "value": value[part],
            }
    label_lookup = np.array([*(pilot_labels[p] for p in pilot_names), ""], dtype=object)
    return CompareIndex(
        version=version,
        indicators=info,
        pilot_names=pilot_names,
        pilot_labels=pilot_labels,
        periods=periods,
        period_rank=period_rank,
        groups=tuple(groups),
        blocks=blocks,
        lookup={
            "pilot": pilot_lookup,
            "label": label_lookup,
            "period": period_lookup,
            "group": group_lookup,
            "status": status_lookup,
            "source": source_lookup,
            "note": note_lookup,
            "basis": basis_lookup,
            "comparability_note": comparability_lookup,
        },
    )


def default_indicators(index: CompareIndex) -> tuple[str, ...]:
    """Participants where the dataset counts them, else its first indicator with values."""
    if index.has_participants:
        return (PARTICIPANTS,)
    return tuple(list(index.blocks)[:1]) or tuple(list(index.indicators)[:1])


def relabel(
    index: CompareIndex, indicators: pd.DataFrame | None, pilots: pd.DataFrame | None, labels: PilotLabels
) -> CompareIndex:
    """`index` with another language's words (the tables as a language reads them, crosspilot.
    translations): indicator labels, units and definitions, pilot names and labels. The blocks of
    values are the same arrays: a language costs its labels, never a second index of every row."""
    names = dict(index.pilot_names)
    if pilots is not None and len(pilots) and "name" in pilots:
        m = len(pilots)
        for pid, name in zip(_text(pilots["pilot_id"], m), _text(pilots["name"], m), strict=True):
            if pid in names and name:
                names[pid] = name
    pilot_labels = {p: labels.short.get(p, name) for p, name in names.items()}
    info = dict(index.indicators)
    if indicators is not None and len(indicators):
        m = len(indicators)
        cols = {
            c: _text(indicators[c], m)
            for c in ("indicator_id", "label", "unit", "definition")
            if c in indicators
        }
        for i, iid in enumerate(cols["indicator_id"]):
            if iid in info:
                old = info[iid]
                info[iid] = replace(
                    old,
                    label=cols["label"][i] if "label" in cols and cols["label"][i] else old.label,
                    unit=cols["unit"][i] if "unit" in cols else old.unit,
                    definition=cols["definition"][i] if "definition" in cols else old.definition,
                )
    label_lookup = np.array([*(pilot_labels[p] for p in names), ""], dtype=object)
    return replace(
        index,
        indicators=info,
        pilot_names=names,
        pilot_labels=pilot_labels,
        lookup={**index.lookup, "label": label_lookup},
    )
