"""Compare: pilots side by side on the same indicators, every value with its provenance."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.compare import (
    FORMS,
    MODES,
    CompareIndex,
    Comparison,
    compare,
    form_label,
    format_number,
    mode_label,
    parse_view,
)
from crosspilot.figures.compare import comparability_badge, figure_for
from crosspilot.i18n import t
from layouts import ids
from layouts.common import ANY, graph, scroll_box, source_links, status_badge

MAX_TABLE_ROWS = 200  # the CSV has every row; the page shows the first ones (each cell is a component)


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    index = context.derived.compare_index
    view, notices = parse_view(index, query)
    comparison = compare(index, view)
    figure, badge, summary, table, sources = parts(comparison, theme)
    return html.Div(
        [
            html.H1(t("Compare")),
            html.P(
                t(
                    "Pilots side by side on the same indicators. Every mark shows where its number "
                    "comes from; pilots that measured differently are flagged."
                ),
                className="lead",
            ),
            html.Div(notice(notices), id=ids.COMPARE_NOTICE, role="status"),
            controls(index, view),
            html.Div(badge, id=ids.COMPARE_BADGE, **{"aria-live": "polite"}),
            graph(
                ids.COMPARE_GRAPH,
                figure,
                t("The table below the chart lists exactly the plotted values, with their sources."),
                config={
                    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "crosspilot-compare"}
                },
            ),
            html.Div(summary, id=ids.COMPARE_SUMMARY, className="compare-summary"),
            html.Div(
                [
                    dbc.Button(t("Download CSV"), id=ids.COMPARE_CSV, color="primary", className="me-2"),
                    dbc.Button(
                        t("Download PNG"), id=ids.COMPARE_PNG, outline=True, color="dark", className="me-2"
                    ),
                    dbc.Button(t("Download SVG"), id=ids.COMPARE_SVG, outline=True, color="dark"),
                    dcc.Download(id=ids.COMPARE_DOWNLOAD),
                    dcc.Store(id=ids.COMPARE_EXPORT_SINK),
                ],
                className="compare-exports my-3",
            ),
            html.H2(t("Plotted data")),
            scroll_box(table, t("Plotted data, scrollable"), id=ids.COMPARE_TABLE),
            html.H2(t("Sources")),
            html.Div(sources, id=ids.COMPARE_SOURCES),
        ],
        className="compare-page",
    )


def notice(notices: list[str]):
    if not notices:
        return None
    return dbc.Alert(
        [html.Strong(t("Part of this link was not understood. ")), *_lines(notices)], color="warning"
    )


def _lines(texts: list[str]) -> list:
    return [html.Ul([html.Li(text) for text in texts], className="mb-0")]


def _select(label: str, control_id: str, options: list[dict], value: str) -> html.Div:
    """A native <select> with its <label>: named, and operable by keyboard, in every browser."""
    return html.Div(
        [
            dbc.Label(label, html_for=control_id, className="fw-semibold"),
            dbc.Select(id=control_id, options=options, value=value),
        ]
    )


def _choices(
    legend: str, control_id: str, options: list[dict], value: list[str], hint: str = ""
) -> html.Fieldset:
    """Several choices as native checkboxes under a <legend>, scrolling when the list is long.

    dcc.Dropdown (Dash 4) hides a focusable input from screen readers and names its button by the
    chosen values only, and dcc.Checklist nests its inputs inside role=option labels: axe flags both.
    """
    return html.Fieldset(
        [
            html.Legend(legend, className="form-label fw-semibold fs-6"),
            html.Div(
                dbc.Checklist(id=control_id, options=options, value=value),
                className="cp-choices",
            ),
            html.Div(hint, className="form-text") if hint else None,
        ]
    )


def controls(index: CompareIndex, view) -> html.Div:
    indicator_options = [
        {"label": f"{i.label} ({i.unit})" if i.unit else i.label, "value": i.indicator_id}
        for i in sorted(index.indicators.values(), key=lambda i: i.label.lower())
        if i.indicator_id in index.blocks
    ]
    pilot_options = [{"label": index.pilot_labels[p], "value": p} for p in index.pilot_names]
    period_options = [{"label": p, "value": p} for p in index.periods]
    group_options = [{"label": t("All groups"), "value": ANY}] + [
        {"label": g, "value": g} for g in index.groups
    ]
    modes = [
        {
            "label": mode_label(m),
            "value": m,
            "disabled": m == "per_participant" and not index.has_participants,
        }
        for m in MODES
    ]
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        _choices(
                            t("Indicators"),
                            ids.COMPARE_INDICATORS,
                            indicator_options,
                            list(view.indicators),
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        _choices(
                            t("Pilots"),
                            ids.COMPARE_PILOTS,
                            pilot_options,
                            list(view.pilots),
                            t("None ticked: all pilots."),
                        ),
                        md=6,
                    ),
                ],
                className="g-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _select(
                            t("From period"),
                            ids.COMPARE_FROM,
                            [{"label": t("Earliest"), "value": ANY}] + period_options,
                            view.periods[0] or ANY,
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        _select(
                            t("To period"),
                            ids.COMPARE_TO,
                            [{"label": t("Latest"), "value": ANY}] + period_options,
                            view.periods[1] or ANY,
                        ),
                        md=3,
                    ),
                    dbc.Col(_select(t("Group"), ids.COMPARE_GROUP, group_options, view.group or ANY), md=6),
                ],
                className="g-3 mt-1",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend(t("Values"), className="form-label fw-semibold fs-6"),
                                dbc.RadioItems(id=ids.COMPARE_MODE, options=modes, value=view.mode),
                            ]
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend(t("Chart"), className="form-label fw-semibold fs-6"),
                                dbc.RadioItems(
                                    id=ids.COMPARE_FORM,
                                    options=[{"label": form_label(f), "value": f} for f in FORMS],
                                    value=view.form,
                                ),
                            ]
                        ),
                        md=6,
                    ),
                ],
                className="g-3 mt-1",
            ),
        ],
        className="compare-controls mb-3",
    )


def parts(comparison: Comparison, theme: str):
    """Figure, comparability badge, no-data summary, table and sources for one comparison."""
    return (
        figure_for(comparison, theme),
        badge(comparison),
        summary(comparison),
        table(comparison),
        sources(comparison),
    )


def badge(comparison: Comparison):
    text = comparability_badge(comparison)
    if not text:
        return None
    return dbc.Alert(
        [html.Strong(text), html.Ul([html.Li(reason) for reason in comparison.reasons], className="mb-0")],
        color="warning",
        className="compare-badge",
    )


def summary(comparison: Comparison):
    lines = []
    missing = comparison.missing
    if not missing.empty:
        names = ", ".join(dict.fromkeys(missing["pilot"]))
        lines.append(t("No data for: {pilots}. They are listed in the table with the reason.", pilots=names))
    if comparison.thinned:
        kept, total = comparison.thinned
        lines.append(
            t(
                "The series are long: {kept} of {total} values are drawn, evenly spaced with the first and "
                "last of each series kept. Narrow the periods to see every value.",
                kept=kept,
                total=total,
            )
        )
    if comparison.capped:
        shown, chosen = comparison.capped
        lines.append(
            t(
                "Small multiples show the first {shown} of {chosen} pilots: choose pilots to see others.",
                shown=shown,
                chosen=chosen,
            )
        )
    return [html.P(line) for line in lines] or None


def table(comparison: Comparison):
    frame = comparison.table
    shown = frame.head(MAX_TABLE_ROWS)
    header = [
        t("Pilot"),
        t("Indicator"),
        t("Period"),
        t("Group"),
        t("Value"),
        t("Unit"),
        t("Reported value"),
        t("Status"),
        t("Source"),
        t("Note"),
    ]
    rows = []
    for r in shown.itertuples(index=False):
        if r.no_data:
            value_cell = html.Td([html.Em(t("no data")), f" ({r.no_data})"], colSpan=1)
        else:
            value_cell = html.Td(format_number(r.value), className="text-end")
        rows.append(
            html.Tr(
                [
                    html.Th(r.pilot, scope="row"),
                    html.Td(r.indicator),
                    html.Td(r.period),
                    html.Td(r.group),
                    value_cell,
                    html.Td(r.unit),
                    html.Td(
                        f"{format_number(r.raw_value)} {r.raw_unit}" if r.raw_value == r.raw_value else "",
                        className="text-end",
                    ),
                    html.Td(status_badge(r.status) if r.status else ""),
                    html.Td(source_links(r.source) if r.source else ""),
                    html.Td(r.note, className="compare-note"),
                ]
            )
        )
    caption = t("{n} rows: exactly the values plotted, and the pilots with no data.", n=len(frame))
    if len(frame) > MAX_TABLE_ROWS:
        caption += " " + t("The first {n} are shown here; the CSV has them all.", n=MAX_TABLE_ROWS)
    return dbc.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
            html.Tbody(rows),
        ],
        bordered=True,
        size="sm",
        className="compare-table",
    )


def sources(comparison: Comparison):
    plotted = comparison.plotted
    urls = list(dict.fromkeys(s for cell in plotted["source"] for s in cell.split(";") if s.strip()))
    if not urls:
        return html.P(t("No sources: nothing is plotted."))
    return html.Ol([html.Li(source_links(url.strip())) for url in urls[:200]], className="compare-sources")
