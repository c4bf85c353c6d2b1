"""Governance models (/lessons/governance): pilots × co-creation stages, and governance beside network
structure. Every classification shows its source, or that it is illustrative."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from crosspilot.contract import STAGES
from crosspilot.figures.lessons import governance_matrix, governance_structure_scatter
from crosspilot.governance import (
    correlation,
    governance_models,
    governance_vs_structure,
    level_label,
    sector_label,
)
from crosspilot.i18n import t, tn
from crosspilot.structure import format_metric
from crosspilot.views import governance as views
from crosspilot.vocabulary import term
from layouts import ids
from layouts.common import computed_from, graph, link_notice, source_links, status_badge
from layouts.lessons_common import decisions_in_force, lesson_status_badge, section_head, status_of
from layouts.tables import Column, table


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    _, notices = views.parse(context.derived, query)
    snapshot = context.derived.snapshot
    models = [m for m in governance_models(snapshot.governance, snapshot.pilots) if m.stages]
    labels = context.derived.pilots.short
    head = [
        *section_head(
            t("Governance models"),
            views.PATH,
            theme,
            t(
                "For each pilot: the co-creation stages a source describes, the citizens' role at each "
                "(0 inform, 1 consult, 2 involve, 3 collaborate, 4 empower) and the sector that led. A "
                "stage no source describes is not classified: unknown, not skipped. "
                "Partners can validate each model in a workshop, like a lesson."
            ),
        ),
        link_notice(notices),
    ]
    if not models:
        return html.Div([*head, html.P(t("This dataset has no governance table."))])
    fmt = context.fmt
    illustrative = sum(r.status == "illustrative" for m in models for r in m.stages)
    total = sum(len(m.stages) for m in models)
    unknown = sum(len(m.unclassified) for m in models)
    comparison = governance_vs_structure(models, snapshot.networks, context.derived.structures)
    return html.Div(
        [
            *head,
            dbc.Alert(
                t(
                    "{n} of {total} classifications are illustrative: the sources describe the stage, but "
                    "the level and the lead sector are a reading of them, not a published rating.",
                    n=fmt.count(illustrative),
                    total=fmt.count(total),
                ),
                color="light",
                className="border border-dark",
            )
            if illustrative
            else None,
            html.H2(t("Citizens' role at each stage")),
            html.P(
                t(
                    "{n} of {cells} pilot stages are not classified: no source describes them, so whether "
                    "those pilots worked on them is unknown.",
                    n=fmt.count(unknown),
                    cells=fmt.count(unknown + total),
                ),
                id=ids.LESSONS_GOV_UNCLASSIFIED,
            )
            if unknown
            else None,
            graph(
                ids.LESSONS_GOV_MATRIX,
                governance_matrix(models, labels, theme),
                t(
                    "Pilots (rows) by co-creation stage (columns). Each cell gives the level as a number and "
                    "a word; bigger, darker squares mean a stronger role; hollow squares are illustrative; "
                    "a dash means the stage is not classified (no source describes it, which does not mean "
                    "the pilot skipped it). The same matrix, with sources, is in the table below."
                ),
            ),
            _matrix_table(context, models, labels),
            html.H2(t("Governance and network structure"), className="mt-4"),
            html.P(
                t(
                    "Does a stronger citizens' role go with a less centralised network, or with more ties to "
                    "citizens? Each point is a pilot: its mean role across its classified stages, against "
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
            _correlations(fmt, comparison),
            _comparison_table(fmt, comparison, labels),
        ]
    )


def _cell(role) -> list:
    if role is None:
        return [
            html.Span("– ", **{"aria-hidden": "true"}),
            html.Span(level_label(None), className="gov-unclassified"),
        ]
    return [
        html.Span(level_label(role.level), className=f"gov-level gov-level-{role.level}"),
        html.Br(),
        status_badge(role.status),
        " ",
        *(source_links(role.source) if role.source else [html.Span(t("no source"), className="small")]),
    ]


def _matrix_table(context, models, labels) -> html.Div:
    decisions_for = decisions_in_force(context)
    columns = [
        Column(t("Pilot"), row_header=True),
        t("Lead sector"),
        *[term("stage", stage) for stage in STAGES],
        t("Validation"),
    ]
    rows = []
    for model in models:
        status, history = status_of(model, decisions_for)
        decided = sum(c.via == "workshop" for c in history)
        rows.append(
            (
                [labels.get(model.pilot_id, model.pilot_id), html.Br(), html.Small(model.name)],
                sector_label(model.lead_sector),
                *[html.Td(_cell(model.role(stage)), className="gov-cell") for stage in STAGES],
                [
                    lesson_status_badge(status),
                    html.Div(
                        tn("{n} workshop decision", "{n} workshop decisions", decided), className="small"
                    )
                    if history
                    else None,
                    html.Div(html.Code(model.item_id), className="small"),
                ],
            )
        )
    return table(
        columns,
        rows,
        id=ids.LESSONS_GOV_TABLE,
        className="gov-table",
        scroll_label=t("Governance models, scrollable"),
        row_id=[f"governance-{model.pilot_id}" for model in models],
    )


def _signed(fmt, value: float) -> str:
    return ("+" if value >= 0 else "\u2212") + fmt.fixed(abs(value), 2)


def _correlations(fmt, frame) -> html.P:
    parts = []
    for metric, label in (
        ("degree_centralisation", t("degree centralisation")),
        ("citizen_tie_share", t("the share of ties with citizens")),
    ):
        rho = correlation(frame, "mean_level", metric)
        if rho is not None:
            parts.append(
                t(
                    "rank correlation of the citizens' mean role with {label}: {rho}",
                    label=label,
                    rho=_signed(fmt, rho),
                )
            )
    if not parts:
        return html.P()
    return html.P(
        [
            html.Strong(t("Across {n} pilots, ", n=fmt.count(len(frame)))),
            "; ".join(parts) + ". ",
            t(
                "With this few pilots, illustrative classifications and mostly illustrative ties, read "
                "this as a question for the partners, not as a finding."
            ),
        ],
        id=ids.LESSONS_GOV_COMPARISON,
    )


def _comparison_table(fmt, frame, labels: dict) -> html.Details:
    columns = [
        Column(t("Pilot"), row_header=True),
        t("Lead sector"),
        Column(t("Stages classified"), numeric=True),
        Column(t("Mean role (classified stages)"), numeric=True),
        t("Strongest role"),
        Column(t("Degree centralisation"), numeric=True),
        Column(t("Share of ties with citizens"), numeric=True),
        t("Provenance"),
    ]
    rows = [
        (
            labels.get(r.pilot_id, r.pilot_id),
            sector_label(r.lead_sector),
            t("{n} of {total}", n=fmt.count(r.stages_classified), total=fmt.count(len(STAGES))),
            fmt.fixed(r.mean_level, 1),
            level_label(r.max_level),
            format_metric("degree_centralisation", r.degree_centralisation, fmt) if r.network_status else "–",
            format_metric("citizen_tie_share", r.citizen_tie_share, fmt) if r.network_status else "–",
            [
                t("roles: "),
                status_badge(r.governance_status),
                " ",
                t("network: "),
                computed_from(r.network_inputs, fmt) if r.network_inputs is not None else t("none"),
            ],
        )
        for r in frame.itertuples(index=False)
    ]
    return html.Details(
        [
            html.Summary(t("Governance and network structure as a table")),
            table(
                columns,
                rows,
                className="mt-2",
                scroll_label=t("Governance and network structure, scrollable"),
            ),
        ],
        open=True,
    )
