"""Ranked dots and bars: one value per pilot, best at the top, one column per indicator."""

from __future__ import annotations

import numpy as np

from crosspilot.compare import Comparison
from crosspilot.figures.compare.common import (
    BAR_PATTERNS,
    NO_DATA_COLOUR,
    assessment_legend,
    axis_name,
    hover_texts,
    mark_colours,
    panel_domains,
    panel_title,
    rows_of,
    status_legend,
)
from crosspilot.figures.theme import STATUS_ORDER, STATUS_SYMBOLS, mark, status_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import t

# ---------------------------------------------------------------------------------------------
# Ranked dots and bars: one value per pilot, best at the top, one column per indicator.


def ranked(comparison: Comparison, projector: bool, fmt: Formatter) -> tuple[list, dict]:
    bars = comparison.view.form == "bars"
    labels = comparison.pilot_labels
    order = [labels[p] for p in comparison.pilot_order]
    size = 18 if projector else 12
    font = 22 if projector else 14
    a = comparison.arrays
    indicators = comparison.indicators or ()
    domains = panel_domains(max(len(indicators), 1), 0.06)
    data: list = []
    layout: dict = {"annotations": []}
    shown_status = set()
    for number, (indicator, domain) in enumerate(zip(indicators, domains, strict=False), start=1):
        xaxis = axis_name("x", number)
        in_panel = a["_indicator"] == number - 1
        for status in STATUS_ORDER:
            part = rows_of(comparison, in_panel & (a["status"] == status) & (a["no_data"] == ""))
            if not len(part["value"]):
                continue
            colours = mark_colours(part, comparison.view.mode)
            common = dict(
                x=part["value"],
                y=part["pilot"],
                xaxis=xaxis,
                yaxis="y",
                name=status_label(status),
                legendgroup=f"status-{status}",
                hovertext=hover_texts(part, comparison.pilot_names, fmt),
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
                        marker=mark(STATUS_SYMBOLS[status], size, colours),
                        showlegend=False,
                        **common,
                    )
                )
        missing = rows_of(comparison, in_panel & (a["no_data"] != ""))
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
                    hovertext=hover_texts(missing, comparison.pilot_names, fmt),
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
            layout["annotations"].append(panel_title(indicator.label, domain[0], 1.0, size=font))
    if not bars:
        data.extend(status_legend(a["status"][a["no_data"] == ""], size))
    data.extend(assessment_legend(comparison, size))
    row = 44 if projector else 30
    layout.update(
        yaxis=dict(categoryorder="array", categoryarray=order, autorange="reversed", automargin=True),
        barmode="overlay",
        height=max(360, 170 + row * len(order)),
    )
    return data, layout
