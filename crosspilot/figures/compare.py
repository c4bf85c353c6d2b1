"""Comparative indicator charts across pilots, with provenance on every mark.

Public API (pure: no I/O, no dash, inputs never mutated; the Lessons page uses these for a
lesson's evidence panel):

    compare_figure(source, indicator_ids, pilot_ids=None, mode="absolute", form="dots",
                   theme="standard", periods=("", ""), group="") -> go.Figure
        One call from data to chart. `source` is a Snapshot (its index is cached by version),
        a CompareIndex, or an outcomes DataFrame (data-contract columns; indexed on the fly).
        mode: absolute | change | change_pct | indexed | per_participant
        form: dots | bars | lines | slope | multiples | heatmap
    compare_table(source, indicator_ids, ...same options...) -> pd.DataFrame
        Exactly the plotted data (crosspilot.compare.TABLE_COLUMNS), "no data" rows included.
    comparison_for(source, indicator_ids, ...same options...) -> crosspilot.compare.Comparison
    figure_for(comparison, theme="standard") -> go.Figure
        The chart of a Comparison already computed (the page computes once, draws and tabulates).
    comparability_badge(comparison) -> str
        "" when comparable, else the badge text; `comparison.reasons` holds the reasons.

Encoding: provenance by marker shape and fill (published filled, estimate dotted ring,
illustrative hollow; bars solid, hatched, dotted) with a legend; hover gives value, period,
group, status, source and note; pilots without a value are written "no data" on the chart;
in change modes colour says better / worse by the indicator's direction, and the hover says it
in words too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crosspilot.compare import (
    CompareIndex,
    Comparison,
    View,
    build_index,
    compare,
    default_indicators,
    format_number,
    mode_label,
)
from crosspilot.figures.theme import LINE_COLOURS, STATUS_SYMBOLS, status_label, template
from crosspilot.i18n import t

STATUS_ORDER = ("published", "estimate", "illustrative")
STATUS_GLYPHS = {"published": "●", "estimate": "◉", "illustrative": "○"}
BAR_PATTERNS = {"published": "", "estimate": "/", "illustrative": "."}
BETTER, WORSE, PLAIN, NO_CHANGE = "#0072B2", "#D55E00", "#0072B2", "#000000"
NO_DATA_COLOUR = "#595959"  # 7:1 on white
BADGE_COLOUR = "#8a4b00"  # dark amber text, 6.9:1 on its pale background


# ---------------------------------------------------------------------------------------------
# From data to a Comparison.


def _index_of(source) -> CompareIndex:
    if isinstance(source, CompareIndex):
        return source
    if isinstance(source, pd.DataFrame):
        return build_index(source)
    # A Snapshot: callers that draw more than once pass the app's cached index instead.
    return build_index(source.outcomes, source.indicators, source.pilots, source.version)


def comparison_for(
    source,
    indicator_ids: Sequence[str] | None = None,
    pilot_ids: Sequence[str] | None = None,
    mode: str = "absolute",
    form: str = "dots",
    theme: str = "standard",
    periods: tuple[str, str] = ("", ""),
    group: str = "",
) -> Comparison:
    index = _index_of(source)
    view = View(
        indicators=tuple(indicator_ids or default_indicators(index)),
        pilots=tuple(pilot_ids or ()),
        periods=tuple(periods),
        group=group,
        mode=mode,
        form=form,
    )
    return compare(index, view)


def compare_table(source, indicator_ids=None, pilot_ids=None, **options) -> pd.DataFrame:
    options.pop("theme", None)
    return comparison_for(source, indicator_ids, pilot_ids, **options).table


def compare_figure(source, indicator_ids=None, pilot_ids=None, **options) -> go.Figure:
    theme = options.pop("theme", "standard")
    return figure_for(comparison_for(source, indicator_ids, pilot_ids, **options), theme)


def comparability_badge(comparison: Comparison) -> str:
    return "" if comparison.comparable else t("⚠ Not directly comparable")


def figure_for(comparison: Comparison, theme: str = "standard") -> go.Figure:
    builders = {
        "dots": _ranked,
        "bars": _ranked,
        "lines": _lines,
        "slope": _lines,
        "multiples": _multiples,
        "heatmap": _heatmap,
    }
    projector = theme == "projector"
    data, layout = builders[comparison.view.form](comparison, projector)
    title = ", ".join(i.label for i in comparison.indicators) or t("No indicator chosen")
    annotations = list(layout.pop("annotations", []))
    badge = comparability_badge(comparison)
    if badge:
        annotations.append(
            dict(
                text=badge,
                xref="paper",
                yref="paper",
                x=0,
                y=1,
                yanchor="bottom",
                xanchor="left",
                yshift=8,
                showarrow=False,
                font=dict(color=BADGE_COLOUR, size=22 if projector else 14),
                bgcolor="#fff4e0",
                bordercolor=BADGE_COLOUR,
                borderwidth=2,
                borderpad=4,
            )
        )
    layout.update(
        template=template(theme),
        title=dict(text=f"{title} · {mode_label(comparison.view.mode)}", x=0, xanchor="left"),
        annotations=annotations,
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.08 if comparison.view.form != "heatmap" else -0.02),
        meta={"comparable": comparison.comparable, "form": comparison.view.form},
    )
    if badge:
        margin = dict(layout.get("margin") or {})
        margin["t"] = 120 if projector else 90
        layout["margin"] = margin
    # The builders write only properties the tests check against plotly's schema (every form is
    # re-validated there), so per-property validation is skipped here: it cost 5× the rest.
    figure = go.Figure(data=data, layout=layout, _validate=False)
    return figure


# ---------------------------------------------------------------------------------------------
# Shared pieces.


def _rows(comparison: Comparison, mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The plotted table's columns (as arrays), restricted to `mask`."""
    arrays = comparison.arrays
    return dict(arrays) if mask is None else {k: v[mask] for k, v in arrays.items()}


_HOVER_COLUMNS = ("pilot_id", "indicator", "value", "unit", "raw_value", "raw_unit", "period", "group")
_HOVER_COLUMNS += ("status", "source", "note", "assessment", "baseline_period", "no_data")


def _hover(rows: dict[str, np.ndarray], names) -> list[str]:
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
        lines = [head, f"{indicator}: {format_number(value)} {unit}"]
        if unit != raw_unit or value != raw:
            lines.append(t("Reported: {v} {u}", v=format_number(raw), u=raw_unit))
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


def _series_hover(rows: dict[str, np.ndarray], comparison: Comparison) -> np.ndarray:
    """Hover text of many points, joined column-wise by numpy (distinct values formatted once)."""
    names = comparison.pilot_names
    n = len(rows["value"])
    text = (
        "<b>"
        + _by_unique(rows["pilot_id"], lambda p: names.get(p, p))
        + "</b><br>"
        + rows["indicator"]
        + ": "
        + np.array([format_number(v) for v in rows["value"]], dtype=object)
        + " "
        + rows["unit"]
    )
    if comparison.view.mode != "absolute":
        reported = np.array(
            [
                t("Reported: {v} {u}", v=format_number(v), u=u)
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


def _period_axis(categories: list[str]) -> dict:
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


def _period_positions(rows: dict[str, np.ndarray], comparison: Comparison) -> np.ndarray:
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


def _colours(rows: dict[str, np.ndarray], mode: str) -> np.ndarray | str:
    if mode not in ("change", "change_pct", "indexed"):
        return PLAIN
    assessment = rows["assessment"]
    return np.where(assessment == t("better"), BETTER, np.where(assessment == t("worse"), WORSE, NO_CHANGE))


def _status_legend(statuses: np.ndarray, size: int) -> list[dict]:
    present = set(np.unique(statuses).tolist())
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="markers",
            name=status_label(s),
            legendgroup=f"status-{s}",
            marker=dict(
                symbol=STATUS_SYMBOLS[s], size=size, color="#000000", line=dict(width=2, color="#000000")
            ),
            hoverinfo="skip",
        )
        for s in STATUS_ORDER
        if s in present
    ]


def _assessment_legend(comparison: Comparison, size: int) -> list[dict]:
    if comparison.view.mode not in ("change", "change_pct", "indexed"):
        return []
    present = set(np.unique(comparison.arrays["assessment"]).tolist())
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="markers",
            name=t("{what} than the baseline", what=text.capitalize()),
            marker=dict(symbol="square", size=size, color=colour),
            hoverinfo="skip",
        )
        for text, colour in ((t("better"), BETTER), (t("worse"), WORSE))
        if text in present
    ]


def _symbols(statuses: np.ndarray):
    """One symbol for a series of one status (the usual case), else one per point."""
    if len(statuses) and (statuses == statuses[0]).all():
        return STATUS_SYMBOLS.get(statuses[0], "circle")
    return [STATUS_SYMBOLS.get(s, "circle") for s in statuses]


def _periods_in_order(comparison: Comparison) -> list[str]:
    a = comparison.arrays
    plotted = a["no_data"] == ""
    ranks, first = np.unique(a["period_order"][plotted], return_index=True)
    return a["period"][plotted][first].tolist()


def _series(rows: dict[str, np.ndarray], keys: tuple[str, ...]) -> list[np.ndarray]:
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


def _domains(count: int, gap: float) -> list[tuple[float, float]]:
    width = (1 - gap * (count - 1)) / count
    return [(i * (width + gap), i * (width + gap) + width) for i in range(count)]


def _axis_name(letter: str, number: int) -> str:
    return letter if number == 1 else f"{letter}{number}"


def _panel_title(text: str, x: float, y: float, xanchor: str = "left", size: int = 14) -> dict:
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


def _no_data_list(labels: list[str], limit: int = 8) -> str:
    shown = ", ".join(labels[:limit])
    more = len(labels) - limit
    return t("No data: {pilots}", pilots=shown) + (t(" and {n} more", n=more) if more > 0 else "")


# ---------------------------------------------------------------------------------------------
# Ranked dots and bars: one value per pilot, best at the top, one column per indicator.


def _ranked(comparison: Comparison, projector: bool) -> tuple[list, dict]:
    bars = comparison.view.form == "bars"
    labels = comparison.pilot_labels
    order = [labels[p] for p in comparison.pilot_order]
    size = 18 if projector else 12
    font = 22 if projector else 14
    a = comparison.arrays
    indicators = comparison.indicators or ()
    domains = _domains(max(len(indicators), 1), 0.06)
    data: list = []
    layout: dict = {"annotations": []}
    shown_status = set()
    for number, (indicator, domain) in enumerate(zip(indicators, domains, strict=False), start=1):
        xaxis = _axis_name("x", number)
        in_panel = a["_indicator"] == number - 1
        for status in STATUS_ORDER:
            part = _rows(comparison, in_panel & (a["status"] == status) & (a["no_data"] == ""))
            if not len(part["value"]):
                continue
            colours = _colours(part, comparison.view.mode)
            common = dict(
                x=part["value"],
                y=part["pilot"],
                xaxis=xaxis,
                yaxis="y",
                name=status_label(status),
                legendgroup=f"status-{status}",
                hovertext=_hover(part, comparison.pilot_names),
                hoverinfo="text",
                customdata=part["pilot_id"],
            )
            if bars:
                pattern = dict(shape=BAR_PATTERNS[status], fgcolor=colours, bgcolor="#ffffff", solidity=0.35)
                if status != "published":
                    pattern["fillmode"] = "replace"
                data.append(
                    dict(
                        type="bar",
                        orientation="h",
                        marker=dict(color=colours, line=dict(width=2, color=colours), pattern=pattern),
                        showlegend=status not in shown_status,
                        **common,
                    )
                )
                shown_status.add(status)
            else:
                data.append(
                    dict(
                        type="scatter",
                        mode="markers",
                        marker=dict(
                            symbol=STATUS_SYMBOLS[status],
                            size=size,
                            color=colours,
                            line=dict(width=2, color=colours),
                        ),
                        showlegend=False,
                        **common,
                    )
                )
        missing = _rows(comparison, in_panel & (a["no_data"] != ""))
        if len(missing["value"]):
            data.append(
                dict(
                    type="scatter",
                    x=np.zeros(len(missing["value"])),
                    y=missing["pilot"],
                    xaxis=xaxis,
                    yaxis="y",
                    mode="text",
                    text=[t("no data")] * len(missing["value"]),
                    textposition="middle right",
                    textfont=dict(color=NO_DATA_COLOUR, size=font - 2),
                    hovertext=_hover(missing, comparison.pilot_names),
                    hoverinfo="text",
                    showlegend=False,
                    name=t("no data"),
                )
            )
        layout[f"xaxis{'' if number == 1 else number}"] = dict(
            domain=list(domain),
            anchor="y",
            zeroline=True,
            zerolinecolor="#8a8a8a",
            title=dict(text=comparison.value_units.get(indicator.indicator_id, "")),
            rangemode="tozero" if comparison.view.mode in ("absolute", "per_participant") else "normal",
        )
        if len(indicators) > 1:
            layout["annotations"].append(_panel_title(indicator.label, domain[0], 1.0, size=font))
    if not bars:
        data.extend(_status_legend(a["status"][a["no_data"] == ""], size))
    data.extend(_assessment_legend(comparison, size))
    row = 44 if projector else 30
    layout.update(
        yaxis=dict(categoryorder="array", categoryarray=order, autorange="reversed", automargin=True),
        barmode="overlay",
        height=max(360, 170 + row * len(order)),
    )
    return data, layout


# ---------------------------------------------------------------------------------------------
# Lines over time and the slope chart: one row of panels per indicator.


def _lines(comparison: Comparison, projector: bool) -> tuple[list, dict]:
    slope = comparison.view.form == "slope"
    labels = comparison.pilot_labels
    size = 16 if projector else 10
    font = 22 if projector else 14
    a = comparison.arrays
    indicators = comparison.indicators or ()
    domains = _domains(max(len(indicators), 1), 0.14)[::-1]  # first indicator on top
    # Lines need 3:1 against white on their own: no outline to lean on.
    colour_of = {p: LINE_COLOURS[i % len(LINE_COLOURS)] for i, p in enumerate(comparison.pilot_order)}
    ends = [t("Baseline"), t("Latest")]
    categories = ends if slope else _periods_in_order(comparison)
    data: list = []
    layout: dict = {"annotations": []}
    shown_pilots = set()
    for number, (indicator, domain) in enumerate(zip(indicators, domains, strict=False), start=1):
        in_panel = a["_indicator"] == number - 1
        rows = _rows(comparison, in_panel & (a["no_data"] == ""))
        hover = _series_hover(rows, comparison)
        xs = _period_positions(rows, comparison)
        xaxis, yaxis = _axis_name("x", number), _axis_name("y", number)
        runs = _series(rows, ("pilot_id", "group"))
        if not slope and len(runs) > MAX_LEGEND_SERIES:
            # Many series: one trace per colour, series separated by gaps; the hover names each pilot.
            data.extend(_merged_lines(rows, runs, colour_of, hover, xs, xaxis, yaxis, size, projector))
            runs = []
        for positions in runs:
            pilot, group = rows["pilot_id"][positions[0]], rows["group"][positions[0]]
            name = labels[pilot] + (f" · {group}" if group else "")
            colour = colour_of[pilot]
            data.append(
                dict(
                    type="scatter",
                    x=ends[: len(positions)] if slope else xs[positions],
                    y=rows["value"][positions],
                    xaxis=xaxis,
                    yaxis=yaxis,
                    mode="lines+markers+text" if slope else "lines+markers",
                    text=["", name] if slope and len(positions) == 2 else None,
                    textposition="middle right",
                    name=name,
                    legendgroup=str(pilot),
                    showlegend=not slope and pilot not in shown_pilots,
                    line=dict(color=colour, width=3 if projector else 2),
                    marker=dict(
                        symbol=_symbols(rows["status"][positions]),
                        size=size,
                        color=colour,
                        line=dict(width=2, color=colour),
                    ),
                    hovertext=hover[positions],
                    hoverinfo="text",
                )
            )
            shown_pilots.add(pilot)
        axis = (
            dict(type="category", categoryorder="array", categoryarray=categories)
            if slope
            else _period_axis(categories)
        )
        layout[f"xaxis{'' if number == 1 else number}"] = dict(
            anchor=yaxis,
            matches=None if number == 1 else "x",
            showticklabels=number == len(indicators),
            **axis,
        )
        layout[f"yaxis{'' if number == 1 else number}"] = dict(
            domain=list(domain),
            anchor=xaxis,
            title=dict(text=comparison.value_units.get(indicator.indicator_id)),
        )
        missing = list(dict.fromkeys(a["pilot"][in_panel & (a["no_data"] != "")]))
        # On a projector the names would run off the chart's edge: the count here, the names in the
        # summary and the table below the chart.
        no_data = t("no data for {n} pilots", n=len(missing)) if projector else _no_data_list(missing)
        title = indicator.label + (f" — {no_data}" if missing else "")
        layout["annotations"].append(_panel_title(title, 0, domain[1], size=font - 2))
    if slope:
        layout["margin"] = dict(r=220 if projector else 170)  # room for the labels at the right-hand end
    data.extend(_status_legend(a["status"][a["no_data"] == ""], size))
    layout["height"] = max(420, (340 if projector else 280) * max(len(indicators), 1))
    return data, layout


MAX_LEGEND_SERIES = 12


def _merged_lines(rows, runs, colour_of, hover, xs, xaxis, yaxis, size, projector) -> list[dict]:
    by_colour: dict[str, list[np.ndarray]] = {}
    for positions in runs:
        by_colour.setdefault(colour_of[rows["pilot_id"][positions[0]]], []).append(positions)
    traces = []
    for colour, groups in by_colour.items():
        order = np.concatenate([np.append(g, -1) for g in groups])  # -1: a gap between series
        gap = order < 0
        x = xs[order]
        x[gap] = np.nan
        y = rows["value"][order].astype(float)
        y[gap] = np.nan
        text = hover[order]
        text[gap] = ""
        statuses = rows["status"][order]
        traces.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                xaxis=xaxis,
                yaxis=yaxis,
                mode="lines+markers",
                connectgaps=False,
                showlegend=False,
                line=dict(color=colour, width=3 if projector else 2),
                marker=dict(
                    symbol=_symbols(statuses[~gap])
                    if not isinstance(_symbols(statuses[~gap]), list)
                    else [STATUS_SYMBOLS.get(s, "circle") for s in statuses],
                    size=size,
                    color=colour,
                    line=dict(width=2, color=colour),
                ),
                hovertext=text,
                hoverinfo="text",
            )
        )
    return traces


# ---------------------------------------------------------------------------------------------
# Small multiples: one panel per pilot, one line per indicator.


def _multiples(comparison: Comparison, projector: bool) -> tuple[list, dict]:
    labels = comparison.pilot_labels
    size = 14 if projector else 8
    font = 20 if projector else 13
    a = comparison.arrays
    pilots = list(comparison.pilot_order)
    columns = min(len(pilots), 3 if projector else 5) or 1
    rows_n = -(-len(pilots) // columns) or 1
    x_domains = _domains(columns, 0.04)
    y_domains = _domains(rows_n, 0.12 if rows_n < 4 else 0.06)[::-1]
    categories = _periods_in_order(comparison)
    colour_of = {i: LINE_COLOURS[i % len(LINE_COLOURS)] for i in range(len(comparison.indicators))}
    single = len(comparison.indicators) == 1
    plotted = _rows(comparison, a["no_data"] == "")
    # Rows are sorted by indicator then pilot: regroup the runs by pilot.
    runs: dict[str, list[np.ndarray]] = {}
    for positions in _series(plotted, ("_indicator", "pilot_id", "group")):
        runs.setdefault(plotted["pilot_id"][positions[0]], []).append(positions)
    hover = _series_hover(plotted, comparison)
    xs = _period_positions(plotted, comparison)
    data: list = []
    layout: dict = {"annotations": []}
    shown = set()
    for number, pilot in enumerate(pilots, start=1):
        r, c = divmod(number - 1, columns)
        xaxis, yaxis = _axis_name("x", number), _axis_name("y", number)
        for positions in runs.get(pilot, []):
            first = positions[0]
            indicator = int(plotted["_indicator"][first])
            group = plotted["group"][first]
            colour = colour_of[indicator]
            data.append(
                dict(
                    type="scatter",
                    x=xs[positions],
                    y=plotted["value"][positions],
                    xaxis=xaxis,
                    yaxis=yaxis,
                    mode="lines+markers",
                    name=plotted["indicator"][first] + (f" · {group}" if group else ""),
                    legendgroup=str(indicator),
                    showlegend=not single and indicator not in shown,
                    line=dict(color=colour, width=2),
                    marker=dict(
                        symbol=_symbols(plotted["status"][positions]),
                        size=size,
                        color=colour,
                        line=dict(width=2, color=colour),
                    ),
                    hovertext=hover[positions],
                    hoverinfo="text",
                )
            )
            shown.add(indicator)
        if pilot not in runs:
            layout["annotations"].append(
                dict(
                    text=t("no data"),
                    xref=f"{xaxis} domain",
                    yref=f"{yaxis} domain",
                    x=0.5,
                    y=0.5,
                    showarrow=False,
                    font=dict(color=NO_DATA_COLOUR, size=font),
                )
            )
        layout[f"xaxis{'' if number == 1 else number}"] = dict(
            domain=list(x_domains[c]),
            anchor=yaxis,
            matches=None if number == 1 else "x",
            showticklabels=r == rows_n - 1,
            **_period_axis(categories),
        )
        layout[f"yaxis{'' if number == 1 else number}"] = dict(
            domain=list(y_domains[r]), anchor=xaxis, matches=None if number == 1 or not single else "y"
        )
        layout["annotations"].append(_panel_title(labels[pilot], x_domains[c][0], y_domains[r][1], size=font))
    data.extend(_status_legend(plotted["status"], size))
    layout["height"] = max(420, (300 if projector else 200) * rows_n)
    return data, layout


# ---------------------------------------------------------------------------------------------
# Heatmap: pilots × indicators, each indicator scaled from its worst (0) to its best (1).


def scaled_scores(values: np.ndarray, direction: str) -> np.ndarray:
    """Values scaled within one indicator: 0 the worst (or lowest), 1 the best (or highest)."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.full(len(values), np.nan)
    low, high = values[finite].min(), values[finite].max()
    scores = np.where(finite, 0.5, np.nan) if high == low else (values - low) / (high - low)
    return 1 - scores if direction == "lower_is_better" else scores


def _heatmap(comparison: Comparison, projector: bool) -> tuple[list, dict]:
    labels = comparison.pilot_labels
    pilots = list(comparison.pilot_order)
    indicators = list(comparison.indicators)
    position = {p: i for i, p in enumerate(pilots)}
    z = np.full((len(pilots), len(indicators)), np.nan)
    text = [[t("no data")] * len(indicators) for _ in pilots]
    hover = [[""] * len(indicators) for _ in pilots]
    a = comparison.arrays
    for j, indicator in enumerate(indicators):
        rows = _rows(comparison, a["_indicator"] == j)
        scores = scaled_scores(rows["value"].astype(float), indicator.direction)
        for pilot, value, status, no_data, score, hovertext in zip(
            rows["pilot_id"],
            rows["value"],
            rows["status"],
            rows["no_data"],
            scores,
            _hover(rows, comparison.pilot_names),
            strict=True,
        ):
            i = position[pilot]
            hover[i][j] = hovertext
            if not no_data:
                z[i, j] = score
                text[i][j] = f"{format_number(value)} {STATUS_GLYPHS.get(status, '')}"
    x = [f"{ind.label}<br>({comparison.value_units.get(ind.indicator_id)})" for ind in indicators]
    y = [labels[p] for p in pilots]
    data: list = [
        dict(
            type="heatmap",
            z=z,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=20 if projector else 13),
            hovertext=hover,
            hoverinfo="text",
            colorscale=[[0, "#f2f7fb"], [1, "#0b4f7c"]],
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorbar=dict(
                title=dict(text=t("Scaled per indicator"), side="right"),
                tickvals=[0, 1],
                ticktext=[t("lowest / worst"), t("highest / best")],
            ),
        )
    ]
    # Empty cells are grey and say "no data" in words (their text comes from `text`).
    glyphs = "   ".join(f"{STATUS_GLYPHS[s]} {status_label(s)}" for s in STATUS_ORDER)
    layout = {
        "annotations": [
            dict(
                text=glyphs + "   · " + t("grey cells: no data"),
                xref="paper",
                yref="paper",
                x=1,
                y=1,
                yanchor="bottom",
                yshift=8,
                showarrow=False,
                xanchor="right",
            )
        ],
        "xaxis": dict(side="bottom", automargin=True, tickangle=0),
        "yaxis": dict(autorange="reversed", automargin=True),
        "plot_bgcolor": "#d9d9d9",
        "height": max(400, 220 + (44 if projector else 30) * len(pilots)),
        "showlegend": False,
    }
    return data, layout
