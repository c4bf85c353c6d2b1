"""Snapshots: the "Publish this view" box, the snapshot page `/s/<id>` and the Data page's list."""

from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot import views
from crosspilot.i18n import t, tn
from crosspilot.snapshots import FrozenDataUnavailable, Record, citation
from crosspilot.vocabulary import term
from crosspilot.workshop.errors import Unavailable
from layouts import ids
from layouts.shell import with_theme
from layouts.snapshot_pages import OWN_HEADING, body, has_chart
from layouts.tables import Column, table

log = logging.getLogger(__name__)
PREFIX = "/s/"
CITE_ANCHOR = "snapshot-cite"


def unavailable_text() -> str:
    return t("Snapshots are unavailable: the database does not answer. Try again in a few seconds.")


def _base_url() -> str:
    """The address the visitor reached this server at, for the citation's permanent link."""
    try:
        from flask import request

        return request.host_url.rstrip("/")
    except RuntimeError:  # outside a request (tests rendering a layout directly)
        return ""


def page(context, snapshot_id: str, theme: str) -> html.Div:
    """The snapshot page: what it is, how it differs from the live view, its citation and its view."""
    try:
        snapshots = context.snapshots()
        record = snapshots.get(snapshot_id)
    except Unavailable:
        return unavailable_page()
    if record is None:
        return not_found(snapshot_id)
    fmt = context.fmt
    try:
        differs = snapshots.differs(record)
    except Unavailable:
        differs = None
    live = with_theme(record.link.split("?", 1)[0], theme, _query(record.link))
    try:
        frozen = snapshots.context_for(record)
        read = views.parse_link(frozen.derived, record.link)
        kind = record.view.get("page", "")
        content = body(frozen, kind, read.view, theme)
        problem = None
    except FrozenDataUnavailable as error:
        content, problem = [], str(error)
    chart = has_chart(content)
    kind = record.view.get("page", "")
    heading = html.H1 if kind not in OWN_HEADING else (lambda text, **kw: html.P(text, **kw))
    base = _base_url()
    if differs is None:
        compared = t("Whether the current view differs cannot be said while the database does not answer.")
    elif differs:
        compared = t("The current view differs: ")
    else:
        compared = t("The current view shows the same data and decisions: ")
    header = html.Section(
        [
            html.P(t("Snapshot · {page}", page=term("snapshot_page", kind, kind)), className="kicker mb-0"),
            heading(record.title, className="snapshot-title h2" if kind in OWN_HEADING else "snapshot-title"),
            html.P(
                [
                    html.Strong(
                        t(
                            "Snapshot of {date}, data version {version}.",
                            date=fmt.date(record.created_at),
                            version=record.short_version,
                        )
                    ),
                    " ",
                    compared,
                    dcc.Link(t("open the live view"), href=live, className="snapshot-live")
                    if differs is not None
                    else None,
                ],
                className="snapshot-said lead",
            ),
            _facts(context, record),
            dbc.Alert(t("The snapshot's data cannot be shown here: {why}", why=problem), color="danger")
            if problem
            else None,
            html.Div(
                [
                    html.Button(t("Download PNG"), id=ids.SNAPSHOT_PNG, className="btn btn-outline-dark")
                    if chart
                    else None,
                    html.Button(t("Download SVG"), id=ids.SNAPSHOT_SVG, className="btn btn-outline-dark")
                    if chart
                    else None,
                    html.Button(
                        t("Print or save as PDF"), id=ids.SNAPSHOT_PRINT, className="btn btn-outline-dark"
                    ),
                    html.A(t("Cite this snapshot"), href=f"#{CITE_ANCHOR}", className="btn btn-outline-dark"),
                    dcc.Store(id=ids.SNAPSHOT_SINK),
                ],
                className="snapshot-actions d-flex flex-wrap gap-2 my-2",
            ),
        ],
        id=ids.SNAPSHOT_HEADER,
        className="snapshot-header",
        **{"aria-label": t("About this snapshot")},
    )
    return html.Div(
        [
            header,
            html.Div(content, id=ids.SNAPSHOT_BODY, className="snapshot-body"),
            _citation_box(record, base, fmt),
        ],
        className="snapshot-page",
    )


def _query(link: str) -> dict[str, str]:
    from crosspilot.views.base import parse_query

    return parse_query(link.partition("?")[2])


def _facts(context, record: Record) -> html.Dl:
    fmt = context.fmt
    return html.Dl(
        [
            html.Dt(t("Published")),
            html.Dd(t("{moment} UTC", moment=fmt.datetime(record.created_at))),
            html.Dt(t("View")),
            html.Dd(html.Code(record.link)),
            html.Dt(t("Data version")),
            html.Dd(
                [
                    html.Code(record.data_version),
                    " ",
                    t("({n} files, kept by content hash)", n=fmt.count(len(record.manifest.entries))),
                ]
            ),
            html.Dt(t("Workshop decisions recorded")),
            html.Dd(fmt.count(len(record.decisions))),
            html.Dt(t("Software")),
            html.Dd(html.Code(f"Crosspilot {record.software_version}")),
        ],
        className="snapshot-facts",
    )


def _citation_box(record: Record, base: str, fmt) -> html.Section:
    plain = citation.plain(record, base, fmt)
    bibtex = citation.bibtex(record, base, fmt)

    def field(label, text_id, copy_id, text, rows):
        return html.Div(
            [
                html.Label(label, htmlFor=text_id, className="form-label fw-bold"),
                dcc.Textarea(
                    id=text_id,
                    value=text,
                    readOnly=True,
                    rows=rows,
                    className="form-control snapshot-cite-text",
                    spellCheck="false",
                ),
                html.Button(
                    t("Copy"),
                    id=copy_id,
                    className="btn btn-outline-dark snapshot-copy mt-1",
                    type="button",
                    **{"aria-describedby": text_id, "data-target": text_id},
                ),
            ],
            className="mb-3",
        )

    return html.Section(
        [
            html.H2(t("Cite this snapshot"), className="h4"),
            field(t("Citation"), ids.SNAPSHOT_CITATION, ids.SNAPSHOT_COPY_CITATION, plain, 3),
            field(t("BibTeX"), ids.SNAPSHOT_BIBTEX, ids.SNAPSHOT_COPY_BIBTEX, bibtex, 9),
        ],
        id=CITE_ANCHOR,
        className="snapshot-citation",
        tabIndex="-1",  # "Cite this snapshot" in the header moves the keyboard focus here
        **{"aria-label": t("Cite this snapshot")},
    )


def not_found(snapshot_id: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("Snapshot not found")),
            html.P(
                t(
                    "No snapshot has the id {id}. Snapshot links are permanent: check that the link was "
                    "copied in full.",
                    id=str(snapshot_id)[:40],
                )
            ),
            html.P(dcc.Link(t("Published snapshots are listed on the Data page."), href="/data")),
        ],
        className="snapshot-missing",
    )


def unavailable_page() -> html.Div:
    return html.Div(
        [html.H1(t("Unavailable")), dbc.Alert(unavailable_text(), color="danger")],
        className="snapshot-unavailable",
    )


def listing(context) -> list:
    """The Data page's list of published snapshots, newest first."""
    try:
        records = context.snapshots().recent()
    except Unavailable:
        return [html.H2(t("Published snapshots")), dbc.Alert(unavailable_text(), color="warning")]
    fmt = context.fmt
    head = [
        html.H2(t("Published snapshots")),
        html.P(
            t(
                "Each is frozen: its data, view and workshop decisions as they were when it was "
                "published, under a permanent link. Newest first."
            )
        ),
    ]
    if not records:
        return [*head, html.P(t("No view has been published yet."), id=ids.SNAPSHOT_LIST)]
    rows = [
        (
            fmt.date(r.created_at),
            r.title,
            term("snapshot_page", r.view.get("page", ""), r.page),
            html.Code(r.short_version),
            dcc.Link(f"{PREFIX}{r.id}", href=f"{PREFIX}{r.id}"),
        )
        for r in records
    ]
    return [
        *head,
        table(
            [
                Column(t("Published"), row_header=True),
                Column(t("Title")),
                Column(t("Page")),
                Column(t("Data version")),
                Column(t("Link")),
            ],
            rows,
            id=ids.SNAPSHOT_LIST,
            caption=tn("{n} snapshot, newest first.", "{n} snapshots, newest first.", len(records)),
        ),
    ]
