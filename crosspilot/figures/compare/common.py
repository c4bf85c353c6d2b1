"""Pieces every Compare chart form shares: encodings, hover texts, axes, legends and panels."""

from __future__ import annotations

import numpy as np

from crosspilot.compare import Comparison
from crosspilot.compare.transforms import CHANGE_MODES, V_BETTER, V_DIFFERENT_BASES, V_WORSE
from crosspilot.figures.theme import STATUS_ORDER, STATUS_SYMBOLS, mark, status_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.vocabulary import term

STATUS_GLYPHS = {"published": "●", "estimate": "◉", "illustrative": "○"}
BAR_PATTERNS = {"published": "", "estimate": "/", "illustrative": "."}
BETTER, WORSE, PLAIN, NO_CHANGE = "#0072B2", "#D55E00", "#0072B2", "#000000"
NO_VERDICT = "#6b6b6b"  # a change across bases: neither better nor worse (5.3:1 on white)
NO_DATA_COLOUR = "#595959"  # 7:1 on white
BADGE_COLOUR = "#8a4b00"  # dark amber text, 6.9:1 on its pale background


# ---------------------------------------------------------------------------------------------
# Shared pieces.


def rows_of(comparison: Comparison, mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The plotted table's columns (as arrays), restricted to `mask`."""
    arrays = comparison.arrays
    return dict(arrays) if mask is None else {k: v[mask] for k, v in arrays.items()}


_HOVER_COLUMNS = ("pilot_id", "indicator", "value", "unit", "raw_value", "raw_unit", "period", "group")
_HOVER_COLUMNS += ("status", "source", "note", "assessment", "baseline_period", "no_data", "basis")
_HOVER_COLUMNS += ("comparability_note",)


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
        basis,
        comparability_note,
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
        lines.append(labels.get(status, status) + (f" · {basis_label(basis)}" if basis else ""))
        if comparability_note:
            lines.extend(_wrap("⚠ " + comparability_note, 60, 3))
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
    text = text + _by_unique(rows["basis"], lambda b: f" · {basis_label(b)}" if b else "")
    text = text + _by_unique(
        rows["comparability_note"], lambda x: "<br>" + "<br>".join(_wrap("⚠ " + x, 60, 3)) if x else ""
    )
    text = text + _by_unique(
        rows["source"], lambda x: "<br>" + t("Source: {source}", source=_short(x, 70)) if x else ""
    )
    text = text + _by_unique(rows["note"], lambda x: "<br>" + "<br>".join(_wrap(x, 60, 3)) if x else "")
    return text if n else np.zeros(0, dtype=object)


def basis_label(basis: str) -> str:
    """What a value counts, in words ("basis not stated" when the data does not say)."""
    return term("basis", basis)


def value_range(values: np.ndarray) -> list[float] | None:
    """A y range for values that span nothing (one point, or all equal), else None (plotly's own).

    Plotly draws a lone 350 on 349–351, which reads as precision nobody measured: start from zero."""
    finite = values[np.isfinite(values)] if len(values) else values
    if not len(finite) or finite.min() != finite.max():
        return None
    value = float(finite[0])
    if value == 0:
        return [-1.0, 1.0]
    return [0.0, value * 1.15] if value > 0 else [value * 1.15, 0.0]


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
    if mode not in CHANGE_MODES:
        return PLAIN
    verdict = rows["_verdict"]
    return np.select(
        [verdict == V_BETTER, verdict == V_WORSE, verdict == V_DIFFERENT_BASES],
        [BETTER, WORSE, NO_VERDICT],
        NO_CHANGE,
    ).astype(object)


def status_legend(statuses: np.ndarray, size: int) -> list[dict]:
    present = set(np.unique(statuses).tolist())
    return [
        _legend_entry(status_label(s), mark(STATUS_SYMBOLS[s], size, "#000000"), legendgroup=f"status-{s}")
        for s in STATUS_ORDER
        if s in present
    ]


def assessment_legend(comparison: Comparison, size: int) -> list[dict]:
    if comparison.view.mode not in CHANGE_MODES:
        return []
    present = set(np.unique(comparison.arrays["_verdict"]).tolist())
    return [
        _legend_entry(text, dict(symbol="square", size=size, color=colour))
        for verdict, text, colour in (
            (V_BETTER, t("{what} than the baseline", what=t("better").capitalize()), BETTER),
            (V_WORSE, t("{what} than the baseline", what=t("worse").capitalize()), WORSE),
            (V_DIFFERENT_BASES, t("No verdict: counted on another basis than the baseline"), NO_VERDICT),
        )
        if verdict in present
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


# A line joins values only while they are of one kind: a plan is never joined to a result, nor a single
# event to a cumulative total.
BREAK_KEYS = ("status", "basis")


def unbroken(rows: dict[str, np.ndarray], positions: np.ndarray) -> list[np.ndarray]:
    """`positions` (one series, in period order) cut wherever the status or the basis changes."""
    if len(positions) < 2:
        return [positions]
    change = np.zeros(len(positions), dtype=bool)
    for key in BREAK_KEYS:
        values = rows[key][positions]
        change[1:] |= values[1:] != values[:-1]
    return np.split(positions, np.flatnonzero(change))


def break_legend(broken: bool, size: int) -> list[dict]:
    """A legend line that explains why a series stops and starts again (only when one does)."""
    if not broken:
        return []
    return [
        _legend_entry(
            t("Gap in a line: the status or the basis changes there"),
            dict(symbol="line-ew-open", size=size + 6, color="#000000", line=dict(width=2)),
        )
    ]


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


def empty_trace(xaxis: str, yaxis: str) -> dict:
    """A trace with no point, so that plotly draws the (empty) panel of `xaxis` and `yaxis`."""
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        xaxis=xaxis,
        yaxis=yaxis,
        mode="markers",
        showlegend=False,
        hoverinfo="skip",
        name="",
    )


def no_data_note(xaxis: str, yaxis: str, size: int) -> dict:
    """ "no data" in the middle of an empty panel, so it is never a blank box."""
    return dict(
        text=t("no data"),
        xref=f"{xaxis} domain",
        yref=f"{yaxis} domain",
        x=0.5,
        y=0.5,
        showarrow=False,
        font=dict(color=NO_DATA_COLOUR, size=size),
    )


def no_data_list(labels: list[str], limit: int = 8) -> str:
    shown = ", ".join(labels[:limit])
    more = len(labels) - limit
    return t("No data: {pilots}", pilots=shown) + (t(" and {n} more", n=more) if more > 0 else "")
