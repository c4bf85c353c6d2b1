"""Lessons section callbacks: filters to the URL, lesson links in the page, roadmap scope and downloads.

Each callback is a module-level function of the app's context and the browser's values, called
directly by the tests; `register` wires them with Dash's dict-grouped inputs and outputs.
"""

from __future__ import annotations

from dash import Input, Output, State, ctx, no_update

from callbacks.wiring import wiring
from crosspilot.roadmap import to_html, to_markdown
from crosspilot.views import lessons as lesson_views
from crosspilot.views import roadmap as roadmap_views
from layouts import ids
from layouts import lessons as page
from layouts import lessons_roadmap as roadmap_page
from layouts.common import from_select
from layouts.shell import parse_query, theme_of, with_theme

DOWNLOADS = {
    "markdown": ("roadmap-to-co-creation.md", "text/markdown"),
    "html": ("roadmap-to-co-creation.html", "text/html"),
}


def filter_query(topic, pilot, statuses, strength) -> dict[str, str]:
    """The filter controls' values as a query, for the page's view module to check like any link."""
    query = {
        "topic": from_select(topic),
        "pilot": from_select(pilot),
        "status": ",".join(s for s in statuses if isinstance(s, str)) if isinstance(statuses, list) else "",
        "strength": from_select(strength),
    }
    return {k: v for k, v in query.items() if v}


def filter_list(context, topic, pilot, statuses, strength, search) -> dict:
    """The list, its count, the view on screen and the URL for the filters the user chose."""
    view, _ = lesson_views.parse(context.derived, filter_query(topic, pilot, statuses, strength))
    theme = theme_of(search)
    in_force = page.statuses_in_force(context)
    chosen = page.chosen_lessons(context, view, in_force)
    return {
        "list": page.lesson_list(context, chosen, in_force, view, theme),
        "count": page.count_text(context.fmt, len(chosen), len(context.derived.lessons)),
        "shown": page.shown(context, view),
        "search": with_theme("", theme, lesson_views.to_query(context.derived, view)),
    }


def follow_link(context, search, pathname, shown):
    """A link to another lesson (or back to the list) changes only the query: the router keeps the
    page, so the page follows the URL itself, unless the URL already says what is on screen."""
    if pathname != lesson_views.PATH:
        return no_update
    view, notices = lesson_views.parse(context.derived, parse_query(search))
    if isinstance(shown, str) and page.shown(context, view) == shown:
        return no_update
    return page.body(context, view, notices, theme_of(search))


def scope_view(value) -> roadmap_views.View:
    return roadmap_views.View(scope="all" if isinstance(value, list) and "all" in value else "validated")


def roadmap_scope(context, value, search) -> dict:
    view = scope_view(value)
    theme = theme_of(search)
    return {
        "body": roadmap_page.roadmap_body(context, view, theme),
        "search": with_theme("", theme, roadmap_views.to_query(context.derived, view)),
    }


def roadmap_download(context, kind: str, value) -> dict:
    """The roadmap as the chosen download ("markdown" or "html"), for the scope on screen."""
    if kind not in DOWNLOADS:
        return no_update
    sections = roadmap_page.sections_of(context, scope_view(value))
    names, version = context.derived.pilots.name, context.snapshot.version
    text = to_html(sections, names, version) if kind == "html" else to_markdown(sections, names, version)
    filename, media = DOWNLOADS[kind]
    return {"content": text, "filename": filename, "type": media, "base64": False}


def register(app, context) -> None:
    wire = wiring(app, context)
    wire(
        filter_list,
        output=dict(
            list=Output(ids.LESSONS_LIST, "children"),
            count=Output(ids.LESSONS_COUNT, "children"),
            shown=Output(ids.LESSONS_SHOWN, "data"),
            search=Output(ids.URL, "search", allow_duplicate=True),
        ),
        inputs=dict(
            topic=Input(ids.LESSONS_TOPIC, "value"),
            pilot=Input(ids.LESSONS_PILOT, "value"),
            statuses=Input(ids.LESSONS_STATUS, "value"),
            strength=Input(ids.LESSONS_STRENGTH, "value"),
        ),
        state=dict(search=State(ids.URL, "search")),
        prevent_initial_call=True,
    )
    wire(
        follow_link,
        output=Output(ids.LESSONS_PAGE, "children"),
        inputs=dict(search=Input(ids.URL, "search")),
        state=dict(pathname=State(ids.URL, "pathname"), shown=State(ids.LESSONS_SHOWN, "data")),
        prevent_initial_call=True,
    )
    wire(
        roadmap_scope,
        output=dict(
            body=Output(ids.LESSONS_ROADMAP_BODY, "children"),
            search=Output(ids.URL, "search", allow_duplicate=True),
        ),
        inputs=dict(value=Input(ids.LESSONS_ROADMAP_SCOPE, "value")),
        state=dict(search=State(ids.URL, "search")),
        prevent_initial_call=True,
    )

    @app.callback(
        output=Output(ids.LESSONS_ROADMAP_DOWNLOAD, "data"),
        inputs=dict(
            markdown=Input(ids.LESSONS_ROADMAP_MD, "n_clicks"),
            html=Input(ids.LESSONS_ROADMAP_HTML, "n_clicks"),
        ),
        state=dict(value=State(ids.LESSONS_ROADMAP_SCOPE, "value")),
        prevent_initial_call=True,
    )
    def _roadmap_download(markdown, html, value):
        kind = {ids.LESSONS_ROADMAP_MD: "markdown", ids.LESSONS_ROADMAP_HTML: "html"}.get(
            ctx.triggered_id, ""
        )
        return roadmap_download(context, kind, value)

    app.clientside_callback(
        """function(n) { if (n) { window.print(); } return window.dash_clientside.no_update; }""",
        Output(ids.LESSONS_PRINT_SINK, "data"),
        Input(ids.LESSONS_ROADMAP_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )
