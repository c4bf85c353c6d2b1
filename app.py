"""Crosspilot: `create_app(config)` and the command line (serve, or validate a dataset)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Dash's scripts go straight into <body>: wrapped in a <footer> they made a second, empty
# contentinfo landmark beside the page's own footer.
INDEX_STRING = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        {{%config%}}
        {{%scripts%}}
        {{%renderer%}}
    </body>
</html>"""


class DatasetError(Exception):
    """The dataset cannot be served; `report` says every reason."""

    def __init__(self, report):
        super().__init__(report.format())
        self.report = report


def create_app(config=None):
    """A fresh, fully working app for `config` (default: `Config.from_env()`, the bundled CoSIE data)."""
    import dash
    import dash_bootstrap_components  # noqa: F401  (registers the components before layouts use them)

    from callbacks import register
    from crosspilot.config import Config
    from crosspilot.context import AppContext
    from crosspilot.dataset import load_dataset
    from layouts import shell
    from layouts.pages import pages

    config = config or Config.from_env()
    import diskcache

    result = load_dataset(config.data_dir, config.cache_dir)
    if not result.ok:
        raise DatasetError(result.report)
    context = AppContext(snapshot=result.snapshot, config=config, pages=tuple(pages()))
    app = dash.Dash(
        __name__,
        title="Crosspilot",
        assets_folder=str(HERE / "assets"),
        serve_locally=True,
        # gzip/brotli for pages, scripts and callback responses (flask-compress): a 10,000-actor
        # network's response shrinks several-fold on a venue's Wi-Fi.
        compress=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        # Pages are rendered into the shell by the router, so their ids are not in the initial
        # layout; tests/test_app.py checks that every callback id exists in some page instead
        # (rendering every page here would put all their work into start-up).
        suppress_callback_exceptions=True,
        # Long work (a large network's first layout and metrics) runs as background callbacks in a
        # process of their own, never past gunicorn's 30 s worker timeout; their queue and results are
        # in a diskcache folder that every worker on this host shares (Config.jobs()).
        background_callback_manager=dash.DiskcacheManager(diskcache.Cache(str(config.jobs()))),
    )
    app.index_string = INDEX_STRING.format(lang=config.language)
    app.server.secret_key = config.secret()
    if config.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = config.trusted_proxies
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)
    # The one handle on what this app serves, for the command line, benchmarks and tests.
    app.context = context
    app.layout = lambda: shell.layout(list(context.pages))
    register(app, context)
    return app


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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "validate":
        parser = argparse.ArgumentParser(prog="app.py validate", description="Check a dataset folder.")
        parser.add_argument("folder", help="dataset folder to check")
        return validate(parser.parse_args(argv[1:]).folder)
    parser = argparse.ArgumentParser(
        prog="app.py", description="Serve Crosspilot. 'python app.py validate DIR' checks a dataset."
    )
    parser.add_argument("--data", help="dataset folder (default: the bundled CoSIE data)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    return serve(args.data, args.host, args.port, args.debug)


if __name__ == "__main__":
    sys.exit(main())
