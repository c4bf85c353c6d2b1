"""Compare: pilots side by side on the same indicators, every value with its provenance."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from crosspilot.compare import FORMS, MODES, CompareIndex, Comparison, compare, form_label, mode_label
from crosspilot.figures.compare import comparability_badge, figure_for
from crosspilot.figures.compare.common import basis_label
from crosspilot.formatting import Formatter
from crosspilot.i18n import N_, t
from crosspilot.views import compare as views
from layouts import ids
from layouts.common import graph, scroll_box, source_links, status_badge
from layouts.controls import checklist, radios, select_columns
from layouts.static import static
from layouts.tables import Column
from layouts.tables import table as build_table

MAX_TABLE_ROWS = 100  # the CSV has every row; the page shows the first ones


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    derived = context.derived
    index = derived.compare_index
    view, notices = views.parse(derived, query)
    comparison = compare(index, view)
    figure, badge, summary, table, sources = parts(comparison, theme, context.fmt)
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
        [
            html.Strong(t("Part of this link was not understood. ")),
            html.Ul([html.Li(text) for text in notices], className="mb-0"),
        ],
        color="warning",
    )


def controls(index: CompareIndex, view: views.View) -> html.Div:
    indicator_options = [
        (i.indicator_id, f"{i.label} ({i.unit})" if i.unit else i.label)
        for i in sorted(index.indicators.values(), key=lambda i: i.label.lower())
        if i.indicator_id in index.blocks
    ]
    pilot_options = [(p, index.pilot_labels[p]) for p in index.pilot_names]
    period_options = [(p, p) for p in index.periods]
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
                        checklist(
                            ids.COMPARE_INDICATORS,
                            t("Indicators"),
                            indicator_options,
                            view.indicators,
                            scroll=True,
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        checklist(
                            ids.COMPARE_PILOTS,
                            t("Pilots"),
                            pilot_options,
                            view.pilots,
                            hint=t("None ticked: all pilots."),
                            scroll=True,
                        ),
                        md=6,
                    ),
                ],
                className="g-3",
            ),
            dbc.Row(
                select_columns(
                    [
                        (
                            ids.COMPARE_FROM,
                            t("From period"),
                            period_options,
                            view.periods[0],
                            t("Earliest"),
                            3,
                        ),
                        (ids.COMPARE_TO, t("To period"), period_options, view.periods[1], t("Latest"), 3),
                        (
                            ids.COMPARE_GROUP,
                            t("Group"),
                            [(g, g) for g in index.groups],
                            view.group,
                            t("All groups"),
                            6,
                        ),
                    ]
                ),
                className="g-3 mt-1",
            ),
            dbc.Row(
                [
                    dbc.Col(radios(ids.COMPARE_MODE, t("Values"), modes, view.mode), md=6),
                    dbc.Col(
                        radios(ids.COMPARE_FORM, t("Chart"), [(f, form_label(f)) for f in FORMS], view.form),
                        md=6,
                    ),
                ],
                className="g-3 mt-1",
            ),
        ],
        className="compare-controls mb-3",
    )


def parts(comparison: Comparison, theme: str, fmt: Formatter):
    """Figure, comparability badge, no-data summary, table and sources for one comparison."""
    return (
        figure_for(comparison, theme, fmt),
        badge(comparison),
        summary(comparison, fmt),
        table(comparison, fmt),
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


def summary(comparison: Comparison, fmt: Formatter):
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
                kept=fmt.count(kept),
                total=fmt.count(total),
            )
        )
    if comparison.capped:
        shown, chosen = comparison.capped
        words = {
            "multiples": N_(
                "Small multiples show the first {shown} of {chosen} pilots: choose pilots to see others."
            ),
            "slope": N_(
                "The slope chart shows the first {shown} of {chosen} pilots: choose pilots to see others."
            ),
        }[comparison.view.form]
        lines.append(t(words, shown=fmt.count(shown), chosen=fmt.count(chosen)))
    return [html.P(line, className="compare-limit") for line in lines] or None


def _columns() -> tuple[Column, ...]:
    return (
        Column(t("Pilot"), row_header=True),
        Column(t("Indicator")),
        Column(t("Period")),
        Column(t("Group")),
        Column(t("Value"), numeric=True),
        Column(t("Unit")),
        Column(t("Reported value"), numeric=True),
        Column(t("Basis")),
        Column(t("Assessment")),
        Column(t("Status")),
        Column(t("Source")),
        Column(t("Note"), className="compare-note"),
    )


def table(comparison: Comparison, fmt: Formatter):
    """The plotted values (the first MAX_TABLE_ROWS), each number written by `fmt`.

    Read from the comparison's arrays, never by iterating the table's frame: a component per row
    shown, whatever the number of rows selected."""
    a = comparison.arrays
    total = len(a["value"])
    rows = []
    for k in range(min(total, MAX_TABLE_ROWS)):
        no_data, value, raw = a["no_data"][k], a["value"][k], a["raw_value"][k]
        if no_data:
            shown = html.Td([html.Em(t("no data")), f" ({no_data})"])
        else:
            shown = fmt.number(value)
        reported = f"{fmt.number(raw)} {a['raw_unit'][k]}" if raw == raw else ""
        basis = [basis_label(a["basis"][k])] if not no_data else []
        if note := a["comparability_note"][k]:
            basis += [html.Br(), html.Small("⚠ " + note)]
        status, source = a["status"][k], a["source"][k]
        rows.append(
            (
                a["pilot"][k],
                a["indicator"][k],
                a["period"][k],
                a["group"][k],
                shown,
                a["unit"][k],
                reported,
                basis,
                _assessment(a["assessment"][k], a["comparability"][k]),
                status_badge(status) if status else "",
                source_links(source) if source else "",
                a["note"][k],
            )
        )
    caption = t("{n} rows: exactly the values plotted, and the pilots with no data.", n=fmt.count(total))
    if total > MAX_TABLE_ROWS:
        caption += " " + t("The first {n} are shown here; the CSV has them all.", n=fmt.count(MAX_TABLE_ROWS))
    return static(build_table(_columns(), rows, caption=caption, className="compare-table"))


def _assessment(verdict: str, comparability: str):
    """The verdict against the baseline, and "not directly comparable" (its reasons in the badge)."""
    parts = [verdict] if verdict else []
    if comparability:
        parts += [html.Br()] if parts else []
        parts.append(
            html.Span(t("not directly comparable (see the reasons above the chart)"), className="small")
        )
    return parts


def sources(comparison: Comparison):
    a = comparison.arrays
    cells = pd.unique(a["source"][a["no_data"] == ""])  # a few distinct cells, however many rows
    urls = list(dict.fromkeys(s for cell in cells for s in cell.split(";") if s.strip()))
    if not urls:
        return html.P(t("No sources: nothing is plotted."))
    return html.Ol([html.Li(source_links(url.strip())) for url in urls[:200]], className="compare-sources")
