"""/admin: accounts, roles, invitations and the audit log (admins only; every callback re-checks)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from crosspilot import access
from crosspilot.accounts import audit
from crosspilot.i18n import N_, t
from crosspilot.workshop.errors import Unavailable
from layouts import ids
from layouts.controls import select
from layouts.tables import Column, table

ACTIONS = {
    "account.add": N_("account made"),
    "account.accept": N_("invitation used"),
    "account.invite": N_("invited"),
    "account.role": N_("role changed"),
    "account.disable": N_("account disabled"),
    "account.enable": N_("account enabled"),
    "account.password": N_("password changed"),
    "dataset.upload": N_("dataset uploaded"),
    "dataset.activate": N_("dataset version activated"),
    "snapshot.publish": N_("snapshot published"),
}


def action_label(action: str) -> str:
    return t(ACTIONS[action]) if action in ACTIONS else action


def role_options() -> list[tuple[str, str]]:
    return [(role, f"{access.role_name(role)}: {t(access.ROLE_DUTIES[role])}") for role in access.ROLES]


def accounts_table(context) -> html.Div:
    fmt = context.fmt
    rows = [
        (
            account.email,
            access.role_name(account.role),
            t("yes") if account.active else t("no: disabled"),
            fmt.date(account.last_sign_in) if account.last_sign_in else t("never"),
        )
        for account in context.accounts().all()
    ]
    return table(
        [Column(t("Email"), row_header=True), t("Role"), t("Can sign in"), t("Last sign-in")],
        rows,
        caption=t("Accounts"),
        id=ids.ADMIN_ACCOUNTS,
        scroll_label=t("Accounts"),
    )


def invitations_table(context) -> html.Div:
    fmt = context.fmt
    pending = context.accounts().pending_invitations()
    if not pending:
        return html.P(t("No invitation is waiting to be used."), id=ids.ADMIN_INVITATIONS)
    rows = [
        (row["email"], access.role_name(row["role"]), row["invited_by"], fmt.date(row["created_at"]))
        for row in pending
    ]
    return table(
        [Column(t("Email"), row_header=True), t("Role"), t("Invited by"), t("Invited on")],
        rows,
        caption=t("Invitations not used yet"),
        id=ids.ADMIN_INVITATIONS,
    )


def audit_table(context) -> html.Div:
    fmt = context.fmt
    entries = audit.recent(context.workshop().engine)
    if not entries:
        return html.P(t("Nothing recorded yet."), id=ids.ADMIN_AUDIT)
    rows = [
        (
            fmt.datetime(entry.at),
            entry.actor,
            action_label(entry.action),
            entry.subject,
            ", ".join(f"{k}: {v}" for k, v in sorted(entry.detail.items())),
        )
        for entry in entries
    ]
    return table(
        [t("When"), t("Who"), t("What"), t("On"), t("Details")],
        rows,
        caption=t("Audit log: uploads, activations, accounts and snapshots, newest first"),
        id=ids.ADMIN_AUDIT,
        scroll_label=t("Audit log"),
    )


def lists(context) -> list:
    """The page's three lists, drawn again after every change."""
    return [
        html.H2(t("Accounts"), className="h4 mt-4"),
        accounts_table(context),
        html.H2(t("Invitations"), className="h4 mt-4"),
        invitations_table(context),
        html.H2(t("Audit log"), className="h4 mt-4"),
        audit_table(context),
    ]


def layout(context, query, theme) -> html.Div:
    if not access.at_least("admin"):
        return html.Div([html.H1(t("Admin")), html.P(access.refusal("admin").message, role="alert")])
    try:
        shown = lists(context)
        emails = [(a.email, a.email) for a in context.accounts().all()]
    except Unavailable:
        shown, emails = [dbc.Alert(t("The account store does not answer just now."), color="danger")], []
    roles = role_options()
    return html.Div(
        [
            html.H1(t("Admin")),
            html.P(t("Accounts, their roles, invitations and what was done to the programme's data.")),
            dbc.Row(
                [
                    dbc.Col(
                        html.Section(
                            [
                                html.H2(t("Invite someone"), className="h4"),
                                dbc.Label(
                                    t("Email"), html_for=ids.ADMIN_INVITE_EMAIL, className="fw-semibold"
                                ),
                                dbc.Input(
                                    id=ids.ADMIN_INVITE_EMAIL, type="email", maxLength=254, className="mb-2"
                                ),
                                select(ids.ADMIN_INVITE_ROLE, t("Role"), roles, "partner", className="mb-2"),
                                dbc.Button(
                                    t("Make an invitation link"), id=ids.ADMIN_INVITE, color="primary"
                                ),
                                html.Div(id=ids.ADMIN_INVITE_RESULT, role="status", className="mt-2"),
                            ],
                            className="admin-box",
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        html.Section(
                            [
                                html.H2(t("Change an account"), className="h4"),
                                select(
                                    ids.ADMIN_ACCOUNT,
                                    t("Account"),
                                    emails,
                                    emails[0][0] if emails else "",
                                    className="mb-2",
                                ),
                                select(ids.ADMIN_ROLE, t("New role"), roles, "partner", className="mb-2"),
                                dbc.Button(
                                    t("Change the role"),
                                    id=ids.ADMIN_SET_ROLE,
                                    color="primary",
                                    className="me-2 mb-2",
                                ),
                                dbc.Button(
                                    t("Disable"),
                                    id=ids.ADMIN_DISABLE,
                                    color="outline-danger",
                                    className="me-2 mb-2",
                                ),
                                dbc.Button(
                                    t("Enable"),
                                    id=ids.ADMIN_ENABLE,
                                    color="outline-secondary",
                                    className="mb-2",
                                ),
                                html.Div(id=ids.ADMIN_CHANGE_RESULT, role="status", className="mt-2"),
                            ],
                            className="admin-box",
                        ),
                        lg=6,
                    ),
                ]
            ),
            html.Div(shown, id=ids.ADMIN_LISTS),
        ],
        className="admin-page",
    )
