"""A lesson's evidence panels, behind one seam: the Compare and Networks pages' figure builders when
they are there, else simple charts and tables of our own. Either way every chart has a table beside it.
"""

from __future__ import annotations

import importlib
import logging

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from crosspilot.figures.lessons import indicator_dots
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.lessons import IndicatorEvidence, NetworkEvidence
from crosspilot.structure import format_metric, metric_label, structure
from layouts import ids
from layouts.common import graph, source_links, status_badge

log = logging.getLogger(__name__)


def _builder(module: str, name: str):
    """A figure builder of another page, or None while that page has not landed."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def indicator_figure(snapshot, item: IndicatorEvidence, values: pd.DataFrame, names: dict, theme: str):
    """The Compare page's dot chart of this indicator for these pilots, else our own dot chart."""
    compare_figure = _builder("crosspilot.figures.compare", "compare_figure")
    if compare_figure is not None:
        try:
            return compare_figure(
                snapshot, [item.indicator], list(item.pilots), mode="absolute", form="dots", theme=theme
            )
        except Exception:  # noqa: BLE001 - another page's builder must never cost the lesson its evidence
            log.exception("compare_figure failed for %s; drawing the fallback chart", item.indicator)
    indicators = snapshot.indicators.set_index("indicator_id")
    label = indicators.at[item.indicator, "label"] if item.indicator in indicators.index else item.indicator
    unit = indicators.at[item.indicator, "unit"] if item.indicator in indicators.index else ""
    return indicator_dots(values, label, unit, names, theme)


def indicator_panel(snapshot, item: IndicatorEvidence, values: pd.DataFrame, names: dict, theme: str):
    indicators = snapshot.indicators.set_index("indicator_id")
    known = item.indicator in indicators.index
    label = indicators.at[item.indicator, "label"] if known else item.indicator
    unit = indicators.at[item.indicator, "unit"] if known else ""
    own = values[values["indicator_id"].eq(item.indicator) & values["pilot_id"].isin(item.pilots)]
    pilots = ", ".join(names.get(p, p) for p in item.pilots)
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
                indicator_figure(snapshot, item, own, names, theme),
                t(
                    "{label} for {pilots}. Shape shows provenance: filled published, ringed estimate, "
                    "hollow illustrative. The values are in the table below.",
                    label=label,
                    pilots=pilots,
                ),
            ),
            _values_table(own, unit, names),
        ],
        className="evidence-panel",
    )


def _values_table(values: pd.DataFrame, unit: str, names: dict) -> dbc.Table:
    header = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in (t("Pilot"), t("Period"), t("Value"), t("Provenance"), t("Note"))
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(names.get(r.pilot_id, r.pilot_id) + (f" ({r.group})" if r.group else "")),
                html.Td(r.period),
                html.Td(Formatter().value(r.value, unit)),
                html.Td([status_badge(r.status), " ", *source_links(r.source)]),
                html.Td(r.note, className="small"),
            ]
        )
        for r in values.itertuples(index=False)
    ]
    return dbc.Table([header, html.Tbody(rows)], bordered=True, size="sm", className="evidence-table")


def network_panel(snapshot, items: tuple[NetworkEvidence, ...], names: dict, theme: str) -> html.Div:
    """The network features a lesson cites: the Networks page's chart where it has landed, and always a
    table of the metrics (computed with networkx) with their provenance."""
    rows, charts = [], []
    for item in items:
        network = snapshot.networks.get(item.pilot)
        if network is None:
            rows.append(_metric_row(names.get(item.pilot, item.pilot), item.metric, None, ""))
            continue
        found = structure(item.pilot, network)
        rows.append(
            _metric_row(
                names.get(item.pilot, item.pilot),
                item.metric,
                format_metric(item.metric, found.value(item.metric)),
                found.status(item.metric),
            )
        )
        if item.pilot not in {c[0] for c in charts}:
            chart = network_chart(item.pilot, network, theme)
            if chart is not None:
                charts.append((item.pilot, chart))
    header = html.Thead(
        html.Tr(
            [html.Th(h, scope="col") for h in (t("Pilot"), t("Network feature"), t("Value"), t("Provenance"))]
        )
    )
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
                                pilot=names.get(pilot, pilot),
                            ),
                            className="cp-caption",
                        ),
                    ],
                    className="cp-figure",
                )
                for pilot, chart in charts
            ],
            dbc.Table(
                [header, html.Tbody(rows)],
                bordered=True,
                size="sm",
                id=ids.LESSONS_NETWORK_TABLE,
                className="evidence-table",
            ),
            html.P(
                t(
                    "Computed from the stakeholders and ties in the data. A feature drawn from illustrative "
                    "ties is illustrative too, and does not count as evidence."
                ),
                className="small text-body-secondary",
            ),
        ],
        className="evidence-panel",
    )


def network_chart(pilot: str, network, theme: str):
    """The Networks page's drawing of one pilot's network (cytoscape, preset positions), or None."""
    elements = _builder("crosspilot.figures.networks", "graph_to_elements")
    style = _builder("crosspilot.figures.networks", "stylesheet")
    view = _builder("crosspilot.figures.networks", "NetworkView")
    ties_of = _builder("crosspilot.networks", "tie_graph")
    layout_of = _builder("crosspilot.networks", "compute_layout")
    metrics_of = _builder("crosspilot.networks", "compute_metrics")
    if None in (elements, style, view, ties_of, layout_of, metrics_of):
        return None
    try:
        import dash_cytoscape as cyto

        ties = ties_of(network)
        nodes, _, _ = metrics_of(ties)
        return cyto.Cytoscape(
            id=ids.lessons_network_graph(pilot),
            elements=elements(ties, layout_of(ties), nodes, view(theme=theme)),
            stylesheet=style(theme),
            layout={"name": "preset", "fit": True, "padding": 20},
            style={"width": "100%", "height": "420px" if theme == "projector" else "340px"},
            userZoomingEnabled=False,
            autoungrabify=True,
        )
    except Exception:  # noqa: BLE001 - another page's builder must never cost the lesson its table
        log.exception("the network drawing failed for %s; showing the table only", pilot)
        return None


def _metric_row(pilot: str, metric: str, value: str | None, status: str) -> html.Tr:
    return html.Tr(
        [
            html.Td(pilot),
            html.Td(metric_label(metric)),
            html.Td(value if value is not None else t("no network in this dataset")),
            html.Td(status_badge(status) if status else ""),
        ]
    )
