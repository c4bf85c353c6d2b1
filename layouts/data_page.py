"""Data: what is loaded, from where, at which version, and the validation report."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from crosspilot.contract import TABLES
from crosspilot.i18n import t
from layouts import ids


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    snapshot = context.snapshot
    counts = snapshot.row_counts()
    rows = [
        html.Tr(
            [
                html.Th(name, scope="row"),
                html.Td(f"{counts[name]:,}", className="text-end"),
                html.Td(t("required") if TABLES[name].required else t("optional")),
            ]
        )
        for name in TABLES
    ]
    rows.append(
        html.Tr(
            [
                html.Th(t("networks"), scope="row"),
                html.Td(f"{len(snapshot.networks):,}", className="text-end"),
                html.Td(t("built from nodes and edges")),
            ]
        )
    )
    report = snapshot.report
    return html.Div(
        [
            html.H1(t("Data")),
            html.Dl(
                [
                    html.Dt(t("Dataset folder")),
                    html.Dd(html.Code(snapshot.source)),
                    html.Dt(t("Version (content hash)")),
                    html.Dd(html.Code(snapshot.version)),
                    html.Dt(t("Loaded from")),
                    html.Dd(t("Parquet cache") if snapshot.from_cache else t("the files, validated now")),
                ],
                className="data-meta",
            ),
            html.H2(t("Tables")),
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t("Table"), scope="col"),
                                html.Th(t("Rows"), scope="col"),
                                html.Th(t("In the contract"), scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                id=ids.DATA_TABLES,
                bordered=True,
                size="sm",
                className="w-auto",
            ),
            html.H2(t("Files")),
            html.Ul([html.Li(html.Code(f)) for f in snapshot.files]),
            html.H2(t("Validation report")),
            html.Div(
                [
                    html.P(
                        t(
                            "Result: {e} error(s), {w} warning(s).",
                            e=len(report.errors),
                            w=len(report.warnings),
                        )
                    ),
                    html.Ul([html.Li(str(p), className=f"problem-{p.severity}") for p in report.problems])
                    if report.problems
                    else html.P(t("No problems found.")),
                ],
                id=ids.DATA_REPORT,
            ),
        ]
    )
