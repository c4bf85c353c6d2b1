"""Lessons section callbacks: filters to the URL, lesson links in the page, roadmap scope and downloads."""

from __future__ import annotations

from dash import Input, Output, State, ctx, no_update

from crosspilot.lessons import filter_lessons
from crosspilot.roadmap import roadmap_sections, to_html, to_markdown
from crosspilot.views import base as viewstate
from layouts import ids
from layouts.common import from_select
from layouts.lessons import body, canonical, count_text, effective_statuses, fields, filters_of, lesson_list
from layouts.lessons_roadmap import FIELDS as ROADMAP_FIELDS
from layouts.lessons_roadmap import roadmap_body
from layouts.shell import parse_query, theme_of, with_theme


def filter_query(topic, pilot, statuses, strength) -> dict[str, str]:
    """The filter controls' values as a query, for `viewstate.parse` to check like any link."""
    query = {
        "topic": from_select(topic),
        "pilot": from_select(pilot),
        "status": ",".join(s for s in statuses if isinstance(s, str)) if isinstance(statuses, list) else "",
        "strength": from_select(strength),
    }
    return {k: v for k, v in query.items() if v}


def register(app, context) -> None:
    snapshot = context.snapshot

    def hook():
        return context.decisions_for

    @app.callback(
        Output(ids.LESSONS_LIST, "children"),
        Output(ids.LESSONS_COUNT, "children"),
        Output(ids.LESSONS_SHOWN, "data"),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.LESSONS_TOPIC, "value"),
        Input(ids.LESSONS_PILOT, "value"),
        Input(ids.LESSONS_STATUS, "value"),
        Input(ids.LESSONS_STRENGTH, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def filter_list(topic, pilot, statuses, strength, search):
        values, _ = viewstate.parse(filter_query(topic, pilot, statuses, strength), fields(snapshot))
        theme = theme_of(search)
        statuses_now = effective_statuses(snapshot, hook())
        chosen = filter_lessons(snapshot.lessons, filters_of(values), statuses_now)
        return (
            lesson_list(snapshot, chosen, statuses_now, values, theme),
            count_text(len(chosen), len(snapshot.lessons)),
            canonical(values, snapshot),
            with_theme("", theme, viewstate.to_query(values, fields(snapshot))),
        )

    @app.callback(
        Output(ids.LESSONS_PAGE, "children"),
        Input(ids.URL, "search"),
        State(ids.URL, "pathname"),
        State(ids.LESSONS_SHOWN, "data"),
        prevent_initial_call=True,
    )
    def follow_link(search, pathname, shown):
        # A link to another lesson (or back to the list) changes only the query: the router keeps the
        # page, so the page follows the URL itself, unless the URL already says what is on screen.
        if pathname != "/lessons":
            return no_update
        values, notices = viewstate.parse(parse_query(search), fields(snapshot))
        if isinstance(shown, str) and canonical(values, snapshot) == shown:
            return no_update
        return body(snapshot, values, notices, theme_of(search), hook())

    @app.callback(
        Output(ids.LESSONS_ROADMAP_BODY, "children"),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.LESSONS_ROADMAP_SCOPE, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def roadmap_scope(value, search):
        scope = "all" if isinstance(value, list) and "all" in value else "validated"
        theme = theme_of(search)
        query = viewstate.to_query({"scope": scope}, ROADMAP_FIELDS)
        return roadmap_body(snapshot, scope, theme, hook()), with_theme("", theme, query)

    @app.callback(
        Output(ids.LESSONS_ROADMAP_DOWNLOAD, "data"),
        Input(ids.LESSONS_ROADMAP_MD, "n_clicks"),
        Input(ids.LESSONS_ROADMAP_HTML, "n_clicks"),
        State(ids.LESSONS_ROADMAP_SCOPE, "value"),
        prevent_initial_call=True,
    )
    def roadmap_download(_md, _html, value):
        include = isinstance(value, list) and "all" in value
        sections = roadmap_sections(snapshot.lessons, hook(), include_under_validation=include)
        names = dict(zip(snapshot.pilots["pilot_id"], snapshot.pilots["name"], strict=True))
        if ctx.triggered_id == ids.LESSONS_ROADMAP_HTML:
            text, name, kind = (
                to_html(sections, names, snapshot.version),
                "roadmap-to-co-creation.html",
                "text/html",
            )
        elif ctx.triggered_id == ids.LESSONS_ROADMAP_MD:
            text, name, kind = (
                to_markdown(sections, names, snapshot.version),
                "roadmap-to-co-creation.md",
                "text/markdown",
            )
        else:
            return no_update
        return {"content": text, "filename": name, "type": kind, "base64": False}

    app.clientside_callback(
        """function(n) { if (n) { window.print(); } return window.dash_clientside.no_update; }""",
        Output(ids.LESSONS_PRINT_SINK, "data"),
        Input(ids.LESSONS_ROADMAP_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )
