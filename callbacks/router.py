"""Render the page for the URL, and carry the theme across navigation links."""

from __future__ import annotations

from dash import Input, Output, html

from crosspilot.i18n import t
from layouts import ids
from layouts.shell import parse_query, theme_of, with_theme


def not_found(pathname: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("Page not found")),
            html.P(t("There is no page at {path}.", path=pathname)),
            html.A(t("Go to the overview"), href="/"),
        ]
    )


def render(context, pathname: str | None, search: str | None):
    """Page content, root class, theme-toggle link and nav links for one URL."""
    pathname = pathname or "/"
    query = parse_query(search)
    theme = theme_of(search)
    page = next((p for p in context.pages if p.path == pathname), None)
    content = page.layout(context.snapshot, query, theme) if page else not_found(pathname)
    other = "standard" if theme == "projector" else "projector"
    toggle_label = t("Standard view") if theme == "projector" else t("Projector view")
    nav_hrefs = [with_theme(p.path, theme) for p in context.pages]
    return (content, f"theme-{theme}", with_theme(pathname, other, query), toggle_label, *nav_hrefs)


def register(app, context) -> None:
    @app.callback(
        Output(ids.CONTENT, "children"),
        Output(ids.ROOT, "className"),
        Output(ids.THEME_TOGGLE, "href"),
        Output(ids.THEME_TOGGLE, "children"),
        *[Output(ids.nav_link(p.key), "href") for p in context.pages],
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def route(pathname, search):
        return render(context, pathname, search)

    # Screen readers and browser tabs should say which page is open.
    app.clientside_callback(
        """function(pathname) {
            var link = document.querySelector('#shell-nav .nav-link.active');
            document.title = (link ? link.textContent + ' · ' : '') + 'Crosspilot';
            return window.dash_clientside.no_update;
        }""",
        Output(ids.TITLE_SINK, "data"),
        Input(ids.CONTENT, "children"),
    )
