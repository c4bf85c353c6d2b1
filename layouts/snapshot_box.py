"""The "Publish this view" box, in the shell (layouts/shell.py) on every page."""

from __future__ import annotations

from dash import html

from crosspilot import access
from crosspilot.i18n import t
from layouts import ids


def publish_box() -> html.Div:
    """In the shell on every page; shown (by a clientside callback) only where a view can be published,
    and drawn only for editors (the server checks the role again when it is pressed)."""
    if not access.at_least("editor"):
        # The ids the clientside callback writes to, never shown (d-none beats its `hidden`).
        return html.Div(html.Div(id=ids.PUBLISH_STATUS), id=ids.PUBLISH_BOX, className="d-none", hidden=True)
    return html.Div(
        [
            html.Button(
                t("Publish this view"),
                id=ids.PUBLISH_BUTTON,
                className="btn btn-outline-primary publish-button",
                type="button",
                title=t("Freeze this view with its data and workshop decisions under a permanent link"),
            ),
            html.Div(id=ids.PUBLISH_STATUS, role="status", className="publish-status"),
        ],
        id=ids.PUBLISH_BOX,
        className="publish-box",
        hidden=True,
    )
