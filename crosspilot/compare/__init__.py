"""Compare pilots on the same indicators: select, transform, order and flag what is not comparable.

Pure pandas and numpy, no dash. The rooms:

- `options`: the value modes and chart forms, and their names;
- `index`: the per-snapshot index of outcomes (`build_index`, kept by the app's `Derived`) and the
  order of period labels;
- `transforms`: view-independent steps on an indicator's rows (baselines, latest values, modes);
- `comparison`: `compare(index, view) -> Comparison`, whose `table` is exactly what a chart plots;
- `comparability`: why plotted values are not directly comparable;
- `export`: the comparison as formula-safe CSV.

The page's view (what the user chose, as it lives in the URL) is `crosspilot.views.compare`; the
figure builders that draw a comparison are `crosspilot.figures.compare`.
"""

from crosspilot.compare.comparison import (
    MAX_PANELS,
    MAX_PILOTS,
    MAX_POINTS,
    MAX_SLOPES,
    TABLE_COLUMNS,
    Comparison,
    compare,
)
from crosspilot.compare.export import EXPORT_COLUMNS, to_csv
from crosspilot.compare.index import (
    STATUSES,
    CompareIndex,
    Indicator,
    build_index,
    default_indicators,
    period_key,
)
from crosspilot.compare.options import (
    FORMS,
    MAX_INDICATORS,
    MODES,
    PARTICIPANTS,
    SINGLE_PERIOD_FORMS,
    form_label,
    mode_label,
    value_unit,
)
from crosspilot.compare.transforms import better_first

__all__ = [
    "EXPORT_COLUMNS",
    "FORMS",
    "MAX_INDICATORS",
    "MAX_PANELS",
    "MAX_PILOTS",
    "MAX_POINTS",
    "MAX_SLOPES",
    "MODES",
    "PARTICIPANTS",
    "SINGLE_PERIOD_FORMS",
    "STATUSES",
    "TABLE_COLUMNS",
    "CompareIndex",
    "Comparison",
    "Indicator",
    "better_first",
    "build_index",
    "compare",
    "default_indicators",
    "form_label",
    "mode_label",
    "period_key",
    "to_csv",
    "value_unit",
]
