"""A lesson's evidence panels, drawn with the Compare and Networks pages' own builders (the same chart
as on those pages), each chart with a table of its values beside it."""

from __future__ import annotations

import logging

import pandas as pd
from dash import dcc, html

from crosspilot.compare import period_key
from crosspilot.figures.compare import compare_figure
from crosspilot.figures.lessons import indicator_dots
from crosspilot.figures.networks import NetworkView, graph_to_elements, stylesheet
from crosspilot.i18n import t
from crosspilot.lessons import IndicatorEvidence, NetworkEvidence
from crosspilot.structure import format_metric, metric_label
from layouts import ids
from layouts.common import computed_from, graph, marks_note, source_links, status_badge
from layouts.tables import Column, table

log = logging.getLogger(__name__)


def _indicator(context, indicator_id: str) -> tuple[str, str]:
    """The indicator's label and unit (its id and no unit when the table does not know it)."""
    indicators = context.derived.snapshot.indicators
    row = indicators[indicators["indicator_id"].eq(indicator_id)]
    if not len(row):
        return indicator_id, ""
    return str(row["label"].iloc[0]), str(row["unit"].iloc[0] or "")


def indicator_figure(context, item: IndicatorEvidence, values: pd.DataFrame, theme: str):
    """The Compare page's dot chart of this indicator for these pilots, from the app's compare index."""
    try:
        return compare_figure(
            context.derived.compare_index,
            [item.indicator],
            list(item.pilots),
            mode="absolute",
            form="dots",
            theme=theme,
        )
    except Exception:  # noqa: BLE001 - another page's builder must never cost the lesson its evidence
        log.exception("compare_figure failed for %s; drawing the lesson's own dot chart", item.indicator)
    label, unit = _indicator(context, item.indicator)
    return indicator_dots(values, label, unit, context.derived.pilots.short, theme, fmt=context.fmt)


def indicator_panel(context, item: IndicatorEvidence, values: pd.DataFrame, theme: str):
    label, unit = _indicator(context, item.indicator)
    short = context.derived.pilots.short
    own = values[values["indicator_id"].eq(item.indicator) & values["pilot_id"].isin(item.pilots)]
    pilots = ", ".join(short.get(p, p) for p in item.pilots)
    if not len(own):
        return html.Div(
            [
                html.H4(label, className="h6"),
                html.P(t("No values for {pilots} in this dataset.", pilots=pilots)),
            ],
            className="evidence-panel",
        )
    return html.Div(
        [
            graph(
                ids.lessons_indicator_graph(item.indicator),
                indicator_figure(context, item, own, theme),
                t(
                    "{label} for {pilots}. Shape shows provenance: filled published, ringed estimate, "
                    "hollow illustrative. The values are in the table below.",
                    label=label,
                    pilots=pilots,
                ),
            ),
            _values_table(context, own, unit),
        ],
        className="evidence-panel",
    )


# An evidence table lists at most this many values (the latest); a long series is for Compare.
MAX_EVIDENCE_ROWS = 24


def _values_table(context, values: pd.DataFrame, unit: str):
    short, fmt = context.derived.pilots.short, context.fmt
    total = len(values)
    caption = None
    if total > MAX_EVIDENCE_ROWS:
        pilots = ",".join(dict.fromkeys(values["pilot_id"]))
        keys = [period_key(str(p)) for p in values["period"]]
        latest = sorted(sorted(range(total), key=keys.__getitem__)[-MAX_EVIDENCE_ROWS:])
        values = values.iloc[latest]
        caption = [
            t(
                "The latest {shown} of {total} values are listed. ",
                shown=fmt.count(MAX_EVIDENCE_ROWS),
                total=fmt.count(total),
            ),
            dcc.Link(
                t("Compare them over time"),
                href=f"/compare?pilots={pilots}&indicators={values['indicator_id'].iloc[0]}&form=lines",
            ),
        ]
    rows = [
        (
            short.get(r.pilot_id, r.pilot_id) + (f" ({r.group})" if r.group else ""),
            r.period,
            fmt.value(r.value, unit),
            [status_badge(r.status), " ", *source_links(r.source)],
            html.Span(r.note, className="small"),
        )
        for r in values.itertuples(index=False)
    ]
    columns = [
        Column(t("Pilot"), row_header=True),
        t("Period"),
        Column(t("Value"), numeric=True),
        t("Provenance"),
        t("Note"),
    ]
    return table(columns, rows, caption=caption, className="evidence-table")


def network_panel(context, items: tuple[NetworkEvidence, ...], theme: str) -> html.Div:
    """The network features a lesson cites: the Networks page's drawing of each pilot's network, and
    always a table of the metrics with their provenance."""
    short, fmt = context.derived.pilots.short, context.fmt
    networks = context.snapshot.networks
    rows, charts = [], {}
    for item in items:
        pilot = short.get(item.pilot, item.pilot)
        network = networks.get(item.pilot)
        if network is None:
            rows.append((pilot, metric_label(item.metric), t("no network in this dataset"), ""))
            continue
        found = context.derived.structures[item.pilot]
        inputs = found.inputs(item.metric)  # a computed share is never "Published": say what it rests on
        rows.append(
            (
                pilot,
                metric_label(item.metric),
                inputs.marked(format_metric(item.metric, found.value(item.metric), fmt)),
                computed_from(inputs, fmt),
            )
        )
        if item.pilot not in charts:
            charts[item.pilot] = network_chart(context, item.pilot, theme)
    columns = [
        Column(t("Pilot"), row_header=True),
        t("Network feature"),
        Column(t("Value"), numeric=True),
        t("Computed from"),
    ]
    return html.Div(
        [
            *[
                html.Figure(
                    [
                        chart,
                        html.Figcaption(
                            t(
                                "Stakeholder network of {pilot}, drawn as on the Networks page; its metrics "
                                "are in the table below.",
                                pilot=short.get(pilot, pilot),
                            ),
                            className="cp-caption",
                        ),
                    ],
                    className="cp-figure",
                )
                for pilot, chart in charts.items()
                if chart is not None
            ],
            table(columns, rows, id=ids.LESSONS_NETWORK_TABLE, className="evidence-table"),
            html.P(
                t(
                    "Computed from the stakeholders and ties in the data. A feature computed in part from "
                    "illustrative data does not count as evidence."
                ),
                className="small text-body-secondary",
            ),
            marks_note(),
        ],
        className="evidence-panel",
    )


def network_chart(context, pilot: str, theme: str):
    """The Networks page's drawing of one pilot's network (cytoscape, positions computed once by the
    app's network store), or None when it cannot be drawn."""
    try:
        import dash_cytoscape as cyto

        analysis = context.derived.networks.analysis(pilot)
        height = 420 if theme == "projector" else 340
        return cyto.Cytoscape(
            id=ids.lessons_network_graph(pilot),
            elements=graph_to_elements(
                analysis.ties, analysis.positions(), analysis.nodes, NetworkView(theme=theme)
            ),
            stylesheet=stylesheet(theme, height, 20),
            layout={"name": "preset", "fit": True, "padding": 20},
            style={"width": "100%", "height": f"{height}px"},
            userZoomingEnabled=False,
            autoungrabify=True,
        )
    except Exception:  # noqa: BLE001 - another page's builder must never cost the lesson its table
        log.exception("the network drawing failed for %s; showing the table only", pilot)
        return None
