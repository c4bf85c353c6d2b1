"""Render the page for the URL, and carry the theme across navigation links.

Pages keep their own view state in the query string (written by their callbacks through
`shell-url.search` with allow_duplicate). The router re-renders a page only when the path or
the theme changes, so a page writing its own query never re-renders itself. The links that follow
the query (the navigation keeps the theme, the theme switch and each language link keep the view)
are written in the browser (assets/15-links.js): an in-page change costs no second round trip.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, html, no_update

from crosspilot.i18n import languages, t
from layouts import ids, snapshot
from layouts.shell import data_language_note, parse_query, theme_of


def not_found(pathname: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("Page not found")),
            html.P(t("There is no page at {path}.", path=pathname)),
            html.A(t("Go to the overview"), href="/"),
        ]
    )


def render(context, pathname: str | None, search: str | None, rendered: dict | None = None):
    """Page content (or no_update), the data's language note, root class, theme switch label and what
    was rendered."""
    pathname = pathname or "/"
    query = parse_query(search)
    theme = theme_of(search)
    key = {"path": pathname, "theme": theme}
    if rendered == key:
        content = no_update
    else:
        page = next((p for p in context.pages if p.path == pathname), None)
        if page is not None:
            content = page.layout(context, query, theme)
        elif pathname.startswith(snapshot.PREFIX):  # a published snapshot's permanent link
            content = snapshot.page(context, pathname[len(snapshot.PREFIX) :].rstrip("/"), theme)
        else:
            content = not_found(pathname)
    toggle_label = t("Standard view") if theme == "projector" else t("Projector view")
    return content, data_language_note(context.derived.data_coverage()), f"theme-{theme}", toggle_label, key


def register(app, context) -> None:
    @app.callback(
        Output(ids.CONTENT, "children"),
        Output(ids.DATA_LANGUAGE, "children"),
        Output(ids.ROOT, "className"),
        Output(ids.THEME_TOGGLE, "children"),
        Output(ids.RENDERED, "data"),
        Input(ids.URL, "pathname"),
        Input(ids.THEME, "data"),  # only a trigger: the theme is read from the address itself
        State(ids.URL, "search"),
        State(ids.RENDERED, "data"),
    )
    def route(pathname, _theme, search, rendered):
        if not isinstance(rendered, dict):  # a value from the browser: trust nothing in it
            rendered = None
        if not isinstance(pathname, str):
            pathname = None
        return render(context, pathname, search if isinstance(search, str) else None, rendered)

    # The links that follow the address, written in the browser: no round trip per in-page change.
    app.clientside_callback(
        ClientsideFunction("crosspilot", "links"),
        Output(ids.THEME, "data"),
        Output(ids.THEME_TOGGLE, "href"),
        *[Output(ids.nav_link(p.key), "href") for p in context.pages if p.in_nav],
        *[Output(ids.language_link(lang.code), "href") for lang in languages()],
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        State(ids.LINK_TARGETS, "data"),
        State(ids.THEME, "data"),
    )

    # Screen readers and browser tabs should say which page is open.
    app.clientside_callback(
        """function(pathname) {
            var link = document.querySelector('#shell-nav .nav-link.active');
            var heading = document.querySelector('#shell-content h1');  // a page outside the navigation
            var name = link ? link.textContent : heading ? heading.textContent : '';
            document.title = (name ? name + ' · ' : '') + 'Crosspilot';
            return window.dash_clientside.no_update;
        }""",
        Output(ids.TITLE_SINK, "data"),
        Input(ids.CONTENT, "children"),
    )
