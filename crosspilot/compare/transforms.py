"""View-independent steps on an indicator's block of rows: select, find baselines and latest values,
transform to a mode, assess better or worse, thin long series. Pure numpy, each on a dict of equal-length
arrays (the index's blocks and what is taken from them)."""

from __future__ import annotations

import numpy as np

from crosspilot.compare.index import Indicator
from crosspilot.i18n import t

# Why a row has no value to plot (0: it has one); the texts are `reason_texts()[code]`.
R_NO_PARTICIPANTS, R_ZERO_BASELINE, R_ONE_PERIOD, R_NO_VALUE, R_NO_SLOPE, R_NO_GROUP = 1, 2, 3, 4, 5, 6


def select_rows(block, pilot_ok, lo: int, hi: int, group: int | None) -> dict[str, np.ndarray]:
    """The rows of `block` for the chosen pilots (None: all), period ranks lo..hi and group code."""
    mask = pilot_ok[block["pilot"]] if pilot_ok is not None else np.ones(len(block["value"]), bool)
    if lo > 0 or hi < np.iinfo(np.int32).max:
        mask &= (block["rank"] >= lo) & (block["rank"] <= hi)
    if group is not None:
        mask &= block["group"] == group
    if mask.all():
        return dict(block)
    return {k: v[mask] for k, v in block.items()}


def with_baselines(rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each row's series (pilot and group) start position, baseline value and period, and length."""
    pilot, group = rows["pilot"], rows["group"]
    n = len(pilot)
    starts = np.ones(n, dtype=bool)
    if n:
        starts[1:] = (pilot[1:] != pilot[:-1]) | (group[1:] != group[:-1])
    series = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    lengths = np.diff(np.append(first, n))
    start = first[series]
    return {
        **rows,
        "series_start": start,
        "baseline_value": rows["value"][start],
        "baseline_rank": rows["rank"][start],
        "baseline_basis": rows["basis"][start],
        "baseline_comparability_note": rows["comparability_note"][start],
        "series_length": lengths[series],
    }


def latest_positions(rows: dict[str, np.ndarray]) -> np.ndarray:
    """Positions of each pilot's latest row (across groups; on a tie, the group listed last)."""
    if not len(rows["pilot"]):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((rows["rank"], rows["pilot"]))
    pilot = rows["pilot"][order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = pilot[:-1] != pilot[1:]
    return order[last]


def take(rows: dict[str, np.ndarray], positions: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[positions] for k, v in rows.items()}


def transform(rows, mode: str, per_pilot: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Shown values for `mode`, and a "no data" reason code (0 none) for rows that cannot have one."""
    value = rows["value"]
    reason = np.zeros(len(value), dtype=np.int8)
    if mode == "absolute":
        return value, reason
    if mode == "per_participant":
        per = per_pilot[rows["pilot"]]
        ok = per > 0
        reason[~ok] = R_NO_PARTICIPANTS
        return np.where(ok, value / np.where(ok, per, 1.0), np.nan), reason
    base = rows["baseline_value"]
    single = rows["series_length"] < 2
    with np.errstate(divide="ignore", invalid="ignore"):
        if mode == "change":
            shown = value - base
        elif mode == "change_pct":
            shown = (value / base - 1.0) * 100.0
        else:
            shown = value / base * 100.0
    if mode != "change":
        reason[(base == 0) & ~single] = R_ZERO_BASELINE
    reason[single] = R_ONE_PERIOD
    return np.where(reason == 0, shown, np.nan), reason


def reason_texts() -> np.ndarray:
    return np.array(
        [
            "",
            t("no participants figure for this pilot"),
            t("the baseline is zero"),
            t("only one period: no change to show"),
            t("no value in the selected periods"),
            t("no value, or only one period: no slope to draw"),
            t("no value for this group in the selected periods"),
        ],
        dtype=object,
    )


CHANGE_MODES = frozenset({"change", "change_pct", "indexed"})
# Verdict codes of `assessments`: what the figures colour by (the text says the same in words).
V_NONE, V_BETTER, V_WORSE, V_NO_CHANGE, V_DIFFERENT_BASES = 0, 1, 2, 3, 4


def assessments(
    indicator: Indicator,
    mode: str,
    shown: np.ndarray,
    basis: np.ndarray | None = None,
    baseline_basis: np.ndarray | None = None,
    basis_words: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each shown value's verdict against its baseline, as text and as a V_* code.

    Better or worse only in the change modes and for an indicator with a direction; never for a value
    counted on another basis than its baseline (`basis`, `baseline_basis`: codes into `basis_words`),
    which says why instead."""
    text = np.full(len(shown), "", dtype=object)
    code = np.full(len(shown), V_NONE, dtype=np.int8)
    if mode not in CHANGE_MODES:
        return text, code
    if indicator.direction != "neutral":
        centre = 100.0 if mode == "indexed" else 0.0
        gain = (shown - centre) * (1.0 if indicator.direction == "higher_is_better" else -1.0)
        for mask, verdict, word in (
            (gain > 0, V_BETTER, t("better")),
            (gain < 0, V_WORSE, t("worse")),
            (gain == 0, V_NO_CHANGE, t("no change")),
        ):
            text[mask], code[mask] = word, verdict
    if basis is not None and baseline_basis is not None and basis_words is not None:
        differs = (basis != baseline_basis) & np.isfinite(shown)
        for position in np.flatnonzero(differs):
            text[position] = t(
                "no verdict: different bases (baseline: {baseline}; this value: {basis})",
                baseline=basis_words[baseline_basis[position]],
                basis=basis_words[basis[position]],
            )
        code[differs] = V_DIFFERENT_BASES
    return text, code


def better_first(values: np.ndarray, direction: str) -> np.ndarray:
    """Positions that sort `values` best first (lowest first when lower is better); NaN last."""
    key = values if direction == "lower_is_better" else -values
    return np.argsort(np.where(np.isfinite(key), key, np.inf), kind="stable")


def evenly(rows: dict[str, np.ndarray], keep: int) -> np.ndarray:
    """Positions of at most `keep` evenly spaced rows of each series, its first and last included."""
    position = np.arange(len(rows["value"])) - rows["series_start"]
    span = rows["series_length"] - 1
    if keep < 2:
        return np.flatnonzero(position == 0)
    step = np.where(span > 0, (keep - 1) / np.maximum(span, 1), 1.0)
    slot = np.rint(position * np.minimum(step, 1.0))
    back = np.rint(slot / np.minimum(step, 1.0))
    return np.flatnonzero((back == position) | (span < keep))
