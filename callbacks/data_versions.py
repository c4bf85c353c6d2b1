"""Dataset versions on /data: an upload checked and compared (nothing changes), its activation on
confirmation, and switching to any kept version with one click and a confirmation. Every callback asks
for the editor's role on the server, whatever the page showed."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, html, no_update

from callbacks.wiring import wiring
from crosspilot import access
from crosspilot.i18n import t
from crosspilot.versions import UploadRefused
from crosspilot.workshop.errors import Unavailable
from layouts import data_versions as page
from layouts import ids


def _refused(error: access.Refused) -> dbc.Alert:
    return dbc.Alert(error.message, color="warning", className="mt-2")


def stage(context, contents, names) -> dict:
    """Check an upload: its report, and with no errors its diff and the Activate button."""
    if not contents:
        return {"result": no_update, "staged": no_update, "hidden": no_update}
    try:
        access.require("editor")
        contents = contents if isinstance(contents, list) else [contents]
        names = names if isinstance(names, list) else [names]
        if len(names) != len(contents):
            raise UploadRefused(t("The upload arrived damaged; choose the files again"))
        staged = context.versions().stage(list(zip(names, contents, strict=True)))
    except access.Refused as error:
        return {"result": _refused(error), "staged": None, "hidden": True}
    except UploadRefused as error:
        return {
            "result": dbc.Alert(t("Not taken: {why}", why=error), color="danger", className="mt-2"),
            "staged": None,
            "hidden": True,
        }
    except Unavailable:
        return {
            "result": dbc.Alert(t("The database does not answer; try again."), color="danger"),
            "staged": None,
            "hidden": True,
        }
    fmt = context.fmt
    parts = [html.H4(t("Validation report")), page.report_block(fmt, staged.report)]
    if not staged.ok:
        parts.insert(
            0,
            dbc.Alert(
                t("This dataset has errors and cannot be activated. Correct them and upload it again."),
                color="danger",
            ),
        )
        return {"result": html.Div(parts), "staged": None, "hidden": True}
    parts.append(page.diff_block(fmt, staged.diff))
    return {"result": html.Div(parts), "staged": {"manifest": staged.manifest.as_list()}, "hidden": False}


def activate_upload(context, n_clicks, staged, label, note) -> dict:
    if not n_clicks:
        return {"status": no_update, "list": no_update, "result": no_update, "hidden": no_update}
    try:
        access.require("editor")
        manifest = staged.get("manifest") if isinstance(staged, dict) else None
        context.versions().keep_and_activate(manifest, label, note)
        context.versions.follower.check(force=True)  # this worker at once; the others within seconds
    except access.Refused as error:
        return {"status": _refused(error), "list": no_update, "result": no_update, "hidden": no_update}
    except UploadRefused as error:
        return {
            "status": dbc.Alert(str(error), color="danger"),
            "list": no_update,
            "result": no_update,
            "hidden": no_update,
        }
    except Unavailable:
        return {
            "status": dbc.Alert(t("The database does not answer; try again."), color="danger"),
            "list": no_update,
            "result": no_update,
        }
    return {
        "status": dbc.Alert(t("Activated. Every page now shows this version."), color="success"),
        "list": page.versions_list(context),
        "result": None,
        "hidden": True,
    }


def ask_switch(context, clicks, triggered) -> dict:
    """An Activate button asks for confirmation first."""
    if not isinstance(triggered, dict) or not any(clicks or []):
        return {"status": no_update, "target": no_update, "ask": no_update}
    if not access.at_least("editor"):
        return {"status": _refused(access.refusal("editor")), "target": None, "ask": True}
    return {"status": None, "target": str(triggered.get("version", "")), "ask": False}


def confirm_switch(context, n_clicks, target) -> dict:
    if not n_clicks:
        return {"status": no_update, "list": no_update, "ask": no_update}
    try:
        access.require("editor")
        if target == "folder":
            version = None
        elif isinstance(target, str) and target.isdigit():
            version = int(target)
        else:
            raise UploadRefused(t("No such dataset version"))
        context.versions().activate(version)
        context.versions.follower.check(force=True)
    except access.Refused as error:
        return {"status": _refused(error), "list": no_update, "ask": True}
    except UploadRefused as error:
        return {"status": dbc.Alert(str(error), color="danger"), "list": no_update, "ask": True}
    except Unavailable:
        return {
            "status": dbc.Alert(t("The database does not answer; try again."), color="danger"),
            "list": no_update,
            "ask": True,
        }
    return {
        "status": dbc.Alert(t("Activated. Every page now shows this version."), color="success"),
        "list": page.versions_list(context),
        "ask": True,
    }


def cancel_switch(context, n_clicks) -> dict:
    return {"ask": True if n_clicks else no_update}


def register(app, context) -> None:
    wire = wiring(app, context)
    wire(
        stage,
        output={
            "result": Output(ids.DATA_UPLOAD_RESULT, "children"),
            "staged": Output(ids.DATA_STAGED, "data"),
            "hidden": Output(ids.DATA_ACTIVATE_UPLOAD, "hidden"),
        },
        inputs={"contents": Input(ids.DATA_UPLOAD, "contents")},
        state={"names": State(ids.DATA_UPLOAD, "filename")},
        prevent_initial_call=True,
    )
    wire(
        activate_upload,
        output={
            "status": Output(ids.DATA_VERSIONS_STATUS, "children", allow_duplicate=True),
            "list": Output(ids.DATA_VERSIONS, "children", allow_duplicate=True),
            "result": Output(ids.DATA_UPLOAD_RESULT, "children", allow_duplicate=True),
            "hidden": Output(ids.DATA_ACTIVATE_UPLOAD, "hidden", allow_duplicate=True),
        },
        inputs={"n_clicks": Input(ids.DATA_ACTIVATE_UPLOAD, "n_clicks")},
        state={
            "staged": State(ids.DATA_STAGED, "data"),
            "label": State(ids.DATA_UPLOAD_LABEL, "value"),
            "note": State(ids.DATA_UPLOAD_NOTE, "value"),
        },
        prevent_initial_call=True,
    )
    wire(
        ask_switch,
        output={
            "status": Output(ids.DATA_VERSIONS_STATUS, "children", allow_duplicate=True),
            "target": Output(ids.DATA_SWITCH_TARGET, "data"),
            "ask": Output(ids.DATA_SWITCH_ASK, "hidden"),
        },
        inputs={"clicks": Input(ids.data_activate(ALL), "n_clicks")},
        triggered=True,
        prevent_initial_call=True,
    )
    wire(
        confirm_switch,
        output={
            "status": Output(ids.DATA_VERSIONS_STATUS, "children", allow_duplicate=True),
            "list": Output(ids.DATA_VERSIONS, "children", allow_duplicate=True),
            "ask": Output(ids.DATA_SWITCH_ASK, "hidden", allow_duplicate=True),
        },
        inputs={"n_clicks": Input(ids.DATA_SWITCH_CONFIRM, "n_clicks")},
        state={"target": State(ids.DATA_SWITCH_TARGET, "data")},
        prevent_initial_call=True,
    )
    wire(
        cancel_switch,
        output={"ask": Output(ids.DATA_SWITCH_ASK, "hidden", allow_duplicate=True)},
        inputs={"n_clicks": Input(ids.DATA_SWITCH_CANCEL, "n_clicks")},
        prevent_initial_call=True,
    )
