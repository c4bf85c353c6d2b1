"""The frame around every page: skip link, navigation bar, theme switch, page container."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.figures.theme import normalise_theme
from crosspilot.formatting import current_formatter
from crosspilot.i18n import current_language, default_language, display_name, language, languages, t
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
    role: str = "public"  # the least role that may open it (crosspilot.access); checked on the server


def theme_of(search: str | None) -> str:
    return normalise_theme(parse_query(search).get("theme"))


def with_theme(path: str, theme: str, query: dict[str, str] | None = None) -> str:
    """`path` with `query`, the theme and the current language written only when not the default."""
    params = {k: v for k, v in (query or {}).items() if k not in ("theme", "lang")}
    if theme != "standard":
        params["theme"] = theme
    params.update(language_param())
    return path + (f"?{urlencode(params)}" if params else "")


def language_param(code: str | None = None) -> dict[str, str]:
    """{"lang": code} for a link in `code` (default: the current language), {} for the default one."""
    code = code or current_language()
    return {} if code == default_language() else {"lang": code}


ABOUT_TRANSLATIONS = "/about/translations"
GLOSSARY = "/glossary"


def language_links(path: str, query: dict[str, str] | None = None) -> list:
    """The switcher's entries: this page in each language, as plain links (the page reloads, so
    everything, <html lang> included, is served in the new language), then About translations."""
    here = current_language()
    params = {k: v for k, v in (query or {}).items() if k != "lang"}
    items = []
    for lang in languages():
        link = {**params, "lang": lang.code}  # explicit, even the default: it beats Accept-Language
        href = path + (f"?{urlencode(link)}" if link else "")
        label = [html.Span(lang.name, lang=lang.code)]
        if lang.review != "reviewed":
            label.append(html.Span(" · " + t("draft"), className="lang-draft"))
        items.append(
            html.Li(
                html.A(
                    label,
                    href=href,
                    hrefLang=lang.code,
                    id=ids.language_link(lang.code),
                    className="dropdown-item lang-option" + (" active" if lang.code == here else ""),
                    **({"aria-current": "true"} if lang.code == here else {}),
                )
            )
        )
    items.append(
        html.Li(
            html.A(
                t("About translations"),
                href=with_theme(ABOUT_TRANSLATIONS, "standard"),
                className="dropdown-item lang-about",
            )
        )
    )
    return items


def data_language_note(coverage) -> list:
    """Says which of the data's words are not in the page's language (the dataset's translations
    table does not give them), so labels in two languages are never mixed silently."""
    if coverage is None or not coverage.total or not coverage.missing:
        return []
    here = language(current_language())
    return [
        html.P(
            [
                t(
                    "{n} of {total} labels and texts of the data are shown in English, the data's own "
                    "language: the dataset gives no translation into {language} for them.",
                    n=current_formatter().count(coverage.missing),
                    total=current_formatter().count(coverage.total),
                    language=display_name(here.code),
                ),
                " ",
                html.A(t("About translations"), href=with_theme(ABOUT_TRANSLATIONS, "standard")),
            ],
            className="small lang-note data-language-note",
            role="note",
        )
    ]


def language_switcher() -> html.Details:
    """A disclosure any keyboard opens (Enter on its summary), with one link per language."""
    here = language(current_language())
    return html.Details(
        [
            html.Summary(
                [
                    html.Span(t("Language") + ":", className="lang-label"),
                    html.Span(here.name, lang=here.code),
                ],
                className="btn btn-outline-light lang-summary",
                **{"aria-label": t("Language") + ": " + here.name},
            ),
            html.Ul(language_links("/"), id=ids.LANGUAGES, className="lang-menu"),
        ],
        id=ids.LANGUAGE_SWITCHER,
        className="lang-switcher",
    )


def account_area() -> html.Div:
    """ "Sign in", or who is signed in with their role, the admin page for admins and "Sign out" (a
    form posting the session's CSRF token: signing out changes state)."""
    from flask import has_request_context, request

    from crosspilot import access
    from crosspilot.accounts.web import LOGOUT, csrf_token, login_link

    who = access.current()
    if who.user is None:
        back = None
        if has_request_context() and request.referrer:  # the layout is fetched by the page it is for
            parts = urlsplit(request.referrer)
            if parts.netloc == request.host:
                back = parts.path + (f"?{parts.query}" if parts.query else "")
        return html.Div(
            html.A(
                t("Sign in"), href=login_link(back), id=ids.SIGN_IN_LINK, className="btn btn-outline-light"
            ),
            id=ids.ACCOUNT_AREA,
            className="account-area",
        )
    parts = [
        html.Span(
            [who.user, " · ", access.role_name(who.role)],
            className="account-who",
            title=t(access.ROLE_DUTIES[who.role]),
        )
    ]
    if who.role == "admin":
        parts.append(
            html.A(
                t("Admin"),
                href=with_theme("/admin", "standard"),
                id=ids.ADMIN_LINK,
                className="btn btn-outline-light",
            )
        )
    parts.append(
        html.Form(
            [
                dcc.Input(type="hidden", name="csrf_token", value=csrf_token()),
                html.Button(t("Sign out"), type="submit", id=ids.SIGN_OUT, className="btn btn-outline-light"),
            ],
            method="post",
            action=LOGOUT,
        )
    )
    return html.Div(parts, id=ids.ACCOUNT_AREA, className="account-area")


def layout(pages: list[Page]) -> html.Div:
    nav_items = [
        dbc.NavItem(
            dbc.NavLink(
                t(page.name),
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
                        language_switcher(),
                        account_area(),
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
                [
                    dbc.Container(publish_box(), fluid="xl"),
                    dbc.Container(id=ids.DATA_LANGUAGE, fluid="xl"),
                    dbc.Container(id=ids.CONTENT, fluid="xl"),
                ],
                id="main",
                tabIndex="-1",
            ),
            html.Footer(
                dbc.Container(
                    [
                        t("Crosspilot — cross-pilot lessons for co-created public services."),
                        " ",
                        html.A(t("Glossary"), href=with_theme(GLOSSARY, "standard"), id=ids.GLOSSARY_LINK),
                        " · ",
                        html.A(
                            t("About translations"),
                            href=with_theme(ABOUT_TRANSLATIONS, "standard"),
                            id=ids.ABOUT_TRANSLATIONS_LINK,
                        ),
                    ],
                    fluid="xl",
                ),
                className="cp-footer",
            ),
        ],
        id=ids.ROOT,
        className="theme-standard",
    )
