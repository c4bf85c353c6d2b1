"""Compare page: controls -> checked view -> comparison -> chart, table and URL; CSV and image export.

Each callback is a module-level function of the app's context and the values Dash sends, grouped as
the callback declares them (`controls` is a dict of the seven control values); `register` wires them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import Input, Output, State, dcc, no_update

from callbacks.wiring import wiring
from crosspilot.compare import compare, to_csv
from crosspilot.figures.compare import figure_for
from crosspilot.figures.theme import THEMES
from crosspilot.i18n import t
from crosspilot.views import compare as views
from layouts import compare as page
from layouts import ids
from layouts.common import from_select
from layouts.shell import parse_query, theme_of, with_theme

# The controls, by the name a callback receives each value under.
CONTROLS = {
    "indicators": ids.COMPARE_INDICATORS,
    "pilots": ids.COMPARE_PILOTS,
    "start": ids.COMPARE_FROM,
    "end": ids.COMPARE_TO,
    "group": ids.COMPARE_GROUP,
    "mode": ids.COMPARE_MODE,
    "form": ids.COMPARE_FORM,
}


def view_from_controls(derived, controls: Mapping[str, Any] | None) -> tuple[views.View, list[str]]:
    """Every value from the browser is checked: unknown ones fall back to defaults, with notices."""
    controls = controls if isinstance(controls, Mapping) else {}

    def listed(name):
        value = controls.get(name)
        return [str(v) for v in value] if isinstance(value, list) else []

    def single(name):  # periods, group, mode and form come from native selects and radios
        return from_select(controls.get(name))

    notices = []
    if not listed("indicators"):
        notices.append(t("No indicator was chosen; showing the default."))
    view, more = views.from_controls(
        derived,
        indicators=listed("indicators"),
        pilots=listed("pilots"),
        periods=(single("start"), single("end")),
        group=single("group"),
        mode=single("mode"),
        form=single("form"),
    )
    return view, notices + more


def _changed_view(context, controls, search: str):
    """The checked view and its notices, or None when the controls show the link's view already.

    A component reporting its value as it mounts must not redraw anything, nor wipe the notices
    about the link that the page shows.
    """
    derived = context.derived
    view, notices = view_from_controls(derived, controls)
    if not notices and view == views.parse(derived, parse_query(search))[0]:
        return None
    return view, notices


CHART_OUTPUTS = ("figure", "badge", "summary", "notice", "search")


def update(context, controls, search) -> dict:
    """The chart, its comparability badge, the no-data summary, notices and the URL."""
    search = search if isinstance(search, str) else ""
    changed = _changed_view(context, controls, search)
    if changed is None:
        return dict.fromkeys(CHART_OUTPUTS, no_update)
    view, notices = changed
    theme = theme_of(search)
    comparison = compare(context.derived.compare_index, view)
    new_search = with_theme("", theme, views.to_query(context.derived, view))
    return {
        "figure": figure_for(comparison, theme if theme in THEMES else "standard", context.fmt),
        "badge": page.badge(comparison),
        "summary": page.summary(comparison, context.fmt),
        "notice": page.notice(notices),
        "search": new_search if new_search != search else no_update,
    }


def update_table(context, controls, search) -> dict:
    """The table of plotted data and the sources: a callback of its own, so the chart never waits."""
    search = search if isinstance(search, str) else ""
    changed = _changed_view(context, controls, search)
    if changed is None:
        return {"table": no_update, "sources": no_update}
    comparison = compare(context.derived.compare_index, changed[0])
    return {"table": page.table(comparison, context.fmt), "sources": page.sources(comparison)}


def csv_download(context, n_clicks, controls) -> dict:
    """The CSV of the checked view of the controls (plain numbers, formula-safe text)."""
    if not n_clicks:
        return no_update
    view, _ = view_from_controls(context.derived, controls)
    comparison = compare(context.derived.compare_index, view)
    return dcc.send_string(to_csv(comparison), "crosspilot-compare.csv", type="text/csv")


def register(app, context) -> None:
    wire = wiring(app, context)
    # The chart and the table answer the same changes, as two callbacks so that the chart comes first.
    on_controls = dict(
        inputs={"controls": {name: Input(cid, "value") for name, cid in CONTROLS.items()}},
        state={"search": State(ids.URL, "search")},
        prevent_initial_call=True,
        repeatable=True,  # the same view in the same language is the same answer
    )
    wire(
        update,
        output={
            "figure": Output(ids.COMPARE_GRAPH, "figure"),
            "badge": Output(ids.COMPARE_BADGE, "children"),
            "summary": Output(ids.COMPARE_SUMMARY, "children"),
            "notice": Output(ids.COMPARE_NOTICE, "children"),
            "search": Output(ids.URL, "search", allow_duplicate=True),
        },
        **on_controls,
    )
    wire(
        update_table,
        output={
            "table": Output(ids.COMPARE_TABLE, "children"),
            "sources": Output(ids.COMPARE_SOURCES, "children"),
        },
        **on_controls,
    )

    wire(
        csv_download,
        output=Output(ids.COMPARE_DOWNLOAD, "data"),
        inputs={"n_clicks": Input(ids.COMPARE_CSV, "n_clicks")},
        state={"controls": {name: State(cid, "value") for name, cid in CONTROLS.items()}},
        prevent_initial_call=True,
    )

    # PNG and SVG are drawn in the browser by plotly.js itself: offline, no server-side renderer.
    app.clientside_callback(
        """function(png, svg) {
            var ctx = window.dash_clientside.callback_context;
            var trigger = ctx.triggered.length ? ctx.triggered[0].prop_id : '';
            var gd = document.querySelector('#compare-graph .js-plotly-plot');
            if (!trigger || !gd || !window.Plotly) { return window.dash_clientside.no_update; }
            var format = trigger.indexOf('compare-svg') === 0 ? 'svg' : 'png';
            window.Plotly.downloadImage(gd, {format: format, filename: 'crosspilot-compare',
                                             scale: format === 'png' ? 2 : 1});
            return format;
        }""",
        Output(ids.COMPARE_EXPORT_SINK, "data"),
        Input(ids.COMPARE_PNG, "n_clicks"),
        Input(ids.COMPARE_SVG, "n_clicks"),
        prevent_initial_call=True,
    )
