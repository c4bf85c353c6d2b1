"""Overview: where the pilots are, what each one does, and the programme's headline figures."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from crosspilot.countries import country_name
from crosspilot.dataset import Snapshot
from crosspilot.figures.overview import pilot_map
from crosspilot.formatting import Formatter
from crosspilot.i18n import t
from crosspilot.pilots import CARD_FIGURES, CardFigures, card_figures  # noqa: F401 (tests import them here)
from crosspilot.views import overview as views
from layouts import ids
from layouts.common import graph, link_notice, source_links, status_badge
from layouts.tables import Column, table


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    _, notices = views.parse(context.derived, query)
    snapshot, fmt = context.derived.snapshot, context.fmt
    pilots = snapshot.pilots
    countries = sorted(set(pilots["country"]))
    cards = context.derived.pilot_cards  # per snapshot, from aggregates: never one item per row
    table = snapshot.indicators
    indicators = dict(
        zip(table["indicator_id"], zip(table["label"], table["unit"], strict=True), strict=True)
    )
    return html.Div(
        [
            html.H1(t("Overview")),
            link_notice(notices),
            html.P(
                t(
                    "{pilots} pilot sites in {countries} countries.",
                    pilots=fmt.count(len(pilots)),
                    countries=fmt.count(len(countries)),
                ),
                className="lead",
            ),
            _provenance_summary(snapshot, context.derived.outcome_statuses, fmt),
            html.H2(t("Where the pilots are")),
            graph(
                ids.OVERVIEW_MAP,
                pilot_map(pilots, theme),
                t(
                    "Map of the pilot sites. Each site is described in a card below; "
                    "the coordinates are in the table under the map."
                ),
            ),
            _map_table(pilots, fmt),
            _headline_figures(snapshot, fmt),
            html.H2(t("The pilots")),
            dbc.Row(
                [
                    dbc.Col(
                        _pilot_card(row, cards.get(row.pilot_id), indicators, fmt),
                        md=6,
                        xl=4,
                        className="mb-3",
                    )
                    for row in pilots.itertuples(index=False)
                ],
            ),
        ]
    )


def _provenance_summary(snapshot: Snapshot, outcome_statuses: pd.Series, fmt: Formatter) -> html.P:
    """How much of what is shown is published, so nobody mistakes a drawing for a finding."""

    def counts(by_status: pd.Series) -> str:
        return ", ".join(
            f"{fmt.count(by_status.get(status, 0))} {label}"
            for status, label in (
                ("published", t("published")),
                ("estimate", t("estimated")),
                ("illustrative", t("illustrative")),
            )
            if by_status.get(status, 0)
        )

    parts = [t("Values: {counts}.", counts=counts(outcome_statuses))] if len(snapshot.outcomes) else []
    if len(snapshot.edges):
        parts.append(t("Stakeholder ties: {counts}.", counts=counts(snapshot.edges["status"].value_counts())))
    parts.append(
        t("Illustrative items are not stated by any source and are marked as such wherever they appear.")
    )
    return html.P(" ".join(parts), className="provenance-summary")


def _headline_figures(snapshot: Snapshot, fmt: Formatter) -> html.Section:
    figures = snapshot.figures
    items = [
        _figure_tile(
            fmt.value(row.value, row.unit, show_unit=False), row.label, row.status, row.source, row.note
        )
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


def _map_table(pilots: pd.DataFrame, fmt: Formatter) -> html.Details:
    rows = [
        (r.name, r.place, country_name(r.country), fmt.fixed(r.lat, 2), fmt.fixed(r.lon, 2))
        for r in pilots.itertuples(index=False)
    ]
    columns = [t("Pilot"), t("Place"), t("Country"), Column(t("Latitude"), numeric=True)]
    columns.append(Column(t("Longitude"), numeric=True))
    return html.Details(
        [html.Summary(t("Map data as a table")), table(columns, rows, className="mt-2")],
        className="mb-4",
    )


def _split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _more_figures(pilot_id: str, card: CardFigures, fmt: Formatter):
    if card.total <= len(card.rows):
        return None
    return html.P(
        [
            t(
                "The latest value of {shown} of {indicators} indicators ({total} values in all). ",
                shown=fmt.count(len(card.rows)),
                indicators=fmt.count(card.indicators),
                total=fmt.count(card.total),
            ),
            dcc.Link(t("Compare them over time"), href=f"/compare?pilots={pilot_id}"),
        ],
        className="small text-body-secondary",
    )


def _pilot_card(pilot, card: CardFigures | None, indicators: dict, fmt: Formatter) -> dbc.Card:
    figures = []
    for row in card.rows.itertuples(index=False) if card is not None else ():
        label, unit = indicators.get(row.indicator_id, (row.indicator_id, ""))
        figures.append(
            html.Li(
                [
                    html.Strong(fmt.value(row.value, unit, show_unit=False)),
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
                html.Ul(figures, className="list-unstyled") if figures else None,
                _more_figures(pilot.pilot_id, card, fmt) if card is not None else None,
                None
                if figures
                else html.P(t("No figures for this pilot."), className="text-body-secondary small"),
                html.P([t("Sources: "), *source_links(pilot.source_url)], className="small mb-0")
                if pilot.source_url
                else None,
            ]
        ),
        className="h-100 pilot-card",
        id=f"pilot-{pilot.pilot_id}",
    )
