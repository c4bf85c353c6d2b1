"""Data: what is loaded, from where, at which version, and the validation report."""

from __future__ import annotations

from dash import html

from crosspilot.contract import TABLES
from crosspilot.i18n import t
from crosspilot.views import data as views
from layouts import data_versions, ids
from layouts import snapshot as snapshots_page
from layouts.common import link_notice
from layouts.tables import Column, table


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    _, notices = views.parse(context.derived, query)
    snapshot, fmt = context.derived.snapshot, context.fmt
    counts = snapshot.row_counts()
    rows = [
        (name, fmt.count(counts[name]), t("required") if TABLES[name].required else t("optional"))
        for name in TABLES
    ]
    rows.append((t("networks"), fmt.count(len(snapshot.networks)), t("built from nodes and edges")))
    report = snapshot.report
    return html.Div(
        [
            html.H1(t("Data")),
            link_notice(notices),
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
            table(
                [
                    Column(t("Table"), row_header=True),
                    Column(t("Rows"), numeric=True),
                    Column(t("In the contract")),
                ],
                rows,
                id=ids.DATA_TABLES,
                className="w-auto",
            ),
            html.H2(t("Files")),
            html.Ul([html.Li(html.Code(f)) for f in snapshot.files]),
            html.H2(t("Validation report")),
            data_versions.report_block(fmt, report, id=ids.DATA_REPORT, className=None),
            *data_versions.section(context),
            *snapshots_page.listing(context),
        ]
    )
