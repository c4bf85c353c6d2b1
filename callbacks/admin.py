"""The admin page's actions: invitations, role changes, disabling. Each checks the admin role on the
server first, whatever the page showed; each change is in the audit log (crosspilot.accounts)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update
from flask import has_request_context, request

from callbacks.wiring import wiring
from crosspilot import access
from crosspilot.accounts import AccountError
from crosspilot.accounts.web import INVITE
from crosspilot.i18n import t
from crosspilot.workshop.errors import Unavailable
from layouts import admin, ids


def _answer(result, lists=no_update) -> dict:
    return {"result": result, "lists": lists}


def _refused():
    try:
        access.require("admin")
    except access.Refused as error:
        return dbc.Alert(error.message, color="warning")
    return None


def invite(context, n_clicks, email, role):
    """A single-use invitation link for `email` with `role`, to send by any channel."""
    if not n_clicks:
        return _answer(no_update, no_update)
    refused = _refused()
    if refused:
        return _answer(refused, no_update)
    try:
        token = context.accounts().invite(email, role, by=access.current_user())
    except AccountError as error:
        return _answer(dbc.Alert(str(error), color="warning"), no_update)
    except Unavailable:
        return _answer(dbc.Alert(t("The account store does not answer just now."), color="danger"), no_update)
    base = request.host_url.rstrip("/") if has_request_context() else ""
    link = f"{base}{INVITE}{token}"
    shown = html.Div(
        [
            html.P(t("Send this link to {email}. It works once, for 7 days:", email=email.strip().lower())),
            html.Code(link, id=ids.ADMIN_INVITE_RESULT + "-link", className="admin-invite-link"),
        ]
    )
    return _answer(shown, admin.lists(context))


def change(context, triggered, account, role):
    """A role change, or disabling or enabling an account (never the last admin)."""
    if triggered is None:
        return _answer(no_update, no_update)
    refused = _refused()
    if refused:
        return _answer(refused, no_update)
    accounts = context.accounts()
    by = access.current_user()
    try:
        if triggered == ids.ADMIN_SET_ROLE:
            done = accounts.set_role(account, role, by=by)
            message = t("{email} is now {role}.", email=done.email, role=access.role_name(done.role))
        else:
            active = triggered == ids.ADMIN_ENABLE
            done = accounts.set_active(account, active, by=by)
            message = (
                t("{email} can sign in again.", email=done.email)
                if active
                else t("{email} can no longer sign in; their sessions have ended.", email=done.email)
            )
    except AccountError as error:
        return _answer(dbc.Alert(str(error), color="warning"), no_update)
    except Unavailable:
        return _answer(dbc.Alert(t("The account store does not answer just now."), color="danger"), no_update)
    return _answer(dbc.Alert(message, color="success"), admin.lists(context))


def register(app, context) -> None:
    wire = wiring(app, context)
    wire(
        invite,
        output={
            "result": Output(ids.ADMIN_INVITE_RESULT, "children"),
            "lists": Output(ids.ADMIN_LISTS, "children", allow_duplicate=True),
        },
        inputs={"n_clicks": Input(ids.ADMIN_INVITE, "n_clicks")},
        state={
            "email": State(ids.ADMIN_INVITE_EMAIL, "value"),
            "role": State(ids.ADMIN_INVITE_ROLE, "value"),
        },
        prevent_initial_call=True,
    )
    wire(
        change,
        output={
            "result": Output(ids.ADMIN_CHANGE_RESULT, "children"),
            "lists": Output(ids.ADMIN_LISTS, "children", allow_duplicate=True),
        },
        inputs={
            "_role": Input(ids.ADMIN_SET_ROLE, "n_clicks"),
            "_disable": Input(ids.ADMIN_DISABLE, "n_clicks"),
            "_enable": Input(ids.ADMIN_ENABLE, "n_clicks"),
        },
        state={"account": State(ids.ADMIN_ACCOUNT, "value"), "role": State(ids.ADMIN_ROLE, "value")},
        triggered=True,
        prevent_initial_call=True,
    )
