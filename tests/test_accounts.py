"""Sign-in and roles (crosspilot/accounts, crosspilot/access): who may see and do what, checked on the
server for pages, callbacks, the API and downloads; sessions, CSRF, rate limits, invitations, the
command line and the audit log. Storage on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from crosspilot import access
from crosspilot.accounts import AccountError, Accounts, audit
from crosspilot.workshop import store
from tests.conftest import ROOT, make_app
from tests.helpers import post_callback, router_request, sign_in
from tests.test_workshop_contract import own_database

PASSWORD = "a long test password"


@pytest.fixture
def app(tmp_path):
    return make_app(database_url=f"sqlite:///{tmp_path / 'accounts.db'}", secret_key="accounts-test")


def form_token(client, path="/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def login(client, email, password, **extra):
    token = form_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token}, **extra)


def route(client, path: str, search: str = ""):
    """The router callback's answer for `path`, as the browser asks for it on navigation (with the
    client's session, so the server decides by the client's role)."""
    body = router_request(client.get("/_dash-dependencies").get_json(), path, search)
    return client.post("/_dash-update-component", json=body)


def layout_token(client) -> str:
    """The CSRF token in the shell's Sign out form."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("name") == "csrf_token":
                yield node["value"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return next(walk(client.get("/_dash-layout").get_json()))


def layout_text(client) -> str:
    return client.get("/_dash-layout").get_data(as_text=True)


# --- storage: both databases -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_accounts_invitations_and_the_audit_log_on_both_databases(kind, tmp_path):
    url, drop = own_database(kind, tmp_path)
    try:
        accounts = Accounts(store.make_engine(url), "secret")
        accounts.add("Ada@Example.org", "admin", PASSWORD, by="command line")
        assert accounts.authenticate("ada@example.org", PASSWORD).role == "admin"
        token = accounts.invite("bo@example.org", "editor", by="ada@example.org")
        assert accounts.invitation(token)["role"] == "editor"
        made = accounts.accept(token, "another long password")
        assert (made.email, made.role) == ("bo@example.org", "editor")
        with pytest.raises(AccountError, match="used already"):
            accounts.accept(token, "another long password")
        accounts.set_role("bo@example.org", "partner", by="ada@example.org")
        actions = [(e.action, e.actor, e.subject) for e in audit.recent(accounts.engine)]
        assert actions[:4] == [
            ("account.role", "ada@example.org", "bo@example.org"),
            ("account.accept", "bo@example.org", "bo@example.org"),
            ("account.invite", "ada@example.org", "bo@example.org"),
            ("account.add", "command line", "ada@example.org"),
        ]
        assert audit.recent(accounts.engine)[0].detail == {"after": "partner", "before": "editor"}
    finally:
        drop()


def test_passwords_are_kept_only_as_argon2_hashes_and_fields_are_checked(app):
    accounts = app.context.accounts()
    accounts.add("cy@example.org", "partner", PASSWORD)
    with store.reading(accounts.engine) as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM account").scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(AccountError, match="at least 12 characters"):
        accounts.add("dee@example.org", "partner", "short")
    with pytest.raises(AccountError, match="Email"):
        accounts.add("not an address", "partner", PASSWORD)
    with pytest.raises(AccountError, match="Role must be one of"):
        accounts.add("dee@example.org", "owner", PASSWORD)
    with pytest.raises(AccountError, match="exists already"):
        accounts.add("CY@example.org", "editor", PASSWORD)


def test_the_last_admin_cannot_be_demoted_or_disabled(app):
    accounts = app.context.accounts()
    accounts.add("ada@example.org", "admin", PASSWORD)
    with pytest.raises(AccountError, match="last admin"):
        accounts.set_role("ada@example.org", "editor")
    with pytest.raises(AccountError, match="last admin"):
        accounts.set_active("ada@example.org", False)
    accounts.add("bo@example.org", "admin", PASSWORD)
    assert accounts.set_role("ada@example.org", "editor").role == "editor"


# --- signing in ---------------------------------------------------------------------------------


def test_signing_in_sets_a_session_cookie_that_scripts_cannot_read_and_other_sites_do_not_send(app):
    app.context.accounts().add("ada@example.org", "partner", PASSWORD)
    client = app.server.test_client()
    response = login(client, "ada@example.org", PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http
    assert "ada@example.org" in layout_text(client) and "Sign out" in layout_text(client)

    secure = app.server.test_client()
    page = secure.get("/login", base_url="https://crosspilot.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    over_https = secure.post(
        "/login",
        data={"email": "ada@example.org", "password": PASSWORD, "csrf_token": token},
        base_url="https://crosspilot.example",
    )
    cookie = next(c for c in over_https.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app):
    app.context.accounts().add("ada@example.org", "partner", PASSWORD)
    client = app.server.test_client()
    wrong = login(client, "ada@example.org", "not the password at all")
    unknown = login(client, "nobody@example.org", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Wrong email or password" in response.get_data(as_text=True)
    assert "Sign in" in layout_text(client) and "Sign out" not in layout_text(client)


def test_failed_sign_ins_are_limited_per_account_even_with_the_right_password_then(app):
    app.context.accounts().add("ada@example.org", "partner", PASSWORD)
    client = app.server.test_client()
    for _ in range(10):
        assert login(client, "ada@example.org", "guessing wrong again").status_code == 401
    limited = login(client, "ada@example.org", PASSWORD)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in limited.get_data(as_text=True)
    # The limit is in the database: another worker (another app on it) refuses the same.
    other = make_app(database_url=app.context.config.database_url, secret_key="accounts-test")
    assert login(other.server.test_client(), "ada@example.org", PASSWORD).status_code == 429


def test_forms_without_the_sessions_csrf_token_change_nothing(app):
    app.context.accounts().add("ada@example.org", "partner", PASSWORD)
    client = app.server.test_client()
    refused = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert refused.status_code == 400 and "Nothing was changed" in refused.get_data(as_text=True)
    sign_in(app, client, "partner", "ada@example.org", PASSWORD)
    assert client.post("/logout").status_code == 400
    assert "Sign out" in layout_text(client)  # still signed in
    value = layout_token(client)
    assert client.post("/logout", data={"csrf_token": value}).status_code == 303
    assert "Sign in" in layout_text(client) and "ada@example.org" not in layout_text(client)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_after_signing_in_the_browser_only_goes_to_this_site(app, target):
    app.context.accounts().add("ada@example.org", "partner", PASSWORD)
    client = app.server.test_client()
    token = form_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "ada@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_a_role_change_or_disabling_ends_the_accounts_sessions(app):
    accounts = app.context.accounts()
    accounts.add("ada@example.org", "admin", PASSWORD)
    partner = sign_in(app, role="partner", email="bo@example.org")
    assert "bo@example.org" in layout_text(partner)
    accounts.set_role("bo@example.org", "editor", by="ada@example.org")
    assert "bo@example.org" not in layout_text(partner) and "Sign in" in layout_text(partner)
    sign_in(app, partner, "editor", "bo@example.org")
    accounts.set_active("bo@example.org", False)
    assert "bo@example.org" not in layout_text(partner)
    refused = login(partner, "bo@example.org", PASSWORD)
    assert refused.status_code == 401 and "disabled" in refused.get_data(as_text=True)


# --- roles on pages, callbacks, the API and downloads -------------------------------------------


def test_the_admin_page_is_for_admins_only_by_link_and_inside_the_app(app):
    anonymous = app.server.test_client()
    page = anonymous.get("/admin")
    assert page.status_code == 401 and "/login?next=%2Fadmin" in page.get_data(as_text=True)
    partner = sign_in(app, role="partner")
    assert partner.get("/admin").status_code == 403
    routed = route(partner, "/admin").get_data(as_text=True)
    assert "This needs an admin" in routed and "admin-invite" not in routed
    admin = sign_in(app, role="admin")
    assert admin.get("/admin").status_code == 200
    routed = route(admin, "/admin").get_data(as_text=True)
    assert "admin-invite" in routed and "partner@example.org" in routed
    assert 'id":"shell-admin"' in layout_text(admin)


def test_only_partners_create_workshops_through_the_page_or_the_api(app, tmp_path):
    body = {"title": "Room", "items": ["governance:hull"]}
    anonymous = app.server.test_client()
    refused = anonymous.post("/api/workshops", json=body)
    assert refused.status_code == 401 and "partner" in refused.json["error"]
    shown = route(anonymous, "/workshop").get_data(as_text=True)
    assert "workshop-sign-in" in shown and '"workshop-create"' not in shown
    created = post_callback(
        anonymous,
        "workshop-created.children",
        {"id": "workshop-created", "property": "children"},
        [{"id": "workshop-create", "property": "n_clicks", "value": 1}],
        ["workshop-create.n_clicks"],
        [
            {"id": "workshop-title", "property": "value", "value": "Sneaky"},
            {"id": "workshop-agenda", "property": "value", "value": "governance:hull"},
            {"id": "workshop-rounds", "property": "value", "value": 1},
            {"id": "workshop-practice", "property": "value", "value": False},
        ],
    )
    assert "needs a partner" in created.get_data(as_text=True)
    partner = sign_in(app, role="partner")
    assert partner.post("/api/workshops", json=body).status_code == 201
    assert '"workshop-create"' in route(partner, "/workshop").get_data(as_text=True)
    scripted = make_app(database_url=f"sqlite:///{tmp_path / 's.db'}", admin_password="admin-pass-123")
    client = scripted.server.test_client()
    assert client.post("/api/workshops", json=body, headers={"X-Facilitator-Key": "wrong"}).status_code == 401
    assert (
        client.post("/api/workshops", json=body, headers={"X-Facilitator-Key": "admin-pass-123"}).status_code
        == 201
    )


def test_only_editors_publish_snapshots_and_each_publication_is_in_the_audit_log(app):
    from callbacks.snapshots import publish as publish_view

    with access.acting_as("partner"):
        refused = publish_view(app.context, 1, "/compare", "")
    assert "editor" in str(refused["status"].children)
    assert 'id":"publish-button"' not in layout_text(sign_in(app, role="partner"))
    assert "publish-button" in layout_text(sign_in(app, role="editor"))
    with access.acting_as("editor", "ed@example.org"):
        done = publish_view(app.context, 1, "/compare", "")
    assert done["pathname"].startswith("/s/")
    entry = audit.recent(app.context.workshop().engine)[0]
    assert (entry.action, entry.actor, entry.subject) == (
        "snapshot.publish",
        "ed@example.org",
        done["pathname"][3:],
    )
    assert entry.detail == {"link": "/compare"}


# --- invitations and the admin page's actions ---------------------------------------------------


def test_an_admin_invites_a_partner_who_makes_their_account_once(app):
    from callbacks import admin as admin_callbacks
    from tests.helpers import text_of

    app.context.accounts().add("ada@example.org", "admin", PASSWORD)
    with access.acting_as("admin", "ada@example.org"):
        answer = admin_callbacks.invite(app.context, 1, "New@Partner.org", "partner")
    link = re.search(r"/invite/\S+", text_of(answer["result"])).group(0)
    with access.acting_as("partner"):
        refused = admin_callbacks.invite(app.context, 1, "x@example.org", "admin")
    assert "needs an admin" in text_of(refused["result"])
    client = app.server.test_client()
    page = client.get(link).get_data(as_text=True)
    assert "You are invited as Partner" in page and "new@partner.org" in page
    token = form_token(client, link)
    differ = client.post(link, data={"password": PASSWORD, "again": PASSWORD + "x", "csrf_token": token})
    assert differ.status_code == 400 and "The two passwords differ" in differ.get_data(as_text=True)
    made = client.post(link, data={"password": PASSWORD, "again": PASSWORD, "csrf_token": token})
    assert made.status_code == 303 and "new@partner.org" in layout_text(client)
    used = app.server.test_client().get(link)
    assert used.status_code == 404 and "used already" in used.get_data(as_text=True)
    tampered = app.server.test_client().get(link[:-3] + "abc")
    assert tampered.status_code == 404 and "not valid" in tampered.get_data(as_text=True)
    admin = sign_in(app, role="admin", email="ada@example.org")
    listed = route(admin, "/admin").get_data(as_text=True)
    assert "invitation used" in listed and "invited" in listed


def test_the_admin_changes_a_role_on_the_page_and_the_change_is_logged(app):
    from callbacks import admin as admin_callbacks
    from tests.helpers import text_of

    accounts = app.context.accounts()
    accounts.add("ada@example.org", "admin", PASSWORD)
    accounts.add("bo@example.org", "partner", PASSWORD)
    with access.acting_as("admin", "ada@example.org"):
        answer = admin_callbacks.change(app.context, "admin-set-role", "bo@example.org", "editor")
        assert "bo@example.org is now Editor" in text_of(answer["result"])
        assert "role changed" in text_of(answer["lists"])
        last = admin_callbacks.change(app.context, "admin-disable", "ada@example.org", "editor")
        assert "last admin" in text_of(last["result"])
    with access.acting_as("editor", "bo@example.org"):
        refused = admin_callbacks.change(app.context, "admin-set-role", "bo@example.org", "admin")
    assert "needs an admin" in text_of(refused["result"])
    assert accounts.by_email("bo@example.org").role == "editor"


# --- the command line ---------------------------------------------------------------------------


def test_users_add_list_and_role_on_the_command_line(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "SECRET_KEY": "cli", "PATH": "/usr/bin:/bin"}

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "app.py", "users", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )

    added = run("add", "Ed@Example.org", "--role", "editor", stdin=PASSWORD + "\n")
    assert added.returncode == 0 and "ed@example.org can sign in as Editor" in added.stdout
    short = run("add", "x@example.org", "--role", "editor", stdin="short\n")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    assert run("role", "ed@example.org", "partner").returncode == 0
    assert run("list").stdout.strip() == "ed@example.org\tpartner"
    invited = run("invite", "new@example.org", "--role", "partner", "--base", "https://cp.example")
    assert invited.stdout.startswith("https://cp.example/invite/")
    app = make_app(database_url=env["DATABASE_URL"], secret_key="cli")
    client = app.server.test_client()
    assert login(client, "ed@example.org", PASSWORD).status_code == 303
    assert client.get(invited.stdout.strip().replace("https://cp.example", "")).status_code == 200
    logged = [(e.action, e.actor) for e in audit.recent(app.context.workshop().engine)]
    assert ("account.add", "command line") in logged and ("account.role", "command line") in logged
    assert json.dumps(logged)  # every line is plain data


def test_one_address_trying_account_after_account_is_stopped_too(app):
    from crosspilot.accounts import ADDRESS_FAILURES

    app.context.accounts().add("ada@example.org", "partner", PASSWORD)
    client = app.server.test_client()
    for n in range(ADDRESS_FAILURES):
        assert login(client, f"guess{n}@example.org", "some wrong password").status_code == 401
    assert login(client, "ada@example.org", PASSWORD).status_code == 429
    # Another address is not stopped by this one's failures.
    other = app.server.test_client()
    token = form_token(other)
    data = {"email": "ada@example.org", "password": PASSWORD, "csrf_token": token}
    assert other.post("/login", data=data, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 303
