"""Small multiples: one panel per pilot, one line per indicator."""

from __future__ import annotations

import numpy as np

from crosspilot.compare import Comparison
from crosspilot.figures.compare import common
from crosspilot.figures.theme import LINE_COLOURS
from crosspilot.formatting import Formatter
from crosspilot.i18n import t

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
    for positions in common.series_runs(plotted, ("_indicator", "pilot_id", "group")):
        runs.setdefault(plotted["pilot_id"][positions[0]], []).append(positions)
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
            layout["annotations"].append(
                dict(
                    text=t("no data"),
                    xref=f"{xaxis} domain",
                    yref=f"{yaxis} domain",
                    x=0.5,
                    y=0.5,
                    showarrow=False,
                    font=dict(color=common.NO_DATA_COLOUR, size=font),
                )
            )
        layout[f"xaxis{'' if number == 1 else number}"] = dict(
            domain=list(x_domains[c]),
            anchor=yaxis,
            matches=None if number == 1 else "x",
            showticklabels=r == rows_n - 1,
            **common.period_axis(categories),
        )
        layout[f"yaxis{'' if number == 1 else number}"] = dict(
            domain=list(y_domains[r]), anchor=xaxis, matches=None if number == 1 or not single else "y"
        )
        layout["annotations"].append(
            common.panel_title(labels[pilot], x_domains[c][0], y_domains[r][1], size=font)
        )
    data.extend(common.status_legend(plotted["status"], size))
    layout["height"] = max(420, (300 if projector else 200) * rows_n)
    return data, layout
