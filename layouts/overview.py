"""Overview: where the pilots are, what each one does, and the programme's headline figures."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from crosspilot.countries import country_name
from crosspilot.dataset import Snapshot
from crosspilot.figures.overview import pilot_map
from crosspilot.i18n import t
from layouts import ids
from layouts.common import graph, source_links, status_badge


def format_value(value: float, unit: str = "") -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}\u00a0%" if unit.strip() in ("%", "percent") else text


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    snapshot = context.snapshot
    pilots = snapshot.pilots
    countries = sorted(set(pilots["country"]))
    return html.Div(
        [
            html.H1(t("Overview")),
            html.P(
                t(
                    "{pilots} pilot sites in {countries} countries.",
                    pilots=len(pilots),
                    countries=len(countries),
                ),
                className="lead",
            ),
            _provenance_summary(snapshot),
            html.H2(t("Where the pilots are")),
            graph(
                ids.OVERVIEW_MAP,
                pilot_map(pilots, theme),
                t(
                    "Map of the pilot sites. Each site is described in a card below; "
                    "the coordinates are in the table under the map."
                ),
            ),
            _map_table(pilots),
            _headline_figures(snapshot),
            html.H2(t("The pilots")),
            dbc.Row(
                [
                    dbc.Col(_pilot_card(snapshot, row), md=6, xl=4, className="mb-3")
                    for row in pilots.itertuples(index=False)
                ],
            ),
        ]
    )


def _provenance_summary(snapshot: Snapshot) -> html.P:
    """How much of what is shown is published, so nobody mistakes a drawing for a finding."""

    def counts(frame: pd.DataFrame) -> str:
        by_status = frame["status"].value_counts()
        return ", ".join(
            f"{by_status.get(status, 0)} {label}"
            for status, label in (
                ("published", t("published")),
                ("estimate", t("estimated")),
                ("illustrative", t("illustrative")),
            )
            if by_status.get(status, 0)
        )

    parts = [t("Values: {counts}.", counts=counts(snapshot.outcomes))] if len(snapshot.outcomes) else []
    if len(snapshot.edges):
        parts.append(t("Stakeholder ties: {counts}.", counts=counts(snapshot.edges)))
    parts.append(
        t("Illustrative items are not stated by any source and are marked as such wherever they appear.")
    )
    return html.P(" ".join(parts), className="provenance-summary")


def _headline_figures(snapshot: Snapshot) -> html.Section:
    figures = snapshot.figures
    items = [
        _figure_tile(format_value(row.value, row.unit), row.label, row.status, row.source, row.note)
        for row in figures.itertuples(index=False)
    ]
    if not items:
        return html.Section()
    return html.Section(
        [html.H2(t("Headline figures")), dbc.Row([dbc.Col(i, sm=6, lg=3, className="mb-3") for i in items])],
        **{"aria-label": t("Headline figures")},
    )


def _figure_tile(value: str, label: str, status: str, source: str, note: str) -> html.Div:
    return html.Div(
        [
            html.Div(value, className="figure-value"),
            html.Div(label, className="figure-label"),
            html.Div(note, className="figure-note") if note else None,
            html.Div([status_badge(status), " ", *source_links(source)], className="figure-source"),
        ],
        className=f"figure-tile status-border-{status}",
    )


def _map_table(pilots: pd.DataFrame) -> html.Details:
    rows = [
        html.Tr(
            [
                html.Td(r.name),
                html.Td(r.place),
                html.Td(country_name(r.country)),
                html.Td("" if pd.isna(r.lat) else f"{r.lat:.2f}"),
                html.Td("" if pd.isna(r.lon) else f"{r.lon:.2f}"),
            ]
        )
        for r in pilots.itertuples(index=False)
    ]
    header = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in (t("Pilot"), t("Place"), t("Country"), t("Latitude"), t("Longitude"))
            ]
        )
    )
    return html.Details(
        [
            html.Summary(t("Map data as a table")),
            dbc.Table([header, html.Tbody(rows)], bordered=True, size="sm", className="mt-2"),
        ],
        className="mb-4",
    )


def _split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _pilot_card(snapshot: Snapshot, pilot) -> dbc.Card:
    outcomes = snapshot.outcomes
    indicators = snapshot.indicators.set_index("indicator_id")
    own = outcomes[outcomes["pilot_id"] == pilot.pilot_id]
    figures = []
    for row in own.itertuples(index=False):
        label = (
            indicators.at[row.indicator_id, "label"]
            if row.indicator_id in indicators.index
            else row.indicator_id
        )
        unit = indicators.at[row.indicator_id, "unit"] if row.indicator_id in indicators.index else ""
        figures.append(
            html.Li(
                [
                    html.Strong(format_value(row.value, unit)),
                    " ",
                    label,
                    html.Span(f" ({row.period})", className="text-body-secondary") if row.period else None,
                    html.Br(),
                    html.Small(row.note) if row.note else None,
                    html.Div([status_badge(row.status), " ", *source_links(row.source)], className="small"),
                ],
                className="pilot-figure",
            )
        )
    period = " – ".join(p for p in (pilot.start, pilot.end) if p)
    facts = [
        (t("Target group"), pilot.target_group),
        (t("Service"), pilot.service),
        (t("Lead organisations"), "; ".join(_split(pilot.lead_organisations))),
        (t("Period"), period),
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(pilot.name, className="h5 card-title"),
                html.P(
                    [
                        html.Span(pilot.place or "", className="fw-semibold"),
                        ", " if pilot.place else "",
                        country_name(pilot.country),
                    ],
                    className="card-subtitle mb-2",
                ),
                html.Dl(
                    [item for label, value in facts if value for item in (html.Dt(label), html.Dd(value))],
                    className="pilot-facts",
                ),
                html.Div(
                    [html.Span(t("Methods"), className="visually-hidden")]
                    + [html.Span(m, className="badge method-badge") for m in _split(pilot.methods)],
                    className="mb-2",
                ),
                html.H4(t("Figures"), className="h6") if figures else None,
                html.Ul(figures, className="list-unstyled")
                if figures
                else html.P(t("No published figures for this pilot."), className="text-body-secondary small"),
                html.P([t("Sources: "), *source_links(pilot.source_url)], className="small mb-0")
                if pilot.source_url
                else None,
            ]
        ),
        className="h-100 pilot-card",
        id=f"pilot-{pilot.pilot_id}",
    )
