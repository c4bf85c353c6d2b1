"""Sign-in on the app's Flask server: sessions (Flask-Login), the request's role, CSRF, and the
/login, /logout and /invite/<token> pages.

- **Sessions** are Flask's signed cookie: HttpOnly, SameSite=Lax, and Secure whenever the request came
  over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto), so a workshop on a laptop's
  plain http://192.168.x.y still signs in. A session names the account and its `session_version`:
  a password change, a role change or disabling the account ends every session made before it.
- **The role** of every request (pages, Dash callbacks, the API, downloads) is set from the session
  before anything else runs (crosspilot.access); code below asks `access.at_least(...)`.
- **CSRF**: every state-changing request that is not a Dash callback or an /api/ route must carry
  the session's token (Flask-WTF's CSRFProtect). Dash callbacks and the JSON API take JSON only,
  which a form on another site cannot send without a CORS preflight, and the session cookie is
  SameSite=Lax, so it is not sent with another site's POST.
- **Refusals** are pages in the reader's language with a 4xx status (401, 403, 429, 400 for a
  stale form), or JSON under /api/.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from flask import Response, g, has_request_context, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from markupsafe import Markup

from crosspilot import access
from crosspilot.accounts import AccountError, TooManyAttempts
from crosspilot.i18n import current_language, default_language, language, t
from crosspilot.templates import render
from crosspilot.workshop.errors import Unavailable

log = logging.getLogger(__name__)

LOGIN = "/login"
LOGOUT = "/logout"
INVITE = "/invite/"
SESSION_DAYS = 7
# Under these paths a POST is a Dash callback or the JSON API (see the module's note on CSRF).
NOT_FORMS = ("/_dash-", "/api/")


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure exactly when the request is (https)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


class User(UserMixin):
    """Flask-Login's view of an account. Its id carries the session version (Flask-Login's
    "alternative tokens"), so a session made before a password or role change no longer loads."""

    def __init__(self, account):
        self.account = account

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_version}"


def safe_next(target: object) -> str:
    """Where to go after signing in: a path on this site only (never //other.site or a scheme)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or len(target) > 2000:
        return "/"
    return target


def login_link(next_path: str | None = None) -> str:
    params = {}
    if next_path and safe_next(next_path) != "/":
        params["next"] = next_path
    if current_language() != default_language() or (has_request_context() and request.args.get("lang")):
        params["lang"] = current_language()
    return LOGIN + (f"?{urlencode(params)}" if params else "")


def csrf_token() -> str:
    """The session's CSRF token for a form (made on first use); "" outside a request."""
    return generate_csrf() if has_request_context() else ""


def page(title: str, body: Markup | str, status: int = 200, **headers) -> Response:
    """A small server-rendered page in the app's look and the reader's language."""
    lang = language(current_language())
    html = render(
        "account.html.j2",
        lang=lang.code,
        direction=lang.direction,
        title=title,
        body=body,
        home=t("Back to Crosspilot"),
    )
    return Response(html, status=status, mimetype="text/html", headers=headers)


def install(server, get_accounts) -> CSRFProtect:
    """Sign-in on `server`; `get_accounts()` returns the app's Accounts (raising Unavailable while
    the database does not answer: the request is then anonymous, and sign-in says so)."""
    server.session_interface = SessionInterface()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=SESSION_DAYS),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked below for every form route, not for Dash or /api/
        WTF_CSRF_TIME_LIMIT=12 * 3600,  # a sign-in page left open over lunch still works
        WTF_CSRF_SSL_STRICT=False,  # the Referer check breaks behind some proxies; the token is what counts
    )
    csrf = CSRFProtect(server)
    manager = LoginManager(server)
    manager.session_protection = None  # sessions end by session_version, not by an address change

    @manager.user_loader
    def _load(user_id: str):
        try:
            account_id, version = (int(part) for part in user_id.split(":", 1))
            account = get_accounts().get(account_id)
        except (ValueError, Unavailable):
            return None
        if account is None or not account.active or account.session_version != version:
            return None
        return User(account)

    @server.before_request
    def _who():
        who = access.ANONYMOUS
        if session.get("_user_id"):  # only signed-in visitors cost a database read
            user = current_user
            if getattr(user, "is_authenticated", False):
                who = user.account.who
        g.crosspilot_who = access.start(who)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not request.path.startswith(NOT_FORMS):
            csrf.protect()

    @server.teardown_request
    def _end(_error=None):
        token = g.pop("crosspilot_who", None)
        if token is not None:
            try:
                access.end(token)
            except ValueError:
                pass

    @server.errorhandler(CSRFError)
    def _stale_form(_error):
        return page(
            t("The form has expired"),
            Markup("<p>{}</p><p><a href='{}'>{}</a></p>").format(
                t("The form was older than this session, or came from another site. Nothing was changed."),
                login_link(),
                t("Sign in again"),
            ),
            400,
        )

    def _form(error: str = "", email: str = "", status: int = 200, **headers) -> Response:
        next_path = safe_next(request.values.get("next"))
        body = render(
            "login-form.html.j2",
            action=login_link(next_path),
            token=csrf_token(),
            error=error,
            email=email,
            labels={
                "email": t("Email"),
                "password": t("Password"),
                "submit": t("Sign in"),
                "note": t(
                    "Partners, editors and admins sign in here. Workshop participants need no account: "
                    "they join with the room's code."
                ),
                "error": t("Not signed in"),
            },
        )
        return page(t("Sign in"), Markup(body), status, **headers)

    @server.route(LOGIN, methods=("GET", "POST"))
    def login():
        if request.method == "GET":
            return _form()
        email = request.form.get("email", "")[:300]
        try:
            account = get_accounts().authenticate(email, request.form.get("password", ""), _address())
        except TooManyAttempts as error:
            return _form(str(error), email, 429, **{"Retry-After": str(error.retry_after)})
        except AccountError as error:
            return _form(str(error), email, 401)
        except Unavailable:
            return _form(t("The account store does not answer just now: try again in a minute."), email, 503)
        session.clear()  # a new session for the signed-in visitor: nothing carried over
        session.permanent = True
        login_user(User(account))
        return redirect(safe_next(request.values.get("next")), 303)

    @server.route(LOGOUT, methods=("POST",))
    def logout():
        logout_user()
        session.clear()
        return redirect(safe_next(request.values.get("next")), 303)

    @server.route(INVITE + "<token>", methods=("GET", "POST"))
    def invitation(token):
        try:
            accounts = get_accounts()
            found = accounts.invitation(token)
        except AccountError as error:
            return page(t("Invitation"), Markup("<p role='alert'>{}</p>").format(error), 404)
        except Unavailable:
            return page(t("Invitation"), t("The account store does not answer just now."), 503)
        error = ""
        if request.method == "POST":
            password = request.form.get("password", "")
            if password != request.form.get("again", ""):
                error = t("The two passwords differ")
            else:
                try:
                    account = accounts.accept(token, password)
                except AccountError as problem:
                    error = str(problem)
                else:
                    session.clear()
                    session.permanent = True
                    login_user(User(account))
                    return redirect("/", 303)
        body = render(
            "invite-form.html.j2",
            token=csrf_token(),
            error=error,
            intro=t(
                "You are invited as {role}: {duties}. Choose a password for {email}.",
                role=access.role_name(found["role"]),
                duties=t(access.ROLE_DUTIES[found["role"]]),
                email=found["email"],
            ),
            labels={
                "password": t("Password (at least 12 characters)"),
                "again": t("The same password again"),
                "submit": t("Make my account"),
                "error": t("Not done"),
            },
        )
        return page(t("Invitation"), Markup(body), 400 if error else 200)

    return csrf


def _address() -> str:
    return request.remote_addr or ""


def refusal_response(error: access.Refused) -> Response:
    """A role refusal as a page (or as JSON under /api/)."""
    if request.path.startswith("/api/"):
        from flask import jsonify

        response = jsonify({"error": error.message})
        response.status_code = error.status
        return response
    link = login_link(request.full_path.rstrip("?"))
    return page(
        t("Not allowed"),
        Markup("<p role='alert'>{}</p><p><a href='{}'>{}</a></p>").format(error.message, link, t("Sign in")),
        error.status,
    )
