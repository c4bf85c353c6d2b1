"""Compare page: controls -> checked view -> comparison -> chart, table and URL; CSV and image export."""

from __future__ import annotations

from dash import Input, Output, State, dcc, no_update

from crosspilot.compare import clean_view, compare, parse_view, to_csv, view_query
from crosspilot.figures.compare import figure_for
from crosspilot.figures.theme import THEMES
from crosspilot.i18n import t
from layouts import compare as page
from layouts import ids
from layouts.common import from_select
from layouts.shell import parse_query, theme_of, with_theme

CONTROLS = (
    ids.COMPARE_INDICATORS,
    ids.COMPARE_PILOTS,
    ids.COMPARE_FROM,
    ids.COMPARE_TO,
    ids.COMPARE_GROUP,
    ids.COMPARE_MODE,
    ids.COMPARE_FORM,
)


def view_from_controls(index, indicators, pilots, start, end, group, mode, form):
    """Every value from the browser is checked: unknown ones fall back to defaults, with notices."""

    def listed(value):
        return [str(v) for v in value] if isinstance(value, list) else []

    single = from_select  # periods and group come from native selects ("every …" is ANY)

    notices = []
    if not listed(indicators):
        notices.append(t("No indicator was chosen; showing the default."))
    view, more = clean_view(
        index,
        indicators=listed(indicators),
        pilots=listed(pilots),
        periods=(single(start), single(end)),
        group=single(group),
        mode=single(mode),
        form=single(form),
    )
    return view, notices + more


def _changed_view(context, indicators, pilots, start, end, group, mode, form, search):
    """The checked view and its notices, or None when the controls show the link's view already.

    A component reporting its value as it mounts must not redraw anything, nor wipe the notices
    about the link that the page shows.
    """
    index = context.derived.compare_index
    view, notices = view_from_controls(index, indicators, pilots, start, end, group, mode, form)
    if not notices and view == parse_view(index, parse_query(search))[0]:
        return None
    return index, view, notices


def update(context, indicators, pilots, start, end, group, mode, form, search):
    """The chart, its comparability badge, the no-data summary, notices and the URL."""
    search = search if isinstance(search, str) else ""
    changed = _changed_view(context, indicators, pilots, start, end, group, mode, form, search)
    if changed is None:
        return (no_update,) * 5
    index, view, notices = changed
    theme = theme_of(search)
    comparison = compare(index, view)
    new_search = with_theme("", theme, view_query(index, view))
    return (
        figure_for(comparison, theme if theme in THEMES else "standard"),
        page.badge(comparison),
        page.summary(comparison),
        page.notice(notices),
        new_search if new_search != search else no_update,
    )


def update_table(context, indicators, pilots, start, end, group, mode, form, search):
    """The table of plotted data and the sources: a callback of its own, so the chart never waits."""
    search = search if isinstance(search, str) else ""
    changed = _changed_view(context, indicators, pilots, start, end, group, mode, form, search)
    if changed is None:
        return no_update, no_update
    index, view, _ = changed
    comparison = compare(index, view)
    return page.table(comparison), page.sources(comparison)


def csv_download(context, indicators, pilots, start, end, group, mode, form) -> dict:
    index = context.derived.compare_index
    view, _ = view_from_controls(index, indicators, pilots, start, end, group, mode, form)
    return dcc.send_string(to_csv(compare(index, view)), "crosspilot-compare.csv", type="text/csv")


def register(app, context) -> None:
    @app.callback(
        Output(ids.COMPARE_GRAPH, "figure"),
        Output(ids.COMPARE_BADGE, "children"),
        Output(ids.COMPARE_SUMMARY, "children"),
        Output(ids.COMPARE_NOTICE, "children"),
        Output(ids.URL, "search", allow_duplicate=True),
        *[Input(c, "value") for c in CONTROLS],
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def on_change(indicators, pilots, start, end, group, mode, form, search):
        return update(context, indicators, pilots, start, end, group, mode, form, search)

    @app.callback(
        Output(ids.COMPARE_TABLE, "children"),
        Output(ids.COMPARE_SOURCES, "children"),
        *[Input(c, "value") for c in CONTROLS],
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def on_change_table(indicators, pilots, start, end, group, mode, form, search):
        return update_table(context, indicators, pilots, start, end, group, mode, form, search)

    @app.callback(
        Output(ids.COMPARE_DOWNLOAD, "data"),
        Input(ids.COMPARE_CSV, "n_clicks"),
        *[State(c, "value") for c in CONTROLS],
        prevent_initial_call=True,
    )
    def on_csv(n_clicks, indicators, pilots, start, end, group, mode, form):
        if not n_clicks:
            return no_update
        return csv_download(context, indicators, pilots, start, end, group, mode, form)

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
