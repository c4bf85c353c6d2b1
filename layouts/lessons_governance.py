"""Governance models (/lessons/governance): pilots × co-creation stages, and governance beside network
structure. Every classification shows its source, or that it is illustrative."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from crosspilot.contract import LEVELS, STAGES
from crosspilot.figures.lessons import governance_matrix, governance_structure_scatter
from crosspilot.governance import (
    correlation,
    governance_models,
    governance_vs_structure,
    level_label,
    sector_label,
)
from crosspilot.i18n import t
from crosspilot.structure import format_metric
from layouts import ids
from layouts.common import graph, scroll_box, source_links, status_badge
from layouts.lessons import pilot_names
from layouts.lessons_common import lesson_status_badge, section_nav, status_of

PATH = "/lessons/governance"


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    snapshot = context.snapshot
    hook = context.decisions_for
    models = [m for m in governance_models(snapshot.governance, snapshot.pilots) if m.stages]
    labels = pilot_names(snapshot)
    head = [
        html.H1(t("Governance models")),
        section_nav(PATH, theme),
        html.P(
            t(
                "For each pilot: which co-creation stages it covered, the citizens' role at each stage "
                "(0 inform, 1 consult, 2 involve, 3 collaborate, 4 empower) and the sector that led. "
                "Partners can validate each model in a workshop, like a lesson."
            ),
            className="lead mt-3",
        ),
    ]
    if not models:
        return html.Div([*head, html.P(t("This dataset has no governance table."))])
    illustrative = sum(r.status == "illustrative" for m in models for r in m.stages)
    total = sum(len(m.stages) for m in models)
    comparison = governance_vs_structure(models, snapshot.networks)
    return html.Div(
        [
            *head,
            dbc.Alert(
                t(
                    "{n} of {total} classifications are illustrative: the sources describe the stage, but "
                    "the level and the lead sector are a reading of them, not a published rating.",
                    n=illustrative,
                    total=total,
                ),
                color="light",
                className="border border-dark",
            )
            if illustrative
            else None,
            html.H2(t("Citizens' role at each stage")),
            graph(
                ids.LESSONS_GOV_MATRIX,
                governance_matrix(models, labels, theme),
                t(
                    "Pilots (rows) by co-creation stage (columns). Each cell gives the level as a number and "
                    "a word; bigger, darker squares mean a stronger role; hollow squares are illustrative; "
                    "a dash means the stage was not covered. The same matrix, with sources, is in the table "
                    "below."
                ),
            ),
            _matrix_table(models, labels, hook),
            html.H2(t("Governance and network structure"), className="mt-4"),
            html.P(
                t(
                    "Does a stronger citizens' role go with a less centralised network, or with more ties to "
                    "citizens? Each point is a pilot: its mean role across the stages it covered, against "
                    "its stakeholder network's degree centralisation (1 = a star around one stakeholder) "
                    "and the share of its ties that involve citizens."
                )
            ),
            graph(
                ids.LESSONS_GOV_SCATTER,
                governance_structure_scatter(comparison, labels, theme),
                t(
                    "Citizens' mean role against network structure, per pilot; the numbers are in the "
                    "table below."
                ),
            ),
            _correlations(comparison),
            _comparison_table(comparison, labels),
        ]
    )


def _cell(role) -> list:
    if role is None:
        return [
            html.Span("–", **{"aria-hidden": "true"}),
            html.Span(t("not covered"), className="visually-hidden"),
        ]
    return [
        html.Span(level_label(role.level), className=f"gov-level gov-level-{role.level}"),
        html.Br(),
        status_badge(role.status),
        " ",
        *(source_links(role.source) if role.source else [html.Span(t("no source"), className="small")]),
    ]


def _matrix_table(models, labels: dict, hook) -> html.Div:
    header = html.Thead(
        html.Tr(
            [html.Th(t("Pilot"), scope="col"), html.Th(t("Lead sector"), scope="col")]
            + [html.Th(t(stage.capitalize()), scope="col") for stage in STAGES]
            + [html.Th(t("Validation"), scope="col")]
        )
    )
    rows = []
    for model in models:
        status, history = status_of(model, hook)
        rows.append(
            html.Tr(
                [
                    html.Th(
                        [labels.get(model.pilot_id, model.pilot_id), html.Br(), html.Small(model.name)],
                        scope="row",
                    ),
                    html.Td(sector_label(model.lead_sector)),
                    *[html.Td(_cell(model.role(stage)), className="gov-cell") for stage in STAGES],
                    html.Td(
                        [
                            lesson_status_badge(status),
                            html.Div(
                                t("{n} workshop decision(s)", n=sum(c.via == "workshop" for c in history)),
                                className="small",
                            )
                            if history
                            else None,
                            html.Div(html.Code(model.item_id), className="small"),
                        ]
                    ),
                ],
                id=f"governance-{model.pilot_id}",
            )
        )
    return scroll_box(
        dbc.Table(
            [header, html.Tbody(rows)],
            bordered=True,
            size="sm",
            className="gov-table",
            id=ids.LESSONS_GOV_TABLE,
        ),
        t("Governance models, scrollable"),
    )


def _correlations(frame) -> html.P:
    parts = []
    for metric, label in (
        ("degree_centralisation", t("degree centralisation")),
        ("citizen_tie_share", t("the share of ties with citizens")),
    ):
        rho = correlation(frame, "mean_level", metric)
        if rho is not None:
            parts.append(
                t(
                    "rank correlation of the citizens' mean role with {label}: {rho:+.2f}",
                    label=label,
                    rho=rho,
                )
            )
    if not parts:
        return html.P()
    return html.P(
        [
            html.Strong(t("Across {n} pilots, ", n=len(frame))),
            "; ".join(parts) + ". ",
            t(
                "With this few pilots, illustrative classifications and mostly illustrative ties, read "
                "this as a question for the partners, not as a finding."
            ),
        ],
        id=ids.LESSONS_GOV_COMPARISON,
    )


def _comparison_table(frame, labels: dict) -> html.Details:
    header = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in (
                    t("Pilot"),
                    t("Lead sector"),
                    t("Stages covered"),
                    t("Mean role"),
                    t("Strongest role"),
                    t("Degree centralisation"),
                    t("Share of ties with citizens"),
                    t("Provenance"),
                )
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Th(labels.get(r.pilot_id, r.pilot_id), scope="row"),
                html.Td(sector_label(r.lead_sector)),
                html.Td(f"{r.stages_covered} / {len(STAGES)}"),
                html.Td(f"{r.mean_level:.1f}"),
                html.Td(f"{r.max_level} · {t(LEVELS[r.max_level])}"),
                html.Td(
                    format_metric("degree_centralisation", r.degree_centralisation)
                    if r.network_status
                    else "–"
                ),
                html.Td(format_metric("citizen_tie_share", r.citizen_tie_share) if r.network_status else "–"),
                html.Td(
                    [
                        t("roles: "),
                        status_badge(r.governance_status),
                        " ",
                        t("network: "),
                        status_badge(r.network_status) if r.network_status else t("none"),
                    ]
                ),
            ]
        )
        for r in frame.itertuples(index=False)
    ]
    return html.Details(
        [
            html.Summary(t("Governance and network structure as a table")),
            scroll_box(
                dbc.Table([header, html.Tbody(rows)], bordered=True, size="sm", className="mt-2"),
                t("Governance and network structure, scrollable"),
            ),
        ],
        open=True,
    )
