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
    """Trimmed text as an object array, "" for missing values (for the small tables: pilots, indicators)."""
    if series is None:
        return np.full(length, "", dtype=object)
    return series.astype("string").fillna("").str.strip().to_numpy(dtype=object)


def _coded(series: pd.Series | None, length: int) -> tuple[np.ndarray, list[str]]:
    """Codes of the column's trimmed text ("" for missing values) and the texts the codes stand for, in
    order of first appearance. The column is factorised as it is and only its distinct values are
    trimmed: at 1,000,000 rows no column is ever turned into a million Python strings (that cost the
    index build ~400 MB at its peak, most of it kept by the heap after)."""
    if series is None:
        return np.zeros(length, dtype=np.intp), [""] if length else []
    raw, uniques = pd.factorize(series, use_na_sentinel=False)
    texts: dict[str, int] = {}
    remap = np.array(
        [texts.setdefault("" if pd.isna(u) else str(u).strip(), len(texts)) for u in uniques], dtype=np.intp
    )
    return remap[raw] if len(remap) else raw.astype(np.intp), list(texts)


def _codes(
    coded: tuple[np.ndarray, list[str]], categories: list[str] | None = None, other: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes into `categories` (default: the texts as they come) and the lookup array
    (categories plus a trailing ""); a text not among the categories reads as `other`."""
    codes, texts = coded
    if categories is None:
        categories = texts
    else:
        position = {c: i for i, c in enumerate(categories)}
        fallback = position[other] if other is not None else None
        remap = np.array(
            [position[v] if fallback is None else position.get(v, fallback) for v in texts], dtype=np.intp
        )
        codes = remap[codes]
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
    pilot_coded = _coded(outcomes["pilot_id"], n)
    pilot_names: dict[str, str] = {}
    if pilots is not None and len(pilots):
        m = len(pilots)
        names = _text(pilots["name"], m) if "name" in pilots else _text(pilots["pilot_id"], m)
        for pid, name in zip(_text(pilots["pilot_id"], m), names, strict=True):
            pilot_names[pid] = name or pid
    for pid in pilot_coded[1]:
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
    indicator_codes, indicator_uniques = _coded(outcomes["indicator_id"], n)
    for iid in indicator_uniques:
        info.setdefault(iid, Indicator(iid, iid, "", "neutral", ""))

    def column(name: str) -> tuple[np.ndarray, list[str]]:
        return _coded(outcomes[name] if name in outcomes else None, n)

    period_coded = column("period")
    periods = tuple(sorted(period_coded[1], key=period_key))
    period_rank = {p: i for i, p in enumerate(periods)}
    rank, period_lookup = _codes(period_coded, list(periods))
    group_coded = column("group")
    groups = sorted(g for g in group_coded[1] if g)
    group, group_lookup = _codes(group_coded, ["", *groups])
    status, status_lookup = _codes(column("status"), list(STATUSES), other="published")
    source, source_lookup = _codes(column("source"))
    note, note_lookup = _codes(column("note"))
    # The loader has checked `basis` against the contract; anything else here reads as "not stated".
    basis, basis_lookup = _codes(column("basis"), list(BASES), other="")
    comparability_note, comparability_lookup = _codes(column("comparability_note"))
    pilot, pilot_lookup = _codes(pilot_coded, list(pilot_names))
    value = pd.to_numeric(outcomes["value"], errors="coerce").to_numpy(dtype=float)

    keep = np.isfinite(value)
    order = np.lexsort((rank, group, pilot, indicator_codes))
    order = order[keep[order]]
    sorted_codes = indicator_codes[order]
    bounds = np.flatnonzero(np.diff(sorted_codes)) + 1
    blocks = {}
    for part in np.split(order, bounds):
        if len(part):
            blocks[indicator_uniques[indicator_codes[part[0]]]] = {
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
