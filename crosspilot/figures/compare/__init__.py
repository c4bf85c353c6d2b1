"""Comparative indicator charts across pilots, with provenance on every mark.

Public API (pure: no I/O, no dash, inputs never mutated; the Lessons page uses these for a
lesson's evidence panel). Every number a chart shows is written by `fmt` (a
`crosspilot.formatting.Formatter`, English when not given; pages pass `context.fmt`):

    compare_figure(source, indicator_ids, pilot_ids=None, mode="absolute", form="dots",
                   theme="standard", periods=("", ""), group="", fmt=None) -> go.Figure
        One call from data to chart. `source` is a CompareIndex (the app's is
        `context.derived.compare_index`), a Snapshot or an outcomes DataFrame (indexed on the fly).
        mode: absolute | change | change_pct | indexed | per_participant
        form: dots | bars | lines | slope | multiples | heatmap
    compare_table(source, indicator_ids, ...same options...) -> pd.DataFrame
        Exactly the plotted data (crosspilot.compare.TABLE_COLUMNS), "no data" rows included.
    comparison_for(source, indicator_ids, ...same options...) -> crosspilot.compare.Comparison
    figure_for(comparison, theme="standard", fmt=None) -> go.Figure
        The chart of a Comparison already computed (the page computes once, draws and tabulates).
    comparability_badge(comparison) -> str
        "" when comparable, else the badge text; `comparison.reasons` holds the reasons.
    scaled_scores(values, direction) -> np.ndarray
        The heatmap's per-indicator scale: 0 the worst, 1 the best.

Encoding: provenance by marker shape and fill (published filled, estimate dotted ring,
illustrative hollow; bars solid, hatched, dotted) with a legend; hover gives value, period,
group, status, source and note; pilots without a value are written "no data" on the chart;
in change modes colour says better / worse by the indicator's direction, and the hover says it
in words too. One module per form: `ranked` (dots, bars), `lines` (lines, slope), `multiples`,
`heatmap`; `common` holds what they share, `build` the entry points.
"""

from crosspilot.figures.compare.build import (
    comparability_badge,
    compare_figure,
    compare_table,
    comparison_for,
    figure_for,
)
from crosspilot.figures.compare.common import BAR_PATTERNS, STATUS_GLYPHS, STATUS_ORDER
from crosspilot.figures.compare.heatmap import scaled_scores

__all__ = [
    "BAR_PATTERNS",
    "STATUS_GLYPHS",
    "STATUS_ORDER",
    "comparability_badge",
    "compare_figure",
    "compare_table",
    "comparison_for",
    "figure_for",
    "scaled_scores",
]
