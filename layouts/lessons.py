"""Lessons: browse and filter the lesson cards; one lesson with its evidence at /lessons?lesson=<id>."""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from crosspilot.i18n import t
from crosspilot.lessons import (
    OUTCOME_LABELS,
    ROADMAP,
    STATUSES,
    Filters,
    Lesson,
    all_themes,
    filter_lessons,
    resolve,
    theme_label,
)
from crosspilot.views import base as viewstate
from layouts import ids
from layouts.common import ANY, source_links
from layouts.lessons_common import (
    lesson_status_badge,
    section_nav,
    status_of,
    status_options,
    strength_meter,
)
from layouts.lessons_evidence import indicator_panel, network_panel
from layouts.shell import with_theme

PATH = "/lessons"


def _strength(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 4:
        raise ValueError(t("use a whole number from 0 to 4"))
    return number


def fields(snapshot) -> list[viewstate.Field]:
    lessons = snapshot.lessons
    return [
        viewstate.Field("lesson", "", viewstate.choice([lesson.id for lesson in lessons])),
        viewstate.Field("topic", "", viewstate.choice(all_themes(lessons))),
        viewstate.Field("pilot", "", viewstate.choice(list(snapshot.pilots["pilot_id"]))),
        viewstate.Field("status", (), viewstate.choices(STATUSES), viewstate.join),
        viewstate.Field("strength", 0, _strength),
    ]


def canonical(values: dict, snapshot) -> str:
    """The view as a query string without the display theme: what is on screen, for comparison."""
    return urlencode(viewstate.to_query(values, fields(snapshot)))


def pilot_names(snapshot) -> dict[str, str]:
    from crosspilot.figures.overview import map_label

    return {r.pilot_id: map_label(r.place, r.country) for r in snapshot.pilots.itertuples(index=False)}


def layout(context, query: dict[str, str], theme: str) -> html.Div:
    snapshot = context.snapshot
    values, notices = viewstate.parse(query, fields(snapshot))
    return html.Div(
        body(snapshot, values, notices, theme, context.decisions_for),
        id=ids.LESSONS_PAGE,
    )


def body(snapshot, values: dict, notices: list[str], theme: str, hook) -> list:
    shown = dcc.Store(id=ids.LESSONS_SHOWN, data=canonical(values, snapshot))
    alert = dbc.Alert(
        [html.P(n, className="mb-0") for n in notices],
        color="warning",
        id=ids.LESSONS_NOTICES,
        is_open=bool(notices),
        className="mt-2",
    )
    lesson = next((x for x in snapshot.lessons if x.id == values["lesson"]), None)
    if lesson is not None:
        return [shown, alert, *detail(snapshot, lesson, values, theme, hook)]
    return [shown, alert, *browse(snapshot, values, theme, hook)]


# --- the list --------------------------------------------------------------------------------------


def effective_statuses(snapshot, hook) -> dict[str, str]:
    return {lesson.id: status_of(lesson, hook)[0] for lesson in snapshot.lessons}


def filters_of(values: dict) -> Filters:
    return Filters(
        themes=(values["topic"],) if values["topic"] else (),
        pilots=(values["pilot"],) if values["pilot"] else (),
        statuses=tuple(values["status"]),
        min_strength=values["strength"],
    )


def browse(snapshot, values: dict, theme: str, hook) -> list:
    lessons = snapshot.lessons
    names = dict(zip(snapshot.pilots["pilot_id"], snapshot.pilots["name"], strict=True))
    statuses = effective_statuses(snapshot, hook)
    chosen = filter_lessons(lessons, filters_of(values), statuses)
    return [
        html.H1(t("Lessons")),
        section_nav(PATH, theme),
        html.P(
            t(
                "Cross-cutting lessons drawn from the pilots. Each one shows what it claims, which pilots "
                "support it, how strong the evidence is and where each fact comes from."
            ),
            className="lead mt-3",
        ),
        html.Form(
            dbc.Row(
                [
                    dbc.Col(
                        _select(
                            ids.LESSONS_TOPIC,
                            t("Theme"),
                            t("All themes"),
                            [(x, theme_label(x)) for x in all_themes(lessons)],
                            values["topic"],
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        _select(
                            ids.LESSONS_PILOT,
                            t("Pilot"),
                            t("All pilots"),
                            list(names.items()),
                            values["pilot"],
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        _select(
                            ids.LESSONS_STRENGTH,
                            t("Strength of evidence"),
                            t("Any strength"),
                            [(str(n), t("At least {n}/4", n=n)) for n in range(1, 5)],
                            str(values["strength"]) if values["strength"] else "",
                        ),
                        md=2,
                    ),
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend(t("Status"), className="form-label fs-6 mb-1"),
                                # Native checkboxes: Dash 4's dcc.Checklist nests them in role=option.
                                dbc.Checklist(
                                    id=ids.LESSONS_STATUS,
                                    options=status_options(),
                                    value=list(values["status"]),
                                    inline=True,
                                ),
                            ]
                        ),
                        md=4,
                    ),
                ],
                className="g-3 align-items-end",
            ),
            className="lessons-filters mb-3",
            role="search",
            **{"aria-label": t("Filter the lessons")},
        ),
        html.P(
            count_text(len(chosen), len(lessons)),
            id=ids.LESSONS_COUNT,
            className="fw-semibold",
            role="status",
        ),
        html.Div(lesson_list(snapshot, chosen, statuses, values, theme), id=ids.LESSONS_LIST),
    ]


def _select(component_id: str, label: str, everything: str, options: list[tuple[str, str]], value: str):
    return html.Div(
        [
            dbc.Label(label, html_for=component_id),
            dbc.Select(
                id=component_id,
                options=[{"label": everything, "value": ANY}]
                + [{"label": lab, "value": v} for v, lab in options],
                value=value or ANY,
            ),
        ]
    )


def count_text(shown: int, total: int) -> str:
    if not total:
        return t("This dataset has no lesson cards yet.")
    return t("Showing {shown} of {total} lessons.", shown=shown, total=total)


def lesson_href(lesson_id: str, values: dict, snapshot, theme: str) -> str:
    query = viewstate.to_query({**values, "lesson": lesson_id}, fields(snapshot))
    return with_theme(PATH, theme, query)


def lesson_list(snapshot, chosen: list[Lesson], statuses: dict, values: dict, theme: str) -> list:
    if not chosen:
        return [html.P(t("No lesson matches these filters."), className="text-body-secondary")]
    tables = snapshot.tables
    cards = []
    for lesson in chosen:
        resolution = resolve(lesson, tables)
        cards.append(
            html.Li(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.H2(
                                dcc.Link(lesson.title, href=lesson_href(lesson.id, values, snapshot, theme)),
                                className="h5 card-title",
                            ),
                            html.P(lesson.summary, className="mb-2"),
                            html.Div(
                                [
                                    lesson_status_badge(statuses.get(lesson.id, lesson.status)),
                                    strength_meter(lesson.strength),
                                    html.Span(evidenced_text(resolution), className="evidenced"),
                                    html.Span(t(ROADMAP[lesson.roadmap]), className="roadmap-heading"),
                                ],
                                className="lesson-meta",
                            ),
                        ]
                    ),
                    className="lesson-card h-100",
                ),
                className="mb-3",
                id=f"lesson-card-{lesson.id}",
            )
        )
    return [html.Ul(cards, className="list-unstyled lesson-cards")]


def evidenced_text(resolution) -> str:
    return t("Evidenced in {n} of {total} pilots", n=resolution.n, total=resolution.total_pilots)


# --- one lesson ------------------------------------------------------------------------------------


def detail(snapshot, lesson: Lesson, values: dict, theme: str, hook) -> list:
    names = dict(zip(snapshot.pilots["pilot_id"], snapshot.pilots["name"], strict=True))
    short = pilot_names(snapshot)
    resolution = resolve(lesson, snapshot.tables)
    status, history = status_of(lesson, hook)
    back = with_theme(PATH, theme, viewstate.to_query({**values, "lesson": ""}, fields(snapshot)))
    share = lesson_href(
        lesson.id,
        {"lesson": lesson.id, "topic": "", "pilot": "", "status": (), "strength": 0},
        snapshot,
        "standard",
    )
    pilots = [
        html.Li(
            [names.get(p, p), " ", html.Span(t("(no linked evidence yet)"), className="small")]
            if p in resolution.claimed_only
            else names.get(p, p)
        )
        for p in lesson.pilots
    ]
    return [
        html.Article(
            [
                dcc.Link(t("← All lessons"), href=back, className="back-link"),
                html.P(
                    t("Lesson · {heading}", heading=t(ROADMAP[lesson.roadmap])), className="kicker mt-2 mb-0"
                ),
                html.H1(lesson.title),
                html.P(lesson.summary, className="lead"),
                html.Div(
                    [
                        lesson_status_badge(status),
                        strength_meter(lesson.strength),
                        html.Span(evidenced_text(resolution), className="evidenced"),
                    ],
                    className="lesson-meta mb-3",
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dcc.Markdown(lesson.body, className="lesson-body") if lesson.body else None,
                                _facts(lesson),
                            ],
                            lg=7,
                        ),
                        dbc.Col(
                            html.Section(
                                [
                                    html.H2(t("Pilots that support it"), className="h5"),
                                    html.Ul(pilots)
                                    if pilots
                                    else html.P(
                                        t(
                                            "A programme-level lesson: the sources state it for the project "
                                            "as a whole."
                                        )
                                    ),
                                    html.P(
                                        [t("Link to this lesson: "), html.Code(share)],
                                        className="small share-link",
                                    ),
                                ],
                                className="lesson-aside",
                            ),
                            lg=5,
                        ),
                    ]
                ),
                _evidence(snapshot, lesson, resolution, short, theme),
                _sources(lesson),
                _history(status, history),
            ],
            className="lesson-detail",
            id=f"lesson-{lesson.id}",
        )
    ]


def _facts(lesson: Lesson) -> html.Dl:
    items = [
        (t("Themes"), ", ".join(theme_label(x) for x in lesson.themes)),
        (t("Governance aspects"), ", ".join(lesson.governance)),
        (t("Roadmap heading"), t(ROADMAP[lesson.roadmap])),
    ]
    return html.Dl(
        [part for label, value in items if value for part in (html.Dt(label), html.Dd(value))],
        className="lesson-facts",
    )


def _evidence(snapshot, lesson: Lesson, resolution, names: dict, theme: str) -> html.Section:
    parts = [html.H2(t("Evidence"))]
    if lesson.evidence.indicators:
        parts.append(html.H3(t("Indicators"), className="h5"))
        parts += [
            indicator_panel(snapshot, item, resolution.values, names, theme)
            for item in lesson.evidence.indicators
        ]
    if lesson.evidence.networks:
        parts.append(html.H3(t("Network features"), className="h5"))
        parts.append(network_panel(snapshot, lesson.evidence.networks, names, theme))
    if len(resolution.stories):
        parts.append(html.H3(t("Stories"), className="h5"))
        parts.append(
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(r.title),
                            f" ({names.get(r.pilot_id, r.pilot_id)}). ",
                            r.summary,
                            " ",
                            *source_links(r.source_url),
                        ],
                        className="mb-2",
                    )
                    for r in resolution.stories.itertuples(index=False)
                ],
                className="lesson-stories",
            )
        )
    if len(parts) == 1:
        parts.append(
            html.P(t("This lesson rests on its sources alone; it links no indicator, network or story."))
        )
    return html.Section(parts, className="lesson-evidence mt-4", **{"aria-label": t("Evidence")})


def _sources(lesson: Lesson) -> html.Section:
    items = [
        html.Li(
            [
                *source_links(s.url),
                html.Span(f" · {t(s.kind.capitalize())}", className="small"),
                html.Div(s.note, className="small") if s.note else None,
                html.Blockquote(f"“{s.quote}”", className="source-quote") if s.quote else None,
            ],
            className="mb-2",
        )
        for s in lesson.evidence.sources
    ]
    return html.Section(
        [html.H2(t("Sources")), html.Ol(items) if items else html.P(t("No sources yet."))],
        className="lesson-sources mt-4",
    )


def _history(status: str, history) -> html.Section:
    rows = [
        html.Tr(
            [
                html.Td(change.date),
                html.Td(
                    [
                        lesson_status_badge(change.status),
                        f" ({t(OUTCOME_LABELS[change.outcome])})" if change.outcome in OUTCOME_LABELS else "",
                    ]
                ),
                html.Td(change.by),
                html.Td(change.reason),
                html.Td(t("Workshop decision") if change.via == "workshop" else t("Lesson card")),
            ]
        )
        for change in history
    ]
    header = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in (t("Date"), t("Status"), t("Decided by"), t("Reason"), t("Recorded in"))
            ]
        )
    )
    return html.Section(
        [
            html.H2(t("Status and history")),
            html.P([t("Current status: "), lesson_status_badge(status)]),
            dbc.Table([header, html.Tbody(rows)], bordered=True, size="sm", id=ids.LESSONS_HISTORY)
            if rows
            else html.P(t("No status changes recorded yet.")),
        ],
        className="lesson-history mt-4",
    )
