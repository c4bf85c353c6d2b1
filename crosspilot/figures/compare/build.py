"""From data to a Compare chart: the comparison of a source, and its figure in the view's form."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from crosspilot.compare import CompareIndex, Comparison, build_index, compare, default_indicators, mode_label
from crosspilot.figures.compare.common import BADGE_COLOUR
from crosspilot.figures.compare.heatmap import heatmap
from crosspilot.figures.compare.lines import lines
from crosspilot.figures.compare.multiples import multiples
from crosspilot.figures.compare.ranked import ranked
from crosspilot.figures.theme import template
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.views.compare import View


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
    fmt = options.pop("fmt", None)
    return figure_for(comparison_for(source, indicator_ids, pilot_ids, **options), theme, fmt)


# The badge's lift above the plot area (a panel title's height and a gap) and the top margin that then
# holds the chart's title, the badge and the panel titles one above the other (standard, projector).
BADGE_SHIFT = {False: 28, True: 38}
BADGE_MARGIN = {False: 108, True: 144}
TITLE_MARGIN = {False: 72, True: 96}


def comparability_badge(comparison: Comparison) -> str:
    return "" if comparison.comparable else t("⚠ Not directly comparable")


def figure_for(comparison: Comparison, theme: str = "standard", fmt: Formatter | None = None) -> go.Figure:
    """The chart of `comparison`; every number it shows is written by `fmt` (English by default)."""
    fmt = fmt if fmt is not None else Formatter()
    builders = {
        "dots": ranked,
        "bars": ranked,
        "lines": lines,
        "slope": lines,
        "multiples": multiples,
        "heatmap": heatmap,
    }
    projector = theme == "projector"
    data, layout = builders[comparison.view.form](comparison, projector, fmt)
    title = ", ".join(i.label for i in comparison.indicators) or t("No indicator chosen")
    annotations = list(layout.pop("annotations", []))
    legend_y = layout.pop("legend_y", -0.08 if comparison.view.form != "heatmap" else -0.02)
    badge = comparability_badge(comparison)
    if badge:
        # Above the panel titles (which sit on the top of each plot area), below the chart's title:
        # it never covers a subtitle or the first small multiple's name.
        annotations.append(
            dict(
                text=badge,
                xref="paper",
                yref="paper",
                x=0,
                y=1,
                yanchor="bottom",
                xanchor="left",
                yshift=BADGE_SHIFT[projector],
                showarrow=False,
                font=dict(color=BADGE_COLOUR, size=22 if projector else 14),
                bgcolor="#fff4e0",
                bordercolor=BADGE_COLOUR,
                borderwidth=2,
                borderpad=4,
                name="comparability-badge",
            )
        )
    layout.update(
        template=template(theme),
        title=dict(
            text=f"{title} · {mode_label(comparison.view.mode)}",
            x=0,
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=8),
        ),
        annotations=annotations,
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=legend_y),
        meta={"comparable": comparison.comparable, "form": comparison.view.form},
    )
    margin = dict(layout.get("margin") or {})
    # The title at the top, then (flagged) the badge, then the panel titles: each on its own line.
    margin["t"] = BADGE_MARGIN[projector] if badge else TITLE_MARGIN[projector]
    layout["margin"] = margin
    # The builders write only properties the tests check against plotly's schema (every form is
    # re-validated there), so per-property validation is skipped here: it cost 5× the rest.
    return go.Figure(data=data, layout=layout, _validate=False)
