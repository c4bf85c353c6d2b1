"""Small multiples: one panel per pilot, one line per indicator."""

from __future__ import annotations

import numpy as np

from crosspilot.compare import Comparison
from crosspilot.figures.compare import common
from crosspilot.figures.theme import LINE_COLOURS
from crosspilot.formatting import Formatter

# ---------------------------------------------------------------------------------------------
# Small multiples: one panel per pilot, one line per indicator.


def multiples(comparison: Comparison, projector: bool, fmt: Formatter) -> tuple[list, dict]:
    labels = comparison.pilot_labels
    size = 14 if projector else 8
    font = 20 if projector else 13
    a = comparison.arrays
    pilots = list(comparison.pilot_order)
    columns = min(len(pilots), 3 if projector else 5) or 1
    rows_n = -(-len(pilots) // columns) or 1
    x_domains = common.panel_domains(columns, 0.04)
    y_domains = common.panel_domains(rows_n, 0.12 if rows_n < 4 else 0.06)[::-1]
    categories = common.periods_in_order(comparison)
    colour_of = {i: LINE_COLOURS[i % len(LINE_COLOURS)] for i in range(len(comparison.indicators))}
    single = len(comparison.indicators) == 1
    plotted = common.rows_of(comparison, a["no_data"] == "")
    # Rows are sorted by indicator then pilot: regroup the runs by pilot.
    runs: dict[str, list[np.ndarray]] = {}
    broken = False
    for positions in common.series_runs(plotted, ("_indicator", "pilot_id", "group")):
        pieces = common.unbroken(plotted, positions)
        broken |= len(pieces) > 1
        for piece in pieces:
            runs.setdefault(plotted["pilot_id"][positions[0]], []).append(piece)
    hover = common.series_hover(plotted, comparison, fmt)
    xs = common.period_positions(plotted, comparison)
    data: list = []
    layout: dict = {"annotations": []}
    shown = set()
    for number, pilot in enumerate(pilots, start=1):
        r, c = divmod(number - 1, columns)
        xaxis, yaxis = common.axis_name("x", number), common.axis_name("y", number)
        for positions in runs.get(pilot, []):
            first = positions[0]
            indicator = int(plotted["_indicator"][first])
            group = plotted["group"][first]
            colour = colour_of[indicator]
            data.append(
                common.series_trace(
                    xs[positions],
                    plotted["value"][positions],
                    common.symbols(plotted["status"][positions]),
                    hover[positions],
                    colour,
                    size,
                    2,
                    xaxis,
                    yaxis,
                    name=plotted["indicator"][first] + (f" · {group}" if group else ""),
                    legendgroup=str(indicator),
                    showlegend=not single and indicator not in shown,
                )
            )
            shown.add(indicator)
        if pilot not in runs:
            # Plotly draws no axes for a subplot without a trace, and "no data" placed on them lands
            # elsewhere: an empty trace keeps the panel, which then says so.
            data.append(common.empty_trace(xaxis, yaxis))
            layout["annotations"].append(common.no_data_note(xaxis, yaxis, font))
        layout[f"xaxis{'' if number == 1 else number}"] = dict(
            domain=list(x_domains[c]),
            anchor=yaxis,
            matches=None if number == 1 else "x",
            showticklabels=r == rows_n - 1,
            **common.period_axis(categories),
        )
        y_axis = dict(
            domain=list(y_domains[r]), anchor=xaxis, matches=None if number == 1 or not single else "y"
        )
        # One shared scale for one indicator, else each panel's own; a lone value starts from zero.
        values = plotted["value"] if single else plotted["value"][plotted["pilot_id"] == pilot]
        if (number == 1 or not single) and (span := common.value_range(values)) is not None:
            y_axis["range"] = span
        elif number == 1 or not single:
            # Said outright: plotly.js otherwise leaves a group of matched axes on its blank -1..4.
            y_axis["autorange"] = True
        layout[f"yaxis{'' if number == 1 else number}"] = y_axis
        layout["annotations"].append(
            common.panel_title(labels[pilot], x_domains[c][0], y_domains[r][1], size=font)
        )
    data.extend(common.status_legend(plotted["status"], size))
    data.extend(common.break_legend(broken, size))
    layout["height"] = height = max(480, (320 if projector else 230) * rows_n) + 60
    # Below the slanted period labels of the bottom panels (about 90 px), not over them.
    layout["legend_y"] = -(130 if projector else 100) / height
    return data, layout
