"""The frame around every page: skip link, navigation bar, theme switch, page container."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.figures.theme import normalise_theme
from crosspilot.i18n import t
from crosspilot.views.base import parse_query
from layouts import ids
from layouts.snapshot_box import publish_box


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    name: str
    layout: Callable  # layout(snapshot, query: dict[str, str], theme: str) -> component
    in_nav: bool = True  # sub-pages such as /lessons/roadmap are routed but not listed


def theme_of(search: str | None) -> str:
    return normalise_theme(parse_query(search).get("theme"))


def with_theme(path: str, theme: str, query: dict[str, str] | None = None) -> str:
    """`path` with `query`, the theme written only when it is not the default."""
    params = {k: v for k, v in (query or {}).items() if k != "theme"}
    if theme != "standard":
        params["theme"] = theme
    return path + (f"?{urlencode(params)}" if params else "")


def layout(pages: list[Page]) -> html.Div:
    nav_items = [
        dbc.NavItem(
            dbc.NavLink(
                page.name,
                href=page.path,
                id=ids.nav_link(page.key),
                # Sub-pages (/lessons/roadmap) keep their section highlighted.
                active="exact" if page.path == "/" else "partial",
            )
        )
        for page in pages
        if page.in_nav
    ]
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.TITLE_SINK),
            dcc.Store(id=ids.RENDERED),
            html.A(t("Skip to content"), href="#main", className="skip-link"),
            dbc.Navbar(
                dbc.Container(
                    [
                        dbc.NavbarBrand("Crosspilot", href="/", className="brand"),
                        dbc.Nav(nav_items, id=ids.NAV, navbar=True, className="me-auto flex-wrap"),
                        dcc.Link(
                            t("Projector view"),
                            id=ids.THEME_TOGGLE,
                            href="?theme=projector",
                            className="btn btn-outline-light theme-toggle",
                            title=t("Large type and high contrast for projectors (shareable in the URL)"),
                        ),
                    ],
                    fluid=True,
                ),
                color="dark",
                dark=True,
                className="mb-3",
                tag="nav",
            ),
            html.Main(
                [dbc.Container(publish_box(), fluid="xl"), dbc.Container(id=ids.CONTENT, fluid="xl")],
                id="main",
                tabIndex="-1",
            ),
            html.Footer(
                dbc.Container(
                    t("Crosspilot — cross-pilot lessons for co-created public services."),
                    fluid="xl",
                ),
                className="cp-footer",
            ),
        ],
        id=ids.ROOT,
        className="theme-standard",
    )
