"""Workshop charts: how the room voted on one item (pure: counts in, figure out)."""

from __future__ import annotations

import plotly.graph_objects as go

from crosspilot.figures.theme import template
from crosspilot.formatting import Formatter
from crosspilot.workshop.rules import STANCES, stance_label

# Colour plus a fill pattern and the stance written on the axis: never colour alone.
STANCE_COLOURS = {
    "agree": "#009E73",
    "agree_with_changes": "#0072B2",
    "disagree": "#D55E00",
    "cant_judge": "#595959",
}
STANCE_PATTERNS = {"agree": "", "agree_with_changes": "/", "disagree": "x", "cant_judge": "."}


def stance_figure(
    counts: dict[str, int],
    theme: str = "standard",
    fmt: Formatter | None = None,
    height: int | None = 0,
) -> go.Figure:
    """Horizontal bars, one per stance, each labelled with its count and share; the stance names in
    full (the axis makes room for them). `height` None fills the chart's box (the projector's); 0 keeps
    the theme's own height."""
    fmt = fmt or Formatter()
    total = sum(counts.get(s, 0) for s in STANCES)
    values = [counts.get(s, 0) for s in STANCES]
    labels = [f"{fmt.count(v)} ({fmt.percent(v / total)})" if total else fmt.count(0) for v in values]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[stance_label(s) for s in STANCES],
            orientation="h",
            text=labels,
            textposition="outside",
            cliponaxis=False,
            marker=dict(
                color=[STANCE_COLOURS[s] for s in STANCES],
                line=dict(color="#000000", width=1),
                pattern=dict(shape=[STANCE_PATTERNS[s] for s in STANCES], fgcolor="#ffffff"),
            ),
            customdata=[fmt.count(v) for v in values],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    figure.update_layout(
        template=template(theme),
        yaxis=dict(autorange="reversed", title=None, automargin=True),
        xaxis=dict(
            title=None,
            rangemode="tozero",
            dtick=max(1, (max(values) // 5) or 1),
            showgrid=True,
            automargin=True,
            # Room beyond the longest bar for its "n (p %)" label.
            range=[0, max(1, max(values)) * (2.0 if theme == "projector" else 1.5)],
        ),
        margin=dict(l=10, r=20, t=10, b=30),
        height=(360 if theme == "projector" else 260) if height == 0 else height,
        autosize=True,
        showlegend=False,
    )
    return figure
