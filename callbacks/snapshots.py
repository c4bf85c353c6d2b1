"""Snapshots: "Publish this view" (checked on the server, then the browser goes to /s/<id>), the
snapshot page's downloads, copy and print buttons (in the browser, offline), and the HTTP status of
/s/<id> (404 for an unknown id, 503 while the database does not answer)."""

from __future__ import annotations

import json
import re

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update
from flask import request

from callbacks.wiring import wiring
from crosspilot import access
from crosspilot.accounts import audit
from crosspilot.i18n import t
from crosspilot.snapshots import PUBLISHABLE, Refused
from crosspilot.workshop.errors import Unavailable
from layouts import ids
from layouts.shell import theme_of, with_theme
from layouts.snapshot import PREFIX, unavailable_text

# The citation's Copy buttons: the clipboard where the browser allows it (a secure context), else the
# text is selected so that Ctrl+C copies it.
COPY_SCRIPT = """function(n, text) {
    if (!n) { return window.dash_clientside.no_update; }
    var box = document.getElementById(TEXT_ID);
    if (box) { box.focus(); box.select(); }
    if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).catch(function () {});
        return DONE;
    }
    try { return document.execCommand('copy') ? DONE : SELECT; } catch (e) { return SELECT; }
}"""
_SNAPSHOT_PATH = re.compile(r"^/s/([^/]+)/?$")


def publish(context, n_clicks, pathname, search) -> dict:
    """Freeze the view in the URL; on success the browser goes to the snapshot's permanent link."""
    if not n_clicks:
        return {"pathname": no_update, "search": no_update, "status": no_update}
    pathname = pathname if isinstance(pathname, str) else ""
    search = search if isinstance(search, str) else ""
    query = search.lstrip("?")
    link = pathname + (f"?{query}" if query else "")
    if not access.at_least("editor"):  # the button is only drawn for editors; the server decides
        status = dbc.Alert(access.refusal("editor").message, color="warning", className="mt-2 mb-0")
        return {"pathname": no_update, "search": no_update, "status": status}
    try:
        record, new = context.snapshots().publish(link)
        if new:
            audit.record(context.workshop().engine, "snapshot.publish", record.id, link=record.link)
    except Refused as error:
        status = dbc.Alert(t("Not published: {why}", why=error), color="warning", className="mt-2 mb-0")
        return {"pathname": no_update, "search": no_update, "status": status}
    except Unavailable:
        status = dbc.Alert([t("Not published. "), unavailable_text()], color="danger", className="mt-2 mb-0")
        return {"pathname": no_update, "search": no_update, "status": status}
    return {
        "pathname": f"{PREFIX}{record.id}",
        "search": with_theme("", theme_of(search)),
        "status": None,
    }


def http_status(context, path: str) -> tuple[int, dict]:
    """The status the page at `path` is served with: 404 for a snapshot nobody published, 503 while
    the database does not answer; 200 otherwise."""
    found = _SNAPSHOT_PATH.match(path)
    if not found:
        return 200, {}
    try:
        record = context.snapshots().get(found.group(1))
    except Unavailable:
        return 503, {"Retry-After": "5"}
    return (200, {}) if record is not None else (404, {})


def register(app, context) -> None:
    wire = wiring(app, context)
    wire(
        publish,
        output={
            "pathname": Output(ids.URL, "pathname", allow_duplicate=True),
            "search": Output(ids.URL, "search", allow_duplicate=True),
            "status": Output(ids.PUBLISH_STATUS, "children", allow_duplicate=True),
        },
        inputs={"n_clicks": Input(ids.PUBLISH_BUTTON, "n_clicks")},
        state={"pathname": State(ids.URL, "pathname"), "search": State(ids.URL, "search")},
        prevent_initial_call=True,
    )

    # The button only where a view can be published (a lesson's page, not the list); the server checks
    # again. A message about the page left behind is cleared.
    paths = "[" + ",".join(f"'{p}'" for p in PUBLISHABLE) + "]"
    app.clientside_callback(
        f"""function(pathname, search) {{
            var paths = {paths};
            var shown = paths.indexOf(pathname) >= 0 &&
                (pathname !== '/lessons' || /[?&]lesson=[^&]/.test(search || ''));
            return [!shown, null];
        }}""",
        Output(ids.PUBLISH_BOX, "hidden"),
        Output(ids.PUBLISH_STATUS, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )

    # PNG and SVG of the snapshot's first chart, drawn by plotly.js in the browser (offline).
    app.clientside_callback(
        """function(png, svg) {
            var ctx = window.dash_clientside.callback_context;
            var trigger = ctx.triggered.length ? ctx.triggered[0].prop_id : '';
            var gd = document.querySelector('#snapshot-body .js-plotly-plot');
            if (!trigger || !gd || !window.Plotly) { return window.dash_clientside.no_update; }
            var format = trigger.indexOf('snapshot-svg') === 0 ? 'svg' : 'png';
            window.Plotly.downloadImage(gd, {format: format, filename: 'crosspilot-snapshot',
                                             scale: format === 'png' ? 2 : 1});
            return format;
        }""",
        Output(ids.SNAPSHOT_SINK, "data"),
        Input(ids.SNAPSHOT_PNG, "n_clicks"),
        Input(ids.SNAPSHOT_SVG, "n_clicks"),
        prevent_initial_call=True,
    )
    # A network drawn with cytoscape: its own image export (SVG needs the extra layouts, which
    # callbacks/networks.py loads).
    app.clientside_callback(
        """function(png, svg) {
            var ctx = window.dash_clientside.callback_context;
            var trigger = ctx.triggered.length ? ctx.triggered[0].prop_id : '';
            var kind = trigger.indexOf('snapshot-cyto-svg') === 0 ? 'svg' : 'png';
            return {type: kind, action: 'download', filename: 'crosspilot-snapshot-network'};
        }""",
        Output(ids.SNAPSHOT_CYTO, "generateImage"),
        Input(ids.SNAPSHOT_CYTO_PNG, "n_clicks"),
        Input(ids.SNAPSHOT_CYTO_SVG, "n_clicks"),
        prevent_initial_call=True,
    )
    # PDF: the browser's print dialog, with the print stylesheet (assets/60-snapshots.css).
    app.clientside_callback(
        """function(n) { if (n) { window.print(); } return window.dash_clientside.no_update; }""",
        Output(ids.SNAPSHOT_PRINT, "title"),
        Input(ids.SNAPSHOT_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )
    for copy_id, text_id in (
        (ids.SNAPSHOT_COPY_CITATION, ids.SNAPSHOT_CITATION),
        (ids.SNAPSHOT_COPY_BIBTEX, ids.SNAPSHOT_BIBTEX),
    ):
        script = COPY_SCRIPT.replace("TEXT_ID", json.dumps(text_id))
        script = script.replace("DONE", json.dumps(t("Copied")))
        script = script.replace("SELECT", json.dumps(t("Selected: press Ctrl+C to copy")))
        app.clientside_callback(
            script,
            Output(copy_id, "children"),
            Input(copy_id, "n_clicks"),
            State(text_id, "value"),
            prevent_initial_call=True,
        )

    @app.server.after_request
    def _snapshot_status(response):
        if request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
            status, headers = http_status(context, request.path)
            if status != 200:
                response.status_code = status
                response.headers.update(headers)
        return response
