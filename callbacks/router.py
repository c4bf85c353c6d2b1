"""Render the page for the URL, and carry the theme across navigation links.

Pages keep their own view state in the query string (written by their callbacks through
`shell-url.search` with allow_duplicate). The router re-renders a page only when the path or
the theme changes, so a page writing its own query never re-renders itself.
"""

from __future__ import annotations

from dash import Input, Output, State, html, no_update

from crosspilot.i18n import t
from layouts import ids, snapshot
from layouts.shell import data_language_note, language_links, parse_query, theme_of, with_theme


def not_found(pathname: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("Page not found")),
            html.P(t("There is no page at {path}.", path=pathname)),
            html.A(t("Go to the overview"), href="/"),
        ]
    )


def render(context, pathname: str | None, search: str | None, rendered: dict | None = None):
    """Page content (or no_update), root class, theme toggle, nav links and what was rendered."""
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
    other = "standard" if theme == "projector" else "projector"
    toggle_label = t("Standard view") if theme == "projector" else t("Projector view")
    nav_hrefs = [with_theme(p.path, theme) for p in context.pages if p.in_nav]
    languages = language_links(pathname, query)
    return (
        content,
        data_language_note(context.derived.data_coverage()),
        f"theme-{theme}",
        with_theme(pathname, other, query),
        toggle_label,
        key,
        languages,
        *nav_hrefs,
    )


def register(app, context) -> None:
    @app.callback(
        Output(ids.CONTENT, "children"),
        Output(ids.DATA_LANGUAGE, "children"),
        Output(ids.ROOT, "className"),
        Output(ids.THEME_TOGGLE, "href"),
        Output(ids.THEME_TOGGLE, "children"),
        Output(ids.RENDERED, "data"),
        Output(ids.LANGUAGES, "children"),
        *[Output(ids.nav_link(p.key), "href") for p in context.pages if p.in_nav],
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        State(ids.RENDERED, "data"),
    )
    def route(pathname, search, rendered):
        if not isinstance(rendered, dict):  # a value from the browser: trust nothing in it
            rendered = None
        return render(context, pathname, search, rendered)

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
