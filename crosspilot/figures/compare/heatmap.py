"""Heatmap: pilots × indicators, each indicator scaled from its worst (0) to its best (1)."""

from __future__ import annotations

import numpy as np

from crosspilot.compare import Comparison
from crosspilot.figures.compare.common import STATUS_GLYPHS, STATUS_ORDER, hover_texts, rows_of
from crosspilot.figures.theme import status_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import t

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


def heatmap(comparison: Comparison, projector: bool, fmt: Formatter) -> tuple[list, dict]:
    labels = comparison.pilot_labels
    pilots = list(comparison.pilot_order)
    indicators = list(comparison.indicators)
    position = {p: i for i, p in enumerate(pilots)}
    z = np.full((len(pilots), len(indicators)), np.nan)
    text = [[t("no data")] * len(indicators) for _ in pilots]
    hover = [[""] * len(indicators) for _ in pilots]
    a = comparison.arrays
    for j, indicator in enumerate(indicators):
        rows = rows_of(comparison, a["_indicator"] == j)
        scores = scaled_scores(rows["value"].astype(float), indicator.direction)
        for pilot, value, status, no_data, score, hovertext in zip(
            rows["pilot_id"],
            rows["value"],
            rows["status"],
            rows["no_data"],
            scores,
            hover_texts(rows, comparison.pilot_names, fmt),
            strict=True,
        ):
            i = position[pilot]
            hover[i][j] = hovertext
            if not no_data:
                z[i, j] = score
                text[i][j] = f"{fmt.number(value)} {STATUS_GLYPHS.get(status, '')}"
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
