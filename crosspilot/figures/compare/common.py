"""Pieces every Compare chart form shares: encodings, hover texts, axes, legends and panels."""

from __future__ import annotations

import numpy as np

from crosspilot.compare import Comparison
from crosspilot.figures.theme import STATUS_ORDER, STATUS_SYMBOLS, mark, status_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import t

STATUS_GLYPHS = {"published": "●", "estimate": "◉", "illustrative": "○"}
BAR_PATTERNS = {"published": "", "estimate": "/", "illustrative": "."}
BETTER, WORSE, PLAIN, NO_CHANGE = "#0072B2", "#D55E00", "#0072B2", "#000000"
NO_DATA_COLOUR = "#595959"  # 7:1 on white
BADGE_COLOUR = "#8a4b00"  # dark amber text, 6.9:1 on its pale background


# ---------------------------------------------------------------------------------------------
# Shared pieces.


def rows_of(comparison: Comparison, mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The plotted table's columns (as arrays), restricted to `mask`."""
    arrays = comparison.arrays
    return dict(arrays) if mask is None else {k: v[mask] for k, v in arrays.items()}


_HOVER_COLUMNS = ("pilot_id", "indicator", "value", "unit", "raw_value", "raw_unit", "period", "group")
_HOVER_COLUMNS += ("status", "source", "note", "assessment", "baseline_period", "no_data")


def hover_texts(rows: dict[str, np.ndarray], names, fmt: Formatter) -> list[str]:
    """Hover text of each row: value, baseline, assessment, period, status, source and note."""
    out = []
    labels = {s: status_label(s) for s in STATUS_ORDER}
    for (
        pilot,
        indicator,
        value,
        unit,
        raw,
        raw_unit,
        period,
        group,
        status,
        source,
        note,
        better,
        base,
        no_data,
    ) in zip(*(rows[c] for c in _HOVER_COLUMNS), strict=True):
        head = f"<b>{names.get(pilot, pilot)}</b>"
        if no_data:
            out.append(f"{head}<br>{indicator}: {t('no data')} ({no_data})")
            continue
        lines = [head, f"{indicator}: {fmt.number(value)} {unit}"]
        if unit != raw_unit or value != raw:
            lines.append(t("Reported: {v} {u}", v=fmt.number(raw), u=raw_unit))
        if base:
            lines.append(t("Baseline: {period}", period=base))
        if better:
            lines.append(better)
        lines.append(t("Period: {period}", period=period) + (f" · {group}" if group else ""))
        lines.append(labels.get(status, status))
        if source:
            lines.append(t("Source: {source}", source=_short(source, 70)))
        if note:
            lines.extend(_wrap(note, 60, 3))
        out.append("<br>".join(lines))
    return out


def _by_unique(values: np.ndarray, make) -> np.ndarray:
    """`make(value)` for each row, computed once per distinct value."""
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    return np.array([make(u) for u in uniques], dtype=object)[inverse]


def series_hover(rows: dict[str, np.ndarray], comparison: Comparison, fmt: Formatter) -> np.ndarray:
    """Hover text of many points, joined column-wise by numpy (distinct values formatted once)."""
    names = comparison.pilot_names
    n = len(rows["value"])
    text = (
        "<b>"
        + _by_unique(rows["pilot_id"], lambda p: names.get(p, p))
        + "</b><br>"
        + rows["indicator"]
        + ": "
        + np.array([fmt.number(v) for v in rows["value"]], dtype=object)
        + " "
        + rows["unit"]
    )
    if comparison.view.mode != "absolute":
        reported = np.array(
            [
                t("Reported: {v} {u}", v=fmt.number(v), u=u)
                for v, u in zip(rows["raw_value"], rows["raw_unit"], strict=True)
            ],
            dtype=object,
        )
        text = text + "<br>" + reported
        text = text + np.where(
            rows["baseline_period"] != "",
            "<br>" + t("Baseline: {period}", period="") + rows["baseline_period"],
            "",
        )
        text = text + np.where(rows["assessment"] != "", "<br>" + rows["assessment"], "")
    period = np.where(rows["group"] != "", rows["period"] + " · " + rows["group"], rows["period"])
    text = text + "<br>" + t("Period: {period}", period="") + period
    text = text + "<br>" + _by_unique(rows["status"], status_label)
    text = text + _by_unique(
        rows["source"], lambda x: "<br>" + t("Source: {source}", source=_short(x, 70)) if x else ""
    )
    text = text + _by_unique(rows["note"], lambda x: "<br>" + "<br>".join(_wrap(x, 60, 3)) if x else "")
    return text if n else np.zeros(0, dtype=object)


def period_axis(categories: list[str]) -> dict:
    """A period axis drawn on positions 0..n-1 (numbers copy fast), labelled with the periods."""
    step = max(1, -(-len(categories) // 12))
    ticks = list(range(0, len(categories), step))
    return dict(
        tickmode="array",
        tickvals=ticks,
        ticktext=[categories[i] for i in ticks],
        range=[-0.5, len(categories) - 0.5],
        type="linear",
        zeroline=False,
    )


def period_positions(rows: dict[str, np.ndarray], comparison: Comparison) -> np.ndarray:
    a = comparison.arrays
    ranks = np.unique(a["period_order"][a["no_data"] == ""])
    return np.searchsorted(ranks, rows["period_order"]).astype(float)


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return lines


def mark_colours(rows: dict[str, np.ndarray], mode: str) -> np.ndarray | str:
    if mode not in ("change", "change_pct", "indexed"):
        return PLAIN
    assessment = rows["assessment"]
    return np.where(assessment == t("better"), BETTER, np.where(assessment == t("worse"), WORSE, NO_CHANGE))


def status_legend(statuses: np.ndarray, size: int) -> list[dict]:
    present = set(np.unique(statuses).tolist())
    return [
        _legend_entry(status_label(s), mark(STATUS_SYMBOLS[s], size, "#000000"), legendgroup=f"status-{s}")
        for s in STATUS_ORDER
        if s in present
    ]


def assessment_legend(comparison: Comparison, size: int) -> list[dict]:
    if comparison.view.mode not in ("change", "change_pct", "indexed"):
        return []
    present = set(np.unique(comparison.arrays["assessment"]).tolist())
    return [
        _legend_entry(
            t("{what} than the baseline", what=text.capitalize()),
            dict(symbol="square", size=size, color=colour),
        )
        for text, colour in ((t("better"), BETTER), (t("worse"), WORSE))
        if text in present
    ]


def _legend_entry(name: str, marker: dict, **extra) -> dict:
    """A legend line with no point on the chart (x and y None): it explains an encoding."""
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        marker=marker,
        hoverinfo="skip",
        **extra,
    )


def series_trace(x, y, symbol, hover, colour, size: int, width: int, xaxis: str, yaxis: str, **extra) -> dict:
    """One series as a line with markers in one colour; `symbol` (from `symbols`) draws provenance."""
    return dict(
        type="scatter",
        x=x,
        y=y,
        xaxis=xaxis,
        yaxis=yaxis,
        mode=extra.pop("mode", "lines+markers"),
        line=dict(color=colour, width=width),
        marker=mark(symbol, size, colour),
        hovertext=hover,
        hoverinfo="text",
        **extra,
    )


def symbols(statuses: np.ndarray):
    """One symbol for a series of one status (the usual case), else one per point."""
    if len(statuses) and (statuses == statuses[0]).all():
        return STATUS_SYMBOLS.get(statuses[0], "circle")
    return [STATUS_SYMBOLS.get(s, "circle") for s in statuses]


def periods_in_order(comparison: Comparison) -> list[str]:
    a = comparison.arrays
    plotted = a["no_data"] == ""
    ranks, first = np.unique(a["period_order"][plotted], return_index=True)
    return a["period"][plotted][first].tolist()


def series_runs(rows: dict[str, np.ndarray], keys: tuple[str, ...]) -> list[np.ndarray]:
    """Positions of each run of equal `keys` (rows are sorted by indicator, pilot and period)."""
    n = len(rows["value"])
    if not n:
        return []
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        values = rows[key]
        change[1:] |= values[1:] != values[:-1]
    return np.split(np.arange(n), np.flatnonzero(change)[1:])


def panel_domains(count: int, gap: float) -> list[tuple[float, float]]:
    width = (1 - gap * (count - 1)) / count
    return [(i * (width + gap), i * (width + gap) + width) for i in range(count)]


def axis_name(letter: str, number: int) -> str:
    return letter if number == 1 else f"{letter}{number}"


def panel_title(text: str, x: float, y: float, xanchor: str = "left", size: int = 14) -> dict:
    return dict(
        text=f"<b>{text}</b>",
        xref="paper",
        yref="paper",
        x=x,
        y=y,
        xanchor=xanchor,
        yanchor="bottom",
        showarrow=False,
        font=dict(size=size),
    )


def no_data_list(labels: list[str], limit: int = 8) -> str:
    shown = ", ".join(labels[:limit])
    more = len(labels) - limit
    return t("No data: {pilots}", pilots=shown) + (t(" and {n} more", n=more) if more > 0 else "")
