"""Every pilot's network metrics side by side: one small bar chart per metric, each bar marked by what
it is computed from (pattern and a mark after the value, never colour alone)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crosspilot.figures.networks.encoding import metric_text
from crosspilot.figures.theme import SERIES_COLOURS, STATUS_ORDER, STATUS_PATTERNS, template
from crosspilot.formatting import Formatter
from crosspilot.networks import ComparedNetwork
from crosspilot.provenance import weakest_words

# Panels side by side: three on a 1280-pixel screen, two with the projector's larger type, so that
# no metric's title runs into the next one's and the values on the bars stay readable.
COLUMNS = {"standard": 3, "projector": 2}
BAR_PX = {"standard": 26, "projector": 36}  # height of one pilot's bar in a panel
TITLE_PX = 64  # room above each panel for its title


def metrics_comparison_figure(
    rows: Sequence[ComparedNetwork], metrics: Sequence, theme: str = "standard", fmt: Formatter | None = None
) -> go.Figure:
    """One small bar chart per network metric, pilots on each panel's vertical axis (their short names,
    marked), the value written on each bar with its mark. Bars are patterned by what they are computed
    from: plain from published data, hatched with estimates, dotted with illustrative inputs.

    `rows`: one ComparedNetwork per pilot; `metrics`: Metric items. Values are written as the page's
    table writes them (shares as percentages)."""
    fmt = fmt or Formatter()
    theme = theme if theme in COLUMNS else "standard"
    columns = min(COLUMNS[theme], max(1, len(metrics)))
    n_rows = math.ceil(len(metrics) / columns) if metrics else 1
    panel = BAR_PX[theme] * max(len(rows), 1) + 20
    base = template(theme).layout.font.size
    top, bottom = (
        4 * base + 40,
        30,
    )  # the legend above the panels, on two lines when a projector's type wraps it
    height = n_rows * (panel + TITLE_PX) + top + bottom
    fig = make_subplots(
        rows=n_rows,
        cols=columns,
        subplot_titles=[m.label for m in metrics],
        shared_yaxes=True,  # the pilots are named once per row of panels, left of the first
        horizontal_spacing=0.05,
        vertical_spacing=TITLE_PX / (height - top - bottom),
    )
    names = [r.name for r in rows]
    shown: set[str] = set()
    for i, metric in enumerate(metrics):
        for status in STATUS_ORDER:
            members = [k for k, r in enumerate(rows) if r.inputs_of(metric.key).status == status]
            if not members:
                continue
            values = [_number(rows[k].network.get(metric.key)) for k in members]
            fig.add_trace(
                go.Bar(
                    x=values,
                    y=[names[k] for k in members],
                    orientation="h",
                    marker=dict(
                        color=SERIES_COLOURS[0],
                        line=dict(color="#000000", width=1),
                        pattern=dict(
                            shape=STATUS_PATTERNS[status],
                            fgcolor=SERIES_COLOURS[0],
                            bgcolor="#ffffff",
                            solidity=0.45,
                        )
                        if STATUS_PATTERNS[status]
                        else None,
                    ),
                    text=[
                        rows[k].inputs_of(metric.key).marked(metric_text(metric.key, v, fmt))
                        for k, v in zip(members, values, strict=True)
                    ],
                    textposition="outside",
                    cliponaxis=False,
                    name=weakest_words(status),
                    legendgroup=status,
                    showlegend=status not in shown,
                    hovertemplate="%{y}: %{text}<extra>" + metric.label + "</extra>",
                ),
                row=i // columns + 1,
                col=i % columns + 1,
            )
            shown.add(status)
    fig.update_layout(
        template=template(theme),
        height=height,
        margin=dict(l=10, r=40, t=top, b=bottom),
        bargap=0.25,
        barmode="overlay",
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="top", yref="container"),
        uniformtext=dict(minsize=base - 2, mode="show"),
    )
    fig.update_annotations(font_size=base)
    order = list(names)
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", automargin=True)
    # Room right of the longest bar for its value.
    for i, metric in enumerate(metrics):
        top = max((_number(r.network.get(metric.key)) for r in rows), default=0.0)
        fig.update_xaxes(
            range=[0, top * 1.35 if top > 0 else 1],
            tickformat=".0%" if metric.key.endswith("_share") else None,
            row=i // columns + 1,
            col=i % columns + 1,
        )
    return fig


def _number(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0
