"""Figures of the Lessons section: a lesson's indicator values, the governance matrix, and governance
beside network structure. Pure builders: (data, options, theme) -> go.Figure."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crosspilot.contract import LEVELS, STAGES
from crosspilot.figures.theme import STATUS_ORDER, STATUS_SYMBOLS, mark, status_label, template
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.provenance import MARKS, weakest_words
from crosspilot.vocabulary import term

_SQUARES = {"published": "square", "estimate": "square-open-dot", "illustrative": "square-open"}
# Sequential blues, light to dark, every one at least 3:1 against white as a mark outline.
LEVEL_COLOURS = ("#6b8fb3", "#4f7aa6", "#2f6499", "#174f85", "#003a70")
INK = "#000000"


def _by_status(frame: pd.DataFrame, column: str) -> Iterator[tuple[str, pd.DataFrame]]:
    """(status, its rows) for each provenance status present in `column`, in legend order."""
    for status in STATUS_ORDER:
        part = frame[frame[column].eq(status)]
        if len(part):
            yield status, part


def indicator_dots(
    values: pd.DataFrame,
    label: str,
    unit: str = "",
    names: Mapping[str, str] | None = None,
    theme: str = "standard",
    fmt: Formatter | None = None,
) -> go.Figure:
    """One indicator's values for a lesson's pilots: a dot per value, shape and fill by provenance,
    each labelled with its value as `fmt` writes it.

    `values` has the outcomes columns (pilot_id, period, value, group, status, source, note).
    """
    names = names or {}
    fmt = fmt or Formatter()
    projector = theme == "projector"
    rows = values.assign(
        row=[
            f"{names.get(r.pilot_id, r.pilot_id)} · {r.period}" + (f" ({r.group})" if r.group else "")
            for r in values.itertuples(index=False)
        ]
    )
    figure = go.Figure()
    for status, part in _by_status(rows, "status"):
        figure.add_trace(
            go.Scatter(
                x=part["value"],
                y=part["row"],
                mode="markers+text",
                text=[fmt.number(v) for v in part["value"]],
                textposition="middle right",
                marker=mark(STATUS_SYMBOLS[status], 20 if projector else 14, "#0072B2"),
                name=status_label(status),
                hovertemplate="%{y}<br>%{x}"
                + (f" {unit}" if unit else "")
                + "<extra>%{fullData.name}</extra>",
            )
        )
    top = float(rows["value"].max()) if len(rows) else 1.0
    figure.update_layout(
        template=template(theme),
        title=dict(text=label + (f" ({unit})" if unit else "")),
        height=max(200, 90 + (60 if projector else 44) * max(1, rows["row"].nunique())),
        margin=dict(l=10, r=30, t=60, b=40),
        showlegend=True,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right", title=None),
    )
    figure.update_xaxes(rangemode="tozero", range=[0, top * 1.25 if top > 0 else 1], title=None)
    figure.update_yaxes(autorange="reversed", automargin=True, title=None)
    return figure


def governance_matrix(
    models: Sequence, labels: Mapping[str, str] | None = None, theme: str = "standard"
) -> go.Figure:
    """Pilots × co-creation stages. Each cell: the level as text ("3 collaborate"), a square whose size
    and darkness grow with the level, filled when published, hollow when illustrative."""
    labels = labels or {}
    projector = theme == "projector"
    stage_names = [term("stage", s) for s in STAGES]
    figure = go.Figure()
    rows = [labels.get(m.pilot_id, m.name) for m in models]
    for status in STATUS_ORDER:
        xs, ys, sizes, colours, texts, hovers = [], [], [], [], [], []
        for model, row in zip(models, rows, strict=True):
            for role in model.stages:
                if role.status != status or role.stage not in STAGES:
                    continue
                xs.append(stage_names[STAGES.index(role.stage)])
                ys.append(row)
                sizes.append((14 + 6 * role.level) * (1.3 if projector else 1))
                colours.append(LEVEL_COLOURS[role.level])
                texts.append(f"{role.level} {term('level', LEVELS[role.level])}")
                hovers.append(
                    f"{model.name}<br>{xs[-1]}: {role.level} · {term('level', LEVELS[role.level])}"
                    f"<br>{status_label(status)}" + (f"<br>{role.source}" if role.source else "")
                )
        if not xs:
            continue
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers+text",
                text=texts,
                textposition="bottom center",
                textfont=dict(size=20 if projector else 11, color=INK),  # projector: >= 20 px
                marker=mark(_SQUARES[status], sizes, colours, width=2.5),
                hovertext=hovers,
                hoverinfo="text",
                name=t("{status} classification", status=status_label(status)),
            )
        )
    # Stages nobody classified are written out, so an empty cell is never read as level 0, nor as a
    # stage the pilot skipped: no source says so.
    gaps = [
        (stage_names[i], row)
        for model, row in zip(models, rows, strict=True)
        for i, stage in enumerate(STAGES)
        if model.role(stage) is None
    ]
    if gaps:
        figure.add_trace(
            go.Scatter(
                x=[g[0] for g in gaps],
                y=[g[1] for g in gaps],
                mode="text",
                text=["–"] * len(gaps),
                textfont=dict(size=20 if projector else 14, color="#595959"),
                hoverinfo="skip",
                name=t("– not classified: no source describes this stage"),
            )
        )
    row_height = 78 if projector else 58
    figure.update_layout(
        template=template(theme),
        height=170 + row_height * max(1, len(models)),
        margin=dict(l=10, r=10, t=50, b=60),
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0, title=None),
    )
    figure.update_xaxes(
        side="top", categoryorder="array", categoryarray=stage_names, showgrid=False, title=None
    )
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=rows,
        autorange="reversed",
        automargin=True,
        showgrid=True,
        title=None,
    )
    return figure


def governance_structure_scatter(
    frame: pd.DataFrame, labels: Mapping[str, str] | None = None, theme: str = "standard"
) -> go.Figure:
    """Citizens' mean role (x) against degree centralisation and the share of ties with citizens (y).

    `frame` is `crosspilot.governance.governance_vs_structure(...)`. Points are labelled with the pilot;
    hollow markers mean the network metric rests on illustrative ties.
    """
    labels = labels or {}
    projector = theme == "projector"
    figure = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        subplot_titles=(t("Degree centralisation"), t("Share of ties with citizens")),
    )
    data = frame.dropna(subset=["mean_level"])
    for col, metric in ((1, "degree_centralisation"), (2, "citizen_tie_share")):
        for status, part in _by_status(data, "network_status"):
            figure.add_trace(
                go.Scatter(
                    x=part["mean_level"],
                    y=part[metric],
                    mode="markers+text",
                    text=[f"{labels.get(p, p)}\u00a0{MARKS[status]}".strip() for p in part["pilot_id"]],
                    textposition="top center",
                    textfont=dict(size=20 if projector else 11, color=INK),
                    marker=mark(STATUS_SYMBOLS[status], 18 if projector else 12, "#D55E00"),
                    # A network metric is computed, never "published": say from what (crosspilot.provenance).
                    name=t("Network metrics {words}", words=weakest_words(status)),
                    legendgroup=status,
                    showlegend=col == 1,
                    hovertemplate="%{text}<br>" + t("mean role") + " %{x:.1f}<br>%{y:.2f}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    figure.update_xaxes(title=t("Citizens' mean role (0 inform … 4 empower)"), range=[-0.2, 4.2], dtick=1)
    figure.update_yaxes(range=[-0.05, 1.05], row=1, col=1)
    figure.update_yaxes(range=[-0.05, 1.05], tickformat=".0%", row=1, col=2)
    figure.update_layout(
        template=template(theme),
        height=520 if projector else 420,
        margin=dict(l=60, r=20, t=80, b=60),
        legend=dict(orientation="h", yanchor="bottom", y=1.08, x=0, title=None),
    )
    return figure
