"""Crosspilot: `create_app(config)` and the command line (serve, or validate a dataset)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Dash's scripts go straight into <body>: wrapped in a <footer> they made a second, empty
# contentinfo landmark beside the page's own footer.
INDEX_STRING = """<!DOCTYPE html>
<html lang="{%lang%}" dir="{%dir%}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


LANGUAGE_HEADER = "X-Crosspilot-Language"  # sent with every callback by assets/05-language.js


def request_language(args, headers) -> str:
    """The language a request is answered in: the link's ?lang=, else the page's own language (sent
    with each callback, and in the Referer's link), else the browser's Accept-Language, else the
    app's default (CROSSPILOT_LANGUAGE)."""
    from urllib.parse import parse_qsl, urlsplit

    from crosspilot.i18n import default_language, from_accept_language, supported

    referer_lang = dict(parse_qsl(urlsplit(headers.get("Referer", "")[:4000]).query)).get("lang")
    return (
        supported(args.get("lang"))
        or supported(headers.get(LANGUAGE_HEADER))
        or supported(referer_lang)
        or from_accept_language(headers.get("Accept-Language"))
        or default_language()
    )


def _install_language(server) -> None:
    """Every request runs in its language (crosspilot.i18n's context variable)."""
    from flask import g, request

    from crosspilot.i18n import end_language, start_language

    @server.before_request
    def _start():
        g.crosspilot_language = start_language(request_language(request.args, request.headers))

    @server.teardown_request
    def _end(_error=None):
        token = g.pop("crosspilot_language", None)
        if token is not None:
            try:
                end_language(token)
            except ValueError:  # set in another context (a streamed response): it dies with it
                pass

    @server.after_request
    def _vary(response):
        # The same URL is answered per language: caches must keep them apart.
        response.vary.update(("Accept-Language", LANGUAGE_HEADER))
        return response


def _dash_class():
    import dash

    class Dash(dash.Dash):
        """Dash with the page's <html lang> and dir in the request's language."""

        def interpolate_index(self, **kwargs):
            from crosspilot.i18n import current_language, language

            page = super().interpolate_index(**kwargs)
            lang = language(current_language())
            return page.replace("{%lang%}", lang.code, 1).replace("{%dir%}", lang.direction, 1)

    return Dash


def _install_page_roles(server, context) -> None:
    """A page that needs a role, opened by its link without it, answers with the refusal page
    (401 with a sign-in link, or 403) instead of the app: the router refuses it again on every
    navigation inside the app, and its callbacks check the role themselves."""
    from flask import request

    from crosspilot import access
    from crosspilot.accounts.web import refusal_response

    needs = {page.path: page.role for page in context.pages if page.role != "public"}

    @server.before_request
    def _page_role():
        role = needs.get(request.path.rstrip("/") or "/")
        if role and request.method == "GET" and not access.at_least(role):
            return refusal_response(access.refusal(role))
        return None


def _install_repeats(app, context) -> None:
    """Repeatable callbacks (wired with `repeatable=True`) answered again from memory, per language,
    role and served data version (crosspilot/responses.py); CROSSPILOT_RESPONSE_CACHE=0 turns it off."""
    from callbacks.wiring import repeatable_outputs
    from crosspilot import access, responses
    from crosspilot.i18n import current_language

    if not context.config.response_cache:
        return
    outputs = repeatable_outputs(app)  # filled as the pages' callbacks are wired, after this

    def key_of() -> bytes:
        return "\0".join((current_language(), access.current_role(), context.snapshot.version)).encode()

    app.context_responses = responses.install(app.server, outputs, key_of)


def _install_versions(server, context) -> None:
    """Every request is answered from the active dataset version: the follower reads the one small
    row naming it (at most every 1.5 s per worker) and swaps the data when another worker or host
    activated another version; the request then reads one version throughout (pinned)."""
    from flask import g, request

    skip = ("/assets/", "/_dash-component-suites/", "/_favicon")

    @server.before_request
    def _follow():
        if not request.path.startswith(skip):
            context.versions.follower.check()
        g.crosspilot_served = context.served.pin()

    @server.teardown_request
    def _unpin(_error=None):
        token = g.pop("crosspilot_served", None)
        if token is not None:
            try:
                context.served.unpin(token)
            except ValueError:  # set in another context (a streamed response): it dies with it
                pass


class DatasetError(Exception):
    """The dataset cannot be served; `report` says every reason."""

    def __init__(self, report):
        super().__init__(report.format())
        self.report = report


def create_app(config=None):
    """A fresh, fully working app for `config` (default: `Config.from_env()`, the bundled CoSIE data)."""
    import dash_bootstrap_components  # noqa: F401  (registers the components before layouts use them)

    from callbacks import register
    from crosspilot.config import Config
    from crosspilot.context import AppContext
    from crosspilot.dataset import load_dataset
    from layouts import shell
    from layouts.pages import pages

    config = config or Config.from_env()
    result = load_dataset(config.data_dir, config.cache_dir)
    if not result.ok:
        raise DatasetError(result.report)
    from crosspilot.i18n import default_language, set_default_language

    set_default_language(config.language)
    context = AppContext(snapshot=result.snapshot, config=config, pages=tuple(pages()))
    app = _dash_class()(
        __name__,
        title="Crosspilot",
        assets_folder=str(HERE / "assets"),
        serve_locally=True,
        # gzip/brotli for pages, scripts and callback responses (flask-compress): a 10,000-actor
        # network's response shrinks several-fold on a venue's Wi-Fi.
        compress=True,
        update_title=None,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            # assets/05-language.js writes ?lang= into the address unless the page is in this language
            {"name": "crosspilot-default-language", "content": default_language()},
        ],
        # Pages are rendered into the shell by the router, so their ids are not in the initial
        # layout; tests/test_app.py checks that every callback id exists in some page instead
        # (rendering every page here would put all their work into start-up).
        suppress_callback_exceptions=True,
        # Long work (a large network's first layout and metrics) runs as background callbacks, never
        # past gunicorn's 30 s worker timeout (see background_manager).
        background_callback_manager=background_manager(config),
    )
    app.index_string = INDEX_STRING
    _install_language(app.server)
    app.server.secret_key = config.secret()
    from crosspilot.accounts import web as accounts_web

    # After the language (its pages speak it), before every route: the request's role.
    accounts_web.install(app.server, context.accounts)
    _install_page_roles(app.server, context)
    _install_versions(app.server, context)
    _install_repeats(app, context)
    if config.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = config.trusted_proxies
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)
    # The one handle on what this app serves, for the command line, benchmarks and tests.
    app.context = context
    app.layout = lambda: shell.layout(list(context.pages))
    register(app, context)
    return app


def background_manager(config):
    """Where background callbacks run. Embedded default: Dash's DiskcacheManager, a process of its own
    per job, with the queue and results in a diskcache folder that every worker on this host shares
    (Config.jobs()). With a Redis URL: Dash's CeleryManager, the jobs queued in Redis for Celery
    workers on any host (`celery -A crosspilot_celery:celery worker`, see crosspilot_celery.py)."""
    import dash

    if config.redis_url:
        from celery import Celery

        celery = Celery("crosspilot", broker=config.redis_url, backend=config.redis_url)
        # A job's answer and progress are read once by the page that asked; an hour is plenty.
        celery.conf.update(result_expires=3600, broker_connection_retry_on_startup=True)
        return dash.CeleryManager(celery)
    import diskcache

    return dash.DiskcacheManager(diskcache.Cache(str(config.jobs())))


def _print_report(report, folder, stream=sys.stderr) -> None:
    from crosspilot.i18n import t

    print(report.format(t("Validation report for {folder}", folder=folder)), file=stream)


def validate(folder: str) -> int:
    from crosspilot.dataset import load_dataset

    result = load_dataset(folder)
    _print_report(result.report, folder, sys.stdout)
    return 0 if result.ok else 1


def serve(data: str | None, host: str, port: int, debug: bool) -> int:
    from crosspilot.config import Config
    from crosspilot.i18n import t

    config = Config.from_env(data_dir=Path(data) if data else None, host=host, port=port, debug=debug)
    try:
        app = create_app(config)
    except DatasetError as error:
        _print_report(error.report, config.data_dir)
        print(t("Crosspilot did not start: the dataset has errors."), file=sys.stderr)
        return 1
    snapshot = app.context.snapshot
    if snapshot.report.warnings:
        _print_report(snapshot.report, config.data_dir)
    print(
        t(
            "Crosspilot serving {data} (version {version}) at http://{host}:{port}",
            data=config.data_dir,
            version=snapshot.version,
            host=host,
            port=port,
        )
    )
    app.run(host=host, port=port, debug=debug)
    return 0


def _read_password(stream=None) -> str:
    """The new password: asked twice on a terminal, else the first line of standard input (scripts)."""
    import getpass

    from crosspilot.i18n import t

    stream = stream or sys.stdin
    if not stream.isatty():
        return stream.readline().rstrip("\n")
    first = getpass.getpass(t("Password (at least 12 characters): "))
    if first != getpass.getpass(t("The same password again: ")):
        raise ValueError(t("The two passwords differ"))
    return first


def users(argv: list[str]) -> int:
    """`app.py users add|list|role|disable|enable|password|invite`: accounts on the configured database."""
    from crosspilot import access
    from crosspilot.accounts import AccountError, Accounts
    from crosspilot.accounts.web import INVITE
    from crosspilot.config import Config
    from crosspilot.i18n import t
    from crosspilot.workshop import store
    from crosspilot.workshop.errors import Unavailable

    parser = argparse.ArgumentParser(prog="app.py users", description="Manage accounts.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="make an account (password asked, or read from stdin)")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=access.ROLES)
    commands.add_parser("list", help="list the accounts")
    role = commands.add_parser("role", help="change an account's role")
    role.add_argument("email")
    role.add_argument("role", choices=access.ROLES)
    for name in ("disable", "enable", "password"):
        commands.add_parser(name, help=f"{name} an account").add_argument("email")
    invite = commands.add_parser("invite", help="print a single-use invitation link")
    invite.add_argument("email")
    invite.add_argument("--role", required=True, choices=access.ROLES)
    invite.add_argument("--base", default="http://127.0.0.1:8050", help="the app's address, for the link")
    args = parser.parse_args(argv)
    config = Config.from_env()
    try:
        accounts = Accounts(store.make_engine(config.database()), config.secret())
        if args.command == "add":
            done = accounts.add(args.email, args.role, _read_password())
            print(t("{email} can sign in as {role}.", email=done.email, role=access.role_name(done.role)))
        elif args.command == "list":
            for account in accounts.all():
                state = "" if account.active else " (" + t("disabled") + ")"
                print(f"{account.email}\t{account.role}{state}")
        elif args.command == "role":
            done = accounts.set_role(args.email, args.role)
            print(t("{email} is now {role}.", email=done.email, role=access.role_name(done.role)))
        elif args.command in ("disable", "enable"):
            done = accounts.set_active(args.email, args.command == "enable")
            state = t("enabled") if done.active else t("disabled")
            print(done.email + ": " + state)
        elif args.command == "password":
            done = accounts.set_password(args.email, _read_password())
            print(t("{email}: password changed; their sessions have ended.", email=done.email))
        else:
            token = accounts.invite(args.email, args.role)
            print(args.base.rstrip("/") + INVITE + token)
    except (AccountError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    except Unavailable as error:
        print(error, file=sys.stderr)
        return 3
    return 0


def main(argv: list[str] | None = None) -> int:
    from crosspilot.config import Config
    from crosspilot.i18n import set_default_language

    argv = sys.argv[1:] if argv is None else argv
    # The command line speaks CROSSPILOT_LANGUAGE (the report of `validate`, the start-up lines).
    set_default_language(Config.from_env().language)
    if argv and argv[0] == "validate":
        parser = argparse.ArgumentParser(prog="app.py validate", description="Check a dataset folder.")
        parser.add_argument("folder", help="dataset folder to check")
        return validate(parser.parse_args(argv[1:]).folder)
    if argv and argv[0] == "users":
        return users(argv[1:])
    parser = argparse.ArgumentParser(
        prog="app.py",
        description="Serve Crosspilot. 'python app.py validate DIR' checks a dataset; "
        "'python app.py users add EMAIL --role editor' makes an account (see 'users --help').",
    )
    parser.add_argument("--data", help="dataset folder (default: the bundled CoSIE data)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    return serve(args.data, args.host, args.port, args.debug)


if __name__ == "__main__":
    sys.exit(main())
