"""Every pilot's network metrics side by side: one small bar chart per metric."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crosspilot.figures.networks.encoding import metric_text
from crosspilot.figures.theme import SERIES_COLOURS, template
from crosspilot.formatting import Formatter


def metrics_comparison_figure(
    table: pd.DataFrame, metrics: Sequence, theme: str = "standard", fmt: Formatter | None = None
) -> go.Figure:
    """One small bar chart per network metric, pilots on the shared vertical axis, values written on bars.

    `table`: one row per pilot (index: pilot name), one column per metric key; `metrics`: Metric items.
    Values are written as the page's table writes them (shares as percentages).
    """
    fmt = fmt or Formatter()
    columns = min(4, max(1, len(metrics)))
    rows = math.ceil(len(metrics) / columns) if metrics else 1
    fig = make_subplots(
        rows=rows,
        cols=columns,
        shared_yaxes=True,
        subplot_titles=[m.label for m in metrics],
        horizontal_spacing=0.03,
        vertical_spacing=0.12,
    )
    names = [str(n) for n in table.index]
    for i, metric in enumerate(metrics):
        values = pd.to_numeric(table[metric.key], errors="coerce").fillna(0)
        fig.add_trace(
            go.Bar(
                x=list(values),
                y=names,
                orientation="h",
                marker=dict(color=SERIES_COLOURS[0], line=dict(color="#000000", width=1)),
                text=[metric_text(metric.key, v, fmt) for v in values],
                textposition="auto",
                name=metric.label,
                hovertemplate="%{y}: %{text}<extra>" + metric.label + "</extra>",
                showlegend=False,
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
    fig.update_layout(
        template=template(theme),
        height=max(320, (26 * len(names) + 90) * rows),
        margin=dict(l=10, r=10, t=50, b=30),
        bargap=0.25,
    )
    fig.update_annotations(font_size=template(theme).layout.font.size)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig
