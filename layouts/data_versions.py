"""The Data page's dataset versions: the list (which is active, Activate on each) and, for editors, the
upload with its validation report and its diff against the active version (crosspilot/versions)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot import access
from crosspilot.contract import TABLE_ORDER
from crosspilot.i18n import t
from crosspilot.workshop.errors import Unavailable
from layouts import ids
from layouts.tables import Column, table

UPLOAD_MAX_BYTES = 1024 * 2**20  # the browser's own check; the server checks again (crosspilot/limits.py)


def section(context) -> list:
    """The heading, the follower's failure (if any), the upload for editors, and the list."""
    failure = context.versions.follower.failure
    children = [
        html.H2(t("Dataset versions")),
        html.P(
            t(
                "Every uploaded version is kept; one is active and every server serves it. Workshops, "
                "decisions and snapshots keep the version they were made on."
            )
        ),
        dbc.Alert(failure, color="danger", id=ids.DATA_FOLLOW_FAILURE) if failure else None,
    ]
    if access.at_least("editor"):
        children += upload_panel()
    children += [
        html.H3(t("Kept versions"), className="mt-4"),
        html.Div(id=ids.DATA_VERSIONS_STATUS, role="status"),
        dcc.Store(id=ids.DATA_SWITCH_TARGET),
        switch_question() if access.at_least("editor") else None,
        html.Div(versions_list(context), id=ids.DATA_VERSIONS),
    ]
    return [c for c in children if c is not None]


def upload_panel() -> list:
    return [
        html.H3(t("Upload a new version")),
        html.P(
            t(
                "A zip of the whole dataset, or one or more table and network files: those replace the "
                "files of the same name in the active version. It is checked first; nothing changes "
                "until you activate it."
            )
        ),
        dbc.Label(t("Label"), html_for=ids.DATA_UPLOAD_LABEL),
        dbc.Input(id=ids.DATA_UPLOAD_LABEL, maxLength=200, className="mb-2"),
        dbc.Label(t("Note"), html_for=ids.DATA_UPLOAD_NOTE),
        dbc.Textarea(id=ids.DATA_UPLOAD_NOTE, maxLength=2000, className="mb-2"),
        dcc.Upload(
            html.Button(t("Choose a zip or table files"), className="btn btn-outline-primary", type="button"),
            id=ids.DATA_UPLOAD,
            multiple=True,
            max_size=UPLOAD_MAX_BYTES,
            className="mb-2",
        ),
        dcc.Store(id=ids.DATA_STAGED),
        dcc.Loading(html.Div(id=ids.DATA_UPLOAD_RESULT, role="status")),
        # Shown by the upload's callback when the upload has no errors.
        html.Button(
            t("Activate this version"),
            id=ids.DATA_ACTIVATE_UPLOAD,
            className="btn btn-primary mt-2",
            type="button",
            hidden=True,
        ),
    ]


def switch_question() -> html.Div:
    """The confirmation an Activate button asks for (shown by its callback)."""
    return html.Div(
        dbc.Alert(
            [
                html.P(t("Serve this version on every page, for everyone?"), className="mb-2"),
                html.Button(
                    t("Yes, activate it"),
                    id=ids.DATA_SWITCH_CONFIRM,
                    className="btn btn-primary me-2",
                    type="button",
                ),
                html.Button(
                    t("Cancel"),
                    id=ids.DATA_SWITCH_CANCEL,
                    className="btn btn-outline-secondary",
                    type="button",
                ),
            ],
            color="info",
        ),
        id=ids.DATA_SWITCH_ASK,
        hidden=True,
    )


def report_block(fmt, report, **props) -> html.Div:
    """A validation report as the Data page shows it (the served dataset's, or an upload's)."""
    props.setdefault("className", "data-upload-report")
    return html.Div(
        [
            html.P(
                t(
                    "Result: {e} error(s), {w} warning(s).",
                    e=fmt.count(len(report.errors)),
                    w=fmt.count(len(report.warnings)),
                )
            ),
            html.Ul([html.Li(str(p), className=f"problem-{p.severity}") for p in report.problems])
            if report.problems
            else html.P(t("No problems found.")),
        ],
        **props,
    )


def diff_block(fmt, changes) -> html.Div:
    rows = [
        (name, fmt.count(c.added), fmt.count(c.changed), fmt.count(c.removed))
        for name, c in ((n, changes.tables[n]) for n in TABLE_ORDER)
    ]
    columns = [
        Column(t("Table"), row_header=True),
        Column(t("Rows added"), numeric=True),
        Column(t("Rows changed"), numeric=True),
        Column(t("Rows removed"), numeric=True),
    ]
    parts = [
        html.H4(t("Changes against the active version")),
        table(columns, rows, id="data-diff-tables", className="w-auto"),
    ]
    pilots = sorted(set(changes.actors) | set(changes.ties))
    if pilots:
        zero = type(next(iter({**changes.actors, **changes.ties}.values())))()
        net_rows = []
        for pilot in pilots:
            a, ti = changes.actors.get(pilot, zero), changes.ties.get(pilot, zero)
            net_rows.append(
                (
                    pilot,
                    fmt.count(a.added),
                    fmt.count(a.changed),
                    fmt.count(a.removed),
                    fmt.count(ti.added),
                    fmt.count(ti.changed),
                    fmt.count(ti.removed),
                )
            )
        parts += [
            html.H4(t("Networks")),
            table(
                [
                    Column(t("Pilot"), row_header=True),
                    Column(t("Actors added"), numeric=True),
                    Column(t("Actors changed"), numeric=True),
                    Column(t("Actors removed"), numeric=True),
                    Column(t("Ties added"), numeric=True),
                    Column(t("Ties changed"), numeric=True),
                    Column(t("Ties removed"), numeric=True),
                ],
                net_rows,
                id="data-diff-networks",
                className="w-auto",
            ),
        ]
    if not changes.any:
        parts.append(html.P(t("The same data as the active version.")))
    return html.Div(parts, className="data-upload-diff")


def versions_list(context) -> list:
    try:
        versions = context.versions()
        found = versions.listing()
        active_id, _ = versions.active_id()
        used = versions.used()
    except Unavailable:
        return [
            dbc.Alert(
                t("The list of versions is unavailable: the database does not answer."), color="warning"
            )
        ]
    fmt = context.fmt
    editor = access.at_least("editor")
    rows, classes = [], []
    for v in found:
        key = "folder" if v.id is None else str(v.id)
        is_active = v.id == active_id
        workshops, decisions, snapshots = used.get(v.data_version, (0, 0, 0))
        state = (
            html.Strong(t("Active"))
            if is_active
            else (
                html.Button(
                    t("Activate"),
                    id=ids.data_activate(key),
                    className="btn btn-sm btn-outline-primary",
                    type="button",
                    **{"aria-label": t("Activate {label}", label=v.label)},
                )
                if editor
                else ""
            )
        )
        rows.append(
            (
                v.label,
                html.Code(v.data_version[:8]),
                v.uploaded_by or "—",
                fmt.date(v.uploaded_at) if v.uploaded_at else "—",
                t(
                    "{w} workshops, {d} decisions, {s} snapshots",
                    w=fmt.count(workshops),
                    d=fmt.count(decisions),
                    s=fmt.count(snapshots),
                ),
                state,
            )
        )
        classes.append("table-active" if is_active else None)
    return [
        table(
            [
                Column(t("Version"), row_header=True),
                Column(t("Data version")),
                Column(t("Uploaded by")),
                Column(t("Uploaded")),
                Column(t("Made on it")),
                Column(t("State")),
            ],
            rows,
            id="data-versions-table",
            row_class=classes,
        )
    ]
