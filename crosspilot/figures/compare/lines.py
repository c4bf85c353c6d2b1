"""Lines over time and the slope chart (baseline to latest): one row of panels per indicator."""

from __future__ import annotations

import numpy as np

from crosspilot.compare import Comparison
from crosspilot.figures.compare import common
from crosspilot.figures.theme import LINE_COLOURS, STATUS_SYMBOLS
from crosspilot.formatting import Formatter
from crosspilot.i18n import t

# ---------------------------------------------------------------------------------------------
# Lines over time and the slope chart: one row of panels per indicator.


def lines(comparison: Comparison, projector: bool, fmt: Formatter) -> tuple[list, dict]:
    slope = comparison.view.form == "slope"
    labels = comparison.pilot_labels
    size = 16 if projector else 10
    font = 22 if projector else 14
    a = comparison.arrays
    indicators = comparison.indicators or ()
    domains = common.panel_domains(max(len(indicators), 1), 0.14)[::-1]  # first indicator on top
    # Lines need 3:1 against white on their own: no outline to lean on.
    colour_of = {p: LINE_COLOURS[i % len(LINE_COLOURS)] for i, p in enumerate(comparison.pilot_order)}
    ends = [t("Baseline"), t("Latest")]
    categories = ends if slope else common.periods_in_order(comparison)
    data: list = []
    layout: dict = {"annotations": []}
    shown_pilots = set()
    broken = False
    for number, (indicator, domain) in enumerate(zip(indicators, domains, strict=False), start=1):
        in_panel = a["_indicator"] == number - 1
        rows = common.rows_of(comparison, in_panel & (a["no_data"] == ""))
        hover = common.series_hover(rows, comparison, fmt)
        xs = common.period_positions(rows, comparison)
        xaxis, yaxis = common.axis_name("x", number), common.axis_name("y", number)
        runs = common.series_runs(rows, ("pilot_id", "group"))
        if not slope and len(runs) > MAX_LEGEND_SERIES:
            # Many series: one trace per colour, series separated by gaps; the hover names each pilot.
            pieces = [piece for positions in runs for piece in common.unbroken(rows, positions)]
            broken |= len(pieces) > len(runs)
            data.extend(_merged_lines(rows, pieces, colour_of, hover, xs, xaxis, yaxis, size, projector))
            runs = []
        for positions in runs:
            pilot, group = rows["pilot_id"][positions[0]], rows["group"][positions[0]]
            name = labels[pilot] + (f" · {group}" if group else "")
            colour = colour_of[pilot]
            pieces = common.unbroken(rows, positions)
            broken |= len(pieces) > 1
            for piece in pieces:
                # The slope's ends by place in the series, so a broken slope keeps its baseline left.
                x = [ends[i] for i in (piece - positions[0])] if slope else xs[piece]
                last = piece[-1] == positions[-1]
                data.append(
                    common.series_trace(
                        x,
                        rows["value"][piece],
                        common.symbols(rows["status"][piece]),
                        hover[piece],
                        colour,
                        size,
                        3 if projector else 2,
                        xaxis,
                        yaxis,
                        mode="lines+markers+text" if slope else "lines+markers",
                        text=([""] * (len(piece) - 1) + [name if last and len(positions) == 2 else ""])
                        if slope
                        else None,
                        textposition="middle right",
                        name=name,
                        legendgroup=str(pilot),
                        showlegend=not slope and pilot not in shown_pilots,
                        cliponaxis=not slope,  # the pilot's name beside the latest end stays whole
                    )
                )
                shown_pilots.add(pilot)
        axis = (
            dict(type="category", categoryorder="array", categoryarray=categories)
            if slope
            else common.period_axis(categories)
        )
        layout[f"xaxis{'' if number == 1 else number}"] = dict(
            anchor=yaxis,
            matches=None if number == 1 else "x",
            showticklabels=number == len(indicators),
            **axis,
        )
        y_axis = dict(
            domain=list(domain),
            anchor=xaxis,
            title=dict(text=comparison.value_units.get(indicator.indicator_id)),
        )
        if (span := common.value_range(rows["value"])) is not None:
            y_axis["range"] = span
        layout[f"yaxis{'' if number == 1 else number}"] = y_axis
        if not len(rows["value"]):
            data.append(common.empty_trace(xaxis, yaxis))
            layout["annotations"].append(common.no_data_note(xaxis, yaxis, font))
        missing = list(dict.fromkeys(a["pilot"][in_panel & (a["no_data"] != "")]))
        # On a projector the names would run off the chart's edge: the count here, the names in the
        # summary and the table below the chart.
        no_data = t("no data for {n} pilots", n=len(missing)) if projector else common.no_data_list(missing)
        title = indicator.label + (f" — {no_data}" if missing else "")
        layout["annotations"].append(common.panel_title(title, 0, domain[1], size=font - 2))
    if slope:
        layout["margin"] = dict(r=220 if projector else 170)  # room for the labels at the right-hand end
    data.extend(common.status_legend(a["status"][a["no_data"] == ""], size))
    data.extend(common.break_legend(broken, size))
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
        symbol = common.symbols(statuses[~gap])
        if isinstance(symbol, list):  # one per point, the gaps included
            symbol = [STATUS_SYMBOLS.get(s, "circle") for s in statuses]
        traces.append(
            common.series_trace(
                x,
                y,
                symbol,
                text,
                colour,
                size,
                3 if projector else 2,
                xaxis,
                yaxis,
                connectgaps=False,
                showlegend=False,
            )
        )
    return traces
